"""OpInfo entries of the 1-D convolution and pooling ops, adaptive max pooling, the
padding modes, interpolate, unfold/fold (im2col/col2im) and pixel (un)shuffle."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from minigrad.testing.op_db.conv import np_conv2d, np_conv_transpose2d
from minigrad.testing.op_db.pool import np_avg_pool2d, np_max_pool2d
from minigrad.testing.opinfo import OpInfo, SampleInput, samples


def _x(draw: Any, shape: Any, dtype: Any, distinct: bool = False) -> Any:
    from minigrad.testing import strategies as mst

    return draw(mst.tensors(tuple(shape), dtype, elements=(-2.0, 2.0), distinct=distinct))


def _h1(f: Any) -> Any:
    """A 2-D NumPy reference applied to ``(N, C, L)`` as ``(N, C, 1, L)``."""

    def ref(x: Any, *args: Any, **kw: Any) -> Any:
        args = tuple(
            a[:, :, None] if isinstance(a, np.ndarray) and a.ndim == 3 else a for a in args
        )
        return f(x[:, :, None], *args, **kw)[:, :, 0]

    return ref


# ----------------------------------------------------------------------------- conv1d


@samples
def _conv1d_samples(draw: Any, dtype: Any) -> SampleInput:
    groups = draw(st.sampled_from([1, 2]))
    c, o, k = groups * draw(st.integers(1, 2)), 2 * groups, draw(st.integers(1, 3))
    stride, dilation, padding = (draw(st.integers(1, 2)) for _ in range(3))
    L = draw(st.integers(dilation * (k - 1) + 1, 6))
    x = _x(draw, (draw(st.integers(1, 2)), c, L), dtype)
    w = _x(draw, (o, c // groups, k), dtype)
    b = _x(draw, (o,), dtype) if draw(st.booleans()) else None
    kw = {"stride": stride, "padding": padding - 1, "dilation": dilation, "groups": groups}
    return SampleInput((x, w, b), kw)


def _ref_conv1d(
    x: Any,
    w: Any,
    b: Any = None,
    stride: int = 1,
    padding: int = 0,
    dilation: int = 1,
    groups: int = 1,
) -> Any:
    return np_conv2d(
        x[:, :, None], w[:, :, None], b, (1, stride), (0, padding), (1, dilation), groups
    )[:, :, 0]


@samples
def _conv_t1d_samples(draw: Any, dtype: Any) -> SampleInput:
    groups = draw(st.sampled_from([1, 2]))
    c, og, k = 2 * groups, draw(st.integers(1, 2)), draw(st.integers(1, 3))
    stride, dilation = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    padding = draw(st.integers(0, (dilation * (k - 1)) // 2))
    out_pad = draw(st.integers(0, stride - 1))
    x = _x(draw, (draw(st.integers(1, 2)), c, draw(st.integers(1, 4))), dtype)
    w = _x(draw, (c, og, k), dtype)
    b = _x(draw, (og * groups,), dtype) if draw(st.booleans()) else None
    kw = {
        "stride": stride,
        "padding": padding,
        "output_padding": out_pad,
        "groups": groups,
        "dilation": dilation,
    }
    return SampleInput((x, w, b), kw)


def _ref_conv_t1d(
    x: Any,
    w: Any,
    b: Any = None,
    stride: int = 1,
    padding: int = 0,
    output_padding: int = 0,
    groups: int = 1,
    dilation: int = 1,
) -> Any:
    return np_conv_transpose2d(
        x[:, :, None],
        w[:, :, None],
        b,
        (1, stride),
        (0, padding),
        (0, output_padding),
        groups,
        (1, dilation),
    )[:, :, 0]


# ----------------------------------------------------------------------------- pool1d


@samples
def _pool1d_samples(draw: Any, dtype: Any) -> SampleInput:
    k = draw(st.integers(1, 3))
    s = draw(st.integers(1, 3))
    p = draw(st.integers(0, k // 2))
    x = _x(draw, (draw(st.integers(1, 2)), 2, draw(st.integers(k, 7))), dtype, distinct=True)
    return SampleInput((x, k), {"stride": s, "padding": p})


def _ref_max_pool1d(x: Any, kernel_size: int, stride: int = 1, padding: int = 0) -> Any:
    return _h1(np_max_pool2d)(x, (1, kernel_size), (1, stride), (0, padding))


def _ref_avg_pool1d(x: Any, kernel_size: int, stride: int = 1, padding: int = 0) -> Any:
    return _h1(np_avg_pool2d)(x, (1, kernel_size), (1, stride), (0, padding))


def _bins(n: int, o: int) -> list[tuple[int, int]]:
    return [((i * n) // o, -((-(i + 1) * n) // o)) for i in range(o)]


@samples
def _adaptive1d_samples(draw: Any, dtype: Any) -> SampleInput:
    x = _x(draw, (draw(st.integers(1, 2)), 2, draw(st.integers(1, 7))), dtype, distinct=True)
    return SampleInput((x, draw(st.integers(1, 5))))


def _ref_adaptive1d(reduce: Any) -> Any:
    def ref(x: Any, output_size: int, return_indices: bool = False) -> Any:
        return np.stack([reduce(x[..., a:b], -1) for a, b in _bins(x.shape[-1], output_size)], -1)

    return ref


@samples
def _adaptive_max2d_samples(draw: Any, dtype: Any) -> SampleInput:
    x = _x(
        draw,
        (draw(st.integers(1, 2)), 2, draw(st.integers(1, 5)), draw(st.integers(1, 5))),
        dtype,
        distinct=True,
    )
    size = draw(st.sampled_from([2, 3, (2, None), (1, 4), (3, 2)]))
    return SampleInput((x, size), {"return_indices": draw(st.booleans())})


def _ref_adaptive_max2d(x: Any, output_size: Any, return_indices: bool = False) -> Any:
    oh, ow = output_size if isinstance(output_size, tuple) else (output_size, output_size)
    H, W = x.shape[-2:]
    ow = W if ow is None else ow
    vals = np.zeros((*x.shape[:-2], oh, ow))
    idx = np.zeros((*x.shape[:-2], oh, ow), dtype=np.int64)
    for i, (r0, r1) in enumerate(_bins(H, oh)):
        for j, (c0, c1) in enumerate(_bins(W, ow)):
            win = x[..., r0:r1, c0:c1].reshape(*x.shape[:-2], -1)
            a = win.argmax(-1)
            vals[..., i, j] = win.max(-1)
            idx[..., i, j] = (r0 + a // (c1 - c0)) * W + c0 + a % (c1 - c0)
    return (vals, idx) if return_indices else vals


# ----------------------------------------------------------------------------- padding


@samples
def _pad_samples(draw: Any, dtype: Any) -> SampleInput:
    k = draw(st.integers(1, 3))
    lead = tuple(draw(st.integers(1, 2)) for _ in range(draw(st.integers(1, 2))))
    shape = lead + tuple(draw(st.integers(2, 3)) for _ in range(k))
    pad = tuple(draw(st.integers(-1, 2)) for _ in range(2 * k))
    sizes = [n + pad[2 * i] + pad[2 * i + 1] for i, n in enumerate(shape[::-1][:k])]
    assume(min(sizes) >= 1)
    return SampleInput((_x(draw, shape, dtype), pad))


@samples
def _constant_pad_samples(draw: Any, dtype: Any) -> SampleInput:
    nd = draw(st.integers(1, 3))
    shape = tuple(draw(st.integers(2, 3)) for _ in range(nd))
    pad = tuple(draw(st.integers(-1, 2)) for _ in range(2 * draw(st.integers(1, nd))))
    return SampleInput((_x(draw, shape, dtype), pad), {"value": draw(st.sampled_from([0.0, -1.5]))})


def _circular_ok(s: SampleInput) -> bool:
    """Circular padding repeats at most the whole (cropped) dimension."""
    x, pad = s.args
    for i in range(len(pad) // 2):
        lo, hi = pad[2 * i], pad[2 * i + 1]
        kept = x.shape[x.ndim - 1 - i] - max(-lo, 0) - max(-hi, 0)
        if lo > kept or hi > kept:
            return False
    return True


def _np_pad(mode: str) -> Any:
    def ref(x: Any, pad: Any, value: float = 0.0) -> Any:
        widths = [(0, 0)] * x.ndim
        for i in range(len(pad) // 2):
            widths[x.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
        crop = tuple(slice(max(-lo, 0), n - max(-hi, 0)) for (lo, hi), n in zip(widths, x.shape))
        grow = [(max(lo, 0), max(hi, 0)) for lo, hi in widths]
        if mode == "constant":
            return np.pad(x[crop], grow, mode="constant", constant_values=value)
        if mode == "wrap":  # PyTorch's circular crops first
            return np.pad(x[crop], grow, mode=mode)  # type: ignore[call-overload]
        # reflect and replicate index the whole input
        padded = np.pad(x, grow, mode=mode)  # type: ignore[call-overload]
        return padded[
            tuple(slice(max(-lo, 0), n - max(-hi, 0)) for (lo, hi), n in zip(widths, padded.shape))
        ]

    return ref


# ----------------------------------------------------------------------------- interpolate


@samples
def _interp_samples(draw: Any, dtype: Any) -> SampleInput:
    modes = ["nearest", "nearest-exact", "linear", "bilinear", "bicubic", "area"]
    mode = draw(st.sampled_from(modes))
    nd = {"linear": 1, "bilinear": 2, "bicubic": 2}.get(mode, draw(st.integers(1, 2)))
    spatial = tuple(draw(st.integers(1, 4)) for _ in range(nd))
    x = _x(draw, (draw(st.integers(1, 2)), 2, *spatial), dtype)
    kw: dict[str, Any] = {"mode": mode}
    if mode != "area" and draw(st.booleans()):
        kw["scale_factor"] = draw(st.sampled_from([2, 0.5, 1.5, 3]))
        if min(int(np.floor(n * kw["scale_factor"])) for n in spatial) < 1:
            kw["scale_factor"] = 2
    else:
        kw["size"] = tuple(draw(st.integers(1, 5)) for _ in range(nd))
    if mode in ("linear", "bilinear", "bicubic"):
        kw["align_corners"] = draw(st.booleans())
    return SampleInput((x,), kw)


def _src(n: int, o: int, scale: Any, align: bool) -> Any:
    dst = np.arange(o, dtype=np.float64)
    if align:
        return dst * ((n - 1) / (o - 1)) if o > 1 else np.zeros(o)
    return np.maximum((dst + 0.5) * (n / o if scale is None else 1 / scale) - 0.5, 0.0)


def _ref_cubic(x: Any, axis: int, n: int, o: int, s: Any, align: bool) -> Any:
    """Keys' cubic convolution (A = -0.75) with the four taps clamped to the edges."""
    dst = np.arange(o, dtype=np.float64)
    if align:
        src = dst * ((n - 1) / (o - 1)) if o > 1 else np.zeros(o)
    else:
        src = (dst + 0.5) * (n / o if s is None else 1 / s) - 0.5
    i0 = np.floor(src).astype(int)
    shape = [-1 if i == axis else 1 for i in range(x.ndim)]
    out = 0.0
    for k in range(-1, 3):
        d = np.abs(src - (i0 + k))
        w = np.where(d <= 1, (1.25 * d - 2.25) * d * d + 1,
                     ((-0.75 * d + 3.75) * d - 6) * d + 3)  # fmt: skip
        out = out + np.take(x, np.clip(i0 + k, 0, n - 1), axis) * w.reshape(shape)
    return out


def _ref_interpolate(
    x: Any,
    size: Any = None,
    scale_factor: Any = None,
    mode: str = "nearest",
    align_corners: Any = None,
) -> Any:
    spatial = x.shape[2:]
    if size is None:
        outs = [int(np.floor(n * scale_factor)) for n in spatial]
        scales = [scale_factor] * len(spatial)
    else:
        outs, scales = list(size), [None] * len(spatial)
    out = x
    for d, (n, o, s) in enumerate(zip(spatial, outs, scales)):
        axis = 2 + d
        if mode in ("nearest", "nearest-exact"):
            step = np.float32(n / o if s is None else 1 / s)
            dst = np.arange(o, dtype=np.float32) + np.float32(0.5 * (mode == "nearest-exact"))
            idx = np.minimum(np.floor(dst * step).astype(int), n - 1)
            out = np.take(out, idx, axis=axis)
        elif mode == "bicubic":
            out = _ref_cubic(out, axis, n, o, s, bool(align_corners))
        elif mode == "area":
            out = np.stack(
                [np.take(out, range(a, b), axis).mean(axis) for a, b in _bins(n, o)], axis
            )
        else:
            src = _src(n, o, s, bool(align_corners))
            i0 = np.minimum(np.floor(src).astype(int), n - 1)
            i1 = np.minimum(i0 + 1, n - 1)
            lam = (src - i0).reshape([-1 if i == axis else 1 for i in range(x.ndim)])
            out = np.take(out, i0, axis) * (1 - lam) + np.take(out, i1, axis) * lam
    return out


# ----------------------------------------------------------------------------- unfold / fold


@samples
def _unfold_samples(draw: Any, dtype: Any) -> SampleInput:
    kh, kw = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    dil, pad, stride = draw(st.integers(1, 2)), draw(st.integers(0, 1)), draw(st.integers(1, 2))
    lo_h, lo_w = max(1, dil * (kh - 1) + 1 - 2 * pad), max(1, dil * (kw - 1) + 1 - 2 * pad)
    H, W = draw(st.integers(lo_h, lo_h + 2)), draw(st.integers(lo_w, lo_w + 2))
    x = _x(draw, (draw(st.integers(1, 2)), draw(st.integers(1, 2)), H, W), dtype)
    return SampleInput((x, (kh, kw)), {"dilation": dil, "padding": pad, "stride": stride})


def _blocks(H: int, W: int, kh: int, kw: int, d: int, p: int, s: int) -> tuple[int, int]:
    return (H + 2 * p - d * (kh - 1) - 1) // s + 1, (W + 2 * p - d * (kw - 1) - 1) // s + 1


def _ref_unfold(
    x: Any, kernel_size: Any, dilation: int = 1, padding: int = 0, stride: int = 1
) -> Any:
    kh, kw = kernel_size
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    oh, ow = _blocks(x.shape[2], x.shape[3], kh, kw, dilation, padding, stride)
    taps = [
        xp[
            :,
            :,
            i * dilation : i * dilation + stride * (oh - 1) + 1 : stride,
            j * dilation : j * dilation + stride * (ow - 1) + 1 : stride,
        ]
        for i in range(kh)
        for j in range(kw)
    ]
    cols = np.stack(taps, 2)  # (N, C, kh * kw, oh, ow)
    return cols.reshape(x.shape[0], -1, oh * ow)


@samples
def _fold_samples(draw: Any, dtype: Any) -> SampleInput:
    s = draw(_unfold_samples(dtype))
    x, (kh, kw) = s.args
    d, p, st_ = s.kwargs["dilation"], s.kwargs["padding"], s.kwargs["stride"]
    H, W = x.shape[2:]
    oh, ow = _blocks(H, W, kh, kw, d, p, st_)
    cols = _x(draw, (x.shape[0], x.shape[1] * kh * kw, oh * ow), dtype)
    return SampleInput((cols, (H, W), (kh, kw)), dict(s.kwargs))


def _ref_fold(
    cols: Any,
    output_size: Any,
    kernel_size: Any,
    dilation: int = 1,
    padding: int = 0,
    stride: int = 1,
) -> Any:
    (H, W), (kh, kw) = output_size, kernel_size
    N, ckk, _ = cols.shape
    C = ckk // (kh * kw)
    oh, ow = _blocks(H, W, kh, kw, dilation, padding, stride)
    out = np.zeros((N, C, H + 2 * padding, W + 2 * padding))
    blocks = cols.reshape(N, C, kh, kw, oh, ow)
    for i in range(kh):
        for j in range(kw):
            out[
                :,
                :,
                i * dilation : i * dilation + stride * (oh - 1) + 1 : stride,
                j * dilation : j * dilation + stride * (ow - 1) + 1 : stride,
            ] += blocks[:, :, i, j]
    return out[:, :, padding : padding + H, padding : padding + W]


# ----------------------------------------------------------------------------- pixel shuffle


@samples
def _shuffle_samples(draw: Any, dtype: Any) -> SampleInput:
    r = draw(st.integers(1, 2))
    lead = draw(st.sampled_from([(), (2,), (1, 2)]))
    x = _x(
        draw,
        (*lead, draw(st.integers(1, 2)) * r * r, draw(st.integers(1, 3)), draw(st.integers(1, 3))),
        dtype,
    )
    return SampleInput((x, r))


@samples
def _unshuffle_samples(draw: Any, dtype: Any) -> SampleInput:
    r = draw(st.integers(1, 2))
    lead = draw(st.sampled_from([(), (2,)]))
    x = _x(
        draw,
        (*lead, draw(st.integers(1, 2)), r * draw(st.integers(1, 2)), r * draw(st.integers(1, 3))),
        dtype,
    )
    return SampleInput((x, r))


def _ref_shuffle(x: Any, r: int) -> Any:
    *lead, c, h, w = x.shape
    y = x.reshape(*lead, c // (r * r), r, r, h, w)
    n = len(lead)
    return y.transpose(*range(n), n, n + 3, n + 1, n + 4, n + 2).reshape(
        *lead, c // (r * r), h * r, w * r
    )


def _ref_unshuffle(x: Any, r: int) -> Any:
    *lead, c, h, w = x.shape
    y = x.reshape(*lead, c, h // r, r, w // r, r)
    n = len(lead)
    return y.transpose(*range(n), n, n + 2, n + 4, n + 1, n + 3).reshape(
        *lead, c * r * r, h // r, w // r
    )


def _torch_pad(mode: str) -> Any:
    return lambda torch, x, pad, **kw: torch.nn.functional.pad(x, pad, mode=mode, **kw)


_F = "nn.functional."

__all__ = ["OPS"]

OPS = [
    OpInfo("conv1d", ref=_ref_conv1d, sample_inputs=_conv1d_samples, torch=_F + "conv1d"),
    OpInfo(
        "conv_transpose1d",
        ref=_ref_conv_t1d,
        sample_inputs=_conv_t1d_samples,
        torch=_F + "conv_transpose1d",
    ),
    OpInfo(
        "max_pool1d", ref=_ref_max_pool1d, sample_inputs=_pool1d_samples, torch=_F + "max_pool1d"
    ),
    OpInfo(
        "avg_pool1d", ref=_ref_avg_pool1d, sample_inputs=_pool1d_samples, torch=_F + "avg_pool1d"
    ),
    OpInfo(
        "adaptive_avg_pool1d",
        ref=_ref_adaptive1d(np.mean),
        sample_inputs=_adaptive1d_samples,
        torch=_F + "adaptive_avg_pool1d",
    ),
    OpInfo(
        "adaptive_max_pool1d",
        ref=_ref_adaptive1d(np.max),
        sample_inputs=_adaptive1d_samples,
        torch=_F + "adaptive_max_pool1d",
    ),
    OpInfo(
        "adaptive_max_pool2d",
        ref=_ref_adaptive_max2d,
        sample_inputs=_adaptive_max2d_samples,
        torch=_F + "adaptive_max_pool2d",
    ),
    OpInfo(
        "constant_pad_nd",
        ref=_np_pad("constant"),
        sample_inputs=_constant_pad_samples,
        torch=_torch_pad("constant"),
    ),
    OpInfo(
        "reflection_pad",
        ref=_np_pad("reflect"),
        sample_inputs=lambda dt: _pad_samples(dt).filter(
            lambda s: min(s.args[0].shape) > max(s.args[1])
        ),
        torch=_torch_pad("reflect"),
    ),
    OpInfo(
        "replication_pad",
        ref=_np_pad("edge"),
        sample_inputs=_pad_samples,
        torch=_torch_pad("replicate"),
    ),
    OpInfo(
        "circular_pad",
        ref=_np_pad("wrap"),
        sample_inputs=lambda dt: _pad_samples(dt).filter(_circular_ok),
        torch=_torch_pad("circular"),
    ),
    OpInfo(
        "interpolate", ref=_ref_interpolate, sample_inputs=_interp_samples, torch=_F + "interpolate"
    ),
    OpInfo("im2col", ref=_ref_unfold, sample_inputs=_unfold_samples, torch=_F + "unfold"),
    OpInfo("col2im", ref=_ref_fold, sample_inputs=_fold_samples, torch=_F + "fold"),
    OpInfo(
        "pixel_shuffle", ref=_ref_shuffle, sample_inputs=_shuffle_samples, torch="pixel_shuffle"
    ),
    OpInfo(
        "pixel_unshuffle",
        ref=_ref_unshuffle,
        sample_inputs=_unshuffle_samples,
        torch="pixel_unshuffle",
    ),
]
