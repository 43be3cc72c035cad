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
    minigrad.Size([2, 6, 14, 14])
    >>> F.cross_entropy(h.flatten(1)[:, :10], minigrad.tensor([3, 7])).backward()
    >>> w.grad.shape
    minigrad.Size([6, 1, 5, 5])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad import ops
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
from minigrad.ops._util import as_tensor
from minigrad.ops.activation import (
    celu,
    elu,
    gelu,
    glu,
    hardsigmoid,
    hardswish,
    hardtanh,
    leaky_relu,
    logsigmoid,
    mish,
    prelu,
    relu6,
    selu,
    silu,
    softmin,
    softplus,
    softsign,
    tanhshrink,
    threshold,
)
from minigrad.ops.conv import conv2d, conv_transpose2d
from minigrad.ops.conv_pool_1d import (
    adaptive_avg_pool1d,
    adaptive_max_pool1d,
    adaptive_max_pool2d,
    avg_pool1d,
    conv1d,
    conv_transpose1d,
    max_pool1d,
)
from minigrad.ops.dense import linear
from minigrad.ops.loss import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cosine_embedding_loss,
    cross_entropy,
    gaussian_nll_loss,
    hinge_embedding_loss,
    huber_loss,
    kl_div,
    l1_loss,
    margin_ranking_loss,
    mse_loss,
    multi_margin_loss,
    multilabel_soft_margin_loss,
    nll_loss,
    poisson_nll_loss,
    smooth_l1_loss,
    soft_margin_loss,
    triplet_margin_loss,
)
from minigrad.ops.normalization import batch_norm
from minigrad.ops.padding import pad as _pad
from minigrad.ops.pool import adaptive_avg_pool2d, avg_pool2d, max_pool2d
from minigrad.ops.resample import col2im as fold
from minigrad.ops.resample import im2col as unfold
from minigrad.ops.resample import interpolate, pixel_shuffle, pixel_unshuffle
from minigrad.random import default_generator
from minigrad.tensor import Tensor

__all__ = [
    "adaptive_avg_pool2d", "avg_pool2d", "batch_norm", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "celu", "conv2d", "conv_transpose2d",
    "cosine_embedding_loss", "cross_entropy", "dropout", "elu", "embedding",
    "gaussian_nll_loss", "gelu", "glu", "group_norm", "hardsigmoid", "hardswish", "hardtanh",
    "hinge_embedding_loss", "huber_loss", "instance_norm", "kl_div", "l1_loss", "layer_norm",
    "leaky_relu", "linear", "log_softmax", "logsigmoid", "margin_ranking_loss", "max_pool2d",
    "mish", "mse_loss", "multi_head_attention_forward", "multi_margin_loss",
    "multilabel_soft_margin_loss", "nll_loss", "normalize", "one_hot", "pad",
    "poisson_nll_loss", "prelu", "relu", "relu6", "rms_norm", "scaled_dot_product_attention",
    "selu", "sigmoid", "silu", "smooth_l1_loss", "soft_margin_loss", "softmax", "softmin",
    "softplus", "softsign", "tanh", "tanhshrink", "threshold", "triplet_margin_loss",
]  # fmt: skip
__all__ += [
    "adaptive_avg_pool1d", "adaptive_max_pool1d", "adaptive_max_pool2d", "avg_pool1d", "conv1d",
    "conv_transpose1d", "fold", "interpolate", "max_pool1d", "pixel_shuffle", "pixel_unshuffle",
    "unfold",
]  # fmt: skip

# --------------------------------------------------------------------------- activations


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """``max(input, 0)`` (gradient 0 at 0); ``inplace=True`` writes into ``input``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.relu(minigrad.tensor([-1.0, 2.0]))
        tensor([0., 2.])
    """
    if inplace:
        return as_tensor(input).relu_()
    return ops.relu(input)


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
    """Pad (``'constant'``, ``'reflect'``, ``'replicate'``, ``'circular'``; negative amounts
    crop); ``pad`` lists (before, after) amounts from the last dim backwards.
    See :func:`minigrad.ops.padding.pad`.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.pad(minigrad.ones(1, 1, 2, 2), (1, 1, 0, 0)).shape
        minigrad.Size([1, 1, 2, 4])
    """
    return _pad(input, pad, mode=mode, value=value)
