"""Elementwise ops: arithmetic, unary math, activations, comparisons.

Every backward is written with Tensor ops, so it is differentiable again.
Broadcasting is undone by the engine, so backward may return broadcast-shaped
gradients.

Tie rule: ``maximum``/``minimum`` split the gradient equally between the two
inputs where they are equal (as PyTorch does); ``relu`` passes no gradient at 0;
``clamp`` passes the gradient where ``min <= x <= max`` (bounds included).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.autograd import ArrayFunction as Function
from minigrad.autograd import Context
from minigrad.ops._registry import op
from minigrad.ops._util import _dtype, _to, as_tensor, binary_operands, float_operand, result_type
from minigrad.tensor import Tensor, get_default_dtype


def _const(array: Any) -> Tensor:
    return Tensor._make(np.asarray(array))


# --------------------------------------------------------------------------- binary


class Add(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        return np.add(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return grad, grad


class Sub(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        return np.subtract(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return grad, (-grad if ctx.needs_input_grad[1] else None)


class Mul(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return np.multiply(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a, b = ctx.saved_tensors
        ga = grad * b if ctx.needs_input_grad[0] else None
        gb = grad * a if ctx.needs_input_grad[1] else None
        return ga, gb


class Div(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return np.true_divide(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a, b = ctx.saved_tensors
        ga = grad / b if ctx.needs_input_grad[0] else None
        gb = -grad * a / (b * b) if ctx.needs_input_grad[1] else None
        return ga, gb


class Pow(Function):
    """``a ** b`` with both operands possibly tensors."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        out = np.power(a, b)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a, b, out = ctx.saved_tensors
        ga = None
        if ctx.needs_input_grad[0]:
            # 0 at a == b == 0 (where a ** (b - 1) is inf), as PyTorch does.
            with np.errstate(divide="ignore", invalid="ignore"):
                ga = where((a == 0) & (b == 0), 0.0, grad * b * a ** (b - 1))
        gb = None
        if ctx.needs_input_grad[1]:
            # d/db a**b = a**b * log(a); 0 where a == 0 and b >= 0, as PyTorch (so 0 ** b
            # at b < 0 gives -inf, not nan).
            with np.errstate(divide="ignore", invalid="ignore"):
                gb = where((a == 0) & (b >= 0), 0.0, grad * out * log(a))
        return ga, gb


class PowScalar(Function):
    """``a ** exponent`` for a constant Python exponent."""

    @staticmethod
    def forward(ctx: Context, a: Any, exponent: float) -> Any:
        ctx.save_for_backward(a)
        ctx.exponent = exponent
        return np.power(a, np.asarray(exponent, dtype=a.dtype))

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (a,) = ctx.saved_tensors
        c = ctx.exponent
        if c == 0:
            return grad * 0.0, None
        if c == 1:
            return grad, None
        if c == 2:
            return grad * 2.0 * a, None
        return grad * c * a ** (c - 1), None


class Maximum(Function):
    """Ties share the gradient equally; where an operand is nan both get it (as PyTorch)."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return np.maximum(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a, b = ctx.saved_tensors
        return _extremum_grads(grad, a.numpy(), b.numpy(), largest=True)


class Minimum(Function):
    """Ties share the gradient equally; where an operand is nan both get it (as PyTorch)."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return np.minimum(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a, b = ctx.saved_tensors
        return _extremum_grads(grad, a.numpy(), b.numpy(), largest=False)


def _extremum_grads(grad: Tensor, a: np.ndarray, b: np.ndarray, largest: bool) -> Any:
    """PyTorch's rule: ``where(a == b, grad / 2, grad)``, zeroed for the operand that lost."""
    share = np.where(a == b, 0.5, 1.0)
    a_lost, b_lost = (a < b, a > b) if largest else (a > b, a < b)
    share_a = _const(np.where(a_lost, 0.0, share)).to(grad.dtype)
    share_b = _const(np.where(b_lost, 0.0, share)).to(grad.dtype)
    return grad * share_a, grad * share_b


class Where(Function):
    """``condition ? a : b``; the condition is a constant boolean array."""

    @staticmethod
    def forward(ctx: Context, condition: np.ndarray, a: Any, b: Any) -> Any:
        ctx.save_for_backward(condition)
        return np.where(condition, a, b)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (condition,) = ctx.saved_tensors
        zero = np.zeros((), dtype=grad.dtype)
        ga = Where.apply(condition._data, grad, zero) if ctx.needs_input_grad[1] else None
        gb = Where.apply(condition._data, zero, grad) if ctx.needs_input_grad[2] else None
        return None, ga, gb


# --------------------------------------------------------------------------- unary


class Neg(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        return np.negative(a)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return -grad


class Abs(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return np.abs(a)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (a,) = ctx.saved_tensors
        return grad * a.sign()


class Exp(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        out = np.exp(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (out,) = ctx.saved_tensors
        return grad * out


class Log(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return np.log(a)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (a,) = ctx.saved_tensors
        return grad / a


class Sqrt(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        out = np.sqrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (out,) = ctx.saved_tensors
        return grad / (out * 2.0)


class Sin(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return np.sin(a)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (a,) = ctx.saved_tensors
        return grad * cos(a)


class Cos(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return np.cos(a)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (a,) = ctx.saved_tensors
        return -grad * sin(a)


class Tanh(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        out = np.tanh(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (out,) = ctx.saved_tensors
        return grad * (1.0 - out * out)


def stable_sigmoid(a: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-a))`` on an array, in its dtype, without overflow for large ``|a|``.

    Example:
        >>> import numpy as np
        >>> from minigrad.ops.elementwise import stable_sigmoid
        >>> stable_sigmoid(np.array([-1000.0, 0.0, 1000.0])).tolist()
        [0.0, 0.5, 1.0]
    """
    e = np.exp(-np.abs(a))  # never overflows
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(a.dtype, copy=False)


class Sigmoid(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        out = stable_sigmoid(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (out,) = ctx.saved_tensors
        return grad * out * (1.0 - out)


class Relu(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        out = np.maximum(a, 0)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (out,) = ctx.saved_tensors  # no gradient where out <= 0; nan passes it (as PyTorch)
        return grad * _const(~(out.numpy() <= 0)).to(grad.dtype)


class Clamp(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, min: Any = None, max: Any = None) -> Any:
        ctx.save_for_backward(a)
        ctx.bounds = (min, max)
        return np.clip(a, min, max)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (a,) = ctx.saved_tensors
        lo, hi = ctx.bounds
        inside = np.ones(a.shape, dtype=bool)
        if lo is not None:
            inside &= a._data >= lo
        if hi is not None:
            inside &= a._data <= hi
        return grad * _const(inside).to(grad.dtype)


class Sign(Function):
    """Sign: piecewise constant, so its gradient is zero everywhere (as PyTorch's)."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        out = np.sign(a)
        if a.dtype.kind == "f":  # PyTorch's sign(nan) is 0
            out = np.where(np.isnan(a), np.zeros((), a.dtype), out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return _const(np.zeros(grad.shape, dtype=grad.dtype))


class Clone(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        return np.array(a, copy=True)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return grad


class Cast(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, dtype: Any) -> Any:
        return a.astype(dtype)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return grad  # the engine casts the gradient back to the input's dtype


# --------------------------------------------------------------------------- functional
# Dtypes follow torch.result_type (see ops/_util.py): float-valued ops on integer
# or bool tensors compute in the default float dtype; integer ops keep integers.


def _scaled(other: Any, alpha: Any) -> Any:
    return other if alpha == 1 else mul(other, alpha)


@op(dunders=("__add__", "__radd__", "__iadd__"), inplace=True)
def add(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """``input + alpha * other`` with broadcasting.

    Example:
        >>> import minigrad
        >>> minigrad.add(minigrad.tensor([1.0, 2.0]), 1)
        tensor([2., 3.])
        >>> minigrad.tensor([1, 2]) + 1, minigrad.tensor([1, 2]) + 0.5
        (tensor([2, 3]), tensor([1.5000, 2.5000]))
    """
    return Add.apply(*binary_operands(input, _scaled(other, alpha)))


@op(dunders=("__sub__", "__rsub__", "__isub__"), inplace=True)
def sub(input: Any, other: Any, *, alpha: Any = 1) -> Tensor:
    """``input - alpha * other`` with broadcasting.

    Example:
        >>> import minigrad
        >>> minigrad.sub(3, minigrad.tensor([1.0, 2.0]))
        tensor([2., 1.])
    """
    a, b = binary_operands(input, _scaled(other, alpha))
    if _dtype(a).kind == "b":
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. "
            "Use the `^` or `logical_xor()` operator instead."
        )
    return Sub.apply(a, b)


@op(dunders=("__mul__", "__rmul__", "__imul__"), inplace=True)
def mul(input: Any, other: Any) -> Tensor:
    """``input * other`` with broadcasting.

    Example:
        >>> import minigrad
        >>> minigrad.mul(minigrad.tensor([1.0, 2.0]), minigrad.tensor([[1.0], [2.0]]))
        tensor([[1., 2.],
                [2., 4.]])
    """
    return Mul.apply(*binary_operands(input, other))


@op(dunders=("__truediv__", "__rtruediv__", "__itruediv__"), inplace=True)
def div(input: Any, other: Any, *, rounding_mode: str | None = None) -> Tensor:
    """``input / other`` (true division: integers give the default float dtype).

    ``rounding_mode='trunc'`` rounds the quotient toward zero, ``'floor'`` toward
    minus infinity; both keep integer dtypes and have a zero gradient (see
    :mod:`minigrad.ops.rounding`).

    Example:
        >>> import minigrad
        >>> minigrad.div(minigrad.tensor([1.0, 3.0]), 2)
        tensor([0.5000, 1.5000])
        >>> minigrad.tensor([3, 4]) / 2
        tensor([1.5000, 2.0000])
        >>> minigrad.div(minigrad.tensor([-7, 7]), 2, rounding_mode="floor")
        tensor([-4,  3])
    """
    if rounding_mode is not None:
        from minigrad.ops.rounding import div_rounded

        return div_rounded(input, other, rounding_mode)
    a, b = binary_operands(input, other)
    if _dtype(a).kind in "biu":
        a, b = _to(a, get_default_dtype()), _to(b, get_default_dtype())
    return Div.apply(a, b)


@op(dunders=("__pow__", "__rpow__", "__ipow__"), inplace=True)
def pow(input: Any, exponent: Any) -> Tensor:
    """``input ** exponent``; integer powers of integers stay integers.

    Example:
        >>> import minigrad
        >>> minigrad.pow(minigrad.tensor([2.0, 3.0]), 2)
        tensor([4., 9.])
        >>> (minigrad.tensor([2, 3], dtype=minigrad.int32) ** 2).dtype
        minigrad.int32
    """
    if (
        isinstance(input, Tensor)
        and input.dtype.kind == "f"
        and isinstance(exponent, (int, float))
        and not isinstance(exponent, bool)
    ):
        return PowScalar.apply(input, float(exponent))
    return Pow.apply(*binary_operands(input, exponent))


@op()
def maximum(input: Any, other: Any) -> Tensor:
    """Elementwise maximum; ties share the gradient equally.

    Example:
        >>> import minigrad
        >>> minigrad.maximum(minigrad.tensor([1.0, 5.0]), minigrad.tensor([3.0, 2.0]))
        tensor([3., 5.])
    """
    return Maximum.apply(*binary_operands(input, other))


@op()
def minimum(input: Any, other: Any) -> Tensor:
    """Elementwise minimum; ties share the gradient equally.

    Example:
        >>> import minigrad
        >>> minigrad.minimum(minigrad.tensor([1.0, 5.0]), 2)
        tensor([1., 2.])
    """
    return Minimum.apply(*binary_operands(input, other))


@op(self_arg="input")
def where(condition: Any, input: Any = None, other: Any = None) -> Any:
    """Elements of ``input`` where ``condition`` holds, else of ``other``.

    ``where(condition)`` alone is ``nonzero(condition, as_tuple=True)``.

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([-1.0, 2.0])
        >>> minigrad.where(x > 0, x, 0.0)
        tensor([0., 2.])
        >>> minigrad.where(x > 0)
        (tensor([1]),)
    """
    if input is None and other is None:
        from minigrad.ops.index import nonzero

        return nonzero(condition, as_tuple=True)
    if input is None or other is None:
        raise TypeError("where() expects condition, input and other (or condition alone)")
    cond = np.asarray(condition._data if isinstance(condition, Tensor) else condition)
    if cond.dtype != np.bool_:
        raise TypeError(f"where: condition must be a bool tensor, got dtype {cond.dtype}")
    a, b = binary_operands(input, other)
    return Where.apply(cond, a, b)


@op(dunders=("__neg__",), inplace=True)
def neg(input: Any) -> Tensor:
    """``-input``.

    Example:
        >>> import minigrad
        >>> minigrad.neg(minigrad.tensor([1.0, -2.0]))
        tensor([-1.,  2.])
    """
    input = as_tensor(input)
    if input.dtype.kind == "b":
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. "
            "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )
    return Neg.apply(input)


@op(dunders=("__abs__",), inplace=True)
def abs(input: Any) -> Tensor:
    """Absolute value; its gradient at 0 is 0.

    Example:
        >>> import minigrad
        >>> minigrad.abs(minigrad.tensor([-2.0, 3.0]))
        tensor([2., 3.])
    """
    return Abs.apply(as_tensor(input))


@op(inplace=True)
def exp(input: Any) -> Tensor:
    """Elementwise exponential.

    Example:
        >>> import minigrad
        >>> minigrad.exp(minigrad.tensor([0.0]))
        tensor([1.])
    """
    return Exp.apply(float_operand(input))


@op(inplace=True)
def log(input: Any) -> Tensor:
    """Natural logarithm (``-inf`` at 0, ``nan`` below, as PyTorch).

    Example:
        >>> import minigrad
        >>> minigrad.log(minigrad.tensor([1.0]))
        tensor([0.])
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return Log.apply(float_operand(input))


@op(inplace=True)
def sqrt(input: Any) -> Tensor:
    """Square root (``nan`` below 0, as PyTorch).

    Example:
        >>> import minigrad
        >>> minigrad.sqrt(minigrad.tensor([4.0]))
        tensor([2.])
    """
    with np.errstate(invalid="ignore"):
        return Sqrt.apply(float_operand(input))


@op(inplace=True)
def sin(input: Any) -> Tensor:
    """Sine (radians).

    Example:
        >>> import minigrad
        >>> minigrad.sin(minigrad.tensor([0.0]))
        tensor([0.])
    """
    return Sin.apply(float_operand(input))


@op(inplace=True)
def cos(input: Any) -> Tensor:
    """Cosine (radians).

    Example:
        >>> import minigrad
        >>> minigrad.cos(minigrad.tensor([0.0]))
        tensor([1.])
    """
    return Cos.apply(float_operand(input))


@op(inplace=True)
def tanh(input: Any) -> Tensor:
    """Hyperbolic tangent.

    Example:
        >>> import minigrad
        >>> minigrad.tanh(minigrad.tensor([0.0]))
        tensor([0.])
    """
    return Tanh.apply(float_operand(input))


@op(inplace=True)
def sigmoid(input: Any) -> Tensor:
    """Logistic sigmoid ``1 / (1 + exp(-x))``, stable for large ``|x|``.

    Example:
        >>> import minigrad
        >>> minigrad.sigmoid(minigrad.tensor([0.0, 1000.0, -1000.0]))
        tensor([0.5000, 1.0000, 0.0000])
        >>> minigrad.tensor([2]).sigmoid()
        tensor([0.8808])
    """
    return Sigmoid.apply(float_operand(input))


@op(inplace=True)
def relu(input: Any) -> Tensor:
    """``max(x, 0)``; the gradient at 0 is 0.

    Example:
        >>> import minigrad
        >>> minigrad.relu(minigrad.tensor([-1.0, 2.0]))
        tensor([0., 2.])
    """
    return Relu.apply(as_tensor(input))


@op(method=("clamp", "clip"), inplace=True)
def clamp(input: Any, min: Any = None, max: Any = None) -> Tensor:
    """Clamp into ``[min, max]``; the gradient flows where ``min <= x <= max``.

    Example:
        >>> import minigrad
        >>> minigrad.clamp(minigrad.tensor([-2.0, 0.5, 2.0]), -1, 1)
        tensor([-1.0000,  0.5000,  1.0000])
    """
    input = as_tensor(input)
    if min is None and max is None:
        raise RuntimeError("clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        # Tensor bounds: the input keeps the gradient at ties (min <= x <= max), a bound
        # gets it where it is the result; as in PyTorch.
        out = input if min is None else where(input < min, min, input)
        return out if max is None else where(out > max, max, out)
    dtype = result_type(input, *[b for b in (min, max) if b is not None])
    return Clamp.apply(_to(input, dtype), min=min, max=max)


@op(inplace=True)
def sign(input: Any) -> Tensor:
    """Sign of each element (-1, 0 or 1); its gradient is 0 (as PyTorch's).

    Example:
        >>> import minigrad
        >>> minigrad.sign(minigrad.tensor([-3.0, 0.0, 2.0]))
        tensor([-1.,  0.,  1.])
    """
    return Sign.apply(as_tensor(input))


def _compare(fn: Any, a: Any, b: Any) -> Tensor:
    x, y = binary_operands(a, b)
    return Tensor._make(
        np.asarray(
            fn(x._data if isinstance(x, Tensor) else x, y._data if isinstance(y, Tensor) else y)
        )
    )


@op(dunders=("__eq__",), differentiable=False)
def eq(input: Any, other: Any) -> Tensor:
    """Elementwise ``==`` as a bool tensor (no gradient).

    Example:
        >>> import minigrad
        >>> minigrad.eq(minigrad.tensor([1, 2]), 2)
        tensor([False,  True])
    """
    return _compare(np.equal, input, other)


@op(dunders=("__ne__",), differentiable=False)
def ne(input: Any, other: Any) -> Tensor:
    """Elementwise ``!=`` as a bool tensor (no gradient).

    Example:
        >>> import minigrad
        >>> minigrad.ne(minigrad.tensor([1, 2]), 2)
        tensor([ True, False])
    """
    return _compare(np.not_equal, input, other)


@op(dunders=("__lt__",), differentiable=False)
def lt(input: Any, other: Any) -> Tensor:
    """Elementwise ``<`` as a bool tensor (no gradient).

    Example:
        >>> import minigrad
        >>> minigrad.lt(minigrad.tensor([1, 2]), 2)
        tensor([ True, False])
    """
    return _compare(np.less, input, other)


@op(dunders=("__le__",), differentiable=False)
def le(input: Any, other: Any) -> Tensor:
    """Elementwise ``<=`` as a bool tensor (no gradient).

    Example:
        >>> import minigrad
        >>> minigrad.le(minigrad.tensor([1, 2]), 2)
        tensor([True, True])
    """
    return _compare(np.less_equal, input, other)


@op(dunders=("__gt__",), differentiable=False)
def gt(input: Any, other: Any) -> Tensor:
    """Elementwise ``>`` as a bool tensor (no gradient).

    Example:
        >>> import minigrad
        >>> minigrad.gt(minigrad.tensor([1, 2]), 2)
        tensor([False, False])
    """
    return _compare(np.greater, input, other)


@op(dunders=("__ge__",), differentiable=False)
def ge(input: Any, other: Any) -> Tensor:
    """Elementwise ``>=`` as a bool tensor (no gradient).

    Example:
        >>> import minigrad
        >>> minigrad.ge(minigrad.tensor([1, 2]), 2)
        tensor([False,  True])
    """
    return _compare(np.greater_equal, input, other)


def _logical(fn: Any, *operands: Any) -> Tensor:
    arrays = [o._data if isinstance(o, Tensor) else np.asarray(o) for o in operands]
    return Tensor._make(np.asarray(fn(*arrays)))


@op(differentiable=False)
def logical_not(input: Any) -> Tensor:
    """Elementwise logical not (any dtype; nonzero is true).

    Example:
        >>> import minigrad
        >>> minigrad.logical_not(minigrad.tensor([True, False]))
        tensor([False,  True])
    """
    return _logical(np.logical_not, as_tensor(input))


@op(differentiable=False)
def logical_and(input: Any, other: Any) -> Tensor:
    """Elementwise logical and.

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([1.0, 5.0, 9.0])
        >>> minigrad.logical_and(x > 2, x < 8)
        tensor([False,  True, False])
    """
    return _logical(np.logical_and, input, other)


@op(differentiable=False)
def logical_or(input: Any, other: Any) -> Tensor:
    """Elementwise logical or.

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([1.0, 5.0, 9.0])
        >>> minigrad.logical_or(x < 2, x > 8)
        tensor([ True, False,  True])
    """
    return _logical(np.logical_or, input, other)


@op(differentiable=False)
def logical_xor(input: Any, other: Any) -> Tensor:
    """Elementwise logical exclusive or.

    Example:
        >>> import minigrad
        >>> minigrad.logical_xor(minigrad.tensor([True, False]), minigrad.tensor([True, True]))
        tensor([False,  True])
    """
    return _logical(np.logical_xor, input, other)


_TORCH_TYPE = {"float16": "Half", "float32": "Float", "float64": "Double"}


def _bitwise(name: str, fn: Any, *operands: Any) -> Tensor:
    """Bitwise on integers, logical on bool; floats are refused (as PyTorch)."""
    if len(operands) == 1:
        a = as_tensor(operands[0])
        arrays = [a._data]
    else:
        x, y = binary_operands(*operands)
        arrays = [v._data if isinstance(v, Tensor) else v for v in (x, y)]
    dtype = np.result_type(*arrays)
    if dtype.kind not in "biu":
        raise RuntimeError(
            f"\"{name}_cpu\" not implemented for '{_TORCH_TYPE.get(dtype.name, dtype.name)}'"
        )
    return Tensor._make(np.asarray(fn(*arrays)))


@op(dunders=("__and__", "__rand__", "__iand__"), inplace=True, differentiable=False)
def bitwise_and(input: Any, other: Any) -> Tensor:
    """Bitwise and of integer tensors (logical and of bool tensors): the ``&`` operator.

    Example:
        >>> import minigrad
        >>> minigrad.tensor([12, 10]) & 6, minigrad.tensor([True, False]) & True
        (tensor([4, 2]), tensor([ True, False]))
    """
    return _bitwise("bitwise_and", np.bitwise_and, input, other)


@op(dunders=("__or__", "__ror__", "__ior__"), inplace=True, differentiable=False)
def bitwise_or(input: Any, other: Any) -> Tensor:
    """Bitwise or of integer tensors (logical or of bool tensors): the ``|`` operator.

    Example:
        >>> import minigrad
        >>> minigrad.tensor([12, 10]) | 1
        tensor([13, 11])
    """
    return _bitwise("bitwise_or", np.bitwise_or, input, other)


@op(dunders=("__xor__", "__rxor__", "__ixor__"), inplace=True, differentiable=False)
def bitwise_xor(input: Any, other: Any) -> Tensor:
    """Bitwise exclusive or (logical on bool): the ``^`` operator.

    Example:
        >>> import minigrad
        >>> minigrad.tensor([12, 10]) ^ 6
        tensor([10, 12])
    """
    return _bitwise("bitwise_xor", np.bitwise_xor, input, other)


@op(dunders=("__invert__",), inplace=True, differentiable=False)
def bitwise_not(input: Any) -> Tensor:
    """Bitwise not of integers (logical not of bool): the ``~`` operator.

    Example:
        >>> import minigrad
        >>> ~minigrad.tensor([0, 5]), ~minigrad.tensor([True, False])
        (tensor([-1, -6]), tensor([False,  True]))
    """
    return _bitwise("bitwise_not", np.invert, input)


@op(dunders=("__lshift__", "__rlshift__", "__ilshift__"), inplace=True, differentiable=False)
def bitwise_left_shift(input: Any, other: Any) -> Tensor:
    """``input << other`` on integer tensors.

    Example:
        >>> import minigrad
        >>> minigrad.tensor([1, 3]) << 2
        tensor([ 4, 12])
    """
    return _bitwise("lshift", np.left_shift, input, other)


@op(dunders=("__rshift__", "__rrshift__", "__irshift__"), inplace=True, differentiable=False)
def bitwise_right_shift(input: Any, other: Any) -> Tensor:
    """``input >> other`` on integer tensors.

    Example:
        >>> import minigrad
        >>> minigrad.tensor([4, 13]) >> 2
        tensor([1, 3])
    """
    return _bitwise("rshift", np.right_shift, input, other)
