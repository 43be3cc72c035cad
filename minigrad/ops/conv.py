"""Convolution over NCHW batches: conv2d and conv_transpose2d.

The math (see ``docs/conv.md``), for ``x (N, C, H, W)`` and ``w (O, C/G, kh, kw)``:

* **forward**: the padded batch is viewed through its windows
  (:func:`~minigrad.ops.windows.window_view`, no copy), the view is copied once
  into columns ``(C*kh*kw, OH*OW)`` per sample ("im2col"), and the output is one
  product ``w.reshape(O, -1) @ cols`` (per group);
* **input gradient**: the transposed convolution. The product
  ``w.reshape(O, -1).T @ g`` gives each window's share of the gradient, and
  :func:`~minigrad.ops.windows.scatter_add` adds the windows back onto the image
  ("col2im", one strided add per kernel offset);
* **weight gradient**: ``g @ cols.T``, summed over the batch, with the columns the
  forward kept.

Three Functions close under differentiation, so double backward works:
``Convolution`` (x, w) -> y, its input gradient ``ConvolutionTranspose``
(g, w) -> x-shaped (also the op behind ``conv_transpose2d``), and its weight
gradient ``ConvolutionBackwardWeight`` (x, g) -> w-shaped; each one's backward is
written with the other two.

The tuning comes second: how the products are laid out for BLAS (the
``strategy`` attribute, see :data:`STRATEGIES`) is chosen per shape by
:func:`choose_strategy`, or passed explicitly (tests run every strategy).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from minigrad.autograd import ArrayFunction as Function
from minigrad.autograd import Context
from minigrad.ops import _buffers as buffers
from minigrad.ops._blas import ONE_THREAD_WORK, SPLIT_UP_TO, copy_over_batch, over_batch
from minigrad.ops._registry import op
from minigrad.ops._util import as_tensor
from minigrad.ops.windows import (
    Pads,
    Pair,
    as_batch,
    conv_out_size,
    conv_padding,
    pad,
    pair,
    scatter_add,
    window_view,
)
from minigrad.tensor import Tensor

__all__ = ["STRATEGIES", "conv2d", "conv_transpose2d", "convolution", "convolution_transpose"]

#: How the products of a convolution are laid out (see :func:`choose_strategy`):
#: ``"per_sample"``: one product per sample (a batched matmul, NCHW out directly);
#: ``"slices"``: per sample, each sample's pixels cut into slices;
#: ``"batch"``: one product over the whole batch, columns ``(C*kh*kw, N*OH*OW)``;
#: ``"batch_pieces"``: as ``"batch"``, with the weight gradient's long axis cut into pieces;
#: ``"adjoint"``: as ``"batch"``, with the input gradient of a stride-1 convolution
#: computed as the convolution of the padded gradient with the flipped kernel (one
#: im2col and one product whose inner dimension is ``O*kh*kw`` instead of ``O``, no
#: scatter); chosen when a group has at most as many outputs as inputs.
STRATEGIES = ("per_sample", "slices", "batch", "batch_pieces", "adjoint")


# --------------------------------------------------------------------------- the ops


class Convolution(Function):
    """``y = conv2d(x, w) + b``; attrs: stride, padding (top, bottom, left, right),
    dilation, groups, strategy (one of :data:`STRATEGIES`, or None to choose)."""

    @staticmethod
    def forward(ctx: Context, x: Any, w: Any, b: Any, **conv: Any) -> Any:
        y, cols = conv_forward(x, w, **conv, bias=b)
        ctx.save_for_backward(x, w, cols)  # the columns: freed with the graph
        return y

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        x, w, cols = ctx.saved_tensors
        conv = ctx.attrs
        gx = gw = gb = None
        if ctx.needs_input_grad[0]:
            gx = ConvolutionTranspose.apply(grad, w, None, in_hw=x.shape[2:], **conv)
        if ctx.needs_input_grad[1]:
            gw = ConvolutionBackwardWeight.apply(x, grad, cols._data, kernel=w.shape[2:], **conv)
        if ctx.needs_input_grad[2]:
            gb = grad.sum((0, 2, 3))
        return gx, gw, gb


class ConvolutionTranspose(Function):
    """``z = conv2d_input_adjoint(g, w) + b`` into an image of size ``in_hw``: the
    input gradient of :class:`Convolution`, and ``conv_transpose2d``."""

    @staticmethod
    def forward(ctx: Context, g: Any, w: Any, b: Any, in_hw: Pair, **conv: Any) -> Any:
        ctx.save_for_backward(g, w)
        return _add_bias(conv_input_grad(g, w, (in_hw[0], in_hw[1]), **conv), b)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        g, w = ctx.saved_tensors
        conv = {k: v for k, v in ctx.attrs.items() if k != "in_hw"}
        gg = gw = gb = None
        if ctx.needs_input_grad[0]:
            gg = Convolution.apply(grad, w, None, **conv)
        if ctx.needs_input_grad[1]:
            gw = ConvolutionBackwardWeight.apply(grad, g, None, kernel=w.shape[2:], **conv)
        if ctx.needs_input_grad[2]:
            gb = grad.sum((0, 2, 3))
        return gg, gw, gb


class ConvolutionBackwardWeight(Function):
    """The weight gradient of :class:`Convolution` as an op of (x, output gradient)."""

    @staticmethod
    def forward(ctx: Context, x: Any, g: Any, cols: Any, kernel: Pair, **conv: Any) -> Any:
        ctx.save_for_backward(x, g)
        return conv_weight_grad(x, g, (kernel[0], kernel[1]), **conv, cols=cols)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        x, g = ctx.saved_tensors
        conv = {k: v for k, v in ctx.attrs.items() if k != "kernel"}
        gx = gg = None
        if ctx.needs_input_grad[0]:
            gx = ConvolutionTranspose.apply(g, grad, None, in_hw=x.shape[2:], **conv)
        if ctx.needs_input_grad[1]:
            gg = Convolution.apply(x, grad, None, **conv)
        return gx, gg, None


def _add_bias(y: np.ndarray, b: Any) -> np.ndarray:
    if b is not None:
        y += b.reshape(1, -1, 1, 1)
    return y


# --------------------------------------------------------------------------- the kernels


def im2col(
    x: np.ndarray, kernel: Pair, stride: Pair, pads: Pads, dilation: Pair, out_hw: Pair,
    per_sample: bool, out: np.ndarray | None = None,
) -> np.ndarray:  # fmt: skip
    """The windows of ``x`` as columns, in one copy: ``(N, C*kh*kw, OH*OW)`` for one
    product per sample, else ``(C*kh*kw, N*OH*OW)`` for one product over the batch.

    With ``out`` (per sample only), the columns are copied into it."""
    N, C = x.shape[:2]
    rows = C * kernel[0] * kernel[1]
    if kernel == (1, 1) and stride == (1, 1) and not any(pads):
        view = x[:, :, None, None]
    else:
        view = window_view(pad(x, pads), kernel, stride, dilation, out_hw)
    if out is not None:
        np.copyto(out.reshape(view.shape), view)
        return out
    if per_sample:
        return buffers.contiguous(view).reshape(N, rows, -1)
    return copy_over_batch(view.transpose(1, 2, 3, 0, 4, 5), axis=3).reshape(rows, -1)


def conv_forward(
    x: np.ndarray, w: np.ndarray, stride: Pair, padding: Pads, dilation: Pair, groups: int,
    strategy: str | None = None, bias: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """The convolution ``(N, O, OH, OW)`` (plus ``bias``), and its columns (kept for
    the weight gradient, which saves copying them again).

    Per-sample products run over pieces of the batch on separate threads
    (:func:`~minigrad.ops._blas.over_batch`): each piece copies its own columns and
    multiplies them while the other does the same."""
    N, _, H, W = x.shape
    O, _, kh, kw = w.shape
    out_hw = (
        conv_out_size(H, kh, stride[0], padding[0], padding[1], dilation[0]),
        conv_out_size(W, kw, stride[1], padding[2], padding[3], dilation[1]),
    )
    plan = _plan(strategy, x.shape, w.shape, out_hw, groups)
    wg = w.reshape(groups, O // groups, -1)
    if N == 0:  # an empty batch: nothing to multiply
        return np.zeros((0, O, *out_hw), x.dtype), np.zeros((0, wg.shape[2] * groups, 0), x.dtype)
    if plan.pieces:  # products per sample (or per slice of its pixels), NCHW out directly
        L = out_hw[0] * out_hw[1]
        cols = buffers.empty((N, wg.shape[2] * groups, L), x.dtype)
        y, view = _unsliced_empty(N, groups, O // groups, L, plan.pieces, x.dtype)

        def piece(lo: int, hi: int) -> None:
            im2col(x[lo:hi], (kh, kw), stride, padding, dilation, out_hw, True, cols[lo:hi])
            np.matmul(wg[:, None], _sliced(cols[lo:hi], groups, plan.pieces), out=view[lo:hi])
            if bias is not None:
                y[lo:hi] += bias.reshape(1, -1, 1)

        over_batch(piece, N, N * _work(x.shape, w.shape, out_hw, groups) * groups)
        return y.reshape(N, O, *out_hw), cols
    cols = im2col(x, (kh, kw), stride, padding, dilation, out_hw, False)
    y = buffers.empty((groups, O // groups, cols.shape[1]), x.dtype)  # (G, O/G, N*OH*OW)
    np.matmul(wg, cols.reshape(groups, -1, cols.shape[1]), out=y)
    out = copy_over_batch(y.reshape(O, N, *out_hw).transpose(1, 0, 2, 3), axis=0)
    return _add_bias(out, bias), cols


def conv_input_grad(
    g: np.ndarray, w: np.ndarray, in_hw: Pair, stride: Pair, padding: Pads, dilation: Pair,
    groups: int, strategy: str | None = None,
) -> np.ndarray:  # fmt: skip
    """The transposed convolution, the adjoint of :func:`conv_forward` in its input:
    ``(N, O, OH, OW) -> (N, C, H, W)``; each window's share ``w.T @ g``, added back."""
    N, O, OH, OW = g.shape
    _, Cg, kh, kw = w.shape
    if N == 0:
        return np.zeros((0, Cg * groups, *in_hw), g.dtype)
    wt = w.reshape(groups, O // groups, -1).transpose(0, 2, 1)  # (G, Cg*kh*kw, O/G)
    plan = _plan(strategy, (N, Cg * groups), w.shape, (OH, OW), groups)
    adjoint = _adjoint_padding(w.shape, in_hw, (OH, OW), padding, dilation)
    if adjoint is not None and stride == (1, 1) and not plan.pieces:
        if strategy == "adjoint" or (strategy is None and O // groups <= Cg):
            return _conv_transpose_as_conv(g, w, adjoint, dilation, groups)
    if plan.pieces <= 1 and stride == (1, 1):
        return _conv_transpose_rows(g, wt, in_hw, padding, dilation, (kh, kw), plan.pieces == 1)
    if plan.pieces:
        gl = g.reshape(N, O, -1)
        gx = buffers.empty((N, Cg * groups, *in_hw), g.dtype)

        def piece(lo: int, hi: int) -> None:
            cols, view = _unsliced_empty(
                hi - lo, groups, Cg * kh * kw, OH * OW, plan.pieces, g.dtype
            )
            np.matmul(wt[:, None], _sliced(gl[lo:hi], groups, plan.pieces), out=view)
            cols = cols.reshape(hi - lo, groups * Cg, kh, kw, OH, OW)
            gx[lo:hi] = scatter_add(cols, in_hw, stride, padding, dilation)

        over_batch(piece, N, N * _work((N, Cg * groups), w.shape, (OH, OW), groups) * groups)
        return gx
    else:
        gb = _batch_last(g, groups)
        cols = buffers.empty((groups, wt.shape[1], gb.shape[2]), g.dtype)
        np.matmul(wt, gb, out=cols)  # (G, Cg*kh*kw, N*OH*OW)
        cols = cols.reshape(groups * Cg, kh, kw, N, OH, OW).transpose(3, 0, 1, 2, 4, 5)
    return scatter_add(cols, in_hw, stride, padding, dilation)


def conv_weight_grad(
    x: np.ndarray, g: np.ndarray, kernel: Pair, stride: Pair, padding: Pads, dilation: Pair,
    groups: int, strategy: str | None = None, cols: np.ndarray | None = None,
) -> np.ndarray:  # fmt: skip
    """The gradient of :func:`conv_forward` in its weight, ``g @ cols.T`` summed over
    the batch (``cols``: the forward's columns of ``x``, if it kept them)."""
    N, C = x.shape[:2]
    O, OH, OW = g.shape[1:]
    w_shape = (O, C // groups, *kernel)
    if N == 0:
        return np.zeros(w_shape, g.dtype)
    plan = _plan(strategy, x.shape, w_shape, (OH, OW), groups)
    if plan.pieces:
        gl = g.reshape(N, O, -1)

        def piece(lo: int, hi: int) -> np.ndarray:
            c = cols[lo:hi] if cols is not None else None
            if c is None:
                c = im2col(x[lo:hi], kernel, stride, padding, dilation, (OH, OW), True)
            cs = _sliced(c, groups, plan.pieces).transpose(0, 1, 2, 4, 3)  # (n, G, P, L/P, K)
            return np.matmul(_sliced(gl[lo:hi], groups, plan.pieces), cs).sum((0, 2))

        parts = over_batch(piece, N, N * _work(x.shape, w_shape, (OH, OW), groups) * groups)
        return sum(parts[1:], parts[0]).reshape(w_shape)
    if cols is None:
        cols = im2col(x, kernel, stride, padding, dilation, (OH, OW), False)
    gw = _contract_batch(_batch_last(g, groups), cols.reshape(groups, -1, cols.shape[1]), plan)
    return gw.reshape(w_shape)


def _conv_transpose_rows(
    g: np.ndarray, wt: np.ndarray, in_hw: Pair, padding: Pads, dilation: Pair, kernel: Pair,
    per_sample: bool,
) -> np.ndarray:  # fmt: skip
    """:func:`conv_input_grad` for stride 1, with whole rows per add.

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
    if per_sample:  # one product per sample: (N, G, Cg*kh*kw, OH*Wp), pieces of the batch
        image = buffers.empty((N, C, *in_hw), g.dtype)

        def piece(lo: int, hi: int) -> None:
            n = hi - lo
            wide = buffers.zeros((n, O, OH, Wp), g.dtype)
            wide[..., :OW] = g[lo:hi]
            cols = buffers.empty((n, G, K, span), g.dtype)
            np.matmul(wt, wide.reshape(n, G, O // G, span), out=cols)
            cols = cols.reshape(n, C, taps, span)
            out = buffers.zeros((n, C, (Hp + 1) * Wp), g.dtype)  # a row of slack
            _add_rows(out, cols, kernel, dilation, Wp, span)
            full = out[:, :, : Hp * Wp].reshape(n, C, Hp, Wp)
            image[lo:hi] = full[:, :, top : top + in_hw[0], left : left + in_hw[1]]

        over_batch(piece, N, N * O * K * span)
        return image
    else:  # one product over the batch: (G, Cg*kh*kw, N*OH*Wp)
        wide = buffers.zeros((O, N, OH, Wp), g.dtype)
        wide[..., :OW] = g.transpose(1, 0, 2, 3)
        cols = buffers.empty((G, K, N * span), g.dtype)
        np.matmul(wt, wide.reshape(G, O // G, N * span), out=cols)
        cols = cols.reshape(C, taps, N, span).transpose(2, 0, 1, 3)  # (N, C, taps, span) view
        out = buffers.zeros((C, N, (Hp + 1) * Wp), g.dtype).transpose(1, 0, 2)

    def add_piece(lo: int, hi: int) -> None:
        _add_rows(out[lo:hi], cols[lo:hi], kernel, dilation, Wp, span)

    over_batch(add_piece, N, cols.size)
    image = out[:, :, : Hp * Wp].reshape(N, C, Hp, Wp)
    return buffers.contiguous(image[:, :, top : top + in_hw[0], left : left + in_hw[1]])


def _adjoint_padding(
    w_shape: tuple[int, ...], in_hw: Pair, out_hw: Pair, padding: Pads, dilation: Pair
) -> Pads | None:
    """The padding that makes the stride-1 input gradient a convolution of the output
    gradient (``dilation * (k - 1) - pad`` per side), or None where one is negative."""
    kh, kw = w_shape[2:]
    eh, ew = dilation[0] * (kh - 1), dilation[1] * (kw - 1)
    top, left = eh - padding[0], ew - padding[2]
    bottom = in_hw[0] + eh - out_hw[0] - top  # the rows the forward left out come last
    right = in_hw[1] + ew - out_hw[1] - left
    pads = (top, bottom, left, right)
    return pads if min(pads) >= 0 else None


def _conv_transpose_as_conv(
    g: np.ndarray, w: np.ndarray, pads: Pads, dilation: Pair, groups: int
) -> np.ndarray:
    """The stride-1 input gradient as a convolution: ``g`` padded by ``pads``,
    correlated with the kernel flipped in both axes, its in/out channels swapped
    per group (``(G*Cg, O/G, kh, kw)``)."""
    O, Cg, kh, kw = w.shape
    flipped = w.reshape(groups, O // groups, Cg, kh, kw)[:, :, :, ::-1, ::-1]
    wf = np.ascontiguousarray(flipped.transpose(0, 2, 1, 3, 4)).reshape(groups * Cg, -1, kh, kw)
    y, _ = conv_forward(g, wf, (1, 1), pads, dilation, groups, "batch")
    return y


def _add_rows(
    out: np.ndarray, cols: np.ndarray, kernel: Pair, dilation: Pair, Wp: int, span: int
) -> None:
    """Add each kernel offset's columns ``cols[:, :, tap]`` onto the flattened padded
    images ``out`` at that offset: one add of contiguous runs per tap."""
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            start = i * dilation[0] * Wp + j * dilation[1]
            out[:, :, start : start + span] += cols[:, :, i * kernel[1] + j]


def _contract_batch(g: np.ndarray, cols: np.ndarray, plan: _Plan) -> np.ndarray:
    """``g @ cols.T`` over the long axis: ``(G, O, N*L), (G, K, N*L) -> (G, O, K)``,
    in one product or summed over pieces of the long axis (``plan.piece``)."""
    G, O, total = g.shape
    K = cols.shape[1]
    size = plan.piece(O, K, total)
    if not size:  # one (threaded) product
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


def _sliced(a: np.ndarray, groups: int, pieces: int) -> np.ndarray:
    """``(N, G*R, L) -> (N, G, P, R, L/P)``: a view, the pixels cut into slices."""
    N, _, L = a.shape
    return a.reshape(N, groups, -1, pieces, L // pieces).transpose(0, 1, 3, 2, 4)


def _unsliced_empty(N: int, groups: int, rows: int, L: int, pieces: int, dtype: Any) -> Any:
    """An ``(N, G*rows, L)`` array and its ``(N, G, P, rows, L/P)`` view, to write into."""
    out = buffers.empty((N, groups * rows, L), dtype)
    return out, _sliced(out, groups, pieces)


def _batch_last(g: np.ndarray, groups: int) -> np.ndarray:
    """``(N, O, OH, OW) -> (G, O/G, N*OH*OW)`` (one copy)."""
    O = g.shape[1]
    return copy_over_batch(g.transpose(1, 0, 2, 3), axis=1).reshape(groups, O // groups, -1)


# --------------------------------------------------------------------------- the tuning
#
# The three products of a convolution (forward, input gradient, weight gradient)
# all have m*n*k = (O/G) * (C/G*kh*kw) * (OH*OW) per sample and group. OpenBLAS
# runs a product on one thread when m*n*k <= 4 * 65536; a threaded product wakes
# and synchronises its threads, which on a busy machine can cost a scheduler
# tick each time. So, up to a total of SPLIT_UP_TO, every product is one sample
# (or a slice of its pixels) small enough for one thread: one batched matmul
# call, NCHW out directly. Above it, one product over the whole batch, so that
# BLAS's threads share one large product. The batch-wide weight gradient is
# ``cols @ g.T`` ((C*kh*kw, N*L) x (N*L, O)), measured several times faster in
# OpenBLAS than ``g @ cols.T``; when its output is small, its long axis is cut
# into single-threaded pieces whose products are summed.


@dataclass(frozen=True)
class _Plan:
    """A resolved strategy: ``pieces`` slices per sample (0: one product over the
    batch), and how the batch-wide weight gradient cuts its long axis."""

    pieces: int
    weight_pieces: str  # "auto", "none" or "forced"

    def piece(self, out_rows: int, inner_rows: int, total: int) -> int:
        """Length of the weight gradient's pieces of the long axis (0: one product)."""
        if self.weight_pieces == "none":
            return 0
        size = ONE_THREAD_WORK // max(out_rows * inner_rows, 1)
        if 256 <= size < total:  # shorter pieces would make BLAS inefficient
            return size
        return max(1, total // 3) if self.weight_pieces == "forced" and total > 1 else 0


def choose_strategy(
    x_shape: tuple[int, ...], w_shape: tuple[int, ...], out_hw: Pair, groups: int
) -> str:
    """The strategy :class:`Convolution` uses for these shapes when none is given.

    Example:
        >>> choose_strategy((64, 6, 14, 14), (16, 6, 5, 5), (10, 10), 1)
        'per_sample'
        >>> choose_strategy((64, 32, 16, 16), (64, 32, 3, 3), (16, 16), 1)
        'batch'
    """
    work = _work(x_shape, w_shape, out_hw, groups)
    if work <= ONE_THREAD_WORK:
        return "per_sample"
    if work * x_shape[0] * groups > SPLIT_UP_TO or not _slices(out_hw, work, exact=True):
        return "batch"
    return "slices"


def _work(x_shape: tuple[int, ...], w_shape: tuple[int, ...], out_hw: Pair, groups: int) -> int:
    O, _, kh, kw = w_shape
    return (O // groups) * (x_shape[1] // groups * kh * kw) * out_hw[0] * out_hw[1]


def _slices(out_hw: Pair, work: int, exact: bool) -> int:
    """The fewest slices of a sample's pixels (a divisor) that bring each product to
    one thread's size; without ``exact``, at least 2 when the pixels allow it."""
    pixels = out_hw[0] * out_hw[1]
    divisors = [p for p in range(2, pixels + 1) if pixels % p == 0]
    fit = next((p for p in divisors if work // p <= ONE_THREAD_WORK), 0)
    if exact or fit:
        return fit
    return divisors[0] if divisors else 1


def _plan(strategy: str | None, x_shape: Any, w_shape: Any, out_hw: Pair, groups: int) -> _Plan:
    if strategy is None:
        chosen = choose_strategy(tuple(x_shape), tuple(w_shape), out_hw, groups)
        weight_pieces = "auto"
    elif strategy in STRATEGIES:
        chosen = strategy
        weight_pieces = {"batch": "none", "batch_pieces": "forced"}.get(strategy, "auto")
    else:
        raise ValueError(f"conv2d: strategy must be one of {STRATEGIES} or None, got {strategy!r}")
    if chosen == "adjoint":
        chosen = "batch"
    if chosen == "per_sample":
        return _Plan(1, weight_pieces)
    if chosen == "slices":
        work = _work(tuple(x_shape), tuple(w_shape), out_hw, groups)
        return _Plan(_slices(out_hw, work, exact=False), weight_pieces)
    return _Plan(0, weight_pieces)


# --------------------------------------------------------------------------- arguments


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


def _check_weight(w: Tensor, layout: str, who: str) -> None:
    if w.ndim != 4:
        raise RuntimeError(f"{who}: weight must be 4-D ({layout}, kh, kw), got shape {w.shape}")


# --------------------------------------------------------------------------- functional


def convolution(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
    *,
    strategy: str | None = None,
) -> Tensor:
    """:func:`conv2d` with the product ``strategy`` chosen explicitly (one of
    :data:`STRATEGIES`; None chooses per shape, as :func:`conv2d` does).

    Example:
        >>> import minigrad
        >>> from minigrad.ops.conv import convolution
        >>> x, w = minigrad.ones(2, 1, 4, 4), minigrad.ones(1, 1, 3, 3)
        >>> convolution(x, w, strategy="batch").shape
        minigrad.Size([2, 1, 2, 2])
    """
    who = "conv2d"
    x, unbatched = as_batch(input, who)
    w = as_tensor(weight)
    _check_weight(w, "out_channels, in_channels / groups", who)
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
    pads = conv_padding(padding, (kh, kw), stride, dilation, who)
    padded = (x.shape[2] + pads[0] + pads[1], x.shape[3] + pads[2] + pads[3])
    extent = (dilation[0] * (kh - 1) + 1, dilation[1] * (kw - 1) + 1)
    if extent[0] > padded[0] or extent[1] > padded[1]:
        raise RuntimeError(
            f"{who}: kernel size {extent} (after dilation) is larger than the padded input "
            f"{padded} (input {x.shape[2:]} with padding {pads[::2]})"
        )
    b = _check_bias(bias, O, x.dtype, who)
    out = Convolution.apply(
        x, w, b, stride=stride, padding=pads, dilation=dilation, groups=groups, strategy=strategy
    )
    return out.squeeze(0) if unbatched else out


@op(method=False)
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
    return convolution(input, weight, bias, stride, padding, dilation, groups)


def convolution_transpose(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
    *,
    strategy: str | None = None,
) -> Tensor:
    """:func:`conv_transpose2d` with the product ``strategy`` chosen explicitly.

    Example:
        >>> import minigrad
        >>> from minigrad.ops.conv import convolution_transpose
        >>> x, w = minigrad.ones(1, 1, 2, 2), minigrad.ones(1, 1, 2, 2)
        >>> convolution_transpose(x, w, stride=2, strategy="slices").shape
        minigrad.Size([1, 1, 4, 4])
    """
    who = "conv_transpose2d"
    x, unbatched = as_batch(input, who)
    w = as_tensor(weight)
    _check_weight(w, "in_channels, out_channels / groups", who)
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
    out = ConvolutionTranspose.apply(
        x, w, b, in_hw=size, stride=stride, padding=(ph, ph, pw, pw), dilation=dilation,
        groups=groups, strategy=strategy,
    )  # fmt: skip
    return out.squeeze(0) if unbatched else out


@op(method=False)
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
        (minigrad.Size([1, 1, 4, 4]), 16.0)
    """
    return convolution_transpose(
        input, weight, bias, stride, padding, output_padding, groups, dilation
    )
