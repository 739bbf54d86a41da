"""Trains the template's InfoGAN in PyTorch on real MNIST and reads the categorical code as a digit
classifier, the way bench/reproduce/infogan.ts scores GenGraph's run: Q's most likely category on each
test digit, matched to the labels one-to-one (Hungarian). A check of the recipe, independent of
GenGraph's runtime: if PyTorch lands where GenGraph does, the recipe (not the runtime) sets the result.
    /usr/bin/python3 bench/pytorch_infogan_reference.py [--scaled] [--batch 128] [--updates 5000]
        [--seed 1] [--noise uniform|gaussian] [--init torch|gengraph|openai] [--leak 0.2] [--threads 1]
        [--every N]
Prints progress (with --every N, Q's accuracy every N updates: does the category firm up with
length?), then one JSON line with qAccuracy and the confusion matrix.
"""
import argparse
import json
import time

# First: it pins BLAS and OpenMP to one thread, which must happen before numpy and torch load.
from pytorch_reference import batches, mnist, setup  # isort: skip

import numpy as np
import torch
from scipy.optimize import linear_sum_assignment
from pytorch_infogan_model import build

p = argparse.ArgumentParser()
p.add_argument("--scaled", action="store_true", help="the template's 'scaled' preset: half widths")
p.add_argument("--batch", type=int, default=128)
p.add_argument("--updates", type=int, default=5000)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--noise", choices=["uniform", "gaussian"], default="uniform")
p.add_argument("--threads", type=int, default=1)
p.add_argument("--init", choices=["torch", "gengraph", "openai"], default="torch")
p.add_argument("--leak", type=float, default=0.2, help="LeakyReLU slope in D (openai/InfoGAN: 0.01)")
p.add_argument("--every", type=int, default=0, help="also score Q on the test set every N updates")
a = p.parse_args()

rng = setup(a.seed, a.threads)
train, _ = mnist("train")
test_u8, labels = mnist("t10k")
test = torch.from_numpy(test_u8.reshape(-1, 1, 28, 28).astype(np.float32) / 255)

g, d, step, _ = build(a.scaled, a.noise, a.init, a.leak)


def q_accuracy():
    """Q's most likely category on each test digit, matched to the labels one-to-one."""
    d.eval()
    with torch.no_grad():
        pred = torch.cat([d(test[k : k + 1000])[1].argmax(1) for k in range(0, len(test), 1000)]).numpy()
    d.train()
    confusion = np.zeros((10, 10), np.int64)
    np.add.at(confusion, (pred, labels), 1)
    rows, cols = linear_sum_assignment(-confusion)
    return confusion[rows, cols].sum() / len(labels), confusion


t0 = time.time()
stream = batches(train, a.batch, rng)
for i in range(1, a.updates + 1):
    real = torch.from_numpy(next(stream).reshape(-1, 1, 28, 28).astype(np.float32) / 255)
    ld, lg = step(real)
    if i % 500 == 0:
        print(f"update {i}: loss D∪Q {ld:.3f}, G {lg:.3f}, {time.time() - t0:.0f} s", flush=True)
    if a.every and i % a.every == 0 and i < a.updates:
        print(f"update {i}: Q as a digit classifier {q_accuracy()[0]:.4f}", flush=True)

acc, confusion = q_accuracy()
print(json.dumps({
    "qAccuracy": round(float(acc), 4), "updates": a.updates, "batch": a.batch, "scaled": a.scaled,
    "noise": a.noise, "init": a.init, "leak": a.leak, "seed": a.seed, "seconds": round(time.time() - t0),
    "confusion": confusion.tolist(),
}))
