"""Reductions: sum, mean, prod, var, std, max/min, amax/amin, argmax/argmin,
logsumexp, softmax and log_softmax.

``dim`` is an int, a tuple of ints (negative allowed) or ``None`` for all.

Tie rule: ``amax``/``amin`` and full ``max()``/``min()`` share the gradient
equally among all elements equal to the extremum; ``max(dim)``/``min(dim)``
send it to the one index they return (the first occurrence). Both are PyTorch's rules.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from minigrad.autograd import ArrayFunction as Function
from minigrad.autograd import Context
from minigrad.ops._registry import op
from minigrad.ops._util import as_tensor, keepdim_shape, normalize_dim, normalize_dims
from minigrad.tensor import Tensor


def _spread(
    grad: Tensor, in_shape: tuple[int, ...], axes: tuple[int, ...], keepdim: bool
) -> Tensor:
    """Broadcast the gradient of a reduction back over the reduced axes."""
    if not keepdim:
        grad = grad.reshape(keepdim_shape(in_shape, axes))
    return grad.broadcast_to(in_shape)


def _float_only(t: Tensor, who: str) -> None:
    if t.dtype.kind != "f":
        raise TypeError(f"{who}: input dtype must be floating, got {t.dtype}")


class Sum(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, dim: tuple[int, ...], keepdim: bool) -> Any:
        ctx.in_shape = a.shape
        out = np.sum(a, axis=dim, keepdims=keepdim)
        if a.dtype.kind in "biu":
            out = out.astype(np.int64)
        return np.asarray(out)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return _spread(grad, ctx.in_shape, ctx.attrs["dim"], ctx.attrs["keepdim"])


class Mean(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, dim: tuple[int, ...], keepdim: bool) -> Any:
        ctx.in_shape = a.shape
        ctx.count = int(np.prod([a.shape[d] for d in dim]))
        return np.asarray(np.mean(a, axis=dim, keepdims=keepdim))

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        spread = _spread(grad, ctx.in_shape, ctx.attrs["dim"], ctx.attrs["keepdim"])
        return spread / float(ctx.count)


class Prod(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, dim: tuple[int, ...], keepdim: bool) -> Any:
        ctx.save_for_backward(a)
        return np.asarray(np.prod(a, axis=dim, keepdims=keepdim))

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        # d prod / d x_i = product of the others, computed without dividing by zero.
        # Where the zeros are, the factors that are 0 stay in the formula as tensors
        # (``zero_sum``), so that second derivatives are exact too.
        (a,) = ctx.saved_tensors
        dim = ctx.attrs["dim"]
        is_zero = a == 0
        nonzero = a.masked_fill(is_zero, 1.0)
        prod_nonzero = nonzero.prod(dim, keepdim=True)
        zeros = is_zero.sum(dim, keepdim=True)
        zero_sum = where(is_zero, a, 0.0).sum(dim, keepdim=True)  # 0, with gradient 1
        others = where(
            zeros == 0,
            prod_nonzero / nonzero,
            where(
                zeros == 1,
                where(is_zero, prod_nonzero, prod_nonzero / nonzero * zero_sum),
                where((zeros == 2) & is_zero, prod_nonzero * (zero_sum - a), 0.0),
            ),
        )
        return _spread(grad, a.shape, dim, ctx.attrs["keepdim"]) * others


class AMax(Function):
    """Maximum over axes; ties share the gradient equally."""

    _reduce: Callable[..., Any] = staticmethod(np.amax)

    @classmethod
    def forward(cls, ctx: Context, a: Any, dim: tuple[int, ...], keepdim: bool) -> Any:
        if a.size == 0:
            raise RuntimeError(f"{cls.__name__.lower()}: the input is empty")
        out = np.asarray(cls._reduce(a, axis=dim, keepdims=keepdim))
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a, out = ctx.saved_tensors
        dim, keepdim = ctx.attrs["dim"], ctx.attrs["keepdim"]
        out_keep = out._data.reshape(keepdim_shape(a.shape, dim))
        hit = a._data == out_keep
        share = hit / hit.sum(axis=dim, keepdims=True)
        return _spread(grad, a.shape, dim, keepdim) * Tensor._make(share.astype(grad.dtype))


class AMin(AMax):
    """Minimum over axes; ties share the gradient equally."""

    _reduce = staticmethod(np.amin)


class SelectAlongDim(Function):
    """Values picked at given indices along one dim (max/min with ``dim``)."""

    @staticmethod
    def forward(ctx: Context, a: Any, index: np.ndarray, dim: int, keepdim: bool) -> Any:
        ctx.in_shape = a.shape
        ctx.save_for_backward(index)
        out = np.take_along_axis(a, index, axis=dim)
        return out if keepdim else np.squeeze(out, axis=dim)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        dim = ctx.attrs["dim"]
        positions = np.arange(ctx.in_shape[dim]).reshape(
            [-1 if i == dim else 1 for i in range(len(ctx.in_shape))]
        )
        (index,) = ctx.saved_tensors
        onehot = Tensor._make((positions == index._data).astype(grad.dtype))
        return _spread(grad, ctx.in_shape, (dim,), ctx.attrs["keepdim"]) * onehot, None


class Max(SelectAlongDim):
    pass


class Min(SelectAlongDim):
    pass


class Softmax(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, dim: int) -> Any:
        shifted = a - np.max(a, axis=dim, keepdims=True)
        e = np.exp(shifted)
        out = e / np.sum(e, axis=dim, keepdims=True)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (out,) = ctx.saved_tensors
        dim = ctx.attrs["dim"]
        return out * (grad - (grad * out).sum(dim, keepdim=True))


class LogSoftmax(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, dim: int) -> Any:
        shifted = a - np.max(a, axis=dim, keepdims=True)
        out = shifted - np.log(np.sum(np.exp(shifted), axis=dim, keepdims=True))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (out,) = ctx.saved_tensors
        dim = ctx.attrs["dim"]
        return grad - out.exp() * grad.sum(dim, keepdim=True)


# --------------------------------------------------------------------------- functional


class MaxMin(NamedTuple):
    """``(values, indices)``, as returned by ``max(dim)`` and ``min(dim)``.

    Example:
        >>> import minigrad
        >>> values, indices = minigrad.tensor([[1.0, 3.0], [4.0, 2.0]]).max(dim=1)
        >>> values, indices
        (tensor([3., 4.]), tensor([1, 0]))
    """

    values: Tensor
    indices: Tensor


@op()
def sum(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Sum over ``dim`` (all dims by default). Integer and bool inputs sum to int64.

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> minigrad.sum(x, dim=0)
        tensor([4., 6.])
        >>> x.sum(dim=(0, 1), keepdim=True)
        tensor([[10.]])
    """
    input = as_tensor(input)
    return Sum.apply(input, dim=normalize_dims(dim, input.ndim, "sum"), keepdim=keepdim)


@op()
def mean(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Mean over ``dim`` (all dims by default); floating inputs only.

    Example:
        >>> import minigrad
        >>> minigrad.mean(minigrad.tensor([[1.0, 2.0], [3.0, 4.0]]), dim=-1)
        tensor([1.5, 3.5])
    """
    input = as_tensor(input)
    _float_only(input, "mean")
    return Mean.apply(input, dim=normalize_dims(dim, input.ndim, "mean"), keepdim=keepdim)


@op()
def prod(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Product over ``dim``; the gradient is exact even where elements are 0.

    Example:
        >>> import minigrad
        >>> minigrad.prod(minigrad.tensor([2.0, 3.0, 4.0]))
        tensor(24.)
    """
    input = as_tensor(input)
    return Prod.apply(input, dim=normalize_dims(dim, input.ndim, "prod"), keepdim=keepdim)


@op()
def var(input: Tensor, dim: Any = None, *, correction: int = 1, keepdim: bool = False) -> Tensor:
    """Variance over ``dim`` with ``correction`` (1: Bessel's, PyTorch's default).

    Example:
        >>> import minigrad
        >>> minigrad.var(minigrad.tensor([1.0, 2.0, 3.0, 4.0]))
        tensor(1.6667)
    """
    input = as_tensor(input)
    _float_only(input, "var")
    axes = normalize_dims(dim, input.ndim, "var")
    count = int(np.prod([input.shape[d] for d in axes]))
    centered = input - input.mean(axes, keepdim=True)
    return (centered * centered).sum(axes, keepdim=keepdim) / float(
        builtins.max(count - correction, 0)
    )


@op()
def std(input: Tensor, dim: Any = None, *, correction: int = 1, keepdim: bool = False) -> Tensor:
    """Standard deviation: ``sqrt(var(...))``.

    Example:
        >>> import minigrad
        >>> minigrad.std(minigrad.tensor([1.0, 3.0]))
        tensor(1.4142)
    """
    return var(input, dim, correction=correction, keepdim=keepdim).sqrt()


def _extremum(input: Any, dim: Any, keepdim: bool, largest: bool) -> Any:
    input = as_tensor(input)
    name = "max" if largest else "min"
    if dim is None:
        return amax(input) if largest else amin(input)
    axis = normalize_dim(dim, input.ndim, name)
    if input.ndim == 0:
        return MaxMin(input.clone(), Tensor._make(np.zeros((), dtype=np.int64)))
    if input.shape[axis] == 0:
        raise IndexError(f"{name}: dimension {dim} of the input is empty")
    pick = np.argmax if largest else np.argmin
    index = np.expand_dims(pick(input._data, axis=axis), axis)
    fn = Max if largest else Min
    values = fn.apply(input, index, dim=axis, keepdim=keepdim)
    indices = index if keepdim else np.squeeze(index, axis=axis)
    return MaxMin(values, Tensor._make(indices.astype(np.int64)))


@op()
def max(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
    """The maximum; with ``dim``, the named tuple ``(values, indices)``.

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([[1.0, 5.0], [7.0, 2.0]])
        >>> minigrad.max(x)
        tensor(7.)
        >>> x.max(dim=1).indices
        tensor([1, 0])
    """
    return _extremum(input, dim, keepdim, largest=True)


@op()
def min(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
    """The minimum; with ``dim``, the named tuple ``(values, indices)``.

    Example:
        >>> import minigrad
        >>> minigrad.min(minigrad.tensor([[1.0, 5.0], [7.0, 2.0]]), dim=0).values
        tensor([1., 2.])
    """
    return _extremum(input, dim, keepdim, largest=False)


@op()
def amax(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Maximum over ``dim`` (all by default); ties share the gradient equally.

    Example:
        >>> import minigrad
        >>> minigrad.amax(minigrad.tensor([[1.0, 5.0], [7.0, 2.0]]), dim=-1)
        tensor([5., 7.])
    """
    input = as_tensor(input)
    return AMax.apply(input, dim=normalize_dims(dim, input.ndim, "amax"), keepdim=keepdim)


@op()
def amin(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Minimum over ``dim`` (all by default); ties share the gradient equally.

    Example:
        >>> import minigrad
        >>> minigrad.amin(minigrad.tensor([[1.0, 5.0], [7.0, 2.0]]), dim=0)
        tensor([1., 2.])
    """
    input = as_tensor(input)
    return AMin.apply(input, dim=normalize_dims(dim, input.ndim, "amin"), keepdim=keepdim)


def _arg(input: Any, dim: int | None, keepdim: bool, pick: Any, name: str) -> Tensor:
    input = as_tensor(input)
    if dim is None:
        out = np.asarray(pick(input._data.reshape(-1)))
        if keepdim:
            out = out.reshape((1,) * input.ndim)
    else:
        axis = normalize_dim(dim, input.ndim, name)
        out = pick(input._data, axis=axis, keepdims=keepdim) if input.ndim else np.asarray(0)
    return Tensor._make(np.asarray(out, dtype=np.int64))


@op(differentiable=False)
def argmax(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the maximum (of the flattened input when ``dim`` is None).

    Example:
        >>> import minigrad
        >>> minigrad.argmax(minigrad.tensor([[1.0, 5.0], [7.0, 2.0]]), dim=1)
        tensor([1, 0])
    """
    return _arg(input, dim, keepdim, np.argmax, "argmax")


@op(differentiable=False)
def argmin(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the minimum (of the flattened input when ``dim`` is None).

    Example:
        >>> import minigrad
        >>> minigrad.argmin(minigrad.tensor([3.0, 1.0, 2.0]))
        tensor(1)
    """
    return _arg(input, dim, keepdim, np.argmin, "argmin")


@op()
def logsumexp(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """``log(sum(exp(x)))`` over ``dim``, stable for large inputs (its gradient is softmax).

    Example:
        >>> import minigrad
        >>> minigrad.logsumexp(minigrad.tensor([1e4, 1e4], dtype=minigrad.float64), dim=0)
        tensor(10000.6931, dtype=minigrad.float64)
    """
    input = as_tensor(input)
    axes = normalize_dims(dim, input.ndim, "logsumexp")
    shift = input.detach().amax(axes, keepdim=True)
    shift = shift.masked_fill(~(shift.abs() < np.inf), 0.0)  # keep inf/nan rows as they are
    total = (input - shift).exp().sum(axes, keepdim=True).log() + shift
    return total if keepdim else total.squeeze(axes) if axes else total


@op()
def softmax(input: Tensor, dim: int) -> Tensor:
    """Softmax along ``dim``, stable for logits of any size.

    Example:
        >>> import minigrad
        >>> minigrad.softmax(minigrad.tensor([1e4, 1e4]), dim=0)
        tensor([0.5, 0.5])
    """
    input = as_tensor(input)
    _float_only(input, "softmax")
    return Softmax.apply(input, dim=normalize_dim(dim, input.ndim, "softmax"))


@op()
def log_softmax(input: Tensor, dim: int) -> Tensor:
    """Log-softmax along ``dim``, stable for logits of any size.

    Example:
        >>> import minigrad
        >>> minigrad.log_softmax(minigrad.tensor([0.0, 0.0]), dim=0)
        tensor([-0.6931, -0.6931])
    """
    input = as_tensor(input)
    _float_only(input, "log_softmax")
    return LogSoftmax.apply(input, dim=normalize_dim(dim, input.ndim, "log_softmax"))


from minigrad.ops.elementwise import where  # noqa: E402  (used inside Prod.backward)
