"""Batch normalisation: ``BatchNorm1d``, ``BatchNorm2d`` and the ``batch_norm`` function.

In training mode the batch is normalised with its own mean and *biased*
variance, and the running statistics are updated with the *unbiased* variance
(``running = (1 - momentum) * running + momentum * batch``; ``momentum=None``
gives the cumulative average). In evaluation mode the running statistics are
used. These are PyTorch's rules, and the buffers carry PyTorch's names
(``running_mean``, ``running_var``, ``num_batches_tracked``).

Training-mode normalisation is one fused op (``BatchNormBackward`` in the graph)
whose backward uses the closed-form gradient; when the backward itself is
recorded (``create_graph=True``) it is written in Tensor ops from the saved
input, so second derivatives are exact too.

Example:
    >>> import minigrad
    >>> from minigrad import nn
    >>> bn = nn.BatchNorm2d(3)
    >>> y = bn(minigrad.randn(8, 3, 4, 4) * 5 + 2)
    >>> round(float(y.numpy().mean()), 4) == 0.0, round(float(y.numpy().std()), 2)
    (True, 1.0)
    >>> bn.num_batches_tracked
    tensor(1)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.autograd import ArrayFunction as Function
from minigrad.autograd import Context, no_grad
from minigrad.creation import ones, tensor, zeros
from minigrad.nn.module import Module, Parameter
from minigrad.tensor import DTypeLike, Tensor


def _layout(ndim: int) -> tuple[tuple[int, ...], int]:
    """The reduced axes (all but channels, dim 1) and the input's ndim."""
    return (0, *range(2, ndim)), ndim


def _channel_shape(x_ndim: int, c: int) -> tuple[int, ...]:
    return (1, c) + (1,) * (x_ndim - 2)


class BatchNorm(Function):
    """Training-mode batch norm with given batch statistics ``mean`` and ``invstd``.

    Inputs: ``x`` (N, C, *), ``weight`` and ``bias`` (C,) or ``None``, and the batch's
    ``mean`` and ``1 / sqrt(var + eps)`` as arrays broadcastable to ``x``. Use
    :func:`batch_norm` (or the layers), which compute those statistics.

    Example:
        >>> import numpy as np
        >>> import minigrad
        >>> from minigrad.nn.norm import BatchNorm
        >>> x = minigrad.tensor([[1.0], [3.0]], requires_grad=True)
        >>> mean, invstd = np.array([[2.0]], np.float32), np.array([[1.0]], np.float32)
        >>> BatchNorm.apply(x, None, None, mean, invstd, eps=0.0)
        tensor([[-1.],
                [ 1.]], grad_fn=<BatchNormBackward0>)
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
        >>> from minigrad.nn.norm import batch_norm
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
    return BatchNorm.apply(input, weight, bias, mean, invstd, eps=eps)


class _BatchNorm(Module):
    """What BatchNorm1d and BatchNorm2d share; they differ only in the input's ndim."""

    _allowed_ndims: tuple[int, ...] = ()

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        dtype: DTypeLike = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        self.register_parameter("weight", None)
        self.register_parameter("bias", None)
        if affine:
            self.weight = Parameter(ones(num_features, dtype=dtype))
            if bias:
                self.bias = Parameter(zeros(num_features, dtype=dtype))
        if track_running_stats:
            self.register_buffer("running_mean", zeros(num_features, dtype=dtype))
            self.register_buffer("running_var", ones(num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", tensor(0, dtype=np.int64))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def reset_running_stats(self) -> None:
        """Running mean to 0, running variance to 1, batch count to 0."""
        if self.track_running_stats:
            with no_grad():
                self.running_mean.zero_()
                self.running_var.fill_(1)
                self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        """Reset the running statistics, weight to 1 and bias to 0."""
        self.reset_running_stats()
        with no_grad():
            if self.weight is not None:
                self.weight.fill_(1)
            if self.bias is not None:
                self.bias.zero_()

    def _check_input_dim(self, input: Tensor) -> None:
        if input.ndim not in self._allowed_ndims:
            expected = " or ".join(f"{d}D" for d in self._allowed_ndims)
            raise ValueError(f"expected {expected} input (got {input.ndim}D input)")
        if input.shape[1] != self.num_features:
            raise ValueError(
                f"{type(self).__name__}: input has {input.shape[1]} channels (shape "
                f"{input.shape}) but the layer expects num_features={self.num_features}"
            )

    def forward(self, input: Tensor) -> Tensor:
        self._check_input_dim(input)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            with no_grad():
                self.num_batches_tracked.add_(1)
            if self.momentum is None:
                factor = 1.0 / float(self.num_batches_tracked.item())
        use_batch_stats = self.training or (self.running_mean is None and self.running_var is None)
        keep_running = not self.training or self.track_running_stats
        return batch_norm(
            input,
            self.running_mean if keep_running else None,
            self.running_var if keep_running else None,
            self.weight,
            self.bias,
            use_batch_stats,
            factor,
            self.eps,
        )

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, bias={self.bias is not None}, "
            f"track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    """Batch normalisation over ``(N, C)`` or ``(N, C, L)`` inputs, per channel.

    Args:
        num_features: C.
        eps: added to the variance for stability.
        momentum: weight of the new batch in the running statistics; ``None`` for
            the cumulative average.
        affine: learn a per-channel ``weight`` (init 1) and ``bias`` (init 0).
        bias: (keyword-only) with ``affine``, whether to learn the bias too.
        track_running_stats: keep running statistics (buffers) for evaluation mode;
            without them batch statistics are used in both modes.

    Example:
        >>> import minigrad
        >>> bn = minigrad.nn.BatchNorm1d(2)
        >>> bn
        BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)
        >>> _ = bn(minigrad.tensor([[0.0, 10.0], [2.0, 30.0]]))
        >>> bn.running_mean
        tensor([0.1, 2. ])
    """

    _allowed_ndims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalisation over ``(N, C, H, W)`` inputs, per channel (see :class:`BatchNorm1d`).

    Example:
        >>> import minigrad
        >>> bn = minigrad.nn.BatchNorm2d(16).eval()
        >>> bn(minigrad.ones(2, 16, 8, 8)).shape
        (2, 16, 8, 8)
    """

    _allowed_ndims = (4,)
