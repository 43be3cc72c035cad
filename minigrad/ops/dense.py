"""``linear``: ``input @ weight.T + bias`` as one node (``nn.Linear`` and ``F.linear``).

The batch may have any number of leading dimensions; the product runs as one
2-D GEMM. The backward is NumPy GEMMs when no graph is built, and the same
formula in Tensor ops under ``ctx.create_graph`` (held equal by the OpInfo
``fast_path`` property).
"""

from __future__ import annotations

from typing import Any

from minigrad.autograd import ArrayFunction, Context
from minigrad.ops._blas import matmul2d
from minigrad.ops._registry import op
from minigrad.ops._util import as_tensor, column_sums
from minigrad.tensor import Tensor


class MatmulAddBias(ArrayFunction):
    """``x @ w.T + b`` in one node; the batch may have any number of leading dims."""

    @staticmethod
    def forward(ctx: Context, x: Any, w: Any, b: Any) -> Any:
        ctx.save_for_backward(x, w)
        out = matmul2d(x.reshape(-1, x.shape[-1]), w.T)
        if b is not None:
            out += b
        return out.reshape(*x.shape[:-1], w.shape[0])

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        x, w = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad
        if ctx.create_graph:  # Tensor ops, differentiable again
            g2, x2 = grad.reshape(-1, grad.shape[-1]), x.reshape(-1, x.shape[-1])
            gx = grad @ w if need_x else None
            gw = g2.T @ x2 if need_w else None
            gb = g2.sum(0) if need_b else None
            return gx, gw, gb
        g = grad._data.reshape(-1, grad.shape[-1])
        gx_arr = matmul2d(g, w._data).reshape(x.shape) if need_x else None
        gw_arr = matmul2d(g.T, x._data.reshape(-1, x.shape[-1])) if need_w else None
        gb_arr = column_sums(g) if need_b else None
        return gx_arr, gw_arr, gb_arr  # arrays: the engine wraps them


@op(method=False, export=False)
def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``input @ weight.T + bias``, with weight ``(out_features, in_features)``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.linear(minigrad.ones(2, 3), minigrad.ones(4, 3), minigrad.zeros(4)).shape
        minigrad.Size([2, 4])
    """
    x, w = as_tensor(input), as_tensor(weight)
    if w.ndim != 2:
        raise RuntimeError(f"linear: weight must be 2-D (out_features, in_features), got {w.shape}")
    if x.ndim == 0 or x.shape[-1] != w.shape[1]:
        raise RuntimeError(
            f"linear: input has {x.shape[-1] if x.ndim else 0} features (shape {x.shape}) but "
            f"weight expects {w.shape[1]} (weight shape {w.shape})"
        )
    b = None
    if bias is not None:
        b = as_tensor(bias)
        if b.shape != (w.shape[0],):
            raise RuntimeError(
                f"linear: bias has shape {b.shape} but weight has {w.shape[0]} output features"
            )
    if x.dtype != w.dtype:
        raise TypeError(f"linear: input is {x.dtype} but weight is {w.dtype}")
    if x.ndim == 1:
        return MatmulAddBias.apply(x.unsqueeze(0), w, b).squeeze(0)
    return MatmulAddBias.apply(x, w, b)
