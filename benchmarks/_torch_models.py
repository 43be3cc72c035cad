"""PyTorch twins of ``models/lenet.py`` and ``models/cifar.py``, with the same
parameter names, for the benchmarks (only the torch child process imports this)."""

from __future__ import annotations

from typing import Any

import numpy as np


def lenet5(torch: Any) -> Any:
    """``models.lenet.LeNet5`` in PyTorch."""
    nn = torch.nn

    class LeNet5(nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
            self.pool1 = nn.MaxPool2d(2)
            self.conv2 = nn.Conv2d(6, 16, 5)
            self.pool2 = nn.MaxPool2d(2)
            self.fc1 = nn.Linear(400, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x: Any) -> Any:
            relu = torch.relu
            x = self.pool1(relu(self.conv1(x)))
            x = self.pool2(relu(self.conv2(x)))
            x = relu(self.fc1(x.flatten(1)))
            return self.fc3(relu(self.fc2(x)))

    return LeNet5()


def cifarnet(torch: Any, width: int = 32) -> Any:
    """``models.cifar.CifarNet`` in PyTorch (the same module tree and names)."""
    nn = torch.nn

    def block(cin: int, cout: int) -> Any:
        return nn.Sequential(
            nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()
        )

    class CifarNet(nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            w = width
            self.features = nn.Sequential(
                block(3, w), block(w, w), nn.MaxPool2d(2),
                block(w, 2 * w), block(2 * w, 2 * w), nn.MaxPool2d(2),
                block(2 * w, 4 * w), nn.MaxPool2d(2),
            )  # fmt: skip
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.flatten = nn.Flatten()
            self.classifier = nn.Linear(4 * w, 10)

        def forward(self, x: Any) -> Any:
            return self.classifier(self.flatten(self.pool(self.features(x))))

    return CifarNet()


def same_weights(named_shapes: list[tuple[str, tuple[int, ...]]], seed: int = 0) -> dict[str, Any]:
    """Deterministic parameters by name, for both libraries: weights uniform in
    +-1/sqrt(fan_in), biases in +-0.05, BatchNorm scales 1."""
    rng = np.random.default_rng(seed)
    out = {}
    for name, shape in named_shapes:
        if len(shape) > 1:
            bound = 1 / np.sqrt(np.prod(shape[1:]))
            out[name] = rng.uniform(-bound, bound, shape).astype(np.float32)
        elif name.endswith("weight"):
            out[name] = np.ones(shape, np.float32)
        else:
            out[name] = rng.uniform(-0.05, 0.05, shape).astype(np.float32)
    return out
