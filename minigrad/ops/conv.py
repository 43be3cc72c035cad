"""Convolution over NCHW batches: conv2d and conv_transpose2d, with the window
helpers that pooling (:mod:`minigrad.ops.pool`) shares.

The scheme (see ``docs/conv.md``): the padded batch is viewed through strided
windows (``as_strided``, no copy) of shape ``(N, C, kh, kw, OH, OW)``; one copy
turns the view into columns ("im2col") and BLAS multiplies them by the weight
``(O, C*kh*kw)`` in one NumPy call: per sample (or per slice of a sample's
pixels) while each product is small enough for OpenBLAS to run on one thread,
else as one large product over the whole batch.
The gradient of the input is the transposed convolution: a product with the
transposed weight, then the columns are added back onto the image ("col2im")
with one strided add per kernel offset (``kh*kw`` NumPy calls over the whole
batch; measured faster than the loop-free alternatives). The gradient of the
weight is a product of the output gradient with the columns the forward kept.

Three Functions close under differentiation, so double backward works:
``Conv2d`` (x, w) -> y, its input gradient ``ConvTranspose2d`` (g, w) -> x-shaped,
and its weight gradient ``Conv2dWeight`` (x, g) -> w-shaped; each one's
backward is written with the other two.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

from minigrad.autograd import ArrayFunction as Function
from minigrad.autograd import Context
from minigrad.ops._blas import ONE_THREAD_WORK, SPLIT_UP_TO
from minigrad.ops._util import as_tensor
from minigrad.tensor import Tensor

__all__ = ["conv2d", "conv_transpose2d"]

Pair = tuple[int, int]
Pads = tuple[int, int, int, int]  # top, bottom, left, right

# --------------------------------------------------------------------------- window helpers


def _pad(x: np.ndarray, pads: Pads, value: float = 0.0) -> np.ndarray:
    """Pad (or crop, for negative bottom/right amounts) the last two axes of ``x``."""
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
    out = np.full((N, C, H + top + bottom, W + left + right), value, dtype=x.dtype)
    out[:, :, top : top + H, left : left + W] = x
    return out


def _window_view(
    xp: np.ndarray, kernel: Pair, stride: Pair, dilation: Pair, out_hw: Pair
) -> np.ndarray:
    """A read-only view ``(N, C, kh, kw, OH, OW)`` of the windows of a padded batch."""
    N, C = xp.shape[:2]
    sN, sC, sH, sW = xp.strides
    shape = (N, C, kernel[0], kernel[1], out_hw[0], out_hw[1])
    strides = (sN, sC, sH * dilation[0], sW * dilation[1], sH * stride[0], sW * stride[1])
    return as_strided(xp, shape, strides, writeable=False)


def _offset_slice(i: int, j: int, stride: Pair, dilation: Pair, out_hw: Pair) -> Any:
    """The index of the elements at kernel offset (i, j) of every window."""
    h0, w0 = i * dilation[0], j * dilation[1]
    return (
        slice(None),
        slice(None),
        slice(h0, h0 + stride[0] * (out_hw[0] - 1) + 1, stride[0]),
        slice(w0, w0 + stride[1] * (out_hw[1] - 1) + 1, stride[1]),
    )


def _out_size(size: int, k: int, s: int, lo: int, hi: int, d: int) -> int:
    return (size + lo + hi - d * (k - 1) - 1) // s + 1


def _im2col(
    x: np.ndarray,
    kernel: Pair,
    stride: Pair,
    pads: Pads,
    dilation: Pair,
    out_hw: Pair,
    per_sample: bool,
) -> np.ndarray:
    """The windows of ``x`` as columns, in one copy: ``(N, C*kh*kw, OH*OW)`` for one
    product per sample, else ``(C*kh*kw, N*OH*OW)`` for one product over the batch."""
    N, C = x.shape[:2]
    rows = C * kernel[0] * kernel[1]
    if kernel == (1, 1) and stride == (1, 1) and not any(pads):
        view = x[:, :, None, None]
    else:
        view = _window_view(_pad(x, pads), kernel, stride, dilation, out_hw)
    if per_sample:
        return np.ascontiguousarray(view).reshape(N, rows, -1)
    return np.ascontiguousarray(view.transpose(1, 2, 3, 0, 4, 5)).reshape(rows, -1)


def _col2im(cols: np.ndarray, in_hw: Pair, stride: Pair, pads: Pads, dilation: Pair) -> np.ndarray:
    """Add columns ``(N, C, kh, kw, OH, OW)`` (any strides) back onto an image ``(N, C, H, W)``.

    One strided add per kernel offset, each over the whole batch.
    """
    N, C, kh, kw, OH, OW = cols.shape
    top, bottom, left, right = pads
    # Negative bottom/right amounts (pooling's floor mode) leave the last rows untouched.
    Hp = max(in_hw[0] + top + max(bottom, 0), dilation[0] * (kh - 1) + stride[0] * (OH - 1) + 1)
    Wp = max(in_hw[1] + left + max(right, 0), dilation[1] * (kw - 1) + stride[1] * (OW - 1) + 1)
    out = np.zeros((N, C, Hp, Wp), dtype=cols.dtype)
    for i in range(kh):
        for j in range(kw):
            out[_offset_slice(i, j, stride, dilation, (OH, OW))] += cols[:, :, i, j]
    if (Hp, Wp) == in_hw:
        return out
    return np.ascontiguousarray(out[:, :, top : top + in_hw[0], left : left + in_hw[1]])


# --------------------------------------------------------------------------- conv kernels
#
# The three products of a convolution (forward, input gradient, weight gradient)
# all have m*n*k = (O/G) * (C/G*kh*kw) * (OH*OW) per sample and group. OpenBLAS
# runs a product on one thread when m*n*k <= 4 * 65536; a threaded product wakes
# and synchronises its threads, which on a busy machine can cost a scheduler
# tick each time. So, up to a total of SPLIT_UP_TO, every product is one sample
# (or a slice of its pixels) small enough for one thread: one batched matmul
# call, NCHW out directly. Above it, one product over the whole batch, columns
# laid out (C*kh*kw, N*OH*OW), so that BLAS's threads share one large product.
# Orientation as measured in OpenBLAS: the batch-wide weight gradient as
# ``cols @ g.T`` ((C*kh*kw, N*L) x (N*L, O)), several times faster than
# ``g @ cols.T`` for the same work.
_SMALL_GEMM = ONE_THREAD_WORK
_SPLIT_UP_TO = SPLIT_UP_TO


def _pieces(x_shape: tuple[int, ...], w_shape: tuple[int, ...], out_hw: Pair, groups: int) -> int:
    """Into how many slices to cut each sample's pixels so that every product runs on
    one thread (1: whole samples), or 0 for one product over the whole batch."""
    N, C = x_shape[:2]
    O, _, kh, kw = w_shape
    pixels = out_hw[0] * out_hw[1]
    work = (O // groups) * (C // groups * kh * kw) * pixels
    if work <= _SMALL_GEMM:
        return 1
    if work * N * groups > _SPLIT_UP_TO:
        return 0
    for p in range(2, pixels + 1):
        if pixels % p == 0 and work // p <= _SMALL_GEMM:
            return p
    return 0


def _sliced(a: np.ndarray, groups: int, pieces: int) -> np.ndarray:
    """``(N, G*R, L) -> (N, G, P, R, L/P)``: a view, the pixels cut into slices."""
    N, _, L = a.shape
    return a.reshape(N, groups, -1, pieces, L // pieces).transpose(0, 1, 3, 2, 4)


def _unsliced_empty(N: int, groups: int, rows: int, L: int, pieces: int, dtype: Any) -> Any:
    """An ``(N, G*rows, L)`` array and its ``(N, G, P, rows, L/P)`` view, to write into."""
    out = np.empty((N, groups * rows, L), dtype=dtype)
    return out, _sliced(out, groups, pieces)


def _batch_last(g: np.ndarray, groups: int) -> np.ndarray:
    """``(N, O, OH, OW) -> (G, O/G, N*OH*OW)`` (one copy)."""
    O = g.shape[1]
    return np.ascontiguousarray(g.transpose(1, 0, 2, 3)).reshape(groups, O // groups, -1)


def _conv_forward(
    x: np.ndarray, w: np.ndarray, stride: Pair, padding: Pads, dilation: Pair, groups: int
) -> tuple[np.ndarray, np.ndarray | None]:
    """The convolution, and its columns (kept for the weight gradient, which saves
    copying them again: as much time as a product in the small layers)."""
    N, _, H, W = x.shape
    O, _, kh, kw = w.shape
    OH = _out_size(H, kh, stride[0], padding[0], padding[1], dilation[0])
    OW = _out_size(W, kw, stride[1], padding[2], padding[3], dilation[1])
    pieces = _pieces(x.shape, w.shape, (OH, OW), groups)
    cols = _im2col(x, (kh, kw), stride, padding, dilation, (OH, OW), pieces > 0)
    wg = w.reshape(groups, O // groups, -1)
    if pieces:
        y, view = _unsliced_empty(N, groups, O // groups, OH * OW, pieces, x.dtype)
        np.matmul(wg[:, None], _sliced(cols, groups, pieces), out=view)
        return y.reshape(N, O, OH, OW), cols
    y = np.matmul(wg, cols.reshape(groups, -1, cols.shape[1]))  # (G, O/G, N*L)
    return np.ascontiguousarray(y.reshape(O, N, OH, OW).transpose(1, 0, 2, 3)), cols


def _conv_transpose_forward(
    g: np.ndarray,
    w: np.ndarray,
    in_hw: Pair,
    stride: Pair,
    padding: Pads,
    dilation: Pair,
    groups: int,
) -> np.ndarray:
    """The adjoint of ``_conv_forward`` in its input: ``(N, O, OH, OW) -> (N, C, H, W)``."""
    N, O, OH, OW = g.shape
    _, Cg, kh, kw = w.shape
    wt = w.reshape(groups, O // groups, -1).transpose(0, 2, 1)  # (G, Cg*kh*kw, O/G)
    pieces = _pieces((N, Cg * groups), w.shape, (OH, OW), groups)
    if pieces <= 1 and stride == (1, 1):
        return _conv_transpose_rows(g, wt, in_hw, padding, dilation, (kh, kw), pieces == 1)
    if pieces:
        cols, view = _unsliced_empty(N, groups, Cg * kh * kw, OH * OW, pieces, g.dtype)
        np.matmul(wt[:, None], _sliced(g.reshape(N, O, -1), groups, pieces), out=view)
        cols = cols.reshape(N, groups * Cg, kh, kw, OH, OW)
    else:
        cols = np.matmul(wt, _batch_last(g, groups))  # (G, Cg*kh*kw, N*L)
        cols = cols.reshape(groups * Cg, kh, kw, N, OH, OW).transpose(3, 0, 1, 2, 4, 5)
    return _col2im(cols, in_hw, stride, padding, dilation)


def _conv_transpose_rows(
    g: np.ndarray,
    wt: np.ndarray,
    in_hw: Pair,
    padding: Pads,
    dilation: Pair,
    kernel: Pair,
    per_sample: bool,
) -> np.ndarray:
    """``_conv_transpose_forward`` for stride 1, with whole rows per add.

    The output gradient is widened with zeros to the padded image's width, so the
    columns of one kernel offset land on the flattened image as one contiguous
    run: each of the kh*kw adds then moves long runs instead of OW-long pieces
    (the zero columns add nothing where they spill into the next row).
    """
    N, O, OH, OW = g.shape
    G, K, _ = wt.shape
    taps = kernel[0] * kernel[1]
    C = G * K // taps
    top, bottom, left, right = padding
    Hp, Wp = in_hw[0] + top + bottom, in_hw[1] + left + right
    span = OH * Wp
    if per_sample:  # one product per sample: (N, G, Cg*kh*kw, OH*Wp)
        wide = np.zeros((N, O, OH, Wp), dtype=g.dtype)
        wide[..., :OW] = g
        cols = np.matmul(wt, wide.reshape(N, G, O // G, span)).reshape(N, C, taps, span)
        out = np.zeros((N, C, (Hp + 1) * Wp), dtype=g.dtype)  # a row of slack
    else:  # one product over the batch: (G, Cg*kh*kw, N*OH*Wp)
        wide = np.zeros((O, N, OH, Wp), dtype=g.dtype)
        wide[..., :OW] = g.transpose(1, 0, 2, 3)
        cols = np.matmul(wt, wide.reshape(G, O // G, N * span))
        cols = cols.reshape(C, taps, N, span).transpose(2, 0, 1, 3)  # (N, C, taps, span) view
        out = np.zeros((C, N, (Hp + 1) * Wp), dtype=g.dtype).transpose(1, 0, 2)
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            start = i * dilation[0] * Wp + j * dilation[1]
            out[:, :, start : start + span] += cols[:, :, i * kernel[1] + j]
    image = out[:, :, : Hp * Wp].reshape(N, C, Hp, Wp)
    return np.ascontiguousarray(image[:, :, top : top + in_hw[0], left : left + in_hw[1]])


def _conv_weight(
    x: np.ndarray,
    g: np.ndarray,
    kernel: Pair,
    stride: Pair,
    padding: Pads,
    dilation: Pair,
    groups: int,
    cols: np.ndarray | None = None,
) -> np.ndarray:
    """The gradient of ``_conv_forward`` in its weight, for output gradient ``g``
    (``cols``: the forward's columns of ``x``, if it kept them)."""
    N, C = x.shape[:2]
    O, OH, OW = g.shape[1:]
    w_shape = (O, C // groups, *kernel)
    pieces = _pieces(x.shape, w_shape, (OH, OW), groups)
    if cols is None:
        cols = _im2col(x, kernel, stride, padding, dilation, (OH, OW), pieces > 0)
    if pieces:
        cs = _sliced(cols, groups, pieces).transpose(0, 1, 2, 4, 3)  # (N, G, P, L/P, Cg*kh*kw)
        gw = np.matmul(_sliced(g.reshape(N, O, -1), groups, pieces), cs).sum((0, 2))
        return gw.reshape(w_shape)
    gw = _contract_batch(_batch_last(g, groups), cols.reshape(groups, -1, cols.shape[1]))
    return gw.reshape(w_shape)


def _piece_size(out_rows: int, inner_rows: int, total: int) -> int:
    """The length of single-threaded pieces of the long axis (0: one threaded product).

    Pieces shorter than 256 would make BLAS inefficient.
    """
    size = _SMALL_GEMM // (out_rows * inner_rows)
    return size if 256 <= size < total else 0


def _contract_batch(g: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``g @ cols.T`` over the long axis: ``(G, O, N*L), (G, K, N*L) -> (G, O, K)``.

    A threaded BLAS product synchronises its threads once per block of the long
    axis, hundreds of times here, and each wait can cost a scheduler tick on a
    busy machine. When the output is small, the long axis is cut into pieces
    whose products OpenBLAS runs on one thread, with no synchronisation at all.
    """
    G, O, total = g.shape
    K = cols.shape[1]
    size = _piece_size(O, K, total)
    if not size:  # a large output: one threaded product
        gw = np.matmul(cols, g.transpose(0, 2, 1))  # (G, K, O): the faster orientation
        return np.ascontiguousarray(gw.transpose(0, 2, 1))
    pieces = total // size
    main = pieces * size
    gp = g[:, :, :main].reshape(G, O, pieces, size).transpose(0, 2, 1, 3)
    cp = cols[:, :, :main].reshape(G, K, pieces, size).transpose(0, 2, 3, 1)
    gw = np.matmul(gp, cp).sum(1)
    if main < total:
        gw += np.matmul(g[:, :, main:], cols[:, :, main:].transpose(0, 2, 1))
    return gw


def _add_bias(y: np.ndarray, b: Any) -> np.ndarray:
    if b is not None:
        y += b.reshape(1, -1, 1, 1)
    return y


class Conv2d(Function):
    """``y = conv2d(x, w) + b``; attrs: stride, padding (top, bottom, left, right),
    dilation, groups."""

    @staticmethod
    def forward(ctx: Context, x: Any, w: Any, b: Any, **conv: Any) -> Any:
        y, cols = _conv_forward(x, w, **conv)
        ctx.save_for_backward(x, w, cols)
        return _add_bias(y, b)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        x, w, cols = ctx.saved_tensors
        conv = ctx.attrs
        gx = gw = gb = None
        if ctx.needs_input_grad[0]:
            gx = ConvTranspose2d.apply(grad, w, None, in_hw=x.shape[2:], **conv)
        if ctx.needs_input_grad[1]:
            cols_data = None if cols is None else cols.data
            gw = Conv2dWeight.apply(x, grad, cols_data, kernel=w.shape[2:], **conv)
        if ctx.needs_input_grad[2]:
            gb = grad.sum((0, 2, 3))
        return gx, gw, gb


class ConvTranspose2d(Function):
    """``z = conv2d_input_adjoint(g, w) + b`` into an image of size ``in_hw``."""

    @staticmethod
    def forward(ctx: Context, g: Any, w: Any, b: Any, in_hw: Pair, **conv: Any) -> Any:
        ctx.save_for_backward(g, w)
        return _add_bias(_conv_transpose_forward(g, w, (in_hw[0], in_hw[1]), **conv), b)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        g, w = ctx.saved_tensors
        conv = {k: v for k, v in ctx.attrs.items() if k != "in_hw"}
        gg = gw = gb = None
        if ctx.needs_input_grad[0]:
            gg = Conv2d.apply(grad, w, None, **conv)
        if ctx.needs_input_grad[1]:
            gw = Conv2dWeight.apply(grad, g, None, kernel=w.shape[2:], **conv)
        if ctx.needs_input_grad[2]:
            gb = grad.sum((0, 2, 3))
        return gg, gw, gb


class Conv2dWeight(Function):
    """The weight gradient of conv2d as an op of (x, output gradient)."""

    @staticmethod
    def forward(ctx: Context, x: Any, g: Any, cols: Any, kernel: Pair, **conv: Any) -> Any:
        ctx.save_for_backward(x, g)
        return _conv_weight(x, g, (kernel[0], kernel[1]), **conv, cols=cols)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        x, g = ctx.saved_tensors
        conv = {k: v for k, v in ctx.attrs.items() if k != "kernel"}
        gx = gg = None
        if ctx.needs_input_grad[0]:
            gx = ConvTranspose2d.apply(g, grad, None, in_hw=x.shape[2:], **conv)
        if ctx.needs_input_grad[1]:
            gg = Conv2d.apply(x, grad, None, **conv)
        return gx, gg, None


# --------------------------------------------------------------------------- arguments


def pair(value: Any, name: str, who: str, minimum: int) -> Pair:
    """An int or a pair of ints as a pair, each at least ``minimum``."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        result = (int(value), int(value))
    elif (
        isinstance(value, (tuple, list))
        and len(value) in (1, 2)
        and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value)
    ):
        result = (int(value[0]), int(value[-1]))
    else:
        raise TypeError(f"{who}: {name} must be an int or a pair of ints, got {value!r}")
    if min(result) < minimum:
        raise ValueError(f"{who}: {name} must be at least {minimum}, got {value!r}")
    return result


def as_batch(input: Any, who: str) -> tuple[Tensor, bool]:
    """A 4-D (N, C, H, W) tensor, and whether the input was one unbatched (C, H, W) image."""
    x = as_tensor(input)
    if x.ndim == 3:
        return x.unsqueeze(0), True
    if x.ndim != 4:
        raise RuntimeError(
            f"{who}: expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got a {x.ndim}-D "
            f"input of shape {x.shape}"
        )
    return x, False


def _check_float(x: Tensor, w: Tensor, who: str) -> None:
    if x.dtype.kind != "f":
        raise TypeError(f"{who}: input must be floating point, got {x.dtype}")
    if x.dtype != w.dtype:
        raise TypeError(
            f"{who}: input is {x.dtype} but weight is {w.dtype}; cast one with .to() so they match"
        )


def _check_bias(bias: Any, out_channels: int, dtype: np.dtype, who: str) -> Tensor | None:
    if bias is None:
        return None
    b = as_tensor(bias)
    if b.shape != (out_channels,):
        raise RuntimeError(
            f"{who}: bias has shape {b.shape} but the op has {out_channels} output channels "
            f"(expected shape ({out_channels},))"
        )
    if b.dtype != dtype:
        raise TypeError(f"{who}: bias is {b.dtype} but input is {dtype}")
    return b


def _check_groups(groups: Any, channels: int, what: str, who: str, detail: str = "") -> int:
    if not isinstance(groups, (int, np.integer)) or isinstance(groups, bool) or groups < 1:
        raise ValueError(f"{who}: groups must be a positive int, got {groups!r}")
    if channels % groups:
        raise RuntimeError(
            f"{who}: groups={groups} does not divide the {what} ({channels}{detail})"
        )
    return int(groups)


def _conv_pads(padding: Any, kernel: Pair, stride: Pair, dilation: Pair, who: str) -> Pads:
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
        total = [d * (k - 1) for k, d in zip(kernel, dilation)]  # the extra goes after, as PyTorch
        return (total[0] // 2, total[0] - total[0] // 2, total[1] // 2, total[1] - total[1] // 2)
    ph, pw = pair(padding, "padding", who, 0)
    return (ph, ph, pw, pw)


# --------------------------------------------------------------------------- functional


def conv2d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """2-D convolution (cross-correlation, as PyTorch) of an NCHW batch.

    Args:
        input: ``(N, C, H, W)`` or one unbatched image ``(C, H, W)``.
        weight: ``(out_channels, C / groups, kh, kw)``.
        bias: ``(out_channels,)`` or None.
        stride, dilation: an int or a pair (height, width).
        padding: an int, a pair, ``'valid'`` (no padding) or ``'same'`` (output as
            large as the input; stride 1 only; an odd total goes after, as PyTorch).
        groups: split the channels into this many independent convolutions.

    Returns:
        ``(N, out_channels, OH, OW)`` with ``OH = (H + 2 * ph - dh * (kh - 1) - 1) // sh + 1``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> x = minigrad.ones(1, 1, 4, 4)
        >>> F.conv2d(x, minigrad.ones(2, 1, 3, 3), padding=1)[0, 0]
        tensor([[4., 6., 6., 4.],
                [6., 9., 9., 6.],
                [6., 9., 9., 6.],
                [4., 6., 6., 4.]])
    """
    who = "conv2d"
    x, unbatched = as_batch(input, who)
    w = as_tensor(weight)
    if w.ndim != 4:
        raise RuntimeError(
            f"{who}: weight must be 4-D (out_channels, in_channels / groups, kh, kw), got shape "
            f"{w.shape}"
        )
    _check_float(x, w, who)
    stride = pair(stride, "stride", who, 1)
    dilation = pair(dilation, "dilation", who, 1)
    C, (O, Cg, kh, kw) = x.shape[1], w.shape
    groups = _check_groups(groups, C, "input's channels", who)
    _check_groups(groups, O, "weight's output channels", who, f"; weight shape {w.shape}")
    if C != Cg * groups:
        raise RuntimeError(
            f"{who}: input has {C} channels but weight expects {Cg * groups} "
            f"(weight shape {w.shape}, groups={groups})"
        )
    pads = _conv_pads(padding, (kh, kw), stride, dilation, who)
    padded = (x.shape[2] + pads[0] + pads[1], x.shape[3] + pads[2] + pads[3])
    extent = (dilation[0] * (kh - 1) + 1, dilation[1] * (kw - 1) + 1)
    if extent[0] > padded[0] or extent[1] > padded[1]:
        raise RuntimeError(
            f"{who}: kernel size {extent} (after dilation) is larger than the padded input "
            f"{padded} (input {x.shape[2:]} with padding {pads[::2]})"
        )
    b = _check_bias(bias, O, x.dtype, who)
    out = Conv2d.apply(x, w, b, stride=stride, padding=pads, dilation=dilation, groups=groups)
    return out.squeeze(0) if unbatched else out


def conv_transpose2d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
) -> Tensor:
    """2-D transposed convolution: the gradient of :func:`conv2d` with respect to its input.

    Args:
        input: ``(N, C_in, H, W)`` or ``(C_in, H, W)``.
        weight: ``(C_in, out_channels / groups, kh, kw)`` (PyTorch's layout: it is
            the weight of the convolution this op transposes).
        bias: ``(out_channels,)`` or None.
        stride, padding, dilation: those of that convolution (ints or pairs).
        output_padding: extra rows/columns after the output (smaller than the stride),
            to pick among the input sizes a strided convolution maps to one size.

    Returns:
        ``(N, out_channels, OH, OW)`` with ``OH = (H - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> y = F.conv_transpose2d(minigrad.ones(1, 1, 2, 2), minigrad.ones(1, 1, 2, 2), stride=2)
        >>> y.shape, float(y.sum())
        ((1, 1, 4, 4), 16.0)
    """
    who = "conv_transpose2d"
    x, unbatched = as_batch(input, who)
    w = as_tensor(weight)
    if w.ndim != 4:
        raise RuntimeError(
            f"{who}: weight must be 4-D (in_channels, out_channels / groups, kh, kw), got shape "
            f"{w.shape}"
        )
    _check_float(x, w, who)
    stride = pair(stride, "stride", who, 1)
    dilation = pair(dilation, "dilation", who, 1)
    ph, pw = pair(padding, "padding", who, 0)
    out_pad = pair(output_padding, "output_padding", who, 0)
    C, (Cw, Og, kh, kw) = x.shape[1], w.shape
    groups = _check_groups(groups, C, "input's channels", who)
    if C != Cw:
        raise RuntimeError(
            f"{who}: input has {C} channels but weight expects {Cw} (weight shape {w.shape}: "
            f"in_channels first)"
        )
    if out_pad[0] >= stride[0] or out_pad[1] >= stride[1]:
        raise ValueError(
            f"{who}: output_padding {out_pad} must be smaller than the stride {stride}"
        )
    size = tuple(
        (n - 1) * s - 2 * p + d * (k - 1) + op + 1
        for n, s, p, d, k, op in zip(x.shape[2:], stride, (ph, pw), dilation, (kh, kw), out_pad)
    )
    if min(size) < 1:
        raise RuntimeError(f"{who}: padding {(ph, pw)} leaves an empty output (size {size})")
    b = _check_bias(bias, Og * groups, x.dtype, who)
    out = ConvTranspose2d.apply(
        x,
        w,
        b,
        in_hw=size,
        stride=stride,
        padding=(ph, ph, pw, pw),
        dilation=dilation,
        groups=groups,
    )
    return out.squeeze(0) if unbatched else out
