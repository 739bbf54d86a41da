"""The same VAE as the compiled template and bench/handwritten/vae.ts, in PyTorch on one CPU thread.

784-400-20 encoder (mean and log-variance), 20-400-784 sigmoid decoder, Bernoulli likelihood summed
over pixels, KL to N(0, I), both averaged over the batch, Adam 1e-3, batch 128, dynamically
binarised digits (random here: the speed does not depend on the pixels).
    /usr/bin/python3 bench/pytorch_vae.py [--seconds 6] [--batch 128]
Prints one JSON line: {"itPerSec": ..., "threads": 1, "torch": "..."}.
"""
import argparse
import torch
import torch.nn.functional as F
from pytorch_timing import report_rate

p = argparse.ArgumentParser()
p.add_argument("--seconds", type=float, default=6)
p.add_argument("--batch", type=int, default=128)
a = p.parse_args()

torch.set_num_threads(1)
torch.manual_seed(1)
enc1, enc2 = torch.nn.Linear(784, 400), torch.nn.Linear(400, 40)
dec1, dec2 = torch.nn.Linear(20, 400), torch.nn.Linear(400, 784)
params = [*enc1.parameters(), *enc2.parameters(), *dec1.parameters(), *dec2.parameters()]
opt = torch.optim.Adam(params, lr=1e-3)
grey = torch.rand(60000 // 50, 784)


def step():
    x = torch.bernoulli(grey[torch.randint(0, grey.shape[0], (a.batch,))])
    stats = enc2(F.relu(enc1(x)))
    mu, logvar = stats[:, :20], stats[:, 20:]
    z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
    logits = dec2(F.relu(dec1(z)))
    rec = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
    kl = 0.5 * torch.sum(mu**2 + logvar.exp() - 1 - logvar)
    loss = (rec + kl) / a.batch
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss


report_rate(step, a.seconds, warmup=5)
