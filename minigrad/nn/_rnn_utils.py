"""Variable-length sequences for RNNs: ``PackedSequence``, ``pad_sequence``,
``pack_padded_sequence``, ``pad_packed_sequence``, ``pack_sequence``, ``unpad_sequence``
and ``unpack_sequence``, as PyTorch's ``torch.nn.utils.rnn`` (imported from
``minigrad.nn.utils.rnn``).

A ``PackedSequence`` holds the steps of a batch of sequences sorted by length,
time-major: ``data`` stacks the ``batch_sizes[0]`` first steps, then the
``batch_sizes[1]`` second steps, and so on. Packing and unpacking are indexing
ops, so gradients flow through them.

Example:
    >>> import minigrad
    >>> from minigrad.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
    >>> padded = minigrad.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 0.0]])  # batch-first
    >>> packed = pack_padded_sequence(padded, [3, 2], batch_first=True)
    >>> packed.data, packed.batch_sizes
    (tensor([1., 4., 2., 5., 3.]), tensor([2, 2, 1]))
    >>> pad_packed_sequence(packed, batch_first=True)[0]
    tensor([[1., 2., 3.],
            [4., 5., 0.]])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from minigrad import ops
from minigrad.ops._util import as_tensor
from minigrad.tensor import Tensor

__all__ = [
    "PackedSequence", "pack_padded_sequence", "pack_sequence", "pad_packed_sequence",
    "pad_sequence", "unpack_sequence", "unpad_sequence",
]  # fmt: skip


class PackedSequence(NamedTuple):
    """The steps of sorted variable-length sequences, time-major; build it with the packers.

    Fields:
        data: ``(sum(lengths), *)``, the steps of all sequences, time-major.
        batch_sizes: int64 ``(max_length,)``: how many sequences have each step.
        sorted_indices: the batch order used inside (longest first), or ``None``.
        unsorted_indices: its inverse permutation, or ``None``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn.utils.rnn import pack_sequence
        >>> p = pack_sequence([minigrad.tensor([1.0]), minigrad.tensor([2.0, 3.0])],
        ...                   enforce_sorted=False)
        >>> p.data, p.batch_sizes, p.sorted_indices
        (tensor([2., 1., 3.]), tensor([2, 1]), tensor([1, 0]))
    """

    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None = None
    unsorted_indices: Tensor | None = None


def _lengths_array(lengths: Any) -> np.ndarray:
    arr = lengths._data if isinstance(lengths, Tensor) else np.asarray(lengths)
    if arr.ndim != 1 or arr.dtype.kind not in "iu":
        raise ValueError(f"lengths must be a 1-D sequence of integers, got {arr!r}")
    return arr.astype(np.int64)


def _packed_positions(lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For lengths sorted decreasingly: (batch_sizes, time index, batch index) of each step."""
    steps = np.arange(int(lengths[0]) if lengths.size else 0)
    batch_sizes = (lengths[None, :] > steps[:, None]).sum(1)
    present = lengths[None, :] > steps[:, None]  # (T, B), row-major = time-major order
    t_idx, b_idx = np.nonzero(present)
    return batch_sizes.astype(np.int64), t_idx, b_idx


def pack_padded_sequence(
    input: Tensor, lengths: Any, batch_first: bool = False, enforce_sorted: bool = True
) -> PackedSequence:
    """Pack a padded batch ``(T, B, *)`` (or ``(B, T, *)``) of sequences of the given lengths.

    With ``enforce_sorted`` the lengths must be decreasing; otherwise the batch
    is sorted here and the permutation kept in the result.

    Example:
        >>> import minigrad
        >>> from minigrad.nn.utils.rnn import pack_padded_sequence
        >>> x = minigrad.tensor([[1.0, 4.0], [2.0, 0.0]])  # (T=2, B=2)
        >>> pack_padded_sequence(x, [2, 1]).data
        tensor([1., 4., 2.])
    """
    x = as_tensor(input)
    lens = _lengths_array(lengths)
    if x.ndim < 2:
        raise ValueError(f"pack_padded_sequence: input must be at least 2-D, got {x.shape}")
    if batch_first:
        x = x.transpose(0, 1)
    t_max, batch = x.shape[0], x.shape[1]
    if lens.shape[0] != batch:
        raise ValueError(
            f"pack_padded_sequence: {lens.shape[0]} lengths for a batch of {batch} sequences "
            f"(input shape {as_tensor(input).shape})"
        )
    if lens.size and (lens.min() <= 0 or lens.max() > t_max):
        raise RuntimeError(
            f"pack_padded_sequence: lengths must lie in [1, {t_max}] (the padded length), "
            f"got {lens.tolist()}"
        )
    sorted_idx = unsorted_idx = None
    if enforce_sorted:
        if np.any(np.diff(lens) > 0):
            raise RuntimeError(
                f"pack_padded_sequence: lengths {lens.tolist()} are not sorted in decreasing "
                "order; sort them or pass enforce_sorted=False"
            )
    else:
        order = np.argsort(-lens, kind="stable")
        sorted_idx = Tensor._make(order.astype(np.int64))
        unsorted_idx = Tensor._make(np.argsort(order).astype(np.int64))
        x, lens = x[:, order], lens[order]
    batch_sizes, t_idx, b_idx = _packed_positions(lens)
    return PackedSequence(x[t_idx, b_idx], Tensor._make(batch_sizes), sorted_idx, unsorted_idx)


def pad_packed_sequence(
    sequence: PackedSequence,
    batch_first: bool = False,
    padding_value: float = 0.0,
    total_length: int | None = None,
) -> tuple[Tensor, Tensor]:
    """Undo :func:`pack_padded_sequence`: ``(padded (T, B, *) or (B, T, *), lengths)``.

    The batch comes back in its original order; ``total_length`` pads to that many steps.

    Example:
        >>> import minigrad
        >>> from minigrad.nn.utils.rnn import pack_sequence, pad_packed_sequence
        >>> p = pack_sequence([minigrad.tensor([1.0, 2.0]), minigrad.tensor([3.0])])
        >>> pad_packed_sequence(p, padding_value=-1.0)
        (tensor([[ 1.,  3.],
                [ 2., -1.]]), tensor([2, 1]))
    """
    data, batch_sizes = sequence.data, sequence.batch_sizes._data.astype(np.int64)
    t_max, batch = batch_sizes.shape[0], int(batch_sizes[0]) if batch_sizes.size else 0
    if total_length is not None:
        if total_length < t_max:
            raise ValueError(
                f"pad_packed_sequence: total_length={total_length} is shorter than the longest "
                f"sequence ({t_max} steps)"
            )
        t_max = total_length
    lens = (batch_sizes[None, :] > np.arange(batch)[:, None]).sum(1)
    # Row k of `data` goes to (t, b); every other cell takes a padding row appended at the end.
    _, t_idx, b_idx = _packed_positions(lens)
    where = np.full((t_max, batch), data.shape[0], dtype=np.int64)
    where[t_idx, b_idx] = np.arange(t_idx.shape[0])
    pad_row = Tensor._make(np.full((1, *data.shape[1:]), padding_value, dtype=data.dtype))
    padded = ops.cat([data, pad_row], 0)[where]
    lengths = lens
    if sequence.unsorted_indices is not None:
        order = sequence.unsorted_indices._data
        padded, lengths = padded[:, order], lens[order]
    if batch_first:
        padded = padded.transpose(0, 1)
    return padded, Tensor._make(lengths.astype(np.int64))


def pad_sequence(
    sequences: Sequence[Tensor],
    batch_first: bool = False,
    padding_value: float = 0.0,
    padding_side: str = "right",
) -> Tensor:
    """Stack tensors of shape ``(L_i, *)`` into ``(T, B, *)`` (or ``(B, T, *)``), padding.

    Example:
        >>> import minigrad
        >>> from minigrad.nn.utils.rnn import pad_sequence
        >>> pad_sequence([minigrad.tensor([1.0, 2.0]), minigrad.tensor([3.0])], batch_first=True)
        tensor([[1., 2.],
                [3., 0.]])
    """
    if padding_side not in ("right", "left"):
        raise ValueError(
            f"pad_sequence: padding_side must be 'right' or 'left', got {padding_side!r}"
        )
    seqs = [as_tensor(s) for s in sequences]
    if not seqs:
        raise RuntimeError("pad_sequence: received an empty list of sequences")
    trailing = seqs[0].shape[1:]
    for i, s in enumerate(seqs):
        if s.ndim == 0 or s.shape[1:] != trailing:
            raise RuntimeError(
                f"pad_sequence: sequence {i} has shape {s.shape} but sequence 0 has trailing "
                f"shape {trailing}; all must be (L_i, *{trailing})"
            )
    t_max = max(s.shape[0] for s in seqs)
    rows = []
    for s in seqs:  # one pad per sequence, then a single stack
        gap = t_max - s.shape[0]
        if gap:
            fill = Tensor._make(np.full((gap, *trailing), padding_value, dtype=s.dtype))
            s = ops.cat([s, fill] if padding_side == "right" else [fill, s], 0)
        rows.append(s)
    return ops.stack(rows, 0 if batch_first else 1)


def pack_sequence(sequences: Sequence[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """Pack a list of tensors ``(L_i, *)`` (``pad_sequence`` then ``pack_padded_sequence``).

    Example:
        >>> import minigrad
        >>> from minigrad.nn.utils.rnn import pack_sequence
        >>> pack_sequence([minigrad.tensor([1.0, 2.0]), minigrad.tensor([3.0])]).batch_sizes
        tensor([2, 1])
    """
    lengths = [as_tensor(s).shape[0] for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpad_sequence(
    padded_sequences: Tensor, lengths: Any, batch_first: bool = False
) -> list[Tensor]:
    """Split a padded batch back into a list of tensors of the given lengths.

    Example:
        >>> import minigrad
        >>> from minigrad.nn.utils.rnn import unpad_sequence
        >>> x = minigrad.tensor([[1.0, 2.0], [3.0, 0.0]])
        >>> unpad_sequence(x, [2, 1], batch_first=True)
        [tensor([1., 2.]), tensor([3.])]
    """
    x = as_tensor(padded_sequences)
    x = x if batch_first else x.transpose(0, 1)
    return [x[i, : int(n)] for i, n in enumerate(_lengths_array(lengths))]


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    """Split a ``PackedSequence`` back into its list of tensors (original order).

    Example:
        >>> import minigrad
        >>> from minigrad.nn.utils.rnn import pack_sequence, unpack_sequence
        >>> unpack_sequence(pack_sequence([minigrad.tensor([1.0, 2.0]), minigrad.tensor([3.0])]))
        [tensor([1., 2.]), tensor([3.])]
    """
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
