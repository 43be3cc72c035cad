"""OpInfo entries of the pooling ops."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from minigrad.testing.opinfo import OpInfo, SampleInput, samples


def _pair(v: Any) -> tuple[int, int]:
    return (v, v) if isinstance(v, int) else (int(v[0]), int(v[1]))


def _windows(x: Any, k: Any, s: Any, p: Any, d: Any, fill: float) -> Any:
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = k, s, p, d
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill)
    oh = (xp.shape[2] - dh * (kh - 1) - 1) // sh + 1
    ow = (xp.shape[3] - dw * (kw - 1) - 1) // sw + 1
    taps = [
        xp[:, :, i * dh : i * dh + sh * (oh - 1) + 1 : sh, j * dw : j * dw + sw * (ow - 1) + 1 : sw]
        for i in range(kh)
        for j in range(kw)
    ]
    return np.stack(taps, axis=-1)


def np_max_pool2d(
    x: Any, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1
) -> Any:
    """Max over each window (padding never wins), ceil_mode=False."""
    k = _pair(kernel_size)
    s = k if stride is None else _pair(stride)
    return _windows(x, k, s, _pair(padding), _pair(dilation), -np.inf).max(-1)


def np_avg_pool2d(x: Any, kernel_size: Any, stride: Any = None, padding: Any = 0) -> Any:
    """Mean over each window, zero padding counted (PyTorch's default), ceil_mode=False."""
    k = _pair(kernel_size)
    s = k if stride is None else _pair(stride)
    return _windows(x, k, s, _pair(padding), (1, 1), 0.0).mean(-1)


def np_adaptive_avg_pool2d(x: Any, output_size: Any) -> Any:
    """Mean over ``[floor(i*n/out), ceil((i+1)*n/out))`` bins."""
    oh, ow = _pair(output_size)
    h, w = x.shape[-2:]
    out = np.zeros((*x.shape[:-2], oh, ow))
    for i in range(oh):
        for j in range(ow):
            r0, r1 = (i * h) // oh, -((-(i + 1) * h) // oh)
            c0, c1 = (j * w) // ow, -((-(j + 1) * w) // ow)
            out[..., i, j] = x[..., r0:r1, c0:c1].mean(axis=(-2, -1))
    return out


@samples
def _pool_samples(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    k = draw(st.integers(1, 3))
    s = draw(st.integers(1, 2))
    p = draw(st.integers(0, k // 2))
    x = draw(
        mst.tensors(
            (1, draw(st.integers(1, 2)), draw(st.integers(k, 5)), draw(st.integers(k, 5))),
            dtype,
            distinct=True,
        )
    )
    return SampleInput((x, k), {"stride": s, "padding": p})


@samples
def _adaptive_samples(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    x = draw(
        mst.tensors(
            (1, 2, draw(st.integers(1, 5)), draw(st.integers(1, 5))), dtype, elements=(-2, 2)
        )
    )
    return SampleInput((x, (draw(st.integers(1, 3)), draw(st.integers(1, 3)))))


_FLOATS = (np.float32, np.float64)

__all__ = ["OPS"]

OPS = [
    OpInfo(
        "max_pool2d",
        ref=np_max_pool2d,
        sample_inputs=_pool_samples,
        dtypes=_FLOATS,
        torch="nn.functional.max_pool2d",
    ),
    OpInfo(
        "avg_pool2d",
        ref=np_avg_pool2d,
        sample_inputs=_pool_samples,
        dtypes=_FLOATS,
        torch="nn.functional.avg_pool2d",
    ),
    OpInfo(
        "adaptive_avg_pool2d",
        ref=np_adaptive_avg_pool2d,
        sample_inputs=_adaptive_samples,
        dtypes=_FLOATS,
        torch="nn.functional.adaptive_avg_pool2d",
    ),
]
