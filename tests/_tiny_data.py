"""A small real MNIST (a few hundred digits from the test set) for fast training-program tests."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np


def idx_header(code: int, shape: tuple[int, ...]) -> bytes:
    """An IDX header: magic ``0x0000 <code> <ndim>`` and big-endian dimensions."""
    return bytes([0, 0, code, len(shape)]) + b"".join(d.to_bytes(4, "big") for d in shape)


def idx_gz(array: np.ndarray) -> bytes:
    """A gzipped uint8 IDX file holding ``array``."""
    return gzip.compress(idx_header(8, array.shape) + array.astype(np.uint8).tobytes(), 1)


def write_tiny_mnist(root: Path, n_train: int = 192, n_test: int = 64) -> Path:
    """Write a small MNIST (real digits) under ``root/mnist``; return ``root``."""
    from minigrad.data import MNIST

    real = MNIST(train=False)
    images, labels = np.asarray(real.data).reshape(-1, 28, 28), np.asarray(real.targets)
    folder = root / "mnist"
    folder.mkdir(parents=True, exist_ok=True)
    splits = {"train": slice(0, n_train), "t10k": slice(n_train, n_train + n_test)}
    for prefix, rows in splits.items():
        (folder / f"{prefix}-images-idx3-ubyte.gz").write_bytes(idx_gz(images[rows]))
        (folder / f"{prefix}-labels-idx1-ubyte.gz").write_bytes(idx_gz(labels[rows]))
    return root
