"""Helpers shared by several test modules (imported as ``from _helpers import ...``)."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parent.parent


def mnist_test_set() -> tuple[np.ndarray, np.ndarray]:
    """MNIST test images (uint8, N x 28 x 28), labels: minigrad.data.MNIST, else the IDX files."""
    try:
        from minigrad.data import MNIST
    except ImportError:
        MNIST = None
    if MNIST is not None:
        try:
            test_set = MNIST(train=False)
        except (OSError, ValueError) as error:  # missing or unreadable files
            pytest.skip(f"MNIST test set unavailable: {error}")
        return np.asarray(test_set.data).reshape(-1, 28, 28), np.asarray(test_set.targets)
    root = Path(os.environ.get("MINIGRAD_DATA", REPO.parent / "shared" / "data")) / "mnist"
    files = root / "t10k-images-idx3-ubyte.gz", root / "t10k-labels-idx1-ubyte.gz"
    if not all(path.is_file() for path in files):
        pytest.skip(f"MNIST test files not found under {root}; set MINIGRAD_DATA")
    with gzip.open(files[0]) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(files[1]) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    return images, labels
