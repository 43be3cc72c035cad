"""Sliding windows over NCHW batches, shared by convolution and pooling.

A 2-D window op (convolution, max or average pooling) reads, for every output
position ``(i, j)``, the ``kh x kw`` input elements at
``(i * sh - top + a * dh, j * sw - left + b * dw)``. Everything here is a view
or a loop over the ``kh * kw`` kernel offsets ("taps"), never over pixels:

* :func:`pad` pads (or crops) the batch once;
* :func:`window_view` is the ``(N, C, kh, kw, OH, OW)`` view of all windows
  (``as_strided``, no copy); convolution copies it into columns;
* :func:`taps` lists the ``kh * kw`` strided slices ``(N, C, OH, OW)``, one per
  kernel offset; pooling combines them elementwise;
* :func:`scatter_add` is the adjoint of the window view: it adds per-window
  values back onto the image, one strided add per tap.

The argument normalisation that layers (``nn.Conv2d``, ``nn.MaxPool2d``, ...) and
functions (``F.conv2d``, ``F.max_pool2d``, ...) share lives here too, so both
accept and reject exactly the same ``kernel_size``, ``stride``, ``padding`` and
``dilation`` values, with the same errors.

Example:
    >>> import numpy as np
    >>> from minigrad.ops.windows import taps, window_view
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> window_view(x, (2, 2), (2, 2), (1, 1), (2, 2))[0, 0, :, :, 1, 1]
    array([[10., 11.],
           [14., 15.]])
    >>> [float(t[0, 0, 0, 0]) for t in taps(x, (2, 2), (2, 2), (1, 1), (2, 2))]
    [0.0, 1.0, 4.0, 5.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

from minigrad.ops import _buffers as buffers
from minigrad.ops._blas import over_batch
from minigrad.ops._util import as_tensor
from minigrad.tensor import Tensor

Pair = tuple[int, int]
Pads = tuple[int, int, int, int]  # top, bottom, left, right

__all__ = [
    "Pads", "Pair", "as_batch", "conv_out_size", "conv_padding", "pad", "pair", "pool_geometry",
    "pool_out_size", "scatter_add", "tap_slice", "taps", "window_view",
]  # fmt: skip


# --------------------------------------------------------------------------- arguments


def _is_int(v: Any) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def pair(value: Any, name: str, who: str, minimum: int) -> Pair:
    """An int or a pair of ints (a 1-tuple repeats) as a pair, each at least ``minimum``.

    Raises ``TypeError`` for anything else (floats, bools, strings, longer
    sequences) and ``ValueError`` below ``minimum``.

    Example:
        >>> pair(3, "stride", "conv2d", 1), pair([2, 1], "stride", "conv2d", 1)
        ((3, 3), (2, 1))
        >>> pair(2.7, "stride", "conv2d", 1)
        Traceback (most recent call last):
        ...
        TypeError: conv2d: stride must be an int or a pair of ints, got 2.7
    """
    if _is_int(value):
        result = (int(value), int(value))
    elif isinstance(value, (tuple, list)) and len(value) in (1, 2) and all(map(_is_int, value)):
        result = (int(value[0]), int(value[-1]))
    else:
        raise TypeError(f"{who}: {name} must be an int or a pair of ints, got {value!r}")
    if min(result) < minimum:
        raise ValueError(f"{who}: {name} must be at least {minimum}, got {value!r}")
    return result


def conv_padding(padding: Any, kernel: Pair, stride: Pair, dilation: Pair, who: str) -> Pads:
    """A convolution's padding (an int, a pair, ``'valid'`` or ``'same'``) as
    ``(top, bottom, left, right)``; ``'same'`` puts an odd extra after, as PyTorch.

    Example:
        >>> conv_padding("same", (4, 3), (1, 1), (1, 1), "conv2d")
        (1, 2, 1, 1)
    """
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0, 0, 0)
        if padding != "same":
            raise ValueError(
                f"{who}: padding must be 'valid', 'same', an int or a pair, got {padding!r}"
            )
        if stride != (1, 1):
            raise ValueError(
                f"{who}: padding='same' is not supported for strided convolutions (stride {stride})"
            )
        total = [d * (k - 1) for k, d in zip(kernel, dilation)]
        return (total[0] // 2, total[0] - total[0] // 2, total[1] // 2, total[1] - total[1] // 2)
    ph, pw = pair(padding, "padding", who, 0)
    return (ph, ph, pw, pw)


def pool_geometry(
    kernel_size: Any, stride: Any, padding: Any, dilation: Any, who: str
) -> tuple[Pair, Pair, Pair, Pair]:
    """Checked pooling ``(kernel, stride, padding, dilation)`` pairs; a ``None`` (or
    empty) stride is the kernel size, and padding is at most half the kernel.

    Example:
        >>> pool_geometry(2, None, 0, 1, "max_pool2d")
        ((2, 2), (2, 2), (0, 0), (1, 1))
    """
    kernel = pair(kernel_size, "kernel_size", who, 1)
    empty = stride is None or (isinstance(stride, (tuple, list)) and len(stride) == 0)
    strides = kernel if empty else pair(stride, "stride", who, 1)
    pads = pair(padding, "padding", who, 0)
    dilations = pair(dilation, "dilation", who, 1)
    if pads[0] > kernel[0] // 2 or pads[1] > kernel[1] // 2:
        raise ValueError(f"{who}: padding {pads} must be at most half of the kernel size {kernel}")
    return kernel, strides, pads, dilations


def as_batch(input: Any, who: str) -> tuple[Tensor, bool]:
    """A 4-D (N, C, H, W) tensor, and whether the input was one unbatched (C, H, W) image.

    Example:
        >>> import minigrad
        >>> x, unbatched = as_batch(minigrad.zeros(3, 4, 4), "conv2d")
        >>> x.shape, unbatched
        (minigrad.Size([1, 3, 4, 4]), True)
    """
    x = as_tensor(input)
    if x.ndim == 3:
        return x.unsqueeze(0), True
    if x.ndim != 4:
        raise RuntimeError(
            f"{who}: expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got a {x.ndim}-D "
            f"input of shape {x.shape}"
        )
    return x, False


def conv_out_size(size: int, k: int, s: int, lo: int, hi: int, d: int) -> int:
    """Output length of a convolution along one axis (padding ``lo`` before, ``hi`` after).

    Example:
        >>> conv_out_size(28, 5, 1, 2, 2, 1)
        28
    """
    return (size + lo + hi - d * (k - 1) - 1) // s + 1


def pool_out_size(size: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> int:
    """PyTorch's pooling output length (a ceil-mode window must start inside the input
    or its left padding).

    Example:
        >>> pool_out_size(5, 2, 2, 0, 1, False), pool_out_size(5, 2, 2, 0, 1, True)
        (2, 3)
    """
    out = (size + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out


# --------------------------------------------------------------------------- views


def pad(x: np.ndarray, pads: Pads, value: float = 0.0) -> np.ndarray:
    """Pad (or crop, for negative bottom/right amounts) the last two axes of ``x``.

    Example:
        >>> pad(np.ones((1, 1, 1, 2)), (1, 0, 0, -1)).tolist()
        [[[[0.0], [1.0]]]]
    """
    top, bottom, left, right = pads
    if not any(pads):
        return x
    N, C, H, W = x.shape
    if bottom < 0 or right < 0:
        x = x[:, :, : H + min(bottom, 0), : W + min(right, 0)]
        H, W = x.shape[2:]
        bottom, right = max(bottom, 0), max(right, 0)
        if not (top or bottom or left or right):
            return x
    out = buffers.empty((N, C, H + top + bottom, W + left + right), x.dtype)

    def piece(lo: int, hi: int) -> None:  # pieces of the batch, on separate threads
        part = out[lo:hi]
        part[:, :, :top] = value
        part[:, :, top + H :] = value
        part[:, :, top : top + H, :left] = value
        part[:, :, top : top + H, left + W :] = value
        part[:, :, top : top + H, left : left + W] = x[lo:hi]

    over_batch(piece, N, out.size)
    return out


def window_view(
    xp: np.ndarray, kernel: Pair, stride: Pair, dilation: Pair, out_hw: Pair
) -> np.ndarray:
    """A read-only view ``(N, C, kh, kw, OH, OW)`` of the windows of a padded batch.

    Example:
        >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
        >>> v = window_view(x, (2, 2), (1, 1), (1, 1), (2, 2))
        >>> v.shape, v[0, 0, :, :, 1, 0].tolist(), bool(np.shares_memory(v, x))
        ((1, 1, 2, 2, 2, 2), [[3.0, 4.0], [6.0, 7.0]], True)
    """
    N, C = xp.shape[:2]
    sN, sC, sH, sW = xp.strides
    shape = (N, C, kernel[0], kernel[1], out_hw[0], out_hw[1])
    strides = (sN, sC, sH * dilation[0], sW * dilation[1], sH * stride[0], sW * stride[1])
    return as_strided(xp, shape, strides, writeable=False)


def tap_slice(i: int, j: int, stride: Pair, dilation: Pair, out_hw: Pair) -> Any:
    """The index of the elements at kernel offset ``(i, j)`` of every window.

    Example:
        >>> tap_slice(1, 0, (2, 2), (1, 1), (2, 3))[2:]
        (slice(1, 4, 2), slice(0, 5, 2))
    """
    h0, w0 = i * dilation[0], j * dilation[1]
    return (
        slice(None),
        slice(None),
        slice(h0, h0 + stride[0] * (out_hw[0] - 1) + 1, stride[0]),
        slice(w0, w0 + stride[1] * (out_hw[1] - 1) + 1, stride[1]),
    )


def taps(
    xp: np.ndarray, kernel: Pair, stride: Pair, dilation: Pair, out_hw: Pair
) -> list[np.ndarray]:
    """The strided views ``(N, C, OH, OW)`` of a padded batch at each kernel offset,
    in row-major order (views: writing into them writes into ``xp``).

    Example:
        >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
        >>> [t[0, 0].tolist() for t in taps(x, (1, 2), (2, 2), (1, 1), (2, 2))]
        [[[0.0, 2.0], [8.0, 10.0]], [[1.0, 3.0], [9.0, 11.0]]]
    """
    return [
        xp[tap_slice(i, j, stride, dilation, out_hw)]
        for i in range(kernel[0])
        for j in range(kernel[1])
    ]


def scatter_add(
    cols: np.ndarray, in_hw: Pair, stride: Pair, pads: Pads, dilation: Pair
) -> np.ndarray:
    """Add per-window values ``(N, C, kh, kw, OH, OW)`` (any strides) back onto an image
    ``(N, C, H, W)``: the adjoint of :func:`window_view` after :func:`pad`.

    One strided add per kernel offset, each over the whole batch. Negative
    bottom/right amounts (pooling's floor mode) leave the last rows untouched.

    Example: every element of a 3x3 image counted once per 2x2 window holding it
        >>> ones = np.ones((1, 1, 2, 2, 2, 2))
        >>> scatter_add(ones, (3, 3), (1, 1), (0, 0, 0, 0), (1, 1))[0, 0].tolist()
        [[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]
    """
    N, C, kh, kw, OH, OW = cols.shape
    top, bottom, left, right = pads
    Hp = max(in_hw[0] + top + max(bottom, 0), dilation[0] * (kh - 1) + stride[0] * (OH - 1) + 1)
    Wp = max(in_hw[1] + left + max(right, 0), dilation[1] * (kw - 1) + stride[1] * (OW - 1) + 1)
    out = buffers.zeros((N, C, Hp, Wp), cols.dtype)
    for i in range(kh):
        for j in range(kw):
            out[tap_slice(i, j, stride, dilation, (OH, OW))] += cols[:, :, i, j]
    if (Hp, Wp) == in_hw:
        return out
    return buffers.contiguous(out[:, :, top : top + in_hw[0], left : left + in_hw[1]])
