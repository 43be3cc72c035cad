"""Pooling over NCHW batches: max_pool2d, avg_pool2d and adaptive_avg_pool2d.

The math: every window's ``kh*kw`` elements are the ``kh*kw`` kernel offsets
("taps", :func:`minigrad.ops.windows.taps`), each a strided slice of the whole
padded batch; pooling combines them elementwise (a running max, a sum), and the
backward writes the gradient back through the same slices
(:mod:`minigrad.ops.windows` is shared with convolution). When the windows tile the input
exactly (kernel == stride, no padding, no dilation) no padded copy is made and
the backward writes instead of adding. (A reshape to ``(N, C, OH, kh, OW, kw)``
and a reduction over the window axes was measured 15-30x slower in NumPy.)

Tie rule (PyTorch's, on the CPU): max pooling picks, in each window, the first
maximum in row-major order (strict ``>``), except that a NaN beats any number
(and a later NaN an earlier one). The whole gradient of a window goes to that
one element. A window that holds only ``-inf`` points at its first element
inside the input. Max pooling records which tap won in each window (one byte);
its backward writes the gradient through each tap's slice where that tap won,
and adds where windows overlap. Avg pooling spreads the gradient evenly over
each window.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.autograd import ArrayFunction as Function
from minigrad.autograd import Context, is_grad_enabled
from minigrad.ops import _buffers as buffers
from minigrad.ops._blas import over_batch
from minigrad.ops._registry import op
from minigrad.ops.windows import Pads, Pair, as_batch, pad, pair, pool_geometry, pool_out_size
from minigrad.ops.windows import taps as window_taps
from minigrad.tensor import Tensor

__all__ = ["MAX_POOL_STRATEGIES", "adaptive_avg_pool2d", "avg_pool2d", "max_pool2d"]

#: How max pooling finds each window's first maximum: ``"masks"`` takes the running
#: max, then one bit per tap where it equals the max (the lowest set bit wins; up to
#: 8 taps and inputs without NaN, else it falls back to ``"compare"``); ``"compare"``
#: updates the max and its tap with one masked write per tap (NaN wins).
MAX_POOL_STRATEGIES = ("masks", "compare")


def _pool_pads(in_hw: Any, pool: dict[str, Any], out_hw: Any) -> Pads:
    """Top/bottom/left/right amounts that make the windows exactly cover the padded input
    (bottom/right are negative when the last rows are in no window)."""
    (kh, kw), (sh, sw), (ph, pw) = pool["kernel_size"], pool["stride"], pool["padding"]
    dh, dw = pool.get("dilation", (1, 1))
    need_h = (out_hw[0] - 1) * sh + dh * (kh - 1) + 1
    need_w = (out_hw[1] - 1) * sw + dw * (kw - 1) + 1
    return (ph, need_h - in_hw[0] - ph, pw, need_w - in_hw[1] - pw)


def _tiles_exactly(kernel: Pair, stride: Pair, pads: Pads, dilation: Pair) -> bool:
    """Windows side by side with no gap, overlap or padding: a reshape does the pooling."""
    return (
        kernel == stride
        and dilation == (1, 1)
        and pads[0] == pads[2] == 0
        and pads[1] <= 0
        and pads[3] <= 0
    )


def _taps(xp: np.ndarray, pool: dict[str, Any], out_hw: Pair) -> list[np.ndarray]:
    """The strided views of a padded batch at each kernel offset, in row-major order."""
    return window_taps(xp, pool["kernel_size"], pool["stride"], pool["dilation"], out_hw)


def _max_pool_select(
    x: np.ndarray, pool: dict[str, Any], out_hw: Pair, strategy: str | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The max of each window and which tap (kernel offset, row-major) holds it.

    The first maximum wins (strict ``>``); a NaN wins over numbers (the last NaN).
    ``strategy``: one of :data:`MAX_POOL_STRATEGIES` (None: ``"masks"`` where it applies).
    """
    if strategy not in (None, *MAX_POOL_STRATEGIES):
        raise ValueError(
            f"max_pool2d: strategy must be one of {MAX_POOL_STRATEGIES} or None, got {strategy!r}"
        )
    N, C = x.shape[:2]
    count = pool["kernel_size"][0] * pool["kernel_size"][1]
    best = buffers.empty((N, C, *out_hw), x.dtype)
    arg = buffers.empty((N, C, *out_hw), np.uint8 if count <= 256 else np.int32)

    def piece(lo: int, hi: int) -> None:  # pieces of the batch, on separate threads
        _select_into(x[lo:hi], pool, out_hw, strategy, best[lo:hi], arg[lo:hi])

    over_batch(piece, N, x.size)
    return best, arg


def _select_into(
    x: np.ndarray, pool: dict[str, Any], out_hw: Pair, strategy: str | None,
    best: np.ndarray, arg: np.ndarray,
) -> None:  # fmt: skip
    """:func:`_max_pool_select` of ``x`` written into ``best`` and ``arg``."""
    pads = _pool_pads(x.shape[2:], pool, out_hw)
    taps = _taps(pad(x, pads, value=-np.inf), pool, out_hw)
    if strategy != "compare" and len(taps) <= 8 and not np.isnan(x).any():
        np.copyto(best, taps[0])
        for v in taps[1:]:
            np.maximum(best, v, out=best)
        # Bit k set where tap k equals the max; the lowest set bit is the first maximum.
        hits = np.equal(taps[0], best, out=buffers.empty(best.shape, np.bool_)).view(np.uint8)
        hit = buffers.empty(best.shape, np.bool_)
        for k, v in enumerate(taps[1:], 1):
            bits = np.equal(v, best, out=hit).view(np.uint8)
            hits |= np.left_shift(bits, k, out=bits)
        np.take(_LOWEST_SET_BIT, hits, out=arg)
    else:
        _first_max_loop(taps, best, arg)
    if any(pads) and np.isneginf(best).any():
        # A window of only -inf picks its first element inside the input, as PyTorch.
        inside = _first_inside_tap(x.shape[2:], pool, out_hw).astype(arg.dtype)
        np.copyto(arg, inside, where=np.isneginf(best))


_LOWEST_SET_BIT = np.array([(m & -m).bit_length() - 1 if m else 0 for m in range(256)], np.uint8)


def _first_max_loop(taps: list[np.ndarray], best: np.ndarray, arg: np.ndarray) -> None:
    """Max and first arg-max over the taps into ``best`` and ``arg``, one masked update
    per tap (NaN wins)."""
    np.copyto(best, taps[0])
    arg.fill(0)
    for k, v in enumerate(taps[1:], 1):
        take = (v > best) | np.isnan(v)
        np.copyto(best, v, where=take)
        np.copyto(arg, k, where=take)


def _window_starts(pool: dict[str, Any], out_hw: Pair) -> tuple[np.ndarray, np.ndarray]:
    """Top rows ``(OH, 1)`` and left columns ``(1, OW)`` of the windows, in input coordinates."""
    (sh, sw), (ph, pw) = pool["stride"], pool["padding"]
    return (
        np.arange(out_hw[0]).reshape(-1, 1) * sh - ph,
        np.arange(out_hw[1]).reshape(1, -1) * sw - pw,
    )


def _first_inside_tap(in_hw: Any, pool: dict[str, Any], out_hw: Pair) -> np.ndarray:
    """``(OH, OW)``: the tap of each window's first element inside the input."""
    (dh, dw), kw = pool["dilation"], pool["kernel_size"][1]
    rows, cols = _window_starts(pool, out_hw)
    i = (np.maximum(-rows, 0) + dh - 1) // dh
    j = (np.maximum(-cols, 0) + dw - 1) // dw
    return i * kw + j


def _flat_index(arg: np.ndarray, in_hw: Any, pool: dict[str, Any]) -> np.ndarray:
    """The flat index ``h * W + w`` in the input plane of each window's chosen tap."""
    (dh, dw), kw = pool["dilation"], pool["kernel_size"][1]
    rows, cols = _window_starts(pool, arg.shape[2:])
    h = rows + (arg // kw) * dh
    w = cols + (arg % kw) * dw
    # A window holding no input element at all (dilation skipping over a tiny input)
    # gives -inf; its index is clamped into the plane.
    H, W = in_hw
    return np.clip(h, 0, H - 1) * W + np.clip(w, 0, W - 1)


def _max_pool_values(x: np.ndarray, pool: dict[str, Any], out_hw: Pair) -> np.ndarray:
    """Max of each window, without indices (nothing to differentiate); NaN propagates."""
    best = buffers.empty((*x.shape[:2], *out_hw), x.dtype)

    def piece(lo: int, hi: int) -> None:
        xs = x[lo:hi]
        taps = _taps(pad(xs, _pool_pads(xs.shape[2:], pool, out_hw), value=-np.inf), pool, out_hw)
        np.copyto(best[lo:hi], taps[0])
        for v in taps[1:]:
            np.maximum(best[lo:hi], v, out=best[lo:hi])

    over_batch(piece, x.shape[0], x.size)
    return best


def _gather_taps(x: np.ndarray, arg: np.ndarray, pool: dict[str, Any]) -> np.ndarray:
    """``out[..., i, j]`` = the element of window (i, j) at tap ``arg[..., i, j]``."""
    out_hw = arg.shape[2:]
    taps = _taps(pad(x, _pool_pads(x.shape[2:], pool, out_hw)), pool, out_hw)
    out = np.zeros(arg.shape, dtype=x.dtype)
    for k, v in enumerate(taps):
        out += np.where(arg == k, v, 0)
    return out


def _scatter_taps(
    g: np.ndarray, arg: np.ndarray, in_shape: Any, pool: dict[str, Any]
) -> np.ndarray:
    """The adjoint of :func:`_gather_taps`: add each ``g`` to the element its window chose.

    One strided add per tap over the whole batch (in pieces of the batch on
    separate threads); overlapping windows accumulate.
    """
    out = buffers.empty(tuple(in_shape), g.dtype)

    def piece(lo: int, hi: int) -> None:
        _scatter_into(g[lo:hi], arg[lo:hi], pool, out[lo:hi])

    over_batch(piece, in_shape[0], out.size)
    return out


def _scatter_into(g: np.ndarray, arg: np.ndarray, pool: dict[str, Any], out: np.ndarray) -> None:
    """:func:`_scatter_taps` into ``out`` (the input's shape)."""
    out_hw = arg.shape[2:]
    N, C, H, W = out.shape
    pads = _pool_pads((H, W), pool, out_hw)
    shape = (N, C, H + pads[0] + max(pads[1], 0), W + pads[2] + max(pads[3], 0))
    exact = _tiles_exactly(pool["kernel_size"], pool["stride"], pads, pool["dilation"])
    buf = out if shape == out.shape else buffers.empty(shape, g.dtype)
    if not (exact and pads[1] == pads[3] == 0):
        buf.fill(0)
    overlap = any(
        s < d * (k - 1) + 1
        for k, s, d in zip(pool["kernel_size"], pool["stride"], pool["dilation"])
    )
    won = buffers.empty(arg.shape, np.bool_)
    for k, view in enumerate(_taps(buf, pool, out_hw)):  # views of buf: written in place
        np.equal(arg, k, out=won)
        if overlap:
            view += g * won
        else:  # each element is in one window at most: a write, not an add
            np.multiply(g, won, out=view)
    if buf is not out:
        np.copyto(out, buf[:, :, pads[0] : pads[0] + H, pads[2] : pads[2] + W])


class MaxPool2DWithIndices(Function):
    """Pick, in every window, the element at the tap ``arg`` chose.

    ``arg`` comes from :func:`_max_pool_select` (like ``max(dim)``, the choice is
    made outside the differentiable op); ``picked``, if given, is the already
    gathered result. attrs: kernel_size, stride, padding, dilation, ceil_mode.
    """

    @staticmethod
    def forward(ctx: Context, x: Any, arg: np.ndarray, picked: Any, **pool: Any) -> Any:
        ctx.save_for_backward(arg)
        ctx.in_shape = x.shape
        return picked if picked is not None else _gather_taps(x, arg, pool)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (arg,) = ctx.saved_tensors
        gx = MaxPool2DWithIndicesBackward.apply(grad, arg._data, in_shape=ctx.in_shape, **ctx.attrs)
        return gx, None, None


class MaxPool2DWithIndicesBackward(Function):
    """Add the gradient into the input elements that max pooling picked."""

    @staticmethod
    def forward(ctx: Context, g: Any, arg: np.ndarray, in_shape: Any, **pool: Any) -> Any:
        ctx.save_for_backward(arg)
        return _scatter_taps(g, arg, tuple(in_shape), pool)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        pool = {k: v for k, v in ctx.attrs.items() if k != "in_shape"}
        (arg,) = ctx.saved_tensors
        return MaxPool2DWithIndices.apply(grad, arg._data, None, **pool), None


def _avg_divisor(in_hw: Pair, out_hw: Pair, pool: dict[str, Any]) -> Any:
    """PyTorch's divisor for each output position: an ``(OH, OW)`` array or a number."""
    if pool["divisor_override"]:
        return pool["divisor_override"]
    kernel, stride, pads = pool["kernel_size"], pool["stride"], pool["padding"]
    sizes = []
    for a in range(2):
        start = np.arange(out_hw[a]) * stride[a] - pads[a]
        end = np.minimum(start + kernel[a], in_hw[a] + pads[a])
        if not pool["count_include_pad"]:
            start, end = np.maximum(start, 0), np.minimum(end, in_hw[a])
        sizes.append(end - start)
    divisor = np.outer(sizes[0], sizes[1])
    return int(divisor.flat[0]) if (divisor == divisor.flat[0]).all() else divisor


def _avg_pool_forward(x: np.ndarray, out_hw: Pair, pool: dict[str, Any]) -> np.ndarray:
    geometry = dict(pool, dilation=(1, 1))
    taps = _taps(pad(x, _pool_pads(x.shape[2:], geometry, out_hw)), geometry, out_hw)
    total = np.array(taps[0], copy=True)
    for v in taps[1:]:
        total += v
    total /= np.asarray(_avg_divisor(x.shape[2:], out_hw, pool), dtype=x.dtype)
    return total


def _avg_pool_backward(g: np.ndarray, in_hw: Pair, pool: dict[str, Any]) -> np.ndarray:
    """Spread ``g / divisor`` over each window: one strided write per tap."""
    N, C, OH, OW = g.shape
    geometry = dict(pool, dilation=(1, 1))
    gs = g / np.asarray(_avg_divisor(in_hw, (OH, OW), pool), dtype=g.dtype)
    pads = _pool_pads(in_hw, geometry, (OH, OW))
    exact = _tiles_exactly(pool["kernel_size"], pool["stride"], pads, (1, 1))
    shape = (N, C, in_hw[0] + pads[0] + max(pads[1], 0), in_hw[1] + pads[2] + max(pads[3], 0))
    buf = (
        np.empty(shape, g.dtype) if exact and pads[1] == pads[3] == 0 else np.zeros(shape, g.dtype)
    )
    overlap = any(s < k for s, k in zip(pool["stride"], pool["kernel_size"]))
    for view in _taps(buf, geometry, (OH, OW)):
        if overlap:
            view += gs
        else:  # each element is in one window at most: a write, not an add
            view[...] = gs
    if buf.shape[2:] == tuple(in_hw):
        return buf
    return np.ascontiguousarray(
        buf[:, :, pads[0] : pads[0] + in_hw[0], pads[2] : pads[2] + in_hw[1]]
    )


class AvgPool2D(Function):
    """Mean over each window; attrs: kernel_size, stride, padding, ceil_mode,
    count_include_pad, divisor_override (and the output size, out_hw)."""

    @staticmethod
    def forward(ctx: Context, x: Any, **pool: Any) -> Any:
        ctx.in_hw = x.shape[2:]
        return _avg_pool_forward(x, pool["out_hw"], pool)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        return AvgPool2DBackward.apply(grad, in_hw=ctx.in_hw, **ctx.attrs)


class AvgPool2DBackward(Function):
    """Spread each gradient value evenly over its window (the adjoint of AvgPool2D)."""

    @staticmethod
    def forward(ctx: Context, g: Any, in_hw: Pair, **pool: Any) -> Any:
        return _avg_pool_backward(g, (in_hw[0], in_hw[1]), pool)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        pool = {k: v for k, v in ctx.attrs.items() if k != "in_hw"}
        return AvgPool2D.apply(grad, **pool)


# --------------------------------------------------------------------------- functional


def _pool_args(
    who: str, x: Tensor, kernel_size: Any, stride: Any, padding: Any, dilation: Any, ceil_mode: bool
) -> tuple[Pair, Pair, Pair, Pair, Pair]:
    """Checked (kernel, stride, padding, dilation, output size)."""
    if x.dtype.kind != "f":
        raise TypeError(f"{who}: input must be floating point, got {x.dtype}")
    kernel, stride, pads, dilation = pool_geometry(kernel_size, stride, padding, dilation, who)
    H, W = x.shape[2:]
    out_hw = (
        pool_out_size(H, kernel[0], stride[0], pads[0], dilation[0], ceil_mode),
        pool_out_size(W, kernel[1], stride[1], pads[1], dilation[1], ceil_mode),
    )
    if min(out_hw) < 1:
        extent = (dilation[0] * (kernel[0] - 1) + 1, dilation[1] * (kernel[1] - 1) + 1)
        raise RuntimeError(
            f"{who}: kernel size {extent} (after dilation) is larger than the padded input "
            f"{(H + 2 * pads[0], W + 2 * pads[1])} (input {(H, W)} with padding {pads})"
        )
    return kernel, stride, pads, dilation, out_hw


@op(method=False)
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
        (tensor([[[[4.]]]], grad_fn=<MaxPool2DWithIndicesBackward0>), tensor([[[[2]]]]))
        >>> y.sum().backward()
        >>> x.grad
        tensor([[[[0., 0.],
                  [1., 0.]]]])
    """
    return max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool(
    input: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
    *,
    strategy: str | None = None,
) -> Any:
    """:func:`max_pool2d` with the arg-max ``strategy`` chosen explicitly (one of
    :data:`MAX_POOL_STRATEGIES`; None chooses, as :func:`max_pool2d` does).

    Example:
        >>> import minigrad
        >>> from minigrad.ops.pool import max_pool
        >>> max_pool(minigrad.arange(4.0).reshape(1, 1, 2, 2), 2, strategy="compare")
        tensor([[[[3.]]]])
    """
    who = "max_pool2d"
    x, unbatched = as_batch(input, who)
    kernel, stride, pads, dilation, out_hw = _pool_args(
        who, x, kernel_size, stride, padding, dilation, ceil_mode
    )
    pool = {"kernel_size": kernel, "stride": stride, "padding": pads, "dilation": dilation}
    if not return_indices and not (is_grad_enabled() and x.requires_grad):
        out = Tensor._make(_max_pool_values(x._data, pool, out_hw))
        return out.squeeze(0) if unbatched else out
    values, arg = _max_pool_select(x._data, pool, out_hw, strategy)
    out = MaxPool2DWithIndices.apply(x, arg, values, **pool, ceil_mode=bool(ceil_mode))
    if not return_indices:
        return out.squeeze(0) if unbatched else out
    indices = Tensor._make(_flat_index(arg, x.shape[2:], pool))
    if unbatched:
        out, indices = out.squeeze(0), indices.squeeze(0)
    return (out, indices) if return_indices else out


@op(method=False, export=False)
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
    kernel, stride, pads, _, out_hw = _pool_args(who, x, kernel_size, stride, padding, 1, ceil_mode)
    if divisor_override is not None and (
        not isinstance(divisor_override, (int, np.integer)) or divisor_override == 0
    ):
        raise ValueError(
            f"{who}: divisor_override must be a non-zero int, got {divisor_override!r}"
        )
    out = AvgPool2D.apply(
        x,
        kernel_size=kernel,
        stride=stride,
        padding=pads,
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


@op(method=False, export=False)
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
