"""torch.utils.data's names over :mod:`minigrad.data` (the same classes, re-exported).

``from torch.utils.data import X`` becomes ``from minigrad.utils.data import X``.
minigrad's own extras (``ArrayDataset``, ``EpochSampler``, the datasets and
transforms) live in :mod:`minigrad.data`.

Example:
    >>> import minigrad
    >>> from minigrad.utils.data import DataLoader, TensorDataset, random_split
    >>> ds = TensorDataset(minigrad.arange(10.0).reshape(5, 2), minigrad.arange(5))
    >>> train, val = random_split(ds, [0.8, 0.2])
    >>> x, y = next(iter(DataLoader(train, batch_size=4, shuffle=True)))
    >>> x.shape, y.shape, len(val)
    (minigrad.Size([4, 2]), minigrad.Size([4]), 1)
"""

from minigrad.data.collate import default_collate, default_convert
from minigrad.data.dataset import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    StackDataset,
    Subset,
    TensorDataset,
    random_split,
)
from minigrad.data.loader import DataLoader
from minigrad.data.sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)
from minigrad.data.worker import WorkerInfo, get_worker_info

__all__ = [
    "BatchSampler",
    "ChainDataset",
    "ConcatDataset",
    "DataLoader",
    "Dataset",
    "IterableDataset",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "StackDataset",
    "Subset",
    "SubsetRandomSampler",
    "TensorDataset",
    "WeightedRandomSampler",
    "WorkerInfo",
    "default_collate",
    "default_convert",
    "get_worker_info",
    "random_split",
]
