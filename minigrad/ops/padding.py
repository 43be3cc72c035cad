"""Padding with PyTorch's modes: constant (negative pads crop), reflect, replicate, circular.

``pad`` lists ``(before, after)`` amounts from the last dimension backwards, as
``torch.nn.functional.pad``. Every mode is one gather along each padded dimension
(``constant`` a pad-or-crop), and the gradient is its adjoint (a scatter-add, or the
opposite crop-or-pad), itself differentiable again.

Example:
    >>> import minigrad
    >>> from minigrad.ops.padding import pad
    >>> x = minigrad.tensor([[[1.0, 2.0, 3.0]]])
    >>> pad(x, (2, 1), mode="reflect")
    tensor([[[3., 2., 1., 2., 3., 2.]]])
    >>> pad(x, (-1, 1), value=9.0)
    tensor([[[2., 3., 9.]]])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from minigrad.autograd import ArrayFunction as Function
from minigrad.autograd import Context
from minigrad.ops._registry import op
from minigrad.ops._util import as_tensor
from minigrad.tensor import Tensor

# --------------------------------------------------------------------------- gather / scatter


def _flat_targets(shape: tuple[int, ...], idx: np.ndarray, axis: int, size: int) -> np.ndarray:
    """Flat positions, in an array of ``shape`` with ``size`` along ``axis``, that
    ``take_along_axis(., idx, axis)`` reads for each element of its result."""
    out_shape = list(shape)
    out_shape[axis] = size
    strides = np.cumprod([1, *out_shape[::-1]])[::-1][1:]
    grids = np.ogrid[tuple(slice(0, n) for n in shape)]
    flat = np.broadcast_to(idx, shape).astype(np.int64) * strides[axis]
    for d, g in enumerate(grids):
        if d != axis:
            flat = flat + g * strides[d]
    return flat  # type: ignore[no-any-return]


class TakeAlongDim(Function):
    """``np.take_along_axis(x, idx, axis)`` (``idx`` broadcasts); the gradient scatter-adds.

    Example:
        >>> import numpy as np, minigrad
        >>> from minigrad.ops.padding import TakeAlongDim
        >>> TakeAlongDim.apply(minigrad.tensor([1.0, 2.0]), idx=np.array([1, 1]), axis=0)
        tensor([2., 2.])
    """

    @staticmethod
    def forward(ctx: Context, x: Any, idx: np.ndarray, axis: int) -> Any:
        ctx.size = x.shape[axis]
        return np.take_along_axis(x, idx, axis)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a = ctx.attrs
        return ScatterAddAlongDim.apply(grad, idx=a["idx"], axis=a["axis"], size=ctx.size)


class ScatterAddAlongDim(Function):
    """The adjoint of :class:`TakeAlongDim`: add each element at position ``idx`` along ``axis``.

    Example:
        >>> import numpy as np, minigrad
        >>> from minigrad.ops.padding import ScatterAddAlongDim
        >>> g = minigrad.tensor([1.0, 2.0, 4.0])
        >>> ScatterAddAlongDim.apply(g, idx=np.array([1, 1, 0]), axis=0, size=2)
        tensor([4., 3.])
    """

    @staticmethod
    def forward(ctx: Context, g: Any, idx: np.ndarray, axis: int, size: int) -> Any:
        out_shape = list(g.shape)
        out_shape[axis] = size
        flat = _flat_targets(g.shape, idx, axis, size)
        total = int(np.prod(out_shape))
        out = np.bincount(flat.ravel(), weights=g.ravel(), minlength=total)
        return out.astype(g.dtype, copy=False).reshape(out_shape)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a = ctx.attrs
        return TakeAlongDim.apply(grad, idx=a["idx"], axis=a["axis"])


def take_along_dim(x: Tensor, idx: np.ndarray, axis: int) -> Tensor:
    """Differentiable ``np.take_along_axis`` with a constant index (pad, interpolate, pools).

    Example:
        >>> import numpy as np, minigrad
        >>> from minigrad.ops.padding import take_along_dim
        >>> take_along_dim(minigrad.tensor([[1.0, 2.0]]), np.array([[1, 1, 0]]), 1)
        tensor([[2., 2., 1.]])
    """
    return TakeAlongDim.apply(x, idx=idx, axis=axis)  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- constant


class ConstantPadNd(Function):
    """Pad (positive amounts) and crop (negative amounts) with one constant.

    Example:
        >>> import minigrad
        >>> from minigrad.ops.padding import ConstantPadNd
        >>> ConstantPadNd.apply(minigrad.ones(3), widths=((1, -1),), value=5.0)
        tensor([5., 1., 1.])
    """

    @staticmethod
    def forward(ctx: Context, x: Any, widths: tuple[tuple[int, int], ...], value: float) -> Any:
        crop = tuple(slice(max(-lo, 0), n - max(-hi, 0)) for (lo, hi), n in zip(widths, x.shape))
        grow = [(max(lo, 0), max(hi, 0)) for lo, hi in widths]
        return np.pad(x[crop], grow, mode="constant", constant_values=value)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        widths = tuple((-lo, -hi) for lo, hi in ctx.attrs["widths"])
        return ConstantPadNd.apply(grad, widths=widths, value=0.0)


def _widths(who: str, x: Tensor, pad: Sequence[int]) -> list[tuple[int, int]]:
    try:
        amounts = [int(p) for p in pad]
    except TypeError:
        raise TypeError(f"{who}: pad must be a sequence of ints, got {pad!r}") from None
    if any(int(p) != p for p in pad):
        raise TypeError(f"{who}: pad must be ints, got {pad!r}")
    if len(amounts) % 2:
        raise ValueError(f"{who}: pad must have an even length ((before, after) pairs), got {pad}")
    if len(amounts) // 2 > x.ndim:
        raise ValueError(
            f"{who}: {len(amounts)} pad values pad {len(amounts) // 2} dimensions but the input "
            f"has shape {x.shape}"
        )
    widths = [(0, 0)] * x.ndim
    for i in range(len(amounts) // 2):
        widths[x.ndim - 1 - i] = (amounts[2 * i], amounts[2 * i + 1])
    for d, ((lo, hi), n) in enumerate(zip(widths, x.shape)):
        if n + lo + hi < 0:
            raise RuntimeError(
                f"{who}: padding {(lo, hi)} of dimension {d} (size {n}) crops more than it has "
                f"(size {n + lo + hi})"
            )
    return widths


@op(method=False)
def constant_pad_nd(input: Tensor, pad: Sequence[int], value: float = 0.0) -> Tensor:
    """Pad with ``value``; negative amounts crop (``torch.constant_pad_nd``).

    Example:
        >>> import minigrad
        >>> minigrad.constant_pad_nd(minigrad.ones(1, 3), (1, -2))
        tensor([[0., 1.]])
    """
    x = as_tensor(input)
    widths = _widths("pad", x, pad)
    return ConstantPadNd.apply(x, widths=tuple(widths), value=float(value))


# --------------------------------------------------------------------------- index modes


def _source_index(mode: str, n: int, lo: int, hi: int) -> np.ndarray:
    """For each output position along a padded dim, the input position it copies.

    As PyTorch: for ``circular`` negative amounts crop first and the padding repeats
    the cropped signal; ``reflect`` and ``replicate`` index the whole input.
    """
    if mode != "circular":
        return _padded_index(mode, n, lo, hi)
    start = max(-lo, 0)
    kept = n - start - max(-hi, 0)
    if lo > kept or hi > kept:
        raise RuntimeError(
            f"pad: circular padding {(lo, hi)} must be at most the size of the dimension after "
            f"cropping ({kept} of {n})"
        )
    return start + _padded_index(mode, kept, max(lo, 0), max(hi, 0))


def _padded_index(mode: str, n: int, lo: int, hi: int) -> np.ndarray:
    pos = np.arange(-lo, n + hi)
    if mode == "reflect":
        if n == 1:
            return np.zeros_like(pos)
        period = 2 * (n - 1)
        r = np.mod(pos, period)
        return np.where(r < n, r, period - r)
    if mode == "replicate":
        return np.clip(pos, 0, n - 1)
    return np.mod(pos, n)  # circular


def _index_pad(who: str, x: Tensor, pad: Sequence[int], mode: str) -> Tensor:
    widths = _widths(who, x, pad)
    k = len(pad) // 2
    if k not in (1, 2, 3) or x.ndim not in (k + 1, k + 2):
        raise NotImplementedError(
            f"{who}: mode {mode!r} pads the last 1, 2 or 3 dims of a (batch of) 2-D to 5-D "
            f"input: {len(pad)} pad values need a {k + 1}-D or {k + 2}-D input, got shape "
            f"{x.shape}"
        )
    out = x
    for d in range(x.ndim - k, x.ndim):
        lo, hi = widths[d]
        n = out.shape[d]
        if mode == "reflect" and (lo >= n or hi >= n):
            raise RuntimeError(
                f"{who}: reflect padding {(lo, hi)} must be smaller than dimension {d}'s size {n}"
            )
        if lo == 0 and hi == 0:
            continue
        if n + lo + hi < 1:
            raise RuntimeError(
                f"{who}: input (dimension {d}: size {n}) is too small for padding {(lo, hi)}: "
                f"the output size would be {n + lo + hi}"
            )
        idx = _source_index(mode, n, lo, hi)
        shape = [1] * out.ndim
        shape[d] = idx.size
        out = take_along_dim(out, idx.reshape(shape), d)
    return out


@op(method=False, export=False)
def reflection_pad(input: Tensor, pad: Sequence[int]) -> Tensor:
    """Pad by reflecting at the edges (the edge not repeated): ``F.pad(mode='reflect')``.

    Example:
        >>> import minigrad
        >>> from minigrad.ops.padding import reflection_pad
        >>> reflection_pad(minigrad.tensor([[0.0, 1.0, 2.0]]), (1, 1))
        tensor([[1., 0., 1., 2., 1.]])
    """
    return _index_pad("pad", as_tensor(input), pad, "reflect")


@op(method=False, export=False)
def replication_pad(input: Tensor, pad: Sequence[int]) -> Tensor:
    """Pad by repeating the edge values: ``F.pad(mode='replicate')``.

    Example:
        >>> import minigrad
        >>> from minigrad.ops.padding import replication_pad
        >>> replication_pad(minigrad.tensor([[0.0, 1.0]]), (2, 1))
        tensor([[0., 0., 0., 1., 1.]])
    """
    return _index_pad("pad", as_tensor(input), pad, "replicate")


@op(method=False, export=False)
def circular_pad(input: Tensor, pad: Sequence[int]) -> Tensor:
    """Pad by wrapping around (negative amounts crop): ``F.pad(mode='circular')``.

    Example:
        >>> import minigrad
        >>> from minigrad.ops.padding import circular_pad
        >>> circular_pad(minigrad.tensor([[0.0, 1.0, 2.0]]), (1, 2))
        tensor([[2., 0., 1., 2., 0., 1.]])
    """
    return _index_pad("pad", as_tensor(input), pad, "circular")


_MODES = {"reflect": reflection_pad, "replicate": replication_pad, "circular": circular_pad}


def pad(
    input: Tensor, pad: Sequence[int], mode: str = "constant", value: float | None = None
) -> Tensor:
    """``torch.nn.functional.pad``: pad the last ``len(pad) // 2`` dims of ``input``.

    Args:
        input: any shape for ``'constant'``; for the other modes a batch of 1-D to 3-D
            signals (2-D to 5-D input, the last 1 to 3 dims padded).
        pad: ``(before_last, after_last, before_2nd_last, after_2nd_last, ...)``;
            negative amounts crop.
        mode: ``'constant'``, ``'reflect'``, ``'replicate'`` or ``'circular'``.
        value: the fill of ``'constant'`` (default 0).

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.pad(minigrad.arange(3.0).reshape(1, 1, 3), (1, 1), mode="replicate")
        tensor([[[0., 0., 1., 2., 2.]]])
    """
    x = as_tensor(input)
    if mode == "constant":
        return constant_pad_nd(x, pad, 0.0 if value is None else value)
    if mode not in _MODES:
        raise NotImplementedError(
            f"pad: mode must be 'constant', 'reflect', 'replicate' or 'circular', got {mode!r}"
        )
    if value is not None and value != 0:
        raise ValueError(f"pad: padding mode {mode!r} doesn't take in value argument")
    return _MODES[mode](x, pad)
