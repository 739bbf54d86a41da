"""Trains the template's AAE in PyTorch on real MNIST and scores its codes as bench/reproduce/aae.ts
does (largest per-dimension Kolmogorov–Smirnov statistic of the 10,000 test codes against N(0, 1),
each dimension's std, reconstruction L1 with pixels in [−1, 1]). A check of the recipe, independent
of GenGraph's runtime, with one switch: the encoder's head, deterministic (the template) or a
gaussian sampled with the reparameterization trick (PyTorch-GAN's aae.py).

Model (the template): encoder 784-512-512 → 10, decoder 10-512-512-784 with tanh, LeakyReLU 0.2 and
batch norm after each hidden layer; D on z 10-512-256-1. Encoder and decoder minimise
0.999 · L1 + 0.001 · BCE(D(z), real); D minimises ½ (BCE(D(prior), real) + BCE(D(z), fake)). Adam
2e-4, β1 = 0.5, batch 64.
    /usr/bin/python3 bench/pytorch_aae_reference.py [--encoder deterministic|gaussian]
        [--iterations 20000] [--score-every 20000] [--seed 1] [--threads 1]
Prints progress and, every --score-every iterations and at the end, one JSON line of scores.
"""
import argparse
import json
import math
import time

# First: it pins BLAS and OpenMP to one thread, which must happen before numpy and torch load.
from pytorch_reference import batches, mnist, setup  # isort: skip

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--encoder", choices=["deterministic", "gaussian"], default="deterministic")
p.add_argument("--iterations", type=int, default=20000)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--threads", type=int, default=1)
p.add_argument("--score-every", type=int, default=20000, help="score the codes every N iterations too")
a = p.parse_args()
rng = setup(a.seed, a.threads)
to_pm1 = lambda u8: torch.from_numpy(u8.astype(np.float32) / 127.5 - 1)
train = mnist("train")[0]
test = to_pm1(mnist("t10k")[0])


def mlp(sizes):
    layers = []
    for i, o in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(i, o), nn.BatchNorm1d(o), nn.LeakyReLU(0.2)]
    return layers


Z = 10
gaussian = a.encoder == "gaussian"
enc = nn.Sequential(*mlp([784, 512, 512]), nn.Linear(512, 2 * Z if gaussian else Z))
dec = nn.Sequential(*mlp([Z, 512, 512]), nn.Linear(512, 784), nn.Tanh())
D = nn.Sequential(nn.Linear(Z, 512), nn.LeakyReLU(0.2), nn.Linear(512, 256), nn.LeakyReLU(0.2), nn.Linear(256, 1))
opt_ae = torch.optim.Adam([*enc.parameters(), *dec.parameters()], lr=2e-4, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
bce = F.binary_cross_entropy_with_logits


def encode(x, sample=True):
    h = enc(x)
    if not gaussian:
        return h
    mu, logvar = h[:, :Z], h[:, Z:]
    return mu + torch.exp(0.5 * logvar) * torch.randn_like(mu) if sample else mu


Phi = lambda v: 0.5 * (1 + math.erf(v / math.sqrt(2)))


def score(iteration):
    """Prints one JSON line: the test codes against N(0, 1), and the reconstruction L1."""
    enc.eval()
    dec.eval()
    with torch.no_grad():
        codes = encode(test)
        l1 = (dec(codes) - test).abs().mean().item()
    enc.train()
    dec.train()
    N = len(test)
    ks = []
    for j in range(Z):
        col = np.sort(codes[:, j].numpy())
        cdf = np.array([Phi(v) for v in col])
        ks.append(float(max(np.max(np.abs(cdf - np.arange(N) / N)), np.max(np.abs(cdf - np.arange(1, N + 1) / N)))))
    print(json.dumps({
        "encoder": a.encoder, "seed": a.seed, "iterations": iteration, "maxKS": round(max(ks), 4),
        "ks": [round(k, 3) for k in ks], "std": [round(float(s), 3) for s in codes.std(0)],
        "l1": round(l1, 4), "seconds": round(time.time() - t0),
    }), flush=True)


t0 = time.time()
B = 64
stream = batches(train, B, rng)
for i in range(1, a.iterations + 1):
    x = to_pm1(next(stream))
    z = encode(x)
    loss_ae = 0.999 * (dec(z) - x).abs().mean() + 0.001 * bce(D(z), torch.ones(B, 1))
    opt_ae.zero_grad()
    loss_ae.backward()
    opt_ae.step()
    loss_d = 0.5 * (bce(D(torch.randn(B, Z)), torch.ones(B, 1)) + bce(D(z.detach()), torch.zeros(B, 1)))
    opt_d.zero_grad()
    loss_d.backward()
    opt_d.step()
    if i % 5000 == 0:
        print(f"iteration {i}: AE {loss_ae.item():.4f}, D {loss_d.item():.4f}, {time.time() - t0:.0f} s", flush=True)
    if i % a.score_every == 0 or i == a.iterations:
        score(i)
