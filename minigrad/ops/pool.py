"""Pooling over NCHW batches: max_pool2d, avg_pool2d and adaptive_avg_pool2d.

Windows come from the same strided views as convolution (:mod:`minigrad.ops.conv`).
When the windows tile the input exactly (kernel == stride, no padding, no
dilation) pooling is a reshape and a reduction; otherwise a loop over the
``kh*kw`` kernel offsets, each a strided slice of the whole padded batch.

Tie rule (PyTorch's, on the CPU): max pooling picks, in each window, the first
maximum in row-major order (strict ``>``), except that a NaN beats any number
(and a later NaN an earlier one). The whole gradient of a window goes to that
one element. A window that holds only ``-inf`` points at its first element
inside the input. Its backward scatters by the saved indices (a plain
assignment when windows cannot overlap, a ``bincount`` when they can); avg
pooling spreads the gradient evenly over each window.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.autograd import Context, Function, is_grad_enabled
from minigrad.ops.conv import Pads, Pair, _col2im, _offset_slice, _pad, as_batch, pair
from minigrad.tensor import Tensor

__all__ = ["adaptive_avg_pool2d", "avg_pool2d", "max_pool2d"]


def _pool_out_size(size: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> int:
    """PyTorch's pooling output size (a ceil-mode window must start inside the input)."""
    out = (size + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out


def _pool_pads(
    in_hw: Pair, kernel: Pair, stride: Pair, pad: Pair, dilation: Pair, out_hw: Pair
) -> Pads:
    """Top/bottom/left/right amounts that make the windows exactly cover the padded input."""
    need_h = (out_hw[0] - 1) * stride[0] + dilation[0] * (kernel[0] - 1) + 1
    need_w = (out_hw[1] - 1) * stride[1] + dilation[1] * (kernel[1] - 1) + 1
    return (pad[0], need_h - in_hw[0] - pad[0], pad[1], need_w - in_hw[1] - pad[1])


def _tiles_exactly(kernel: Pair, stride: Pair, pads: Pads, dilation: Pair) -> bool:
    """Windows side by side with no gap, overlap or padding: a reshape does the pooling."""
    return (
        kernel == stride
        and dilation == (1, 1)
        and pads[0] == pads[2] == 0
        and pads[1] <= 0
        and pads[3] <= 0
    )


def _max_pool_select(
    x: np.ndarray, kernel: Pair, stride: Pair, pad: Pair, dilation: Pair, out_hw: Pair
) -> tuple[np.ndarray, np.ndarray]:
    """Max of each window and its flat index ``h * W + w`` into the input's plane.

    A loop over the kh*kw kernel offsets, each one vectorised over the whole batch:
    the first maximum in row-major order wins (strict ``>``), NaN wins over numbers.
    """
    H, W = x.shape[2:]
    pads = _pool_pads((H, W), kernel, stride, pad, dilation, out_hw)
    xp = _pad(x, pads, value=-np.inf)
    has_nan = x.dtype.kind == "f" and bool(np.isnan(x).any())
    best = np.array(xp[_offset_slice(0, 0, stride, dilation, out_hw)], copy=True)
    taps = kernel[0] * kernel[1]
    arg = np.zeros(best.shape, dtype=np.uint8 if taps <= 256 else np.int32)  # offset in window
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            if i == j == 0:
                continue
            v = xp[_offset_slice(i, j, stride, dilation, out_hw)]
            take = v > best
            if has_nan:
                take |= np.isnan(v)
            np.copyto(best, v, where=take)
            np.copyto(arg, i * kernel[1] + j, where=take)
    rows = np.arange(out_hw[0]).reshape(-1, 1) * stride[0] - pad[0]
    cols = np.arange(out_hw[1]).reshape(1, -1) * stride[1] - pad[1]
    if not any(pads):  # every tap is inside the input: index = window start + tap offset
        a = np.arange(taps)
        tap_offset = (a // kernel[1]) * dilation[0] * W + (a % kernel[1]) * dilation[1]
        return best, (rows * W + cols) + tap_offset[arg]
    h = rows + (arg // kernel[1]) * dilation[0]
    w = cols + (arg % kernel[1]) * dilation[1]
    # A window holding only -inf keeps offset (0, 0), which may be padding: PyTorch
    # then points at the window's first element inside the input.
    outside = (h < 0) | (w < 0) | (h >= H) | (w >= W)
    if outside.any():
        h = np.where(outside, _first_inside(rows, dilation[0]), h)
        w = np.where(outside, _first_inside(cols, dilation[1]), w)
    # A window that holds no input element at all (dilation skipping over a tiny
    # input) gives -inf; its index is clamped into the plane, as a safe no-op target.
    return best, np.minimum(h, H - 1) * W + np.minimum(w, W - 1)


def _max_pool_values(
    x: np.ndarray, kernel: Pair, stride: Pair, pad: Pair, dilation: Pair, out_hw: Pair
) -> np.ndarray:
    """Max of each window, without indices (nothing to differentiate); NaN propagates."""
    pads = _pool_pads(x.shape[2:], kernel, stride, pad, dilation, out_hw)
    if _tiles_exactly(kernel, stride, pads, dilation):
        N, C = x.shape[:2]
        xc = x[:, :, : out_hw[0] * kernel[0], : out_hw[1] * kernel[1]]
        return xc.reshape(N, C, out_hw[0], kernel[0], out_hw[1], kernel[1]).max(axis=(3, 5))
    xp = _pad(x, pads, value=-np.inf)
    best = np.array(xp[_offset_slice(0, 0, stride, dilation, out_hw)], copy=True)
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            if i or j:
                np.maximum(best, xp[_offset_slice(i, j, stride, dilation, out_hw)], out=best)
    return best


def _first_inside(start: np.ndarray, d: int) -> np.ndarray:
    """The first position ``start + k * d`` (k >= 0) that is not negative."""
    return start + (np.maximum(-start, 0) + d - 1) // d * d


def _gather(x: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``out[n, c, i, j] = x[n, c].flat[index[n, c, i, j]]``."""
    N, C = x.shape[:2]
    flat = x.reshape(N, C, -1)
    return np.take_along_axis(flat, index.reshape(N, C, -1), axis=2).reshape(index.shape)


def _scatter(
    g: np.ndarray, index: np.ndarray, in_shape: tuple[int, ...], overlap: bool
) -> np.ndarray:
    """The adjoint of ``_gather``: add ``g`` into zeros of ``in_shape`` at ``index``."""
    N, C, H, W = in_shape
    if not overlap:  # no input element is in two windows: a plain assignment
        out = np.zeros((N, C, H * W), dtype=g.dtype)
        np.put_along_axis(out, index.reshape(N, C, -1), g.reshape(N, C, -1), axis=2)
        return out.reshape(in_shape)
    base = (np.arange(N * C, dtype=np.int64) * (H * W)).reshape(N, C, 1, 1)
    summed = np.bincount((index + base).ravel(), weights=g.ravel(), minlength=N * C * H * W)
    return summed.astype(g.dtype, copy=False).reshape(in_shape)


def _overlap(pool: dict[str, Any]) -> bool:
    """Whether an input element can fall in two windows."""
    return any(
        s < d * (k - 1) + 1
        for k, s, d in zip(pool["kernel_size"], pool["stride"], pool["dilation"])
    )


class MaxPool2d(Function):
    """Pick the element at ``index`` (flat per (n, c) plane) for every window.

    ``index`` comes from :func:`_max_pool_select` (like ``max(dim)``, the choice is
    made outside the differentiable op); ``picked``, if given, is the already
    gathered result. attrs: kernel_size, stride, padding, dilation, ceil_mode.
    """

    @staticmethod
    def forward(ctx: Context, x: Any, index: np.ndarray, picked: Any, **pool: Any) -> Any:
        ctx.index, ctx.in_shape = index, x.shape
        return picked if picked is not None else _gather(x, index)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        gx = MaxPool2dBackward.apply(grad, ctx.index, in_shape=ctx.in_shape, **ctx.attrs)
        return gx, None, None


class MaxPool2dBackward(Function):
    """Add the gradient into the input elements that max pooling picked."""

    @staticmethod
    def forward(ctx: Context, g: Any, index: np.ndarray, in_shape: Any, **pool: Any) -> Any:
        ctx.index = index
        return _scatter(g, index, tuple(in_shape), _overlap(pool))

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        pool = {k: v for k, v in ctx.attrs.items() if k != "in_shape"}
        return MaxPool2d.apply(grad, ctx.index, None, **pool), None


def _avg_divisor(in_hw: Pair, out_hw: Pair, pool: dict[str, Any]) -> Any:
    """PyTorch's divisor for each output position: an ``(OH, OW)`` array or a number."""
    if pool["divisor_override"]:
        return pool["divisor_override"]
    kernel, stride, pad = pool["kernel_size"], pool["stride"], pool["padding"]
    sizes = []
    for a in range(2):
        start = np.arange(out_hw[a]) * stride[a] - pad[a]
        end = np.minimum(start + kernel[a], in_hw[a] + pad[a])
        if not pool["count_include_pad"]:
            start, end = np.maximum(start, 0), np.minimum(end, in_hw[a])
        sizes.append(end - start)
    divisor = np.outer(sizes[0], sizes[1])
    return int(divisor.flat[0]) if (divisor == divisor.flat[0]).all() else divisor


def _avg_pads(in_hw: Pair, out_hw: Pair, pool: dict[str, Any]) -> Pads:
    return _pool_pads(in_hw, pool["kernel_size"], pool["stride"], pool["padding"], (1, 1), out_hw)


def _avg_pool_forward(x: np.ndarray, out_hw: Pair, pool: dict[str, Any]) -> np.ndarray:
    N, C, H, W = x.shape
    kernel, stride = pool["kernel_size"], pool["stride"]
    pads = _avg_pads((H, W), out_hw, pool)
    if _tiles_exactly(kernel, stride, pads, (1, 1)):
        xc = x[:, :, : out_hw[0] * kernel[0], : out_hw[1] * kernel[1]]
        total = xc.reshape(N, C, out_hw[0], kernel[0], out_hw[1], kernel[1]).sum((3, 5))
    else:
        xp = _pad(x, pads)
        total = np.array(xp[_offset_slice(0, 0, stride, (1, 1), out_hw)], copy=True)
        for i in range(kernel[0]):
            for j in range(kernel[1]):
                if i or j:
                    total += xp[_offset_slice(i, j, stride, (1, 1), out_hw)]
    total /= np.asarray(_avg_divisor((H, W), out_hw, pool), dtype=x.dtype)
    return total


def _avg_pool_backward(g: np.ndarray, in_hw: Pair, pool: dict[str, Any]) -> np.ndarray:
    N, C, OH, OW = g.shape
    kernel, stride = pool["kernel_size"], pool["stride"]
    gs = g / np.asarray(_avg_divisor(in_hw, (OH, OW), pool), dtype=g.dtype)
    pads = _avg_pads(in_hw, (OH, OW), pool)
    if _tiles_exactly(kernel, stride, pads, (1, 1)):
        tiles = np.broadcast_to(gs[:, :, :, None, :, None], (N, C, OH, kernel[0], OW, kernel[1]))
        tiles = tiles.reshape(N, C, OH * kernel[0], OW * kernel[1])
        if tiles.shape[2:] == tuple(in_hw):
            return tiles
        out = np.zeros((N, C, *in_hw), dtype=g.dtype)
        out[:, :, : tiles.shape[2], : tiles.shape[3]] = tiles
        return out
    cols = np.broadcast_to(gs[:, :, None, None], (N, C, kernel[0], kernel[1], OH, OW))
    return _col2im(cols, tuple(in_hw), stride, pads, (1, 1))


class AvgPool2d(Function):
    """Mean over each window; attrs: kernel_size, stride, padding, ceil_mode,
    count_include_pad, divisor_override (and the output size, out_hw)."""

    @staticmethod
    def forward(ctx: Context, x: Any, **pool: Any) -> Any:
        ctx.in_hw = x.shape[2:]
        return _avg_pool_forward(x, pool["out_hw"], pool)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return AvgPool2dBackward.apply(grad, in_hw=ctx.in_hw, **ctx.attrs)


class AvgPool2dBackward(Function):
    """Spread each gradient value evenly over its window (the adjoint of AvgPool2d)."""

    @staticmethod
    def forward(ctx: Context, g: Any, in_hw: Pair, **pool: Any) -> Any:
        return _avg_pool_backward(g, tuple(in_hw), pool)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        pool = {k: v for k, v in ctx.attrs.items() if k != "in_hw"}
        return AvgPool2d.apply(grad, **pool)


# --------------------------------------------------------------------------- functional


def _pool_args(
    who: str, x: Tensor, kernel_size: Any, stride: Any, padding: Any, dilation: Any, ceil_mode: bool
) -> tuple[Pair, Pair, Pair, Pair, Pair]:
    """Checked (kernel, stride, padding, dilation, output size)."""
    if x.dtype.kind != "f":
        raise TypeError(f"{who}: input must be floating point, got {x.dtype}")
    kernel = pair(kernel_size, "kernel_size", who, 1)
    stride = (
        kernel if stride is None or stride == [] or stride == () else pair(stride, "stride", who, 1)
    )
    pad = pair(padding, "padding", who, 0)
    dilation = pair(dilation, "dilation", who, 1)
    if pad[0] > kernel[0] // 2 or pad[1] > kernel[1] // 2:
        raise ValueError(f"{who}: padding {pad} must be at most half of the kernel size {kernel}")
    H, W = x.shape[2:]
    out_hw = (
        _pool_out_size(H, kernel[0], stride[0], pad[0], dilation[0], ceil_mode),
        _pool_out_size(W, kernel[1], stride[1], pad[1], dilation[1], ceil_mode),
    )
    if min(out_hw) < 1:
        extent = (dilation[0] * (kernel[0] - 1) + 1, dilation[1] * (kernel[1] - 1) + 1)
        raise RuntimeError(
            f"{who}: kernel size {extent} (after dilation) is larger than the padded input "
            f"{(H + 2 * pad[0], W + 2 * pad[1])} (input {(H, W)} with padding {pad})"
        )
    return kernel, stride, pad, dilation, out_hw


def max_pool2d(
    input: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Any:
    """2-D max pooling of an NCHW batch (windows may overlap).

    Args:
        input: ``(N, C, H, W)`` or ``(C, H, W)``.
        kernel_size, stride (default: ``kernel_size``), padding (implicit ``-inf``,
            at most half the kernel), dilation: ints or pairs.
        ceil_mode: round the output size up (a last, partial window is kept if it
            starts inside the input or its left padding).
        return_indices: also return, for each output, the flat index ``h * W + w``
            of the element it picked in its input plane.

    Ties: the first maximum of the window in row-major order wins, and gets the
    whole gradient (a NaN beats any number), as in PyTorch.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> x = minigrad.tensor([[[[1.0, 2.0], [4.0, 4.0]]]], requires_grad=True)
        >>> y, idx = F.max_pool2d(x, 2, return_indices=True)
        >>> y, idx
        (tensor([[[[4.]]]], grad_fn=<MaxPool2dBackward>), tensor([[[[2]]]]))
        >>> y.sum().backward()
        >>> x.grad
        tensor([[[[0., 0.],
                  [1., 0.]]]])
    """
    who = "max_pool2d"
    x, unbatched = as_batch(input, who)
    kernel, stride, pad, dilation, out_hw = _pool_args(
        who, x, kernel_size, stride, padding, dilation, ceil_mode
    )
    if not return_indices and not (is_grad_enabled() and x.requires_grad):
        out = Tensor._make(_max_pool_values(x.data, kernel, stride, pad, dilation, out_hw))
        return out.squeeze(0) if unbatched else out
    values, index = _max_pool_select(x.data, kernel, stride, pad, dilation, out_hw)
    out = MaxPool2d.apply(
        x,
        index,
        values,
        kernel_size=kernel,
        stride=stride,
        padding=pad,
        dilation=dilation,
        ceil_mode=bool(ceil_mode),
    )
    indices = Tensor._make(index)
    if unbatched:
        out, indices = out.squeeze(0), indices.squeeze(0)
    return (out, indices) if return_indices else out


def avg_pool2d(
    input: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> Tensor:
    """2-D average pooling of an NCHW batch.

    Args:
        input: ``(N, C, H, W)`` or ``(C, H, W)``.
        kernel_size, stride (default: ``kernel_size``), padding (zeros, at most
            half the kernel): ints or pairs.
        ceil_mode: round the output size up.
        count_include_pad: count the zero padding in the divisor (never the part of a
            ceil-mode window past the padding), as PyTorch.
        divisor_override: divide every window sum by this number instead.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.avg_pool2d(minigrad.arange(16.0).reshape(1, 1, 4, 4), 2)
        tensor([[[[ 2.5,  4.5],
                  [10.5, 12.5]]]])
    """
    who = "avg_pool2d"
    x, unbatched = as_batch(input, who)
    kernel, stride, pad, _, out_hw = _pool_args(who, x, kernel_size, stride, padding, 1, ceil_mode)
    if divisor_override is not None and (
        not isinstance(divisor_override, (int, np.integer)) or divisor_override == 0
    ):
        raise ValueError(
            f"{who}: divisor_override must be a non-zero int, got {divisor_override!r}"
        )
    out = AvgPool2d.apply(
        x,
        kernel_size=kernel,
        stride=stride,
        padding=pad,
        ceil_mode=bool(ceil_mode),
        count_include_pad=bool(count_include_pad),
        divisor_override=divisor_override,
        out_hw=out_hw,
    )
    return out.squeeze(0) if unbatched else out


def _adaptive_matrix(size: int, out: int, dtype: np.dtype) -> np.ndarray:
    """``(out, size)`` averaging matrix over PyTorch's adaptive windows
    ``[floor(i * size / out), ceil((i + 1) * size / out))``."""
    i = np.arange(out)
    start = (i * size) // out
    end = -((-(i + 1) * size) // out)
    pos = np.arange(size)
    inside = (pos >= start[:, None]) & (pos < end[:, None])
    return (inside / (end - start)[:, None]).astype(dtype)


def adaptive_avg_pool2d(input: Tensor, output_size: Any) -> Tensor:
    """Average pooling to a fixed output size, with PyTorch's window bounds.

    Args:
        input: ``(N, C, H, W)`` or ``(C, H, W)``.
        output_size: an int or a pair; ``None`` in a pair keeps that input size.

    Window ``i`` of ``out`` along a size ``n`` covers ``[floor(i*n/out), ceil((i+1)*n/out))``.
    When the sizes divide it is :func:`avg_pool2d`; otherwise the pooling is
    separable, ``P_h @ x @ P_w.T`` with constant averaging matrices.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.adaptive_avg_pool2d(minigrad.arange(9.0).reshape(1, 1, 3, 3), 2)
        tensor([[[[2., 3.],
                  [5., 6.]]]])
    """
    who = "adaptive_avg_pool2d"
    x, unbatched = as_batch(input, who)
    H, W = x.shape[2:]
    if isinstance(output_size, (tuple, list)) and len(output_size) == 2:
        output_size = tuple(n if o is None else o for o, n in zip(output_size, (H, W)))
    OH, OW = pair(output_size, "output_size", who, 1)
    if x.dtype.kind != "f":
        raise TypeError(f"{who}: input must be floating point, got {x.dtype}")
    if (OH, OW) == (1, 1):
        out = x.mean((2, 3), keepdim=True)
    elif H % OH == 0 and W % OW == 0:
        out = avg_pool2d(x, (H // OH, W // OW))
    else:
        rows = Tensor._make(_adaptive_matrix(H, OH, x.dtype))
        cols = Tensor._make(_adaptive_matrix(W, OW, x.dtype).T.copy())
        out = rows @ x @ cols
    return out.squeeze(0) if unbatched else out
