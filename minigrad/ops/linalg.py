"""Matrix multiplication with NumPy's (and PyTorch's) 1-D, 2-D and batched rules."""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.autograd import ArrayFunction as Function
from minigrad.autograd import Context
from minigrad.ops._registry import op
from minigrad.ops._util import as_tensor, result_type
from minigrad.tensor import Tensor


class MatMul(Function):
    """``a @ b`` for inputs of at least 2 dims; batch dims broadcast."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a, b = ctx.saved_tensors
        ga = grad @ b.transpose(-1, -2) if ctx.needs_input_grad[0] else None
        gb = a.transpose(-1, -2) @ grad if ctx.needs_input_grad[1] else None
        return ga, gb  # the engine sums broadcast batch dims away


@op(dunders=("__matmul__", "__rmatmul__"))
def matmul(input: Any, other: Any) -> Tensor:
    """Matrix product with broadcasting of batch dimensions.

    1-D operands are treated as a row (left) or a column (right) vector and that
    dimension is removed from the result, as in NumPy and PyTorch.

    Example:
        >>> import minigrad
        >>> a = minigrad.ones(2, 3)
        >>> (a @ minigrad.ones(3)).shape, (minigrad.ones(4, 2, 3) @ minigrad.ones(3, 5)).shape
        ((2,), (4, 2, 5))
    """
    a, b = as_tensor(input), as_tensor(other)
    if a.dtype != b.dtype:
        dtype = result_type(a, b)
        a, b = a.to(dtype), b.to(dtype)
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(
            f"matmul: both arguments need at least 1 dimension, got shapes {a.shape} and {b.shape}"
        )
    if a.shape[-1] != b.shape[-2 if b.ndim > 1 else 0]:
        raise RuntimeError(
            f"matmul: shapes {a.shape} and {b.shape} cannot be multiplied "
            f"({a.shape[-1]} != {b.shape[-2 if b.ndim > 1 else 0]})"
        )
    a2 = a.unsqueeze(0) if a.ndim == 1 else a
    b2 = b.unsqueeze(-1) if b.ndim == 1 else b
    try:
        np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
    except ValueError:
        raise RuntimeError(
            f"matmul: batch dimensions of {a.shape} and {b.shape} do not broadcast"
        ) from None
    out = MatMul.apply(a2, b2)
    if b.ndim == 1:
        out = out.squeeze(-1)
    if a.ndim == 1:
        out = out.squeeze(-2 if b.ndim > 1 else -1)
    return out
