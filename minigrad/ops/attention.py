"""Attention as one node: ``softmax(q @ k^T * scale + bias) @ v``, for ``F.sdpa``.

Built from separate ops, attention is about eight graph nodes per call, each a
pass over the ``(*, L, S)`` scores. ``fused_attention`` is one node: the forward keeps
the probabilities, and the backward is the closed form

    dv = p^T g,   dp = g v^T,   ds = p * (dp - sum(dp * p, -1)),
    dq = ds k * scale,   dk = ds^T q * scale

on arrays when no graph is built, and the same formula in Tensor ops, with the
probabilities recomputed from the inputs, under ``ctx.create_graph`` (so second
derivatives work; the OpInfo ``fast_path`` property holds the two equal). The
``bias`` (a causal or padding mask as 0 / -inf, or a float mask) is a constant;
rows in which every position is masked give zeros, as PyTorch's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.autograd import ArrayFunction, Context
from minigrad.ops._registry import op
from minigrad.ops._util import as_tensor, row_sums
from minigrad.tensor import Tensor

#: The smallest row sum of ``exp(s - max(s))`` the one-shift softmax accepts: a row whose
#: largest term is that far below the global maximum falls back to its own shift.
_MIN_ROW_SUM = 1e-20


def _probabilities(q: np.ndarray, k: np.ndarray, bias: Any, scale: float) -> np.ndarray:
    s = np.matmul(q, np.swapaxes(k, -1, -2))
    s *= s.dtype.type(scale)
    if bias is not None:
        if np.broadcast_shapes(np.shape(bias), s.shape) == s.shape:
            s += bias
        else:
            s = s + bias
    # softmax is shift-invariant: one shift for every row, the global maximum (a fast
    # reduction), keeps every term <= 1; it is exact unless a row's terms all underflow
    # (a fully masked row, or one far below the others), and those take the per-row max.
    top = s.max() if s.size else np.inf
    if np.isfinite(top):
        e = np.subtract(s, top)
        np.exp(e, out=e)
        denom = row_sums(e)
        if denom.min() >= _MIN_ROW_SUM:
            np.reciprocal(denom, out=denom)
            e *= denom
            return e
    m = s.max(-1, keepdims=True)
    dead = np.isneginf(m)
    any_dead = bool(dead.any())
    if any_dead:
        m = np.where(dead, np.zeros((), s.dtype), m)
    s -= m
    np.exp(s, out=s)
    denom = s.sum(-1, keepdims=True)
    if any_dead:
        denom = np.where(dead, np.ones((), s.dtype), denom)
    s /= denom
    return s


def softmax_rows(scores: Tensor, safe: bool) -> Tensor:
    """Softmax over the last dim; with ``safe``, rows that are all ``-inf`` give zeros.

    Example:
        >>> import minigrad
        >>> from minigrad.ops.attention import softmax_rows
        >>> softmax_rows(minigrad.tensor([[0.0, 0.0], [-float("inf")] * 2]), safe=True)
        tensor([[0.5000, 0.5000],
                [0.0000, 0.0000]])
    """
    if not safe:
        return scores.softmax(-1)
    dead = np.isneginf(scores.numpy()).all(-1, keepdims=True)
    if not dead.any():
        return scores.softmax(-1)
    from minigrad.ops.elementwise import where

    return where(dead, 0.0, where(dead, 0.0, scores).softmax(-1))


class ScaledDotProductAttention(ArrayFunction):
    """``softmax(q @ k^T * scale + bias) @ v`` in one node (``bias`` a constant or None)."""

    @staticmethod
    def forward(ctx: Context, q: Any, k: Any, v: Any, bias: Any, scale: float) -> Any:
        p = _probabilities(q, k, bias, scale)
        ctx.save_for_backward(q, k, v, p, bias)
        return np.matmul(p, v)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        q, k, v, p, bias = ctx.saved_tensors
        scale = ctx.attrs["scale"]
        if ctx.create_graph:
            return _backward_graph(q, k, v, bias, scale, grad)
        g, pa, qa, ka, va = grad.numpy(), p.numpy(), q.numpy(), k.numpy(), v.numpy()
        dv = np.matmul(np.swapaxes(pa, -1, -2), g)
        dp = np.matmul(g, np.swapaxes(va, -1, -2))
        ds = dp * pa  # ds = p * (dp - sum(dp * p, -1)), written into two buffers
        np.multiply(pa, row_sums(ds), out=dp)
        ds -= dp
        factor = ds.dtype.type(scale)
        dq = np.matmul(ds, ka)
        dq *= factor
        dk = np.matmul(np.swapaxes(ds, -1, -2), qa)
        dk *= factor
        return Tensor._make(dq), Tensor._make(dk), Tensor._make(dv), None


def _backward_graph(
    q: Tensor, k: Tensor, v: Tensor, bias: Tensor | None, scale: float, grad: Tensor
) -> Any:
    """The same gradient in Tensor ops, the probabilities recomputed (differentiable again)."""
    scores = (q * scale) @ k.transpose(-2, -1)
    if bias is not None:
        scores = scores + bias
    p = softmax_rows(scores, safe=True)  # fully masked rows: zeros, as the forward
    dv = p.transpose(-2, -1) @ grad
    dp = grad @ v.transpose(-2, -1)
    ds = p * (dp - (dp * p).sum(-1, keepdim=True)) * scale
    return ds @ k, ds.transpose(-2, -1) @ q, dv, None


@op(method=False, export=False)
def fused_attention(
    query: Tensor, key: Tensor, value: Tensor, bias: Tensor | None = None, scale: float = 1.0
) -> Tensor:
    """``softmax(query @ key^T * scale + bias) @ value`` as one graph node.

    Args:
        query: ``(*, L, E)``; key: ``(*, S, E)``; value: ``(*, S, Ev)``, batch dims broadcasting.
        bias: a constant broadcastable to ``(*, L, S)`` (0 to attend, -inf to mask), or None.
        scale: the factor of the scores.

    :func:`minigrad.nn.functional.scaled_dot_product_attention` (which checks its
    arguments and builds the mask) calls it whenever there is no dropout and the
    mask needs no gradient.

    Example:
        >>> import minigrad
        >>> from minigrad.ops.attention import fused_attention
        >>> q = k = v = minigrad.eye(2).reshape(1, 2, 2)
        >>> fused_attention(q, k, v, scale=0.0)
        tensor([[[0.5000, 0.5000],
                 [0.5000, 0.5000]]])
    """
    q, k, v = as_tensor(query), as_tensor(key), as_tensor(value)
    if bias is not None and isinstance(bias, Tensor) and bias.requires_grad:
        raise RuntimeError(
            "attention: bias must be a constant (use the composed form for a learnt mask)"
        )
    b = None if bias is None else (bias.numpy() if isinstance(bias, Tensor) else np.asarray(bias))
    if b is not None and b.dtype != q.dtype:
        b = b.astype(q.dtype)
    out: Tensor = ScaledDotProductAttention.apply(q, k, v, b, scale=float(scale))
    return out
