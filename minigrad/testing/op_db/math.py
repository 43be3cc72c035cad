"""OpInfo entries of the elementwise math families: ``math`` (trigonometric, hyperbolic,
erf), ``exp_log`` (exponentials, logarithms, powers, lerp), ``rounding`` (rounding, signs,
division, one-sided clamps, nan_to_num) and ``predicate`` (isnan ... all/any)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from minigrad.testing.op_db.elementwise import _INTS, _torch_tensors, _unary
from minigrad.testing.opinfo import (
    OpInfo,
    SampleInput,
    binary_samples,
    reduction_samples,
    samples,
    unary_samples,
)

_FLOATS = (np.float32, np.float64)
_erf = np.vectorize(math.erf, otypes=[np.float64])


def _erfinv_bisect(y: float) -> float:
    """Reference erfinv by bisection on math.erf (slow, exact to float64)."""
    if abs(y) >= 1.0:
        return math.copysign(math.inf, y) if abs(y) == 1.0 else math.nan
    lo, hi = -6.0, 6.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if math.erf(mid) < y:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-17 * max(1.0, abs(mid)):
            break
    return 0.5 * (lo + hi)


_erfinv = np.vectorize(_erfinv_bisect, otypes=[np.float64])


def _torch_pair(fn: str) -> Any:
    def call(torch: Any, a: Any, b: Any) -> Any:
        return getattr(torch, fn)(*_torch_tensors(torch, a, b))

    return call


def _float_binary(name: str, ref: Any, **kw: Any) -> OpInfo:
    return OpInfo(
        name,
        ref=ref,
        sample_inputs=kw.pop("sample_inputs", binary_samples()),
        result_dtype=kw.pop("result_dtype", "float"),
        dtypes=kw.pop("dtypes", _INTS),
        torch=_torch_pair(name),
        **kw,
    )


@samples
def _division_samples(draw: Any, dtype: Any) -> SampleInput:
    """Divisors of magnitude in [0.7, 1.9] (integers round to ±1, ±2), quotients away
    from the integers where fmod/remainder jump."""
    from minigrad.testing import strategies as mst

    sa, sb = draw(mst.broadcastable_shapes(n=2, max_dims=2, max_side=3))
    a = draw(mst.tensors(sa, dtype, elements=(-4, 4)))
    mag = draw(mst.tensors(sb, dtype, elements=(0.7, 1.9)))
    signs = draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=mag.numel(), max_size=mag.numel()))
    b = mag.detach() * __import__("minigrad").tensor(signs, dtype=dtype).reshape(sb)
    b = b.requires_grad_(True)
    q = a._data / b._data
    assume(bool(np.all(np.abs(q - np.round(q)) > 0.05)))
    return SampleInput((a, b))


@samples
def _lerp_samples(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    shape = draw(mst.shapes(max_dims=2, max_side=3))
    a = draw(mst.tensors(shape, dtype, elements=(-3, 3)))
    b = draw(mst.tensors(shape, dtype, elements=(-3, 3)))
    if draw(st.booleans()):
        return SampleInput((a, b, draw(st.floats(-1, 2))))
    return SampleInput((a, b, draw(mst.tensors(shape[1:], dtype, elements=(-1, 2)))))


@samples
def _copysign_samples(draw: Any, dtype: Any) -> SampleInput:
    """Magnitudes away from 0 (``|a|`` has a kink there), signs of both drawn."""
    from minigrad.testing import strategies as mst

    sa, sb = draw(mst.broadcastable_shapes(n=2, max_dims=2, max_side=3))
    a = draw(mst.tensors(sa, dtype, elements=(-3, 3), away_from=0.0, margin=0.1))
    b = draw(mst.tensors(sb, dtype, elements=(-3, 3), away_from=0.0, margin=0.1))
    if draw(st.booleans()):
        return SampleInput((a, float(b._data.reshape(-1)[0])))
    return SampleInput((a, b))


def _np_fmod(a: Any, b: Any) -> Any:
    return np.fmod(a, b)


def _special_values(dtype: Any) -> Any:
    from minigrad.testing import strategies as mst

    values = st.sampled_from([0.0, 1.5, -2.0, math.nan, math.inf, -math.inf])
    return mst.shapes(max_dims=2, max_side=3).flatmap(
        lambda s: mst.tensors(s, dtype, elements=values, requires_grad=False)
    )


def _predicate(name: str, ref: Any) -> OpInfo:
    return OpInfo(
        name,
        ref=ref,
        sample_inputs=lambda dt: _special_values(dt).map(lambda x: SampleInput((x,))),
        supports_grad=False,
        result_dtype="bool",
        dtypes=_FLOATS,
        torch=name,
    )


@samples
def _close_pairs(draw: Any, dtype: Any) -> SampleInput:
    import minigrad

    x = draw(_special_values(dtype))
    noise = draw(st.sampled_from([0.0, 1e-9, 1e-3]))
    y = minigrad.tensor(x._data + noise * np.isfinite(x._data))
    kw = {"rtol": draw(st.sampled_from([1e-5, 1e-2])), "equal_nan": draw(st.booleans())}
    return SampleInput((x, y), kw)


def _as_tensor_result(fn: Any) -> Any:
    def call(*args: Any, **kwargs: Any) -> Any:
        import minigrad

        return minigrad.tensor(fn(*args, **kwargs))

    return call


def _np_round(x: Any, decimals: int = 0) -> Any:
    return np.round(x, decimals)


def _floor_divide_ref(a: Any, b: Any) -> Any:
    return np.floor_divide(a, b)


def _np_nan_to_num(x: Any, nan: float = 0.0, posinf: Any = None, neginf: Any = None) -> Any:
    return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


_INTEGERS = [float(i) for i in range(-4, 5)]
_HALVES = [i + 0.5 for i in range(-4, 4)]

__all__ = ["OPS"]

OPS = [
    # math
    _unary("acos", np.arccos, (-0.9, 0.9)),
    _unary("asin", np.arcsin, (-0.9, 0.9)),
    _unary("atan", np.arctan),
    _unary("tan", np.tan, (-1.3, 1.3)),
    _unary("sinh", np.sinh),
    _unary("cosh", np.cosh),
    _unary("asinh", np.arcsinh),
    _unary("acosh", np.arccosh, (1.2, 4.0)),
    _unary("atanh", np.arctanh, (-0.9, 0.9)),
    _unary("erf", _erf),
    _unary(
        "erfinv", _erfinv, (-0.95, 0.95), dtypes=(np.float32, np.float64, np.int64), grad_rtol=1e-3
    ),
    _float_binary(
        "atan2", np.arctan2, sample_inputs=binary_samples((-3, 3), (0.3, 3.0), scalars=False)
    ),
    _float_binary(
        "hypot",
        np.hypot,
        sample_inputs=binary_samples((0.3, 3), (-3, -0.3), scalars=False),
        dtypes=_FLOATS,
        result_dtype="promote",
    ),
    # exp_log
    _unary("log2", np.log2, (0.2, 5.0)),
    _unary("log10", np.log10, (0.2, 5.0)),
    _unary("log1p", np.log1p, (-0.8, 5.0)),
    _float_binary(
        "xlogy",
        lambda x, y: np.where(np.asarray(x) == 0, 0.0, x * np.log(y)),
        sample_inputs=binary_samples((-3.0, 3.0), (0.2, 3.0)),
        special_values=True,
    ),
    _unary("expm1", np.expm1),
    _unary("exp2", np.exp2),
    _unary("rsqrt", lambda x: 1.0 / np.sqrt(x), (0.2, 5.0)),
    _unary("reciprocal", np.reciprocal, (0.3, 3.0)),
    _unary("square", np.square, result_dtype="same"),
    _float_binary(
        "logaddexp",
        np.logaddexp,
        dtypes=_FLOATS,
        result_dtype="promote",
        sample_inputs=binary_samples(scalars=False),
    ),
    OpInfo(
        "lerp",
        ref=lambda a, b, w: a + w * (b - a),
        sample_inputs=_lerp_samples,
        dtypes=_FLOATS,
        result_dtype="same",
        torch=lambda torch, a, b, w: torch.lerp(a, b, w),
    ),
    # rounding
    _unary("floor", np.floor, away_from=_INTEGERS, result_dtype="same"),
    _unary("ceil", np.ceil, away_from=_INTEGERS, result_dtype="same"),
    _unary("trunc", np.trunc, away_from=_INTEGERS, result_dtype="same"),
    OpInfo(
        "round",
        ref=_np_round,
        sample_inputs=unary_samples(
            away_from=_HALVES + [0.05 + i / 10 for i in range(-31, 31)],
            margin=0.005,
            kwargs=st.sampled_from([{}, {"decimals": 0}, {"decimals": 1}]),
        ),
        result_dtype="same",
        dtypes=_INTS,
        torch="round",
    ),
    _unary(
        "frac", lambda x: x - np.trunc(x), away_from=_INTEGERS, result_dtype="same", dtypes=_FLOATS
    ),
    _unary("sgn", np.sign, away_from=0.0, result_dtype="same", torch="sign"),
    OpInfo("fmod", ref=_np_fmod, sample_inputs=_division_samples, dtypes=_INTS, torch="fmod"),
    OpInfo(
        "remainder",
        ref=np.remainder,
        sample_inputs=_division_samples,
        dtypes=_INTS,
        torch="remainder",
    ),
    OpInfo(
        "floor_divide",
        ref=_floor_divide_ref,
        sample_inputs=_division_samples,
        supports_grad=False,
        dtypes=_INTS,
        torch="floor_divide",
    ),
    _float_binary("copysign", np.copysign, sample_inputs=_copysign_samples),
    OpInfo(
        "clamp_min",
        ref=lambda x, min: np.maximum(x, min),
        sample_inputs=unary_samples(away_from=0.5, kwargs=st.just({"min": 0.5})),
        dtypes=_FLOATS,
        torch="clamp_min",
    ),
    OpInfo(
        "clamp_max",
        ref=lambda x, max: np.minimum(x, max),
        sample_inputs=unary_samples(away_from=0.5, kwargs=st.just({"max": 0.5})),
        dtypes=_FLOATS,
        torch="clamp_max",
    ),
    OpInfo(
        "nan_to_num",
        ref=_np_nan_to_num,
        sample_inputs=unary_samples(kwargs=st.sampled_from([{}, {"nan": 1.0, "posinf": 9.0}])),
        result_dtype="same",
        dtypes=_INTS,
        torch="nan_to_num",
    ),
    # predicate
    _predicate("isnan", np.isnan),
    _predicate("isinf", np.isinf),
    _predicate("isfinite", np.isfinite),
    _predicate("isposinf", np.isposinf),
    _predicate("isneginf", np.isneginf),
    OpInfo(
        "isclose",
        ref=lambda a, b, **kw: np.isclose(a, b, atol=1e-8, **kw),
        sample_inputs=_close_pairs,
        supports_grad=False,
        result_dtype="bool",
        dtypes=_FLOATS,
        torch="isclose",
    ),
    OpInfo(
        "allclose",
        op=_as_tensor_result(lambda a, b, **kw: __import__("minigrad").allclose(a, b, **kw)),
        ref=lambda a, b, **kw: np.allclose(a, b, atol=1e-8, **kw),
        sample_inputs=_close_pairs,
        supports_grad=False,
        result_dtype="bool",
        dtypes=_FLOATS,
        torch=lambda torch, a, b, **kw: torch.tensor(torch.allclose(a, b, **kw)),
    ),
    OpInfo(
        "equal",
        op=_as_tensor_result(lambda a, b, **kw: __import__("minigrad").equal(a, b)),
        ref=lambda a, b, **kw: np.array_equal(a, b),
        sample_inputs=_close_pairs,
        supports_grad=False,
        result_dtype="bool",
        dtypes=_FLOATS,
        torch=lambda torch, a, b, **kw: torch.tensor(torch.equal(a, b)),
    ),
    OpInfo(
        "all",
        ref=lambda x, dim=None, keepdim=False: np.all(
            x != 0, axis=tuple(dim) if isinstance(dim, (list, tuple)) else dim, keepdims=keepdim
        ),
        sample_inputs=reduction_samples((0.0, 1.4)),
        supports_grad=False,
        result_dtype="bool",
        dtypes=_INTS,
        torch="all",
        skips={
            "forward": "floats in [0, 1.4) are all nonzero; the dtype and torch checks "
            "see the rounded integer samples with zeros"
        },
    ),
    OpInfo(
        "any",
        ref=lambda x, dim=None, keepdim=False: np.any(
            x != 0, axis=tuple(dim) if isinstance(dim, (list, tuple)) else dim, keepdims=keepdim
        ),
        sample_inputs=reduction_samples((0.0, 0.6)),
        supports_grad=False,
        result_dtype="bool",
        dtypes=_INTS,
        torch="any",
    ),
]
