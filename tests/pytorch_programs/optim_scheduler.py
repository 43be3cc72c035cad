"""An optimisation loop with a learning-rate schedule: SGD + StepLR, Adam + CosineAnnealingLR."""

import torch
from torch import nn
from torch.optim.lr_scheduler import CosineAnnealingLR, StepLR

x = torch.linspace(-1, 1, 32).unsqueeze(1)
y = 3 * x**2 - x + 0.5

for name in ("sgd", "adam"):
    model = nn.Sequential(nn.Linear(1, 8), nn.Tanh(), nn.Linear(8, 1))
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.linspace(-0.7, 0.9, p.numel()).reshape(p.shape))
    if name == "sgd":
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
        scheduler = StepLR(optimizer, step_size=3, gamma=0.5)
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=0.05, betas=(0.9, 0.99))
        scheduler = CosineAnnealingLR(optimizer, T_max=8)
    loss_fn = nn.MSELoss()
    for epoch in range(8):
        for i in range(0, 32, 8):
            optimizer.zero_grad()
            loss = loss_fn(model(x[i : i + 8]), y[i : i + 8])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=5.0)
            optimizer.step()
        scheduler.step()
        print(f"{name} epoch {epoch}: loss {loss.item():.6f} lr {scheduler.get_last_lr()[0]:.6f}")
    print(name, "final", loss_fn(model(x), y).item())
