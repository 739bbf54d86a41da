"""Trains the DDPM template's recipe in PyTorch on real MNIST and writes samples for our scorer: a check
of the recipe (how many updates at which width) that runs faster than GenGraph's wasm runtime, so a
scaled recipe can be chosen before GenGraph spends hours on it. The U-Net mirrors src/core/nn/unet.ts:
residual blocks with group norm (8 groups where the width allows) and swish, the timestep embedding
(sinusoidal, then two dense layers) added in every block, stride-2 convolutions down, nearest-neighbour
upsampling and concatenated skips up. Training: ε-prediction, simple MSE, T = 1000, linear β 1e-4 →
0.02, Adam, an exponential moving average of the weights with TF's warm-up. Sampling: ancestral, σ_t² =
β_t, x̂_0 clipped to [−1, 1], with the same respacing as GenGraph's sampler (--steps, 0 = all T).
    /usr/bin/python3 bench/pytorch_ddpm_reference.py [--channels 16] [--updates 6000] [--batch 64]
        [--lr 2e-4] [--seed 1] [--samples 500] [--steps 100] [--out runs/ddpm-pt.f32] [--every 2000]
Prints progress; writes the samples (float32, [N, 784], pixels in [0, 1]) to --out, and with --every K
also to <out>-K.f32 every K updates; the moving average goes to <out>.pt, which --load PATH samples
again (with other --steps, say) without training. Score them with
    npx tsx bench/reproduce/score-samples.ts runs/ddpm-pt.f32
"""
import argparse
import copy
import math
import time

# First: it pins BLAS and OpenMP to one thread, which must happen before numpy and torch load.
from pytorch_reference import batches, mnist, setup  # isort: skip

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--channels", type=int, default=16)
p.add_argument("--mults", default="1,2,2")
p.add_argument("--time-dim", type=int, default=32)
p.add_argument("--updates", type=int, default=6000)
p.add_argument("--batch", type=int, default=64)
p.add_argument("--lr", type=float, default=2e-4)
p.add_argument("--ema", type=float, default=0.9999)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--threads", type=int, default=1)
p.add_argument("--samples", type=int, default=500)
p.add_argument("--steps", type=int, default=100)
p.add_argument("--every", type=int, default=0)
p.add_argument("--out", default="runs/ddpm-pt.f32")
p.add_argument("--load", help="sample from this saved moving average (<out>.pt of an earlier run) instead of training")
a = p.parse_args()


def groups(c):
    return next((g for g in (8, 4, 2) if c % g == 0), 1)


class Res(nn.Module):
    def __init__(self, cin, cout, tdim):
        super().__init__()
        self.n1, self.c1 = nn.GroupNorm(groups(cin), cin), nn.Conv2d(cin, cout, 3, padding=1)
        self.t = nn.Linear(tdim, cout)
        self.n2, self.c2 = nn.GroupNorm(groups(cout), cout), nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Identity() if cin == cout else nn.Conv2d(cin, cout, 1)

    def forward(self, x, temb):
        h = self.c1(F.silu(self.n1(x)))
        h = h + self.t(F.silu(temb))[:, :, None, None]
        return self.skip(x) + self.c2(F.silu(self.n2(h)))


class Unet(nn.Module):
    def __init__(self, ch, mults, tdim):
        super().__init__()
        self.tdim = tdim
        self.t1, self.t2 = nn.Linear(tdim, 2 * tdim), nn.Linear(2 * tdim, 2 * tdim)
        self.cin = nn.Conv2d(1, ch, 3, padding=1)
        widths = [m * ch for m in mults]
        self.down, self.sample = nn.ModuleList(), nn.ModuleList()
        c = ch
        for i, w in enumerate(widths):
            self.down.append(Res(c, w, 2 * tdim))
            c = w
            if i < len(widths) - 1:
                self.sample.append(nn.Conv2d(c, c, 3, stride=2, padding=1))
        self.mid = Res(c, c, 2 * tdim)
        self.up = nn.ModuleList()
        for w in reversed(widths):
            self.up.append(Res(c + w, w, 2 * tdim))
            c = w
        self.nout, self.cout = nn.GroupNorm(groups(c), c), nn.Conv2d(c, 1, 3, padding=1)

    def forward(self, x, t):
        half = self.tdim // 2
        freqs = torch.exp(torch.arange(half, dtype=torch.float32) * (-math.log(10000) / max(1, half - 1)))
        args = t.float()[:, None] * freqs[None]
        temb = self.t2(F.silu(self.t1(torch.cat([args.sin(), args.cos()], 1))))
        h, skips = self.cin(x), []
        for i, block in enumerate(self.down):
            h = block(h, temb)
            skips.append(h)
            if i < len(self.sample):
                # GenGraph pads 'same' at stride 2: 28 → 14 → 7, as padding 1 does here.
                h = self.sample[i](h)
        h = self.mid(h, temb)
        for block in self.up:
            skip = skips.pop()
            if h.shape[-1] != skip.shape[-1]:
                h = F.interpolate(h, size=skip.shape[-2:], mode="nearest")
            h = block(torch.cat([h, skip], 1), temb)
        return self.cout(F.silu(self.nout(h)))


T = 1000
betas = torch.linspace(1e-4, 0.02, T, dtype=torch.float64)
abar = torch.cumprod(1 - betas, 0)


def reverse_steps(steps):
    """The timesteps visited and each jump's ᾱ_t, ᾱ_prev (Nichol & Dhariwal's respacing)."""
    if steps <= 0 or steps >= T:
        ts = list(range(T))
    else:
        ts = sorted({round(i * (T - 1) / (steps - 1)) for i in range(steps)})
    out = []
    for k in range(len(ts) - 1, -1, -1):
        t = ts[k]
        prev = abar[ts[k - 1]].item() if k > 0 else 1.0
        out.append((t, abar[t].item(), prev))
    return out


@torch.no_grad()
def sample(model, n, steps, gen):
    x = torch.randn(n, 1, 28, 28, generator=gen)
    for t, ab, ab_prev in reverse_steps(steps):
        beta = 1 - ab / ab_prev
        eps = model(x, torch.full((n,), t))
        x0 = ((x - math.sqrt(1 - ab) * eps) / math.sqrt(ab)).clamp(-1, 1)
        mean = (math.sqrt(ab_prev) * beta / (1 - ab)) * x0 + (math.sqrt(1 - beta) * (1 - ab_prev) / (1 - ab)) * x
        x = mean + (math.sqrt(beta) * torch.randn(x.shape, generator=gen) if t > 0 else 0)
    return ((x + 1) / 2).clamp(0, 1).reshape(n, 784).numpy().astype(np.float32)


def write(model, path):
    t = time.time()
    gen = torch.Generator().manual_seed(a.seed + 1000)
    out = np.concatenate([sample(model, min(100, a.samples - s), a.steps, gen) for s in range(0, a.samples, 100)])
    out.tofile(path)
    print(f"wrote {a.samples} samples ({a.steps or T} steps) to {path} in {time.time() - t:.0f} s", flush=True)


rng = setup(a.seed, a.threads)
model = Unet(a.channels, [int(m) for m in a.mults.split(",")], a.time_dim)
if a.load:
    model.load_state_dict(torch.load(a.load))
    write(model.eval(), a.out)
    raise SystemExit
train, _ = mnist("train")
ema = copy.deepcopy(model).eval()
opt = torch.optim.Adam(model.parameters(), lr=a.lr)
print(f"{sum(p.numel() for p in model.parameters())} parameters", flush=True)
stream = batches(train, a.batch, rng)
t0, running = time.time(), 0.0
for i in range(1, a.updates + 1):
    x0 = torch.from_numpy(next(stream).reshape(-1, 1, 28, 28).astype(np.float32) / 127.5 - 1)
    t = torch.randint(0, T, (a.batch,))
    eps = torch.randn_like(x0)
    ab = abar[t].float()[:, None, None, None]
    loss = F.mse_loss(model(ab.sqrt() * x0 + (1 - ab).sqrt() * eps, t), eps)
    opt.zero_grad()
    loss.backward()
    opt.step()
    decay = min(a.ema, (1 + i - 1) / (10 + i - 1))
    with torch.no_grad():
        for pe, pm in zip(ema.parameters(), model.parameters()):
            pe.mul_(decay).add_(pm, alpha=1 - decay)
    running += loss.item()
    if i % 200 == 0:
        print(f"update {i}: loss {running / 200:.4f}, {time.time() - t0:.0f} s", flush=True)
        running = 0.0
    if a.every and i % a.every == 0 and i < a.updates:
        write(ema, a.out.replace(".f32", f"-{i}.f32"))
write(ema, a.out)
torch.save(ema.state_dict(), a.out.replace(".f32", ".pt"))
