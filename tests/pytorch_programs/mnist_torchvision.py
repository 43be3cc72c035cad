"""The MNIST example's evaluation loop with torchvision's datasets and transforms.

Without torchvision (the usual case here) only the rewritten program runs, reading
MNIST from MINIGRAD_DATA; with torchvision the original reads
``$MINIGRAD_DATA/MNIST/raw`` as torchvision lays it out.
"""

import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Subset
from torchvision import datasets, transforms


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 5)
        self.fc1 = nn.Linear(4 * 12 * 12, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = torch.flatten(x, 1)
        return F.log_softmax(self.fc1(x), dim=1)


transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
root = os.environ.get("MINIGRAD_DATA", "../data")
test_set = datasets.MNIST(root, train=False, download=False, transform=transform)
image, label = test_set[0]
print(type(image).__name__, image.shape, image.dtype, label)
loader = DataLoader(Subset(test_set, range(256)), batch_size=64, shuffle=False)

model = Net()
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(torch.linspace(-0.05, 0.05, p.numel()).reshape(p.shape) * (0.5 + i))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.5)

model.train()
for batch_idx, (data, target) in enumerate(loader):
    optimizer.zero_grad()
    loss = F.nll_loss(model(data), target)
    loss.backward()
    optimizer.step()
    print(f"Train [{batch_idx * len(data)}/{len(loader.dataset)}]\tLoss: {loss.item():.6f}")

model.eval()
test_loss, correct = 0, 0
with torch.no_grad():
    for data, target in loader:
        output = model(data)
        test_loss += F.nll_loss(output, target, reduction="sum").item()
        pred = output.argmax(dim=1, keepdim=True)
        correct += pred.eq(target.view_as(pred)).sum().item()
test_loss /= len(loader.dataset)
print(f"Test set: Average loss: {test_loss:.4f}, Accuracy: {correct}/{len(loader.dataset)}")
