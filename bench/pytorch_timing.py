"""Times a training step the same way for every PyTorch benchmark script, and prints the JSON line
that bench/pytorch-ratio.ts reads: {"itPerSec": ..., "threads": ..., "torch": "..."}."""
import json
import time

import torch


def report_rate(step, seconds, warmup):
    for _ in range(warmup):
        step()
    n = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        step()
        n += 1
    dt = time.perf_counter() - t0
    print(json.dumps({"itPerSec": n / dt, "threads": torch.get_num_threads(), "torch": torch.__version__}))
