"""Trains the CycleGAN template's recipe (templates/cyclegan.json) in PyTorch on real MNIST and scores it
the way bench/reproduce/cyclegan.ts scores GenGraph's run: a check of the recipe that runs several times
faster than GenGraph's wasm runtime, so variants (widths, λs, pool, schedule) can be tried before
GenGraph spends hours on one. It mirrors GenGraph layer by layer:
  Data (src/core/kinds/data-domains.ts, mnist-batch.ts): A = training digits 0–29,999, B = a transform
    of 30,000–59,999 (invert: 1 − x; thicken: 3×3 grey dilation, pixels past the border ignored), pixels
    in [−1, 1]. Every batch draws its A and B indices uniformly with replacement, independently, and
    each phase draws its own batch: the G step and the D step of an iteration see different images.
  G and F (net-translator.ts, nn/build.ts): 7×7 conv (base) → --down (2) × [3×3 stride-2 conv, width ×2] →
    --blocks residual blocks x + [3×3 conv, ReLU, 3×3 conv] → --down × [3×3 stride-2 transposed conv, width
    ÷2] → 7×7 conv to 1 channel, tanh. Every conv but the last has affine instance norm (ε 1e-5, no
    bias before it) and ReLU (none after a block's second conv); the last has a bias and no norm.
    Zero padding, TF's 'same': it pads (0, 1) at stride 2 and the transposed convs keep TF's alignment
    (output rows 0…2n−1 of the full transposed conv, not 1…2n as padding=1, output_padding=1 gives).
  D_A and D_B (net-discriminator.ts, arch 'patch'): 4×4 stride-2 convs with --dch channels, LeakyReLU
    0.2, instance norm on all but the first (which has a bias), then a 4×4 stride-1 conv to one logit
    per position (7×7 on 28×28), 'same' padding (1, 2) as TF pads a 4-wide kernel at stride 1.
  Init (runtime/vars.ts, kinds/common.ts), --init gengraph (the template's default 'he-glorot'):
    kernels before a ReLU ~ normal(0, √(2/fan_in)) truncated at 2σ (TF.js's truncatedNormal: no
    rescaling, so the std is ≈ 0.88 of that), every other kernel Glorot uniform, biases 0, norm γ 1,
    β 0; fans as Keras counts them from the TF kernel ([k, k, in, out], and [k, k, out, in] for a
    transposed conv). --init normal: GenGraph's 'normal-0.02' (kernels N(0, 0.02), biases 0, γ 1);
    --init torch: GenGraph's 'pytorch', which is PyTorch's default (weights and biases U(±1/√fan_in)).
  Losses (loss-adversarial.ts, loss-cycle.ts): phase g trains G and F on
    mean((D_B(G(a)) − 1)²) + mean((D_A(F(b)) − 1)²) + λ_cycle (|F(G(a)) − a| + |G(F(b)) − b|)
    + λ_identity (|F(a) − a| + |G(b) − b|), L1 as means over pixels, λ_identity absolute (5);
    then phase d trains D_A and D_B on 0.5 [mean((D(real) − 1)²) + mean(D(pool(fake))²)] for each,
    with the fakes made afresh by the just-updated G and F from the D step's own batch.
  Image pool (op-image-pool.ts): per image, while fewer than --pool are stored it is stored and shown;
    then with probability ½ it is shown, else it replaces a stored one drawn uniformly and that one is
    shown. It runs only in the D step. --pool 0 turns it off.
  Optimizers (runtime/optim.ts, template): one Adam per phase, lr 2e-4, β 0.5, 0.999, ε 1e-8 (TF.js's
    update is the same formula as PyTorch's); --decay-from F is the optimizer's linearDecayFrom: the
    lr factor is 1 until iteration ⌊F·N⌋, then (N − i)/(N − ⌊F·N⌋ + 1) at 0-based iteration i.
  Scores (bench/reproduce/cyclegan.ts): the first --n test digits as A, their transforms as the true
    B; translations are mapped back to [0, 1] and clipped, cycles translate the clipped translation,
    and L1 is the mean absolute pixel difference in [−1, 1] units: cycleL1 A (F(G(a)) vs a) and B,
    pairL1 AtoB (G(a) vs T(a)) and BtoA (F(T(a)) vs a), identityBaselineL1 (a vs T(a): 0.254 for
    thicken, 1.893 for invert). The digit and domain classifiers of cyclegan.ts are not run here.
    /usr/bin/python3 bench/pytorch_cyclegan_reference.py [--transform invert|thicken] [--updates 6000]
        [--batch 16] [--base 16] [--blocks 2] [--down 2] [--dch 16,32] [--lr 2e-4] [--lambda-cycle 10]
        [--lambda-identity 5] [--pool 50] [--seed 1] [--threads 1] [--every 0]
        [--init gengraph|torch|normal] [--decay-from F] [--n 2000]
Prints a progress line every 200 updates (GenGraph's loss names, unweighted, averaged over those 200
updates), then the scores as one JSON line at the end, and also every --every K updates.
What PyTorch cannot match: the random streams. GenGraph seeds every weight by its name, every batch by
(iteration, phase) through mulberry32 and the pool by its own draws; here torch and numpy generators
seeded by --seed draw the same distributions, so a seed here is not GenGraph's seed and runs agree in
distribution only. Float32 kernels round differently from TF.js's wasm ones. Each network is run once
on its inputs concatenated (G on [a, b]; F on [b, a, G(a)]; D on [real, pooled]) where GenGraph runs
the shared nodes one by one: the results are the same because instance norm is per image.
"""
import argparse
import json
import math
import time

# First: it pins BLAS and OpenMP to one thread, which must happen before numpy and torch load.
from pytorch_reference import mnist, setup  # isort: skip

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--transform", choices=["invert", "thicken"], default="invert")
p.add_argument("--updates", type=int, default=6000)
p.add_argument("--batch", type=int, default=16)
p.add_argument("--base", type=int, default=16, help="channels of the translators' first conv")
p.add_argument("--blocks", type=int, default=2, help="residual blocks in each translator")
p.add_argument("--down", type=int, default=2, help="stride-2 convs down (and up) in each translator")
p.add_argument("--dch", default="16,32", help="channels of the patch discriminators' stride-2 convs")
p.add_argument("--lr", type=float, default=2e-4)
p.add_argument("--lambda-cycle", type=float, default=10)
p.add_argument("--lambda-identity", type=float, default=5, help="absolute weight, as in the template")
p.add_argument("--pool", type=int, default=50, help="images in each pool; 0 turns the pools off")
p.add_argument("--seed", type=int, default=1)
p.add_argument("--threads", type=int, default=1)
p.add_argument("--every", type=int, default=0, help="also score every K updates")
p.add_argument("--init", choices=["gengraph", "torch", "normal"], default="gengraph")
p.add_argument("--decay-from", type=float, help="lr falls linearly to 0 from this share of the run on")
p.add_argument("--n", type=int, default=2000, help="test pairs scored")
a = p.parse_args()

DOWN = a.down  # the template's downsample (2: 28 → 14 → 7)
LEAK = 0.2


def same(size, k, s):
    """TF's 'same' padding (before, after) for a kernel k at stride s over size pixels."""
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


class Conv(nn.Module):
    """One of GenGraph's conv layer specs: conv or transposed conv ('same'), instance norm or none, act."""

    def __init__(self, cin, cout, k, stride, norm, act, transpose=False):
        super().__init__()
        self.k, self.stride, self.act, self.transpose = k, stride, act, transpose
        make = nn.ConvTranspose2d if transpose else nn.Conv2d
        # Instance norm subtracts the mean, so GenGraph drops the bias before it (nn/spec.ts hasBias).
        self.conv = make(cin, cout, k, stride, bias=not norm)
        self.norm = nn.InstanceNorm2d(cout, eps=1e-5, affine=True) if norm else nn.Identity()
        init_conv(self.conv, act == "relu")

    def forward(self, x):
        if self.transpose:
            # TF's conv2dTranspose: the gradient of a 'same' conv from 2n to n pixels, which starts
            # at that conv's padding before (0 here) of the full (n − 1)s + k outputs.
            out = x.shape[-1] * self.stride
            lo = same(out, self.k, self.stride)[0]
            y = self.conv(x)[:, :, lo : lo + out, lo : lo + out]
        else:
            b, e = same(x.shape[-1], self.k, self.stride)
            y = self.conv(F.pad(x, (b, e, b, e)))
        y = self.norm(y)
        if self.act == "relu":
            return F.relu(y)
        if self.act == "leakyrelu":
            return F.leaky_relu(y, LEAK)
        if self.act == "tanh":
            return torch.tanh(y)
        return y


def init_conv(conv, relu):
    w = conv.weight
    rf = w.shape[2] * w.shape[3]
    # TF's kernel is [k, k, in, out] for a conv and [k, k, out, in] for a transposed one; Keras takes
    # its fans from the last two dims. PyTorch's weight is [out, in, k, k] and [in, out, k, k].
    transposed = isinstance(conv, nn.ConvTranspose2d)
    tf_in, tf_out = (w.shape[0], w.shape[1]) if transposed else (w.shape[1], w.shape[0])
    fan_in, fan_out = rf * tf_in, rf * tf_out
    with torch.no_grad():
        if a.init == "gengraph":
            if relu:
                std = math.sqrt(2 / fan_in)
                nn.init.trunc_normal_(w, 0, std, -2 * std, 2 * std)
            else:
                limit = math.sqrt(6 / (fan_in + fan_out))
                w.uniform_(-limit, limit)
            if conv.bias is not None:
                conv.bias.zero_()
        elif a.init == "normal":
            w.normal_(0, 0.02)
            if conv.bias is not None:
                conv.bias.zero_()
        else:
            bound = 1 / math.sqrt(fan_in)
            w.uniform_(-bound, bound)
            if conv.bias is not None:
                conv.bias.uniform_(-bound, bound)


class Residual(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.body = nn.Sequential(Conv(c, c, 3, 1, True, "relu"), Conv(c, c, 3, 1, True, "linear"))

    def forward(self, x):
        return x + self.body(x)


def translator(base, blocks):
    layers, c = [Conv(1, base, 7, 1, True, "relu")], base
    for _ in range(DOWN):
        layers.append(Conv(c, 2 * c, 3, 2, True, "relu"))
        c *= 2
    layers += [Residual(c) for _ in range(blocks)]
    for _ in range(DOWN):
        layers.append(Conv(c, c // 2, 3, 2, True, "relu", transpose=True))
        c //= 2
    layers.append(Conv(c, 1, 7, 1, False, "tanh"))
    return nn.Sequential(*layers)


def patch_discriminator(channels):
    layers, cin = [], 1
    for i, c in enumerate(channels):
        layers.append(Conv(cin, c, 4, 2, i > 0, "leakyrelu"))
        cin = c
    layers.append(Conv(cin, 1, 4, 1, False, "linear"))
    return nn.Sequential(*layers)


class Pool:
    """CycleGAN's history of generated images (op-image-pool.ts); the input is already detached."""

    def __init__(self, size, rng):
        self.size, self.rng, self.items = size, rng, []

    def __call__(self, x):
        if self.size == 0:
            return x
        out = []
        for img in x:
            if len(self.items) < self.size:
                self.items.append(img.clone())
                out.append(img)
            elif self.rng.random() < 0.5:
                out.append(img)
            else:
                k = int(self.rng.random() * len(self.items))
                out.append(self.items[k])
                self.items[k] = img.clone()
        return torch.stack(out)


def invert(x):
    return 1 - x


def thicken(x):
    """3×3 grey dilation of [N, 784] images in [0, 1]; pixels past the border do not count."""
    img = np.pad(x.reshape(-1, 28, 28), ((0, 0), (1, 1), (1, 1)))  # zeros: GenGraph's max starts at 0
    out = np.zeros((len(x), 28, 28), np.float32)
    for dy in range(3):
        for dx in range(3):
            np.maximum(out, img[:, dy : dy + 28, dx : dx + 28], out=out)
    return out.reshape(-1, 784)


T = {"invert": invert, "thicken": thicken}[a.transform]


def lr_factor(i, n, start_share):
    """runtime/optim.ts lrFactor: the share of the lr at 0-based iteration i of n."""
    if start_share is None:
        return 1.0
    start = math.floor(start_share * n)
    return 1.0 if i < start else max(0.0, (n - i) / (n - start + 1))


rng = setup(a.seed, a.threads)
pool_rng = np.random.default_rng([a.seed, 1])
train_u8, _ = mnist("train")
test_u8, test_labels = mnist("t10k")
half = len(train_u8) // 2


def to_tensor(x01):
    return torch.from_numpy((x01 * 2 - 1).astype(np.float32).reshape(-1, 1, 28, 28))


def batch():
    """A phase's batch (data.mnist_domains): A and B drawn with replacement from their halves."""
    ia = rng.integers(0, half, a.batch)
    ib = rng.integers(half, len(train_u8), a.batch)
    return to_tensor(train_u8[ia] / np.float32(255)), to_tensor(T(train_u8[ib] / np.float32(255)))


G, Fn = translator(a.base, a.blocks), translator(a.base, a.blocks)  # G: A → B, F: B → A
dch = [int(c) for c in a.dch.split(",")]
D_A, D_B = patch_discriminator(dch), patch_discriminator(dch)
gen_params = list(G.parameters()) + list(Fn.parameters())
dis_params = list(D_A.parameters()) + list(D_B.parameters())
opt_g = torch.optim.Adam(gen_params, lr=a.lr, betas=(0.5, 0.999), eps=1e-8)
opt_d = torch.optim.Adam(dis_params, lr=a.lr, betas=(0.5, 0.999), eps=1e-8)
pool_A, pool_B = Pool(a.pool, pool_rng), Pool(a.pool, pool_rng)
count = lambda ps: sum(q.numel() for q in ps)
print(
    f"G, F {count(G.parameters())} parameters each; D_A, D_B {count(D_A.parameters())} each; "
    f"transform {a.transform}, init {a.init}",
    flush=True,
)

test_A = test_u8[: a.n] / np.float32(255)
test_B = T(test_A)


@torch.no_grad()
def translate(net, x01):
    """As cyclegan.ts: [0, 1] images into the net's [−1, 1] range and back to [0, 1], clipped."""
    out = [((net(to_tensor(x01[s : s + 250])) + 1) / 2).clamp(0, 1) for s in range(0, len(x01), 250)]
    return torch.cat(out).reshape(-1, 784).numpy()


def nearest_same_digit(translated, targets):
    """Share of translations whose nearest target (L1, over the n true targets) shows the source's
    digit: about 1 when each digit is translated as itself, far lower when a translator swaps digits."""
    labels = test_labels[: a.n]
    t = torch.from_numpy(targets.astype(np.float32))
    hits = 0
    for s in range(0, len(translated), 250):
        d = torch.cdist(torch.from_numpy(translated[s : s + 250].astype(np.float32)), t, p=1)
        hits += int((labels[d.argmin(1).numpy()] == labels[s : s + 250]).sum())
    return hits / len(translated)


def l1(x, y):
    """Mean absolute difference of [0, 1] images, in [−1, 1] units."""
    return float(2 * np.abs(x.astype(np.float64) - y.astype(np.float64)).mean())


def score(updates, seconds):
    t = time.time()
    AtoB, BtoA = translate(G, test_A), translate(Fn, test_B)
    AtoBtoA, BtoAtoB = translate(Fn, AtoB), translate(G, BtoA)
    r4 = lambda v: round(v, 4)
    print(json.dumps({
        "transform": a.transform, "n": a.n, "updates": updates,
        "cycleL1": {"A": r4(l1(AtoBtoA, test_A)), "B": r4(l1(BtoAtoB, test_B))},
        "pairL1": {"AtoB": r4(l1(AtoB, test_B)), "BtoA": r4(l1(BtoA, test_A))},
        "identityBaselineL1": r4(l1(test_A, test_B)),
        "nearestSameDigit": {"AtoB": r4(nearest_same_digit(AtoB, test_B)), "BtoA": r4(nearest_same_digit(BtoA, test_A))},
        "trainSeconds": round(seconds, 1), "updatesPerSecond": round(updates / max(seconds, 1e-9), 2),
        "scoreSeconds": round(time.time() - t, 1),
        "recipe": {
            "batch": a.batch, "base": a.base, "blocks": a.blocks, "down": a.down, "dch": dch, "lr": a.lr,
            "lambdaCycle": a.lambda_cycle, "lambdaIdentity": a.lambda_identity, "pool": a.pool,
            "init": a.init, "decayFrom": a.decay_from, "seed": a.seed, "threads": a.threads,
        },
    }), flush=True)


def requires_grad(params, flag):
    for q in params:
        q.requires_grad_(flag)


names = ["advG", "advF", "cycA", "cycB", "idtA", "idtB", "lossDA", "lossDB"]
running = np.zeros(len(names))
train_s, t0 = 0.0, time.time()
for i in range(a.updates):  # i: GenGraph's 0-based iteration
    for opt in (opt_g, opt_d):
        for group in opt.param_groups:
            group["lr"] = a.lr * lr_factor(i, a.updates, a.decay_from)

    # Phase g: G and F, with D_A and D_B fixed.
    real_A, real_B = batch()
    requires_grad(dis_params, False)
    fake_B, idt_B = G(torch.cat([real_A, real_B])).split(a.batch)
    fake_A, idt_A, rec_A = Fn(torch.cat([real_B, real_A, fake_B])).split(a.batch)
    rec_B = G(fake_A)
    adv_G = (D_B(fake_B) - 1).square().mean()
    adv_F = (D_A(fake_A) - 1).square().mean()
    cyc_A, cyc_B = (rec_A - real_A).abs().mean(), (rec_B - real_B).abs().mean()
    idt_A_l, idt_B_l = (idt_A - real_A).abs().mean(), (idt_B - real_B).abs().mean()
    loss_g = adv_G + adv_F + a.lambda_cycle * (cyc_A + cyc_B) + a.lambda_identity * (idt_A_l + idt_B_l)
    opt_g.zero_grad(set_to_none=True)
    loss_g.backward()
    opt_g.step()
    requires_grad(dis_params, True)

    # Phase d: a fresh batch; the updated G and F make the fakes, which pass through the pools.
    real_A, real_B = batch()
    with torch.no_grad():
        pooled_B, pooled_A = pool_B(G(real_A)), pool_A(Fn(real_B))
    d_real_A, d_fake_A = D_A(torch.cat([real_A, pooled_A])).split(a.batch)
    d_real_B, d_fake_B = D_B(torch.cat([real_B, pooled_B])).split(a.batch)
    loss_DA = (d_real_A - 1).square().mean() + d_fake_A.square().mean()
    loss_DB = (d_real_B - 1).square().mean() + d_fake_B.square().mean()
    opt_d.zero_grad(set_to_none=True)
    (0.5 * loss_DA + 0.5 * loss_DB).backward()
    opt_d.step()

    running += [v.item() for v in (adv_G, adv_F, cyc_A, cyc_B, idt_A_l, idt_B_l, loss_DA, loss_DB)]
    done = i + 1
    if done % 200 == 0:
        shown = " ".join(f"{n}={v / 200:.4g}" for n, v in zip(names, running))
        print(f"update {done}: {shown}, {train_s + time.time() - t0:.0f} s", flush=True)
        running[:] = 0
    if (a.every and done % a.every == 0) or done == a.updates:
        train_s += time.time() - t0
        score(done, train_s)
        t0 = time.time()
if a.updates == 0:
    score(0, 0.0)
