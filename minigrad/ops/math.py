"""Elementwise math: inverse trigonometric and hyperbolic functions, ``erf`` and ``erfinv``.

Integer and bool inputs give the default float dtype (as PyTorch's float-valued
ops do). Every backward is written in Tensor ops, so it differentiates again.
Outside an op's real domain (``acos(2)``, ``atanh(1)``) the result is ``nan`` or
``inf`` as in PyTorch, without NumPy warnings.

``erf`` is W. J. Cody's rational approximation (accurate to float64 rounding);
``erfinv`` starts from M. Giles' approximation and refines it with four steps
(Halley on ``erf`` near 0, Newton on ``log erfc`` in the tails), so both are
pure NumPy and accurate to float64 rounding up to ``|y| -> 1``.

Example:
    >>> import minigrad
    >>> x = minigrad.tensor([0.5], dtype=minigrad.float64, requires_grad=True)
    >>> minigrad.erfinv(minigrad.erf(x)).item()
    0.49999999999999994
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from minigrad.autograd import ArrayFunction as Function
from minigrad.autograd import Context
from minigrad.ops._registry import op
from minigrad.ops._util import binary_operands, float_operand
from minigrad.tensor import Tensor, get_default_dtype

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def _quiet(fn: Any, *arrays: Any) -> Any:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return fn(*arrays)


# --------------------------------------------------------------------------- erf, erfinv

# W. J. Cody's rational approximations of erf/erfc (Math. Comp. 23, 1969), ~1e-16.
_ERF_A = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
          3.20937758913846947e03, 1.85777706184603153e-1)  # fmt: skip
_ERF_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
          2.84423683343917062e03)  # fmt: skip
_ERF_C = (5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
          2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
          2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8)  # fmt: skip
_ERF_D = (1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
          1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
          3.43936767414372164e03, 1.23033935480374942e03)  # fmt: skip
_ERF_P = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
          1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2)  # fmt: skip
_ERF_Q = (2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
          6.05183413124413191e-2, 2.33520497626869185e-3)  # fmt: skip


def _erfc_tail(v: np.ndarray) -> np.ndarray:
    """``erfc(v)`` for ``v > 0.46875`` (Cody's two outer ranges), accurate relative to itself."""
    out = np.empty_like(v)
    mid = v <= 4.0
    m = v[mid]
    num, den = _ERF_C[8] * m, m
    for c, d in zip(_ERF_C[:7], _ERF_D[:7]):
        num, den = (num + c) * m, (den + d) * m
    out[mid] = np.exp(-m * m) * (num + _ERF_C[7]) / (den + _ERF_D[7])
    b = v[~mid]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        z = 1.0 / (b * b)
        num, den = _ERF_P[5] * z, z
        for p, q in zip(_ERF_P[:4], _ERF_Q[:4]):
            num, den = (num + p) * z, (den + q) * z
        tail = (1.0 / math.sqrt(math.pi) - z * (num + _ERF_P[4]) / (den + _ERF_Q[4])) / b
        out[~mid] = np.where(np.isinf(b), 0.0, np.exp(-b * b) * tail)
    return out


def _erf(x: Any) -> np.ndarray:
    """The error function, elementwise, in float64 (NumPy has none)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.abs(x)
    out = np.empty_like(y)
    small = y <= 0.46875
    z = y[small] ** 2
    num, den = _ERF_A[4] * z, z
    for a, b in zip(_ERF_A[:3], _ERF_B[:3]):
        num, den = (num + a) * z, (den + b) * z
    out[small] = y[small] * (num + _ERF_A[3]) / (den + _ERF_B[3])
    big = y > 0.46875
    out[big] = 1.0 - _erfc_tail(y[big])
    out[np.isnan(y)] = np.nan
    return np.copysign(out, x)


# M. Giles, "Approximating the erfinv function" (GPU Computing Gems, 2010): the
# single-precision polynomials, about 1e-7 relative error, refined below.
_GILES_CENTRAL = (2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
                  -0.00125372503, -0.00417768164, 0.246640727, 1.50140941)  # fmt: skip
_GILES_TAIL = (-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844,
               0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682)  # fmt: skip


def _erfinv(y: Any) -> np.ndarray:
    """Inverse error function in float64: Giles' approximation, then four refining steps.

    The steps solve ``erf(x) = |y|`` near 0 and ``erfc(x) = 1 - |y|`` (exact for
    ``|y| >= 0.5``) in the tails, so the result is accurate up to ``|y| -> 1``.
    """
    y = np.asarray(y, dtype=np.float64)
    a = np.abs(y)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        w = -np.log((1.0 - a) * (1.0 + a))
        central = w < 5.0
        t = np.where(central, w - 2.5, np.sqrt(np.abs(w)) - 3.0)
        pc, pt = np.full_like(t, _GILES_CENTRAL[0]), np.full_like(t, _GILES_TAIL[0])
        for c, d in zip(_GILES_CENTRAL[1:], _GILES_TAIL[1:]):
            pc, pt = pc * t + c, pt * t + d
        finite = a < 1.0
        x = np.where(finite, np.where(central, pc, pt) * a, 0.0)
        tail = finite & (a >= 0.5)
        q = 1.0 - a  # exact for |y| >= 0.5
        for _ in range(4):
            # centre: Halley on f = erf(x) - |y| (f' = c exp(-x^2), f'' = -2x f');
            # tails: Newton on log(erfc(x)) - log(1 - |y|), nearly quadratic in x.
            slope = _TWO_OVER_SQRT_PI * np.exp(-x * x)
            step = (_erf(x) - a) / slope
            centre_x = x - step / (1.0 + x * step)
            e = _erfc_tail(np.maximum(x, 0.46875))
            tail_x = x + (np.log(e) - np.log(q)) * e / slope
            x = np.where(tail, tail_x, np.where(finite & (slope > 0), centre_x, x))
        x = np.where(a == 1.0, np.inf, x)
        return np.where((a > 1.0) | np.isnan(y), np.nan, np.copysign(x, y))


class Erf(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return _erf(a).astype(a.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (a,) = ctx.saved_tensors
        return grad * (-(a * a)).exp() * _TWO_OVER_SQRT_PI


class Erfinv(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        out = _erfinv(a).astype(a.dtype)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (out,) = ctx.saved_tensors
        return grad * (out * out).exp() * (math.sqrt(math.pi) / 2.0)


@op(inplace=True)
def erf(input: Any) -> Tensor:
    """The error function ``2/sqrt(pi) * integral_0^x exp(-t^2) dt``.

    Example:
        >>> import minigrad
        >>> minigrad.erf(minigrad.tensor([0.0, 1.0, -float("inf")]))
        tensor([ 0.0000,  0.8427, -1.0000])
    """
    return Erf.apply(float_operand(input))


@op(inplace=True)
def erfinv(input: Any) -> Tensor:
    """Inverse of ``erf`` on ``[-1, 1]`` (``±inf`` at ``±1``, ``nan`` outside).

    Example:
        >>> import minigrad
        >>> minigrad.erfinv(minigrad.tensor([0.0, 0.5, 1.0]))
        tensor([0.0000, 0.4769,    inf])
    """
    return Erfinv.apply(float_operand(input))


# --------------------------------------------------------------------------- trigonometric


class Acos(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return _quiet(np.arccos, a)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (a,) = ctx.saved_tensors
        return -grad / (1.0 - a * a).sqrt()


class Asin(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return _quiet(np.arcsin, a)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (a,) = ctx.saved_tensors
        return grad / (1.0 - a * a).sqrt()


class Atan(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return np.arctan(a)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (a,) = ctx.saved_tensors
        return grad / (a * a + 1.0)


class Tan(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        out = np.tan(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (out,) = ctx.saved_tensors
        return grad * (out * out + 1.0)


class Atan2(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return np.arctan2(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a, b = ctx.saved_tensors
        scale = grad / (a * a + b * b)
        ga = scale * b if ctx.needs_input_grad[0] else None
        gb = -scale * a if ctx.needs_input_grad[1] else None
        return ga, gb


class Hypot(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        out = np.hypot(a, b)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a, b, out = ctx.saved_tensors
        ga = grad * a / out if ctx.needs_input_grad[0] else None
        gb = grad * b / out if ctx.needs_input_grad[1] else None
        return ga, gb


@op(inplace=True, method=("acos", "arccos"))
def acos(input: Any) -> Tensor:
    """Inverse cosine, in ``[0, pi]`` (``nan`` outside ``[-1, 1]``).

    Example:
        >>> import minigrad
        >>> minigrad.acos(minigrad.tensor([1.0, 0.0]))
        tensor([0.0000, 1.5708])
    """
    return Acos.apply(float_operand(input))


@op(inplace=True, method=("asin", "arcsin"))
def asin(input: Any) -> Tensor:
    """Inverse sine, in ``[-pi/2, pi/2]`` (``nan`` outside ``[-1, 1]``).

    Example:
        >>> import minigrad
        >>> minigrad.asin(minigrad.tensor([1.0]))
        tensor([1.5708])
    """
    return Asin.apply(float_operand(input))


@op(inplace=True, method=("atan", "arctan"))
def atan(input: Any) -> Tensor:
    """Inverse tangent, in ``(-pi/2, pi/2)``.

    Example:
        >>> import minigrad
        >>> minigrad.atan(minigrad.tensor([1.0]))
        tensor([0.7854])
    """
    return Atan.apply(float_operand(input))


@op(inplace=True)
def tan(input: Any) -> Tensor:
    """Tangent (radians).

    Example:
        >>> import minigrad
        >>> minigrad.tan(minigrad.tensor([0.0]))
        tensor([0.])
    """
    return Tan.apply(float_operand(input))


def _float_pair(input: Any, other: Any) -> tuple[Any, Any]:
    a, b = binary_operands(input, other)
    dtype = a.dtype if isinstance(a, (Tensor, np.ndarray)) else np.asarray(a).dtype
    if dtype.kind in "biu":
        a, b = (x.to(get_default_dtype()) if isinstance(x, Tensor) else
                np.asarray(x, dtype=get_default_dtype()) for x in (a, b))  # fmt: skip
    return a, b


@op(inplace=True, method=("atan2", "arctan2"))
def atan2(input: Any, other: Any) -> Tensor:
    """The angle of the point ``(other, input)``: ``atan(input / other)`` in the right quadrant.

    Example:
        >>> import minigrad
        >>> minigrad.atan2(minigrad.tensor([1.0, 1.0]), minigrad.tensor([1.0, -1.0]))
        tensor([0.7854, 2.3562])
    """
    return Atan2.apply(*_float_pair(input, other))


@op(inplace=True)
def hypot(input: Any, other: Any) -> Tensor:
    """``sqrt(input**2 + other**2)`` without overflow (floating inputs only, as PyTorch).

    Example:
        >>> import minigrad
        >>> minigrad.hypot(minigrad.tensor([3.0]), minigrad.tensor([4.0]))
        tensor([5.])
    """
    a, b = binary_operands(input, other)
    dtype = a.dtype if isinstance(a, (Tensor, np.ndarray)) else np.asarray(a).dtype
    if dtype.kind != "f":
        raise RuntimeError(f"hypot: expected floating point inputs, got {dtype}")
    return Hypot.apply(a, b)


# --------------------------------------------------------------------------- hyperbolic


class Sinh(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return _quiet(np.sinh, a)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (a,) = ctx.saved_tensors
        return grad * cosh(a)


class Cosh(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return _quiet(np.cosh, a)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (a,) = ctx.saved_tensors
        return grad * sinh(a)


class Asinh(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return np.arcsinh(a)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (a,) = ctx.saved_tensors
        return grad / (a * a + 1.0).sqrt()


class Acosh(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return _quiet(np.arccosh, a)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (a,) = ctx.saved_tensors
        return grad / ((a - 1.0) * (a + 1.0)).sqrt()


class Atanh(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return _quiet(np.arctanh, a)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (a,) = ctx.saved_tensors
        return grad / (1.0 - a * a)


@op(inplace=True)
def sinh(input: Any) -> Tensor:
    """Hyperbolic sine.

    Example:
        >>> import minigrad
        >>> minigrad.sinh(minigrad.tensor([0.0]))
        tensor([0.])
    """
    return Sinh.apply(float_operand(input))


@op(inplace=True)
def cosh(input: Any) -> Tensor:
    """Hyperbolic cosine.

    Example:
        >>> import minigrad
        >>> minigrad.cosh(minigrad.tensor([0.0]))
        tensor([1.])
    """
    return Cosh.apply(float_operand(input))


@op(inplace=True, method=("asinh", "arcsinh"))
def asinh(input: Any) -> Tensor:
    """Inverse hyperbolic sine.

    Example:
        >>> import minigrad
        >>> minigrad.asinh(minigrad.tensor([0.0]))
        tensor([0.])
    """
    return Asinh.apply(float_operand(input))


@op(inplace=True, method=("acosh", "arccosh"))
def acosh(input: Any) -> Tensor:
    """Inverse hyperbolic cosine (``nan`` below 1).

    Example:
        >>> import minigrad
        >>> minigrad.acosh(minigrad.tensor([1.0]))
        tensor([0.])
    """
    return Acosh.apply(float_operand(input))


@op(inplace=True, method=("atanh", "arctanh"))
def atanh(input: Any) -> Tensor:
    """Inverse hyperbolic tangent (``±inf`` at ``±1``, ``nan`` outside).

    Example:
        >>> import minigrad
        >>> minigrad.atanh(minigrad.tensor([0.0, 1.0]))
        tensor([0., inf])
    """
    return Atanh.apply(float_operand(input))
