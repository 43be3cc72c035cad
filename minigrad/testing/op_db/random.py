"""OpInfo entries of the random sampling ops (dtype rules only: their values are random;
tests/test_ops_random.py checks their distributions, seeding and errors)."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from minigrad.testing.opinfo import OpInfo, SampleInput, samples


def _probs(draw: Any, shape: Any, dtype: Any) -> Any:
    from minigrad.testing import strategies as mst

    return draw(mst.tensors(shape, dtype, elements=(0.0, 1.0), requires_grad=False))


@samples
def _multinomial_samples(draw: Any, dtype: Any) -> SampleInput:
    shape = draw(st.sampled_from([(4,), (2, 4)]))
    w = _probs(draw, shape, dtype)
    w._data[..., 0] = 0.5  # never all zero
    replacement = draw(st.booleans())
    return SampleInput((w, draw(st.integers(1, 4 if not replacement else 6)), replacement))


@samples
def _randperm_samples(draw: Any, dtype: Any) -> SampleInput:
    return SampleInput((draw(st.integers(0, 6)),))


@samples
def _unary_probs(draw: Any, dtype: Any) -> SampleInput:
    return SampleInput((_probs(draw, draw(st.sampled_from([(3,), (2, 2), ()])), dtype),))


@samples
def _normal_samples(draw: Any, dtype: Any) -> SampleInput:
    kind = draw(st.sampled_from(["tt", "tf", "ft"]))
    m, s = _probs(draw, (2, 3), dtype), _probs(draw, (3,), dtype)
    return SampleInput({"tt": (m, s), "tf": (m, 2.0), "ft": (1.0, s)}[kind])


def _inplace(name: str) -> Any:
    def run(x: Any, *args: Any, **kwargs: Any) -> Any:
        return getattr(x.detach().clone(), name)(*args, **kwargs)

    run.__name__ = name
    return run


_INPLACE_ARGS = {
    "bernoulli_": (0.3,),
    "exponential_": (2.0,),
    "geometric_": (0.4,),
    "log_normal_": (0.0, 0.5),
    "cauchy_": (0.0, 1.0),
    "uniform_": (-1.0, 1.0),
    "normal_": (0.0, 2.0),
    "random_": (0, 5),
}


def _inplace_samples(args: tuple[Any, ...]) -> Any:
    @samples
    def draw_(draw: Any, dtype: Any) -> SampleInput:
        return SampleInput((_probs(draw, draw(st.sampled_from([(3,), (2, 2)])), dtype), *args))

    return draw_


def _normal_dtype(s: SampleInput) -> Any:
    return np.result_type(*[a.dtype for a in s.args if hasattr(a, "dtype")])


__all__ = ["OPS"]

OPS = [
    OpInfo("multinomial", sample_inputs=_multinomial_samples, supports_grad=False,
           result_dtype="int64"),
    OpInfo("randperm", sample_inputs=_randperm_samples, supports_grad=False, result_dtype="int64"),
    OpInfo("bernoulli", sample_inputs=_unary_probs, supports_grad=False, result_dtype="same"),
    OpInfo("poisson", sample_inputs=_unary_probs, supports_grad=False, result_dtype="same"),
    OpInfo("normal", sample_inputs=_normal_samples, supports_grad=False,
           result_dtype=_normal_dtype),
] + [
    OpInfo(name, op=_inplace(name), sample_inputs=_inplace_samples(args), supports_grad=False,
           result_dtype="same")
    for name, args in _INPLACE_ARGS.items()
]  # fmt: skip
