"""Indexing ops: gather/scatter along a dim, index_* along a dim, masks, take, nonzero.

PyTorch's names, signatures and gradients. ``gather`` and ``take`` pass the
gradient back with ``scatter_add`` (repeated indices accumulate); ``scatter``
and ``index_copy`` overwrite, so the input gets no gradient where it was
overwritten (with repeated indices the written value is one of the sources, and
every source gets the gradient, as in PyTorch). ``scatter_reduce`` with
``amax``/``amin`` shares the gradient equally between the elements equal to the
result. An index out of range raises naming the index and the size.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.autograd import ArrayFunction as Function
from minigrad.autograd import Context
from minigrad.ops._registry import op
from minigrad.ops._util import as_tensor, normalize_dim
from minigrad.ops.elementwise import Where
from minigrad.tensor import Tensor


def _const(array: Any) -> Tensor:
    return Tensor._make(np.asarray(array))


def _index_array(index: Any, who: str) -> np.ndarray:
    arr = np.asarray(index._data if isinstance(index, Tensor) else index)
    if arr.size == 0 and arr.dtype.kind not in "iu":
        arr = arr.astype(np.int64)
    if arr.dtype.kind not in "iu":
        raise RuntimeError(f"{who}(): Expected dtype int64 for index, but got {arr.dtype}")
    return arr.astype(np.int64, copy=False)


# PyTorch raises IndexError from these, RuntimeError from the others.
_INDEX_ERRORS = ("index_copy", "index_fill")


def _check_bounds(who: str, index: np.ndarray, size: int, dim: int) -> None:
    bad = (index < 0) | (index >= size)
    if bad.any():
        value = int(index[bad].reshape(-1)[0])
        error = IndexError if who in _INDEX_ERRORS else RuntimeError
        raise error(f"{who}: index {value} is out of bounds for dimension {dim} with size {size}")


def _along(index: np.ndarray, dim: int) -> tuple[Any, ...]:
    """The NumPy index that picks ``a[..., index[i, j, k], ...]`` at ``(i, j, k)`` along ``dim``."""
    nd = index.ndim
    return tuple(
        index
        if d == dim
        else np.arange(index.shape[d]).reshape([-1 if e == d else 1 for e in range(nd)])
        for d in range(nd)
    )


def _crop(a: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    return a[tuple(slice(0, s) for s in shape)]


def _fit(g: Tensor, shape: tuple[int, ...]) -> Tensor:
    """``g`` padded with zeros at the end of each dim up to ``shape`` (a cropped source)."""
    if g.shape == tuple(shape):
        return g
    from minigrad.ops.shape import pad

    widths: list[int] = []
    for have, want in reversed(list(zip(g.shape, shape))):
        widths.extend((0, want - have))
    return pad(g, widths)


def _check_dims(who: str, input: Tensor, dim: int, index: np.ndarray, src: Any = None) -> int:
    """PyTorch's shape rules for gather/scatter; returns ``dim`` as an axis."""
    nd = max(input.ndim, 1)
    axis = normalize_dim(dim, input.ndim, who)
    if max(index.ndim, 1) != nd:
        raise RuntimeError(
            f"{who}(): Index tensor must have the same number of dimensions as input tensor "
            f"(index shape {tuple(index.shape)}, input shape {tuple(input.shape)})"
        )
    in_shape = input.shape or (1,)
    idx_shape = index.shape or (1,)
    for d in range(nd):
        if d != axis and idx_shape[d] > in_shape[d]:
            raise RuntimeError(
                f"{who}(): Size does not match at dimension {d}: expected index {list(idx_shape)} "
                f"to be no larger than self {list(in_shape)} apart from dimension {axis}"
            )
    if src is not None:
        src_shape = src.shape or (1,)
        if len(src_shape) != nd or any(i > s for i, s in zip(idx_shape, src_shape)):
            raise RuntimeError(
                f"{who}(): Expected index {list(idx_shape)} to be no larger than src "
                f"{list(src_shape)} in every dimension"
            )
    _check_bounds(who, index, in_shape[axis], axis)
    return axis


# --------------------------------------------------------------------------- along a dim


class Gather(Function):
    """``out[i][j] = a[index[i][j]][j]`` (for ``dim=0``); the gradient scatter-adds back."""

    @staticmethod
    def forward(ctx: Context, a: Any, index: np.ndarray, dim: int) -> Any:
        ctx.in_shape = a.shape
        return a[_along(index, dim)]

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        zeros = np.zeros(ctx.in_shape, dtype=grad.dtype)
        index, dim = ctx.attrs["index"], ctx.attrs["dim"]
        return ScatterAdd.apply(zeros, grad, index=index, dim=dim)


class ScatterAdd(Function):
    """``a`` with ``src`` added at ``index`` along ``dim`` (repeated indices accumulate)."""

    @staticmethod
    def forward(ctx: Context, a: Any, src: Any, index: np.ndarray, dim: int) -> Any:
        ctx.src_shape = np.shape(src)
        out = np.array(a, copy=True)
        np.add.at(out, _along(index, dim), _crop(np.asarray(src), index.shape))
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        index, dim = ctx.attrs["index"], ctx.attrs["dim"]
        gs = None
        if ctx.needs_input_grad[1]:
            gs = _fit(Gather.apply(grad, index=index, dim=dim), ctx.src_shape)
        return grad, gs


class Scatter(Function):
    """``a`` with ``src`` written at ``index`` along ``dim``."""

    @staticmethod
    def forward(ctx: Context, a: Any, src: Any, index: np.ndarray, dim: int) -> Any:
        ctx.src_shape = np.shape(src)
        out = np.array(a, copy=True)
        out[_along(index, dim)] = _crop(np.asarray(src), index.shape)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        index, dim = ctx.attrs["index"], ctx.attrs["dim"]
        ga = (
            ScatterFill.apply(grad, index=index, dim=dim, value=0)
            if ctx.needs_input_grad[0]
            else None
        )
        gs = None
        if ctx.needs_input_grad[1]:
            gs = _fit(Gather.apply(grad, index=index, dim=dim), ctx.src_shape)
        return ga, gs


class ScatterFill(Function):
    """``a`` with the number ``value`` written at ``index`` along ``dim``."""

    @staticmethod
    def forward(ctx: Context, a: Any, index: np.ndarray, dim: int, value: Any) -> Any:
        out = np.array(a, copy=True)
        out[_along(index, dim)] = value
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return ScatterFill.apply(grad, index=ctx.attrs["index"], dim=ctx.attrs["dim"], value=0)


_UFUNCS = {
    "sum": np.add,
    "mean": np.add,
    "prod": np.multiply,
    "amax": np.maximum,
    "amin": np.minimum,
}


def _identity(reduce: str, dtype: np.dtype) -> Any:
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    info = np.finfo(dtype) if dtype.kind == "f" else np.iinfo(dtype)
    if dtype.kind == "f":
        return -np.inf if reduce == "amax" else np.inf
    return info.min if reduce == "amax" else info.max


class ScatterReduce(Function):
    """``a`` with ``src`` reduced into it at ``index`` along ``dim`` (sum/prod/mean/amax/amin)."""

    @staticmethod
    def forward(
        ctx: Context, a: Any, src: Any, index: np.ndarray, dim: int, reduce: str, include_self: bool
    ) -> Any:
        where = _along(index, dim)
        s = _crop(np.asarray(src), index.shape)
        out = np.array(a, copy=True)
        if not include_self:
            out[where] = _identity(reduce, out.dtype)
        _UFUNCS[reduce].at(out, where, s)
        if reduce == "mean":
            count = ScatterReduce.counts(a.shape, index, dim, include_self)
            out = out / count.astype(out.dtype) if out.dtype.kind == "f" else out // count
        ctx.save_for_backward(a, src, out)
        return out

    @staticmethod
    def counts(shape: tuple[int, ...], index: np.ndarray, dim: int, include_self: bool) -> Any:
        """How many values were reduced at each position (1 where nothing was scattered)."""
        count = np.zeros(shape, dtype=np.int64)
        np.add.at(count, _along(index, dim), 1)
        hit = count > 0
        return np.where(hit, count + int(include_self), 1)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a, src, out = ctx.saved_tensors
        index, dim = ctx.attrs["index"], ctx.attrs["dim"]
        reduce, include_self = ctx.attrs["reduce"], ctx.attrs["include_self"]
        s = src[tuple(slice(0, n) for n in index.shape)]
        hit = np.zeros(a.shape, dtype=bool)
        hit[_along(index, dim)] = True
        self_counts = include_self | ~hit  # where self is one of the reduced values
        if reduce in ("sum", "mean"):
            if reduce == "mean":
                count = ScatterReduce.counts(a.shape, index, dim, include_self)
                grad = grad / _const(count.astype(grad.dtype))
            ga = grad * _const(self_counts.astype(grad.dtype))
            gs = Gather.apply(grad, index=index, dim=dim)
        elif reduce == "prod":
            ga, gs = _prod_grads(a, s, grad, index, dim, include_self, self_counts)
        else:  # amax / amin: shared equally between the elements equal to the result
            # (an excluded input equal to the result still counts in the share but
            # gets none of it, as in PyTorch)
            self_hit = a._data == out._data
            src_hit = s._data == out._data[_along(index, dim)]
            count = self_hit.astype(np.int64)
            np.add.at(count, _along(index, dim), src_hit)
            share = grad / _const(np.maximum(count, 1).astype(grad.dtype))
            ga = share * _const((self_hit & self_counts).astype(grad.dtype))
            gs = Gather.apply(share, index=index, dim=dim) * _const(src_hit.astype(grad.dtype))
        return ga, _fit(gs, src.shape)


def _prod_grads(
    a: Tensor,
    s: Tensor,
    grad: Tensor,
    index: np.ndarray,
    dim: int,
    include_self: bool,
    self_counts: np.ndarray,
) -> tuple[Tensor, Tensor]:
    """Gradients of a scatter product: each member gets the product of the others.

    Per output position: ``nz_prod`` is the product of its nonzero members and
    ``zeros`` how many members are 0. A nonzero member gets ``nz_prod / x`` if there
    is no zero (else 0); a zero member gets ``nz_prod`` if it is the only zero (else 0).
    No division by 0 happens, so the gradient is exact at zeros, as PyTorch's.
    """
    a_zero, s_zero = a._data == 0, s._data == 0
    zeros = (a_zero & self_counts).astype(np.int64)
    np.add.at(zeros, _along(index, dim), s_zero)
    one = np.ones((), a.dtype)
    a_nz, s_nz = Where.apply(a_zero, one, a), Where.apply(s_zero, one, s)
    nz_prod = ScatterReduce.apply(
        a_nz, s_nz, index=index, dim=dim, reduce="prod", include_self=include_self
    )
    zero = np.zeros((), grad.dtype)

    def others(x_nz: Tensor, x_zero: np.ndarray, prod: Tensor, z: np.ndarray) -> Tensor:
        if_nonzero = Where.apply(z == 0, prod / x_nz, zero)
        if_zero = Where.apply(z == 1, prod, zero)
        return Where.apply(x_zero, if_zero, if_nonzero)

    ga = grad * others(a_nz, a_zero, nz_prod, zeros) * _const(self_counts.astype(grad.dtype))
    g_at = Gather.apply(grad, index=index, dim=dim)
    p_at = Gather.apply(nz_prod, index=index, dim=dim)
    gs = g_at * others(s_nz, s_zero, p_at, zeros[_along(index, dim)])
    return ga, gs


class IndexSelect(Function):
    """The slices of ``a`` at ``index`` (1-D) along ``dim``."""

    @staticmethod
    def forward(ctx: Context, a: Any, index: np.ndarray, dim: int) -> Any:
        ctx.in_shape = a.shape
        return np.take(a, index, axis=dim)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        zeros = np.zeros(ctx.in_shape, dtype=grad.dtype)
        return IndexAdd.apply(zeros, grad, index=ctx.attrs["index"], dim=ctx.attrs["dim"], alpha=1)


def _slices(index: np.ndarray, dim: int) -> tuple[Any, ...]:
    return (slice(None),) * dim + (index,)


class IndexAdd(Function):
    """``a`` with ``alpha * src`` added to the slices at ``index`` along ``dim``."""

    @staticmethod
    def forward(ctx: Context, a: Any, src: Any, index: np.ndarray, dim: int, alpha: Any) -> Any:
        out = np.array(a, copy=True)
        np.add.at(out, _slices(index, dim), src if alpha == 1 else alpha * src)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        index, dim, alpha = ctx.attrs["index"], ctx.attrs["dim"], ctx.attrs["alpha"]
        gs = None
        if ctx.needs_input_grad[1]:
            gs = IndexSelect.apply(grad, index=index, dim=dim)
            gs = gs if alpha == 1 else gs * alpha
        return grad, gs


class IndexCopy(Function):
    """``a`` with the slices at ``index`` along ``dim`` replaced by ``src``."""

    @staticmethod
    def forward(ctx: Context, a: Any, src: Any, index: np.ndarray, dim: int) -> Any:
        out = np.array(a, copy=True)
        out[_slices(index, dim)] = src
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        index, dim = ctx.attrs["index"], ctx.attrs["dim"]
        zero = np.zeros((), grad.dtype)
        ga = IndexFill.apply(grad, zero, index=index, dim=dim) if ctx.needs_input_grad[0] else None
        gs = IndexSelect.apply(grad, index=index, dim=dim) if ctx.needs_input_grad[1] else None
        return ga, gs


class IndexFill(Function):
    """``a`` with the slices at ``index`` along ``dim`` filled with the 0-d ``value``."""

    @staticmethod
    def forward(ctx: Context, a: Any, value: Any, index: np.ndarray, dim: int) -> Any:
        out = np.array(a, copy=True)
        out[_slices(index, dim)] = value
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        index, dim = ctx.attrs["index"], ctx.attrs["dim"]
        zero = np.zeros((), grad.dtype)
        ga = IndexFill.apply(grad, zero, index=index, dim=dim) if ctx.needs_input_grad[0] else None
        gv = None
        if ctx.needs_input_grad[1]:
            gv = IndexSelect.apply(grad, index=np.unique(index), dim=dim).sum()
        return ga, gv


class MaskedScatter(Function):
    """``a`` with the elements where ``mask`` holds replaced, in order, by ``src``'s."""

    @staticmethod
    def forward(ctx: Context, a: Any, src: Any, mask: np.ndarray) -> Any:
        ctx.src_shape = src.shape
        out = np.array(np.broadcast_to(a, mask.shape), copy=True)
        out[mask] = src.reshape(-1)[: int(mask.sum())]
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        mask = ctx.attrs["mask"]
        zero = np.zeros((), grad.dtype)
        ga = Where.apply(mask, zero, grad) if ctx.needs_input_grad[0] else None
        gs = None
        if ctx.needs_input_grad[1]:
            from minigrad.ops.shape import getitem, pad

            picked = getitem(grad, mask)
            size = int(np.prod(ctx.src_shape))
            gs = pad(picked, (0, size - picked.shape[0])).reshape(ctx.src_shape)
        return ga, gs


# --------------------------------------------------------------------------- functional


@op()
def gather(input: Tensor, dim: int, index: Any, *, sparse_grad: bool = False) -> Tensor:
    """Values along ``dim`` at ``index``: ``out[i][j] = input[index[i][j]][j]`` for ``dim=0``.

    ``index`` has the input's number of dims and is no larger than it outside ``dim``;
    the result has the index's shape. The gradient scatter-adds back (``sparse_grad``
    is accepted for PyTorch's signature; gradients are dense).

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> minigrad.gather(x, 1, minigrad.tensor([[0, 0], [1, 0]]))
        tensor([[1., 1.],
                [4., 3.]])
    """
    input = as_tensor(input)
    idx = _index_array(index, "gather")
    axis = _check_dims("gather", input, dim, idx)
    if input.ndim == 0:
        return Gather.apply(input.reshape(1), index=idx.reshape(1), dim=0).reshape(idx.shape)
    return Gather.apply(input, index=idx, dim=axis)


def _src(src: Any, input: Tensor, who: str) -> Tensor:
    s = as_tensor(src)
    if s.dtype != input.dtype:
        raise RuntimeError(
            f"{who}(): Expected self.dtype to be equal to src.dtype (self {input.dtype}, "
            f"src {s.dtype})"
        )
    return s


def _scatter_setup(
    who: str, input: Any, dim: int, index: Any, src: Any
) -> tuple[Tensor, int, np.ndarray, Tensor | None]:
    input = as_tensor(input)
    idx = _index_array(index, who)
    s = _src(src, input, who) if src is not None else None
    axis = _check_dims(who, input, dim, idx, s)
    return input, axis, idx, s


def _scalar_ndim(input: Tensor, fn: Any, *tensors: Any) -> Any:
    """Run ``fn`` on 1-element 1-D versions of 0-d tensors (PyTorch treats them so)."""
    if input.ndim > 0:
        return None
    out = fn(*[t.reshape(1) if isinstance(t, Tensor) else t for t in tensors])
    return out.reshape(())


@op(inplace=True)
def scatter(
    input: Tensor, dim: int, index: Any, src: Any = None, *, value: Any = None, reduce: Any = None
) -> Tensor:
    """``input`` with ``src`` (a tensor, or the number ``value``) written at ``index`` on ``dim``.

    ``reduce='add'`` or ``'multiply'`` combines instead of writing (as PyTorch's).
    The input gets no gradient where it was overwritten.

    Example:
        >>> import minigrad
        >>> minigrad.zeros(2, 3).scatter(1, minigrad.tensor([[2], [0]]), 5.0)
        tensor([[0., 0., 5.],
                [5., 0., 0.]])
        >>> minigrad.zeros(3).scatter(0, minigrad.tensor([1, 2]), minigrad.tensor([7.0, 8.0]))
        tensor([0., 7., 8.])
    """
    if src is not None and not isinstance(src, Tensor):
        src, value = None, src  # scatter(input, dim, index, 1.5): the value overload
    if (src is None) == (value is None):
        raise TypeError("scatter(): expected exactly one of src (a tensor) and value (a number)")
    if reduce is not None and reduce not in ("add", "multiply"):
        raise RuntimeError(
            f"scatter(): reduce argument must be either add or multiply, got {reduce!r}"
        )
    input = as_tensor(input)
    if value is not None:
        idx = _index_array(index, "scatter")
        src = Tensor._make(np.full(idx.shape, value, dtype=input.dtype))
    if reduce == "add":
        return scatter_add(input, dim, index, src)
    if reduce == "multiply":
        return scatter_reduce(input, dim, index, src, "prod")
    input, axis, idx, s = _scatter_setup("scatter", input, dim, index, src)
    assert s is not None
    if input.ndim == 0:
        return Scatter.apply(input.reshape(1), s.reshape(1), index=idx.reshape(1), dim=0).reshape(
            ()
        )
    if value is not None:
        return ScatterFill.apply(input, index=idx, dim=axis, value=value)
    return Scatter.apply(input, s, index=idx, dim=axis)


@op(inplace=True)
def scatter_add(input: Tensor, dim: int, index: Any, src: Any) -> Tensor:
    """``input`` with ``src`` added at ``index`` along ``dim``; repeated indices accumulate.

    Example:
        >>> import minigrad
        >>> minigrad.zeros(3).scatter_add(0, minigrad.tensor([0, 0, 2]), minigrad.ones(3))
        tensor([2., 0., 1.])
    """
    input, axis, idx, s = _scatter_setup("scatter_add", input, dim, index, src)
    assert s is not None
    if input.ndim == 0:
        return ScatterAdd.apply(
            input.reshape(1), s.reshape(1), index=idx.reshape(1), dim=0
        ).reshape(())
    return ScatterAdd.apply(input, s, index=idx, dim=axis)


@op(inplace=True)
def scatter_reduce(
    input: Tensor, dim: int, index: Any, src: Any, reduce: str, *, include_self: bool = True
) -> Tensor:
    """``input`` with ``src`` reduced in at ``index`` along ``dim``.

    ``reduce`` is ``"sum"``, ``"prod"``, ``"mean"``, ``"amax"`` or ``"amin"``;
    ``include_self=False`` leaves the input's own values out where something is
    scattered. ``amax``/``amin`` share the gradient equally between ties.

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([1.0, 2.0, 3.0, 4.0])
        >>> i = minigrad.tensor([0, 1, 0, 1])
        >>> minigrad.zeros(2).scatter_reduce(0, i, x, "amax")
        tensor([3., 4.])
        >>> minigrad.ones(2).scatter_reduce(0, i, x, "mean", include_self=False)
        tensor([2., 3.])
    """
    if reduce not in _UFUNCS:
        raise RuntimeError(
            f"scatter_reduce(): reduce argument must be one of sum, prod, mean, amax, amin, "
            f"got {reduce!r}"
        )
    input, axis, idx, s = _scatter_setup("scatter_reduce", input, dim, index, src)
    assert s is not None
    attrs = {"reduce": reduce, "include_self": include_self}
    if input.ndim == 0:
        return ScatterReduce.apply(
            input.reshape(1), s.reshape(1), index=idx.reshape(1), dim=0, **attrs
        ).reshape(())
    return ScatterReduce.apply(input, s, index=idx, dim=axis, **attrs)


def _dim_index(who: str, input: Tensor, dim: int, index: Any) -> tuple[int, np.ndarray]:
    idx = _index_array(index, who)
    if idx.ndim > 1:
        raise IndexError(f"{who}(): Index is supposed to be a vector, got shape {tuple(idx.shape)}")
    axis = normalize_dim(dim, input.ndim, who)
    size = input.shape[axis] if input.ndim else 1
    _check_bounds(who, idx.reshape(-1), size, axis)
    return axis, idx.reshape(-1)


@op()
def index_select(input: Tensor, dim: int, index: Any) -> Tensor:
    """The slices at ``index`` (a vector) along ``dim``; repeated indices repeat.

    Example:
        >>> import minigrad
        >>> x = minigrad.arange(6.0).reshape(2, 3)
        >>> minigrad.index_select(x, 1, minigrad.tensor([2, 0, 2]))
        tensor([[2., 0., 2.],
                [5., 3., 5.]])
    """
    input = as_tensor(input)
    axis, idx = _dim_index("index_select", input, dim, index)
    if input.ndim == 0:
        return IndexSelect.apply(input.reshape(1), index=idx, dim=0).reshape(())
    return IndexSelect.apply(input, index=idx, dim=axis)


def _source(who: str, input: Tensor, axis: int, idx: np.ndarray, source: Any) -> Tensor:
    s = _src(source, input, who)
    want = list(input.shape)
    if want:
        want[axis] = idx.size
    if list(s.shape) != want and not (input.ndim == 0 and s.numel() == idx.size):
        raise RuntimeError(
            f"{who}(): source has shape {list(s.shape)} but {idx.size} indices along dim "
            f"{axis} of a tensor of shape {list(input.shape)} need {want}"
        )
    return s


@op(inplace=True)
def index_add(input: Tensor, dim: int, index: Any, source: Any, *, alpha: Any = 1) -> Tensor:
    """``input`` with ``alpha * source`` added to the slices at ``index`` along ``dim``.

    Example:
        >>> import minigrad
        >>> minigrad.zeros(3, 2).index_add(0, minigrad.tensor([0, 0]), minigrad.ones(2, 2))
        tensor([[2., 2.],
                [0., 0.],
                [0., 0.]])
    """
    input = as_tensor(input)
    axis, idx = _dim_index("index_add", input, dim, index)
    s = _source("index_add", input, axis, idx, source)
    if input.ndim == 0:
        out = IndexAdd.apply(input.reshape(1), s.reshape(-1), index=idx, dim=0, alpha=alpha)
        return out.reshape(())
    return IndexAdd.apply(input, s, index=idx, dim=axis, alpha=alpha)


@op(inplace=True)
def index_copy(input: Tensor, dim: int, index: Any, source: Any) -> Tensor:
    """``input`` with the slices at ``index`` along ``dim`` replaced by ``source``'s.

    Example:
        >>> import minigrad
        >>> minigrad.zeros(3).index_copy(0, minigrad.tensor([2, 0]), minigrad.tensor([5.0, 6.0]))
        tensor([6., 0., 5.])
    """
    input = as_tensor(input)
    axis, idx = _dim_index("index_copy", input, dim, index)
    s = _source("index_copy", input, axis, idx, source)
    if input.ndim == 0:
        return IndexCopy.apply(input.reshape(1), s.reshape(-1), index=idx, dim=0).reshape(())
    return IndexCopy.apply(input, s, index=idx, dim=axis)


def _value(who: str, value: Any, dtype: np.dtype) -> Any:
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(
                f"{who} only supports a 0-dimensional value tensor, but got tensor with "
                f"{value.ndim} dimension(s)"
            )
        return value.to(dtype)
    return np.asarray(value).astype(dtype)


@op(inplace=True)
def index_fill(input: Tensor, dim: int, index: Any, value: Any) -> Tensor:
    """``input`` with the slices at ``index`` along ``dim`` set to ``value`` (number or 0-d tensor).

    Example:
        >>> import minigrad
        >>> minigrad.ones(2, 3).index_fill(1, minigrad.tensor([1]), -1.0)
        tensor([[ 1., -1.,  1.],
                [ 1., -1.,  1.]])
    """
    input = as_tensor(input)
    axis, idx = _dim_index("index_fill", input, dim, index)
    v = _value("index_fill", value, input.dtype)
    if input.ndim == 0:
        return IndexFill.apply(input.reshape(1), v, index=idx, dim=0).reshape(())
    return IndexFill.apply(input, v, index=idx, dim=axis)


def _mask(mask: Any, who: str, shape: tuple[int, ...]) -> np.ndarray:
    m = np.asarray(mask._data if isinstance(mask, Tensor) else mask)
    if m.dtype != np.bool_:
        raise RuntimeError(f"{who}: expected a bool mask, got dtype {m.dtype}")
    try:
        np.broadcast_shapes(m.shape, shape)
    except ValueError:
        raise RuntimeError(
            f"{who}: the mask of shape {list(m.shape)} does not broadcast with the input of "
            f"shape {list(shape)}"
        ) from None
    return m


@op(inplace=True)
def masked_fill(input: Tensor, mask: Any, value: Any) -> Tensor:
    """``input`` with the elements where ``mask`` holds set to ``value`` (in the input's dtype).

    ``mask`` is a bool tensor broadcastable with the input; ``value`` a number or a
    0-d tensor (which then gets the gradient of the filled elements).

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([1.0, -2.0, 3.0])
        >>> x.masked_fill(x < 0, 0.0)
        tensor([1., 0., 3.])
    """
    input = as_tensor(input)
    m = _mask(mask, "masked_fill", input.shape)
    return Where.apply(m, _value("masked_fill_", value, input.dtype), input)


@op()
def masked_select(input: Tensor, mask: Any) -> Tensor:
    """The elements where ``mask`` holds, as a 1-D tensor (input and mask broadcast).

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([[1.0, -2.0], [-3.0, 4.0]])
        >>> minigrad.masked_select(x, x > 0)
        tensor([1., 4.])
    """
    from minigrad.ops.shape import broadcast_to, getitem

    input = as_tensor(input)
    m = _mask(mask, "masked_select", input.shape)
    shape = np.broadcast_shapes(m.shape, input.shape)
    return getitem(broadcast_to(input, shape), np.broadcast_to(m, shape))


@op()
def masked_scatter(input: Tensor, mask: Any, source: Any) -> Tensor:
    """``input`` with the elements where ``mask`` holds replaced, in order, by ``source``'s.

    Example:
        >>> import minigrad
        >>> x = minigrad.zeros(2, 2)
        >>> mask = minigrad.tensor([[True, False], [True, True]])
        >>> x.masked_scatter(mask, minigrad.arange(1.0, 5.0))
        tensor([[1., 0.],
                [2., 3.]])
    """
    input = as_tensor(input)
    m = _mask(mask, "masked_scatter", input.shape)
    s = _src(source, input, "masked_scatter")
    shape = np.broadcast_shapes(m.shape, input.shape)
    full = np.array(np.broadcast_to(m, shape))
    need = int(full.sum())
    if s.numel() < need:
        raise RuntimeError(
            f"masked_scatter: expected source to have at least {need} elements (the mask's true "
            f"count), but it has {s.numel()}"
        )
    return MaskedScatter.apply(input, s, mask=full)


def _flat_index(who: str, index: np.ndarray, n: int, shape: tuple[int, ...]) -> np.ndarray:
    bad = (index < -n) | (index >= n)
    if bad.any():
        value = int(index[bad].reshape(-1)[0])
        raise IndexError(
            f"{who}: index {value} is out of range for a tensor of shape {tuple(shape)} "
            f"with {n} elements"
        )
    return index % max(n, 1)


@op()
def take(input: Tensor, index: Any) -> Tensor:
    """Elements of the flattened input at ``index`` (negative counts from the end); index's shape.

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([[4.0, 3.0], [2.0, 1.0]])
        >>> minigrad.take(x, minigrad.tensor([[0, -1], [2, 2]]))
        tensor([[4., 1.],
                [2., 2.]])
    """
    input = as_tensor(input)
    idx = _flat_index("take", _index_array(index, "take"), input.numel(), input.shape)
    flat = input.reshape(-1)
    return IndexSelect.apply(flat, index=idx.reshape(-1), dim=0).reshape(idx.shape)


@op()
def take_along_dim(input: Tensor, indices: Any, dim: Any = None) -> Tensor:
    """``gather`` after broadcasting input and indices outside ``dim`` (flattened if no ``dim``).

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([[10.0, 30.0, 20.0], [60.0, 40.0, 50.0]])
        >>> minigrad.take_along_dim(x, x.argmax(dim=1, keepdim=True), dim=1)
        tensor([[30.],
                [60.]])
    """
    from minigrad.ops.shape import broadcast_to

    input = as_tensor(input)
    idx = _index_array(indices, "take_along_dim")
    if dim is None:
        return gather(input.reshape(-1), 0, idx.reshape(-1))
    axis = normalize_dim(dim, input.ndim, "take_along_dim")
    if idx.ndim != input.ndim:
        raise RuntimeError(
            f"take_along_dim(): input and indices should have the same number of dimensions, "
            f"but got {input.ndim} and {idx.ndim} dimensions"
        )
    try:
        rest = np.broadcast_shapes(
            tuple(1 if d == axis else s for d, s in enumerate(input.shape)),
            tuple(1 if d == axis else s for d, s in enumerate(idx.shape)),
        )
    except ValueError:
        raise RuntimeError(
            f"take_along_dim(): input of shape {list(input.shape)} and indices of shape "
            f"{list(idx.shape)} do not broadcast outside dim {axis}"
        ) from None
    in_shape = tuple(input.shape[d] if d == axis else s for d, s in enumerate(rest))
    idx_shape = tuple(idx.shape[d] if d == axis else s for d, s in enumerate(rest))
    return gather(broadcast_to(input, in_shape), axis, np.broadcast_to(idx, idx_shape))


@op(differentiable=False)
def nonzero(input: Tensor, *, as_tuple: bool = False) -> Any:
    """The indices of the nonzero elements: an ``(n, ndim)`` int64 tensor, or one vector per dim.

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([[0.0, 1.0], [2.0, 0.0]])
        >>> minigrad.nonzero(x)
        tensor([[0, 1],
                [1, 0]])
        >>> x.nonzero(as_tuple=True)
        (tensor([0, 1]), tensor([1, 0]))
    """
    data = as_tensor(input)._data
    if as_tuple:
        hits = np.nonzero(np.atleast_1d(data))
        return tuple(Tensor._make(h.astype(np.int64)) for h in hits)
    return Tensor._make(np.argwhere(data).astype(np.int64))
