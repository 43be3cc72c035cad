"""Batch normalisation: ``BatchNorm1d``, ``BatchNorm2d`` and the ``batch_norm`` function.

In training mode the batch is normalised with its own mean and *biased*
variance, and the running statistics are updated with the *unbiased* variance
(``running = (1 - momentum) * running + momentum * batch``; ``momentum=None``
gives the cumulative average). In evaluation mode the running statistics are
used. These are PyTorch's rules, and the buffers carry PyTorch's names
(``running_mean``, ``running_var``, ``num_batches_tracked``).

Training-mode normalisation is one fused op (``NativeBatchNormBackward0`` in the
graph, :func:`minigrad.ops.normalization.batch_norm`) whose backward uses the closed-form
gradient; when the backward itself is recorded (``create_graph=True``) it is
written in Tensor ops from the saved input, so second derivatives are exact too.

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

import numpy as np

from minigrad.autograd import no_grad
from minigrad.creation import ones, tensor, zeros
from minigrad.nn.module import Module, Parameter
from minigrad.ops.normalization import batch_norm
from minigrad.tensor import DTypeLike, Tensor


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
        tensor([0.1000, 2.0000])
    """

    _allowed_ndims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalisation over ``(N, C, H, W)`` inputs, per channel (see :class:`BatchNorm1d`).

    Example:
        >>> import minigrad
        >>> bn = minigrad.nn.BatchNorm2d(16).eval()
        >>> bn(minigrad.ones(2, 16, 8, 8)).shape
        minigrad.Size([2, 16, 8, 8])
    """

    _allowed_ndims = (4,)
