"""The same InfoGAN as the template and bench/handwritten/infogan.ts, in PyTorch on one CPU thread.

G: FC 74 → H → 7·7·C1 → 4×4 stride-2 transposed convolutions C1 → C2 → 1, batch norm and ReLU, sigmoid out.
D: 4×4 stride-2 convolutions 1 → D1 → D2 (batch norm from the second), FC → DH, LeakyReLU 0.2, batch
norm; a real/fake logit and a Q head (FC 128, batch norm, LeakyReLU, FC 12: 10 category logits and 2
continuous means). Losses: BCE for the game, cross-entropy for the category, a unit-variance gaussian
NLL for the continuous codes (λ = 1). Adam β1 = 0.5: D ∪ Q 2e-4, G 1e-3. One iteration is a D ∪ Q step
then a G step, as in the template. Digits are random here: the speed does not depend on the pixels.
    /usr/bin/python3 bench/pytorch_infogan.py [--seconds 6] [--batch 128] [--scaled]
Prints one JSON line: {"itPerSec": ..., "threads": 1, "torch": "..."}.
"""
import argparse
import torch
import torch.nn as nn
import torch.nn.functional as F
from pytorch_timing import report_rate

p = argparse.ArgumentParser()
p.add_argument("--seconds", type=float, default=6)
p.add_argument("--batch", type=int, default=128)
p.add_argument("--scaled", action="store_true", help="the template's 'scaled' preset: half widths")
a = p.parse_args()

torch.set_num_threads(1)
torch.manual_seed(1)
H, C1, C2, D1, D2, DH = (512, 64, 32, 32, 64, 512) if a.scaled else (1024, 128, 64, 64, 128, 1024)
B = a.batch


class G(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.bn1 = nn.Linear(74, H, bias=False), nn.BatchNorm1d(H)
        self.fc2, self.bn2 = nn.Linear(H, 49 * C1, bias=False), nn.BatchNorm1d(49 * C1)
        self.up1, self.bn3 = nn.ConvTranspose2d(C1, C2, 4, 2, 1, bias=False), nn.BatchNorm2d(C2)
        self.up2 = nn.ConvTranspose2d(C2, 1, 4, 2, 1)

    def forward(self, z):
        h = F.relu(self.bn1(self.fc1(z)))
        h = F.relu(self.bn2(self.fc2(h))).view(-1, C1, 7, 7)
        h = F.relu(self.bn3(self.up1(h)))
        return torch.sigmoid(self.up2(h))


class D(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, D1, 4, 2, 1)
        self.c2, self.bn2 = nn.Conv2d(D1, D2, 4, 2, 1, bias=False), nn.BatchNorm2d(D2)
        self.fc, self.bn3 = nn.Linear(49 * D2, DH, bias=False), nn.BatchNorm1d(DH)
        self.logit = nn.Linear(DH, 1)
        self.q1, self.bnq = nn.Linear(DH, 128, bias=False), nn.BatchNorm1d(128)
        self.q2 = nn.Linear(128, 12)

    def forward(self, x):
        h = F.leaky_relu(self.c1(x), 0.2)
        h = F.leaky_relu(self.bn2(self.c2(h)), 0.2).flatten(1)
        h = F.leaky_relu(self.bn3(self.fc(h)), 0.2)
        q = self.q2(F.leaky_relu(self.bnq(self.q1(h)), 0.2))
        return self.logit(h), q[:, :10], q[:, 10:]


g, d = G(), D()
opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
opt_g = torch.optim.Adam(g.parameters(), lr=1e-3, betas=(0.5, 0.999))
real = torch.rand(B, 1, 28, 28)
ones, zeros = torch.ones(B, 1), torch.zeros(B, 1)


def codes():
    cat = torch.randint(0, 10, (B,))
    cont = torch.rand(B, 2) * 2 - 1
    return torch.cat([torch.randn(B, 62), F.one_hot(cat, 10).float(), cont], 1), cat, cont


def info(q_cat, q_cont, cat, cont):
    return F.cross_entropy(q_cat, cat) + (0.5 * (cont - q_cont) ** 2).sum(1).mean()


def step():
    z, cat, cont = codes()
    fake_logit, q_cat, q_cont = d(g(z).detach())
    real_logit, _, _ = d(real)
    loss_d = (
        F.binary_cross_entropy_with_logits(real_logit, ones)
        + F.binary_cross_entropy_with_logits(fake_logit, zeros)
        + info(q_cat, q_cont, cat, cont)
    )
    opt_d.zero_grad()
    loss_d.backward()
    opt_d.step()
    z, cat, cont = codes()
    fake_logit, q_cat, q_cont = d(g(z))
    loss_g = F.binary_cross_entropy_with_logits(fake_logit, ones) + info(q_cat, q_cont, cat, cont)
    opt_g.zero_grad()
    loss_g.backward()
    opt_g.step()


report_rate(step, a.seconds, warmup=2)
