"""1-D convolution and pooling, and adaptive max pooling.

The 1-D ops are the 2-D ones of :mod:`minigrad.ops.conv` and :mod:`minigrad.ops.pool`
on a unit height: ``(N, C, L)`` becomes ``(N, C, 1, L)`` and back, so they share
their kernels, gradients and second derivatives. Adaptive max pooling gathers its
variable-size windows with one index array (PyTorch's window bounds) and takes
the first maximum.

Example:
    >>> import minigrad
    >>> from minigrad.nn import functional as F
    >>> F.conv1d(minigrad.ones(1, 1, 5), minigrad.ones(1, 1, 3)).tolist()
    [[[3.0, 3.0, 3.0]]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.ops._registry import op
from minigrad.ops._util import as_tensor
from minigrad.ops.conv import conv2d, conv_transpose2d
from minigrad.ops.padding import take_along_dim
from minigrad.ops.pool import adaptive_avg_pool2d, avg_pool2d, max_pool2d
from minigrad.tensor import Tensor


def single(value: Any, name: str, who: str, minimum: int) -> int:
    """One int from an int or a 1-tuple, at least ``minimum`` (PyTorch's ``_single``).

    Example:
        >>> from minigrad.ops.conv_pool_1d import single
        >>> single((3,), "kernel_size", "conv1d", 1)
        3
    """
    v = value[0] if isinstance(value, (tuple, list)) and len(value) == 1 else value
    if not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v < minimum:
        raise ValueError(f"{who}: {name} must be an int >= {minimum} (or a 1-tuple), got {value!r}")
    return int(v)


def _as_signal(input: Any, who: str) -> tuple[Tensor, bool]:
    x = as_tensor(input)
    if x.ndim not in (2, 3):
        raise RuntimeError(
            f"{who}: expected a 2-D (C, L) or 3-D (N, C, L) input, got a {x.ndim}-D input of "
            f"shape {x.shape}"
        )
    return (x.unsqueeze(0), True) if x.ndim == 2 else (x, False)


def _back(out: Tensor, unbatched: bool) -> Tensor:
    out = out.squeeze(2)
    return out.squeeze(0) if unbatched else out


def _weight(weight: Any, who: str) -> Tensor:
    w = as_tensor(weight)
    if w.ndim != 3:
        raise RuntimeError(f"{who}: weight must be 3-D, got shape {w.shape}")
    return w


@op(method=False)
def conv1d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """1-D convolution (cross-correlation) of an NCL batch.

    Args:
        input: ``(N, C, L)`` or unbatched ``(C, L)``.
        weight: ``(out_channels, C / groups, k)``.
        bias: ``(out_channels,)`` or None.
        stride, dilation: ints (or 1-tuples); padding: an int, ``'valid'`` or ``'same'``.
        groups: split the channels into this many independent convolutions.

    Returns:
        ``(N, out_channels, (L + 2p - d (k - 1) - 1) // s + 1)``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.conv1d(minigrad.ones(2, 3, 8), minigrad.ones(4, 3, 3), padding=1).shape
        minigrad.Size([2, 4, 8])
    """
    who = "conv1d"
    x, unbatched = _as_signal(input, who)
    w = _weight(weight, who)
    if x.shape[1] != w.shape[1] * groups:
        raise RuntimeError(
            f"{who}: input has {x.shape[1]} channels but weight expects {w.shape[1] * groups} "
            f"(weight shape {w.shape}, groups={groups})"
        )
    s, d = single(stride, "stride", who, 1), single(dilation, "dilation", who, 1)
    p = padding if isinstance(padding, str) else (0, single(padding, "padding", who, 0))
    out = conv2d(x.unsqueeze(2), w.unsqueeze(2), bias, (1, s), p, (1, d), groups)
    return _back(out, unbatched)


@op(method=False)
def conv_transpose1d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
) -> Tensor:
    """1-D transposed convolution: the gradient of :func:`conv1d` with respect to its input.

    Args:
        input: ``(N, C_in, L)`` or ``(C_in, L)``.
        weight: ``(C_in, out_channels / groups, k)``.
        bias: ``(out_channels,)`` or None.
        stride, padding, output_padding, dilation: ints (or 1-tuples).

    Returns:
        ``(N, out_channels, (L - 1) s - 2p + d (k - 1) + output_padding + 1)``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.conv_transpose1d(minigrad.ones(1, 2, 4), minigrad.ones(2, 3, 2), stride=2).shape
        minigrad.Size([1, 3, 8])
    """
    who = "conv_transpose1d"
    x, unbatched = _as_signal(input, who)
    w = _weight(weight, who)
    if x.shape[1] != w.shape[0]:
        raise RuntimeError(
            f"{who}: input has {x.shape[1]} channels but weight expects {w.shape[0]} (weight "
            f"shape {w.shape}: in_channels first)"
        )
    s, d = single(stride, "stride", who, 1), single(dilation, "dilation", who, 1)
    p, op_ = single(padding, "padding", who, 0), single(output_padding, "output_padding", who, 0)
    out = conv_transpose2d(
        x.unsqueeze(2), w.unsqueeze(2), bias, (1, s), (0, p), (0, op_), groups, (1, d)
    )
    return _back(out, unbatched)


@op(method=False)
def max_pool1d(
    input: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Any:
    """1-D max pooling of an NCL batch (first maximum wins ties, as PyTorch).

    Args:
        input: ``(N, C, L)`` or ``(C, L)``.
        kernel_size, stride (default: ``kernel_size``), padding (``-inf``, at most half
            the kernel), dilation: ints.
        ceil_mode: round the output length up.
        return_indices: also return the position of each maximum along ``L``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.max_pool1d(minigrad.tensor([[[1.0, 3.0, 2.0, 0.0]]]), 2, return_indices=True)
        (tensor([[[3., 2.]]]), tensor([[[1, 2]]]))
    """
    who = "max_pool1d"
    x, unbatched = _as_signal(input, who)
    k = single(kernel_size, "kernel_size", who, 1)
    s = k if stride is None or stride == () else single(stride, "stride", who, 1)
    p, d = single(padding, "padding", who, 0), single(dilation, "dilation", who, 1)
    out = max_pool2d(x.unsqueeze(2), (1, k), (1, s), (0, p), (1, d), ceil_mode, return_indices)
    if return_indices:
        values, indices = out
        return _back(values, unbatched), _back(indices, unbatched)
    return _back(out, unbatched)


@op(method=False)
def avg_pool1d(
    input: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> Tensor:
    """1-D average pooling of an NCL batch.

    Args:
        input: ``(N, C, L)`` or ``(C, L)``.
        kernel_size, stride (default: ``kernel_size``), padding (zeros): ints.
        ceil_mode, count_include_pad: as :func:`minigrad.ops.pool.avg_pool2d`.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.avg_pool1d(minigrad.tensor([[[1.0, 3.0, 2.0, 0.0]]]), 2)
        tensor([[[2., 1.]]])
    """
    who = "avg_pool1d"
    x, unbatched = _as_signal(input, who)
    k = single(kernel_size, "kernel_size", who, 1)
    s = k if stride is None or stride == () else single(stride, "stride", who, 1)
    p = single(padding, "padding", who, 0)
    out = avg_pool2d(x.unsqueeze(2), (1, k), (1, s), (0, p), ceil_mode, count_include_pad)
    return _back(out, unbatched)


@op(method=False)
def adaptive_avg_pool1d(input: Tensor, output_size: Any) -> Tensor:
    """Average pooling of an NCL batch to ``output_size`` (PyTorch's window bounds).

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.adaptive_avg_pool1d(minigrad.arange(5.0).reshape(1, 1, 5), 2)
        tensor([[[1.0000, 3.0000]]])
    """
    who = "adaptive_avg_pool1d"
    x, unbatched = _as_signal(input, who)
    out = adaptive_avg_pool2d(x.unsqueeze(2), (1, single(output_size, "output_size", who, 1)))
    return _back(out, unbatched)


# --------------------------------------------------------------------------- adaptive max


def _adaptive_windows(size: int, out: int) -> tuple[np.ndarray, np.ndarray]:
    """``(out, kmax)`` positions of each window ``[floor(i n / o), ceil((i + 1) n / o))``
    (padded by repeating the window's first position) and the mask of the real ones."""
    i = np.arange(out)
    start = (i * size) // out
    end = -((-(i + 1) * size) // out)
    kmax = int((end - start).max())
    pos = start[:, None] + np.arange(kmax)
    valid = pos < end[:, None]
    return np.where(valid, pos, start[:, None]), valid


def _adaptive_max(x: Tensor, sizes: tuple[int, ...]) -> tuple[Tensor, Tensor]:
    """Adaptive max over the last ``len(sizes)`` (1 or 2) dims of ``x``: values and flat indices."""
    spatial = x.shape[x.ndim - len(sizes) :]
    lead = x.shape[: x.ndim - len(sizes)]
    wins = [_adaptive_windows(n, o) for n, o in zip(spatial, sizes)]
    if len(sizes) == 1:
        (pos, valid), W = wins[0], spatial[0]
        flat, ok = pos, valid  # (o, k)
    else:
        (ph, vh), (pw, vw) = wins
        W = spatial[1]
        flat = (ph[:, None, :, None] * W + pw[None, :, None, :]).reshape(*sizes, -1)
        ok = (vh[:, None, :, None] & vw[None, :, None, :]).reshape(*sizes, -1)
    k = flat.shape[-1]
    plane = x.reshape(*lead, int(np.prod(spatial)))
    taps = flat.reshape(-1)  # (prod(sizes) * k,)
    data = plane._data[..., taps].reshape(*lead, *sizes, k)
    data = np.where(ok, data, -np.inf)
    nan = np.isnan(data)  # a NaN is the maximum, as PyTorch
    best = np.where(nan.any(-1), np.argmax(nan, -1), np.argmax(data, -1))
    chosen = np.take_along_axis(np.broadcast_to(flat, data.shape), best[..., None], -1)[..., 0]
    index = chosen.reshape(*lead, -1)
    values = take_along_dim(plane, index, plane.ndim - 1).reshape(*lead, *sizes)
    return values, Tensor._make(chosen.astype(np.int64))


def _adaptive_max_pool(input: Any, output_size: Any, return_indices: bool, dims: int) -> Any:
    who = f"adaptive_max_pool{dims}d"
    x = as_tensor(input)
    if x.ndim not in (dims + 1, dims + 2):
        raise RuntimeError(
            f"{who}: expected a {dims + 1}-D or {dims + 2}-D input, got shape {x.shape}"
        )
    if x.dtype.kind != "f":
        raise TypeError(f"{who}: input must be floating point, got {x.dtype}")
    sizes_in = x.shape[-dims:]
    sizes: tuple[int, ...]
    if dims == 1:
        sizes = (single(output_size, "output_size", who, 1),)
    else:
        raw = output_size if isinstance(output_size, (tuple, list)) else (output_size,) * 2
        if len(raw) != 2:
            raise ValueError(f"{who}: output_size must be an int or a pair, got {output_size!r}")
        sizes = tuple(
            n if o is None else single(o, "output_size", who, 1) for o, n in zip(raw, sizes_in)
        )
    if any(n == 0 for n in sizes_in):
        raise RuntimeError(f"{who}: input of shape {x.shape} has an empty spatial dimension")
    values, indices = _adaptive_max(x, sizes)
    return (values, indices) if return_indices else values


@op(method=False, export=False)
def adaptive_max_pool1d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """Max pooling of an NCL batch to ``output_size`` (PyTorch's window bounds).

    ``return_indices`` also gives the position along ``L`` of each maximum.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.adaptive_max_pool1d(minigrad.tensor([[[1.0, 5.0, 2.0, 4.0, 3.0]]]), 2)
        tensor([[[5., 4.]]])
    """
    return _adaptive_max_pool(input, output_size, return_indices, 1)


@op(method=False, export=False)
def adaptive_max_pool2d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """Max pooling of an NCHW batch to ``output_size`` (an int or a pair; None keeps a size).

    Window ``i`` of ``out`` along a size ``n`` covers ``[floor(i*n/out), ceil((i+1)*n/out))``;
    the first maximum of a window (a NaN, if any) wins and gets the gradient.
    ``return_indices`` also gives its flat index ``h * W + w`` in the input plane.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> x = minigrad.arange(9.0).reshape(1, 1, 3, 3)
        >>> F.adaptive_max_pool2d(x, 2, return_indices=True)
        (tensor([[[[4., 5.],
                  [7., 8.]]]]), tensor([[[[4, 5],
                  [7, 8]]]]))
    """
    return _adaptive_max_pool(input, output_size, return_indices, 2)
