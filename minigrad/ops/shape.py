"""Shape ops: reshape/view, permute, transpose, flatten, squeeze, unsqueeze, expand,
broadcast_to, indexing, cat, stack, split, chunk and constant padding.

Indexing follows NumPy (and PyTorch): ints, slices, ``None``, ``Ellipsis``,
integer arrays (repeated indices accumulate their gradients) and boolean masks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from minigrad.autograd import ArrayFunction as Function
from minigrad.autograd import Context
from minigrad.ops._util import as_tensor, normalize_dim, normalize_dims
from minigrad.tensor import Tensor


def _shape_arg(shape: Any) -> tuple[int, ...]:
    """Accept ``f(2, 3)``, ``f((2, 3))`` and ``f([2, 3])``."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    return tuple(int(s) for s in shape)


class Reshape(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, shape: tuple[int, ...]) -> Any:
        ctx.in_shape = a.shape
        return a.reshape(shape)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return grad.reshape(ctx.in_shape)


class Permute(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, dims: tuple[int, ...]) -> Any:
        return np.transpose(a, dims)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return grad.permute(*np.argsort(ctx.attrs["dims"]).tolist())


class Expand(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, shape: tuple[int, ...]) -> Any:
        return np.broadcast_to(a, shape)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return grad  # the engine sums it back down to the input's shape


def normalize_index(index: Any) -> Any:
    """Turn Tensors and lists inside an index into ndarrays.

    Example:
        >>> import minigrad
        >>> from minigrad.ops.shape import normalize_index
        >>> normalize_index((slice(None), [0, 2]))
        (slice(None, None, None), array([0, 2]))
    """
    items = index if isinstance(index, tuple) else (index,)
    out = []
    for item in items:
        if isinstance(item, Tensor):
            item = item.data
        elif isinstance(item, list):
            item = np.asarray(item)
        if isinstance(item, np.ndarray) and item.dtype.kind not in "biu":
            raise IndexError(f"tensors used as indices must be integer or bool, got {item.dtype}")
        out.append(item)
    return tuple(out) if isinstance(index, tuple) or len(out) != 1 else out[0]


def _is_advanced(index: Any) -> bool:
    items = index if isinstance(index, tuple) else (index,)
    return any(isinstance(i, np.ndarray) and i.ndim > 0 for i in items)


class GetItem(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, index: Any) -> Any:
        ctx.in_shape = a.shape
        try:
            out = a[index]
        except IndexError as e:
            raise IndexError(
                f"index {index!r} is out of range for a tensor of shape {a.shape}: {e}"
            ) from None
        return np.array(out, copy=True) if isinstance(out, np.ndarray) else np.asarray(out)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return IndexAdd.apply(grad, index=ctx.attrs["index"], shape=ctx.in_shape)


class IndexAdd(Function):
    """Scatter-add ``grad`` into zeros of ``shape`` at ``index`` (GetItem's backward)."""

    @staticmethod
    def forward(ctx: Context, g: Any, index: Any, shape: tuple[int, ...]) -> Any:
        out = np.zeros(shape, dtype=g.dtype)
        if _is_advanced(index):
            np.add.at(out, index, g)  # repeated indices accumulate
        else:
            out[index] = g
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return GetItem.apply(grad, index=ctx.attrs["index"])


class Cat(Function):
    @staticmethod
    def forward(ctx: Context, *arrays: Any, dim: int) -> Any:
        ctx.sizes = [a.shape[dim] for a in arrays]
        return np.concatenate(arrays, axis=dim)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return split(grad, ctx.sizes, ctx.attrs["dim"])


class Pad(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, widths: tuple[tuple[int, int], ...], value: float) -> Any:
        return np.pad(a, widths, mode="constant", constant_values=value)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        index = tuple(
            slice(lo, grad.shape[i] - hi) for i, (lo, hi) in enumerate(ctx.attrs["widths"])
        )
        return grad[index]


# --------------------------------------------------------------------------- functional


def reshape(input: Tensor, *shape: Any) -> Tensor:
    """The same elements in a new shape; one dimension may be -1.

    Example:
        >>> import minigrad
        >>> minigrad.arange(6).reshape(2, -1).shape
        (2, 3)
    """
    input = as_tensor(input)
    target = _resolve_shape(_shape_arg(shape), input)
    if target == input.shape:
        return input
    return Reshape.apply(input, shape=target)


def _resolve_shape(target: tuple[int, ...], input: Tensor) -> tuple[int, ...]:
    size = input.data.size
    unknown = [i for i, s in enumerate(target) if s == -1]
    known = int(np.prod([s for s in target if s != -1]))
    bad = len(unknown) > 1 or any(s < -1 for s in target)
    if not bad and unknown:
        bad = known == 0 or size % known != 0
        if not bad:
            target = (*target[: unknown[0]], size // known, *target[unknown[0] + 1 :])
    if bad or int(np.prod(target)) != size:
        raise RuntimeError(
            f"reshape: shape {target} is invalid for a tensor of shape {input.shape} "
            f"({size} elements)"
        )
    return target


view = reshape


def permute(input: Tensor, *dims: Any) -> Tensor:
    """Reorder the dimensions.

    Example:
        >>> import minigrad
        >>> minigrad.zeros(2, 3, 4).permute(2, 0, 1).shape
        (4, 2, 3)
    """
    input = as_tensor(input)
    axes = tuple(normalize_dim(d, input.ndim, "permute") for d in _shape_arg(dims))
    if sorted(axes) != list(range(input.ndim)):
        raise RuntimeError(
            f"permute: dims {dims} are not a permutation of the {input.ndim} dims of a tensor "
            f"of shape {input.shape}"
        )
    return Permute.apply(input, dims=axes)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swap two dimensions.

    Example:
        >>> import minigrad
        >>> minigrad.zeros(2, 3).transpose(0, 1).shape
        (3, 2)
    """
    input = as_tensor(input)
    dims = list(range(input.ndim))
    a, b = (
        normalize_dim(dim0, input.ndim, "transpose"),
        normalize_dim(dim1, input.ndim, "transpose"),
    )
    if input.ndim == 0:
        return input
    dims[a], dims[b] = dims[b], dims[a]
    return permute(input, *dims)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dimensions ``start_dim`` through ``end_dim`` into one.

    Example:
        >>> import minigrad
        >>> minigrad.zeros(2, 3, 4).flatten(1).shape
        (2, 12)
    """
    input = as_tensor(input)
    if input.ndim == 0:
        return input.reshape(1)
    s = normalize_dim(start_dim, input.ndim, "flatten")
    e = normalize_dim(end_dim, input.ndim, "flatten")
    if s > e:
        raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
    shape = (*input.shape[:s], -1, *input.shape[e + 1 :])
    if 0 in input.shape:
        shape = (*input.shape[:s], int(np.prod(input.shape[s : e + 1])), *input.shape[e + 1 :])
    return reshape(input, shape)


def squeeze(input: Tensor, dim: Any = None) -> Tensor:
    """Remove dimensions of size 1 (all, or those in ``dim`` that are 1).

    Example:
        >>> import minigrad
        >>> minigrad.zeros(1, 3, 1).squeeze().shape
        (3,)
    """
    input = as_tensor(input)
    axes = normalize_dims(dim, input.ndim, "squeeze")
    shape = tuple(s for i, s in enumerate(input.shape) if not (i in axes and s == 1))
    return reshape(input, shape)


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """Insert a dimension of size 1 at ``dim`` (``-1`` appends).

    Example:
        >>> import minigrad
        >>> minigrad.zeros(3).unsqueeze(0).shape
        (1, 3)
    """
    input = as_tensor(input)
    axis = normalize_dim(dim, input.ndim + 1, "unsqueeze")
    shape = (*input.shape[:axis], 1, *input.shape[axis:])
    return reshape(input, shape)


def expand(input: Tensor, *sizes: Any) -> Tensor:
    """Broadcast to a larger shape; ``-1`` keeps a dimension's size.

    Example:
        >>> import minigrad
        >>> minigrad.zeros(3, 1).expand(2, -1, 4).shape
        (2, 3, 4)
    """
    input = as_tensor(input)
    target = list(_shape_arg(sizes))
    lead = len(target) - input.ndim
    if lead < 0:
        raise RuntimeError(
            f"expand: cannot expand a tensor of shape {input.shape} to {tuple(target)}"
        )
    for i, s in enumerate(input.shape):
        if target[lead + i] == -1:
            target[lead + i] = s
    return broadcast_to(input, tuple(target))


def broadcast_to(input: Tensor, shape: Sequence[int]) -> Tensor:
    """Broadcast to ``shape`` (NumPy/PyTorch broadcasting rules).

    Example:
        >>> import minigrad
        >>> minigrad.broadcast_to(minigrad.tensor([1.0, 2.0]), (2, 2))
        tensor([[1., 2.],
                [1., 2.]])
    """
    input = as_tensor(input)
    shape = tuple(int(s) for s in shape)
    if shape == input.shape:
        return input
    try:
        np.broadcast_shapes(input.shape, shape)
        if len(shape) < input.ndim or np.broadcast_shapes(input.shape, shape) != shape:
            raise ValueError
    except ValueError:
        raise RuntimeError(
            f"broadcast_to: a tensor of shape {input.shape} cannot be broadcast to {shape}"
        ) from None
    return Expand.apply(input, shape=shape)


def getitem(input: Tensor, index: Any) -> Tensor:
    """``input[index]`` with NumPy's indexing rules; the result is a copy.

    Example:
        >>> import minigrad
        >>> x = minigrad.arange(6.0).reshape(2, 3)
        >>> x[:, [0, 0, 2]]
        tensor([[0., 0., 2.],
                [3., 3., 5.]])
    """
    return GetItem.apply(as_tensor(input), index=normalize_index(index))


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Concatenate along an existing dimension.

    Example:
        >>> import minigrad
        >>> minigrad.cat([minigrad.zeros(2, 1), minigrad.ones(2, 2)], dim=1).shape
        (2, 3)
    """
    tensors = [as_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("cat: expected a non-empty sequence of tensors")
    ref = tensors[0]
    axis = normalize_dim(dim, ref.ndim, "cat")
    for i, t in enumerate(tensors):
        if t.ndim != ref.ndim or any(
            a != b for j, (a, b) in enumerate(zip(t.shape, ref.shape)) if j != axis
        ):
            raise RuntimeError(
                f"cat: tensor {i} has shape {t.shape} but tensor 0 has shape {ref.shape}; "
                f"they must match except in dim {dim}"
            )
    return Cat.apply(*tensors, dim=axis)


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Stack equal-shaped tensors along a new dimension.

    Example:
        >>> import minigrad
        >>> minigrad.stack([minigrad.zeros(3), minigrad.ones(3)]).shape
        (2, 3)
    """
    tensors = [as_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("stack: expected a non-empty sequence of tensors")
    for i, t in enumerate(tensors):
        if t.shape != tensors[0].shape:
            raise RuntimeError(
                f"stack: tensor {i} has shape {t.shape} but tensor 0 has shape {tensors[0].shape}"
            )
    axis = normalize_dim(dim, tensors[0].ndim + 1, "stack")
    return cat([t.unsqueeze(axis) for t in tensors], dim=axis)


def split(input: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Split into pieces of ``split_size`` (the last may be smaller) or of listed sizes.

    Example:
        >>> import minigrad
        >>> [t.shape for t in minigrad.arange(5).split(2)]
        [(2,), (2,), (1,)]
    """
    input = as_tensor(input)
    axis = normalize_dim(dim, input.ndim, "split")
    n = input.shape[axis]
    if isinstance(split_size_or_sections, (int, np.integer)):
        step = int(split_size_or_sections)
        if step <= 0:
            raise ValueError(f"split: split_size must be positive, got {step}")
        sizes = [min(step, n - start) for start in range(0, n, step)] or [0]
    else:
        sizes = [int(s) for s in split_size_or_sections]
        if sum(sizes) != n:
            raise RuntimeError(
                f"split: sizes {sizes} add up to {sum(sizes)}, but dim {dim} has size {n}"
            )
    pieces, start = [], 0
    for size in sizes:
        index = (slice(None),) * axis + (slice(start, start + size),)
        pieces.append(input[index])
        start += size
    return tuple(pieces)


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """Split into ``chunks`` pieces of ``ceil(n / chunks)`` (PyTorch's rule; maybe fewer).

    Example:
        >>> import minigrad
        >>> [t.shape for t in minigrad.arange(6).chunk(4)]
        [(2,), (2,), (2,)]
    """
    input = as_tensor(input)
    if chunks <= 0:
        raise ValueError(f"chunk: chunks must be positive, got {chunks}")
    n = input.shape[normalize_dim(dim, input.ndim, "chunk")]
    return split(input, max(1, -(-n // chunks)), dim)


def pad(input: Tensor, pad: Sequence[int], mode: str = "constant", value: float = 0.0) -> Tensor:
    """Pad with a constant; ``pad`` lists (left, right) pairs from the last dim backwards.

    Example:
        >>> import minigrad
        >>> minigrad.pad(minigrad.ones(1, 2), (1, 2)).shape
        (1, 5)
    """
    input = as_tensor(input)
    if mode != "constant":
        raise NotImplementedError(f"pad: only mode='constant' is supported, got {mode!r}")
    pad = [int(p) for p in pad]
    if len(pad) % 2 or len(pad) // 2 > input.ndim:
        raise ValueError(
            f"pad: {len(pad)} pad values do not form (left, right) pairs for a tensor of "
            f"shape {input.shape}"
        )
    if any(p < 0 for p in pad):
        raise ValueError(f"pad: negative padding {pad} is not supported")
    widths = [(0, 0)] * input.ndim
    for i in range(len(pad) // 2):
        widths[input.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    return Pad.apply(input, widths=tuple(widths), value=value)
