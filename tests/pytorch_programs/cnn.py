"""A small CNN (as the PyTorch CIFAR-10 tutorial's Net, smaller), trained a few SGD steps."""

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(4, 8, 3, padding=1)
        self.fc1 = nn.Linear(8 * 3 * 3, 16)
        self.fc2 = nn.Linear(16, 3)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)


def init_deterministic(model):
    """The same weights in any framework: evenly spaced values, scaled per layer."""
    with torch.no_grad():
        for i, p in enumerate(model.parameters()):
            values = torch.linspace(-0.3, 0.3, p.numel()).reshape(p.shape)
            p.copy_(values * (-1) ** i)


device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
net = Net().to(device)
init_deterministic(net)
print(net)
print(sum(p.numel() for p in net.parameters() if p.requires_grad))

images = torch.sin(torch.arange(6 * 1 * 14 * 14, dtype=torch.float32) * 0.37).reshape(6, 1, 14, 14)
labels = torch.tensor([0, 1, 2, 0, 1, 2])
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.02, momentum=0.9)

for step in range(5):
    inputs, targets = images.to(device), labels.to(device)
    optimizer.zero_grad()
    outputs = net(inputs)
    loss = criterion(outputs, targets)
    loss.backward()
    optimizer.step()
    print(f"[step {step + 1}] loss: {loss.item():.5f}")

with torch.no_grad():
    outputs = net(images)
    _, predicted = torch.max(outputs, 1)
    correct = (predicted == labels).sum().item()
print(f"Accuracy: {100 * correct // labels.size(0)} %", predicted)
print(net.conv1.weight.grad.shape, net.fc2.bias.grad)
