"""The same InfoGAN as the template and bench/handwritten/infogan.ts, in PyTorch on one CPU thread
(the model is in bench/pytorch_infogan_model.py). Digits are random here: the speed does not depend
on the pixels.
    /usr/bin/python3 bench/pytorch_infogan.py [--seconds 6] [--batch 128] [--scaled]
Prints one JSON line: {"itPerSec": ..., "threads": 1, "torch": "..."}.
"""
import argparse
import torch
from pytorch_infogan_model import build
from pytorch_timing import report_rate

p = argparse.ArgumentParser()
p.add_argument("--seconds", type=float, default=6)
p.add_argument("--batch", type=int, default=128)
p.add_argument("--scaled", action="store_true", help="the template's 'scaled' preset: half widths")
a = p.parse_args()

torch.set_num_threads(1)
torch.manual_seed(1)
_, _, step, _ = build(a.scaled)
real = torch.rand(a.batch, 1, 28, 28)
report_rate(lambda: step(real), a.seconds, warmup=2)
