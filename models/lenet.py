"""LeNet-5 for 28x28 grayscale digits (MNIST, Fashion-MNIST).

The classic architecture with ReLU and max-pooling, as the issue and most modern
recipes use it: conv 6@5x5 (padding 2) -> ReLU -> max-pool 2 -> conv 16@5x5 ->
ReLU -> max-pool 2 -> 400 -> 120 -> 84 -> 10.

Example:
    >>> import minigrad
    >>> from models.lenet import LeNet5
    >>> model = LeNet5()
    >>> model(minigrad.zeros(2, 1, 28, 28)).shape
    minigrad.Size([2, 10])
    >>> sum(p.numel() for p in model.parameters())
    61706
"""

from __future__ import annotations

import numpy as np

import minigrad
from minigrad import nn

#: Mean and standard deviation of MNIST's training pixels (scaled to [0, 1]).
MNIST_MEAN = 0.1307
MNIST_STD = 0.3081
#: The same statistics for Fashion-MNIST.
FASHION_MNIST_MEAN = 0.2860
FASHION_MNIST_STD = 0.3530


class LeNet5(nn.Module):
    """LeNet-5 (ReLU, max-pool) for ``(N, in_channels, 28, 28)`` inputs.

    Args:
        num_classes: the number of output logits.
        in_channels: input channels (1 for grayscale).

    Example:
        >>> from models.lenet import LeNet5
        >>> [name for name, _ in LeNet5().named_parameters()][:2]
        ['conv1.weight', 'conv1.bias']
    """

    def __init__(self, num_classes: int = 10, in_channels: int = 1) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 6, kernel_size=5, padding=2)
        self.relu1 = nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(6, 16, kernel_size=5)
        self.relu2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.relu3 = nn.ReLU()
        self.fc2 = nn.Linear(120, 84)
        self.relu4 = nn.ReLU()
        self.fc3 = nn.Linear(84, num_classes)

    def forward(self, x: minigrad.Tensor) -> minigrad.Tensor:
        x = self.pool1(self.relu1(self.conv1(x)))
        x = self.pool2(self.relu2(self.conv2(x)))
        x = self.flatten(x)
        x = self.relu3(self.fc1(x))
        x = self.relu4(self.fc2(x))
        return self.fc3(x)


def classify(model: nn.Module, images: np.ndarray) -> np.ndarray:
    """Class probabilities ``(N, 10)`` for ``(N, 28, 28)`` MNIST-style images in [0, 1].

    Normalises as the training program does, runs the model without recording a
    graph and applies softmax. Put the model in eval mode first (the pretrained
    model comes in eval mode); this function changes no state, so threads may
    share it.

    Example:
        >>> import numpy as np
        >>> from models.lenet import LeNet5, classify
        >>> probs = classify(LeNet5().eval(), np.zeros((2, 28, 28), dtype=np.float32))
        >>> probs.shape, bool(np.allclose(probs.sum(axis=1), 1.0))
        ((2, 10), True)
    """
    mean, std = np.float32(MNIST_MEAN), np.float32(MNIST_STD)
    x = (np.asarray(images, dtype=np.float32)[:, None, :, :] - mean) / std
    with minigrad.no_grad():
        return minigrad.softmax(model(minigrad.tensor(x)), dim=1).numpy()
