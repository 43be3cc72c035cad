"""Networks for 32x32 colour images (CIFAR-10).

* :class:`SeedCNN`: the architecture of the NumPy project minigrad grew from, kept
  for comparison: conv 5x5 -> ReLU -> conv 5x5 -> ReLU -> max-pool 2x2 -> linear.
* :class:`CifarNet`: a compact VGG-style network with BatchNorm, built for
  accuracy per CPU-minute: three stages of 3x3 convolutions (32, 64, 128
  channels) with max-pooling, then global average pooling and one linear layer.

Example:
    >>> import minigrad
    >>> from models.cifar import CifarNet, SeedCNN
    >>> SeedCNN(filters=8)(minigrad.zeros(2, 3, 32, 32)).shape
    minigrad.Size([2, 10])
    >>> CifarNet()(minigrad.zeros(2, 3, 32, 32)).shape
    minigrad.Size([2, 10])
"""

from __future__ import annotations

import minigrad
from minigrad import nn

#: Per-channel mean and standard deviation of CIFAR-10's training images in [0, 1].
CIFAR10_MEAN = (0.4914, 0.4822, 0.4465)
CIFAR10_STD = (0.2470, 0.2435, 0.2616)


class SeedCNN(nn.Module):
    """The seed project's CNN: two 5x5 convolutions, one max-pool, one linear layer.

    Args:
        filters: filters per convolution (the seed project used 8 or 16).
        num_classes: the number of output logits.

    Example:
        >>> from models.cifar import SeedCNN
        >>> SeedCNN(filters=16).fc.weight.shape
        minigrad.Size([10, 2304])
    """

    def __init__(self, filters: int = 8, num_classes: int = 10) -> None:
        super().__init__()
        if filters <= 0:
            raise ValueError(f"SeedCNN: filters must be positive, got {filters}")
        self.conv1 = nn.Conv2d(3, filters, kernel_size=5)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(filters, filters, kernel_size=5)
        self.relu2 = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(filters * 12 * 12, num_classes)

    def forward(self, x: minigrad.Tensor) -> minigrad.Tensor:
        x = self.relu2(self.conv2(self.relu1(self.conv1(x))))
        return self.fc(self.flatten(self.pool(x)))


def _conv_bn_relu(in_channels: int, out_channels: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(),
    )


class CifarNet(nn.Module):
    """A VGG-style CIFAR-10 network with BatchNorm (about 0.29 M parameters at width 32).

    Stages: [conv-BN-ReLU] x2 at 32x32, pool; [conv-BN-ReLU] x2 at 16x16, pool;
    conv-BN-ReLU at 8x8, pool; global average pool; linear.

    Args:
        width: channels of the first stage (doubled at each later stage).
        num_classes: the number of output logits.

    Example:
        >>> from models.cifar import CifarNet
        >>> len(list(CifarNet(width=16).modules())) > 10
        True
    """

    def __init__(self, width: int = 32, num_classes: int = 10) -> None:
        super().__init__()
        w = width
        self.features = nn.Sequential(
            _conv_bn_relu(3, w),
            _conv_bn_relu(w, w),
            nn.MaxPool2d(2),
            _conv_bn_relu(w, 2 * w),
            _conv_bn_relu(2 * w, 2 * w),
            nn.MaxPool2d(2),
            _conv_bn_relu(2 * w, 4 * w),
            nn.MaxPool2d(2),
        )
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.classifier = nn.Linear(4 * w, num_classes)

    def forward(self, x: minigrad.Tensor) -> minigrad.Tensor:
        return self.classifier(self.flatten(self.pool(self.features(x))))
