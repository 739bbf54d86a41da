"""The template's InfoGAN in PyTorch: the model and one training iteration, shared by the timing
benchmark (bench/pytorch_infogan.py) and the reference run (bench/pytorch_infogan_reference.py).

G: FC 74 → H → 7·7·C1 → 4×4 stride-2 transposed convolutions C1 → C2 → 1, batch norm and ReLU, sigmoid out.
D: 4×4 stride-2 convolutions 1 → D1 → D2 (batch norm from the second), FC → DH, LeakyReLU 0.2, batch
norm; a real/fake logit and a Q head (FC 128, batch norm, LeakyReLU, FC 12: 10 category logits and 2
continuous means). Losses: BCE for the game, cross-entropy for the category, a unit-variance gaussian
NLL for the continuous codes (λ = 1). Adam β1 = 0.5: D ∪ Q 2e-4, G 1e-3. One iteration is a D ∪ Q step
then a G step, as in the template. Noise and continuous codes are uniform in [−1, 1] (openai/InfoGAN).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

FULL = (1024, 128, 64, 64, 128, 1024)
SCALED = (512, 64, 32, 32, 64, 512)


class G(nn.Module):
    def __init__(self, H, C1, C2):
        super().__init__()
        self.C1 = C1
        self.fc1, self.bn1 = nn.Linear(74, H, bias=False), nn.BatchNorm1d(H)
        self.fc2, self.bn2 = nn.Linear(H, 49 * C1, bias=False), nn.BatchNorm1d(49 * C1)
        self.up1, self.bn3 = nn.ConvTranspose2d(C1, C2, 4, 2, 1, bias=False), nn.BatchNorm2d(C2)
        self.up2 = nn.ConvTranspose2d(C2, 1, 4, 2, 1)

    def forward(self, z):
        h = F.relu(self.bn1(self.fc1(z)))
        h = F.relu(self.bn2(self.fc2(h))).view(-1, self.C1, 7, 7)
        h = F.relu(self.bn3(self.up1(h)))
        return torch.sigmoid(self.up2(h))


class D(nn.Module):
    def __init__(self, D1, D2, DH):
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


def build(scaled=False, noise="uniform"):
    """Returns (g, d, step) where step(real) runs one iteration on a batch of real digits in [0, 1]."""
    H, C1, C2, D1, D2, DH = SCALED if scaled else FULL
    g, d = G(H, C1, C2), D(D1, D2, DH)
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(g.parameters(), lr=1e-3, betas=(0.5, 0.999))

    def codes(B):
        cat = torch.randint(0, 10, (B,))
        cont = torch.rand(B, 2) * 2 - 1
        z = torch.rand(B, 62) * 2 - 1 if noise == "uniform" else torch.randn(B, 62)
        return torch.cat([z, F.one_hot(cat, 10).float(), cont], 1), cat, cont

    def info(q_cat, q_cont, cat, cont):
        return F.cross_entropy(q_cat, cat) + (0.5 * (cont - q_cont) ** 2).sum(1).mean()

    def step(real):
        B = real.shape[0]
        ones, zeros = torch.ones(B, 1), torch.zeros(B, 1)
        z, cat, cont = codes(B)
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
        z, cat, cont = codes(B)
        fake_logit, q_cat, q_cont = d(g(z))
        loss_g = F.binary_cross_entropy_with_logits(fake_logit, ones) + info(q_cat, q_cont, cat, cont)
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
        return loss_d.item(), loss_g.item()

    return g, d, step, codes
