"""Resampling: ``interpolate`` (nearest, linear, bilinear, area), sliding-window
patches (``unfold`` / ``fold``, ATen's ``im2col`` / ``col2im``) and
``pixel_shuffle`` / ``pixel_unshuffle``.

``interpolate`` is separable: nearest gathers one index per output position along
each spatial dim; (bi)linear multiplies by a constant ``(out, in)`` interpolation
matrix along each dim, so its gradient (and second derivative) is the transposed
product. ``unfold`` is a grouped convolution with one-hot kernels and ``fold`` the
transposed one, so both reuse the convolution kernels of :mod:`minigrad.ops.conv`.

Example:
    >>> import minigrad
    >>> from minigrad.nn import functional as F
    >>> F.interpolate(minigrad.tensor([[[1.0, 2.0]]]), scale_factor=2, mode="nearest")
    tensor([[[1., 1., 2., 2.]]])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from minigrad.ops._registry import op
from minigrad.ops._util import as_tensor
from minigrad.ops.conv import conv2d, conv_transpose2d
from minigrad.ops.conv_pool_1d import adaptive_avg_pool1d
from minigrad.ops.padding import take_along_dim
from minigrad.ops.pool import adaptive_avg_pool2d
from minigrad.ops.windows import pair
from minigrad.tensor import Tensor

# --------------------------------------------------------------------------- interpolate


def _scales(
    who: str, spatial: tuple[int, ...], size: Any, scale_factor: Any
) -> tuple[tuple[int, ...], tuple[float | None, ...]]:
    """Output sizes, and the scale factors to use for the coordinates (None: in / out)."""
    k = len(spatial)
    if (size is None) == (scale_factor is None):
        raise ValueError(f"{who}: exactly one of size and scale_factor must be given")
    if size is not None:
        sizes = tuple(size) if isinstance(size, (tuple, list)) else (size,) * k
        if len(sizes) != k or any(not isinstance(s, (int, np.integer)) or s < 1 for s in sizes):
            raise ValueError(
                f"{who}: size must be {k} positive ints for an input with {k} spatial dims "
                f"{spatial}, got {size!r}"
            )
        return tuple(int(s) for s in sizes), (None,) * k
    factors = (
        tuple(scale_factor) if isinstance(scale_factor, (tuple, list)) else (scale_factor,) * k
    )
    if len(factors) != k or any(not f > 0 for f in factors):
        raise ValueError(
            f"{who}: scale_factor must be {k} positive numbers for an input with {k} spatial "
            f"dims {spatial}, got {scale_factor!r}"
        )
    sizes = tuple(math.floor(n * float(f)) for n, f in zip(spatial, factors))
    if min(sizes) < 1:
        raise ValueError(f"{who}: scale_factor {scale_factor!r} makes the output {sizes} empty")
    return sizes, tuple(float(f) for f in factors)


def _nearest_index(n: int, out: int, scale: float | None, exact: bool = False) -> np.ndarray:
    step = n / out if scale is None else 1.0 / scale
    dst = np.arange(out, dtype=np.float32) + np.float32(0.5 if exact else 0.0)
    src = dst * np.float32(step)  # in float32, as PyTorch
    return np.minimum(np.floor(src).astype(np.int64), n - 1)


def _cubic_matrix(n: int, out: int, scale: float | None, align: bool, dtype: Any) -> np.ndarray:
    """``(out, n)`` weights of PyTorch's bicubic interpolation (A = -0.75, edges clamped)."""
    dst = np.arange(out, dtype=np.float64)
    if align:
        src = dst * ((n - 1) / (out - 1)) if out > 1 else np.zeros(out)
    else:
        src = (dst + 0.5) * (n / out if scale is None else 1.0 / scale) - 0.5  # not clamped
    i0 = np.floor(src).astype(np.int64)
    t = src - i0
    a = -0.75

    def near(x: np.ndarray) -> np.ndarray:
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x: np.ndarray) -> np.ndarray:
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    weights = [far(t + 1), near(t), near(1 - t), far(2 - t)]
    m = np.zeros((out, n))
    for k, w in enumerate(weights):  # four taps
        np.add.at(m, (np.arange(out), np.clip(i0 - 1 + k, 0, n - 1)), w)
    return m.astype(dtype)


def _linear_matrix(n: int, out: int, scale: float | None, align: bool, dtype: Any) -> np.ndarray:
    """``(out, n)`` weights of PyTorch's linear interpolation along one dim."""
    dst = np.arange(out, dtype=np.float64)
    if align:
        src = dst * ((n - 1) / (out - 1)) if out > 1 else np.zeros(out)
    else:
        step = n / out if scale is None else 1.0 / scale
        src = np.maximum((dst + 0.5) * step - 0.5, 0.0)
    i0 = np.minimum(np.floor(src).astype(np.int64), n - 1)
    i1 = np.minimum(i0 + 1, n - 1)
    lam = src - i0
    m = np.zeros((out, n))
    np.add.at(m, (np.arange(out), i0), 1.0 - lam)
    np.add.at(m, (np.arange(out), i1), lam)
    return m.astype(dtype)


_DIMS = {"linear": 1, "bilinear": 2, "bicubic": 2, "trilinear": 3}


@op(method=False, export=False)
def interpolate(
    input: Tensor,
    size: Any = None,
    scale_factor: Any = None,
    mode: str = "nearest",
    align_corners: bool | None = None,
    recompute_scale_factor: bool | None = None,
    antialias: bool = False,
) -> Tensor:
    """Resize a batch of signals or images ``(N, C, *spatial)`` to ``size`` or by ``scale_factor``.

    Args:
        input: ``(N, C, L)``, ``(N, C, H, W)`` or ``(N, C, D, H, W)``.
        size: the output spatial size (an int or one per dim).
        scale_factor: the multiplier of each spatial size (output ``floor(n * f)``);
            the coordinates use ``1 / scale_factor`` unless ``recompute_scale_factor``.
        mode: ``'nearest'`` / ``'nearest-exact'`` (any spatial rank; the latter
            samples pixel centres), ``'linear'`` (3-D input), ``'bilinear'`` or
            ``'bicubic'`` (4-D; cubic convolution with ``A = -0.75``), ``'trilinear'``
            (5-D) or ``'area'`` (adaptive average).
        align_corners: for the linear and cubic modes: map the corner pixels' centres onto each
            other (True) or their edges (False, the default).

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> x = minigrad.tensor([[[[0.0, 1.0], [2.0, 3.0]]]])
        >>> F.interpolate(x, size=3, mode="bilinear", align_corners=True)
        tensor([[[[0.0000, 0.5000, 1.0000],
                  [1.0000, 1.5000, 2.0000],
                  [2.0000, 2.5000, 3.0000]]]])
    """
    who = "interpolate"
    x = as_tensor(input)
    if x.ndim not in (3, 4, 5):
        raise ValueError(
            f"{who}: expected a 3-D, 4-D or 5-D input (N, C, *spatial), got shape {x.shape}"
        )
    if antialias:
        raise NotImplementedError(f"{who}: antialias=True is not supported")
    spatial = x.shape[2:]
    sizes, scales = _scales(who, spatial, size, scale_factor)
    if recompute_scale_factor:
        scales = (None,) * len(spatial)
    if mode in _DIMS:
        if _DIMS[mode] != len(spatial):
            raise ValueError(
                f"{who}: mode {mode!r} needs a {_DIMS[mode] + 2}-D input, got shape {x.shape}"
            )
        if x.dtype.kind != "f":
            raise TypeError(f"{who}: mode {mode!r} needs a floating-point input, got {x.dtype}")
        align = bool(align_corners)
        out = x
        weights = _cubic_matrix if mode == "bicubic" else _linear_matrix
        for d, (n, o, s) in enumerate(zip(spatial, sizes, scales)):
            m = Tensor._make(weights(n, o, s, align, x.dtype))
            axis = 2 + d
            out = (out.transpose(axis, -1) @ m.transpose(0, 1)).transpose(axis, -1)
        return out
    if align_corners is not None:
        raise ValueError(
            f"{who}: align_corners only applies to the linear and cubic modes, not mode={mode!r}"
        )
    if mode in ("nearest", "nearest-exact"):
        out = x
        for d, (n, o, s) in enumerate(zip(spatial, sizes, scales)):
            if n == o and s in (None, 1.0):
                continue
            shape = [1] * x.ndim
            shape[2 + d] = o
            idx = _nearest_index(n, o, s, exact=mode == "nearest-exact")
            out = take_along_dim(out, idx.reshape(shape), 2 + d)
        return out
    if mode == "area":
        if len(spatial) == 1:
            return adaptive_avg_pool1d(x, sizes[0])
        if len(spatial) == 2:
            return adaptive_avg_pool2d(x, sizes)
    raise NotImplementedError(
        f"{who}: mode must be 'nearest', 'nearest-exact', 'linear', 'bilinear', 'bicubic', "
        f"'trilinear' or 'area' (1-D and 2-D), got {mode!r} for shape {x.shape}"
    )


# --------------------------------------------------------------------------- unfold / fold


def _one_hot_kernels(channels: int, kh: int, kw: int, dtype: Any) -> Tensor:
    """``(C kh kw, 1, kh, kw)``: output channel ``c kh kw + i kw + j`` picks tap ``(i, j)``."""
    taps = np.eye(kh * kw, dtype=dtype).reshape(kh * kw, 1, kh, kw)
    return Tensor._make(np.tile(taps, (channels, 1, 1, 1)))


@op(method=False, export=False)
def im2col(
    input: Tensor, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1
) -> Tensor:
    """Sliding local blocks of an image batch as columns: ``F.unfold``.

    Args:
        input: ``(N, C, H, W)`` or ``(C, H, W)``.
        kernel_size, dilation, padding, stride: ints or pairs.

    Returns:
        ``(N, C * kh * kw, L)``: column ``l`` holds block ``l`` (row-major over the
        ``L = OH * OW`` positions), channel-major then kernel row then kernel column.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.unfold(minigrad.arange(9.0).reshape(1, 1, 3, 3), 2)
        tensor([[[0., 1., 3., 4.],
                 [1., 2., 4., 5.],
                 [3., 4., 6., 7.],
                 [4., 5., 7., 8.]]])
    """
    who = "unfold"
    x = as_tensor(input)
    if x.ndim not in (3, 4):
        raise RuntimeError(f"{who}: expected a 3-D or 4-D input, got shape {x.shape}")
    kh, kw = pair(kernel_size, "kernel_size", who, 1)
    unbatched = x.ndim == 3
    x4 = x.unsqueeze(0) if unbatched else x
    C = x4.shape[1]
    cols = conv2d(
        x4, _one_hot_kernels(C, kh, kw, x4.dtype), None, pair(stride, "stride", who, 1),
        pair(padding, "padding", who, 0), pair(dilation, "dilation", who, 1), C,
    )  # fmt: skip
    out = cols.reshape(cols.shape[0], C * kh * kw, -1)
    return out.squeeze(0) if unbatched else out


@op(method=False, export=False)
def col2im(
    input: Tensor,
    output_size: Any,
    kernel_size: Any,
    dilation: Any = 1,
    padding: Any = 0,
    stride: Any = 1,
) -> Tensor:
    """Sum columns of sliding blocks back into an image batch: ``F.fold`` (the adjoint of unfold).

    Args:
        input: ``(N, C * kh * kw, L)`` or ``(C * kh * kw, L)``.
        output_size: ``(H, W)`` (or an int).
        kernel_size, dilation, padding, stride: ints or pairs; ``L`` must be the number
            of blocks they give on ``output_size``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.fold(minigrad.ones(1, 4, 4), (3, 3), 2)
        tensor([[[[1., 2., 1.],
                  [2., 4., 2.],
                  [1., 2., 1.]]]])
    """
    who = "fold"
    x = as_tensor(input)
    if x.ndim not in (2, 3):
        raise RuntimeError(f"{who}: expected a 2-D or 3-D input, got shape {x.shape}")
    H, W = pair(output_size, "output_size", who, 1)
    kh, kw = pair(kernel_size, "kernel_size", who, 1)
    (dh, dw), (ph, pw) = pair(dilation, "dilation", who, 1), pair(padding, "padding", who, 0)
    sh, sw = pair(stride, "stride", who, 1)
    unbatched = x.ndim == 2
    x3 = x.unsqueeze(0) if unbatched else x
    if x3.shape[1] % (kh * kw):
        raise RuntimeError(
            f"{who}: expected size of input's dimension 1 to be divisible by the product of "
            f"kernel_size {kh * kw}, but got input.size(1)={x3.shape[1]}"
        )
    OH = (H + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    OW = (W + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    if OH < 1 or OW < 1 or OH * OW != x3.shape[2]:
        raise RuntimeError(
            f"{who}: given output_size {(H, W)}, kernel_size {(kh, kw)}, dilation {(dh, dw)}, "
            f"padding {(ph, pw)}, stride {(sh, sw)}, expected size of input's dimension 2 to "
            f"match the calculated number of sliding blocks {OH} * {OW} = {OH * OW}, but got "
            f"input.size(2)={x3.shape[2]}"
        )
    C = x3.shape[1] // (kh * kw)
    base = [(n - 1) * s - 2 * p + d * (k - 1) + 1
            for n, s, p, d, k in ((OH, sh, ph, dh, kh), (OW, sw, pw, dw, kw))]  # fmt: skip
    out = conv_transpose2d(
        x3.reshape(x3.shape[0], C * kh * kw, OH, OW), _one_hot_kernels(C, kh, kw, x3.dtype),
        None, (sh, sw), (ph, pw), (H - base[0], W - base[1]), C, (dh, dw),
    )  # fmt: skip
    return out.squeeze(0) if unbatched else out


# --------------------------------------------------------------------------- pixel shuffle


def _factor(value: Any, name: str, who: str) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{who}: {name} must be a positive int, got {value!r}")
    return int(value)


@op(method=False)
def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """Rearrange ``(*, C r², H, W)`` into ``(*, C, H r, W r)`` (sub-pixel convolution).

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.pixel_shuffle(minigrad.arange(4.0).reshape(1, 4, 1, 1), 2)
        tensor([[[[0., 1.],
                  [2., 3.]]]])
    """
    who = "pixel_shuffle"
    x = as_tensor(input)
    r = _factor(upscale_factor, "upscale_factor", who)
    if x.ndim < 3 or x.shape[-3] % (r * r):
        raise RuntimeError(
            f"{who}: expected an input (*, C * r^2, H, W) with channels divisible by "
            f"upscale_factor^2 = {r * r}, got shape {x.shape}"
        )
    *lead, c, h, w = x.shape
    n = len(lead)
    y = x.reshape(*lead, c // (r * r), r, r, h, w)
    y = y.permute(*range(n), n, n + 3, n + 1, n + 4, n + 2)
    return y.reshape(*lead, c // (r * r), h * r, w * r)


@op(method=False)
def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """Rearrange ``(*, C, H r, W r)`` into ``(*, C r², H, W)``: undoes :func:`pixel_shuffle`.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.pixel_unshuffle(minigrad.arange(4.0).reshape(1, 1, 2, 2), 2).flatten()
        tensor([0., 1., 2., 3.])
    """
    who = "pixel_unshuffle"
    x = as_tensor(input)
    r = _factor(downscale_factor, "downscale_factor", who)
    if x.ndim < 3 or x.shape[-2] % r or x.shape[-1] % r:
        raise RuntimeError(
            f"{who}: expected an input (*, C, H, W) with H and W divisible by "
            f"downscale_factor = {r}, got shape {x.shape}"
        )
    *lead, c, h, w = x.shape
    n = len(lead)
    y = x.reshape(*lead, c, h // r, r, w // r, r)
    y = y.permute(*range(n), n, n + 2, n + 4, n + 1, n + 3)
    return y.reshape(*lead, c * r * r, h // r, w // r)
