"""OpInfo entries of the reductions and softmaxes."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import assume
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


__all__ = ["OPS"]

OPS = [
    OpInfo(
        "sum",
        special_values=True,
        ref=_np_reduce(np.sum),
        sample_inputs=reduction_samples(),
        result_dtype=_sum_dtype,
        dtypes=_INTS,
        torch="sum",
    ),
    OpInfo(
        "mean",
        special_values=True,
        ref=_np_reduce(np.mean),
        sample_inputs=reduction_samples(),
        dtypes=_FLOATS,
        torch="mean",
    ),
    OpInfo(
        "prod",
        special_values=True,
        ref=_np_reduce(np.prod),
        sample_inputs=reduction_samples((0.5, 2.0), multi_dims=False),
        result_dtype=_sum_dtype,
        dtypes=_INTS,
        torch="prod",
    ),
    OpInfo(
        "var",
        special_values=True,
        ref=_np_var,
        sample_inputs=reduction_samples(extra=_CORRECTION, min_side=2, distinct=True),
        dtypes=_FLOATS,
        torch="var",
    ),
    OpInfo(
        "std",
        special_values=True,
        ref=_np_std,
        sample_inputs=reduction_samples(extra=_CORRECTION, min_side=2, distinct=True),
        dtypes=_FLOATS,
        torch="std",
    ),
    OpInfo(
        "max",
        special_values=True,
        ref=_np_extremum(True),
        sample_inputs=reduction_samples(multi_dims=False, distinct=True),
        dtypes=_INTS,
        result_dtype="same",
        torch="max",
    ),
    OpInfo(
        "min",
        special_values=True,
        ref=_np_extremum(False),
        sample_inputs=reduction_samples(multi_dims=False, distinct=True),
        dtypes=_INTS,
        result_dtype="same",
        torch="min",
    ),
    OpInfo(
        "amax",
        special_values=True,
        ref=_np_reduce(np.max),
        sample_inputs=reduction_samples(distinct=True),
        dtypes=_INTS,
        result_dtype="same",
        torch="amax",
    ),
    OpInfo(
        "amin",
        special_values=True,
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
        special_values=True,
        ref=_np_logsumexp,
        sample_inputs=reduction_samples(),
        dtypes=_FLOATS,
        torch=lambda torch, x, dim=None, keepdim=False: torch.logsumexp(
            x, dim=tuple(range(x.ndim)) if dim is None else dim, keepdim=keepdim
        ),
    ),
    OpInfo(
        "softmax",
        special_values=True,
        ref=_np_softmax,
        sample_inputs=_softmax_samples,
        dtypes=_FLOATS,
        torch="softmax",
    ),
    OpInfo(
        "log_softmax",
        special_values=True,
        ref=_np_log_softmax,
        sample_inputs=_softmax_samples,
        dtypes=_FLOATS,
        torch="log_softmax",
    ),
]


# --------------------------------------------------------------------------- norms, statistics


def _np_vector_norm(x: Any, ord: Any = 2, dim: Any = None, keepdim: bool = False) -> Any:
    axis = _axis(dim) if dim is not None else tuple(range(x.ndim))
    a = np.abs(x)
    if ord == np.inf:
        return np.max(a, axis=axis, keepdims=keepdim)
    if ord == -np.inf:
        return np.min(a, axis=axis, keepdims=keepdim)
    if ord == 0:
        return np.sum(a != 0, axis=axis, keepdims=keepdim).astype(x.dtype)
    return np.sum(a**ord, axis=axis, keepdims=keepdim) ** (1.0 / ord)


_ORDS = st.fixed_dictionaries({"ord": st.sampled_from([2, 1, 3, 0.5, np.inf, -np.inf, 0])})


def _norm_samples(extra: Any) -> Any:
    """``(x,)`` away from 0 with well-separated values, ``dim``/``keepdim`` and ``extra``."""

    @samples
    def draw(d: Any, dtype: Any) -> SampleInput:
        from minigrad.testing import strategies as mst

        shape = d(mst.shapes(min_dims=1, max_dims=3, max_side=3))
        x = d(mst.tensors(shape, dtype, elements=(-3, 3), distinct=True, away_from=0.0))
        kw = {"dim": d(st.one_of(mst.valid_dim(len(shape)), mst.valid_dims(len(shape))))}
        kw["keepdim"] = d(st.booleans())
        kw.update(d(extra))
        return SampleInput((x,), kw)

    return draw


def _np_norm(x: Any, p: Any = "fro", dim: Any = None, keepdim: bool = False) -> Any:
    return _np_vector_norm(x, 2 if p == "fro" else p, dim, keepdim)


@samples
def _matrix_norm_samples(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    shape = draw(st.sampled_from([(2, 3), (3, 2), (2, 2, 3)]))
    x = draw(mst.tensors(shape, dtype, elements=(-3, 3), distinct=True, away_from=0.0, margin=0.05))
    ord = draw(st.sampled_from([None, "fro", 1, -1, np.inf, -np.inf, "nuc", 2, -2]))
    if ord in ("nuc", 2, -2):
        s = np.linalg.svd(x._data, compute_uv=False)
        assume(bool(np.all(np.diff(s, axis=-1) < -0.1)) and bool(np.all(s > 0.1)))
    kw: dict[str, Any] = {"ord": ord, "keepdim": draw(st.booleans())}
    if len(shape) == 3 or draw(st.booleans()):
        kw["dim"] = draw(
            st.sampled_from([(-2, -1), (-1, -2), (0, 1) if len(shape) == 2 else (1, 2)])
        )
    elif ord is not None and ord in ("fro", "nuc"):
        kw["dim"] = (0, 1)
    return SampleInput((x,), kw)


def _np_linalg_norm(x: Any, ord: Any = None, dim: Any = None, keepdim: bool = False) -> Any:
    return np.linalg.norm(x, ord=ord, axis=dim if dim is not None else (-2, -1), keepdims=keepdim)


def _np_var_mean(x: Any, dim: Any = None, keepdim: bool = False, correction: int = 1) -> Any:
    return _np_var(x, dim, keepdim, correction), np.mean(x, axis=_axis(dim), keepdims=keepdim)


def _np_std_mean(x: Any, dim: Any = None, keepdim: bool = False, correction: int = 1) -> Any:
    return _np_std(x, dim, keepdim, correction), np.mean(x, axis=_axis(dim), keepdims=keepdim)


def _np_aminmax(x: Any, dim: Any = None, keepdim: bool = False) -> Any:
    return np.min(x, axis=dim, keepdims=keepdim), np.max(x, axis=dim, keepdims=keepdim)


def _np_count_nonzero(x: Any, dim: Any = None) -> Any:
    return np.count_nonzero(x, axis=_axis(dim))


OPS += [
    OpInfo(
        "linalg_vector_norm",
        ref=_np_vector_norm,
        sample_inputs=_norm_samples(_ORDS),
        dtypes=_FLOATS,
        torch="linalg.vector_norm",
    ),
    OpInfo(
        "norm",
        ref=_np_norm,
        sample_inputs=lambda dt: _norm_samples(
            st.fixed_dictionaries({"p": st.sampled_from(["fro", 1, 2, 3])})
        )(dt).filter(
            lambda s: (
                s.kwargs["p"] != "fro" or np.ndim(s.kwargs["dim"]) == 0 or len(s.kwargs["dim"]) <= 2
            )
        ),
        dtypes=_FLOATS,
        torch="norm",
    ),
    OpInfo(
        "linalg_norm",
        ref=_np_linalg_norm,
        sample_inputs=_matrix_norm_samples,
        dtypes=_FLOATS,
        torch="linalg.norm",
        grad_rtol=1e-3,
    ),
    OpInfo(
        "var_mean",
        ref=_np_var_mean,
        sample_inputs=reduction_samples(extra=_CORRECTION, min_side=2),
        dtypes=_FLOATS,
        torch="var_mean",
    ),
    OpInfo(
        "std_mean",
        ref=_np_std_mean,
        sample_inputs=reduction_samples(extra=_CORRECTION, min_side=2, distinct=True),
        dtypes=_FLOATS,
        torch="std_mean",
    ),
    OpInfo(
        "count_nonzero",
        ref=_np_count_nonzero,
        sample_inputs=reduction_samples((0.0, 1.5), keepdim=False),
        supports_grad=False,
        result_dtype="int64",
        dtypes=_INTS,
        torch="count_nonzero",
        skips={
            "forward": "float samples in (0, 1.5) are nonzero; the dtype and torch checks "
            "see rounded integer samples with zeros"
        },
    ),
    OpInfo(
        "aminmax",
        ref=_np_aminmax,
        sample_inputs=reduction_samples(multi_dims=False, distinct=True),
        dtypes=_INTS,
        result_dtype="same",
        torch="aminmax",
    ),
]
