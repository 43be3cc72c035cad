"""minigrad.data: datasets, a fast DataLoader, batch transforms and verified downloads.

Example:
    >>> from minigrad.data import MNIST, DataLoader
    >>> from minigrad.data.transforms import ToFloat
    >>> loader = DataLoader(MNIST(train=False), batch_size=100, transform=ToFloat())
    >>> images, labels = next(iter(loader))
    >>> images.shape, labels[:3].tolist()
    ((100, 1, 28, 28), [7, 2, 1])
"""

from minigrad.data import transforms
from minigrad.data.dataset import ArrayDataset, Dataset, Subset, TensorDataset, random_split
from minigrad.data.datasets import CIFAR10, MNIST, DatasetFormatError, FashionMNIST, default_root
from minigrad.data.download import (
    ArchiveError,
    ChecksumError,
    DownloadError,
    MissingDataError,
    UnsafeArchiveError,
)
from minigrad.data.idx import IDXError
from minigrad.data.loader import DataLoader, default_collate
from minigrad.data.safe_pickle import UnsafePickleError

__all__ = [
    "CIFAR10",
    "MNIST",
    "ArchiveError",
    "ArrayDataset",
    "ChecksumError",
    "DataLoader",
    "Dataset",
    "DatasetFormatError",
    "DownloadError",
    "FashionMNIST",
    "IDXError",
    "MissingDataError",
    "Subset",
    "TensorDataset",
    "UnsafeArchiveError",
    "UnsafePickleError",
    "default_collate",
    "default_root",
    "random_split",
    "transforms",
]
