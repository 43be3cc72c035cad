"""OpInfo entries of the reductions and softmaxes."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from minigrad.testing.opinfo import OpInfo, SampleInput, reduction_samples, samples


def _axis(dim: Any) -> Any:
    return tuple(dim) if isinstance(dim, (list, tuple)) else dim


def _np_reduce(fn: Any) -> Any:
    def ref(x: Any, dim: Any = None, keepdim: bool = False, **kw: Any) -> Any:
        return fn(x, axis=_axis(dim), keepdims=keepdim, **kw)

    return ref


def _np_var(x: Any, dim: Any = None, keepdim: bool = False, correction: int = 1) -> Any:
    return np.var(x, axis=_axis(dim), keepdims=keepdim, ddof=correction)


def _np_std(x: Any, dim: Any = None, keepdim: bool = False, correction: int = 1) -> Any:
    return np.std(x, axis=_axis(dim), keepdims=keepdim, ddof=correction)


def _np_extremum(largest: bool) -> Any:
    def ref(x: Any, dim: Any = None, keepdim: bool = False) -> Any:
        if dim is None:
            return np.max(x) if largest else np.min(x)
        idx = (np.argmax if largest else np.argmin)(x, axis=dim)
        values = np.take_along_axis(x, np.expand_dims(idx, dim), dim)
        if not keepdim:
            return np.squeeze(values, dim), idx
        return values, np.expand_dims(idx, dim)

    return ref


def _np_arg(largest: bool) -> Any:
    def ref(x: Any, dim: Any = None, keepdim: bool = False) -> Any:
        idx = (np.argmax if largest else np.argmin)(x, axis=dim)
        if keepdim and dim is not None:
            idx = np.expand_dims(idx, dim)
        return idx

    return ref


def _np_logsumexp(x: Any, dim: Any = None, keepdim: bool = False) -> Any:
    m = np.max(x, axis=_axis(dim), keepdims=True)
    out = np.log(np.sum(np.exp(x - m), axis=_axis(dim), keepdims=True)) + m
    return out if keepdim else np.squeeze(out, axis=_axis(dim))


def _np_softmax(x: Any, dim: int) -> Any:
    e = np.exp(x - np.max(x, axis=dim, keepdims=True))
    return e / np.sum(e, axis=dim, keepdims=True)


def _np_log_softmax(x: Any, dim: int) -> Any:
    return np.log(_np_softmax(x, dim))


@samples
def _softmax_samples(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    shape = draw(mst.shapes(min_dims=1, max_dims=3, max_side=3))
    x = draw(mst.tensors(shape, dtype, elements=(-3, 3)))
    return SampleInput((x,), {"dim": draw(mst.valid_dim(len(shape)))})


_CORRECTION = st.fixed_dictionaries({"correction": st.sampled_from([0, 1])})
_FLOATS = (np.float32, np.float64)
_INTS = (np.float32, np.float64, np.int32, np.int64)


def _sum_dtype(s: SampleInput) -> Any:
    dt = s.args[0].dtype
    return np.dtype(np.int64) if dt.kind in "biu" else dt


OPS = [
    OpInfo(
        "sum",
        ref=_np_reduce(np.sum),
        sample_inputs=reduction_samples(),
        result_dtype=_sum_dtype,
        dtypes=_INTS,
        torch="sum",
    ),
    OpInfo(
        "mean",
        ref=_np_reduce(np.mean),
        sample_inputs=reduction_samples(),
        dtypes=_FLOATS,
        torch="mean",
    ),
    OpInfo(
        "prod",
        ref=_np_reduce(np.prod),
        sample_inputs=reduction_samples((0.5, 2.0), multi_dims=False),
        result_dtype=_sum_dtype,
        dtypes=_INTS,
        torch="prod",
    ),
    OpInfo(
        "var",
        ref=_np_var,
        sample_inputs=reduction_samples(extra=_CORRECTION, min_side=2, distinct=True),
        dtypes=_FLOATS,
        torch="var",
    ),
    OpInfo(
        "std",
        ref=_np_std,
        sample_inputs=reduction_samples(extra=_CORRECTION, min_side=2, distinct=True),
        dtypes=_FLOATS,
        torch="std",
    ),
    OpInfo(
        "max",
        ref=_np_extremum(True),
        sample_inputs=reduction_samples(multi_dims=False, distinct=True),
        dtypes=_INTS,
        result_dtype="same",
        torch="max",
    ),
    OpInfo(
        "min",
        ref=_np_extremum(False),
        sample_inputs=reduction_samples(multi_dims=False, distinct=True),
        dtypes=_INTS,
        result_dtype="same",
        torch="min",
    ),
    OpInfo(
        "amax",
        ref=_np_reduce(np.max),
        sample_inputs=reduction_samples(distinct=True),
        dtypes=_INTS,
        result_dtype="same",
        torch="amax",
    ),
    OpInfo(
        "amin",
        ref=_np_reduce(np.min),
        sample_inputs=reduction_samples(distinct=True),
        dtypes=_INTS,
        result_dtype="same",
        torch="amin",
    ),
    OpInfo(
        "argmax",
        ref=_np_arg(True),
        sample_inputs=reduction_samples(multi_dims=False, distinct=True),
        supports_grad=False,
        result_dtype="int64",
        dtypes=_INTS,
        torch="argmax",
    ),
    OpInfo(
        "argmin",
        ref=_np_arg(False),
        sample_inputs=reduction_samples(multi_dims=False, distinct=True),
        supports_grad=False,
        result_dtype="int64",
        dtypes=_INTS,
        torch="argmin",
    ),
    OpInfo(
        "logsumexp",
        ref=_np_logsumexp,
        sample_inputs=reduction_samples(),
        dtypes=_FLOATS,
        torch=lambda torch, x, dim=None, keepdim=False: torch.logsumexp(
            x, dim=tuple(range(x.ndim)) if dim is None else dim, keepdim=keepdim
        ),
    ),
    OpInfo(
        "softmax", ref=_np_softmax, sample_inputs=_softmax_samples, dtypes=_FLOATS, torch="softmax"
    ),
    OpInfo(
        "log_softmax",
        ref=_np_log_softmax,
        sample_inputs=_softmax_samples,
        dtypes=_FLOATS,
        torch="log_softmax",
    ),
]
