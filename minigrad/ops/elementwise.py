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
from minigrad.ops._util import _cast, _dtype, as_tensor, binary_operands
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
            # d/db a**b = a**b * log(a); taken as 0 where a == 0 (as PyTorch does).
            safe_a = where(a == 0, 1.0, a)
            gb = grad * out * log(safe_a)
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
    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return np.maximum(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a, b = ctx.saved_tensors
        share_a = _const((a.data > b.data) + 0.5 * (a.data == b.data)).to(grad.dtype)
        return grad * share_a, grad * (1.0 - share_a)


class Minimum(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return np.minimum(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a, b = ctx.saved_tensors
        share_a = _const((a.data < b.data) + 0.5 * (a.data == b.data)).to(grad.dtype)
        return grad * share_a, grad * (1.0 - share_a)


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
        ga = Where.apply(condition.data, grad, zero) if ctx.needs_input_grad[1] else None
        gb = Where.apply(condition.data, zero, grad) if ctx.needs_input_grad[2] else None
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


class Sigmoid(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        e = np.exp(-np.abs(a))  # never overflows
        out = np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(a.dtype, copy=False)
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
        (out,) = ctx.saved_tensors
        return grad * _const(out.data > 0).to(grad.dtype)


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
            inside &= a.data >= lo
        if hi is not None:
            inside &= a.data <= hi
        return grad * _const(inside).to(grad.dtype)


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


def add(input: Any, other: Any) -> Tensor:
    """``input + other`` with broadcasting.

    Example:
        >>> import minigrad
        >>> minigrad.add(minigrad.tensor([1.0, 2.0]), 1)
        tensor([2., 3.])
    """
    return Add.apply(*binary_operands(input, other))


def sub(input: Any, other: Any) -> Tensor:
    """``input - other`` with broadcasting.

    Example:
        >>> import minigrad
        >>> minigrad.sub(3, minigrad.tensor([1.0, 2.0]))
        tensor([2., 1.])
    """
    return Sub.apply(*binary_operands(input, other))


def mul(input: Any, other: Any) -> Tensor:
    """``input * other`` with broadcasting.

    Example:
        >>> import minigrad
        >>> minigrad.mul(minigrad.tensor([1.0, 2.0]), minigrad.tensor([[1.0], [2.0]]))
        tensor([[1., 2.],
                [2., 4.]])
    """
    return Mul.apply(*binary_operands(input, other))


def div(input: Any, other: Any) -> Tensor:
    """``input / other`` (true division) with broadcasting.

    Example:
        >>> import minigrad
        >>> minigrad.div(minigrad.tensor([1.0, 3.0]), 2)
        tensor([0.5, 1.5])
    """
    a, b = binary_operands(input, other)
    if _dtype(a).kind in "biu" and _dtype(b).kind in "biu":  # true division gives floats
        a, b = _cast(a, get_default_dtype()), _cast(b, get_default_dtype())
    return Div.apply(a, b)


def pow(input: Any, exponent: Any) -> Tensor:
    """``input ** exponent``; a Python-number exponent is a constant.

    Example:
        >>> import minigrad
        >>> minigrad.pow(minigrad.tensor([2.0, 3.0]), 2)
        tensor([4., 9.])
    """
    if (
        isinstance(input, Tensor)
        and isinstance(exponent, (int, float))
        and not isinstance(exponent, bool)
    ):
        if input.dtype.kind != "f":
            return Pow.apply(*binary_operands(input, exponent))
        return PowScalar.apply(input, float(exponent))
    return Pow.apply(*binary_operands(input, exponent))


def maximum(input: Any, other: Any) -> Tensor:
    """Elementwise maximum; ties share the gradient equally.

    Example:
        >>> import minigrad
        >>> minigrad.maximum(minigrad.tensor([1.0, 5.0]), minigrad.tensor([3.0, 2.0]))
        tensor([3., 5.])
    """
    return Maximum.apply(*binary_operands(input, other))


def minimum(input: Any, other: Any) -> Tensor:
    """Elementwise minimum; ties share the gradient equally.

    Example:
        >>> import minigrad
        >>> minigrad.minimum(minigrad.tensor([1.0, 5.0]), 2)
        tensor([1., 2.])
    """
    return Minimum.apply(*binary_operands(input, other))


def where(condition: Any, input: Any, other: Any) -> Tensor:
    """Elements of ``input`` where ``condition`` holds, else of ``other``.

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([-1.0, 2.0])
        >>> minigrad.where(x > 0, x, 0.0)
        tensor([0., 2.])
    """
    cond = np.asarray(condition.data if isinstance(condition, Tensor) else condition)
    if cond.dtype != np.bool_:
        raise TypeError(f"where: condition must be a bool tensor, got dtype {cond.dtype}")
    a, b = binary_operands(input, other)
    return Where.apply(cond, a, b)


def neg(input: Tensor) -> Tensor:
    """``-input``.

    Example:
        >>> import minigrad
        >>> minigrad.neg(minigrad.tensor([1.0, -2.0]))
        tensor([-1.,  2.])
    """
    return Neg.apply(as_tensor(input))


def abs(input: Tensor) -> Tensor:
    """Absolute value; its gradient at 0 is 0.

    Example:
        >>> import minigrad
        >>> minigrad.abs(minigrad.tensor([-2.0, 3.0]))
        tensor([2., 3.])
    """
    return Abs.apply(as_tensor(input))


def exp(input: Tensor) -> Tensor:
    """Elementwise exponential.

    Example:
        >>> import minigrad
        >>> minigrad.exp(minigrad.tensor([0.0]))
        tensor([1.])
    """
    return Exp.apply(as_tensor(input))


def log(input: Tensor) -> Tensor:
    """Natural logarithm.

    Example:
        >>> import minigrad
        >>> minigrad.log(minigrad.tensor([1.0]))
        tensor([0.])
    """
    return Log.apply(as_tensor(input))


def sqrt(input: Tensor) -> Tensor:
    """Square root.

    Example:
        >>> import minigrad
        >>> minigrad.sqrt(minigrad.tensor([4.0]))
        tensor([2.])
    """
    return Sqrt.apply(as_tensor(input))


def sin(input: Tensor) -> Tensor:
    """Sine (radians).

    Example:
        >>> import minigrad
        >>> minigrad.sin(minigrad.tensor([0.0]))
        tensor([0.])
    """
    return Sin.apply(as_tensor(input))


def cos(input: Tensor) -> Tensor:
    """Cosine (radians).

    Example:
        >>> import minigrad
        >>> minigrad.cos(minigrad.tensor([0.0]))
        tensor([1.])
    """
    return Cos.apply(as_tensor(input))


def tanh(input: Tensor) -> Tensor:
    """Hyperbolic tangent.

    Example:
        >>> import minigrad
        >>> minigrad.tanh(minigrad.tensor([0.0]))
        tensor([0.])
    """
    return Tanh.apply(as_tensor(input))


def sigmoid(input: Tensor) -> Tensor:
    """Logistic sigmoid ``1 / (1 + exp(-x))``, stable for large ``|x|``.

    Example:
        >>> import minigrad
        >>> minigrad.sigmoid(minigrad.tensor([0.0, 1000.0, -1000.0]))
        tensor([0.5, 1. , 0. ])
    """
    return Sigmoid.apply(as_tensor(input))


def relu(input: Tensor) -> Tensor:
    """``max(x, 0)``; the gradient at 0 is 0.

    Example:
        >>> import minigrad
        >>> minigrad.relu(minigrad.tensor([-1.0, 2.0]))
        tensor([0., 2.])
    """
    return Relu.apply(as_tensor(input))


def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """Clamp into ``[min, max]``; the gradient flows where ``min <= x <= max``.

    Example:
        >>> import minigrad
        >>> minigrad.clamp(minigrad.tensor([-2.0, 0.5, 2.0]), -1, 1)
        tensor([-1. ,  0.5,  1. ])
    """
    input = as_tensor(input)
    if min is None and max is None:
        raise ValueError("clamp: at least one of min and max must be given")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        # Tensor bounds: the input keeps the gradient at ties (min <= x <= max), a bound
        # gets it where it is the result; as in PyTorch.
        out = input if min is None else where(input < min, min, input)
        return out if max is None else where(out > max, max, out)
    return Clamp.apply(input, min=min, max=max)


def sign(input: Tensor) -> Tensor:
    """Sign of each element (-1, 0 or 1), outside the graph.

    Example:
        >>> import minigrad
        >>> minigrad.sign(minigrad.tensor([-3.0, 0.0, 2.0]))
        tensor([-1.,  0.,  1.])
    """
    return Tensor._make(np.sign(as_tensor(input).data))


def _compare(op: Any, a: Any, b: Any) -> Tensor:
    a_data = a.data if isinstance(a, Tensor) else a
    b_data = b.data if isinstance(b, Tensor) else b
    return Tensor._make(np.asarray(op(a_data, b_data)))


def eq(input: Any, other: Any) -> Tensor:
    """Elementwise ``==`` as a bool tensor (no gradient).

    Example:
        >>> import minigrad
        >>> minigrad.eq(minigrad.tensor([1, 2]), 2)
        tensor([False,  True])
    """
    return _compare(np.equal, input, other)


def ne(input: Any, other: Any) -> Tensor:
    """Elementwise ``!=`` as a bool tensor (no gradient).

    Example:
        >>> import minigrad
        >>> minigrad.ne(minigrad.tensor([1, 2]), 2)
        tensor([ True, False])
    """
    return _compare(np.not_equal, input, other)


def lt(input: Any, other: Any) -> Tensor:
    """Elementwise ``<`` as a bool tensor (no gradient).

    Example:
        >>> import minigrad
        >>> minigrad.lt(minigrad.tensor([1, 2]), 2)
        tensor([ True, False])
    """
    return _compare(np.less, input, other)


def le(input: Any, other: Any) -> Tensor:
    """Elementwise ``<=`` as a bool tensor (no gradient).

    Example:
        >>> import minigrad
        >>> minigrad.le(minigrad.tensor([1, 2]), 2)
        tensor([ True,  True])
    """
    return _compare(np.less_equal, input, other)


def gt(input: Any, other: Any) -> Tensor:
    """Elementwise ``>`` as a bool tensor (no gradient).

    Example:
        >>> import minigrad
        >>> minigrad.gt(minigrad.tensor([1, 2]), 2)
        tensor([False, False])
    """
    return _compare(np.greater, input, other)


def ge(input: Any, other: Any) -> Tensor:
    """Elementwise ``>=`` as a bool tensor (no gradient).

    Example:
        >>> import minigrad
        >>> minigrad.ge(minigrad.tensor([1, 2]), 2)
        tensor([False,  True])
    """
    return _compare(np.greater_equal, input, other)


def logical_not(input: Any) -> Tensor:
    """Elementwise logical not.

    Example:
        >>> import minigrad
        >>> minigrad.ops.logical_not(minigrad.tensor([True, False]))
        tensor([False,  True])
    """
    return Tensor._make(np.logical_not(as_tensor(input).data))


def logical_and(input: Any, other: Any) -> Tensor:
    """Elementwise logical and.

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([1.0, 5.0, 9.0])
        >>> minigrad.ops.logical_and(x > 2, x < 8)
        tensor([False,  True, False])
    """
    return _compare(np.logical_and, input, other)


def logical_or(input: Any, other: Any) -> Tensor:
    """Elementwise logical or.

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([1.0, 5.0, 9.0])
        >>> minigrad.ops.logical_or(x < 2, x > 8)
        tensor([ True, False,  True])
    """
    return _compare(np.logical_or, input, other)
