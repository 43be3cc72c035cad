"""OpInfo entries of the activation functions (``minigrad.ops.activation``)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import strategies as st

from minigrad.testing.opinfo import OpInfo, SampleInput, samples, unary_samples

_FLOATS = (np.float32, np.float64)
_INTS = (np.float32, np.float64, np.int32, np.int64)
_erf = np.vectorize(math.erf, otypes=[np.float64])
_ALPHA, _SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def _sig(x: Any) -> Any:
    return 1.0 / (1.0 + np.exp(-x))


def _softplus(x: Any, beta: float = 1.0, threshold: float = 20.0) -> Any:
    return np.where(x * beta > threshold, x, np.logaddexp(0.0, x * beta) / beta)


def _elu(x: Any, alpha: float = 1.0) -> Any:
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def _celu(x: Any, alpha: float = 1.0) -> Any:
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0) / alpha))


def _gelu(x: Any, approximate: str = "none") -> Any:
    if approximate == "tanh":
        return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))
    return x * 0.5 * (1 + _erf(x / np.sqrt(2)))


def _act(name: str, ref: Any, *, away: Any = (), domain: Any = (-4.0, 4.0), **kw: Any) -> OpInfo:
    return OpInfo(
        name,
        ref=ref,
        sample_inputs=unary_samples(
            domain, away_from=away, margin=0.05, kwargs=kw.pop("kwargs", None)
        ),
        result_dtype=kw.pop("result_dtype", "float"),
        dtypes=kw.pop("dtypes", _INTS),
        torch=kw.pop("torch", f"nn.functional.{name}"),
        **kw,
    )


@samples
def _prelu_samples(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    shape = draw(st.sampled_from([(3,), (2, 3), (2, 3, 2)]))
    x = draw(mst.tensors(shape, dtype, elements=(-3, 3), away_from=0.0, margin=0.05))
    n = draw(st.sampled_from([1, shape[1] if len(shape) > 1 else 1]))
    w = draw(mst.tensors((n,), dtype, elements=(-0.5, 0.5)))
    return SampleInput((x, w))


def _np_prelu(x: Any, w: Any) -> Any:
    w = w.reshape((-1,) + (1,) * (x.ndim - 2)) if w.size > 1 else w.reshape(())
    return np.where(x > 0, x, w * x)


@samples
def _glu_samples(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    ndim = draw(st.integers(1, 3))
    dim = draw(mst.valid_dim(ndim))
    shape = [draw(st.integers(1, 3)) for _ in range(ndim)]
    shape[dim] = 2 * draw(st.integers(1, 2))
    return SampleInput((draw(mst.tensors(tuple(shape), dtype, elements=(-3, 3))),), {"dim": dim})


def _np_glu(x: Any, dim: int = -1) -> Any:
    a, b = np.split(x, 2, axis=dim)
    return a * _sig(b)


@samples
def _softmin_samples(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    shape = draw(mst.shapes(min_dims=1, max_dims=3, max_side=3))
    x = draw(mst.tensors(shape, dtype, elements=(-3, 3)))
    return SampleInput((x,), {"dim": draw(mst.valid_dim(len(shape)))})


def _np_softmin(x: Any, dim: int) -> Any:
    e = np.exp(-x - np.max(-x, axis=dim, keepdims=True))
    return e / e.sum(axis=dim, keepdims=True)


_SOFTPLUS_KW = st.sampled_from([{}, {"beta": 2.0}, {"beta": 0.5, "threshold": 1.0}])

__all__ = ["OPS"]

OPS = [
    _act("leaky_relu", lambda x, negative_slope=0.01: np.where(x > 0, x, negative_slope * x),
         away=0.0, result_dtype="same", kwargs=st.sampled_from([{}, {"negative_slope": 0.2}])),
    _act("gelu", _gelu, kwargs=st.sampled_from([{}, {"approximate": "tanh"}])),
    _act("silu", lambda x: x * _sig(x)),
    _act("mish", lambda x: x * np.tanh(np.logaddexp(0.0, x))),
    _act("elu", _elu, away=0.0, kwargs=st.sampled_from([{}, {"alpha": 0.5}])),
    _act("selu", lambda x: _SCALE * _elu(x, _ALPHA), away=0.0),
    _act("celu", _celu,
         away=0.0, kwargs=st.sampled_from([{}, {"alpha": 2.0}])),
    _act("hardtanh", lambda x, min_val=-1.0, max_val=1.0: np.clip(x, min_val, max_val),
         away=(-1.0, 1.0, -2.0, 0.5), result_dtype="same",
         kwargs=st.sampled_from([{}, {"min_val": -2.0, "max_val": 0.5}]), dtypes=_FLOATS),
    _act("relu6", lambda x: np.clip(x, 0, 6), away=(0.0, 6.0), domain=(-3.0, 8.0),
         result_dtype="same", dtypes=_FLOATS),
    _act("hardswish", lambda x: x * np.clip(x + 3, 0, 6) / 6, away=(-3.0, 3.0), domain=(-5, 5)),
    _act("hardsigmoid", lambda x: np.clip(x + 3, 0, 6) / 6, away=(-3.0, 3.0), domain=(-5, 5)),
    _act("logsigmoid", lambda x: -np.logaddexp(0.0, -x)),
    _act("softsign", lambda x: x / (1 + np.abs(x)), away=0.0),
    _act("softplus", _softplus, away=(0.5, 1.0, 2.0), kwargs=_SOFTPLUS_KW, domain=(-4, 25)),
    _act("tanhshrink", lambda x: x - np.tanh(x)),
    _act("threshold", lambda x, threshold, value: np.where(x > threshold, x, value),
         away=0.5, result_dtype="same", dtypes=_FLOATS,
         kwargs=st.just({"threshold": 0.5, "value": -2.0})),
    OpInfo("softmin", ref=_np_softmin, sample_inputs=_softmin_samples, dtypes=_FLOATS,
           torch="nn.functional.softmin"),
    OpInfo("prelu", ref=_np_prelu, sample_inputs=_prelu_samples, dtypes=_FLOATS,
           torch="nn.functional.prelu"),
    OpInfo("glu", ref=_np_glu, sample_inputs=_glu_samples, dtypes=_FLOATS,
           torch="nn.functional.glu"),
]  # fmt: skip
