"""Datasets: the ``Dataset`` protocol, array-backed datasets, subsets and random splits.

A dataset is anything with ``__len__`` and ``__getitem__(i)`` returning one
sample. Array-backed datasets also implement ``get_batch(indices, rng=None)``,
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

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from minigrad.data.transforms import apply_transform
from minigrad.random import default_generator
from minigrad.tensor import Tensor

__all__ = ["ArrayDataset", "Dataset", "Subset", "TensorDataset", "random_split"]


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

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must define __len__")

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")


def _as_array(x: Any) -> np.ndarray:
    return x.data if isinstance(x, Tensor) else np.asarray(x)


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
            sample[0] = apply_transform(self.transform, self.arrays[0][i : i + 1])[0]
        return tuple(sample)

    def get_batch(
        self, indices: np.ndarray, rng: np.random.Generator | None = None
    ) -> tuple[np.ndarray, ...]:
        """Return the samples at ``indices`` as one array per field (one fancy index each).

        ``rng`` is handed to the transform (the DataLoader passes a per-batch
        generator derived from its seed).

        Example:
            >>> import numpy as np
            >>> from minigrad.data import ArrayDataset
            >>> ArrayDataset(np.arange(6) * 10).get_batch(np.array([5, 1]))
            (array([50, 10]),)
        """
        batch = [a[indices] for a in self.arrays]
        if self.transform is not None:
            batch[0] = apply_transform(self.transform, batch[0], rng)
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
        ((3,), 7)
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

    def _get_batch(
        self, indices: np.ndarray, rng: np.random.Generator | None = None
    ) -> tuple[np.ndarray, ...]:
        return self.dataset.get_batch(self.indices[indices], rng=rng)


def random_split(
    dataset: Any, lengths: Sequence[int | float], seed: int | None = None
) -> list[Subset]:
    """Split a dataset into non-overlapping random subsets of the given lengths.

    Args:
        dataset: any dataset.
        lengths: sample counts summing to ``len(dataset)``, or fractions summing
            to 1 (remainders go to the first subsets, as in PyTorch).
        seed: makes the split reproducible; by default it draws from minigrad's
            global generator (see ``minigrad.manual_seed``).

    Example:
        >>> import numpy as np
        >>> from minigrad.data import ArrayDataset, random_split
        >>> train, val = random_split(ArrayDataset(np.arange(10)), [0.8, 0.2], seed=0)
        >>> len(train), len(val), sorted([*train.indices, *val.indices]) == list(range(10))
        (8, 2, True)
    """
    n = len(dataset)
    if all(isinstance(x, float) for x in lengths) and abs(sum(lengths) - 1) < 1e-6:
        counts = [int(np.floor(n * f)) for f in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
    else:
        counts = [int(x) for x in lengths]
    if sum(counts) != n or min(counts, default=0) < 0:
        raise ValueError(
            f"random_split: lengths {list(lengths)} must sum to the dataset's {n} samples "
            "(or be fractions summing to 1)"
        )
    rng = np.random.default_rng(seed) if seed is not None else default_generator()
    order = rng.permutation(n)
    bounds = np.cumsum([0, *counts])
    return [Subset(dataset, order[a:b]) for a, b in itertools.pairwise(bounds)]
