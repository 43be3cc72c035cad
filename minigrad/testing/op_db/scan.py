"""OpInfo entries of the scans and sorting ops."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from minigrad.testing.opinfo import OpInfo, SampleInput, samples

_ALL = (np.float32, np.float64, np.int64)


def _x(draw: Any, dtype: Any, min_dims: int = 0, **kw: Any) -> Any:
    from minigrad.testing import strategies as mst

    shape = draw(mst.shapes(min_dims=min_dims, max_dims=3, min_side=1, max_side=3))
    if np.dtype(dtype).kind != "f":
        kw.pop("distinct", None)
    kw.setdefault("elements", (-3, 3))
    return draw(mst.tensors(shape, dtype, **kw))


def _dim(draw: Any, x: Any) -> int:
    from minigrad.testing import strategies as mst

    return int(draw(mst.valid_dim(x.ndim)))


def _scan(**kw: Any) -> Any:
    @samples
    def draw_sample(draw: Any, dtype: Any) -> SampleInput:
        x = _x(draw, dtype, **kw)
        return SampleInput((x, _dim(draw, x)))

    return draw_sample


@samples
def _cumprod(draw: Any, dtype: Any) -> SampleInput:
    # Zeros sometimes (the gradient must stay exact there); second derivatives are
    # drawn away from them (see the example tests for the zero case).
    x = _x(draw, dtype, elements=st.sampled_from([-2.0, -0.5, 0.0, 0.75, 1.5, 3.0]))
    return SampleInput((x, _dim(draw, x)))


def _axis(x: Any, dim: int) -> Any:
    return x.reshape(1) if x.ndim == 0 else x, 0 if x.ndim == 0 else dim % x.ndim


def _np_cum(fn: Any) -> Any:
    def ref(x: Any, dim: int, dtype: Any = None) -> Any:
        a, d = _axis(x, dim)
        return fn(a, axis=d).reshape(x.shape)

    return ref


def _np_cumext(largest: bool) -> Any:
    def ref(x: Any, dim: int) -> Any:
        a, d = _axis(x, dim)
        values = (np.maximum if largest else np.minimum).accumulate(a, axis=d)
        n = a.shape[d]
        pos = np.arange(n).reshape([-1 if e == d else 1 for e in range(a.ndim)])
        index = np.maximum.accumulate(np.where(a == values, pos, 0), axis=d)
        return values.reshape(x.shape), index.reshape(x.shape)

    return ref


@samples
def _sort(draw: Any, dtype: Any) -> SampleInput:
    x = _x(draw, dtype, distinct=True)
    return SampleInput((x,), {"dim": _dim(draw, x), "descending": draw(st.booleans())})


def _np_sort(x: Any, dim: int = -1, descending: bool = False, stable: bool = False) -> Any:
    a, d = _axis(x, dim)
    index = np.argsort(-a if descending else a, axis=d, kind="stable")
    return np.take_along_axis(a, index, d).reshape(x.shape), index.reshape(x.shape)


@samples
def _msort(draw: Any, dtype: Any) -> SampleInput:
    return SampleInput((_x(draw, dtype, min_dims=1, distinct=True),))


@samples
def _topk(draw: Any, dtype: Any) -> SampleInput:
    x = _x(draw, dtype, distinct=True)
    dim = _dim(draw, x)
    n = x.shape[dim] if x.ndim else 1
    kw = {"dim": dim, "largest": draw(st.booleans())}
    return SampleInput((x, draw(st.integers(0, n)) if x.ndim else 1), kw)


def _np_topk(x: Any, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:
    values, index = _np_sort(x, dim, descending=largest)
    if x.ndim == 0:
        return values, index
    cut = (slice(None),) * (dim % x.ndim) + (slice(0, k),)
    return values[cut], index[cut]


@samples
def _kth(draw: Any, dtype: Any) -> SampleInput:
    x = _x(draw, dtype, distinct=True)
    dim = _dim(draw, x)
    n = x.shape[dim] if x.ndim else 1
    return SampleInput((x, draw(st.integers(1, n))), {"dim": dim, "keepdim": draw(st.booleans())})


def _pick_ref(position: Any) -> Any:
    def ref(x: Any, *args: Any, dim: int = -1, keepdim: bool = False) -> Any:
        a, d = _axis(x, dim)
        index = np.argsort(a, axis=d, kind="stable")
        k = position(a.shape[d], *args)
        i = np.take(index, [k], axis=d)
        v = np.take_along_axis(a, i, d)
        if x.ndim == 0:
            return v.reshape(()), i.reshape(())
        return (v, i) if keepdim else (np.squeeze(v, d), np.squeeze(i, d))

    return ref


@samples
def _median(draw: Any, dtype: Any) -> SampleInput:
    x = _x(draw, dtype, distinct=True)
    if draw(st.booleans()):
        return SampleInput((x,))
    return SampleInput((x,), {"dim": _dim(draw, x), "keepdim": draw(st.booleans())})


def _np_median(x: Any, dim: Any = None, keepdim: bool = False) -> Any:
    if dim is None:
        flat = np.sort(x.reshape(-1))
        return flat[(flat.size - 1) // 2]
    return _pick_ref(lambda n: (n - 1) // 2)(x, dim=dim, keepdim=keepdim)


@samples
def _mode(draw: Any, dtype: Any) -> SampleInput:
    # Repeated values make a mode, but perturbing one breaks the tie it won: they are
    # drawn without requires_grad. Distinct values (the mode is the smallest) are
    # differentiable: the gradient goes to the selected element.
    if draw(st.booleans()):
        x = _x(draw, dtype, elements=st.sampled_from([-1.0, 0.5, 2.0]), requires_grad=False)
    else:
        x = _x(draw, dtype, distinct=True)
    return SampleInput((x,), {"dim": _dim(draw, x), "keepdim": draw(st.booleans())})


def _np_mode(x: Any, dim: int = -1, keepdim: bool = False) -> Any:
    a, d = _axis(x, dim)
    moved = np.moveaxis(a, d, -1)
    flat = moved.reshape(-1, moved.shape[-1])
    values, indices = [], []
    for row in flat:  # the reference may loop: it is the slow, obvious version
        uniq, counts = np.unique(row, return_counts=True)
        v = uniq[np.argmax(counts)]
        values.append(v)
        indices.append(np.nonzero(row == v)[0][-1])
    shape = moved.shape[:-1]
    v_arr, i_arr = np.array(values, dtype=a.dtype).reshape(shape), np.array(indices).reshape(shape)
    if x.ndim == 0:
        return v_arr.reshape(()), i_arr.reshape(())
    if keepdim:
        return np.expand_dims(v_arr, d), np.expand_dims(i_arr, d)
    return v_arr, i_arr


@samples
def _unique(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    x = _x(draw, dtype, elements=st.sampled_from([-1.0, 0.5, 2.0]))
    kw = {"return_inverse": draw(st.booleans()), "return_counts": draw(st.booleans())}
    if x.ndim and draw(st.booleans()):
        kw["dim"] = draw(mst.valid_dim(x.ndim))
    return SampleInput((x,), kw)


def _np_unique(
    x: Any, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False,
    dim: Any = None,
) -> Any:  # fmt: skip
    values, inverse, counts = np.unique(x, return_inverse=True, return_counts=True, axis=dim)
    out = [values]
    if return_inverse:
        out.append(inverse.reshape(x.shape) if dim is None else inverse.reshape(-1))
    if return_counts:
        out.append(counts)
    return out[0] if len(out) == 1 else tuple(out)


def _np_logcumsumexp(x: Any, dim: int) -> Any:
    a, d = _axis(x, dim)
    return np.log(np.cumsum(np.exp(a), axis=d)).reshape(x.shape)


def _sum_dtype(s: SampleInput) -> Any:
    dt = s.args[0].dtype
    return np.dtype(np.int64) if dt.kind in "biu" else dt


__all__ = ["OPS"]

OPS = [
    OpInfo(
        "cumsum",
        ref=_np_cum(np.cumsum),
        sample_inputs=_scan(),
        dtypes=_ALL,
        result_dtype=_sum_dtype,
        torch="cumsum",
    ),
    OpInfo(
        "cumprod",
        ref=_np_cum(np.cumprod),
        sample_inputs=_cumprod,
        dtypes=_ALL,
        result_dtype=_sum_dtype,
        torch="cumprod",
    ),
    OpInfo(
        "logcumsumexp",
        ref=_np_logcumsumexp,
        sample_inputs=_scan(),
        result_dtype="float",
        torch="logcumsumexp",
    ),
    OpInfo(
        "cummax",
        ref=_np_cumext(True),
        sample_inputs=_scan(distinct=True),
        dtypes=_ALL,
        result_dtype="same",
        torch="cummax",
    ),
    OpInfo(
        "cummin",
        ref=_np_cumext(False),
        sample_inputs=_scan(distinct=True),
        dtypes=_ALL,
        result_dtype="same",
        torch="cummin",
    ),
    OpInfo(
        "sort", ref=_np_sort, sample_inputs=_sort, dtypes=_ALL, result_dtype="same", torch="sort"
    ),
    OpInfo(
        "argsort",
        ref=lambda x, **kw: _np_sort(x, **kw)[1],
        sample_inputs=_sort,
        dtypes=_ALL,
        supports_grad=False,
        result_dtype="int64",
        torch="argsort",
    ),
    OpInfo(
        "msort",
        ref=lambda x: _np_sort(x, 0)[0],
        sample_inputs=_msort,
        dtypes=_ALL,
        result_dtype="same",
        torch="msort",
    ),
    OpInfo(
        "topk", ref=_np_topk, sample_inputs=_topk, dtypes=_ALL, result_dtype="same", torch="topk"
    ),
    OpInfo(
        "kthvalue",
        ref=_pick_ref(lambda n, k: k - 1),
        sample_inputs=_kth,
        dtypes=_ALL,
        result_dtype="same",
        torch="kthvalue",
    ),
    OpInfo(
        "median",
        ref=_np_median,
        sample_inputs=_median,
        dtypes=_ALL,
        result_dtype="same",
        torch="median",
    ),
    OpInfo(
        "mode", ref=_np_mode, sample_inputs=_mode, dtypes=_ALL, result_dtype="same", torch="mode"
    ),
    OpInfo(
        "unique",
        ref=_np_unique,
        sample_inputs=_unique,
        dtypes=_ALL,
        supports_grad=False,
        result_dtype="same",
        torch="unique",
    ),
]
