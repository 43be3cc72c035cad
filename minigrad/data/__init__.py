"""minigrad.data: datasets, a fast DataLoader, batch transforms and verified downloads.

Example:
    >>> from minigrad.data import MNIST, DataLoader
    >>> from minigrad.data.transforms import ToFloat
    >>> loader = DataLoader(MNIST(train=False), batch_size=100, transform=ToFloat())
    >>> images, labels = next(iter(loader))
    >>> images.shape, labels[:3].tolist()
    (minigrad.Size([100, 1, 28, 28]), [7, 2, 1])
"""

from minigrad.data import transforms
from minigrad.data.collate import default_collate, default_convert
from minigrad.data.dataset import (
    ArrayDataset,
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    StackDataset,
    Subset,
    TensorDataset,
    random_split,
)
from minigrad.data.datasets import CIFAR10, MNIST, DatasetFormatError, FashionMNIST, default_root
from minigrad.data.download import (
    ArchiveError,
    ChecksumError,
    DownloadError,
    MissingDataError,
    UnsafeArchiveError,
)
from minigrad.data.generator import Generator
from minigrad.data.idx import IDXError
from minigrad.data.loader import DataLoader
from minigrad.data.safe_pickle import UnsafePickleError
from minigrad.data.sampler import (
    BatchSampler,
    EpochSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)
from minigrad.data.worker import WorkerInfo, get_worker_info

__all__ = [
    "CIFAR10",
    "MNIST",
    "ArchiveError",
    "ArrayDataset",
    "BatchSampler",
    "ChainDataset",
    "ChecksumError",
    "ConcatDataset",
    "DataLoader",
    "Dataset",
    "DatasetFormatError",
    "DownloadError",
    "EpochSampler",
    "FashionMNIST",
    "Generator",
    "IDXError",
    "IterableDataset",
    "MissingDataError",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "StackDataset",
    "Subset",
    "SubsetRandomSampler",
    "TensorDataset",
    "UnsafeArchiveError",
    "UnsafePickleError",
    "WeightedRandomSampler",
    "WorkerInfo",
    "default_collate",
    "default_convert",
    "default_root",
    "get_worker_info",
    "random_split",
    "transforms",
]
