"""Per-sample normalisation layers: ``LayerNorm``, ``RMSNorm``, ``GroupNorm``,
``InstanceNorm1d`` and ``InstanceNorm2d``, with PyTorch's arguments, parameter names
(``weight``, ``bias``, ``running_mean``, ``running_var``) and initialisation.

Example:
    >>> import minigrad
    >>> from minigrad import nn
    >>> ln = nn.LayerNorm(4)
    >>> y = ln(minigrad.randn(2, 3, 4) * 5 + 1)
    >>> bool(abs(y.numpy().mean(-1)).max() < 1e-5)
    True
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from minigrad.creation import ones, tensor, zeros
from minigrad.nn import functional as F
from minigrad.nn.module import Module, Parameter
from minigrad.tensor import DTypeLike, Tensor

__all__ = ["GroupNorm", "InstanceNorm1d", "InstanceNorm2d", "LayerNorm", "RMSNorm"]


def _shape(normalized_shape: Any) -> tuple[int, ...]:
    if isinstance(normalized_shape, (int, np.integer)):
        return (int(normalized_shape),)
    return tuple(int(s) for s in normalized_shape)


class LayerNorm(Module):
    """Normalise over the last dims (``normalized_shape``), then scale and shift elementwise.

    Args:
        normalized_shape: the trailing shape to normalise over (an int for one dim).
        eps: added to the variance.
        elementwise_affine: learn ``weight`` (init 1) and ``bias`` (init 0) of that shape.
        bias: with ``elementwise_affine``, whether to learn the bias.
        dtype: the parameters' dtype.

    Example:
        >>> import minigrad
        >>> ln = minigrad.nn.LayerNorm((2, 3))
        >>> ln
        LayerNorm((2, 3), eps=1e-05, elementwise_affine=True)
        >>> ln(minigrad.randn(4, 2, 3)).shape
        minigrad.Size([4, 2, 3])
    """

    def __init__(
        self,
        normalized_shape: Any,
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__()
        self.normalized_shape = _shape(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        self.register_parameter("weight", None)
        self.register_parameter("bias", None)
        if elementwise_affine:
            self.weight = Parameter(ones(*self.normalized_shape, dtype=dtype))
            if bias:
                self.bias = Parameter(zeros(*self.normalized_shape, dtype=dtype))

    def reset_parameters(self) -> None:
        """Weight to 1, bias to 0."""
        if self.weight is not None:
            self.weight._data[...] = 1
        if self.bias is not None:
            self.bias._data[...] = 0

    def forward(self, input: Tensor) -> Tensor:
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"
        )


class RMSNorm(Module):
    """Root-mean-square normalisation over the last dims: ``x / sqrt(mean(x²) + eps) * weight``.

    Args:
        normalized_shape: the trailing shape to normalise over.
        eps: added to the mean square; ``None`` uses the input dtype's machine epsilon.
        elementwise_affine: learn ``weight`` (init 1).
        dtype: the weight's dtype.

    Example:
        >>> import minigrad
        >>> minigrad.nn.RMSNorm(2, eps=0.0)(minigrad.tensor([[3.0, 4.0]]))
        tensor([[0.8485, 1.1314]], grad_fn=<MulBackward0>)
    """

    def __init__(
        self,
        normalized_shape: Any,
        eps: float | None = None,
        elementwise_affine: bool = True,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__()
        self.normalized_shape = _shape(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        self.register_parameter("weight", None)
        if elementwise_affine:
            self.weight = Parameter(ones(*self.normalized_shape, dtype=dtype))

    def reset_parameters(self) -> None:
        """Weight to 1."""
        if self.weight is not None:
            self.weight._data[...] = 1

    def forward(self, input: Tensor) -> Tensor:
        return F.rms_norm(input, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"
        )


class GroupNorm(Module):
    """Normalise ``(N, C, *)`` input per sample over groups of ``C // num_groups`` channels.

    Args:
        num_groups: number of groups; must divide ``num_channels``.
        num_channels: C.
        eps: added to the variance.
        affine: learn per-channel ``weight`` (init 1) and ``bias`` (init 0).
        dtype: the parameters' dtype.

    Example:
        >>> import minigrad
        >>> gn = minigrad.nn.GroupNorm(2, 4)
        >>> gn
        GroupNorm(2, 4, eps=1e-05, affine=True)
        >>> gn(minigrad.randn(3, 4, 5, 5)).shape
        minigrad.Size([3, 4, 5, 5])
    """

    def __init__(
        self,
        num_groups: int,
        num_channels: int,
        eps: float = 1e-5,
        affine: bool = True,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__()
        if num_groups <= 0 or num_channels % num_groups:
            raise ValueError(
                f"GroupNorm: num_channels={num_channels} must be divisible by "
                f"num_groups={num_groups}"
            )
        self.num_groups = num_groups
        self.num_channels = num_channels
        self.eps = eps
        self.affine = affine
        self.register_parameter("weight", None)
        self.register_parameter("bias", None)
        if affine:
            self.weight = Parameter(ones(num_channels, dtype=dtype))
            self.bias = Parameter(zeros(num_channels, dtype=dtype))

    def reset_parameters(self) -> None:
        """Weight to 1, bias to 0."""
        if self.weight is not None and self.bias is not None:
            self.weight._data[...] = 1
            self.bias._data[...] = 0

    def forward(self, input: Tensor) -> Tensor:
        if input.ndim < 2 or input.shape[1] != self.num_channels:
            raise ValueError(
                f"GroupNorm: expected input of shape (N, {self.num_channels}, *), got {input.shape}"
            )
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}"


class _InstanceNorm(Module):
    """What InstanceNorm1d and InstanceNorm2d share; they differ in the input's ndim."""

    _spatial_dims = 1

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float = 0.1,
        affine: bool = False,
        track_running_stats: bool = False,
        dtype: DTypeLike = None,
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
            self.bias = Parameter(zeros(num_features, dtype=dtype))
        if track_running_stats:
            self.register_buffer("running_mean", zeros(num_features, dtype=dtype))
            self.register_buffer("running_var", ones(num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", tensor(0, dtype=np.int64))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def forward(self, input: Tensor) -> Tensor:
        d = self._spatial_dims
        name = type(self).__name__
        if input.ndim not in (d + 1, d + 2):
            raise ValueError(
                f"{name}: expected {d + 1}D (unbatched) or {d + 2}D input, got {input.ndim}D "
                f"input of shape {input.shape}"
            )
        unbatched = input.ndim == d + 1
        x = input.unsqueeze(0) if unbatched else input
        if x.shape[1] != self.num_features:
            message = (
                f"{name}: input has {x.shape[1]} channels (shape {input.shape}) but "
                f"num_features={self.num_features}"
            )
            if self.affine:
                raise ValueError(message)
            warnings.warn(message, stacklevel=2)
        use_input_stats = self.training or not self.track_running_stats
        y = F.instance_norm(
            x, self.running_mean, self.running_var, self.weight, self.bias,
            use_input_stats, self.momentum, self.eps,
        )  # fmt: skip
        return y.squeeze(0) if unbatched else y

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, track_running_stats={self.track_running_stats}"
        )


class InstanceNorm1d(_InstanceNorm):
    """Normalise each channel of each sample of ``(N, C, L)`` (or ``(C, L)``) input over L.

    Args:
        num_features: C.
        eps: added to the variance.
        momentum: weight of the new batch in the running statistics.
        affine: learn per-channel ``weight`` and ``bias`` (default False, as PyTorch).
        track_running_stats: keep running statistics, used in eval mode.
        dtype: the parameters' dtype.

    Example:
        >>> import minigrad
        >>> minigrad.nn.InstanceNorm1d(1)(minigrad.tensor([[[1.0, 3.0]]]))
        tensor([[[-1.,  1.]]])
    """

    _spatial_dims = 1


class InstanceNorm2d(_InstanceNorm):
    """Normalise each channel of ``(N, C, H, W)`` (or ``(C, H, W)``) input over H and W.

    See :class:`InstanceNorm1d` for the arguments.

    Example:
        >>> import minigrad
        >>> norm = minigrad.nn.InstanceNorm2d(3, affine=True)
        >>> norm(minigrad.randn(2, 3, 4, 4)).shape
        minigrad.Size([2, 3, 4, 4])
    """

    _spatial_dims = 2
