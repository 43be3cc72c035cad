"""Datasets as torch's: map-style and iterable datasets, array-backed ones, subsets, splits.

A map-style dataset is anything with ``__len__`` and ``__getitem__(i)``
returning one sample; an :class:`IterableDataset` yields its samples from
``__iter__``. Array-backed datasets also implement ``get_batch(indices, rng=None)``,
which returns a whole batch with one fancy-indexing operation per array: the
:class:`~minigrad.data.DataLoader` uses it instead of fetching samples one by
one. Implement ``get_batch`` in your own dataset to get the same fast path.

Example:
    >>> import numpy as np
    >>> from minigrad.data import ArrayDataset
    >>> ds = ArrayDataset(np.arange(10).reshape(5, 2), np.array([0, 1, 0, 1, 1]))
    >>> len(ds), ds[1]
    (5, (array([2, 3]), np.int64(1)))
    >>> xs, ys = ds.get_batch(np.array([4, 0]))
    >>> xs.tolist(), ys.tolist()
    ([[8, 9], [0, 1]], [1, 0])
"""

from __future__ import annotations

import bisect
import itertools
import math
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from minigrad.data.collate import default_collate
from minigrad.data.generator import as_numpy_generator
from minigrad.data.transforms import apply_transform, is_batched
from minigrad.tensor import Tensor

__all__ = [
    "ArrayDataset",
    "ChainDataset",
    "ConcatDataset",
    "Dataset",
    "IterableDataset",
    "StackDataset",
    "Subset",
    "TensorDataset",
    "random_split",
]


class Dataset:
    """Base class for datasets: subclass it and define ``__len__`` and ``__getitem__``.

    ``__getitem__(i)`` returns one sample: usually a tuple ``(input, target)`` of
    arrays or numbers, which the DataLoader stacks into batches.

    Example:
        >>> import numpy as np
        >>> from minigrad.data import Dataset, DataLoader
        >>> class Squares(Dataset):
        ...     def __len__(self):
        ...         return 4
        ...     def __getitem__(self, i):
        ...         return np.float32(i), i * i
        >>> [y.tolist() for _, y in DataLoader(Squares(), batch_size=2)]
        [[0, 1], [4, 9]]
    """

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")

    def __add__(self, other: Dataset) -> ConcatDataset:
        return ConcatDataset([self, other])


class IterableDataset(Dataset):
    """Base class for datasets that yield samples from ``__iter__`` (streams, generators).

    With ``num_workers > 0`` every worker iterates its own copy: shard the
    stream in ``__iter__`` with :func:`~minigrad.data.get_worker_info`, or each
    sample arrives once per worker.

    Example:
        >>> from minigrad.data import DataLoader, IterableDataset
        >>> class Count(IterableDataset):
        ...     def __iter__(self):
        ...         return iter(range(5))
        >>> [b.tolist() for b in DataLoader(Count(), batch_size=2)]
        [[0, 1], [2, 3], [4]]
    """

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")

    def __add__(self, other: Dataset) -> ChainDataset:  # type: ignore[override]
        return ChainDataset([self, other])


def _as_array(x: Any) -> np.ndarray:
    return x._data if isinstance(x, Tensor) else np.asarray(x)


def _index(index: Any, length: int) -> int:
    if not isinstance(index, (int, np.integer)) or isinstance(index, bool):
        raise TypeError(f"dataset index must be an integer, got {type(index).__name__}")
    i = int(index)
    if not -length <= i < length:
        raise IndexError(f"dataset index {i} out of range for {length} samples")
    return i % length


class ArrayDataset(Dataset):
    """A dataset of equally long arrays, indexed along their first axis.

    Args:
        *arrays: ndarrays (or Tensors, used without copying), all with the same length.
        transform: applied to the first array's samples (the inputs): to a whole
            batch in ``get_batch`` and to a one-sample batch in ``__getitem__``.
            See :mod:`minigrad.data.transforms`.

    Attributes:
        arrays: the tuple of arrays.

    Example:
        >>> import numpy as np
        >>> from minigrad.data import ArrayDataset
        >>> from minigrad.data.transforms import ToFloat
        >>> images = np.full((3, 1, 2, 2), 255, np.uint8)
        >>> ds = ArrayDataset(images, np.arange(3), transform=ToFloat())
        >>> x, y = ds[2]
        >>> x.dtype, x.max(), y
        (dtype('float32'), np.float32(1.0), np.int64(2))
    """

    def __init__(self, *arrays: Any, transform: Callable[..., Any] | None = None) -> None:
        if not arrays:
            raise ValueError(f"{type(self).__name__}: need at least one array")
        self.arrays: tuple[np.ndarray, ...] = tuple(_as_array(a) for a in arrays)
        lengths = [len(a) if a.ndim else None for a in self.arrays]
        if None in lengths or len(set(lengths)) != 1:
            shapes = ", ".join(str(a.shape) for a in self.arrays)
            raise ValueError(
                f"{type(self).__name__}: arrays must share their first dimension, "
                f"got shapes {shapes}"
            )
        self.transform = transform

    def __len__(self) -> int:
        return len(self.arrays[0])

    def __getitem__(self, index: int) -> tuple[Any, ...]:
        i = _index(index, len(self))
        sample = [a[i] for a in self.arrays]
        if self.transform is not None:
            if is_batched(self.transform):  # a one-image batch: the same code path as get_batch
                sample[0] = apply_transform(self.transform, self.arrays[0][i : i + 1])[0]
            else:
                sample[0] = apply_transform(self.transform, sample[0])
        return tuple(sample)

    def get_batch(
        self, indices: np.ndarray, rng: np.random.Generator | None = None
    ) -> tuple[np.ndarray, ...]:
        """Return the samples at ``indices`` as one array per field (one fancy index each).

        ``rng`` is handed to the transform (the DataLoader passes a per-batch
        generator derived from its seed). A batch-capable transform (every
        :class:`~minigrad.data.transforms.Transform`) runs once on the whole
        batch; a per-sample one (``Lambda``, a plain function) runs on each
        sample and the results are collated. A ``ToTensor`` makes the first field a Tensor.

        Example:
            >>> import numpy as np
            >>> from minigrad.data import ArrayDataset
            >>> ArrayDataset(np.arange(6) * 10).get_batch(np.array([5, 1]))
            (array([50, 10]),)
        """
        batch: list[Any] = [a[indices] for a in self.arrays]
        if self.transform is None:
            pass
        elif is_batched(self.transform):
            batch[0] = apply_transform(self.transform, batch[0], rng)
        elif len(batch[0]):
            batch[0] = default_collate([apply_transform(self.transform, x, rng) for x in batch[0]])
        return tuple(batch)

    def __repr__(self) -> str:
        shapes = ", ".join(f"{a.dtype}{list(a.shape)}" for a in self.arrays)
        return f"{type(self).__name__}({shapes})"


class TensorDataset(ArrayDataset):
    """A dataset wrapping Tensors (PyTorch's name); samples are tuples of Tensors.

    The DataLoader batches it with one fancy index per tensor, like ArrayDataset.

    Example:
        >>> import minigrad
        >>> from minigrad.data import TensorDataset
        >>> ds = TensorDataset(minigrad.randn(8, 3), minigrad.arange(8))
        >>> x, y = ds[7]
        >>> x.shape, y.item()
        (minigrad.Size([3]), 7)
    """

    def __init__(self, *tensors: Any, transform: Callable[..., Any] | None = None) -> None:
        super().__init__(*tensors, transform=transform)
        self.tensors: tuple[Tensor, ...] = tuple(Tensor._make(a) for a in self.arrays)

    def __getitem__(self, index: int) -> tuple[Any, ...]:
        return tuple(Tensor._make(np.asarray(x)) for x in super().__getitem__(index))


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order (keeps the fast batch path).

    Example:
        >>> import numpy as np
        >>> from minigrad.data import ArrayDataset, Subset
        >>> sub = Subset(ArrayDataset(np.arange(10)), [9, 3])
        >>> len(sub), sub[0], sub.get_batch(np.array([1, 0]))
        (2, (np.int64(9),), (array([3, 9]),))
    """

    def __init__(self, dataset: Any, indices: Sequence[int] | np.ndarray) -> None:
        self.dataset = dataset
        self.indices = np.asarray(indices, dtype=np.int64).reshape(-1)
        n = len(dataset)
        if self.indices.size and (self.indices.min() < -n or self.indices.max() >= n):
            raise IndexError(f"Subset: indices out of range for a dataset of {n} samples")
        if callable(getattr(dataset, "get_batch", None)):  # keep the one-fancy-index path
            self.get_batch: Callable[..., tuple[np.ndarray, ...]] = self._get_batch

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, index: int) -> Any:
        return self.dataset[int(self.indices[_index(index, len(self))])]

    def __getitems__(self, indices: Sequence[int]) -> list[Any]:
        """The samples at ``indices`` (through the dataset's own ``__getitems__`` if it has one)."""
        picked = [int(self.indices[_index(i, len(self))]) for i in indices]
        if callable(getattr(self.dataset, "__getitems__", None)):
            return list(self.dataset.__getitems__(picked))
        return [self.dataset[i] for i in picked]

    def _get_batch(
        self, indices: np.ndarray, rng: np.random.Generator | None = None
    ) -> tuple[np.ndarray, ...]:
        return self.dataset.get_batch(self.indices[indices], rng=rng)


class ConcatDataset(Dataset):
    """Several map-style datasets one after the other (``ds1 + ds2`` builds one).

    Example:
        >>> import numpy as np
        >>> from minigrad.data import ArrayDataset, ConcatDataset
        >>> both = ConcatDataset([ArrayDataset(np.arange(3)), ArrayDataset(np.arange(10, 12))])
        >>> len(both), both[3], both.cumulative_sizes
        (5, (np.int64(10),), [3, 5])
    """

    def __init__(self, datasets: Iterable[Any]) -> None:
        self.datasets: list[Any] = list(datasets)
        if not self.datasets:
            raise AssertionError("datasets should not be an empty iterable")
        for d in self.datasets:
            if isinstance(d, IterableDataset):
                raise AssertionError("ConcatDataset does not support IterableDataset")
        self.cumulative_sizes: list[int] = np.cumsum([len(d) for d in self.datasets]).tolist()

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, index: int) -> Any:
        n = len(self)
        if index < 0:
            if -index > n:
                raise ValueError("absolute value of index should not exceed dataset length")
            index += n
        if index >= n:
            raise IndexError(f"ConcatDataset: index {index} out of range for {n} samples")
        which = bisect.bisect_right(self.cumulative_sizes, index)
        start = self.cumulative_sizes[which - 1] if which else 0
        return self.datasets[which][index - start]


class ChainDataset(IterableDataset):
    """Several iterable datasets chained into one stream (``it1 + it2`` builds one).

    Example:
        >>> from minigrad.data import ChainDataset, IterableDataset
        >>> class Upto(IterableDataset):
        ...     def __init__(self, n):
        ...         self.n = n
        ...     def __iter__(self):
        ...         return iter(range(self.n))
        >>> list(ChainDataset([Upto(2), Upto(3)]))
        [0, 1, 0, 1, 2]
    """

    def __init__(self, datasets: Iterable[Any]) -> None:
        self.datasets: list[Any] = list(datasets)

    def __iter__(self) -> Iterator[Any]:
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise AssertionError("ChainDataset only supports IterableDataset")
            yield from d

    def __len__(self) -> int:
        return sum(len(d) for d in self.datasets)


class StackDataset(Dataset):
    """Equally long datasets side by side: sample ``i`` is the tuple (or dict) of their samples.

    Example:
        >>> import numpy as np
        >>> from minigrad.data import ArrayDataset, StackDataset
        >>> ds = StackDataset(image=ArrayDataset(np.arange(3)), text=["a", "b", "c"])
        >>> ds[1]
        {'image': (np.int64(1),), 'text': 'b'}
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args and kwargs:
            raise ValueError(
                "Supported either ``tuple``- (via ``args``) or``dict``- (via ``kwargs``) like "
                "input/output, but both types are given."
            )
        self.datasets: tuple[Any, ...] | dict[str, Any] = args if args else kwargs
        parts: list[Any] = list(args) if args else list(kwargs.values())
        if not parts:
            raise ValueError("StackDataset: at least one dataset should be passed")
        lengths = {len(d) for d in parts}
        if len(lengths) != 1:
            raise ValueError(f"Size mismatch between datasets (lengths {[len(d) for d in parts]})")
        self._length = lengths.pop()

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: int) -> Any:
        if isinstance(self.datasets, dict):
            return {k: d[index] for k, d in self.datasets.items()}
        return tuple(d[index] for d in self.datasets)


def _split_counts(lengths: Sequence[int | float], n: int) -> list[int]:
    """Sample counts for ``random_split``: counts as given, or fractions of ``n`` (torch's rule)."""
    total = sum(lengths)
    if math.isclose(total, 1) and total <= 1:
        counts = [math.floor(n * f) for f in lengths]
        for i in range(n - sum(counts)):  # the remainder goes round-robin to the first subsets
            counts[i % len(counts)] += 1
        for i, c in enumerate(counts):
            if c == 0:
                warnings.warn(
                    f"Length of split at index {i} is 0. This might result in an empty dataset.",
                    stacklevel=3,
                )
        return counts
    if total != n or any(not float(x).is_integer() or x < 0 for x in lengths):
        raise ValueError(
            "Sum of input lengths does not equal the length of the input dataset! "
            f"(lengths {list(lengths)}: expected non-negative counts summing to the dataset's "
            f"{n} samples, or fractions summing to 1)"
        )
    return [int(x) for x in lengths]


def random_split(
    dataset: Any,
    lengths: Sequence[int | float],
    generator: Any = None,
    *,
    seed: int | None = None,
) -> list[Subset]:
    """Split a dataset into non-overlapping random subsets of the given lengths.

    Args:
        dataset: any map-style dataset.
        lengths: sample counts summing to ``len(dataset)``, or fractions summing
            to 1 (each gets ``floor(n * fraction)``, the remainder goes one by one
            to the first subsets, as in torch).
        generator: where the permutation comes from (a ``Generator`` or a
            ``numpy.random.Generator``); by default minigrad's global generator
            (see ``minigrad.manual_seed``).
        seed: minigrad's shortcut for ``generator=Generator().manual_seed(seed)``.

    Example:
        >>> import numpy as np
        >>> from minigrad.data import ArrayDataset, random_split
        >>> from minigrad.data.generator import Generator
        >>> train, val = random_split(ArrayDataset(np.arange(10)), [0.8, 0.2],
        ...                           generator=Generator().manual_seed(0))
        >>> len(train), len(val), sorted([*train.indices, *val.indices]) == list(range(10))
        (8, 2, True)
    """
    if seed is not None and generator is not None:
        raise ValueError("random_split: pass either generator= or seed=, not both")
    counts = _split_counts(lengths, len(dataset))
    if seed is not None:
        rng = np.random.default_rng(seed)
    else:
        rng = as_numpy_generator(generator, "random_split")
    order = rng.permutation(sum(counts))
    bounds = np.cumsum([0, *counts])
    return [Subset(dataset, order[a:b]) for a, b in itertools.pairwise(bounds)]
