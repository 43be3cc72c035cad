"""The functional API, with PyTorch's names, arguments and defaults (``torch.nn.functional``).

Convolution and pooling live in :mod:`minigrad.ops.conv` and :mod:`minigrad.ops.pool`,
the losses in :mod:`minigrad.ops.loss`; this module gathers them with ``linear``,
the activations and ``dropout``.

Example:
    >>> import minigrad
    >>> from minigrad.nn import functional as F
    >>> x = minigrad.randn(2, 1, 28, 28)
    >>> w = minigrad.randn(6, 1, 5, 5, requires_grad=True)
    >>> h = F.max_pool2d(F.relu(F.conv2d(x, w, padding=2)), 2)
    >>> h.shape
    (2, 6, 14, 14)
    >>> F.cross_entropy(h.flatten(1)[:, :10], minigrad.tensor([3, 7])).backward()
    >>> w.grad.shape
    (6, 1, 5, 5)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from minigrad import ops
from minigrad.autograd import ArrayFunction as Function
from minigrad.autograd import Context
from minigrad.nn._functional_seq import (
    embedding,
    group_norm,
    instance_norm,
    layer_norm,
    multi_head_attention_forward,
    normalize,
    one_hot,
    rms_norm,
    scaled_dot_product_attention,
)
from minigrad.ops._blas import matmul2d
from minigrad.ops._util import as_tensor
from minigrad.ops.conv import conv2d, conv_transpose2d
from minigrad.ops.loss import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    l1_loss,
    mse_loss,
    nll_loss,
)
from minigrad.ops.pool import adaptive_avg_pool2d, avg_pool2d, max_pool2d
from minigrad.random import default_generator
from minigrad.tensor import Tensor

__all__ = [
    "adaptive_avg_pool2d", "avg_pool2d", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "conv2d", "conv_transpose2d", "cross_entropy",
    "dropout", "embedding", "gelu", "group_norm", "instance_norm", "l1_loss", "layer_norm",
    "leaky_relu", "linear", "log_softmax", "max_pool2d", "mse_loss",
    "multi_head_attention_forward", "nll_loss", "normalize", "one_hot", "pad", "relu",
    "rms_norm", "scaled_dot_product_attention", "sigmoid", "softmax", "tanh",
]  # fmt: skip

# --------------------------------------------------------------------------- linear


class Linear(Function):
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
        gb_arr = g.sum(0) if need_b else None
        return gx_arr, gw_arr, gb_arr  # arrays: the engine wraps them


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``input @ weight.T + bias``, with weight ``(out_features, in_features)``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.linear(minigrad.ones(2, 3), minigrad.ones(4, 3), minigrad.zeros(4)).shape
        (2, 4)
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
        return Linear.apply(x.unsqueeze(0), w, b).squeeze(0)
    return Linear.apply(x, w, b)


# --------------------------------------------------------------------------- activations


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """``max(input, 0)`` (gradient 0 at 0). ``inplace`` is accepted and ignored.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.relu(minigrad.tensor([-1.0, 2.0]))
        tensor([0., 2.])
    """
    return ops.relu(input)


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


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """``input`` where positive, ``negative_slope * input`` elsewhere.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.leaky_relu(minigrad.tensor([-2.0, 3.0]), 0.1)
        tensor([-0.2,  3. ])
    """
    return LeakyRelu.apply(as_tensor(input), negative_slope=float(negative_slope))


# W. J. Cody's rational approximations of erf/erfc (Math. Comp. 23, 1969), ~1e-16.
_ERF_A = (
    3.16112374387056560e00,
    1.13864154151050156e02,
    3.77485237685302021e02,
    3.20937758913846947e03,
    1.85777706184603153e-1,
)
_ERF_B = (
    2.36012909523441209e01,
    2.44024637934444173e02,
    1.28261652607737228e03,
    2.84423683343917062e03,
)
_ERF_C = (
    5.64188496988670089e-1,
    8.88314979438837594e00,
    6.61191906371416295e01,
    2.98635138197400131e02,
    8.81952221241769090e02,
    1.71204761263407058e03,
    2.05107837782607147e03,
    1.23033935479799725e03,
    2.15311535474403846e-8,
)
_ERF_D = (
    1.57449261107098347e01,
    1.17693950891312499e02,
    5.37181101862009858e02,
    1.62138957456669019e03,
    3.29079923573345963e03,
    4.36261909014324716e03,
    3.43936767414372164e03,
    1.23033935480374942e03,
)
_ERF_P = (
    3.05326634961232344e-1,
    3.60344899949804439e-1,
    1.25781726111229246e-1,
    1.60837851487422766e-2,
    6.58749161529837803e-4,
    1.63153871373020978e-2,
)
_ERF_Q = (2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
          6.05183413124413191e-2, 2.33520497626869185e-3)  # fmt: skip


def _erf(x: np.ndarray) -> np.ndarray:
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
    mid = ~small & (y <= 4.0)
    v = y[mid]
    num, den = _ERF_C[8] * v, v
    for c, d in zip(_ERF_C[:7], _ERF_D[:7]):
        num, den = (num + c) * v, (den + d) * v
    out[mid] = 1.0 - np.exp(-v * v) * (num + _ERF_C[7]) / (den + _ERF_D[7])
    big = y > 4.0
    v = y[big]
    z = 1.0 / (v * v)
    num, den = _ERF_P[5] * z, z
    for p, q in zip(_ERF_P[:4], _ERF_Q[:4]):
        num, den = (num + p) * z, (den + q) * z
    tail = (1.0 / math.sqrt(math.pi) - z * (num + _ERF_P[4]) / (den + _ERF_Q[4])) / v
    out[big] = 1.0 - np.exp(-v * v) * tail
    return np.copysign(out, x)


class NormalCdf(Function):
    """``Phi(x) = (1 + erf(x / sqrt(2))) / 2``, the standard normal CDF."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        ctx.save_for_backward(x)
        return (0.5 * (1.0 + _erf(x / math.sqrt(2.0)))).astype(x.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (x,) = ctx.saved_tensors
        return grad * (x * x * -0.5).exp() * (1.0 / math.sqrt(2.0 * math.pi))


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """Gaussian error linear unit ``x * Phi(x)``; ``approximate='tanh'`` for the tanh form.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.gelu(minigrad.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.1587,  0.    ,  0.8413])
    """
    x = as_tensor(input)
    if approximate == "none":
        return x * NormalCdf.apply(x)
    if approximate == "tanh":
        inner = (x + x * x * x * 0.044715) * math.sqrt(2.0 / math.pi)
        return x * 0.5 * (inner.tanh() + 1.0)
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


def sigmoid(input: Tensor) -> Tensor:
    """``1 / (1 + exp(-input))``, computed without overflow.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.sigmoid(minigrad.tensor([0.0]))
        tensor([0.5])
    """
    return ops.sigmoid(input)


def tanh(input: Tensor) -> Tensor:
    """Hyperbolic tangent.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.tanh(minigrad.tensor([0.0]))
        tensor([0.])
    """
    return ops.tanh(input)


def _softmax_dim(x: Tensor, dim: int | None) -> int:
    # PyTorch's legacy choice when dim is omitted.
    return (0 if x.ndim in (0, 1, 3) else 1) if dim is None else dim


def softmax(input: Tensor, dim: int | None = None, dtype: Any = None) -> Tensor:
    """Softmax along ``dim`` (cast to ``dtype`` first if given).

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.softmax(minigrad.tensor([[0.0, 0.0]]), dim=1)
        tensor([[0.5, 0.5]])
    """
    x = as_tensor(input)
    x = x if dtype is None else x.to(dtype)
    return ops.softmax(x, _softmax_dim(x, dim))


def log_softmax(input: Tensor, dim: int | None = None, dtype: Any = None) -> Tensor:
    """Log-softmax along ``dim``, computed stably.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.log_softmax(minigrad.tensor([[0.0, 0.0]]), dim=1)
        tensor([[-0.6931, -0.6931]])
    """
    x = as_tensor(input)
    x = x if dtype is None else x.to(dtype)
    return ops.log_softmax(x, _softmax_dim(x, dim))


# --------------------------------------------------------------------------- dropout, pad


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by ``1 / (1 - p)``.

    The mask is drawn from minigrad's seeded generator; with ``training=False``
    (or ``p=0``) the input comes back unchanged.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> _ = minigrad.manual_seed(0)
        >>> y = F.dropout(minigrad.ones(1000), p=0.5)
        >>> sorted(set(y.tolist())), 400 < int((y > 0).sum()) < 600
        ([0.0, 2.0], True)
        >>> F.dropout(minigrad.ones(3), training=False)
        tensor([1., 1., 1.])
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout: p must be a probability in [0, 1], got {p}")
    x = as_tensor(input)
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return x * 0.0
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float32)
    keep = default_generator().random(x.shape, dtype=dtype) >= p
    return x * Tensor._make(keep * np.asarray(1.0 / (1.0 - p), dtype=dtype))


def pad(input: Tensor, pad: Any, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad with a constant; ``pad`` lists (before, after) amounts from the last dim backwards.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.pad(minigrad.ones(1, 1, 2, 2), (1, 1, 0, 0)).shape
        (1, 1, 2, 4)
    """
    return ops.pad(input, pad, mode=mode, value=0.0 if value is None else value)
