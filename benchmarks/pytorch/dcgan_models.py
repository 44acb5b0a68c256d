"""W7 in PyTorch: the DCGAN of the workbench's mnist-dcgan job (gan/dcgan, filters 64, latent 100), written as the
PyTorch DCGAN example writes it, for compare.py and lockstep.py.

Generator: z (100) -> linear 6272 -> 128 x 7 x 7 -> batch norm, ReLU -> ConvTranspose2d 128 -> 64 (4x4, stride 2,
padding 1) -> batch norm, ReLU -> ConvTranspose2d 64 -> 1 -> tanh, 28 x 28. Discriminator: Conv2d 1 -> 64 (4x4,
stride 2, padding 1), LeakyReLU 0.2 -> Conv2d 64 -> 128 -> batch norm, LeakyReLU 0.2 -> linear 6272 -> 1 logit.
Weights from N(0, 0.02), biases 0 and batch norm at its defaults (scale 1, shift 0), as the workbench starts them;
every layer keeps its bias, as the workbench's do. Adam 2e-4 with beta1 0.5 for each network.
"""
import torch
from torch import nn

LATENT = 100


def generator(filters=64):
    return nn.Sequential(
        nn.Linear(LATENT, 2 * filters * 7 * 7), nn.Unflatten(1, (2 * filters, 7, 7)),
        nn.BatchNorm2d(2 * filters), nn.ReLU(),
        nn.ConvTranspose2d(2 * filters, filters, 4, 2, 1), nn.BatchNorm2d(filters), nn.ReLU(),
        nn.ConvTranspose2d(filters, 1, 4, 2, 1), nn.Tanh())


def discriminator(filters=64):
    return nn.Sequential(
        nn.Conv2d(1, filters, 4, 2, 1), nn.LeakyReLU(0.2),
        nn.Conv2d(filters, 2 * filters, 4, 2, 1), nn.BatchNorm2d(2 * filters), nn.LeakyReLU(0.2),
        nn.Flatten(), nn.Linear(2 * filters * 7 * 7, 1))


def dcgan_init(module):
    if isinstance(module, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(module.weight, 0.0, 0.02)
        nn.init.zeros_(module.bias)


def pair():
    net_g, net_d = generator(), discriminator()
    net_g.apply(dcgan_init)
    net_d.apply(dcgan_init)
    return net_g, net_d


def training_step(models, real, _labels, lr, _nodes):
    """One discriminator update on the real batch and as many generated images (non-saturating loss, no label
    smoothing), then one generator update through the updated discriminator; fresh noise every step."""
    net_g, net_d = models
    opt_d = torch.optim.Adam(net_d.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(net_g.parameters(), lr=lr, betas=(0.5, 0.999))
    criterion = nn.BCEWithLogitsLoss()
    n = len(real)
    ones, zeros = torch.ones(n, 1), torch.zeros(n, 1)

    def step():
        fake = net_g(torch.randn(n, LATENT))
        net_d.zero_grad(set_to_none=True)
        loss_d = criterion(net_d(real), ones) + criterion(net_d(fake.detach()), zeros)
        loss_d.backward()
        opt_d.step()
        net_g.zero_grad(set_to_none=True)
        loss_g = criterion(net_d(fake), ones)
        loss_g.backward()
        opt_g.step()

    return step
