"""Normalisation ops: ``batch_norm`` (one fused node in training mode) and ``layer_norm``.

In training mode the batch is normalised with its own mean and *biased*
variance, and the running statistics (if given) are updated in place with the
*unbiased* variance (``running = (1 - momentum) * running + momentum * batch``);
in evaluation mode the running statistics are used. These are PyTorch's rules.

The fused node's backward uses the closed-form gradient on arrays; when the
backward itself is recorded (``ctx.create_graph``) it is written in Tensor ops
from the saved input, so second derivatives are exact too, and the OpInfo
``fast_path`` property holds the two equal.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.autograd import ArrayFunction, Context, no_grad
from minigrad.ops._registry import op
from minigrad.ops._util import column_sums, row_sums
from minigrad.tensor import Tensor


def _layout(ndim: int) -> tuple[tuple[int, ...], int]:
    """The reduced axes (all but channels, dim 1) and the input's ndim."""
    return (0, *range(2, ndim)), ndim


def _channel_shape(x_ndim: int, c: int) -> tuple[int, ...]:
    return (1, c) + (1,) * (x_ndim - 2)


class NativeBatchNorm(ArrayFunction):
    """Training-mode batch norm with given batch statistics ``mean`` and ``invstd``.

    Inputs: ``x`` (N, C, *), ``weight`` and ``bias`` (C,) or ``None``, and the batch's
    ``mean`` and ``1 / sqrt(var + eps)`` as arrays broadcastable to ``x``. Use
    :func:`batch_norm` (or the layers), which compute those statistics.

    Example:
        >>> import numpy as np
        >>> import minigrad
        >>> from minigrad.ops.normalization import NativeBatchNorm
        >>> x = minigrad.tensor([[1.0], [3.0]], requires_grad=True)
        >>> mean, invstd = np.array([[2.0]], np.float32), np.array([[1.0]], np.float32)
        >>> NativeBatchNorm.apply(x, None, None, mean, invstd, eps=0.0)
        tensor([[-1.],
                [ 1.]], grad_fn=<NativeBatchNormBackward0>)
    """

    @staticmethod
    def forward(
        ctx: Context, x: Any, weight: Any, bias: Any, mean: Any, invstd: Any, eps: float
    ) -> Any:
        shape = _channel_shape(x.ndim, x.shape[1])
        xhat = (x - mean) * invstd
        out = xhat * weight.reshape(shape) if weight is not None else xhat.copy()
        if bias is not None:
            out += bias.reshape(shape)
        saved = [x, xhat, invstd] + ([weight] if weight is not None else [])
        ctx.save_for_backward(*saved)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        x, xhat, invstd, *rest = ctx.saved_tensors
        weight = rest[0] if rest else None
        axes, ndim = _layout(x.ndim)
        shape = _channel_shape(ndim, x.shape[1])
        need_x, need_w, need_b = ctx.needs_input_grad[:3]
        if ctx.create_graph:  # stay differentiable: recompute from x
            gx, gw, gb = _backward_graph(x, weight, grad, axes, shape, ctx.attrs["eps"])
        else:
            gx, gw, gb = _backward_fast(xhat._data, invstd._data, weight, grad._data, axes, shape)
        return (
            gx if need_x else None,
            gw if need_w else None,
            gb if need_b else None,
            None,
            None,
        )


def _backward_fast(
    xhat: np.ndarray, invstd: np.ndarray, weight: Tensor | None, g: np.ndarray,
    axes: tuple[int, ...], shape: tuple[int, ...],
) -> tuple[Tensor, Tensor, Tensor]:  # fmt: skip
    n = g.size // g.shape[1]
    sum_g = g.sum(axis=axes, keepdims=True)
    sum_g_xhat = (g * xhat).sum(axis=axes, keepdims=True)
    scale = invstd if weight is None else invstd * weight._data.reshape(shape)
    gx = (g - sum_g / n - xhat * (sum_g_xhat / n)) * scale
    make = Tensor._make
    return make(gx), make(sum_g_xhat.reshape(-1)), make(sum_g.reshape(-1))


def _backward_graph(
    x: Tensor, weight: Tensor | None, grad: Tensor, axes: tuple[int, ...],
    shape: tuple[int, ...], eps: float,
) -> tuple[Tensor, Tensor, Tensor]:  # fmt: skip
    xc = x - x.mean(axes, keepdim=True)
    invstd = ((xc * xc).mean(axes, keepdim=True) + eps) ** -0.5
    xhat = xc * invstd
    gy = grad if weight is None else grad * weight.reshape(shape)
    gx = invstd * (gy - gy.mean(axes, keepdim=True) - xhat * (gy * xhat).mean(axes, keepdim=True))
    return gx, (grad * xhat).sum(axes), grad.sum(axes)


@op(method=False, export=False)
def batch_norm(
    input: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise each channel (dim 1) of ``input``; PyTorch's ``F.batch_norm``.

    With ``training=True`` the batch statistics are used and, if given, the running
    statistics are updated in place; otherwise the running statistics are used.

    Example:
        >>> import minigrad
        >>> from minigrad.nn.functional import batch_norm
        >>> x = minigrad.tensor([[1.0], [3.0]])
        >>> rm, rv = minigrad.zeros(1), minigrad.ones(1)
        >>> batch_norm(x, rm, rv, training=True)
        tensor([[-1.],
                [ 1.]])
        >>> rm, rv
        (tensor([0.2]), tensor([1.1]))
    """
    if input.ndim < 2:
        raise ValueError(f"batch_norm: expected an input of shape (N, C, *), got {input.shape}")
    c = input.shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):  # fmt: skip
        if t is not None and t.shape != (c,):
            raise ValueError(f"batch_norm: input has {c} channels but {name} has shape {t.shape}")
    axes, ndim = _layout(input.ndim)
    shape = _channel_shape(ndim, c)
    if not training:
        if running_mean is None or running_var is None:
            raise ValueError(
                "batch_norm: running_mean and running_var are needed when not training"
            )
        invstd = 1.0 / np.sqrt(running_var._data.astype(input.dtype) + eps)
        scale: Any = Tensor._make(invstd) if weight is None else weight * invstd
        shift: Any = -running_mean._data.astype(input.dtype) * scale
        if bias is not None:
            shift = shift + bias
        return input * scale.reshape(shape) + shift.reshape(shape)

    n = input.numel() // c
    if n <= 1:
        raise ValueError(
            f"Expected more than 1 value per channel when training, got input size {input.shape}"
        )
    x = input._data
    mean = x.mean(axis=axes, keepdims=True)
    xc = x - mean
    var = np.mean(xc * xc, axis=axes, keepdims=True)
    del xc
    if running_mean is not None and running_var is not None:
        with no_grad():
            running_mean.mul_(1 - momentum).add_(mean.reshape(-1), alpha=momentum)
            unbiased = var.reshape(-1) * (n / (n - 1))
            running_var.mul_(1 - momentum).add_(unbiased, alpha=momentum)
    invstd = 1.0 / np.sqrt(var + np.asarray(eps, dtype=var.dtype))
    return NativeBatchNorm.apply(input, weight, bias, mean, invstd, eps=eps)


class NativeLayerNorm(ArrayFunction):
    """Layer normalisation over the last dim, scaled by ``w`` and shifted by ``b`` (either None)."""

    @staticmethod
    def forward(ctx: Context, x: Any, w: Any, b: Any, eps: float) -> Any:
        inv_n = x.dtype.type(1.0 / x.shape[-1]) if x.shape[-1] else x.dtype.type(np.nan)
        xhat = x - row_sums(x) * inv_n  # centred
        var = np.einsum("...i,...i->...", xhat, xhat)[..., None] * inv_n
        var += x.dtype.type(eps)
        rstd = np.reciprocal(np.sqrt(var, out=var), out=var)
        xhat *= rstd
        ctx.save_for_backward(x, w, xhat, rstd)
        out = xhat * w if w is not None else xhat.copy()
        if b is not None:
            out += b
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        x, w, xhat, rstd = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad
        lead = tuple(range(grad.ndim - 1))
        if ctx.create_graph:  # the same formula in Tensor ops, x-hat recomputed from x
            xc = x - x.mean(-1, keepdim=True)
            r = ((xc * xc).mean(-1, keepdim=True) + ctx.attrs["eps"]) ** -0.5
            xh = xc * r
            gxh = grad * w if w is not None else grad
            gx = r * (gxh - gxh.mean(-1, keepdim=True) - xh * (gxh * xh).mean(-1, keepdim=True))
            gw = (grad * xh).sum(lead) if need_w else None
            return gx if need_x else None, gw, grad.sum(lead) if need_b else None
        g, xh = grad.numpy(), xhat.numpy()
        gxh = g * w.numpy() if w is not None else g
        gx = None
        if need_x:
            inv_n = xh.dtype.type(1.0 / xh.shape[-1])
            proj = np.einsum("...i,...i->...", gxh, xh)[..., None] * inv_n
            gx = gxh - row_sums(gxh) * inv_n
            gx -= xh * proj
            gx *= rstd.numpy()
        g2 = g.reshape(-1, g.shape[-1])
        gw = np.einsum("ni,ni->i", g2, xh.reshape(g2.shape)) if need_w else None
        return gx, gw, column_sums(g2) if need_b else None


@op(method=False)
def layer_norm(
    input: Tensor,
    normalized_shape: Any,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise over the last ``len(normalized_shape)`` dims, then scale and shift, in one node.

    PyTorch's ``layer_norm``: mean and biased variance over the trailing dims,
    ``weight`` and ``bias`` of shape ``normalized_shape`` (either may be None).

    Example:
        >>> import minigrad
        >>> minigrad.layer_norm(minigrad.tensor([[1.0, 3.0]]), (2,))
        tensor([[-1.,  1.]])
    """
    from minigrad.ops._util import as_tensor

    x = as_tensor(input)
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if x.dtype.kind != "f":
        raise TypeError(f"layer_norm: expected a floating input, got {x.dtype}")
    if not shape or tuple(x.shape[x.ndim - len(shape) :]) != shape or len(shape) > x.ndim:
        raise RuntimeError(
            f"layer_norm: input of shape {tuple(x.shape)} does not end with normalized_shape "
            f"{shape}"
        )
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (tuple(t.shape) != shape or t.dtype != x.dtype):
            raise RuntimeError(
                f"layer_norm: {name} has shape {tuple(t.shape)} and dtype {t.dtype}, but "
                f"normalized_shape is {shape} and the input is {x.dtype}"
            )
    if len(shape) == 1:
        out: Tensor = NativeLayerNorm.apply(x, weight, bias, eps=eps)
        return out
    lead = tuple(x.shape[: x.ndim - len(shape)])
    w = None if weight is None else weight.reshape(-1)
    b = None if bias is None else bias.reshape(-1)
    flat: Tensor = NativeLayerNorm.apply(x.reshape(*lead, -1), w, b, eps=eps)
    return flat.reshape(*lead, *shape)
