"""Rounding, signs, integer-style division, clamping to one side and ``nan_to_num``.

PyTorch's semantics throughout:

* ``floor ceil round trunc sign sgn`` keep the dtype (integers come back
  unchanged) and have a gradient of zero everywhere (a ``grad_fn`` is recorded);
  ``round`` rounds half to even and takes ``decimals``.
* ``fmod`` is C's remainder (the sign of the dividend), ``remainder`` is Python's
  ``%`` (the sign of the divisor), ``floor_divide`` is Python's ``//`` (rounds
  toward minus infinity), also as the ``//`` and ``%`` operators. On integer
  tensors a zero divisor raises ``RuntimeError: ZeroDivisionError``, as in
  PyTorch; on floats it gives ``inf``/``nan``. ``floor_divide`` has no
  gradient (PyTorch has none); ``div(rounding_mode=...)`` has a zero one.

Example:
    >>> import minigrad
    >>> a = minigrad.tensor([-7, 7])
    >>> a // 2, a % 3, minigrad.fmod(a, 3)
    (tensor([-4,  3]), tensor([2, 1]), tensor([-1,  1]))
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from minigrad.autograd import ArrayFunction as Function
from minigrad.autograd import Context
from minigrad.ops._registry import op
from minigrad.ops._util import as_tensor, binary_operands
from minigrad.tensor import Tensor, get_default_dtype

_TORCH_TYPE = {"int8": "Char", "int16": "Short", "int32": "Int", "int64": "Long", "uint8": "Byte",
               "bool": "Bool"}  # fmt: skip


def _zeros_like(grad: Tensor) -> Tensor:
    return Tensor._make(np.zeros(grad.shape, dtype=grad.dtype))


def _data(x: Any) -> Any:
    return x._data if isinstance(x, Tensor) else x


def _kind(x: Any) -> str:
    return str(x.dtype.kind if isinstance(x, (Tensor, np.ndarray)) else np.asarray(x).dtype.kind)


def _check_integer_divisor(b: Any, who: str) -> None:
    if not np.all(_data(b)):
        raise RuntimeError(f"ZeroDivisionError: {who}: integer division by zero (the divisor "
                           f"holds a 0)")  # fmt: skip


# --------------------------------------------------------------------------- rounding


class _Piecewise(Function):
    """A piecewise-constant op: its gradient is zero everywhere (as PyTorch's)."""

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return _zeros_like(grad)


class Floor(_Piecewise):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        return np.floor(a)


class Ceil(_Piecewise):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        return np.ceil(a)


class Trunc(_Piecewise):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        return np.trunc(a)


class Round(_Piecewise):
    @staticmethod
    def forward(ctx: Context, a: Any, decimals: int) -> Any:
        if decimals == 0:
            return np.rint(a)
        scale = np.asarray(10.0 ** builtins.abs(decimals), dtype=a.dtype)
        with np.errstate(over="ignore", invalid="ignore"):
            if decimals > 0:
                return np.rint(a * scale) / scale
            return np.rint(a / scale) * scale


class Frac(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        return a - np.trunc(a)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return grad


def _rounding(fn: type[Function], input: Any, **attrs: Any) -> Tensor:
    x = as_tensor(input)
    if x.dtype.kind in "biu":
        return x.clone()
    return fn.apply(x, **attrs)  # type: ignore[no-any-return]


@op(inplace=True)
def floor(input: Any) -> Tensor:
    """The largest integer ``<= input``, elementwise (gradient 0).

    Example:
        >>> import minigrad
        >>> minigrad.floor(minigrad.tensor([-1.5, 1.5]))
        tensor([-2.,  1.])
    """
    return _rounding(Floor, input)


@op(inplace=True)
def ceil(input: Any) -> Tensor:
    """The smallest integer ``>= input``, elementwise (gradient 0).

    Example:
        >>> import minigrad
        >>> minigrad.ceil(minigrad.tensor([-1.5, 1.5]))
        tensor([-1.,  2.])
    """
    return _rounding(Ceil, input)


@op(inplace=True)
def trunc(input: Any) -> Tensor:
    """The integer part, rounding toward zero (gradient 0).

    Example:
        >>> import minigrad
        >>> minigrad.trunc(minigrad.tensor([-1.5, 1.5]))
        tensor([-1.,  1.])
    """
    return _rounding(Trunc, input)


@op(inplace=True)
def round(input: Any, *, decimals: int = 0) -> Tensor:
    """Round half to even, to ``decimals`` decimal places (negative: to tens, hundreds...).

    Example:
        >>> import minigrad
        >>> minigrad.round(minigrad.tensor([0.5, 1.5, 2.5]))
        tensor([0., 2., 2.])
        >>> minigrad.round(minigrad.tensor([1.2345, 1234.0], dtype=minigrad.float64), decimals=2)
        tensor([1.2300e+00, 1.2340e+03], dtype=minigrad.float64)
    """
    if not isinstance(decimals, (int, np.integer)) or isinstance(decimals, bool):
        raise TypeError(f"round: decimals must be an int, got {decimals!r}")
    return _rounding(Round, input, decimals=int(decimals))


@op(inplace=True)
def frac(input: Any) -> Tensor:
    """The fractional part ``input - trunc(input)`` (floating inputs only, as PyTorch).

    Example:
        >>> import minigrad
        >>> minigrad.frac(minigrad.tensor([-1.25, 2.5]))
        tensor([-0.2500,  0.5000])
    """
    x = as_tensor(input)
    if x.dtype.kind != "f":
        raise RuntimeError(
            f"\"frac_cpu\" not implemented for '{_TORCH_TYPE.get(x.dtype.name, x.dtype.name)}'"
        )
    return Frac.apply(x)


@op(inplace=True)
def sgn(input: Any) -> Tensor:
    """The sign of each element (``sign`` for real tensors; gradient 0).

    Example:
        >>> import minigrad
        >>> minigrad.sgn(minigrad.tensor([-2.0, 0.0, 3.0]))
        tensor([-1.,  0.,  1.])
    """
    from minigrad.ops.elementwise import sign

    return sign(input)


# --------------------------------------------------------------------------- division


def _floor_divide_arrays(a: Any, b: Any) -> Any:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if np.result_type(a, b).kind in "biu":
            return np.floor_divide(a, b)
        # Python's float //, as PyTorch's div_floor: (a - fmod(a, b)) / b, corrected.
        mod = np.fmod(a, b)
        div = (a - mod) / b
        div = np.where((mod != 0) & ((b < 0) != (mod < 0)), div - 1, div)
        floored = np.floor(div)
        floored = np.where(div - floored > 0.5, floored + 1, floored)
        exact = np.where(div == 0, np.copysign(np.zeros_like(div), a / b), floored)
        return np.where(b == 0, a / b, exact).astype(np.result_type(a, b), copy=False)


def _trunc_divide_arrays(a: Any, b: Any) -> Any:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if np.result_type(a, b).kind in "biu":
            q = np.floor_divide(a, b)
            return q + ((q < 0) & (np.remainder(a, b) != 0))
        return np.trunc(a / b)


class DivRounded(_Piecewise):
    """``div`` with ``rounding_mode`` ``'trunc'`` or ``'floor'``: piecewise constant."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any, mode: str) -> Any:
        if mode == "floor":
            return _floor_divide_arrays(a, b)
        return _trunc_divide_arrays(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return _zeros_like(grad), _zeros_like(grad)


def _division_operands(input: Any, other: Any, who: str) -> tuple[Any, Any]:
    a, b = binary_operands(input, other)
    if _kind(a) == "b":
        a, b = (x.to(np.int64) if isinstance(x, Tensor) else np.asarray(x, dtype=np.int64)
                for x in (a, b))  # fmt: skip
    if _kind(a) in "iu":
        _check_integer_divisor(b, who)
    return a, b


def div_rounded(input: Any, other: Any, rounding_mode: str) -> Tensor:
    """``div(input, other, rounding_mode=...)`` for ``'trunc'`` and ``'floor'`` (integers stay
    integers; gradient 0).

    Example:
        >>> import minigrad
        >>> from minigrad.ops.rounding import div_rounded
        >>> div_rounded(minigrad.tensor([-7.0, 7.0]), 2, "trunc")
        tensor([-3.,  3.])
    """
    if rounding_mode not in ("trunc", "floor"):
        raise ValueError(
            f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
            f"'{rounding_mode}'"
        )
    a, b = _division_operands(input, other, "div")
    return DivRounded.apply(a, b, mode=rounding_mode)  # type: ignore[no-any-return]


class Fmod(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.fmod(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a, b = ctx.saved_tensors
        gb = None
        if ctx.needs_input_grad[1]:
            gb = -grad * Tensor._make(_trunc_divide_arrays(a._data, b._data))
        return grad, gb


class Remainder(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            if np.result_type(a, b).kind in "biu":
                return np.remainder(a, b)
            mod = np.fmod(a, b)
            return np.where((mod != 0) & ((b < 0) != (mod < 0)), mod + b, mod)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a, b = ctx.saved_tensors
        gb = None
        if ctx.needs_input_grad[1]:
            gb = -grad * Tensor._make(_floor_divide_arrays(a._data, b._data))
        return grad, gb


@op(inplace=True)
def fmod(input: Any, other: Any) -> Tensor:
    """C's remainder: ``input - trunc(input / other) * other``, the sign of ``input``.

    Example:
        >>> import minigrad
        >>> minigrad.fmod(minigrad.tensor([-3.0, 3.0]), 2)
        tensor([-1.,  1.])
    """
    return Fmod.apply(*_division_operands(input, other, "fmod"))  # type: ignore[no-any-return]


@op(dunders=("__mod__", "__rmod__", "__imod__"), inplace=True)
def remainder(input: Any, other: Any) -> Tensor:
    """Python's ``%``: ``input - floor(input / other) * other``, the sign of ``other``.

    Example:
        >>> import minigrad
        >>> minigrad.remainder(minigrad.tensor([-3.0, 3.0]), 2), minigrad.tensor([-3, 3]) % -2
        (tensor([1., 1.]), tensor([-1, -1]))
    """
    a, b = _division_operands(input, other, "remainder")
    return Remainder.apply(a, b)  # type: ignore[no-any-return]


@op(dunders=("__floordiv__", "__rfloordiv__", "__ifloordiv__"), inplace=True,
    differentiable=False)  # fmt: skip
def floor_divide(input: Any, other: Any) -> Tensor:
    """Python's ``//``: the quotient rounded toward minus infinity (no gradient, as PyTorch).

    Example:
        >>> import minigrad
        >>> minigrad.tensor([-7, 7]) // 2, minigrad.floor_divide(minigrad.tensor([-7.5]), 2)
        (tensor([-4,  3]), tensor([-4.]))
    """
    a, b = _division_operands(input, other, "floor_divide")
    return Tensor._make(np.asarray(_floor_divide_arrays(_data(a), _data(b))))


# --------------------------------------------------------------------------- signs, clamps


class Copysign(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        out = np.copysign(a, b)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a, out = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(a._data == 0, 0.0, out._data / a._data).astype(grad.dtype)
        gb = _zeros_like(grad) if ctx.needs_input_grad[1] else None
        return grad * Tensor._make(ratio), gb


@op(inplace=True)
def copysign(input: Any, other: Any) -> Tensor:
    """``|input|`` with the sign of ``other`` (integers give the default float dtype).

    Example:
        >>> import minigrad
        >>> minigrad.copysign(minigrad.tensor([1.0, -2.0]), -0.0)
        tensor([-1., -2.])
    """
    a, b = binary_operands(input, other)
    if _kind(a) in "biu":
        a, b = (x.to(get_default_dtype()) if isinstance(x, Tensor) else
                np.asarray(x, dtype=get_default_dtype()) for x in (a, b))  # fmt: skip
    return Copysign.apply(a, b)  # type: ignore[no-any-return]


@op(inplace=True)
def clamp_min(input: Any, min: Any) -> Tensor:
    """``max(input, min)``: ``clamp(input, min=min)`` (gradient where ``input >= min``).

    Example:
        >>> import minigrad
        >>> minigrad.clamp_min(minigrad.tensor([-1.0, 2.0]), 0.5)
        tensor([0.5000, 2.0000])
    """
    from minigrad.ops.elementwise import clamp

    return clamp(input, min=min)


@op(inplace=True)
def clamp_max(input: Any, max: Any) -> Tensor:
    """``min(input, max)``: ``clamp(input, max=max)`` (gradient where ``input <= max``).

    Example:
        >>> import minigrad
        >>> minigrad.clamp_max(minigrad.tensor([-1.0, 2.0]), 0.5)
        tensor([-1.0000,  0.5000])
    """
    from minigrad.ops.elementwise import clamp

    return clamp(input, max=max)


class NanToNum(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, nan: float, posinf: Any, neginf: Any) -> Any:
        ctx.save_for_backward(np.isfinite(a))
        return np.nan_to_num(a, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (finite,) = ctx.saved_tensors
        return grad * Tensor._make(finite._data.astype(grad.dtype))


@op(inplace=True)
def nan_to_num(
    input: Any, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
) -> Tensor:
    """Replace ``nan``, ``inf`` and ``-inf`` by ``nan`` (0), ``posinf`` and ``neginf`` (by
    default the dtype's largest and lowest finite values); the gradient flows where finite.

    Example:
        >>> import minigrad
        >>> minigrad.nan_to_num(minigrad.tensor([float("nan"), 1.0, -float("inf")]), neginf=-9.0)
        tensor([ 0.,  1., -9.])
    """
    x = as_tensor(input)
    if x.dtype.kind != "f":
        return x.clone()
    return NanToNum.apply(x, nan=nan, posinf=posinf, neginf=neginf)  # type: ignore[no-any-return]
