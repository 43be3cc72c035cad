"""Turning a batch's indices into a batch: the work a DataLoader (or each of its workers) does.

Example:
    >>> import numpy as np
    >>> from minigrad.data import ArrayDataset, DataLoader
    >>> fetcher = DataLoader(ArrayDataset(np.arange(5) * 10), batch_size=2)._fetcher()
    >>> fetcher.fetch([4, 1], epoch=0, number=0)
    [tensor([40, 10])]
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from minigrad.data.transforms import apply_transform
from minigrad.tensor import Tensor

__all__ = ["Fetcher", "to_tensors"]

_AUGMENT = 1  # the random stream tag of augmentation (0 is the shuffle order's)


def to_tensors(batch: Any) -> Any:
    """NumPy arrays in a (tuple/list/dict) batch become Tensors; tuples become lists, as torch's.

    Example:
        >>> import numpy as np
        >>> from minigrad.data.fetch import to_tensors
        >>> to_tensors((np.zeros(2), {"y": np.ones(1)}))
        [tensor([0., 0.], dtype=minigrad.float64), {'y': tensor([1.], dtype=minigrad.float64)}]
    """
    if isinstance(batch, np.ndarray):
        return Tensor._make(batch)
    if isinstance(batch, (tuple, list)):
        return [to_tensors(b) for b in batch]
    if isinstance(batch, dict):
        return {k: to_tensors(v) for k, v in batch.items()}
    return batch


def _transform_inputs(transform: Callable[..., Any], batch: Any, rng: Any) -> Any:
    """Apply the loader's batch ``transform`` to the inputs: the first field, or the whole batch."""

    def run(x: Any) -> Any:
        out = apply_transform(transform, x._data if isinstance(x, Tensor) else x, rng)
        return Tensor._make(out) if isinstance(out, np.ndarray) else out

    if isinstance(batch, (tuple, list)) and batch:
        return [run(batch[0]), *batch[1:]]
    if isinstance(batch, (np.ndarray, Tensor)):
        return run(batch)
    raise TypeError(
        "DataLoader: transform applies to array or tuple batches, got "
        f"{type(batch).__name__}; transform inside the dataset instead"
    )


@dataclass
class Fetcher:
    """Everything needed to build a batch, picklable so that worker processes can hold a copy.

    Example:
        >>> import numpy as np
        >>> from minigrad.data import ArrayDataset, DataLoader
        >>> DataLoader(ArrayDataset(np.arange(5)), batch_size=2)._fetcher().fetch([3], 0, 0)
        [tensor([3])]

    Attributes:
        dataset: the dataset.
        iterable: whether it is an IterableDataset (batches come from a stream).
        auto_collation: whether samples are batched (``batch_size`` or ``batch_sampler`` set).
        collate_fn: builds a batch from a list of samples (or converts one sample).
        batch_size, drop_last: for batching a stream.
        fast: use ``dataset.get_batch(indices, rng)`` (one fancy index per array).
        transform: minigrad's loader-level batch transform (or None).
        seed, rank: the per-batch augmentation generator is a function of
            ``(seed, epoch, rank, batch number)``; ``seed`` is None if nothing is random.
    """

    dataset: Any
    iterable: bool
    auto_collation: bool
    collate_fn: Callable[[Any], Any]
    batch_size: int | None
    drop_last: bool
    fast: bool
    transform: Callable[..., Any] | None
    seed: int | None
    rank: int

    def _rng(self, epoch: int, number: int) -> np.random.Generator | None:
        if self.seed is None:
            return None
        return np.random.default_rng([self.seed, epoch, _AUGMENT, self.rank, number])

    def _finish(self, batch: Any, rng: Any) -> Any:
        return batch if self.transform is None else _transform_inputs(self.transform, batch, rng)

    def fetch(self, indices: Any, epoch: int, number: int) -> Any:
        """Batch ``number`` of ``epoch``: the samples at ``indices`` (one index if unbatched)."""
        rng = self._rng(epoch, number)
        if self.fast:
            index = np.asarray(indices, dtype=np.int64).reshape(-1)
            return self._finish(to_tensors(self.dataset.get_batch(index, rng=rng)), rng)
        if not self.auto_collation:
            return self._finish(self.collate_fn(self.dataset[indices]), rng)
        many = getattr(self.dataset, "__getitems__", None)
        samples = many(list(indices)) if callable(many) else [self.dataset[i] for i in indices]
        return self._finish(self.collate_fn(samples), rng)

    def next_from(self, stream: Iterator[Any], epoch: int = 0, number: int = 0) -> Any:
        """The next batch (or sample) of a ``stream``; StopIteration at its end."""
        rng = self._rng(epoch, number)
        if not self.auto_collation:
            return self._finish(self.collate_fn(next(stream)), rng)
        size = self.batch_size or 1
        samples: Sequence[Any] = list(itertools.islice(stream, size))
        if not samples or (self.drop_last and len(samples) < size):
            raise StopIteration
        return self._finish(self.collate_fn(samples), rng)
