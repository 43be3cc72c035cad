"""Scans and sorting: cumsum, cumprod, cummax/cummin, logcumsumexp, sort and its relatives.

PyTorch's names, signatures, results and gradients:

* ``cumprod``'s gradient is exact with zeros in the input (the product of the
  other factors, computed without dividing by 0), as PyTorch's;
* ``sort``, ``topk``, ``kthvalue``, ``median(dim)``, ``mode``, ``cummax`` and
  ``cummin`` return ``(values, indices)`` named tuples; the gradient flows to the
  selected index (``sort`` is stable when asked, and NaN sorts as the largest value);
* ties: ``sort``/``argsort`` are stable, and ``topk``, ``kthvalue`` and
  ``median(dim)`` pick in that stable order (PyTorch leaves their tie index to the
  implementation, so it may pick another of the equal elements);
* ``median()`` without ``dim`` is the lower median and shares its gradient
  equally between the elements equal to it, as PyTorch's.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from minigrad.autograd import ArrayFunction as Function
from minigrad.autograd import Context
from minigrad.ops._registry import op
from minigrad.ops._util import as_tensor, float_operand, normalize_dim
from minigrad.ops.elementwise import Where
from minigrad.ops.index import Gather, ScatterAdd
from minigrad.tensor import Tensor


def _result(name: str) -> Any:
    """A ``(values, indices)`` named tuple type, named as ``torch.return_types.<name>``."""
    cls = namedtuple(name, ["values", "indices"])  # type: ignore[misc]
    cls.__doc__ = (
        f"``(values, indices)``, as returned by ``{name}`` (``torch.return_types.{name}``)."
    )
    return cls


_SortResult = _result("sort")
_TopkResult = _result("topk")
_KthvalueResult = _result("kthvalue")
_MedianResult = _result("median")
_ModeResult = _result("mode")
_CummaxResult = _result("cummax")
_CumminResult = _result("cummin")


def _const(array: Any) -> Tensor:
    return Tensor._make(np.asarray(array))


def _reverse_cumsum(x: Tensor, dim: int) -> Tensor:
    return cumsum(x.flip(dim), dim).flip(dim)


def _cum_dtype(input: Tensor, dtype: Any) -> Tensor:
    if dtype is not None:
        return input.to(dtype)
    if input.dtype.kind in "biu":
        return input.to(np.int64)  # integer scans accumulate in int64, as PyTorch
    return input


def _scan_input(input: Any, dim: int, who: str) -> tuple[Tensor, int]:
    input = as_tensor(input)
    return input, normalize_dim(dim, input.ndim, who)


class Cumsum(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, dim: int) -> Any:
        return np.cumsum(a, axis=dim, dtype=a.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return _reverse_cumsum(grad, ctx.attrs["dim"])


class Cumprod(Function):
    """Cumulative product; the gradient is the product of the other factors, zeros included."""

    @staticmethod
    def forward(ctx: Context, a: Any, dim: int) -> Any:
        out = np.cumprod(a, axis=dim, dtype=a.dtype)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a, out = ctx.saved_tensors
        dim = ctx.attrs["dim"]
        is_zero = a._data == 0
        if not is_zero.any():
            return _reverse_cumsum(grad * out, dim) / a
        if ctx.create_graph:
            return _cumprod_grad_exact(a, grad, dim)
        return _cumprod_grad_zeros(a, out, grad, dim, is_zero)


def _cumprod_grad_zeros(
    a: Tensor, out: Tensor, grad: Tensor, dim: int, is_zero: np.ndarray
) -> Tensor:
    """O(n) gradient with zeros (PyTorch's): before the first zero of a slice, the
    usual ``revcumsum(g * out) / x``; at it, the sum of ``g_j`` times the product of
    the others; after it, 0 (every product there holds the first zero)."""
    n = a.shape[dim]
    pos = np.arange(n).reshape([-1 if d == dim else 1 for d in range(a.ndim)])
    first = np.where(
        is_zero.any(axis=dim, keepdims=True), np.argmax(is_zero, axis=dim, keepdims=True), n
    )
    before, at = pos < first, pos == first
    one = np.ones((), a.dtype)
    safe = Where.apply(before, a, one)
    g_before = _reverse_cumsum(grad * out, dim) / safe
    others = cumprod(Where.apply(at, one, a), dim)  # prod of x_i, i <= j, i != first
    g_at = (grad * others * _const((pos >= first).astype(a.dtype))).sum(dim, keepdim=True)
    zero = np.zeros((), a.dtype)
    return Where.apply(before, g_before, Where.apply(at, g_at, zero))


def _cumprod_grad_exact(a: Tensor, grad: Tensor, dim: int) -> Tensor:
    """``dx_k = sum_{j >= k} g_j prod_{i <= j, i != k} x_i`` as an (n x n) product per
    slice: exact to every order with zeros (used only to build a graph over zeros)."""
    n = a.shape[dim]
    x = a.movedim(dim, -1)
    g = grad.movedim(dim, -1)
    eye = np.eye(n, dtype=bool)
    # rows k: x with x_k replaced by 1; cumulative products along j
    rows = Where.apply(eye, np.ones((), a.dtype), x.unsqueeze(-2).expand(*x.shape[:-1], n, n))
    later = np.triu(np.ones((n, n), dtype=a.dtype))  # j >= k
    dx = (cumprod(rows, -1) * g.unsqueeze(-2) * _const(later)).sum(-1)
    return dx.movedim(-1, dim)


class Logcumsumexp(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, dim: int) -> Any:
        out = np.logaddexp.accumulate(a, axis=dim)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        # dx_k = sum_{j >= k} g_j exp(x_k - out_j); every exp(x_k - out_j) <= 1.
        a, out = ctx.saved_tensors
        dim = ctx.attrs["dim"]
        if not ctx.create_graph:
            return _const(_logcumsumexp_grad(a._data, out._data, grad._data, dim))
        n = a.shape[dim]
        x, o, g = a.movedim(dim, -1), out.movedim(dim, -1), grad.movedim(dim, -1)
        later = np.triu(np.ones((n, n), dtype=bool))  # [k, j]: j >= k
        exponent = Where.apply(later, x.unsqueeze(-1) - o.unsqueeze(-2), -np.inf)
        return (exponent.exp() * g.unsqueeze(-2)).sum(-1).movedim(-1, dim)


def _logcumsumexp_grad(x: np.ndarray, out: np.ndarray, g: np.ndarray, dim: int) -> np.ndarray:
    """The same sum in O(n): positive and negative ``g`` summed apart in log space
    (a reversed ``logaddexp`` scan), so nothing overflows (PyTorch's method)."""
    total = np.zeros_like(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        for sign in (1.0, -1.0):
            part = np.where(sign * g > 0, sign * g, 0.0)
            if not part.any():
                continue
            logs = np.log(part) - out
            rev = np.flip(np.logaddexp.accumulate(np.flip(logs, dim), axis=dim), dim)
            total += sign * np.exp(rev + x)
    return total


class CumExtremum(Function):
    """Running max/min values picked at their indices; the gradient flows to those indices."""

    @staticmethod
    def forward(ctx: Context, a: Any, index: np.ndarray, dim: int) -> Any:
        ctx.in_shape = a.shape
        return np.take_along_axis(a, index, axis=dim)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        zeros = np.zeros(ctx.in_shape, dtype=grad.dtype)
        return ScatterAdd.apply(zeros, grad, index=ctx.attrs["index"], dim=ctx.attrs["dim"])


class Cummax(CumExtremum):
    pass


class Cummin(CumExtremum):
    pass


def _cum_extremum(input: Any, dim: int, largest: bool) -> Any:
    name = "cummax" if largest else "cummin"
    input, axis = _scan_input(input, dim, name)
    data = input._data.reshape(1) if input.ndim == 0 else input._data
    axis = 0 if input.ndim == 0 else axis
    running = (np.fmax if largest else np.fmin).accumulate(data, axis=axis)
    nan = np.isnan(data) if data.dtype.kind == "f" else np.zeros(data.shape, bool)
    if nan.any():  # a NaN, once seen, is the running value (PyTorch propagates it)
        seen = np.logical_or.accumulate(nan, axis=axis)
        running = np.where(seen, np.nan, running)
    pos = np.arange(data.shape[axis]).reshape([-1 if d == axis else 1 for d in range(data.ndim)])
    # The index moves to every element equal to the running value (ties: the latest).
    hits = (data == running) | nan
    index = np.maximum.accumulate(np.where(hits, pos, 0), axis=axis)
    fn = Cummax if largest else Cummin
    source = input.reshape(1) if input.ndim == 0 else input
    values = fn.apply(source, index=index, dim=axis).reshape(input.shape)
    result = _CummaxResult if largest else _CumminResult
    return result(values, Tensor._make(index.reshape(input.shape).astype(np.int64)))


def _argsort(data: np.ndarray, axis: int, descending: bool) -> np.ndarray:
    """A stable argsort; NaN is the largest value (last ascending, first descending)."""
    if data.dtype == np.bool_:
        data = data.astype(np.int8)
    if not descending:
        return np.argsort(data, axis=axis, kind="stable")
    flipped = np.flip(data, axis)
    order = np.flip(np.argsort(flipped, axis=axis, kind="stable"), axis)
    return data.shape[axis] - 1 - order


class Sort(Gather):
    """Sorted values (a gather at the sorting permutation); the gradient goes back to it."""


class Topk(Gather):
    pass


class Kthvalue(Gather):
    pass


class Median(Gather):
    pass


class Mode(Gather):
    pass


def _pick(cls: type, input: Tensor, index: np.ndarray, axis: int) -> Tensor:
    out: Tensor = cls.apply(input, index=index, dim=axis)  # type: ignore[attr-defined]
    return out


def _sorted_along(
    input: Tensor, dim: int, who: str, descending: bool = False
) -> tuple[int, np.ndarray]:
    if input.ndim == 0:
        return 0, np.zeros(1, dtype=np.int64)
    axis = normalize_dim(dim, input.ndim, who)
    return axis, _argsort(input._data, axis, descending)


def _as_1d(input: Tensor) -> Tensor:
    return input.reshape(1) if input.ndim == 0 else input


# --------------------------------------------------------------------------- functional


@op(inplace=True)
def cumsum(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """Cumulative sum along ``dim`` (integers accumulate in int64, or in ``dtype``).

    Example:
        >>> import minigrad
        >>> minigrad.cumsum(minigrad.tensor([1.0, 2.0, 3.0]), 0)
        tensor([1., 3., 6.])
        >>> minigrad.tensor([[1, 2], [3, 4]]).cumsum(dim=-1)
        tensor([[1, 3],
                [3, 7]])
    """
    input, axis = _scan_input(input, dim, "cumsum")
    input = _cum_dtype(input, dtype)
    if input.ndim == 0:
        return input.clone()
    return Cumsum.apply(input, dim=axis)


@op(inplace=True)
def cumprod(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """Cumulative product along ``dim``; its gradient is exact with zeros in the input.

    The gradient is O(n) per slice; a graph of it over zeros (``create_graph=True``)
    is built from an n x n product per slice, exact to every order.

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([2.0, 0.0, 3.0], requires_grad=True)
        >>> y = minigrad.cumprod(x, 0)
        >>> y.sum().backward()
        >>> y, x.grad
        (tensor([2., 0., 0.], grad_fn=<CumprodBackward0>), tensor([1., 8., 0.]))
    """
    input, axis = _scan_input(input, dim, "cumprod")
    input = _cum_dtype(input, dtype)
    if input.ndim == 0:
        return input.clone()
    return Cumprod.apply(input, dim=axis)


@op()
def logcumsumexp(input: Tensor, dim: int) -> Tensor:
    """``log(cumsum(exp(input)))`` along ``dim``, computed without overflow.

    The gradient is O(n) per slice; a graph of it (``create_graph=True``, for second
    derivatives) is built from an n x n product per slice.

    Example:
        >>> import minigrad
        >>> minigrad.logcumsumexp(minigrad.tensor([0.0, 0.0, 100.0]), 0)
        tensor([  0.0000,   0.6931, 100.0000])
    """
    input, axis = _scan_input(input, dim, "logcumsumexp")
    input = float_operand(input)
    if input.ndim == 0:
        return input.clone()
    return Logcumsumexp.apply(input, dim=axis)


@op()
def cummax(input: Tensor, dim: int) -> Any:
    """Running maximum along ``dim``: ``(values, indices)``; at ties the index is the latest.

    Example:
        >>> import minigrad
        >>> minigrad.cummax(minigrad.tensor([1.0, 3.0, 2.0, 3.0]), 0)
        cummax(values=tensor([1., 3., 3., 3.]), indices=tensor([0, 1, 1, 3]))
    """
    return _cum_extremum(input, dim, largest=True)


@op()
def cummin(input: Tensor, dim: int) -> Any:
    """Running minimum along ``dim``: ``(values, indices)``; at ties the index is the latest.

    Example:
        >>> import minigrad
        >>> minigrad.cummin(minigrad.tensor([3.0, 1.0, 2.0]), 0).values
        tensor([3., 1., 1.])
    """
    return _cum_extremum(input, dim, largest=False)


@op()
def sort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Any:
    """Sorted along ``dim``: ``(values, indices)``. The sort is always stable here
    (``stable`` is accepted for PyTorch's signature); NaN counts as the largest value.

    Example:
        >>> import minigrad
        >>> minigrad.sort(minigrad.tensor([3.0, 1.0, 2.0]), descending=True)
        sort(values=tensor([3., 2., 1.]), indices=tensor([0, 2, 1]))
    """
    input = as_tensor(input)
    axis, index = _sorted_along(input, dim, "sort", descending)
    values = _pick(Sort, _as_1d(input), index, axis).reshape(input.shape)
    return _SortResult(values, Tensor._make(index.reshape(input.shape).astype(np.int64)))


@op(differentiable=False)
def argsort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
    """The indices that sort ``input`` along ``dim`` (stable; NaN as the largest value).

    Example:
        >>> import minigrad
        >>> minigrad.argsort(minigrad.tensor([[3.0, 1.0, 2.0]]), dim=1)
        tensor([[1, 2, 0]])
    """
    input = as_tensor(input)
    _, index = _sorted_along(input, dim, "argsort", descending)
    return Tensor._make(index.reshape(input.shape).astype(np.int64))


@op()
def msort(input: Tensor) -> Tensor:
    """Sorted along dim 0 (the values of ``sort(input, dim=0)``).

    Example:
        >>> import minigrad
        >>> minigrad.msort(minigrad.tensor([[2.0, 1.0], [1.0, 3.0]]))
        tensor([[1., 1.],
                [2., 3.]])
    """
    return sort(input, dim=0).values  # type: ignore[no-any-return]


@op()
def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:
    """The ``k`` largest (or smallest) elements along ``dim``: ``(values, indices)``, sorted.

    Example:
        >>> import minigrad
        >>> minigrad.topk(minigrad.tensor([1.0, 5.0, 3.0, 4.0]), 2)
        topk(values=tensor([5., 4.]), indices=tensor([1, 3]))
    """
    input = as_tensor(input)
    axis, order = _sorted_along(input, dim, "topk", descending=largest)
    n = input.shape[axis] if input.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError(f"topk: selected index k ({k}) out of range for dimension of size {n}")
    if input.ndim == 0:  # PyTorch gives the element for k = 0 too
        index = order
        values = _pick(Topk, _as_1d(input), index, axis)
        return _TopkResult(values.reshape(()), Tensor._make(index.reshape(()).astype(np.int64)))
    index = order[(slice(None),) * axis + (slice(0, k),)]
    values = _pick(Topk, input, index, axis)
    return _TopkResult(values, Tensor._make(index.astype(np.int64)))


def _select_result(
    cls: type, result: Any, input: Tensor, index: np.ndarray, axis: int, keepdim: bool
) -> Any:
    """Values at ``index`` (one per slice, keepdim-shaped) as ``result(values, indices)``."""
    values = _pick(cls, _as_1d(input), index, axis)
    if input.ndim == 0:
        return result(values.reshape(()), Tensor._make(np.zeros((), np.int64)))
    if not keepdim:
        values, index = values.squeeze(axis), np.squeeze(index, axis)
    return result(values, Tensor._make(index.astype(np.int64)))


@op()
def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False) -> Any:
    """The ``k``-th smallest element (``k`` from 1) along ``dim``: ``(values, indices)``.

    Example:
        >>> import minigrad
        >>> minigrad.kthvalue(minigrad.tensor([3.0, 1.0, 2.0]), 2)
        kthvalue(values=tensor(2.), indices=tensor(2))
    """
    input = as_tensor(input)
    axis, order = _sorted_along(input, dim, "kthvalue")
    n = input.shape[axis] if input.ndim else 1
    if not 1 <= k <= n:
        raise RuntimeError(
            f"kthvalue(): selected number k ({k}) out of range for dimension of size {n}"
        )
    index = order[(slice(None),) * axis + (slice(k - 1, k),)]
    return _select_result(Kthvalue, _KthvalueResult, input, index, axis, keepdim)


class MedianAll(Function):
    """The lower median of all elements; ties share the gradient equally (as PyTorch's)."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        flat = a.reshape(-1)
        if flat.dtype.kind == "f" and np.isnan(flat).any():
            out = np.asarray(np.nan, dtype=a.dtype)
        else:
            out = np.asarray(np.sort(flat, kind="stable")[(flat.size - 1) // 2])
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a, out = ctx.saved_tensors
        hit = a._data == out._data
        share = hit / max(int(hit.sum()), 1)
        return grad * _const(share.astype(grad.dtype))


@op()
def median(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
    """The lower median: of all elements (a 0-d tensor), or along ``dim`` as ``(values, indices)``.

    NaN propagates (a slice holding one has median NaN, at its first NaN).

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([[1.0, 4.0, 2.0, 3.0]])
        >>> minigrad.median(x)
        tensor(2.)
        >>> x.median(dim=1)
        median(values=tensor([2.]), indices=tensor([2]))
    """
    input = as_tensor(input)
    if dim is None:
        if input.numel() == 0:
            return Tensor._make(np.asarray(np.nan, dtype=input.dtype))
        return MedianAll.apply(input)
    axis, order = _sorted_along(input, dim, "median")
    n = input.shape[axis] if input.ndim else 1
    if n == 0:
        raise IndexError(f"median(): Expected reduction dim {axis} to have non-zero size")
    mid = (n - 1) // 2
    index = order[(slice(None),) * axis + (slice(mid, mid + 1),)] if input.ndim else order
    data = input._data
    if input.ndim and data.dtype.kind == "f":
        nan = np.isnan(data)
        has = nan.any(axis=axis, keepdims=True)
        if has.any():
            index = np.where(has, np.argmax(nan, axis=axis, keepdims=True), index)
    return _select_result(Median, _MedianResult, input, index, axis, keepdim)


@op()
def mode(input: Tensor, dim: int = -1, keepdim: bool = False) -> Any:
    """The most frequent value along ``dim`` (the smallest of equally frequent ones) and
    the index of its last occurrence, as PyTorch: ``(values, indices)``.

    Example:
        >>> import minigrad
        >>> minigrad.mode(minigrad.tensor([2.0, 1.0, 2.0, 1.0, 3.0]))
        mode(values=tensor(1.), indices=tensor(3))
    """
    input = as_tensor(input)
    axis, order = _sorted_along(input, dim, "mode")
    data = input._data.reshape(1) if input.ndim == 0 else input._data
    n = data.shape[axis]
    if n == 0:
        raise IndexError(f"mode(): Expected reduction dim {axis} to have non-zero size")
    # Runs of equal values in the sorted slices (NaNs count as equal here); a run's
    # length is read at its end, which (the sort being stable) is its last occurrence.
    order_last = np.moveaxis(order, axis, -1)
    s = np.take_along_axis(np.moveaxis(data, axis, -1), order_last, axis=-1)
    new = s[..., 1:] != s[..., :-1]
    if s.dtype.kind == "f":
        new &= ~(np.isnan(s[..., 1:]) & np.isnan(s[..., :-1]))
    edge = np.ones((*s.shape[:-1], 1), dtype=bool)
    starts, ends = np.concatenate([edge, new], -1), np.concatenate([new, edge], -1)
    pos = np.arange(n)
    start = np.maximum.accumulate(np.where(starts, pos, 0), axis=-1)
    count = np.where(ends, pos - start + 1, 0)
    best = np.argmax(count, axis=-1)[..., None]  # the first longest run: the smallest value
    index = np.moveaxis(np.take_along_axis(order_last, best, axis=-1), -1, axis)
    return _select_result(Mode, _ModeResult, input, index, axis, keepdim)


@op(differentiable=False)
def unique(
    input: Tensor,
    sorted: bool = True,
    return_inverse: bool = False,
    return_counts: bool = False,
    dim: Any = None,
) -> Any:
    """The unique elements (or slices along ``dim``), sorted; optionally with the inverse
    indices and the counts. ``sorted=False`` also gives them sorted (as PyTorch on the CPU).

    Example:
        >>> import minigrad
        >>> minigrad.unique(minigrad.tensor([3, 1, 3, 2]), return_counts=True)
        (tensor([1, 2, 3]), tensor([1, 1, 2]))
    """
    input = as_tensor(input)
    data = input._data
    if dim is None:
        values, inverse, counts = np.unique(data, return_inverse=True, return_counts=True)
        inverse = inverse.reshape(data.shape)
    else:
        axis = normalize_dim(dim, input.ndim, "unique")
        if data.shape[axis] == 0:
            values = data
            inverse, counts = np.zeros(0, np.int64), np.zeros(0, np.int64)
        else:
            values, inverse, counts = np.unique(
                data, return_inverse=True, return_counts=True, axis=axis
            )
            inverse = inverse.reshape(-1)
    out = [Tensor._make(np.asarray(values))]
    if return_inverse:
        out.append(Tensor._make(inverse.astype(np.int64)))
    if return_counts:
        out.append(Tensor._make(counts.astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)
