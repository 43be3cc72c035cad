"""Functional forms for sequence models: embedding, normalisation and attention.

Every function is a composition of public Tensor ops (indexing, ``matmul``,
``softmax``, ``mean``, ``where``, ...), so first and second derivatives come
from those ops. They are exported from :mod:`minigrad.nn.functional`.

Example:
    >>> import minigrad
    >>> from minigrad.nn import functional as F
    >>> q = minigrad.randn(2, 4, 5, 8)  # (batch, heads, length, head_dim)
    >>> F.scaled_dot_product_attention(q, q, q, is_causal=True).shape
    minigrad.Size([2, 4, 5, 8])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from minigrad import ops
from minigrad.autograd import no_grad
from minigrad.ops._util import as_tensor
from minigrad.ops.attention import softmax_rows
from minigrad.ops.sparse import GradScale
from minigrad.tensor import Tensor

__all__ = [
    "embedding", "group_norm", "instance_norm", "layer_norm", "multi_head_attention_forward",
    "normalize", "one_hot", "rms_norm", "scaled_dot_product_attention",
]  # fmt: skip


def _const(array: Any, dtype: Any = None) -> Tensor:
    return Tensor._make(np.asarray(array, dtype=dtype))


def _check_float(x: Tensor, who: str) -> None:
    if x.dtype.kind != "f":
        raise TypeError(f"{who}: expected a floating-point input, got dtype {x.dtype}")


# --------------------------------------------------------------------------- embedding


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """One-hot encode an integer tensor: shape ``(*, num_classes)``, dtype int64.

    Args:
        tensor: class indices of any shape, integer dtype.
        num_classes: number of classes; ``-1`` infers ``max(tensor) + 1``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.one_hot(minigrad.tensor([0, 2]), 3)
        tensor([[1, 0, 0],
                [0, 0, 1]])
    """
    t = as_tensor(tensor)
    if t.dtype.kind not in "iu":
        raise RuntimeError(f"one_hot: expected an integer index tensor, got dtype {t.dtype}")
    idx = t._data
    if num_classes == -1:
        if idx.size == 0:
            raise RuntimeError("one_hot: cannot infer num_classes from an empty tensor")
        num_classes = int(idx.max()) + 1
    if idx.size and (idx.min() < 0 or idx.max() >= num_classes):
        bad = int(idx.min()) if idx.min() < 0 else int(idx.max())
        raise RuntimeError(
            f"one_hot: class value {bad} is out of range for num_classes={num_classes} "
            f"(values must lie in [0, {num_classes}))"
        )
    return Tensor._make((idx[..., None] == np.arange(num_classes)).astype(np.int64))


def _renorm_rows_(weight: Tensor, idx: np.ndarray, max_norm: float, norm_type: float) -> None:
    """Rescale in place the rows of ``weight`` used by ``idx`` whose norm exceeds ``max_norm``."""
    rows = np.unique(idx)
    w = weight._data[rows]
    norms = np.linalg.norm(w, ord=norm_type, axis=1)
    too_big = norms > max_norm
    if too_big.any():
        scale = (max_norm / (norms[too_big] + 1e-7)).astype(w.dtype)
        with no_grad():
            weight[rows[too_big]] = w[too_big] * scale[:, None]


def embedding(
    input: Tensor,
    weight: Tensor,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    """Look up rows of ``weight`` (``(num_embeddings, embedding_dim)``) at the indices ``input``.

    Args:
        input: integer indices of any shape.
        weight: the embedding matrix.
        padding_idx: rows at this index get no gradient.
        max_norm: rows used by ``input`` whose ``norm_type``-norm exceeds it are
            rescaled to ``max_norm`` **in place** before the lookup (as in PyTorch).
        scale_grad_by_freq: divide each row's gradient by its count in ``input``.
        sparse: only ``False``; minigrad has no sparse gradients.

    Shapes: output ``(*input.shape, embedding_dim)``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> w = minigrad.arange(6.0).reshape(3, 2)
        >>> F.embedding(minigrad.tensor([[2, 0]]), w)
        tensor([[[4., 5.],
                 [0., 1.]]])
    """
    idx_t, w = as_tensor(input), as_tensor(weight)
    if sparse:
        raise NotImplementedError("embedding: sparse=True is not supported (no sparse tensors)")
    if idx_t.dtype.kind not in "iu":
        raise TypeError(f"embedding: indices must be an integer tensor, got dtype {idx_t.dtype}")
    if w.ndim != 2:
        raise RuntimeError(
            f"embedding: weight must be 2-D (num_embeddings, embedding_dim), got shape {w.shape}"
        )
    n = w.shape[0]
    idx = idx_t._data
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        bad = int(idx.min()) if idx.min() < 0 else int(idx.max())
        raise IndexError(
            f"embedding: index {bad} is out of range for an embedding of {n} rows "
            f"(weight shape {w.shape}); indices must lie in [0, {n})"
        )
    if padding_idx is not None:
        if not -n <= padding_idx < n:
            raise ValueError(f"embedding: padding_idx={padding_idx} is out of range for {n} rows")
        padding_idx = padding_idx % n
    if max_norm is not None and idx.size:
        _renorm_rows_(w, idx, float(max_norm), float(norm_type))
    out = w[idx]
    if not out.requires_grad or (padding_idx is None and not scale_grad_by_freq):
        return out
    scale = np.ones(idx.shape, dtype=w.dtype)
    if scale_grad_by_freq:
        scale = scale / np.bincount(idx.ravel(), minlength=n)[idx]
    if padding_idx is not None:
        scale = np.where(idx == padding_idx, 0.0, scale).astype(w.dtype)
    return GradScale.apply(out, scale[..., None])  # ops/sparse.py


# --------------------------------------------------------------------------- normalisation


def _normalized_dims(x: Tensor, normalized_shape: Any, who: str) -> tuple[int, ...]:
    shape = (
        (int(normalized_shape),)
        if isinstance(normalized_shape, (int, np.integer))
        else tuple(int(s) for s in normalized_shape)
    )
    k = len(shape)
    if k == 0 or x.ndim < k or tuple(x.shape[x.ndim - k :]) != shape:
        raise RuntimeError(
            f"{who}: input of shape {x.shape} does not end in normalized_shape {shape}"
        )
    return tuple(range(-k, 0))


def _check_affine(t: Tensor | None, shape: tuple[int, ...], name: str, who: str) -> None:
    if t is not None and tuple(t.shape) != shape:
        raise RuntimeError(f"{who}: {name} has shape {t.shape} but expected {shape}")


def _standardize(x: Tensor, dims: tuple[int, ...], eps: float) -> Tensor:
    """``(x - mean) / sqrt(var + eps)`` over ``dims`` with the biased variance."""
    xc = x - x.mean(dims, keepdim=True)
    return xc * ((xc * xc).mean(dims, keepdim=True) + eps) ** -0.5


def layer_norm(
    input: Tensor,
    normalized_shape: Any,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise over the last ``len(normalized_shape)`` dims, then scale and shift.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.layer_norm(minigrad.tensor([[1.0, 3.0]]), (2,))
        tensor([[-1.,  1.]])
    """
    x = as_tensor(input)
    _check_float(x, "layer_norm")
    dims = _normalized_dims(x, normalized_shape, "layer_norm")
    shape = tuple(x.shape[x.ndim - len(dims) :])
    _check_affine(weight, shape, "weight", "layer_norm")
    _check_affine(bias, shape, "bias", "layer_norm")
    from minigrad.ops.normalization import layer_norm as fused_layer_norm

    return fused_layer_norm(x, shape, weight, bias, eps)  # one node (ops/normalization.py)


def rms_norm(
    input: Tensor,
    normalized_shape: Any,
    weight: Tensor | None = None,
    eps: float | None = None,
) -> Tensor:
    """``x / sqrt(mean(x²) + eps) * weight`` over the last dims; ``eps=None`` is the dtype's eps.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.rms_norm(minigrad.tensor([[3.0, 4.0]]), (2,), eps=0.0)
        tensor([[0.8485, 1.1314]])
    """
    x = as_tensor(input)
    _check_float(x, "rms_norm")
    dims = _normalized_dims(x, normalized_shape, "rms_norm")
    _check_affine(weight, tuple(x.shape[x.ndim - len(dims) :]), "weight", "rms_norm")
    eps = float(np.finfo(x.dtype).eps) if eps is None else eps
    y = x * ((x * x).mean(dims, keepdim=True) + eps) ** -0.5
    return y * weight if weight is not None else y


def _channel_affine(y: Tensor, weight: Tensor | None, bias: Tensor | None, who: str) -> Tensor:
    c = y.shape[1]
    shape = (1, c) + (1,) * (y.ndim - 2)
    _check_affine(weight, (c,), "weight", who)
    _check_affine(bias, (c,), "bias", who)
    if weight is not None:
        y = y * weight.reshape(shape)
    return y + bias.reshape(shape) if bias is not None else y


def group_norm(
    input: Tensor,
    num_groups: int,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise each of ``num_groups`` channel groups of ``(N, C, *)`` input per sample.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.group_norm(minigrad.tensor([[[1.0], [3.0], [5.0], [5.0]]]), 2).flatten()
        tensor([-1.,  1.,  0.,  0.])
    """
    x = as_tensor(input)
    _check_float(x, "group_norm")
    if x.ndim < 2:
        raise RuntimeError(f"group_norm: expected input of shape (N, C, *), got {x.shape}")
    n, c = x.shape[0], x.shape[1]
    if num_groups <= 0 or c % num_groups:
        raise RuntimeError(
            f"group_norm: input has {c} channels (shape {x.shape}), which num_groups="
            f"{num_groups} does not divide"
        )
    y = _standardize(x.reshape(n, num_groups, -1), (2,), eps).reshape(x.shape)
    return _channel_affine(y, weight, bias, "group_norm")


def instance_norm(
    input: Tensor,
    running_mean: Tensor | None = None,
    running_var: Tensor | None = None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    use_input_stats: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise each channel of each sample of ``(N, C, *)`` input over its spatial dims.

    With ``use_input_stats`` the per-instance statistics are used and, if given,
    ``running_mean``/``running_var`` are updated in place with their batch average
    (unbiased variance); otherwise the running statistics are used.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.instance_norm(minigrad.tensor([[[1.0, 3.0]]]))
        tensor([[[-1.,  1.]]])
    """
    x = as_tensor(input)
    _check_float(x, "instance_norm")
    if x.ndim < 3:
        raise RuntimeError(f"instance_norm: expected input of shape (N, C, *), got {x.shape}")
    c, dims = x.shape[1], tuple(range(2, x.ndim))
    shape = (1, c) + (1,) * (x.ndim - 2)
    for name, t in (("running_mean", running_mean), ("running_var", running_var)):
        _check_affine(t, (c,), name, "instance_norm")
    if use_input_stats:
        if running_mean is not None and running_var is not None:
            n = int(np.prod([x.shape[d] for d in dims]))
            data = x._data
            mean = data.mean(axis=dims)
            var = data.var(axis=dims) * (n / max(n - 1, 1))
            with no_grad():
                running_mean.mul_(1 - momentum).add_(mean.mean(0), alpha=momentum)
                running_var.mul_(1 - momentum).add_(var.mean(0), alpha=momentum)
        y = _standardize(x, dims, eps)
    else:
        if running_mean is None or running_var is None:
            raise ValueError("instance_norm: running statistics are needed without input stats")
        rm = running_mean._data.astype(x.dtype).reshape(shape)
        rv = running_var._data.astype(x.dtype).reshape(shape)
        y = (x - _const(rm)) * _const((rv + eps) ** -0.5)
    return _channel_affine(y, weight, bias, "instance_norm")


def _vector_norm(x: Tensor, p: float, dim: int) -> Tensor:
    """The ``p``-norm over ``dim`` (keepdim), with gradient 0 (not NaN) at a zero vector."""
    if p == math.inf:
        return x.abs().amax(dim, keepdim=True)
    if p <= 0:
        raise ValueError(f"normalize: p must be positive, got {p}")
    total = (x * x).sum(dim, keepdim=True) if p == 2 else (x.abs() ** p).sum(dim, keepdim=True)
    if p == 1:
        return total
    positive = total._data > 0
    safe = ops.where(positive, total, 1.0)
    root = safe.sqrt() if p == 2 else safe ** (1.0 / p)
    return ops.where(positive, root, 0.0)


def normalize(
    input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Any = None
) -> Tensor:
    """Divide by the ``p``-norm along ``dim``: ``x / max(||x||_p, eps)``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.normalize(minigrad.tensor([[3.0, 4.0]]))
        tensor([[0.6, 0.8]])
    """
    if out is not None:
        raise NotImplementedError("normalize: out= is not supported")
    x = as_tensor(input)
    _check_float(x, "normalize")
    return x / _vector_norm(x, float(p), dim).clamp(min=eps)


# --------------------------------------------------------------------------- attention


def _shape_str(shape: Sequence[int]) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ")"


def _mask_bias(mask: Any, dtype: np.dtype, true_means_keep: bool) -> Tensor:
    """A bool mask as an additive bias of 0 / -inf, or a float mask as given."""
    m = as_tensor(mask)
    if m.dtype == np.bool_:
        blocked = m._data if not true_means_keep else ~m._data
        return _const(np.where(blocked, -np.inf, 0.0), dtype)
    if m.dtype.kind != "f":
        raise TypeError(f"attention masks must be bool or floating, got dtype {m.dtype}")
    return m if m.dtype == dtype else m.to(dtype)


def _attend(
    q: Tensor, k: Tensor, v: Tensor, bias: Tensor | None, dropout_p: float, scale: float,
    safe: bool,
) -> tuple[Tensor, Tensor]:  # fmt: skip
    """``softmax(q k^T * scale + bias) v`` batched over all leading dims: (output, weights)."""
    scores = (q * scale) @ k.transpose(-2, -1)
    if bias is not None:
        scores = scores + bias
    probs = softmax_rows(scores, safe)
    if dropout_p > 0.0:
        from minigrad.nn.functional import dropout

        probs = dropout(probs, dropout_p)
    return probs @ v, probs


def _check_broadcast(mask: Tensor, target: tuple[int, ...], what: str, who: str) -> None:
    try:
        ok = np.broadcast_shapes(mask.shape, target) == target
    except ValueError:
        ok = False
    if not ok:
        raise RuntimeError(
            f"{who}: {what} of shape {_shape_str(mask.shape)} does not broadcast to the "
            f"attention scores' shape {_shape_str(target)}"
        )


def scaled_dot_product_attention(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    attn_mask: Tensor | None = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    enable_gqa: bool = False,
) -> Tensor:
    """``softmax(q @ k^T * scale + mask) @ v``, batched over every leading dim.

    Args:
        query: ``(*, L, E)``.
        key: ``(*, S, E)``.
        value: ``(*, S, Ev)``.
        attn_mask: broadcastable to ``(*, L, S)``; bool (True = may attend) or float
            (added to the scores).
        dropout_p: dropout on the attention weights.
        is_causal: attend only to positions ``<=`` one's own (top-left aligned);
            excludes ``attn_mask``.
        scale: defaults to ``1 / sqrt(E)``.
        enable_gqa: key/value may have fewer heads (dim -3) than query, dividing it.

    Rows in which every position is masked give zeros, as PyTorch's.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> q, k, v = minigrad.randn(2, 3, 4), minigrad.randn(2, 5, 4), minigrad.randn(2, 5, 6)
        >>> F.scaled_dot_product_attention(q, k, v).shape
        minigrad.Size([2, 3, 6])
    """
    who = "scaled_dot_product_attention"
    q, k, v = as_tensor(query), as_tensor(key), as_tensor(value)
    if q.ndim < 2 or k.ndim < 2 or v.ndim < 2:
        raise RuntimeError(
            f"{who}: query, key and value need at least 2 dims, got {q.shape}, {k.shape}, {v.shape}"
        )
    if q.shape[-1] != k.shape[-1] or k.shape[-2] != v.shape[-2]:
        raise RuntimeError(
            f"{who}: query {q.shape} and key {k.shape} must share the last dim, and key and "
            f"value {v.shape} the sequence length (dim -2)"
        )
    if enable_gqa and q.ndim >= 3 and k.ndim >= 3 and q.shape[-3] != k.shape[-3]:
        hq, hk = q.shape[-3], k.shape[-3]
        if hq % hk or v.shape[-3] != hk:
            raise RuntimeError(
                f"{who}: with enable_gqa, query's {hq} heads must be a multiple of key's and "
                f"value's heads, got {hk} and {v.shape[-3]}"
            )
        k, v = (_repeat_heads(t, hq // hk) for t in (k, v))
    L, S = q.shape[-2], k.shape[-2]
    bias = None
    if is_causal:
        if attn_mask is not None:
            raise RuntimeError(f"{who}: attn_mask must be None when is_causal=True")
        bias = _const(np.where(np.tril(np.ones((L, S), dtype=bool)), 0.0, -np.inf), q.dtype)
    elif attn_mask is not None:
        bias = _mask_bias(attn_mask, q.dtype, true_means_keep=True)
        batch = np.broadcast_shapes(q.shape[:-2], k.shape[:-2])
        _check_broadcast(bias, (*batch, L, S), "attn_mask", who)
    factor = 1.0 / math.sqrt(q.shape[-1]) if scale is None else float(scale)
    if dropout_p == 0.0 and (bias is None or not bias.requires_grad):
        from minigrad.ops.attention import fused_attention

        return fused_attention(q, k, v, bias, factor)  # one node (ops/attention.py)
    return _attend(q, k, v, bias, dropout_p, factor, safe=True)[0]


def _repeat_heads(t: Tensor, groups: int) -> Tensor:
    """``(*, H, S, E) -> (*, H * groups, S, E)``, each head repeated ``groups`` times in a row."""
    lead, (h, s, e) = t.shape[:-3], t.shape[-3:]
    return t.unsqueeze(-3).expand(*lead, h, groups, s, e).reshape(*lead, h * groups, s, e)


def _in_projection(
    q: Tensor, k: Tensor, v: Tensor, weights: tuple[Tensor, Tensor, Tensor],
    biases: tuple[Tensor | None, Tensor | None, Tensor | None], packed: Tensor | None,
    packed_bias: Tensor | None,
) -> tuple[Tensor, Tensor, Tensor]:  # fmt: skip
    from minigrad.nn.functional import linear

    if packed is not None and q is k and k is v:  # self-attention: one product for q, k, v
        qkv = linear(q, packed, packed_bias)
        e = qkv.shape[-1] // 3
        return qkv[..., :e], qkv[..., e : 2 * e], qkv[..., 2 * e :]
    return (
        linear(q, weights[0], biases[0]),
        linear(k, weights[1], biases[1]),
        linear(v, weights[2], biases[2]),
    )


def _heads(t: Tensor, n: int, h: int) -> Tensor:
    """``(S, N, H * d) -> (N, H, S, d)``."""
    return t.reshape(t.shape[0], n, h, -1).permute(1, 2, 0, 3)


def _static(t: Tensor, n: int, h: int, d: int, name: str) -> Tensor:
    if t.ndim != 3 or t.shape[0] != n * h or t.shape[2] != d:
        raise RuntimeError(
            f"multi_head_attention_forward: {name} must have shape (N * num_heads, S, head_dim) "
            f"= ({n * h}, S, {d}), got {_shape_str(t.shape)}"
        )
    return t.reshape(n, h, t.shape[1], d)


def _pad_last(mask: Tensor | None) -> Tensor | None:
    """Append one unmasked column (0 bias) to a float mask, for the extra key position."""
    if mask is None:
        return None
    return ops.cat([mask, _const(np.zeros((*mask.shape[:-1], 1)), mask.dtype)], -1)


def _attn_mask_bias(
    attn_mask: Any, dtype: np.dtype, n: int, h: int, L: int, S: int
) -> Tensor | None:
    if attn_mask is None:
        return None
    m = _mask_bias(attn_mask, dtype, true_means_keep=False)
    if m.ndim == 2:
        if tuple(m.shape) != (L, S):
            raise RuntimeError(
                f"multi_head_attention_forward: the 2-D attn_mask has shape "
                f"{_shape_str(m.shape)} but should be (L, S) = ({L}, {S})"
            )
        return m
    if m.ndim == 3:
        if tuple(m.shape) != (n * h, L, S):
            raise RuntimeError(
                f"multi_head_attention_forward: the 3-D attn_mask has shape "
                f"{_shape_str(m.shape)} but should be (N * num_heads, L, S) = ({n * h}, {L}, {S})"
            )
        return m.reshape(n, h, L, S)
    raise RuntimeError(
        f"multi_head_attention_forward: attn_mask must be 2-D or 3-D, got shape {m.shape}"
    )


def multi_head_attention_forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    embed_dim_to_check: int,
    num_heads: int,
    in_proj_weight: Tensor | None,
    in_proj_bias: Tensor | None,
    bias_k: Tensor | None,
    bias_v: Tensor | None,
    add_zero_attn: bool,
    dropout_p: float,
    out_proj_weight: Tensor,
    out_proj_bias: Tensor | None,
    training: bool = True,
    key_padding_mask: Tensor | None = None,
    need_weights: bool = True,
    attn_mask: Tensor | None = None,
    use_separate_proj_weight: bool = False,
    q_proj_weight: Tensor | None = None,
    k_proj_weight: Tensor | None = None,
    v_proj_weight: Tensor | None = None,
    static_k: Tensor | None = None,
    static_v: Tensor | None = None,
    average_attn_weights: bool = True,
    is_causal: bool = False,
) -> tuple[Tensor, Tensor | None]:
    """Multi-head attention on sequence-first inputs, PyTorch's ``F.multi_head_attention_forward``.

    Shapes: query ``(L, N, E)``, key ``(S, N, kdim)``, value ``(S, N, vdim)`` (or
    unbatched without ``N``); ``key_padding_mask`` ``(N, S)`` and ``attn_mask``
    ``(L, S)`` or ``(N * num_heads, L, S)``, bool (True = masked out) or float
    (added). Returns the output ``(L, N, E)`` and, with ``need_weights``, the
    attention weights ``(N, L, S)`` (averaged over heads) or ``(N, num_heads, L, S)``.
    ``is_causal`` is a hint that ``attn_mask`` is the causal mask: it must be given.
    With ``need_weights`` a fully masked row gives NaN, without it zeros (as PyTorch).

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> x = minigrad.randn(5, 2, 8)
        >>> w, wo = minigrad.randn(24, 8), minigrad.randn(8, 8)
        >>> out, weights = F.multi_head_attention_forward(
        ...     x, x, x, 8, 2, w, None, None, None, False, 0.0, wo, None)
        >>> out.shape, weights.shape
        (minigrad.Size([5, 2, 8]), minigrad.Size([2, 5, 5]))
    """
    who = "multi_head_attention_forward"
    q_in, k_in, v_in = as_tensor(query), as_tensor(key), as_tensor(value)
    unbatched = q_in.ndim == 2
    if q_in.ndim not in (2, 3) or k_in.ndim != q_in.ndim or v_in.ndim != q_in.ndim:
        raise RuntimeError(
            f"{who}: query, key and value must all be 3-D (L, N, E) or 2-D (L, E), got shapes "
            f"{q_in.shape}, {k_in.shape} and {v_in.shape}"
        )
    if unbatched:
        q_in, k_in, v_in = q_in.unsqueeze(1), k_in.unsqueeze(1), v_in.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = as_tensor(key_padding_mask).unsqueeze(0)
    L, n, e = q_in.shape
    if e != embed_dim_to_check:
        raise RuntimeError(
            f"{who}: query has embedding size {e} but the module expects {embed_dim_to_check}"
        )
    if num_heads <= 0 or e % num_heads:
        raise RuntimeError(f"{who}: embed_dim {e} is not divisible by num_heads {num_heads}")
    if k_in.shape[:2] != v_in.shape[:2] or k_in.shape[1] != n:
        raise RuntimeError(
            f"{who}: key {k_in.shape} and value {v_in.shape} must share (S, N), and N must be "
            f"query's {n} (query shape {q_in.shape})"
        )
    if is_causal and attn_mask is None:
        raise RuntimeError(
            f"{who}: is_causal=True is a hint that attn_mask is the causal mask; pass attn_mask"
        )
    h, d = num_heads, e // num_heads
    if use_separate_proj_weight:
        if q_proj_weight is None or k_proj_weight is None or v_proj_weight is None:
            raise RuntimeError(f"{who}: use_separate_proj_weight needs q/k/v_proj_weight")
        w3 = (q_proj_weight, k_proj_weight, v_proj_weight)
        packed = None
    else:
        if in_proj_weight is None:
            raise RuntimeError(f"{who}: in_proj_weight is None but use_separate_proj_weight=False")
        packed = in_proj_weight
        w3 = (packed[:e], packed[e : 2 * e], packed[2 * e :])
    b3: tuple[Tensor | None, Tensor | None, Tensor | None] = (None, None, None)
    if in_proj_bias is not None:
        b3 = (in_proj_bias[:e], in_proj_bias[e : 2 * e], in_proj_bias[2 * e :])
    for t, w, name in ((k_in, w3[1], "key"), (v_in, w3[2], "value")):
        if t.shape[-1] != w.shape[1]:
            raise RuntimeError(
                f"{who}: {name} has {t.shape[-1]} features (shape {t.shape}) but its projection "
                f"expects {w.shape[1]} (weight shape {w.shape})"
            )
    q, k, v = _in_projection(q_in, k_in, v_in, w3, b3, packed, in_proj_bias)
    bias = _attn_mask_bias(attn_mask, q.dtype, n, h, L, k.shape[0])
    kpm = None
    if key_padding_mask is not None:
        kpm_t = as_tensor(key_padding_mask)
        if tuple(kpm_t.shape) != (n, k.shape[0]):
            raise RuntimeError(
                f"{who}: key_padding_mask has shape {_shape_str(kpm_t.shape)} but should be "
                f"(N, S) = ({n}, {k.shape[0]})"
            )
        kpm = _mask_bias(kpm_t, q.dtype, true_means_keep=False)
    if bias_k is not None and bias_v is not None:
        if static_k is not None or static_v is not None:
            raise RuntimeError(f"{who}: bias_k/bias_v cannot be used with static_k/static_v")
        k = ops.cat([k, bias_k.reshape(1, 1, e).expand(1, n, e)], 0)
        v = ops.cat([v, bias_v.reshape(1, 1, e).expand(1, n, e)], 0)
        bias, kpm = _pad_last(bias), _pad_last(kpm)
    qh, kh, vh = _heads(q, n, h), _heads(k, n, h), _heads(v, n, h)
    if static_k is not None:
        kh = _static(as_tensor(static_k), n, h, d, "static_k")
    if static_v is not None:
        vh = _static(as_tensor(static_v), n, h, d, "static_v")
    if add_zero_attn:
        zeros = _const(np.zeros((n, h, 1, d)), qh.dtype)
        kh, vh = ops.cat([kh, zeros], 2), ops.cat([vh, zeros], 2)
        bias, kpm = _pad_last(bias), _pad_last(kpm)
    if kpm is not None:
        kpm = kpm.reshape(n, 1, 1, -1)
        bias = kpm if bias is None else bias + kpm
    if bias is not None:
        _check_broadcast(bias, (n, h, L, kh.shape[2]), "the attention mask", who)
    p = dropout_p if training else 0.0
    out, probs = _attend(qh, kh, vh, bias, p, 1.0 / math.sqrt(d), safe=not need_weights)
    from minigrad.nn.functional import linear

    out = linear(out.permute(2, 0, 1, 3).reshape(L, n, e), out_proj_weight, out_proj_bias)
    weights = None
    if need_weights:
        weights = probs.mean(1) if average_attn_weights else probs
        weights = weights.squeeze(0) if unbatched else weights
    return (out.squeeze(1) if unbatched else out), weights
