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


def init_weights(model, how):
    """torch: PyTorch's defaults. gengraph: what GenGraph's layers do (He, truncated normal, before
    ReLU; Glorot-uniform otherwise; biases 0; batch norm γ = 1). openai: openai/InfoGAN's custom_ops (weights
    N(0, 0.02), biases 0, batch norm γ ~ N(1, 0.02))."""
    if how == "torch":
        return
    mods = list(model.modules())
    for i, m in enumerate(mods):
        if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            if how == "openai":
                nn.init.normal_(m.weight, 0, 0.02)
            else:
                # The layer's activation is applied in forward(); ReLU layers are G's hidden layers.
                relu = isinstance(model, G) and m is not model.up2
                w = m.weight
                # GenGraph's fan: [in, out] for dense; kernel·in and kernel·out channels for convs.
                if isinstance(m, nn.Linear):
                    fan_in, fan_out = w.shape[1], w.shape[0]
                else:
                    # (GenGraph's transposed kernels are [k, k, out, in], so their "fan in" is out·k².)
                    k = w.shape[2] * w.shape[3]
                    fan_in, fan_out = w.shape[1] * k, w.shape[0] * k
                if relu:
                    std = (2 / fan_in) ** 0.5
                    nn.init.trunc_normal_(w, 0, std, -2 * std, 2 * std)
                else:
                    limit = (6 / (fan_in + fan_out)) ** 0.5
                    nn.init.uniform_(w, -limit, limit)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            nn.init.normal_(m.weight, 1, 0.02) if how == "openai" else nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)


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
    def __init__(self, D1, D2, DH, leak=0.2):
        super().__init__()
        self.leak = leak
        self.c1 = nn.Conv2d(1, D1, 4, 2, 1)
        self.c2, self.bn2 = nn.Conv2d(D1, D2, 4, 2, 1, bias=False), nn.BatchNorm2d(D2)
        self.fc, self.bn3 = nn.Linear(49 * D2, DH, bias=False), nn.BatchNorm1d(DH)
        self.logit = nn.Linear(DH, 1)
        self.q1, self.bnq = nn.Linear(DH, 128, bias=False), nn.BatchNorm1d(128)
        self.q2 = nn.Linear(128, 12)

    def forward(self, x):
        h = F.leaky_relu(self.c1(x), self.leak)
        h = F.leaky_relu(self.bn2(self.c2(h)), self.leak).flatten(1)
        h = F.leaky_relu(self.bn3(self.fc(h)), self.leak)
        q = self.q2(F.leaky_relu(self.bnq(self.q1(h)), self.leak))
        return self.logit(h), q[:, :10], q[:, 10:]


def build(scaled=False, noise="uniform", init="torch", leak=0.2):
    """Returns (g, d, step, codes); step(real) runs one iteration on a batch of real digits in [0, 1].
    openai/InfoGAN itself uses init="openai" and leak=0.01 (its leaky_rectify default)."""
    H, C1, C2, D1, D2, DH = SCALED if scaled else FULL
    g, d = G(H, C1, C2), D(D1, D2, DH, leak)
    init_weights(g, init)
    init_weights(d, init)
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
