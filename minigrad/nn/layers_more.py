"""More layers: 1-D convolution and pooling, adaptive pooling, upsampling, pixel
shuffles, Unflatten, Fold/Unfold and the padding layers.

Constructor arguments, defaults, attributes (``kernel_size=(3,)`` as PyTorch stores
it), parameter names, shapes, initialisation and reprs are PyTorch's, so state
dicts move between the two.

Example:
    >>> import minigrad
    >>> from minigrad import nn
    >>> net = nn.Sequential(nn.Conv1d(2, 4, 3, padding=1), nn.ReLU(), nn.MaxPool1d(2))
    >>> net(minigrad.randn(5, 2, 8)).shape
    minigrad.Size([5, 4, 4])
"""

from __future__ import annotations

import math
from typing import Any

from minigrad.creation import empty
from minigrad.nn import functional as F
from minigrad.nn import init
from minigrad.nn.module import Module, Parameter
from minigrad.ops.conv_pool_1d import single
from minigrad.tensor import DTypeLike, Tensor

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


class _ConvNd1(Module):
    """What Conv1d and ConvTranspose1d share: checks, parameters, init, repr."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any,
        padding: Any,
        dilation: Any,
        transposed: bool,
        output_padding: Any,
        groups: int,
        bias: bool,
        padding_mode: str,
        dtype: DTypeLike,
    ) -> None:
        super().__init__()
        who = type(self).__name__
        if (
            not isinstance(groups, int)
            or groups <= 0
            or in_channels % groups
            or (out_channels % groups)
        ):
            raise ValueError(
                f"{who}: in_channels ({in_channels}) and out_channels ({out_channels}) must both "
                f"be divisible by groups ({groups})"
            )
        if padding_mode not in _PADDING_MODES:
            raise ValueError(
                f"{who}: padding_mode must be one of {_PADDING_MODES}, got {padding_mode!r}"
            )
        if transposed and padding_mode != "zeros":
            raise ValueError(f"{who}: only 'zeros' padding_mode is supported, got {padding_mode!r}")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = (single(kernel_size, "kernel_size", who, 1),)
        self.stride = (single(stride, "stride", who, 1),)
        self.dilation = (single(dilation, "dilation", who, 1),)
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(
                    f"{who}: padding must be 'same', 'valid' or an int, got {padding!r}"
                )
            if padding == "same" and self.stride != (1,):
                raise ValueError(f"{who}: padding='same' is not supported for strided convolutions")
            self.padding: Any = padding
        else:
            self.padding = (single(padding, "padding", who, 0),)
        self.transposed = transposed
        self.output_padding = (single(output_padding, "output_padding", who, 0),)
        self.groups, self.padding_mode = groups, padding_mode
        k = self.kernel_size[0]
        shape = (
            (in_channels, out_channels // groups, k)
            if transposed
            else (out_channels, in_channels // groups, k)
        )
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
        if self.padding != (0,):
            s += f", padding={self.padding}"
        if self.dilation != (1,):
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,):
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


class Conv1d(_ConvNd1):
    """1-D convolution over ``(N, C_in, L)`` inputs; weight ``(out, in/groups, k)``.

    Args:
        in_channels, out_channels: channels of input and output.
        kernel_size, stride, dilation: ints (or 1-tuples).
        padding: an int, ``'valid'`` or ``'same'``.
        groups: split channels into this many independent convolutions.
        bias: learn a bias per output channel (default True).
        padding_mode: ``'zeros'``, ``'reflect'``, ``'replicate'`` or ``'circular'``.
        dtype: the parameters' dtype.

    Example:
        >>> import minigrad
        >>> conv = minigrad.nn.Conv1d(3, 8, 5, padding=2, padding_mode="reflect")
        >>> conv
        Conv1d(3, 8, kernel_size=(5,), stride=(1,), padding=(2,), padding_mode=reflect)
        >>> conv(minigrad.zeros(2, 3, 10)).shape
        minigrad.Size([2, 8, 10])
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        dilation: Any = 1,
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
        if self.padding_mode == "zeros":
            padding = self.padding if isinstance(self.padding, str) else self.padding[0]
            return F.conv1d(
                input, self.weight, self.bias, self.stride, padding, self.dilation, self.groups
            )
        if self.padding == "same":
            total = self.dilation[0] * (self.kernel_size[0] - 1)
            pads = (total // 2, total - total // 2)
        elif self.padding == "valid":
            pads = (0, 0)
        else:
            pads = (self.padding[0], self.padding[0])
        x = F.pad(input, pads, mode=self.padding_mode)
        return F.conv1d(x, self.weight, self.bias, self.stride, 0, self.dilation, self.groups)


class ConvTranspose1d(_ConvNd1):
    """Transposed 1-D convolution (the gradient of Conv1d); weight ``(in, out/groups, k)``.

    Output length: ``(L - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1``.

    Example:
        >>> import minigrad
        >>> up = minigrad.nn.ConvTranspose1d(8, 3, 4, stride=2, padding=1)
        >>> up.weight.shape, up(minigrad.zeros(1, 8, 16)).shape
        (minigrad.Size([8, 3, 4]), minigrad.Size([1, 3, 32]))
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        output_padding: Any = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: Any = 1,
        padding_mode: str = "zeros",
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__(
            in_channels, out_channels, kernel_size, stride, padding, dilation,
            True, output_padding, groups, bias, padding_mode, dtype,
        )  # fmt: skip

    def forward(self, input: Tensor, output_size: Any = None) -> Tensor:
        """``output_size`` (the length, or a shape ending in it) picks the output_padding."""
        output_padding = self.output_padding[0]
        if output_size is not None:
            want = output_size if isinstance(output_size, int) else int(list(output_size)[-1])
            (s,), (p,), (d,), (k,) = self.stride, self.padding, self.dilation, self.kernel_size
            smallest = (input.shape[-1] - 1) * s - 2 * p + d * (k - 1) + 1
            if not smallest <= want < smallest + s:
                raise ValueError(
                    f"ConvTranspose1d: requested an output size of {want}, but valid sizes range "
                    f"from {smallest} to {smallest + s - 1} (for an input of length "
                    f"{input.shape[-1]})"
                )
            output_padding = want - smallest
        return F.conv_transpose1d(
            input, self.weight, self.bias, self.stride, self.padding, output_padding,
            self.groups, self.dilation,
        )  # fmt: skip


# --------------------------------------------------------------------------- pooling


class MaxPool1d(Module):
    """Max over ``kernel_size`` windows of ``(N, C, L)`` inputs (stride defaults to kernel).

    Example:
        >>> import minigrad
        >>> pool = minigrad.nn.MaxPool1d(2)
        >>> pool
        MaxPool1d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
        >>> pool(minigrad.tensor([[[1.0, 3.0, 2.0, 0.0]]]))
        tensor([[[3., 2.]]])
    """

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        dilation: Any = 1,
        return_indices: bool = False,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__()
        who = "max_pool1d"
        single(kernel_size, "kernel_size", who, 1)
        if stride is not None:
            single(stride, "stride", who, 1)
        single(padding, "padding", who, 0)
        single(dilation, "dilation", who, 1)
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def forward(self, input: Tensor) -> Any:
        return F.max_pool1d(
            input, self.kernel_size, self.stride, self.padding, self.dilation,
            ceil_mode=self.ceil_mode, return_indices=self.return_indices,
        )  # fmt: skip

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class AvgPool1d(Module):
    """Mean over ``kernel_size`` windows of ``(N, C, L)`` inputs (stride defaults to kernel).

    Example:
        >>> import minigrad
        >>> pool = minigrad.nn.AvgPool1d(2)
        >>> pool, pool(minigrad.tensor([[[1.0, 3.0, 2.0, 0.0]]]))
        (AvgPool1d(kernel_size=(2,), stride=(2,), padding=(0,)), tensor([[[2., 1.]]]))
    """

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
    ) -> None:
        super().__init__()
        who = "avg_pool1d"
        self.kernel_size = (single(kernel_size, "kernel_size", who, 1),)
        self.stride = self.kernel_size if stride is None else (single(stride, "stride", who, 1),)
        self.padding = (single(padding, "padding", who, 0),)
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def forward(self, input: Tensor) -> Tensor:
        return F.avg_pool1d(
            input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
            self.count_include_pad,
        )  # fmt: skip

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class _AdaptivePool(Module):
    _fn: Any = None

    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size = output_size
        self.return_indices = return_indices

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptivePool):
    """Average pooling of ``(N, C, L)`` inputs to a fixed length.

    Example:
        >>> import minigrad
        >>> minigrad.nn.AdaptiveAvgPool1d(2)(minigrad.arange(4.0).reshape(1, 1, 4))
        tensor([[[0.5000, 2.5000]]])
    """

    def __init__(self, output_size: Any) -> None:
        super().__init__(output_size)

    def forward(self, input: Tensor) -> Tensor:
        return F.adaptive_avg_pool1d(input, self.output_size)


class AdaptiveMaxPool1d(_AdaptivePool):
    """Max pooling of ``(N, C, L)`` inputs to a fixed length (``return_indices`` as F's).

    Example:
        >>> import minigrad
        >>> minigrad.nn.AdaptiveMaxPool1d(2)(minigrad.tensor([[[1.0, 4.0, 3.0, 2.0]]]))
        tensor([[[4., 3.]]])
    """

    def forward(self, input: Tensor) -> Any:
        return F.adaptive_max_pool1d(input, self.output_size, self.return_indices)


class AdaptiveMaxPool2d(_AdaptivePool):
    """Max pooling of ``(N, C, H, W)`` inputs to a fixed size (an int or a pair; None keeps one).

    Example:
        >>> import minigrad
        >>> pool = minigrad.nn.AdaptiveMaxPool2d((1, None))
        >>> pool, pool(minigrad.arange(6.0).reshape(1, 1, 2, 3))
        (AdaptiveMaxPool2d(output_size=(1, None)), tensor([[[[3., 4., 5.]]]]))
    """

    def forward(self, input: Tensor) -> Any:
        return F.adaptive_max_pool2d(input, self.output_size, self.return_indices)


# --------------------------------------------------------------------------- resampling


class Upsample(Module):
    """Resize by ``scale_factor`` or to ``size`` (see :func:`minigrad.ops.resample.interpolate`).

    Example:
        >>> import minigrad
        >>> up = minigrad.nn.Upsample(scale_factor=2)
        >>> up, up(minigrad.zeros(1, 3, 4, 4)).shape
        (Upsample(scale_factor=2.0, mode='nearest'), minigrad.Size([1, 3, 8, 8]))
    """

    def __init__(
        self,
        size: Any = None,
        scale_factor: Any = None,
        mode: str = "nearest",
        align_corners: bool | None = None,
        recompute_scale_factor: bool | None = None,
    ) -> None:
        super().__init__()
        self.size = size
        if isinstance(scale_factor, tuple):
            self.scale_factor: Any = tuple(float(f) for f in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor is not None else None
        self.mode, self.align_corners = mode, align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input: Tensor) -> Tensor:
        return F.interpolate(
            input, self.size, self.scale_factor, self.mode, self.align_corners,
            recompute_scale_factor=self.recompute_scale_factor,
        )  # fmt: skip

    def extra_repr(self) -> str:
        what = (
            f"scale_factor={self.scale_factor!r}"
            if self.scale_factor is not None
            else (f"size={self.size!r}")
        )
        return f"{what}, mode={self.mode!r}"


class PixelShuffle(Module):
    """``(*, C r², H, W)`` to ``(*, C, H r, W r)``: :func:`minigrad.ops.resample.pixel_shuffle`.

    Example:
        >>> import minigrad
        >>> minigrad.nn.PixelShuffle(3)(minigrad.zeros(1, 9, 4, 4)).shape
        minigrad.Size([1, 1, 12, 12])
    """

    def __init__(self, upscale_factor: int) -> None:
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, input: Tensor) -> Tensor:
        return F.pixel_shuffle(input, self.upscale_factor)

    def extra_repr(self) -> str:
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """``(*, C, H r, W r)`` to ``(*, C r², H, W)``: the inverse of :class:`PixelShuffle`.

    Example:
        >>> import minigrad
        >>> minigrad.nn.PixelUnshuffle(2)(minigrad.zeros(1, 1, 4, 6)).shape
        minigrad.Size([1, 4, 2, 3])
    """

    def __init__(self, downscale_factor: int) -> None:
        super().__init__()
        self.downscale_factor = downscale_factor

    def forward(self, input: Tensor) -> Tensor:
        return F.pixel_unshuffle(input, self.downscale_factor)

    def extra_repr(self) -> str:
        return f"downscale_factor={self.downscale_factor}"


class Unflatten(Module):
    """Split dimension ``dim`` into ``unflattened_size`` (the inverse of Flatten).

    Example:
        >>> import minigrad
        >>> minigrad.nn.Unflatten(1, (2, 3))(minigrad.zeros(4, 6, 5)).shape
        minigrad.Size([4, 2, 3, 5])
    """

    def __init__(self, dim: int, unflattened_size: Any) -> None:
        super().__init__()
        if not isinstance(dim, int):
            raise TypeError(f"Unflatten: dim must be an int, got {dim!r}")
        self.dim = dim
        self.unflattened_size = tuple(unflattened_size)

    def forward(self, input: Tensor) -> Tensor:
        shape = input.shape
        d = self.dim % len(shape) if shape else 0
        sizes = list(self.unflattened_size)
        known = math.prod(s for s in sizes if s != -1)
        if (
            sizes.count(-1) > 1
            or (-1 not in sizes and known != shape[d])
            or (-1 in sizes and (known == 0 or shape[d] % known))
        ):
            raise RuntimeError(
                f"Unflatten: unflattened_size {self.unflattened_size} does not match dimension "
                f"{self.dim} of size {shape[d]} (input shape {shape})"
            )
        return input.reshape(*shape[:d], *sizes, *shape[d + 1 :])

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"


class Fold(Module):
    """Sum columns of sliding blocks into images (see :func:`minigrad.ops.resample.col2im`).

    Example:
        >>> import minigrad
        >>> minigrad.nn.Fold((4, 5), 2)(minigrad.zeros(1, 3 * 4, 12)).shape
        minigrad.Size([1, 3, 4, 5])
    """

    def __init__(
        self, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
        stride: Any = 1,
    ) -> None:  # fmt: skip
        super().__init__()
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride

    def forward(self, input: Tensor) -> Tensor:
        return F.fold(
            input, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride
        )

    def extra_repr(self) -> str:
        return (
            f"output_size={self.output_size}, kernel_size={self.kernel_size}, "
            f"dilation={self.dilation}, padding={self.padding}, stride={self.stride}"
        )


class Unfold(Module):
    """Sliding local blocks of images as columns (see :func:`minigrad.ops.resample.im2col`).

    Example:
        >>> import minigrad
        >>> minigrad.nn.Unfold(2)(minigrad.zeros(1, 3, 4, 5)).shape
        minigrad.Size([1, 12, 12])
    """

    def __init__(
        self, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1
    ) -> None:
        super().__init__()
        self.kernel_size, self.dilation, self.padding, self.stride = (
            kernel_size, dilation, padding, stride,
        )  # fmt: skip

    def forward(self, input: Tensor) -> Tensor:
        return F.unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, dilation={self.dilation}, padding={self.padding}, "
            f"stride={self.stride}"
        )


# --------------------------------------------------------------------------- padding layers


def _pad_tuple(padding: Any, n: int, who: str) -> tuple[int, ...]:
    if isinstance(padding, int) and not isinstance(padding, bool):
        return (padding,) * (2 * n)
    out = tuple(padding)
    if len(out) != 2 * n or not all(isinstance(p, int) for p in out):
        raise ValueError(f"{who}: padding must be an int or {2 * n} ints, got {padding!r}")
    return out


class _PadNd(Module):
    _mode = "constant"
    _dims = 2

    def __init__(self, padding: Any) -> None:
        super().__init__()
        self.padding = _pad_tuple(padding, self._dims, type(self).__name__)

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, mode=self._mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    def __init__(self, padding: Any, value: float) -> None:
        super().__init__(padding)
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, mode="constant", value=self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pad the last dim with ``value`` (an int pads both sides; negative amounts crop).

    Example:
        >>> import minigrad
        >>> minigrad.nn.ConstantPad1d((1, 2), 3.5)(minigrad.zeros(1, 2))
        tensor([[3.5000, 0.0000, 0.0000, 3.5000, 3.5000]])
    """

    _dims = 1


class ConstantPad2d(_ConstantPadNd):
    """Pad the last two dims with ``value``: ``(left, right, top, bottom)`` or one int.

    Example:
        >>> import minigrad
        >>> minigrad.nn.ConstantPad2d(1, 3.5)(minigrad.zeros(1, 2, 2)).shape
        minigrad.Size([1, 4, 4])
    """


class ZeroPad1d(ConstantPad1d):
    """Pad the last dim with zeros.

    Example:
        >>> import minigrad
        >>> minigrad.nn.ZeroPad1d(1)(minigrad.ones(1, 2))
        tensor([[0., 1., 1., 0.]])
    """

    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad2d(ConstantPad2d):
    """Pad the last two dims with zeros: ``(left, right, top, bottom)`` or one int.

    Example:
        >>> import minigrad
        >>> pad = minigrad.nn.ZeroPad2d((1, 1, 2, 0))
        >>> pad, pad(minigrad.ones(1, 1, 2, 2)).shape
        (ZeroPad2d((1, 1, 2, 0)), minigrad.Size([1, 1, 4, 4]))
    """

    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ReflectionPad1d(_PadNd):
    """Pad the last dim by reflection (the edge not repeated).

    Example:
        >>> import minigrad
        >>> minigrad.nn.ReflectionPad1d(2)(minigrad.tensor([[[0.0, 1.0, 2.0]]]))
        tensor([[[2., 1., 0., 1., 2., 1., 0.]]])
    """

    _mode, _dims = "reflect", 1


class ReflectionPad2d(_PadNd):
    """Pad the last two dims by reflection.

    Example:
        >>> import minigrad
        >>> minigrad.nn.ReflectionPad2d(1)(minigrad.zeros(1, 3, 3)).shape
        minigrad.Size([1, 5, 5])
    """

    _mode = "reflect"


class ReplicationPad1d(_PadNd):
    """Pad the last dim by repeating the edge values.

    Example:
        >>> import minigrad
        >>> minigrad.nn.ReplicationPad1d((2, 0))(minigrad.tensor([[[1.0, 2.0]]]))
        tensor([[[1., 1., 1., 2.]]])
    """

    _mode, _dims = "replicate", 1


class ReplicationPad2d(_PadNd):
    """Pad the last two dims by repeating the edge values.

    Example:
        >>> import minigrad
        >>> minigrad.nn.ReplicationPad2d((1, 0, 0, 1))(minigrad.zeros(1, 2, 2)).shape
        minigrad.Size([1, 3, 3])
    """

    _mode = "replicate"


class CircularPad1d(_PadNd):
    """Pad the last dim by wrapping around.

    Example:
        >>> import minigrad
        >>> minigrad.nn.CircularPad1d(1)(minigrad.tensor([[[1.0, 2.0, 3.0]]]))
        tensor([[[3., 1., 2., 3., 1.]]])
    """

    _mode, _dims = "circular", 1


class CircularPad2d(_PadNd):
    """Pad the last two dims by wrapping around.

    Example:
        >>> import minigrad
        >>> minigrad.nn.CircularPad2d(1)(minigrad.zeros(1, 1, 2, 2)).shape
        minigrad.Size([1, 1, 4, 4])
    """

    _mode = "circular"
