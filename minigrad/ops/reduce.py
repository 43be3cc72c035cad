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
def var(
    input: Tensor,
    dim: Any = None,
    *,
    correction: int = 1,
    keepdim: bool = False,
    unbiased: bool | None = None,
) -> Tensor:
    """Variance over ``dim`` with ``correction`` (1: Bessel's, PyTorch's default).

    ``unbiased=False`` (PyTorch's older keyword) is ``correction=0``.

    Example:
        >>> import minigrad
        >>> minigrad.var(minigrad.tensor([1.0, 2.0, 3.0, 4.0]))
        tensor(1.6667)
    """
    input = as_tensor(input)
    _float_only(input, "var")
    if isinstance(dim, bool):  # PyTorch's legacy var(input, unbiased)
        dim, unbiased = None, dim
    if unbiased is not None:  # PyTorch's older spelling of correction=1 / correction=0
        correction = int(bool(unbiased))
    axes = normalize_dims(dim, input.ndim, "var")
    count = int(np.prod([input.shape[d] for d in axes]))
    centered = input - input.mean(axes, keepdim=True)
    return (centered * centered).sum(axes, keepdim=keepdim) / float(
        builtins.max(count - correction, 0)
    )


class _StdFromVar(Function):
    """``sqrt(var)`` whose gradient is 0 where the variance is 0 (as PyTorch's std)."""

    @staticmethod
    def forward(ctx: Context, v: Any) -> Any:
        out = np.sqrt(v)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (out,) = ctx.saved_tensors
        zero = Tensor._make(out.numpy() == 0)
        safe = out.masked_fill(zero, 1.0)
        return (grad / (safe * 2.0)).masked_fill(zero, 0.0)


@op()
def std(
    input: Tensor,
    dim: Any = None,
    *,
    correction: int = 1,
    keepdim: bool = False,
    unbiased: bool | None = None,
) -> Tensor:
    """Standard deviation: ``sqrt(var(...))``.

    Example:
        >>> import minigrad
        >>> minigrad.std(minigrad.tensor([1.0, 3.0]))
        tensor(1.4142)
    """
    return _StdFromVar.apply(
        var(input, dim, correction=correction, keepdim=keepdim, unbiased=unbiased)
    )


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
    if isinstance(dim, Tensor):  # torch.max(input, other): the elementwise maximum
        from minigrad.ops.elementwise import maximum

        return maximum(input, dim)
    return _extremum(input, dim, keepdim, largest=True)


@op()
def min(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
    """The minimum; with ``dim``, the named tuple ``(values, indices)``.

    Example:
        >>> import minigrad
        >>> minigrad.min(minigrad.tensor([[1.0, 5.0], [7.0, 2.0]]), dim=0).values
        tensor([1., 2.])
    """
    if isinstance(dim, Tensor):  # torch.min(input, other): the elementwise minimum
        from minigrad.ops.elementwise import minimum

        return minimum(input, dim)
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


# --------------------------------------------------------------------------- norms


def _keep(t: Tensor, shape: tuple[int, ...], axes: tuple[int, ...], keepdim: bool) -> Tensor:
    return t if keepdim else t.reshape(keepdim_shape(shape, axes))


class LinalgVectorNorm(Function):
    """``||x||_ord`` over ``dim``; the gradient at a zero norm is 0 (a subgradient, as PyTorch)."""

    @staticmethod
    def forward(ctx: Context, a: Any, ord: float, dim: tuple[int, ...], keepdim: bool) -> Any:
        absolute = np.abs(a)
        if ord == np.inf:
            out = np.amax(absolute, axis=dim, keepdims=keepdim) if a.size else np.zeros(())
        elif ord == -np.inf:
            out = np.amin(absolute, axis=dim, keepdims=keepdim)
        elif ord == 0:
            out = np.sum(a != 0, axis=dim, keepdims=keepdim).astype(a.dtype)
        elif ord == 1:
            out = np.sum(absolute, axis=dim, keepdims=keepdim)
        elif ord == 2:
            out = np.sqrt(np.sum(absolute * absolute, axis=dim, keepdims=keepdim))
        else:
            with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
                powered = np.sum(absolute**ord, axis=dim, keepdims=keepdim)
                out = powered ** (1.0 / ord)
        out = np.asarray(out, dtype=a.dtype)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a, out = ctx.saved_tensors
        p, dim, keepdim = ctx.attrs["ord"], ctx.attrs["dim"], ctx.attrs["keepdim"]
        g, norm = _keep(grad, a.shape, dim, keepdim), _keep(out, a.shape, dim, keepdim)
        if p == 0:
            return grad.sum() * 0.0 + Tensor._make(np.zeros(a.shape, dtype=grad.dtype))
        if p == 1:
            return g * a.sign()
        if p in (np.inf, -np.inf):
            hit = a._data.__abs__() == norm._data
            share = Tensor._make((hit / np.maximum(hit.sum(axis=dim, keepdims=True), 1)).astype(
                grad.dtype
            ))  # fmt: skip
            return g * a.sign() * share
        zero = norm == 0
        safe = where(zero, 1.0, norm)
        if p == 2:
            return a * where(zero, 0.0, g / safe)
        # d||x||_p / dx = x |x|^(p-2) / ||x||^(p-1); 0 where x == 0 or the norm is 0.
        a_zero = a == 0
        a_safe = where(a_zero, 1.0, a)
        term = where(a_zero, 0.0, a_safe * a_safe.abs() ** (p - 2))
        return term * where(zero, 0.0, g / safe ** (p - 1))


def _norm_input(input: Any, dtype: Any, who: str) -> Tensor:
    x = as_tensor(input)
    if dtype is not None:
        x = x.to(dtype)
    if x.dtype.kind != "f":
        raise RuntimeError(
            f"{who}: Expected a floating point or complex tensor as input. Got {x.dtype}"
        )
    return x


def _ord_value(ord: Any, who: str) -> float:
    if isinstance(ord, str) or isinstance(ord, bool) or not isinstance(ord, (int, float)):
        raise RuntimeError(f"{who}: ord must be a number for a vector norm, got {ord!r}")
    return float(ord)


@op(method=False, export=False)
def linalg_vector_norm(
    x: Tensor, ord: Any = 2, dim: Any = None, keepdim: bool = False, *, dtype: Any = None
) -> Tensor:
    """The vector ``ord``-norm over ``dim`` (all by default): ``minigrad.linalg.vector_norm``.

    ``ord`` is any number: ``inf``/``-inf`` give the largest/smallest ``|x|``, ``0``
    the count of nonzeros, others ``sum(|x|**ord) ** (1/ord)``. The gradient where
    the norm is 0 is 0; ties of ``inf``/``-inf`` share it equally.

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([[3.0, -4.0], [0.0, 1.0]])
        >>> minigrad.linalg.vector_norm(x), minigrad.linalg.vector_norm(x, 1, dim=1)
        (tensor(5.0990), tensor([7., 1.]))
        >>> minigrad.linalg.vector_norm(x, float("inf"))
        tensor(4.)
    """
    who = "linalg.vector_norm"
    t = _norm_input(x, dtype, who)
    p = _ord_value(ord, who)
    axes = normalize_dims(dim, t.ndim, who)
    if t._data.size == 0 and p < 0:
        raise RuntimeError(f"{who}: cannot compute the {ord} norm of an empty tensor")
    return LinalgVectorNorm.apply(t, ord=p, dim=axes, keepdim=keepdim)


@op(method=False, export=False)
def linalg_norm(
    A: Tensor, ord: Any = None, dim: Any = None, keepdim: bool = False, *, dtype: Any = None
) -> Tensor:
    """A vector or matrix norm, as ``torch.linalg.norm``: ``minigrad.linalg.norm``.

    With ``dim`` an int (or ``A`` 1-D) it is :func:`linalg_vector_norm`; with ``dim``
    a pair (or ``A`` 2-D and ``ord`` given) it is ``minigrad.linalg.matrix_norm``
    (``'fro'``, ``'nuc'``, ``±1``, ``±2``, ``±inf``). ``ord=None`` is the 2-norm of
    the flattened input (Frobenius for a pair of dims).

    Example:
        >>> import minigrad
        >>> A = minigrad.tensor([[1.0, -2.0], [3.0, 4.0]])
        >>> minigrad.linalg.norm(A), minigrad.linalg.norm(A, 1), minigrad.linalg.norm(A, dim=0)
        (tensor(5.4772), tensor(6.), tensor([3.1623, 4.4721]))
    """
    from minigrad.ops.decomp import linalg_matrix_norm

    who = "linalg.norm"
    t = _norm_input(A, dtype, who)
    if dim is not None and not isinstance(dim, (int, np.integer)):
        dims = tuple(dim)
        if len(dims) == 1:
            dim = dims[0]
        elif len(dims) == 2:
            return linalg_matrix_norm(t, "fro" if ord is None else ord, dims, keepdim)
        else:
            raise RuntimeError(
                f"{who}: If dim is specified, it must be of length 1 or 2. Got {dim}"
            )
    if dim is None and ord is not None:
        if t.ndim == 2:
            return linalg_matrix_norm(t, ord, (-2, -1), keepdim)
        if t.ndim != 1:
            raise RuntimeError(
                f"{who}: If dim is not specified but ord is, the input must be 1D or 2D. "
                f"Got {t.ndim}D."
            )
    return linalg_vector_norm(t, 2 if ord is None else ord, dim, keepdim)


@op()
def norm(
    input: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False, dtype: Any = None
) -> Tensor:
    """``torch.norm``: the vector ``p``-norm over ``dim`` (all by default); ``'fro'`` is the
    2-norm, ``'nuc'`` the nuclear norm of the matrices over two dims.

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([[3.0, 4.0], [0.0, 0.0]], requires_grad=True)
        >>> x.norm().item(), minigrad.norm(x, p=1, dim=1).tolist()
        (5.0, [7.0, 0.0])
        >>> x.norm(dim=1).sum().backward()  # norm 0: gradient 0
        >>> x.grad
        tensor([[0.6000, 0.8000],
                [0.0000, 0.0000]])
    """
    from minigrad.ops.decomp import linalg_matrix_norm

    t = _norm_input(input, dtype, "norm")
    if p == "nuc":
        dims = (-2, -1) if dim is None else tuple(dim)
        return linalg_matrix_norm(t, "nuc", dims, keepdim)
    if p == "fro" or p is None:
        if dim is not None and not isinstance(dim, (int, np.integer)) and len(tuple(dim)) > 2:
            raise RuntimeError(f"norm: 'fro' takes at most two dims (as torch), got {dim}")
        p = 2
    return linalg_vector_norm(t, p, dim, keepdim)


# --------------------------------------------------------------------------- statistics


@op(method=False)
def var_mean(
    input: Tensor, dim: Any = None, *, correction: int = 1, keepdim: bool = False
) -> tuple[Tensor, Tensor]:
    """``(var, mean)`` over ``dim`` in one call (``correction`` as :func:`var`).

    Example:
        >>> import minigrad
        >>> minigrad.var_mean(minigrad.tensor([1.0, 2.0, 3.0, 4.0]))
        (tensor(1.6667), tensor(2.5000))
    """
    input = as_tensor(input)
    return var(input, dim, correction=correction, keepdim=keepdim), mean(input, dim, keepdim)


@op(method=False)
def std_mean(
    input: Tensor, dim: Any = None, *, correction: int = 1, keepdim: bool = False
) -> tuple[Tensor, Tensor]:
    """``(std, mean)`` over ``dim`` in one call (``correction`` as :func:`std`).

    Example:
        >>> import minigrad
        >>> minigrad.std_mean(minigrad.tensor([[1.0, 3.0], [2.0, 2.0]]), dim=1)
        (tensor([1.4142, 0.0000]), tensor([2., 2.]))
    """
    input = as_tensor(input)
    return std(input, dim, correction=correction, keepdim=keepdim), mean(input, dim, keepdim)


@op(differentiable=False)
def count_nonzero(input: Tensor, dim: Any = None) -> Tensor:
    """The number of nonzero elements over ``dim`` (all by default), as int64.

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([[0, 1, 2], [0, 0, 3]])
        >>> minigrad.count_nonzero(x), x.count_nonzero(dim=0)
        (tensor(3), tensor([0, 1, 2]))
    """
    x = as_tensor(input)
    axes = normalize_dims(dim, x.ndim, "count_nonzero")
    return Tensor._make(np.asarray(np.count_nonzero(x._data, axis=axes), dtype=np.int64))


class MinMax(NamedTuple):
    """``(min, max)``, as returned by :func:`aminmax`.

    Example:
        >>> import minigrad
        >>> minigrad.aminmax(minigrad.tensor([3.0, -1.0, 2.0])).max
        tensor(3.)
    """

    min: Tensor
    max: Tensor


@op()
def aminmax(input: Tensor, *, dim: int | None = None, keepdim: bool = False) -> MinMax:
    """``(amin, amax)`` over ``dim`` (all by default); ties share the gradient equally.

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([[1.0, 5.0], [7.0, 2.0]])
        >>> minigrad.aminmax(x)
        MinMax(min=tensor(1.), max=tensor(7.))
        >>> x.aminmax(dim=1).min
        tensor([1., 2.])
    """
    x = as_tensor(input)
    if dim is not None:
        normalize_dim(dim, x.ndim, "aminmax")
    if x._data.size == 0:
        raise RuntimeError(
            f"aminmax: Expected reduction dim to be specified for input.numel() == 0 "
            f"(input shape {x.shape})"
        )
    return MinMax(amin(x, dim, keepdim), amax(x, dim, keepdim))


from minigrad.ops.elementwise import where  # noqa: E402  (used inside Prod.backward)
