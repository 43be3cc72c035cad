"""Shape ops: reshape/view, permute, transpose, flatten, squeeze, unsqueeze, expand,
broadcast_to, indexing, cat, stack, split, chunk and constant padding.

Indexing follows NumPy (and PyTorch): ints, slices, ``None``, ``Ellipsis``,
integer arrays (repeated indices accumulate their gradients) and boolean masks.
"""

from __future__ import annotations

import math
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
        if grad._data.shape == ctx.in_shape:
            return grad
        return Reshape.apply(grad, shape=ctx.in_shape)  # a known-good shape: no checks


class Permute(Function):
    is_view = True

    @staticmethod
    def forward(ctx: Context, a: Any, dims: tuple[int, ...]) -> Any:
        return np.transpose(a, dims)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        dims = ctx.attrs["dims"]
        inverse = [0] * len(dims)
        for i, d in enumerate(dims):
            inverse[d] = i
        return Permute.apply(grad, dims=tuple(inverse))


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
    """An index array: any integer array of 1+ dims, or any boolean mask (0-d included)."""
    return isinstance(item, np.ndarray) and (item.ndim > 0 or item.dtype == np.bool_)


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


def _assign(a: np.ndarray, index: tuple[Any, ...], value: Any) -> None:
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


class Split(Function):
    """``split`` and ``chunk``: consecutive pieces along ``axis``, views of the input,
    from one node (PyTorch's ``SplitBackward0``). The backward joins the pieces'
    gradients in one concatenation (zeros for a piece that got none), where a node per
    piece would each fill a zero gradient of the whole input, to be summed."""

    is_view = True

    @staticmethod
    def forward(ctx: Context, a: Any, sizes: tuple[int, ...], axis: int) -> Any:
        return tuple(np.split(a, np.cumsum(sizes[:-1]).tolist(), axis=axis))

    @staticmethod
    def backward(ctx: Context, *grads: Tensor) -> Any:
        return _join_pieces(ctx, grads, cat, np.concatenate)


class Unbind(Function):
    """``unbind``: every slice along ``axis`` (that dim removed), views from one node
    (PyTorch's ``UnbindBackward0``); the backward stacks their gradients."""

    is_view = True

    @staticmethod
    def forward(ctx: Context, a: Any, axis: int) -> Any:
        return tuple(np.moveaxis(a, axis, 0))

    @staticmethod
    def backward(ctx: Context, *grads: Tensor) -> Any:
        return _join_pieces(ctx, grads, stack, np.stack)


def _join_pieces(ctx: Context, grads: Sequence[Tensor], tensors: Any, arrays: Any) -> Any:
    """The pieces' gradients joined along ``ctx.attrs["axis"]``: by the Tensor op
    ``tensors`` when a graph is built, else by the NumPy function ``arrays``."""
    axis = ctx.attrs["axis"]
    if ctx.create_graph:
        return tensors(list(grads), axis)
    return arrays([g._data for g in grads], axis=axis)


class Gather(Function):
    """Advanced indexing (index arrays or masks): the result is a copy."""

    @staticmethod
    def forward(ctx: Context, a: Any, index: Any) -> Any:
        ctx.in_shape = a.shape
        return _take(a, index)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return IndexAdd.apply(grad, index=ctx.attrs["index"], shape=ctx.in_shape)


def _is_row_index(adv: tuple[Any, ...]) -> bool:
    """Whether ``adv`` is one integer index array on the first dim (``w[idx]``, an embedding)."""
    first = adv[0]
    return (
        isinstance(first, np.ndarray)
        and first.dtype.kind in "iu"
        and all(isinstance(a, slice) and a == slice(None) for a in adv[1:])
    )


def _add_rows(target: np.ndarray, rows: np.ndarray, g: np.ndarray) -> None:
    """``np.add.at(target, rows, g)`` for rows of the first dim, 5 to 10 times faster: the
    rows sorted (stably), each run of equal rows summed by ``np.add.reduceat``, then
    one indexed add of the sums (the rows are distinct by then)."""
    flat = rows.reshape(-1)
    if flat.size == 0:
        return
    flat = np.where(flat < 0, flat + target.shape[0], flat)
    order = np.argsort(flat, kind="stable")
    ordered = flat[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    values = g.reshape(flat.size, *target.shape[1:])[order]
    target[ordered[starts]] += np.add.reduceat(values, starts, axis=0)


class IndexAdd(Function):
    """Scatter-add ``grad`` into zeros of ``shape`` at ``index`` (indexing's backward)."""

    @staticmethod
    def forward(ctx: Context, g: Any, index: Any, shape: tuple[int, ...]) -> Any:
        out = np.zeros(shape, dtype=g.dtype)
        basic, adv = split_index(index, len(shape))
        target = _basic(out, basic)
        if adv is None:
            target[...] = g
        elif _is_row_index(adv):
            _add_rows(target, adv[0], g)
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
        _assign(out, index, np.asarray(value).astype(a.dtype, copy=False))
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
        minigrad.Size([2, 3])
    """
    input = as_tensor(input)
    target = _resolve_shape(_shape_arg(shape), input)
    if target == input.shape:
        return input
    return Reshape.apply(input, shape=target)


def _resolve_shape(target: tuple[int, ...], input: Tensor) -> tuple[int, ...]:
    size = input._data.size
    if min(target, default=0) >= 0 and math.prod(target) == size:
        return target  # the common case: nothing to infer
    unknown = [i for i, s in enumerate(target) if s == -1]
    known = math.prod(s for s in target if s != -1)
    bad = len(unknown) > 1 or any(s < -1 for s in target)
    if not bad and unknown:
        bad = known == 0 or size % known != 0
        if not bad:
            target = (*target[: unknown[0]], size // known, *target[unknown[0] + 1 :])
    if bad or math.prod(target) != size:
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
        minigrad.Size([4, 2, 3])
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
        minigrad.Size([3, 2])
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
    out: Tensor = Permute.apply(input, dims=tuple(dims))
    return out


@op()
def t(input: Tensor) -> Tensor:
    """Transpose a matrix (a tensor of at most 2 dimensions; 0-d and 1-d stay as they are).

    Example:
        >>> import minigrad
        >>> minigrad.zeros(2, 3).t().shape
        minigrad.Size([3, 2])
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
        minigrad.Size([2, 12])
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
        minigrad.Size([3])
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
        minigrad.Size([1, 3])
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
        minigrad.Size([2, 3, 4])
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
        minigrad.Size([2, 3])
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
        minigrad.Size([2, 3])
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
        [minigrad.Size([2]), minigrad.Size([2]), minigrad.Size([1])]
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
        if any(s < 0 for s in sizes):
            raise RuntimeError(
                f"split_with_sizes expects split_sizes have only non-negative entries, but got "
                f"split_sizes={sizes}"
            )
        if sum(sizes) != n:
            raise RuntimeError(
                f"split: sizes {sizes} add up to {sum(sizes)}, but dim {dim} has size {n}"
            )
    pieces: tuple[Tensor, ...] = Split.apply(input, sizes=tuple(sizes), axis=axis)
    return pieces


@op()
def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """Split into ``chunks`` pieces of ``ceil(n / chunks)`` (PyTorch's rule; maybe fewer).

    Example:
        >>> import minigrad
        >>> [t.shape for t in minigrad.arange(6).chunk(4)]
        [minigrad.Size([2]), minigrad.Size([2]), minigrad.Size([2])]
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
        minigrad.Size([1, 5])
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


# --------------------------------------------------------------------------- more shape ops
# flip ... atleast_3d. Views (narrow, select, unfold, movedim, swapaxes, diagonal)
# share memory with their input; the others copy, as in PyTorch.


def _dims_arg(dims: Any) -> tuple[int, ...]:
    return (int(dims),) if isinstance(dims, (int, np.integer)) else tuple(int(d) for d in dims)


class Flip(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, dims: tuple[int, ...]) -> Any:
        return np.flip(a, dims).copy()

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return Flip.apply(grad, dims=ctx.attrs["dims"])


class Roll(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, shifts: tuple[int, ...], dims: tuple[int, ...]) -> Any:
        return np.roll(a, shifts, axis=dims)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        back = tuple(-s for s in ctx.attrs["shifts"])
        return Roll.apply(grad, shifts=back, dims=ctx.attrs["dims"])


class Repeat(Function):
    """``np.tile``: the input repeated ``sizes[i]`` times along each dim."""

    @staticmethod
    def forward(ctx: Context, a: Any, sizes: tuple[int, ...]) -> Any:
        ctx.in_shape = a.shape
        return np.tile(a, sizes)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        sizes = ctx.attrs["sizes"]
        padded = (1,) * (len(sizes) - len(ctx.in_shape)) + tuple(ctx.in_shape)
        split_shape = [n for pair in zip(sizes, padded) for n in pair]
        summed = grad.reshape(split_shape).sum(tuple(range(0, 2 * len(sizes), 2)))
        return summed.reshape(ctx.in_shape)


class Tril(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, diagonal: int) -> Any:
        return np.tril(a, diagonal)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return Tril.apply(grad, diagonal=ctx.attrs["diagonal"])


class Triu(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, diagonal: int) -> Any:
        return np.triu(a, diagonal)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return Triu.apply(grad, diagonal=ctx.attrs["diagonal"])


def _diagonal_view(a: np.ndarray, offset: int, dim1: int, dim2: int) -> np.ndarray:
    """The diagonal of dims ``dim1``, ``dim2`` as the last dim: a writeable strided view."""
    moved = np.moveaxis(a, (dim1, dim2), (-2, -1))
    moved = moved[..., :, offset:] if offset >= 0 else moved[..., -offset:, :]
    n = min(moved.shape[-2], moved.shape[-1])
    return np.lib.stride_tricks.as_strided(
        moved,
        (*moved.shape[:-2], n),
        (*moved.strides[:-2], moved.strides[-2] + moved.strides[-1]),
        writeable=bool(a.flags.writeable),
    )


class Diagonal(Function):
    """A diagonal: a view of the input."""

    is_view = True

    @staticmethod
    def forward(ctx: Context, a: Any, offset: int, dim1: int, dim2: int) -> Any:
        ctx.in_shape = a.shape
        return _diagonal_view(a, offset, dim1, dim2)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a = ctx.attrs
        return DiagEmbed.apply(
            grad, shape=ctx.in_shape, offset=a["offset"], dim1=a["dim1"], dim2=a["dim2"]
        )


class DiagEmbed(Function):
    """Zeros of ``shape`` with ``g`` on the diagonal of ``dim1``, ``dim2`` (the other way)."""

    @staticmethod
    def forward(
        ctx: Context, g: Any, shape: tuple[int, ...], offset: int, dim1: int, dim2: int
    ) -> Any:
        out = np.zeros(shape, dtype=g.dtype)
        _diagonal_view(out, offset, dim1, dim2)[...] = g
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a = ctx.attrs
        return Diagonal.apply(grad, offset=a["offset"], dim1=a["dim1"], dim2=a["dim2"]).clone()


def _windows_view(a: np.ndarray, dim: int, size: int, step: int) -> np.ndarray:
    count = (a.shape[dim] - size) // step + 1
    shape = (*a.shape[:dim], count, *a.shape[dim + 1 :], size)
    strides = (*a.strides[:dim], a.strides[dim] * step, *a.strides[dim + 1 :], a.strides[dim])
    # Overlapping windows (step < size) are read-only, as an expanded view is.
    writeable = bool(a.flags.writeable) and step >= size
    return np.lib.stride_tricks.as_strided(a, shape, strides, writeable=writeable)


class UnfoldView(Function):
    """``Tensor.unfold``: windows of ``size`` every ``step`` along ``dim``, as a view."""

    is_view = True

    @staticmethod
    def forward(ctx: Context, a: Any, dim: int, size: int, step: int) -> Any:
        ctx.in_shape = a.shape
        return _windows_view(a, dim, size, step)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a = ctx.attrs
        return UnfoldBackward.apply(
            grad, shape=ctx.in_shape, dim=a["dim"], size=a["size"], step=a["step"]
        )


class UnfoldBackward(Function):
    """The windows added back into zeros of ``shape`` (one strided add per window tap)."""

    @staticmethod
    def forward(
        ctx: Context, g: Any, shape: tuple[int, ...], dim: int, size: int, step: int
    ) -> Any:
        out = np.zeros(shape, dtype=g.dtype)
        count = g.shape[dim]
        for tap in range(size):
            region = (slice(None),) * dim + (slice(tap, tap + step * (count - 1) + 1, step),)
            out[region] += g[..., tap]
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a = ctx.attrs
        return UnfoldView.apply(grad, dim=a["dim"], size=a["size"], step=a["step"]).clone()


@op()
def flip(input: Tensor, dims: Any) -> Tensor:
    """Reverse the order of elements along ``dims`` (a copy, as PyTorch's).

    Example:
        >>> import minigrad
        >>> minigrad.flip(minigrad.arange(4.0).reshape(2, 2), [0, 1])
        tensor([[3., 2.],
                [1., 0.]])
    """
    input = as_tensor(input)
    given = [normalize_dim(d, input.ndim, "flip") for d in _dims_arg(dims)]
    if len(set(given)) != len(given):
        raise RuntimeError(f"flip: a dim appears multiple times in the list of dims {dims}")
    axes = tuple(sorted(given)) if input.ndim else ()
    if input.ndim == 0:
        return input.clone()
    return Flip.apply(input, dims=axes)


@op()
def roll(input: Tensor, shifts: Any, dims: Any = None) -> Tensor:
    """Shift elements circularly by ``shifts`` along ``dims`` (of the flattened input if none).

    Example:
        >>> import minigrad
        >>> minigrad.roll(minigrad.arange(5.0), 2)
        tensor([3., 4., 0., 1., 2.])
        >>> minigrad.arange(4.0).reshape(2, 2).roll((1, 1), (0, 1))
        tensor([[3., 2.],
                [1., 0.]])
    """
    input = as_tensor(input)
    shift = _dims_arg(shifts)
    if dims is None:
        if len(shift) != 1:
            raise RuntimeError(f"roll: shifts {shifts} need dims (one shift per dim)")
        return Roll.apply(input.reshape(-1), shifts=shift, dims=(0,)).reshape(input.shape)
    axes = tuple(normalize_dim(d, input.ndim, "roll") for d in _dims_arg(dims))
    if len(axes) != len(shift):
        raise RuntimeError(
            f"roll: shifts and dimensions must align, got {len(shift)} shifts and {len(axes)} dims"
        )
    if input.ndim == 0:
        return input.clone()
    return Roll.apply(input, shifts=shift, dims=axes)


@op()
def rot90(input: Tensor, k: int = 1, dims: Sequence[int] = (0, 1)) -> Tensor:
    """Rotate by 90 degrees ``k`` times in the plane of ``dims`` (from the first toward the second).

    Example:
        >>> import minigrad
        >>> minigrad.rot90(minigrad.tensor([[1.0, 2.0], [3.0, 4.0]]))
        tensor([[2., 4.],
                [1., 3.]])
    """
    input = as_tensor(input)
    d = _dims_arg(dims)
    if len(d) != 2:
        raise RuntimeError(f"rot90: expected total rotation dims == 2, but got dims = {len(d)}")
    if input.ndim < 2:
        raise RuntimeError(f"rot90: expected total dims >= 2, but got total dims = {input.ndim}")
    d0, d1 = (normalize_dim(x, input.ndim, "rot90") for x in d)
    if d0 == d1:
        raise RuntimeError(f"rot90: expected rotation dims to be different, but got {d0} and {d1}")
    k %= 4
    if k == 1:
        return flip(input, d1).transpose(d0, d1)
    if k == 2:
        return flip(input, (d0, d1))
    if k == 3:
        return flip(input, d0).transpose(d0, d1)
    return input.clone()


@op(export=False)
def repeat(input: Tensor, *sizes: Any) -> Tensor:
    """``Tensor.repeat``: tile the input ``sizes[i]`` times along each dim (leading dims added).

    Example:
        >>> import minigrad
        >>> minigrad.tensor([1.0, 2.0]).repeat(2, 2)
        tensor([[1., 2., 1., 2.],
                [1., 2., 1., 2.]])
    """
    input = as_tensor(input)
    reps = _shape_arg(sizes)
    if len(reps) < input.ndim:
        raise RuntimeError(
            f"repeat: Number of dimensions of repeat dims can not be smaller than number of "
            f"dimensions of tensor (repeats {reps}, tensor of shape {tuple(input.shape)})"
        )
    if any(r < 0 for r in reps):
        raise RuntimeError(f"repeat: repeats must be non-negative, got {reps}")
    return Repeat.apply(input, sizes=reps)


@op()
def tile(input: Tensor, dims: Sequence[int]) -> Tensor:
    """Repeat the input ``dims[i]`` times along each dim (missing leading ``dims`` are 1).

    Example:
        >>> import minigrad
        >>> minigrad.tile(minigrad.tensor([[1.0, 2.0]]), (2,))
        tensor([[1., 2., 1., 2.]])
    """
    input = as_tensor(input)
    reps = _dims_arg(dims)
    reps = (1,) * (input.ndim - len(reps)) + reps
    return repeat(input, *reps)


@op()
def repeat_interleave(
    input: Tensor, repeats: Any = None, dim: Any = None, *, output_size: Any = None
) -> Tensor:
    """Repeat each element (or slice along ``dim``) ``repeats`` times, each copy next to the last.

    ``repeats`` is an int or a tensor of one count per element; without ``dim`` the
    input is flattened. ``repeat_interleave(counts)`` alone gives
    ``arange(len(counts))`` repeated by ``counts``.

    Example:
        >>> import minigrad
        >>> minigrad.repeat_interleave(minigrad.tensor([1.0, 2.0]), 2)
        tensor([1., 1., 2., 2.])
        >>> minigrad.tensor([[1, 2], [3, 4]]).repeat_interleave(minigrad.tensor([1, 2]), dim=0)
        tensor([[1, 2],
                [3, 4],
                [3, 4]])
    """
    from minigrad.ops.index import index_select

    input = as_tensor(input)
    if repeats is None:
        counts = input._data.reshape(-1)
        return Tensor._make(np.repeat(np.arange(counts.size), counts).astype(np.int64))
    if dim is None:
        input, axis = input.reshape(-1), 0
    else:
        axis = normalize_dim(dim, input.ndim, "repeat_interleave")
    n = input.shape[axis] if input.ndim else 1
    reps = np.asarray(repeats._data if isinstance(repeats, Tensor) else repeats).reshape(-1)
    if reps.size not in (1, n):
        raise RuntimeError(
            f"repeat_interleave: repeats must have the same size as input along dim {axis} "
            f"({n}), but got {reps.size}"
        )
    if (reps < 0).any():
        raise RuntimeError(f"repeat_interleave: repeats can not be negative, got {reps.tolist()}")
    index = np.repeat(np.arange(n), np.broadcast_to(reps, (n,)))
    if output_size is not None and int(output_size) != index.size:
        raise RuntimeError(
            f"repeat_interleave: output_size {output_size} is not the total of repeats "
            f"({index.size})"
        )
    return index_select(input, axis, index)


def _at_least_2d(input: Tensor, who: str) -> None:
    if input.ndim < 2:
        raise RuntimeError(
            f"{who}: input tensor must have at least 2 dimensions, got shape {tuple(input.shape)}"
        )


@op(inplace=True)
def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """The lower triangle of the last two dims (on and below ``diagonal``); the rest 0.

    Example:
        >>> import minigrad
        >>> minigrad.tril(minigrad.ones(2, 3))
        tensor([[1., 0., 0.],
                [1., 1., 0.]])
    """
    input = as_tensor(input)
    _at_least_2d(input, "tril")
    return Tril.apply(input, diagonal=int(diagonal))


@op(inplace=True)
def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """The upper triangle of the last two dims (on and above ``diagonal``); the rest 0.

    Example:
        >>> import minigrad
        >>> minigrad.triu(minigrad.ones(3, 2), diagonal=1)
        tensor([[0., 1.],
                [0., 0.],
                [0., 0.]])
    """
    input = as_tensor(input)
    _at_least_2d(input, "triu")
    return Triu.apply(input, diagonal=int(diagonal))


def _diag_dims(ndim: int, dim1: int, dim2: int, who: str) -> tuple[int, int]:
    d1, d2 = normalize_dim(dim1, ndim, who), normalize_dim(dim2, ndim, who)
    if d1 == d2:
        raise RuntimeError(f"{who}: diagonal dimensions cannot be identical {dim1}, {dim2}")
    return d1, d2


@op()
def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The diagonal of dims ``dim1``, ``dim2`` (above it if ``offset > 0``) as the last dim: a view.

    Example:
        >>> import minigrad
        >>> x = minigrad.arange(9.0).reshape(3, 3)
        >>> x.diagonal(), x.diagonal(1)
        (tensor([0., 4., 8.]), tensor([1., 5.]))
    """
    input = as_tensor(input)
    _at_least_2d(input, "diagonal")
    d1, d2 = _diag_dims(input.ndim, dim1, dim2, "diagonal")
    return Diagonal.apply(input, offset=int(offset), dim1=d1, dim2=d2)


@op()
def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """Matrices (in dims ``dim1``, ``dim2``) with the last dim of ``input`` on a diagonal.

    Example:
        >>> import minigrad
        >>> minigrad.diag_embed(minigrad.tensor([[1.0, 2.0]]))
        tensor([[[1., 0.],
                 [0., 2.]]])
    """
    input = as_tensor(input)
    if input.ndim == 0:
        raise RuntimeError("diag_embed: expected a tensor with at least 1 dimension, got 0-d")
    nd = input.ndim + 1
    d1, d2 = _diag_dims(nd, dim1, dim2, "diag_embed")
    m = input.shape[-1] + abs(int(offset))
    rest = list(input.shape[:-1])
    shape = []
    for d in range(nd):
        shape.append(m if d in (d1, d2) else rest.pop(0))
    return DiagEmbed.apply(input, shape=tuple(shape), offset=int(offset), dim1=d1, dim2=d2)


@op()
def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    """A vector's square diagonal matrix, or a matrix's diagonal (a copy), at ``diagonal``.

    Example:
        >>> import minigrad
        >>> minigrad.diag(minigrad.tensor([1.0, 2.0]))
        tensor([[1., 0.],
                [0., 2.]])
        >>> minigrad.diag(minigrad.arange(4.0).reshape(2, 2))
        tensor([0., 3.])
    """
    input = as_tensor(input)
    if input.ndim == 1:
        return diag_embed(input, diagonal, 0, 1)
    if input.ndim == 2:
        return Diagonal.apply(input, offset=int(diagonal), dim1=0, dim2=1).clone()
    raise RuntimeError(
        f"diag: matrix or a vector expected, got a tensor of shape {tuple(input.shape)}"
    )


@op()
def narrow(input: Tensor, dim: int, start: int, length: int) -> Tensor:
    """``length`` elements from ``start`` along ``dim``: a view sharing the input's memory.

    Example:
        >>> import minigrad
        >>> x = minigrad.zeros(4)
        >>> x.narrow(0, 1, 2).add_(1)
        tensor([1., 1.])
        >>> x
        tensor([0., 1., 1., 0.])
    """
    input = as_tensor(input)
    if input.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    axis = normalize_dim(dim, input.ndim, "narrow")
    n = input.shape[axis]
    start, length = int(start), int(length)
    if not -n <= start <= n:
        raise IndexError(
            f"narrow: start {start} is out of range for dimension {axis} of size {n} "
            f"(expected to be in range of [{-n}, {n}])"
        )
    if start < 0:
        start += n
    if length < 0 or start + length > n:
        raise RuntimeError(
            f"narrow: start ({start}) + length ({length}) exceeds dimension size ({n})."
        )
    return getitem(input, (slice(None),) * axis + (slice(start, start + length),))


@op()
def select(input: Tensor, dim: int, index: int) -> Tensor:
    """The slice at ``index`` along ``dim`` (that dim removed): a view.

    Example:
        >>> import minigrad
        >>> minigrad.arange(6.0).reshape(2, 3).select(1, -1)
        tensor([2., 5.])
    """
    input = as_tensor(input)
    if input.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    axis = normalize_dim(dim, input.ndim, "select")
    n = input.shape[axis]
    if not -n <= int(index) < n:
        raise IndexError(
            f"select(): index {index} out of range for tensor of size {list(input.shape)} at "
            f"dimension {axis}"
        )
    return getitem(input, (slice(None),) * axis + (int(index),))


@op(export=False)
def unfold(input: Tensor, dimension: int, size: int, step: int) -> Tensor:
    """``Tensor.unfold``: every window of ``size`` (every ``step``) along ``dimension``, as a view.

    The windows form a new last dim; overlapping windows (``step < size``) are
    read-only, like an expanded tensor.

    Example:
        >>> import minigrad
        >>> minigrad.arange(5.0).unfold(0, 2, 2)
        tensor([[0., 1.],
                [2., 3.]])
    """
    input = as_tensor(input)
    if input.ndim == 0:
        if size > 1:
            raise RuntimeError(f"unfold: maximum size for a 0-dim tensor is 1, but size is {size}")
        return input.reshape(1)
    axis = normalize_dim(dimension, input.ndim, "unfold")
    n = input.shape[axis]
    if size > n:
        raise RuntimeError(
            f"unfold: maximum size for tensor at dimension {axis} is {n} but size is {size}"
        )
    if step <= 0 or size < 0:
        raise RuntimeError(
            f"unfold: step is {step} and size is {size}, expected step > 0 and size >= 0"
        )
    return UnfoldView.apply(input, dim=axis, size=int(size), step=int(step))


@op()
def unflatten(input: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:
    """Split dim ``dim`` into ``sizes`` (one of them may be -1).

    Example:
        >>> import minigrad
        >>> minigrad.zeros(2, 6).unflatten(1, (3, -1)).shape
        minigrad.Size([2, 3, 2])
    """
    input = as_tensor(input)
    axis = normalize_dim(dim, input.ndim, "unflatten")
    sizes = tuple(int(s) for s in sizes)
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    n = input.shape[axis]
    known = int(np.prod([s for s in sizes if s != -1]))
    if sizes.count(-1) > 1 or (
        (-1 not in sizes and known != n) or (-1 in sizes and (known == 0 or n % known))
    ):
        raise RuntimeError(
            f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim "
            f"{axis} ({n}) in the input tensor"
        )
    return reshape(input, (*input.shape[:axis], *sizes, *input.shape[axis + 1 :]))


@op()
def movedim(input: Tensor, source: Any, destination: Any) -> Tensor:
    """Move dims ``source`` to positions ``destination`` (the others keep their order): a view.

    Example:
        >>> import minigrad
        >>> minigrad.zeros(2, 3, 4).movedim(0, -1).shape
        minigrad.Size([3, 4, 2])
    """
    input = as_tensor(input)
    src, dst = _dims_arg(source), _dims_arg(destination)
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({list(src)} dims) should "
            f"contain the same number of dims as destination ({list(dst)} dims)"
        )
    normalize_dims(src, input.ndim, "movedim")  # refuses a repeated source dim
    s_ax = [normalize_dim(d, input.ndim, "movedim") for d in src]
    d_ax = [normalize_dim(d, input.ndim, "movedim") for d in dst]
    if len(set(d_ax)) != len(d_ax):
        raise RuntimeError(f"movedim: repeated dim in destination {list(dst)}")
    order = [d for d in range(input.ndim) if d not in s_ax]
    for dest, srcd in sorted(zip(d_ax, s_ax)):
        order.insert(dest, srcd)
    if input.ndim == 0:
        return input
    return permute(input, *order)


@op()
def moveaxis(input: Tensor, source: Any, destination: Any) -> Tensor:
    """Alias of :func:`movedim` (NumPy's name).

    Example:
        >>> import minigrad
        >>> minigrad.moveaxis(minigrad.zeros(2, 3, 4), (0, 1), (2, 0)).shape
        minigrad.Size([3, 4, 2])
    """
    return movedim(input, source, destination)


@op()
def swapaxes(input: Tensor, axis0: int, axis1: int) -> Tensor:
    """Alias of :func:`transpose` (NumPy's name): a view.

    Example:
        >>> import minigrad
        >>> minigrad.zeros(2, 3).swapaxes(0, 1).shape
        minigrad.Size([3, 2])
    """
    return transpose(input, axis0, axis1)


@op()
def swapdims(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """Alias of :func:`transpose`: a view.

    Example:
        >>> import minigrad
        >>> minigrad.zeros(2, 3, 4).swapdims(0, 2).shape
        minigrad.Size([4, 3, 2])
    """
    return transpose(input, dim0, dim1)


def _tensor_list(tensors: Any) -> list[Tensor]:
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tensors[0]
    return [as_tensor(t) for t in tensors]


@op(method=False)
def meshgrid(*tensors: Any, indexing: Any = None) -> tuple[Tensor, ...]:
    """Coordinate grids from 1-D tensors: ``indexing="ij"`` (the default) or ``"xy"``.

    The grids are expanded views of the inputs (PyTorch's default ``indexing`` is
    ``"ij"``; PyTorch also warns when it is not given, minigrad does not).

    Example:
        >>> import minigrad
        >>> x, y = minigrad.tensor([1, 2, 3]), minigrad.tensor([4, 5])
        >>> gx, gy = minigrad.meshgrid(x, y, indexing="xy")
        >>> gx
        tensor([[1, 2, 3],
                [1, 2, 3]])
    """
    ts = _tensor_list(tensors)
    indexing = "ij" if indexing is None else indexing
    if indexing not in ("ij", "xy"):
        raise ValueError(
            f'meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}'
        )
    for i, t in enumerate(ts):
        if t.ndim > 1:
            raise RuntimeError(
                f"meshgrid: Expected 0D or 1D tensor in the tensor list but got tensor {i} of "
                f"shape {tuple(t.shape)}"
            )
    flat = [t.reshape(-1) for t in ts]
    swap = indexing == "xy" and len(flat) >= 2
    if swap:
        flat[0], flat[1] = flat[1], flat[0]
    shape = tuple(t.shape[0] for t in flat)
    grids = []
    for i, t in enumerate(flat):
        view = [1] * len(flat)
        view[i] = -1
        grids.append(expand(t.reshape(view), *shape))
    if swap:
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


@op(method=False, differentiable=False)
def broadcast_shapes(*shapes: Any) -> tuple[int, ...]:
    """The shape that tensors of ``shapes`` broadcast to (ints count as 1-D shapes).

    Example:
        >>> import minigrad
        >>> minigrad.broadcast_shapes((2, 1), (3,), 1)
        (2, 3)
    """
    norm = [
        (int(s),) if isinstance(s, (int, np.integer)) else tuple(int(x) for x in s) for s in shapes
    ]
    try:
        return tuple(int(x) for x in np.broadcast_shapes(*norm))
    except ValueError:
        raise RuntimeError(
            f"Shape mismatch: objects cannot be broadcast to a single shape (shapes {norm})"
        ) from None


@op(method=False)
def broadcast_tensors(*tensors: Any) -> tuple[Tensor, ...]:
    """The tensors broadcast to their common shape (expanded views).

    Example:
        >>> import minigrad
        >>> a, b = minigrad.broadcast_tensors(minigrad.zeros(2, 1), minigrad.ones(3))
        >>> a.shape, b.shape
        (minigrad.Size([2, 3]), minigrad.Size([2, 3]))
    """
    ts = [as_tensor(t) for t in tensors]
    shape = broadcast_shapes(*[t.shape for t in ts])
    return tuple(broadcast_to(t, shape) for t in ts)


@op()
def tensor_split(input: Tensor, indices_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Split into ``n`` nearly equal views (the first ``size % n`` one longer), or at indices.

    Example:
        >>> import minigrad
        >>> [t.tolist() for t in minigrad.arange(5).tensor_split(3)]
        [[0, 1], [2, 3], [4]]
        >>> [t.tolist() for t in minigrad.arange(5).tensor_split([1, 4])]
        [[0], [1, 2, 3], [4]]
    """
    import itertools

    input = as_tensor(input)
    axis = normalize_dim(dim, input.ndim, "tensor_split")
    n = input.shape[axis]
    spec = indices_or_sections
    if isinstance(spec, Tensor):
        spec = spec._data.item() if spec.ndim == 0 else spec._data.tolist()
    if isinstance(spec, (int, np.integer)):
        k = int(spec)
        if k <= 0:
            raise RuntimeError(f"tensor_split: number of sections must be larger than 0, got {k}")
        sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
        bounds = np.concatenate([[0], np.cumsum(sizes)]).tolist()
    else:
        cuts = [int(c) for c in spec]
        bounds = [0, *cuts, n]
    pieces = []
    for lo, hi in itertools.pairwise(bounds):
        lo_c, hi_c = min(max(lo, 0), n), min(max(hi, 0), n)
        pieces.append(getitem(input, (slice(None),) * axis + (slice(lo_c, max(lo_c, hi_c)),)))
    return tuple(pieces)


@op()
def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """The slices along ``dim`` (that dim removed), as views.

    Example:
        >>> import minigrad
        >>> minigrad.arange(4.0).reshape(2, 2).unbind(1)
        (tensor([0., 2.]), tensor([1., 3.]))
    """
    input = as_tensor(input)
    if input.ndim == 0:
        raise IndexError("unbind: dimension specified as 0 but tensor has no dimensions")
    axis = normalize_dim(dim, input.ndim, "unbind")
    if input.shape[axis] == 0:
        return ()
    pieces: tuple[Tensor, ...] = Unbind.apply(input, axis=axis)
    return pieces


def _atleast(n: int, tensors: Any) -> Any:
    single = len(tensors) == 1 and not isinstance(tensors[0], (list, tuple))
    out = []
    for t in _tensor_list(tensors):
        if t.ndim >= n:
            out.append(t)
        elif n == 3 and t.ndim == 2:
            out.append(t.unsqueeze(-1))
        else:
            shape = (1,) * (n - t.ndim) + t.shape
            if n == 3 and t.ndim == 1:
                shape = (1, t.shape[0], 1)
            out.append(reshape(t, shape))
    return out[0] if single else tuple(out)


@op(method=False)
def atleast_1d(*tensors: Any) -> Any:
    """Each tensor with at least 1 dim (0-d become shape ``(1,)``); one tensor or a tuple.

    Example:
        >>> import minigrad
        >>> minigrad.atleast_1d(minigrad.tensor(1.0))
        tensor([1.])
    """
    return _atleast(1, tensors)


@op(method=False)
def atleast_2d(*tensors: Any) -> Any:
    """Each tensor with at least 2 dims (1-D of length n become ``(1, n)``).

    Example:
        >>> import minigrad
        >>> minigrad.atleast_2d(minigrad.zeros(3)).shape
        minigrad.Size([1, 3])
    """
    return _atleast(2, tensors)


@op(method=False)
def atleast_3d(*tensors: Any) -> Any:
    """Each tensor with at least 3 dims (``(n,)`` -> ``(1, n, 1)``, ``(m, n)`` -> ``(m, n, 1)``).

    Example:
        >>> import minigrad
        >>> [t.shape for t in minigrad.atleast_3d(minigrad.zeros(3), minigrad.zeros(2, 3))]
        [minigrad.Size([1, 3, 1]), minigrad.Size([2, 3, 1])]
    """
    return _atleast(3, tensors)


@op(method=False)
def hstack(tensors: Sequence[Any]) -> Tensor:
    """Concatenate horizontally: along dim 1 (dim 0 for 1-D tensors).

    Example:
        >>> import minigrad
        >>> minigrad.hstack([minigrad.zeros(2, 1), minigrad.ones(2, 2)]).shape
        minigrad.Size([2, 3])
    """
    ts = _atleast(1, (list(tensors),))
    return cat(ts, dim=0 if ts[0].ndim == 1 else 1)


@op(method=False)
def vstack(tensors: Sequence[Any]) -> Tensor:
    """Concatenate vertically: along dim 0 after :func:`atleast_2d`.

    Example:
        >>> import minigrad
        >>> minigrad.vstack([minigrad.zeros(3), minigrad.ones(3)]).shape
        minigrad.Size([2, 3])
    """
    return cat(_atleast(2, (list(tensors),)), dim=0)


@op(method=False)
def dstack(tensors: Sequence[Any]) -> Tensor:
    """Concatenate in depth: along dim 2 after :func:`atleast_3d`.

    Example:
        >>> import minigrad
        >>> minigrad.dstack([minigrad.zeros(2, 2), minigrad.ones(2, 2)]).shape
        minigrad.Size([2, 2, 2])
    """
    return cat(_atleast(3, (list(tensors),)), dim=2)


@op(method=False)
def column_stack(tensors: Sequence[Any]) -> Tensor:
    """Columns side by side: 0-d and 1-D tensors become columns, then :func:`hstack`.

    Example:
        >>> import minigrad
        >>> minigrad.column_stack([minigrad.tensor([1.0, 2.0]), minigrad.zeros(2, 2)])
        tensor([[1., 0., 0.],
                [2., 0., 0.]])
    """
    ts = [as_tensor(t) for t in tensors]
    cols = [reshape(t, (t.numel(), 1)) if t.ndim <= 1 else t for t in ts]
    return cat(cols, dim=1)
