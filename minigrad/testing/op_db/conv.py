"""OpInfo entries of the convolutions."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from minigrad.testing.opinfo import OpInfo, SampleInput, samples


def _pair(v: Any) -> tuple[int, int]:
    return (v, v) if isinstance(v, int) else (int(v[0]), int(v[1]))


def np_conv2d(
    x: Any,
    w: Any,
    b: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Any:
    """Direct convolution: a sum over kernel taps of strided slices (a reference, not fast)."""
    (sh, sw), (ph, pw), (dh, dw) = _pair(stride), _pair(padding), _pair(dilation)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    n, _, h, wd = xp.shape
    o, cg, kh, kw = w.shape
    oh = (h - dh * (kh - 1) - 1) // sh + 1
    ow = (wd - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, o, oh, ow))
    og = o // groups
    for g in range(groups):
        xs = xp[:, g * cg : (g + 1) * cg]
        ws = w[g * og : (g + 1) * og]
        for i in range(kh):
            for j in range(kw):
                patch = xs[
                    :,
                    :,
                    i * dh : i * dh + sh * (oh - 1) + 1 : sh,
                    j * dw : j * dw + sw * (ow - 1) + 1 : sw,
                ]
                out[:, g * og : (g + 1) * og] += np.einsum("nchw,oc->nohw", patch, ws[:, :, i, j])
    if b is not None:
        out += b.reshape(1, -1, 1, 1)
    return out


def np_conv_transpose2d(
    x: Any,
    w: Any,
    b: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
) -> Any:
    """Transposed convolution by scattering every input pixel's kernel-weighted copy."""
    (sh, sw), (ph, pw), (dh, dw), (oph, opw) = (
        _pair(stride),
        _pair(padding),
        _pair(dilation),
        _pair(output_padding),
    )
    n, c, h, wd = x.shape
    _, og, kh, kw = w.shape
    cg = c // groups
    full_h = (h - 1) * sh + dh * (kh - 1) + 1 + oph
    full_w = (wd - 1) * sw + dw * (kw - 1) + 1 + opw
    out = np.zeros((n, og * groups, full_h, full_w))
    for g in range(groups):
        xs = x[:, g * cg : (g + 1) * cg]
        ws = w[g * cg : (g + 1) * cg]
        for i in range(kh):
            for j in range(kw):
                contrib = np.einsum("nchw,co->nohw", xs, ws[:, :, i, j])
                out[
                    :,
                    g * og : (g + 1) * og,
                    i * dh : i * dh + sh * (h - 1) + 1 : sh,
                    j * dw : j * dw + sw * (wd - 1) + 1 : sw,
                ] += contrib
    out = out[:, :, ph : full_h - ph, pw : full_w - pw]
    if b is not None:
        out = out + b.reshape(1, -1, 1, 1)
    return out


@samples
def _conv_samples(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    groups = draw(st.sampled_from([1, 2]))
    cg, og = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    k = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride, dilation, padding = (
        draw(st.integers(1, 2)),
        draw(st.integers(1, 2)),
        draw(st.integers(0, 1)),
    )
    h = draw(st.integers(dilation * (k[0] - 1) + 1, 5))
    w = draw(st.integers(dilation * (k[1] - 1) + 1, 5))
    x = draw(mst.tensors((draw(st.integers(1, 2)), cg * groups, h, w), dtype, elements=(-2, 2)))
    wt = draw(mst.tensors((og * groups, cg, *k), dtype, elements=(-2, 2)))
    bias = draw(st.one_of(st.none(), mst.tensors((og * groups,), dtype, elements=(-1, 1))))
    kw = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
    return SampleInput((x, wt, bias), kw)


@samples
def _conv_t_samples(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    groups = draw(st.sampled_from([1, 2]))
    cg, og = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    k = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride, dilation = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    padding = draw(st.integers(0, min(k) - 1)) if min(k) > 1 else 0
    output_padding = draw(st.integers(0, stride - 1))
    x = draw(
        mst.tensors(
            (
                draw(st.integers(1, 2)),
                cg * groups,
                draw(st.integers(1, 3)),
                draw(st.integers(1, 3)),
            ),
            dtype,
            elements=(-2, 2),
        )
    )
    wt = draw(mst.tensors((cg * groups, og, *k), dtype, elements=(-2, 2)))
    bias = draw(st.one_of(st.none(), mst.tensors((og * groups,), dtype, elements=(-1, 1))))
    kw = {
        "stride": stride,
        "padding": padding,
        "output_padding": output_padding,
        "groups": groups,
        "dilation": dilation,
    }
    return SampleInput((x, wt, bias), kw)


_FLOATS = (np.float32, np.float64)

__all__ = ["OPS"]

OPS = [
    OpInfo(
        "conv2d",
        ref=np_conv2d,
        sample_inputs=_conv_samples,
        dtypes=_FLOATS,
        torch="nn.functional.conv2d",
        atol=1e-9,
    ),
    OpInfo(
        "conv_transpose2d",
        ref=np_conv_transpose2d,
        sample_inputs=_conv_t_samples,
        dtypes=_FLOATS,
        torch="nn.functional.conv_transpose2d",
        atol=1e-9,
    ),
]
