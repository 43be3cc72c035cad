"""minigrad.data: loading MNIST, and iterating epochs of batches, against PyTorch's
DataLoader, each library in its own process.

Run::

    MINIGRAD_DATA=../shared/data .venv/bin/python benchmarks/bench_data.py [--markdown]

Cases:

1. MNIST train + test from the four ``.gz`` files into uint8 arrays (minigrad only);
2. one MNIST training epoch (60,000 images) in shuffled batches of 64, converted to
   float in [0, 1]: minigrad's ``DataLoader(..., transform=ToFloat())`` against
   PyTorch's ``DataLoader(TensorDataset(...), shuffle=True)`` over the same uint8
   images, each batch converted with ``.float().div_(255)``;
3. one CIFAR-10 epoch of what is stored here (5,085 images in this checkout's subset)
   with RandomCrop(32, 4) + flip + ToFloat + Normalize in batches of 128 (minigrad only).

See ``benchmarks/_harness.py`` for how the processes run and what the columns mean.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import _harness  # noqa: E402


def mnist_load() -> Any:
    from minigrad.data import MNIST

    return lambda: (MNIST(train=True), MNIST(train=False))


def mnist_epoch_minigrad() -> Any:
    from minigrad.data import MNIST, DataLoader
    from minigrad.data import transforms as T

    loader = DataLoader(MNIST(train=True), batch_size=64, shuffle=True, seed=0,
                        transform=T.ToFloat())  # fmt: skip
    return lambda: sum(1 for _ in loader)


def mnist_epoch_torch() -> Any:
    import torch

    from minigrad.data import MNIST

    train = MNIST(train=True)
    dataset = torch.utils.data.TensorDataset(
        torch.from_numpy(np.array(train.data)), torch.from_numpy(np.array(train.targets))
    )
    loader = torch.utils.data.DataLoader(dataset, batch_size=64, shuffle=True)
    return lambda: sum(1 for x, _ in loader if x.float().div_(255) is not None)


def cifar_epoch() -> Any:
    from minigrad.data import CIFAR10, DataLoader
    from minigrad.data import transforms as T

    cifar = CIFAR10(train=True)
    augment = T.Compose([T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(), T.ToFloat(),
                         T.Normalize.from_dataset(cifar)])  # fmt: skip
    loader = DataLoader(cifar, batch_size=128, shuffle=True, seed=0, transform=augment)
    return lambda: sum(1 for _ in loader)


CASES: _harness.Cases = {
    "MNIST epoch, 938 batches of 64 + to float": {
        "minigrad": mnist_epoch_minigrad,
        "torch": mnist_epoch_torch,
    },
    "MNIST load, train + test .gz -> uint8": {"minigrad": mnist_load},
    "CIFAR-10 epoch of the stored subset, crop+flip+normalize, batches of 128": {
        "minigrad": cifar_epoch
    },
}

if __name__ == "__main__":
    _harness.main(CASES, "minigrad.data against PyTorch's DataLoader",
                  defaults={"rounds": 3, "warmup": 1, "block_seconds": 1.0})  # fmt: skip
