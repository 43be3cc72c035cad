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
from minigrad.ops._registry import op
from minigrad.ops._util import as_tensor, normalize_dim, normalize_dims
from minigrad.tensor import Tensor


def _shape_arg(shape: Any) -> tuple[int, ...]:
    """Accept ``f(2, 3)``, ``f((2, 3))`` and ``f([2, 3])``."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    return tuple(int(s) for s in shape)


class Reshape(Function):
    is_view = True

    @staticmethod
    def forward(ctx: Context, a: Any, shape: tuple[int, ...]) -> Any:
        ctx.in_shape = a.shape
        return a.reshape(shape)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return grad.reshape(ctx.in_shape)


class Permute(Function):
    is_view = True

    @staticmethod
    def forward(ctx: Context, a: Any, dims: tuple[int, ...]) -> Any:
        return np.transpose(a, dims)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return grad.permute(*np.argsort(ctx.attrs["dims"]).tolist())


class Expand(Function):
    is_view = True

    @staticmethod
    def forward(ctx: Context, a: Any, shape: tuple[int, ...]) -> Any:
        return np.broadcast_to(a, shape)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return grad  # the engine sums it back down to the input's shape


def normalize_index(index: Any, ndim: int | None = None) -> Any:
    """Turn Tensors and lists inside an index into ndarrays, as a tuple.

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
            item = item._data
        elif isinstance(item, list):
            item = np.asarray(item)
            if item.size == 0:
                item = item.astype(np.int64)
        if isinstance(item, np.ndarray):
            if item.dtype.kind not in "biu":
                raise IndexError(
                    f"tensors used as indices must be long, int, byte or bool tensors, "
                    f"got {item.dtype}"
                )
            if item.ndim == 0 and item.dtype.kind in "iu":
                item = int(item)  # a 0-d integer index selects, as an int does (PyTorch)
        elif isinstance(item, float):
            raise IndexError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or byte tensors "
                f"are valid indices (got {item!r})"
            )
        out.append(item)
    return tuple(out)


def _is_array(item: Any) -> bool:
    return isinstance(item, np.ndarray) and item.ndim > 0


def split_index(
    index: tuple[Any, ...], ndim: int
) -> tuple[tuple[Any, ...], tuple[Any, ...] | None]:
    """PyTorch's indexing as two NumPy steps: ``a[basic][advanced]``.

    PyTorch applies integer indices first (they select, removing a dimension) and
    only then the index tensors; NumPy counts integers as index arrays, which
    moves dimensions to the front when ints and arrays are separated by a slice
    (``x[1, :, idx]``). The first step (ints, slices, ``None``, ``...``) is a view;
    the second (``None`` when there are no index arrays) holds the arrays at their
    dimensions, with full slices elsewhere.

    Example:
        >>> import numpy as np
        >>> from minigrad.ops.shape import split_index
        >>> basic, adv = split_index((1, slice(None), np.array([0, 1])), 3)
        >>> basic
        (1, slice(None, None, None), slice(None, None, None))
        >>> adv
        (slice(None, None, None), array([0, 1]))
    """
    if not any(_is_array(i) for i in index):
        return index, None
    used = sum(
        i.ndim if _is_array(i) and i.dtype == np.bool_ else 0 if i is None or i is Ellipsis else 1
        for i in index
    )
    basic: list[Any] = []
    adv: list[Any] = []
    for item in index:
        if item is Ellipsis:
            fill = [slice(None)] * (ndim - used)
            basic.extend(fill)
            adv.extend(fill)
        elif item is None:
            basic.append(None)
            adv.append(slice(None))
        elif _is_array(item):
            basic.extend([slice(None)] * (item.ndim if item.dtype == np.bool_ else 1))
            adv.append(item)
        elif isinstance(item, slice):
            basic.append(item)
            adv.append(slice(None))
        else:
            basic.append(item)  # an int: removes the dimension
    return tuple(basic), tuple(adv)


def _basic(a: np.ndarray, basic: tuple[Any, ...]) -> np.ndarray:
    """``a[basic]`` as a view, also when every index is an int (a 0-d view, not a scalar)."""
    return a[basic] if Ellipsis in basic else a[basic + (Ellipsis,)]  # noqa: RUF005


def _index_error(index: Any, shape: tuple[int, ...], e: Exception) -> IndexError:
    return IndexError(f"index {index!r} is out of range for a tensor of shape {shape}: {e}")


def _take(a: np.ndarray, index: tuple[Any, ...]) -> np.ndarray:
    """``a[index]`` with PyTorch's rules; a view when the index is basic."""
    basic, adv = split_index(index, a.ndim)
    try:
        out = _basic(a, basic)
        return out if adv is None else out[adv]
    except (IndexError, ValueError) as e:
        raise _index_error(index, a.shape, e) from None


def assign(a: np.ndarray, index: tuple[Any, ...], value: Any) -> None:
    """``a[index] = value`` with PyTorch's dimension order (``value`` broadcasts)."""
    basic, adv = split_index(index, a.ndim)
    try:
        target = _basic(a, basic)
        if adv is None:
            target[...] = value
        else:
            target[adv] = value
    except (IndexError, ValueError) as e:
        raise _index_error(index, a.shape, e) from None


class Select(Function):
    """Basic indexing (ints, slices, None, ...): the result is a view of the input."""

    is_view = True

    @staticmethod
    def forward(ctx: Context, a: Any, index: Any) -> Any:
        ctx.in_shape = a.shape
        return _take(a, index)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return IndexAdd.apply(grad, index=ctx.attrs["index"], shape=ctx.in_shape)


class Gather(Function):
    """Advanced indexing (index arrays or masks): the result is a copy."""

    @staticmethod
    def forward(ctx: Context, a: Any, index: Any) -> Any:
        ctx.in_shape = a.shape
        return _take(a, index)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return IndexAdd.apply(grad, index=ctx.attrs["index"], shape=ctx.in_shape)


class IndexAdd(Function):
    """Scatter-add ``grad`` into zeros of ``shape`` at ``index`` (indexing's backward)."""

    @staticmethod
    def forward(ctx: Context, g: Any, index: Any, shape: tuple[int, ...]) -> Any:
        out = np.zeros(shape, dtype=g.dtype)
        basic, adv = split_index(index, len(shape))
        target = _basic(out, basic)
        if adv is None:
            target[...] = g
        else:
            np.add.at(target, adv, g)  # repeated indices accumulate
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return getitem(grad, ctx.attrs["index"])


class IndexPut(Function):
    """``input`` with ``input[index] = value`` (``x[i] = v`` while autograd records)."""

    @staticmethod
    def forward(ctx: Context, a: Any, value: Any, index: Any) -> Any:
        ctx.value_shape = np.shape(value)
        out = a.copy()
        assign(out, index, np.asarray(value).astype(a.dtype, copy=False))
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        index = ctx.attrs["index"]
        ga = IndexPut.apply(grad, np.zeros((), grad.dtype), index=index)
        gv = getitem(grad, index) if ctx.needs_input_grad[1] else None
        return ga, gv


def _index_put(input: Tensor, index: Any, value: Any) -> Tensor:
    return IndexPut.apply(input, value, index=normalize_index(index))


class Overwrite(Function):
    """``src`` broadcast to ``a``'s shape and dtype (``copy_``/``fill_`` while recording)."""

    @staticmethod
    def forward(ctx: Context, a: Any, src: Any) -> Any:
        value = np.asarray(src)
        try:
            return np.array(np.broadcast_to(value, a.shape), dtype=a.dtype)
        except ValueError:
            raise RuntimeError(
                f"copy_: a value of shape {list(value.shape)} cannot be written into a tensor "
                f"of shape {list(a.shape)}"
            ) from None

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return None, grad


def _overwrite(input: Tensor, src: Any) -> Tensor:
    return Overwrite.apply(input, src)


class ScatterView(Function):
    """``base`` with the region that ``view_fn`` selects replaced by ``values``.

    This is how an in-place write through a view is recorded (PyTorch's
    ``CopySlices``): the base's gradient outside the view passes through, the
    gradient inside goes to ``values``.
    """

    @staticmethod
    def forward(ctx: Context, base: Any, values: Any, view_fn: Any) -> Any:
        ctx.values_shape = np.shape(values)
        out = base.copy()
        from minigrad.autograd.grad_mode import no_grad

        with no_grad():
            region = view_fn(Tensor._make(out))._data
        np.copyto(region, values, casting="unsafe")
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        view_fn = ctx.attrs["view_fn"]
        zeros = np.zeros(ctx.values_shape, dtype=grad.dtype)
        gb = ScatterView.apply(grad, zeros, view_fn=view_fn) if ctx.needs_input_grad[0] else None
        gv = view_fn(grad) if ctx.needs_input_grad[1] else None
        return gb, gv


def _scatter_view(base: Tensor, values: Tensor, view_fn: Any) -> Tensor:
    return ScatterView.apply(base, values, view_fn=view_fn)


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


@op()
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
    size = input._data.size
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


@op()
def view(input: Tensor, *shape: Any) -> Tensor:
    """The same memory seen in a new shape; raises where a copy would be needed.

    As PyTorch's ``view``: it never copies, so a ``view`` of a transposed tensor
    fails (use :func:`reshape`, which copies only when it must).

    Example:
        >>> import minigrad
        >>> x = minigrad.arange(6.0)
        >>> v = x.view(2, 3)
        >>> v[0, 0] = 10.0
        >>> x[0]
        tensor(10.)
        >>> minigrad.zeros(2, 3).t().view(6)
        Traceback (most recent call last):
        ...
        RuntimeError: view size is not compatible with input tensor's size and stride ...
    """
    input = as_tensor(input)
    target = _resolve_shape(_shape_arg(shape), input)
    probe = input._data.view()
    try:
        probe.shape = target
    except AttributeError:
        raise RuntimeError(
            f"view size is not compatible with input tensor's size and stride (at least one "
            f"dimension spans across two contiguous subspaces): shape {tuple(input.shape)} "
            f"with strides {input._data.strides} cannot be viewed as {target}. "
            f"Use .reshape(...) instead."
        ) from None
    return Reshape.apply(input, shape=target)


@op()
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


@op()
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


@op()
def t(input: Tensor) -> Tensor:
    """Transpose a matrix (a tensor of at most 2 dimensions; 0-d and 1-d stay as they are).

    Example:
        >>> import minigrad
        >>> minigrad.zeros(2, 3).t().shape
        (3, 2)
    """
    input = as_tensor(input)
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    return input if input.ndim < 2 else transpose(input, 0, 1)


@op()
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


@op()
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


@op()
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


@op()
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


@op()
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


@op(method=False, dunders=("__getitem__",), export=False)
def getitem(input: Tensor, index: Any) -> Tensor:
    """``input[index]`` with PyTorch's rules: ints, slices, ``None`` and ``...`` give a view;
    index tensors and masks give a copy (repeated indices accumulate their gradients).

    Example:
        >>> import minigrad
        >>> x = minigrad.arange(6.0).reshape(2, 3)
        >>> x[:, [0, 0, 2]]
        tensor([[0., 0., 2.],
                [3., 3., 5.]])
    """
    index = normalize_index(index)
    if any(_is_array(i) or isinstance(i, np.ndarray) for i in index):
        return Gather.apply(as_tensor(input), index=index)
    return Select.apply(as_tensor(input), index=index)


@op(method=False)
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


@op(method=False)
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


@op()
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


@op()
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


@op(method=False, export=False)
def pad(input: Tensor, pad: Sequence[int], mode: str = "constant", value: float = 0.0) -> Tensor:
    """Pad with a constant; ``pad`` lists (left, right) pairs from the last dim backwards.

    Example:
        >>> import minigrad
        >>> minigrad.ops.pad(minigrad.ones(1, 2), (1, 2)).shape
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
