"""Elementwise exponentials, logarithms, powers and interpolation.

``log2 log10 log1p expm1 exp2 rsqrt reciprocal square logaddexp lerp``, with
PyTorch's dtypes: float-valued ops on integer tensors give the default float
dtype, ``square`` keeps integers. ``log1p``/``expm1`` are accurate near 0 and
``logaddexp`` never overflows. Backwards are Tensor ops (differentiable again).

Example:
    >>> import minigrad
    >>> minigrad.log1p(minigrad.tensor([1e-10], dtype=minigrad.float64)).item()
    9.999999999500001e-11
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from minigrad.autograd import ArrayFunction as Function
from minigrad.autograd import Context
from minigrad.ops._registry import op
from minigrad.ops._util import as_tensor, binary_operands, float_operand
from minigrad.tensor import Tensor


def _quiet(fn: Any, *arrays: Any) -> Any:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return fn(*arrays)


class Log2(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return _quiet(np.log2, a)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (a,) = ctx.saved_tensors
        return grad / (a * math.log(2.0))


class Log10(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return _quiet(np.log10, a)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (a,) = ctx.saved_tensors
        return grad / (a * math.log(10.0))


class Log1p(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return _quiet(np.log1p, a)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (a,) = ctx.saved_tensors
        return grad / (a + 1.0)


class Expm1(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        out = _quiet(np.expm1, a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (out,) = ctx.saved_tensors
        return grad * (out + 1.0)


class Exp2(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        out = _quiet(np.exp2, a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (out,) = ctx.saved_tensors
        return grad * out * math.log(2.0)


class Rsqrt(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        out = _quiet(lambda x: 1.0 / np.sqrt(x), a).astype(a.dtype, copy=False)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (out,) = ctx.saved_tensors
        return grad * out * out * out * -0.5


class Reciprocal(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        out = _quiet(np.reciprocal, a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (out,) = ctx.saved_tensors
        return -grad * out * out


class Logaddexp(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return np.logaddexp(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a, b = ctx.saved_tensors
        # d/da = 1 / (1 + exp(b - a)) = sigmoid(a - b); equal infinities share equally.
        share = (a - b).sigmoid()
        ga = grad * share if ctx.needs_input_grad[0] else None
        gb = grad * (1.0 - share) if ctx.needs_input_grad[1] else None
        return ga, gb


class Lerp(Function):
    """``start + weight * (end - start)``."""

    @staticmethod
    def forward(ctx: Context, start: Any, end: Any, weight: Any) -> Any:
        ctx.save_for_backward(start, end, weight)
        return start + weight * (end - start)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        start, end, weight = ctx.saved_tensors
        need = ctx.needs_input_grad
        gs = grad * (1.0 - weight) if need[0] else None
        ge = grad * weight if need[1] else None
        gw = grad * (end - start) if need[2] else None
        return gs, ge, gw


@op(inplace=True)
def log2(input: Any) -> Tensor:
    """Base-2 logarithm.

    Example:
        >>> import minigrad
        >>> minigrad.log2(minigrad.tensor([8.0]))
        tensor([3.])
    """
    return Log2.apply(float_operand(input))


@op(inplace=True)
def log10(input: Any) -> Tensor:
    """Base-10 logarithm.

    Example:
        >>> import minigrad
        >>> minigrad.log10(minigrad.tensor([100.0]))
        tensor([2.0000])
    """
    return Log10.apply(float_operand(input))


@op(inplace=True)
def log1p(input: Any) -> Tensor:
    """``log(1 + input)``, accurate for small ``input``.

    Example:
        >>> import minigrad
        >>> minigrad.log1p(minigrad.tensor([0.0, -1.0]))
        tensor([0., -inf])
    """
    return Log1p.apply(float_operand(input))


@op(inplace=True)
def expm1(input: Any) -> Tensor:
    """``exp(input) - 1``, accurate for small ``input``.

    Example:
        >>> import minigrad
        >>> minigrad.expm1(minigrad.tensor([0.0]))
        tensor([0.])
    """
    return Expm1.apply(float_operand(input))


@op(inplace=True)
def exp2(input: Any) -> Tensor:
    """``2 ** input``.

    Example:
        >>> import minigrad
        >>> minigrad.exp2(minigrad.tensor([3.0]))
        tensor([8.])
    """
    return Exp2.apply(float_operand(input))


@op(inplace=True)
def rsqrt(input: Any) -> Tensor:
    """``1 / sqrt(input)`` (``inf`` at 0, ``nan`` below).

    Example:
        >>> import minigrad
        >>> minigrad.rsqrt(minigrad.tensor([4.0]))
        tensor([0.5000])
    """
    return Rsqrt.apply(float_operand(input))


@op(inplace=True)
def reciprocal(input: Any) -> Tensor:
    """``1 / input`` (integers give the default float dtype).

    Example:
        >>> import minigrad
        >>> minigrad.reciprocal(minigrad.tensor([2, 4]))
        tensor([0.5000, 0.2500])
    """
    return Reciprocal.apply(float_operand(input))


@op(inplace=True)
def square(input: Any) -> Tensor:
    """``input * input`` (integers stay integers).

    Example:
        >>> import minigrad
        >>> minigrad.square(minigrad.tensor([-3, 2])), minigrad.tensor([1.5]).square()
        (tensor([9, 4]), tensor([2.2500]))
    """
    from minigrad.ops.elementwise import pow

    input = as_tensor(input)
    if input.dtype.kind == "b":
        input = input.to(np.int64)
    return pow(input, 2)


@op()
def logaddexp(input: Any, other: Any) -> Tensor:
    """``log(exp(input) + exp(other))`` without overflow (floating inputs only).

    Example:
        >>> import minigrad
        >>> minigrad.logaddexp(minigrad.tensor([1000.0]), minigrad.tensor([1000.0]))
        tensor([1000.6932])
    """
    a, b = binary_operands(input, other)
    dtype = a.dtype if isinstance(a, (Tensor, np.ndarray)) else np.asarray(a).dtype
    if dtype.kind != "f":
        raise RuntimeError(f"logaddexp: expected floating point inputs, got {dtype}")
    return Logaddexp.apply(a, b)


@op(inplace=True)
def lerp(input: Any, end: Any, weight: Any) -> Tensor:
    """Linear interpolation ``input + weight * (end - input)``; ``weight`` a number or tensor.

    Example:
        >>> import minigrad
        >>> minigrad.lerp(minigrad.tensor([0.0, 10.0]), minigrad.tensor([10.0, 20.0]), 0.5)
        tensor([ 5., 15.])
    """
    start, stop = binary_operands(input, end)
    dtype = start.dtype if isinstance(start, (Tensor, np.ndarray)) else np.asarray(start).dtype
    if dtype.kind != "f":
        raise RuntimeError(f"lerp: expected floating point tensors, got {dtype}")
    if isinstance(weight, Tensor):
        if weight.dtype != dtype:
            raise RuntimeError(
                f"lerp: expected dtype {dtype} for `weight` but got dtype {weight.dtype}"
            )
        w: Any = weight
    else:
        w = np.asarray(weight, dtype=dtype)
    return Lerp.apply(start, stop, w)


class Xlogy(Function):
    """``x * log(y)``, 0 where ``x == 0`` (unless ``y`` is nan), as PyTorch."""

    @staticmethod
    def forward(ctx: Context, x: Any, y: Any) -> Any:
        ctx.save_for_backward(x, y)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = x * np.log(y)
        return np.where((x == 0) & ~np.isnan(y), np.zeros((), out.dtype), out)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        x, y = ctx.saved_tensors
        gx = None
        if ctx.needs_input_grad[0]:  # log(y), but 0 where x == 0 and y <= 0 (as PyTorch)
            gx = xlogy(grad, y).masked_fill((x == 0) & (y <= 0), 0.0)
        gy = grad * x / y if ctx.needs_input_grad[1] else None
        return gx, gy


@op(inplace=True)
def xlogy(input: Any, other: Any) -> Tensor:
    """``input * log(other)``, with 0 where ``input`` is 0 (as ``torch.xlogy``).

    The convention of entropies and cross entropies: ``0 * log(0)`` counts as 0.
    Integer inputs compute in the default float dtype.

    Example:
        >>> import minigrad
        >>> minigrad.xlogy(minigrad.tensor([0.0, 2.0]), minigrad.tensor([0.0, 3.0]))
        tensor([0.0000, 2.1972])
    """
    a, b = binary_operands(input, other)
    return Xlogy.apply(float_operand(a), float_operand(b))
