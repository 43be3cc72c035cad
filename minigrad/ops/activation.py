"""Activation functions, as ``torch.nn.functional`` has them.

``leaky_relu gelu silu mish elu selu celu hardtanh relu6 hardswish hardsigmoid
logsigmoid softsign softmin softplus prelu glu tanhshrink threshold``, with
PyTorch's signatures and defaults; ``selu``, ``celu``, ``threshold`` and
``prelu`` are also ``minigrad.<name>`` (as in torch). Those that take
``inplace=True`` write the result into the input (through the recorded in-place
path, so gradients stay right).

Gradients at kinks follow PyTorch: ``hardtanh``/``relu6``/``hardsigmoid`` pass
no gradient at their bounds, ``threshold`` none at ``x == threshold``,
``leaky_relu``/``prelu`` the negative slope at 0, ``elu``/``celu`` ``alpha`` at
0, ``hardswish`` ``x/3 + 1/2`` on ``[-3, 3]``. The smooth ones are built from
other ops or have Tensor-op backwards, so second derivatives work.

Example:
    >>> import minigrad
    >>> from minigrad.nn import functional as F
    >>> x = minigrad.tensor([-2.0, 0.0, 2.0])
    >>> F.relu6(x * 4), F.hardtanh(x, -1.0, 1.0)
    (tensor([0., 0., 6.]), tensor([-1.,  0.,  1.]))
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from minigrad.autograd import ArrayFunction as Function
from minigrad.autograd import Context
from minigrad.ops._registry import op
from minigrad.ops._util import as_tensor, float_operand, normalize_dim
from minigrad.ops.elementwise import where
from minigrad.ops.math import _erf
from minigrad.tensor import Tensor

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _mask(condition: np.ndarray, dtype: np.dtype) -> Tensor:
    return Tensor._make(condition.astype(dtype))


def _inplace(input: Any, name: str, fn: Any, **kwargs: Any) -> Tensor:
    """``fn(input, **kwargs)`` written into ``input`` (``F.<name>(..., inplace=True)``)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}: inplace=True needs a Tensor input, got {type(input).__name__}")
    return input._inplace_op(f"{name}_", fn, **kwargs)


# --------------------------------------------------------------------------- Functions


class LeakyRelu(Function):
    @staticmethod
    def forward(ctx: Context, x: Any, negative_slope: float) -> Any:
        positive = x > 0
        ctx.save_for_backward(positive)
        return np.where(positive, x, x * np.asarray(negative_slope, dtype=x.dtype))

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (positive,) = ctx.saved_tensors
        slope = np.where(positive._data, 1.0, ctx.attrs["negative_slope"]).astype(grad.dtype)
        return grad * Tensor._make(slope)


_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
#: Elements per block of the float32 kernels below: 256 KiB of float32, so that the
#: 26 passes of the polynomial and the rest run in the core's cache instead of streaming
#: from memory each time.
BLOCK = 65536
#: ``Phi(-a) = t * P(t) * exp(-a^2 / 2)``, ``t = 1 / (1 + p a)``, ``a >= 0``: a
#: least-squares fit (iteratively reweighted to near-minimax) of the error relative to
#: ``min(1.5e-7, 1e-5 * Phi(-a))`` on ``[0, 13.2]``: absolute error under 4.1e-9 and
#: relative error under 2.7e-7 in exact arithmetic, down to float32's smallest normal
#: numbers, so float32's own rounding dominates. ``P``'s coefficients, lowest power first.
_CDF_P = 0.296
_CDF_POLY = (0.11800232635181034, 0.11967851997719503, 0.09520556373297684,
             0.1408785990497795, -0.0781941972491916, 0.2352026185784819,
             -0.16723126404080707, 0.036457837693545034)  # fmt: skip


def normal_cdf(x: np.ndarray) -> np.ndarray:
    """``Phi(x)``, the standard normal CDF, elementwise: float32 in float32, exact in float64.

    float32 evaluates ``Phi(-|x|)`` as ``t P(t) exp(-x^2 / 2)`` (a degree-8 fit in
    ``t = 1 / (1 + 0.296 |x|)``), so that the tail keeps its relative accuracy, and
    ``Phi(x) = |H(x) - Phi(-|x|)|`` for the other side (``H`` the step function).
    Measured against ``math.erfc`` on 20,001 points of ``[-13, 13]``: absolute error
    below 2.5e-7, relative error below 2e-6 for ``|x| < 4`` and 3e-5 out to ``|x| = 13``
    (float32's rounding of ``x^2``). float64 uses :func:`minigrad.erf`.

    Example:
        >>> import numpy as np
        >>> from minigrad.ops.activation import normal_cdf
        >>> normal_cdf(np.array([-1.0, 0.0, 1.0], dtype=np.float32)).round(4).tolist()
        [0.1587, 0.5, 0.8413]
    """
    if x.dtype != np.float32:
        return (0.5 * (1.0 + _erf(x * _SQRT_HALF))).astype(x.dtype)
    return _gelu_f32(x)[1]


def _gelu_f32(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(x * Phi(x), Phi(x), exp(-x^2 / 2))`` for float32 ``x``, a cache-sized block at a time.

    Each block makes 26 passes (abs, the reciprocal, the polynomial, exp,
    the step) over 256 KiB that stay in cache, writing into the three outputs in place.
    """
    f32 = np.float32
    flat = np.ascontiguousarray(x).reshape(-1)
    y, cdf, gauss = np.empty_like(flat), np.empty_like(flat), np.empty_like(flat)
    a = np.empty(min(BLOCK, flat.size), np.float32)
    t, r = np.empty_like(a), np.empty_like(a)
    p, c0, c_top = f32(_CDF_P), f32(_CDF_POLY[0]), f32(_CDF_POLY[-1])
    coefficients = [f32(c) for c in reversed(_CDF_POLY[:-1])]
    for start in range(0, flat.size, BLOCK):  # (-inf gives nan, as torch's gelu)
        xb = flat[start : start + BLOCK]
        n = xb.size
        ab, tb, rb = a[:n], t[:n], r[:n]
        yb, cb, gb = y[start : start + n], cdf[start : start + n], gauss[start : start + n]
        np.abs(xb, out=ab)
        np.multiply(ab, p, out=tb)
        tb += f32(1.0)
        np.reciprocal(tb, out=tb)
        np.multiply(tb, c_top, out=rb)
        for c in coefficients[:-1]:
            rb += c
            rb *= tb
        rb += c0
        rb *= tb  # t * P(t)
        np.multiply(xb, xb, out=gb)
        gb *= f32(-0.5)
        np.exp(gb, out=gb)  # exp(-x^2 / 2), kept for the backward
        rb *= gb  # Phi(-|x|), accurate in the tail
        np.greater_equal(xb, f32(0.0), out=cb)  # H(x) as 1.0 / 0.0
        cb -= rb
        np.abs(cb, out=cb)  # Phi(x): 1 - Phi(-|x|) where x >= 0, Phi(-|x|) elsewhere
        with np.errstate(invalid="ignore"):
            np.multiply(xb, cb, out=yb)
    return y.reshape(x.shape), cdf.reshape(x.shape), gauss.reshape(x.shape)


class Gelu(Function):
    """``x * Phi(x)`` (the exact GELU) in one node; backward ``Phi(x) + x * phi(x)``."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        if x.dtype == np.float32:
            y, cdf, gauss = _gelu_f32(x)
        else:
            cdf = normal_cdf(x)
            gauss = np.exp(x * x * x.dtype.type(-0.5))
            y = x * cdf
        ctx.save_for_backward(x, cdf, gauss)
        return y

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        x, cdf, gauss = ctx.saved_tensors
        if ctx.create_graph:
            pdf = (x * x * -0.5).exp() * _INV_SQRT_2PI
            return grad * ((x * _SQRT_HALF).erf() * 0.5 + 0.5 + x * pdf)
        xa, ga = x.numpy(), grad.numpy()
        out = np.multiply(xa, gauss.numpy(), out=np.empty_like(xa))
        out *= xa.dtype.type(_INV_SQRT_2PI)  # x * phi(x)
        out += cdf.numpy()
        out *= ga
        return out


class Softplus(Function):
    """``log(1 + exp(beta * x)) / beta``, computed without overflow; ``x`` itself where
    ``beta * x > threshold`` (``threshold=inf``: never)."""

    @staticmethod
    def forward(ctx: Context, x: Any, beta: float = 1.0, threshold: float = math.inf) -> Any:
        ctx.save_for_backward(x)
        bx = x * np.asarray(beta, dtype=x.dtype)
        soft = np.logaddexp(np.zeros((), dtype=x.dtype), bx) / np.asarray(beta, dtype=x.dtype)
        return np.where(bx > threshold, x, soft)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (x,) = ctx.saved_tensors
        beta, threshold = ctx.attrs.get("beta", 1.0), ctx.attrs.get("threshold", math.inf)
        bx = x * beta
        linear = bx._data > threshold
        if not linear.any():
            return grad * bx.sigmoid()
        return grad * where(Tensor._make(linear), 1.0, bx.sigmoid())


class Hardtanh(Function):
    """``clamp(x, min_val, max_val)`` with no gradient at or beyond the bounds."""

    @staticmethod
    def forward(ctx: Context, x: Any, min_val: float, max_val: float) -> Any:
        ctx.save_for_backward(x)
        return np.clip(x, np.asarray(min_val, x.dtype), np.asarray(max_val, x.dtype))

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (x,) = ctx.saved_tensors
        lo, hi = ctx.attrs["min_val"], ctx.attrs["max_val"]
        return grad * _mask((x._data > lo) & (x._data < hi), grad.dtype)


class Hardswish(Function):
    """``x * relu6(x + 3) / 6``."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        ctx.save_for_backward(x)
        return x * np.clip(x + 3.0, 0.0, 6.0).astype(x.dtype) / np.asarray(6.0, x.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (x,) = ctx.saved_tensors
        inside = _mask((x._data >= -3.0) & (x._data <= 3.0), grad.dtype)
        above = _mask(x._data > 3.0, grad.dtype)
        return grad * (inside * (x / 3.0 + 0.5) + above)


class Hardsigmoid(Function):
    """``relu6(x + 3) / 6``."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        ctx.save_for_backward(x)
        return (np.clip(x + 3.0, 0.0, 6.0) / 6.0).astype(x.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (x,) = ctx.saved_tensors
        return grad * _mask((x._data > -3.0) & (x._data < 3.0), grad.dtype) / 6.0


# --------------------------------------------------------------------------- functional


@op(method=False, export=False)
def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """``input`` where positive, ``negative_slope * input`` elsewhere (the slope at 0).

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.leaky_relu(minigrad.tensor([-2.0, 3.0]), 0.1)
        tensor([-0.2000,  3.0000])
    """
    if inplace:
        return _inplace(input, "leaky_relu", leaky_relu, negative_slope=negative_slope)
    return LeakyRelu.apply(as_tensor(input), negative_slope=float(negative_slope))


@op(method=False, export=False)
def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """Gaussian error linear unit ``x * Phi(x)``; ``approximate='tanh'`` for the tanh form.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.gelu(minigrad.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.1587,  0.0000,  0.8413])
    """
    x = float_operand(input)
    if approximate == "none":
        return Gelu.apply(x)  # one node: x * Phi(x), Phi in cache-sized blocks
    if approximate == "tanh":
        inner = (x + x * x * x * 0.044715) * math.sqrt(2.0 / math.pi)
        return x * 0.5 * (inner.tanh() + 1.0)
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


@op(method=False, export=False)
def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """Sigmoid linear unit (swish) ``x * sigmoid(x)``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.silu(minigrad.tensor([0.0, 1.0]))
        tensor([0.0000, 0.7311])
    """
    if inplace:
        return _inplace(input, "silu", silu)
    x = float_operand(input)
    return x * x.sigmoid()


@op(method=False, export=False)
def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * tanh(softplus(x))``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.mish(minigrad.tensor([0.0, 1.0]))
        tensor([0.0000, 0.8651])
    """
    if inplace:
        return _inplace(input, "mish", mish)
    x = float_operand(input)
    return x * Softplus.apply(x).tanh()


def _elu(x: Tensor, alpha: float, scale: float = 1.0, input_scale: float = 1.0) -> Tensor:
    negative = (x.clamp(max=0.0) * input_scale).expm1() * alpha
    out = where(x > 0, x, negative)
    return out if scale == 1.0 else out * scale


@op(method=False, export=False)
def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """Exponential linear unit: ``x`` where positive, ``alpha * (exp(x) - 1)`` elsewhere.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.elu(minigrad.tensor([-1.0, 2.0]))
        tensor([-0.6321,  2.0000])
    """
    if inplace:
        return _inplace(input, "elu", elu, alpha=alpha)
    return _elu(float_operand(input), alpha)


@op(method=False)
def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """Scaled ELU ``scale * elu(x, alpha)`` with the self-normalising constants.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.selu(minigrad.tensor([-1.0, 1.0]))
        tensor([-1.1113,  1.0507])
    """
    if inplace:
        return _inplace(input, "selu", selu)
    return _elu(float_operand(input), _SELU_ALPHA, scale=_SELU_SCALE)


@op(method=False)
def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """Continuously differentiable ELU: ``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.celu(minigrad.tensor([-1.0, 1.0]), alpha=2.0)
        tensor([-0.7869,  1.0000])
    """
    if alpha == 0:
        raise RuntimeError("celu: ZeroDivisionError (alpha must not be 0)")
    if inplace:
        return _inplace(input, "celu", celu, alpha=alpha)
    return _elu(float_operand(input), alpha, input_scale=1.0 / alpha)


@op(method=False, export=False)
def hardtanh(
    input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False
) -> Tensor:
    """Clamp into ``[min_val, max_val]``; no gradient at or beyond the bounds.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.hardtanh(minigrad.tensor([-3.0, 0.5, 3.0]))
        tensor([-1.0000,  0.5000,  1.0000])
    """
    if max_val < min_val:
        raise ValueError(
            f"hardtanh: min_val cannot be greater than max_val, got {min_val} > {max_val}"
        )
    if inplace:
        return _inplace(input, "hardtanh", hardtanh, min_val=min_val, max_val=max_val)
    return Hardtanh.apply(as_tensor(input), min_val=min_val, max_val=max_val)


@op(method=False, export=False)
def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """``min(max(x, 0), 6)`` (``hardtanh(x, 0, 6)``).

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.relu6(minigrad.tensor([-1.0, 3.0, 9.0]))
        tensor([0., 3., 6.])
    """
    return hardtanh(input, 0.0, 6.0, inplace=inplace)


@op(method=False, export=False)
def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * relu6(x + 3) / 6`` (MobileNetV3).

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.hardswish(minigrad.tensor([-4.0, 1.0, 4.0]))
        tensor([-0.0000,  0.6667,  4.0000])
    """
    if inplace:
        return _inplace(input, "hardswish", hardswish)
    return Hardswish.apply(float_operand(input))


@op(method=False, export=False)
def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """``relu6(x + 3) / 6``: 0 below -3, 1 above 3, linear between.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.hardsigmoid(minigrad.tensor([-4.0, 0.0, 4.0]))
        tensor([0.0000, 0.5000, 1.0000])
    """
    if inplace:
        return _inplace(input, "hardsigmoid", hardsigmoid)
    return Hardsigmoid.apply(float_operand(input))


@op(method=False, export=False)
def logsigmoid(input: Tensor) -> Tensor:
    """``log(sigmoid(x)) = -softplus(-x)``, stable for large ``|x|``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.logsigmoid(minigrad.tensor([0.0, -1000.0]))
        tensor([-6.9315e-01, -1.0000e+03])
    """
    return -Softplus.apply(-float_operand(input))


@op(method=False, export=False)
def softsign(input: Tensor) -> Tensor:
    """``x / (1 + |x|)``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.softsign(minigrad.tensor([-1.0, 3.0]))
        tensor([-0.5000,  0.7500])
    """
    x = float_operand(input)
    return x / (x.abs() + 1.0)


@op(method=False, export=False)
def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """``log(1 + exp(beta * x)) / beta``; linear (``x``) where ``beta * x > threshold``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.softplus(minigrad.tensor([0.0, 30.0]))
        tensor([ 0.6931, 30.0000])
    """
    if beta == 0:
        raise RuntimeError("softplus: ZeroDivisionError (beta must not be 0)")
    return Softplus.apply(float_operand(input), beta=float(beta), threshold=float(threshold))


@op(method=False, export=False)
def softmin(
    input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None
) -> Tensor:
    """``softmax(-x)`` along ``dim`` (without ``dim``, PyTorch's legacy choice and a warning).

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.softmin(minigrad.tensor([[1.0, 2.0]]), dim=1)
        tensor([[0.7311, 0.2689]])
    """
    from minigrad.ops.reduce import softmax

    x = as_tensor(input)
    x = x if dtype is None else x.to(dtype)
    if dim is None:
        warnings.warn(
            "Implicit dimension choice for softmin has been deprecated. "
            "Change the call to include dim=X as an argument.",
            stacklevel=_stacklevel,
        )
        dim = 0 if x.ndim in (0, 1, 3) else 1
    return softmax(-x, dim)


@op()
def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """``x`` where positive, ``weight * x`` elsewhere; ``weight`` has 1 or ``C`` elements
    (one per channel, dim 1 of the input).

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.prelu(minigrad.tensor([[-1.0, -1.0], [2.0, 2.0]]), minigrad.tensor([0.1, 0.5]))
        tensor([[-0.1000, -0.5000],
                [ 2.0000,  2.0000]])
    """
    x, w = as_tensor(input), as_tensor(weight)
    if w.ndim > 1:
        raise RuntimeError(f"prelu: weight must be 0-D or 1-D, got shape {w.shape}")
    n = w.numel()
    if n != 1:
        channels = x.shape[1] if x.ndim >= 2 else 1
        if n != channels:
            raise RuntimeError(
                f"prelu: Mismatch of parameter numbers and input channel size. Found parameter "
                f"numbers = {n} and channel size = {channels} (input shape {x.shape})"
            )
        w = w.reshape(n, *([1] * (x.ndim - 2)))
    else:
        w = w.reshape(())
    return where(x > 0, x, w * x)


@op(method=False, export=False)
def glu(input: Tensor, dim: int = -1) -> Tensor:
    """Gated linear unit: split ``input`` in halves ``a, b`` along ``dim``; ``a * sigmoid(b)``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.glu(minigrad.tensor([[1.0, 2.0, 0.0, 100.0]]))
        tensor([[0.5000, 2.0000]])
    """
    x = as_tensor(input)
    if x.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    axis = normalize_dim(dim, x.ndim, "glu")
    size = x.shape[axis]
    if size % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {axis} is size {size}")
    half = size // 2
    first = tuple(slice(0, half) if i == axis else slice(None) for i in range(axis + 1))
    second = tuple(slice(half, size) if i == axis else slice(None) for i in range(axis + 1))
    return x[first] * x[second].sigmoid()


@op(method=False, export=False)
def tanhshrink(input: Tensor) -> Tensor:
    """``x - tanh(x)``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.tanhshrink(minigrad.tensor([0.0, 1.0]))
        tensor([0.0000, 0.2384])
    """
    x = float_operand(input)
    return x - x.tanh()


@op(method=False)
def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """``x`` where ``x > threshold``, else ``value`` (no gradient there).

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.threshold(minigrad.tensor([-1.0, 0.5, 2.0]), 1.0, 0.0)
        tensor([0., 0., 2.])
    """
    limit = threshold
    if inplace:
        return _inplace(input, "threshold", _threshold, limit=limit, value=value)
    return _threshold(input, limit=limit, value=value)


def _threshold(input: Any, *, limit: float, value: float) -> Tensor:
    x = as_tensor(input)
    return where(x > limit, x, np.asarray(value, dtype=x.dtype))
