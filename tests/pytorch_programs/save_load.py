"""Saving and loading: state_dicts through a file and a BytesIO, optimizer state, weights_only."""

import io
import os
import tempfile

import torch
import torch.nn as nn
import torch.optim as optim


class TheModelClass(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.bn = nn.BatchNorm1d(8)
        self.fc2 = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc2(torch.relu(self.bn(self.fc1(x))))


torch.manual_seed(0)
model = TheModelClass()
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.linspace(-0.5, 0.5, p.numel()).reshape(p.shape))
optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
x = torch.linspace(-1, 1, 12).reshape(3, 4)
model(x).sum().backward()
optimizer.step()

print("Model's state_dict:")
for param_tensor in model.state_dict():
    print(param_tensor, "\t", tuple(model.state_dict()[param_tensor].shape))
print("Optimizer's state_dict keys:", sorted(optimizer.state_dict().keys()))

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "model.pt")
    torch.save(model.state_dict(), path)
    model2 = TheModelClass()
    print(model2.load_state_dict(torch.load(path, weights_only=True)))
    model.eval()
    model2.eval()
    print(torch.equal(model(x), model2(x)), model2(x))

    ckpt = os.path.join(tmp, "ckpt.tar")
    torch.save(
        {
            "epoch": 3,
            "model_state_dict": model.state_dict(),
            "optimizer_state_dict": optimizer.state_dict(),
            "loss": 0.25,
        },
        ckpt,
    )
    checkpoint = torch.load(ckpt, map_location=torch.device("cpu"), weights_only=True)
    model3, optimizer3 = TheModelClass(), optim.SGD(model2.parameters(), lr=0.5)
    model3.load_state_dict(checkpoint["model_state_dict"])
    optimizer3.load_state_dict(checkpoint["optimizer_state_dict"])
    print(checkpoint["epoch"], checkpoint["loss"], optimizer3.param_groups[0]["lr"])

buffer = io.BytesIO()
torch.save(model.state_dict(), buffer)
buffer.seek(0)
state = torch.load(buffer, weights_only=True)
print(sorted(state)[:3], state["bn.running_mean"])
