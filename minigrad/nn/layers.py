"""Layers with weights or shape logic: Linear, Conv2d, ConvTranspose2d, pooling,
Flatten, Identity and Dropout.

Constructor arguments, defaults, weight layouts, parameter names and default
initialisation are PyTorch's, so a model's ``state_dict`` moves between the two.

Example:
    >>> import minigrad
    >>> from minigrad import nn
    >>> net = nn.Sequential(
    ...     nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    ...     nn.Flatten(), nn.Linear(4 * 4 * 4, 10),
    ... )
    >>> net(minigrad.randn(2, 1, 8, 8)).shape
    minigrad.Size([2, 10])
"""

from __future__ import annotations

import math
from typing import Any

from minigrad.creation import empty
from minigrad.nn import functional as F
from minigrad.nn import init
from minigrad.nn.module import Module, Parameter
from minigrad.ops.windows import conv_padding, pair, pool_geometry
from minigrad.tensor import DTypeLike, Tensor

IntOrPair = int | tuple[int, int]


class Identity(Module):
    """Return the input unchanged (accepts and ignores any constructor arguments).

    Example:
        >>> import minigrad
        >>> minigrad.nn.Identity(54, unused="x")(minigrad.tensor([1.0]))
        tensor([1.])
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return input


class Linear(Module):
    """``y = x @ weight.T + bias``; weight of shape ``(out_features, in_features)``.

    Args:
        in_features: size of each input's last dimension.
        out_features: size of each output's last dimension.
        bias: learn an additive bias (default True).
        dtype: the parameters' dtype (default: minigrad's default float dtype).

    Initialisation is PyTorch's: ``kaiming_uniform_(weight, a=sqrt(5))`` and the
    bias uniform in ``±1/sqrt(in_features)``.

    Shapes: input ``(*, in_features)``, output ``(*, out_features)``.

    Example:
        >>> import minigrad
        >>> lin = minigrad.nn.Linear(3, 2)
        >>> lin.weight.shape, lin.bias.shape
        (minigrad.Size([2, 3]), minigrad.Size([2]))
        >>> lin(minigrad.ones(5, 3)).shape
        minigrad.Size([5, 2])
    """

    def __init__(
        self, in_features: int, out_features: int, bias: bool = True, dtype: DTypeLike = None
    ) -> None:
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(empty(out_features, in_features, dtype=dtype))
        self.bias = Parameter(empty(out_features, dtype=dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Re-initialise weight and bias as PyTorch does."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class _ConvNd(Module):
    """Shared parts of Conv2d and ConvTranspose2d: parameters, init, repr."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: IntOrPair,
        stride: IntOrPair,
        padding: IntOrPair | str,
        dilation: IntOrPair,
        transposed: bool,
        output_padding: IntOrPair,
        groups: int,
        bias: bool,
        padding_mode: str,
        dtype: DTypeLike,
    ) -> None:
        super().__init__()
        who = type(self).__name__
        if groups <= 0 or in_channels % groups or out_channels % groups:
            raise ValueError(
                f"{who}: in_channels ({in_channels}) and out_channels ({out_channels}) must both "
                f"be divisible by groups ({groups})"
            )
        if padding_mode != "zeros":
            raise NotImplementedError(
                f"{who}: padding_mode={padding_mode!r} is not supported (only 'zeros')"
            )
        # The functions' own checks (minigrad.ops.windows), so that a layer accepts and
        # rejects exactly what F.conv2d / F.conv_transpose2d do, with the same errors.
        fn = "conv_transpose2d" if transposed else "conv2d"
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = pair(kernel_size, "kernel_size", fn, 1)
        self.stride = pair(stride, "stride", fn, 1)
        self.dilation = pair(dilation, "dilation", fn, 1)
        if transposed:
            self.padding: Any = pair(padding, "padding", fn, 0)
        else:
            conv_padding(padding, self.kernel_size, self.stride, self.dilation, fn)
            self.padding = padding if isinstance(padding, str) else pair(padding, "padding", fn, 0)
        self.transposed = transposed
        self.output_padding = pair(output_padding, "output_padding", fn, 0)
        self.groups = groups
        self.padding_mode = padding_mode
        if transposed:
            shape = (in_channels, out_channels // groups, *self.kernel_size)
        else:
            shape = (out_channels, in_channels // groups, *self.kernel_size)
        self.weight = Parameter(empty(*shape, dtype=dtype))
        self.bias = Parameter(empty(out_channels, dtype=dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Re-initialise weight and bias as PyTorch does (Kaiming-uniform, a=sqrt(5))."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            if fan_in != 0:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def extra_repr(self) -> str:
        s = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}"
        )
        if self.padding != (0, 0):
            s += f", padding={self.padding}"
        if self.dilation != (1, 1):
            s += f", dilation={self.dilation}"
        if self.output_padding != (0, 0):
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        return s


class Conv2d(_ConvNd):
    """2-D convolution over ``(N, C_in, H, W)`` inputs; weight ``(out, in/groups, kh, kw)``.

    Args:
        in_channels, out_channels: channels of input and output.
        kernel_size, stride, dilation: ints or ``(h, w)`` pairs.
        padding: int, pair, ``'valid'`` or ``'same'`` (zeros).
        groups: split channels into this many independent convolutions.
        bias: learn a bias per output channel (default True).
        padding_mode: only ``'zeros'``.
        dtype: the parameters' dtype.

    Initialisation is PyTorch's (Kaiming-uniform with ``a=sqrt(5)``, bias from the
    fan-in bound).

    Example:
        >>> import minigrad
        >>> conv = minigrad.nn.Conv2d(3, 8, kernel_size=3, stride=2, padding=1)
        >>> conv
        Conv2d(3, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))
        >>> conv(minigrad.zeros(2, 3, 32, 32)).shape
        minigrad.Size([2, 8, 16, 16])
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: IntOrPair,
        stride: IntOrPair = 1,
        padding: IntOrPair | str = 0,
        dilation: IntOrPair = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__(
            in_channels, out_channels, kernel_size, stride, padding, dilation,
            False, 0, groups, bias, padding_mode, dtype,
        )  # fmt: skip

    def forward(self, input: Tensor) -> Tensor:
        return F.conv2d(
            input, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups
        )


class ConvTranspose2d(_ConvNd):
    """Transposed 2-D convolution (the gradient of Conv2d); weight ``(in, out/groups, kh, kw)``.

    Output size: ``(H - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1``.

    Example:
        >>> import minigrad
        >>> up = minigrad.nn.ConvTranspose2d(8, 3, kernel_size=4, stride=2, padding=1)
        >>> up.weight.shape
        minigrad.Size([8, 3, 4, 4])
        >>> up(minigrad.zeros(1, 8, 16, 16)).shape
        minigrad.Size([1, 3, 32, 32])
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: IntOrPair,
        stride: IntOrPair = 1,
        padding: IntOrPair = 0,
        output_padding: IntOrPair = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: IntOrPair = 1,
        padding_mode: str = "zeros",
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__(
            in_channels, out_channels, kernel_size, stride, padding, dilation,
            True, output_padding, groups, bias, padding_mode, dtype,
        )  # fmt: skip

    def forward(self, input: Tensor) -> Tensor:
        return F.conv_transpose2d(
            input, self.weight, self.bias, self.stride, self.padding, self.output_padding,
            self.groups, self.dilation,
        )  # fmt: skip


class MaxPool2d(Module):
    """Max over ``kernel_size`` windows of ``(N, C, H, W)`` inputs (stride defaults to kernel).

    Example:
        >>> import minigrad
        >>> pool = minigrad.nn.MaxPool2d(2)
        >>> pool
        MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
        >>> pool(minigrad.arange(16.0).reshape(1, 1, 4, 4))
        tensor([[[[ 5.,  7.],
                  [13., 15.]]]])
    """

    def __init__(
        self,
        kernel_size: IntOrPair,
        stride: IntOrPair | None = None,
        padding: IntOrPair = 0,
        dilation: IntOrPair = 1,
        return_indices: bool = False,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__()
        pool_geometry(kernel_size, stride, padding, dilation, "max_pool2d")  # F's checks
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def forward(self, input: Tensor) -> Any:
        return F.max_pool2d(
            input, self.kernel_size, self.stride, self.padding, self.dilation,
            ceil_mode=self.ceil_mode, return_indices=self.return_indices,
        )  # fmt: skip

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class AvgPool2d(Module):
    """Mean over ``kernel_size`` windows of ``(N, C, H, W)`` inputs (stride defaults to kernel).

    Example:
        >>> import minigrad
        >>> minigrad.nn.AvgPool2d(2)(minigrad.arange(16.0).reshape(1, 1, 4, 4))
        tensor([[[[ 2.5,  4.5],
                  [10.5, 12.5]]]])
    """

    def __init__(
        self,
        kernel_size: IntOrPair,
        stride: IntOrPair | None = None,
        padding: IntOrPair = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
        divisor_override: int | None = None,
    ) -> None:
        super().__init__()
        pool_geometry(kernel_size, stride, padding, 1, "avg_pool2d")  # F's checks
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def forward(self, input: Tensor) -> Tensor:
        return F.avg_pool2d(
            input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
            self.count_include_pad, self.divisor_override,
        )  # fmt: skip

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AdaptiveAvgPool2d(Module):
    """Average-pool to a fixed ``output_size`` (an int or ``(h, w)``), whatever the input size.

    Example:
        >>> import minigrad
        >>> minigrad.nn.AdaptiveAvgPool2d(1)(minigrad.ones(2, 5, 7, 7)).shape
        minigrad.Size([2, 5, 1, 1])
    """

    def __init__(self, output_size: IntOrPair) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, input: Tensor) -> Tensor:
        return F.adaptive_avg_pool2d(input, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class Flatten(Module):
    """Merge dimensions ``start_dim..end_dim`` (default: all but the batch dimension).

    Example:
        >>> import minigrad
        >>> minigrad.nn.Flatten()(minigrad.zeros(2, 3, 4, 5)).shape
        minigrad.Size([2, 60])
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor:
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Dropout(Module):
    """In training mode, zero each element with probability ``p`` and scale the rest by
    ``1 / (1 - p)``; in evaluation mode, the identity.

    ``inplace`` is accepted for compatibility; minigrad never overwrites the input.

    Example:
        >>> import minigrad
        >>> drop = minigrad.nn.Dropout(0.5)
        >>> y = drop(minigrad.ones(1000))
        >>> sorted(set(y.tolist()))
        [0.0, 2.0]
        >>> drop.eval()(minigrad.ones(3))
        tensor([1., 1., 1.])
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout(input, self.p, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
