"""OpInfo entries of the normalisation ops."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from minigrad.testing.opinfo import OpInfo, SampleInput, samples


def np_batch_norm(
    x: Any, running_mean: Any, running_var: Any, weight: Any = None, bias: Any = None,
    training: bool = False, momentum: float = 0.1, eps: float = 1e-5,
) -> Any:  # fmt: skip
    """Per-channel (dim 1) normalisation by the batch's (training) or the running statistics."""
    axes = (0, *range(2, x.ndim))
    shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)
    if training:
        mean, var = x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True)
    else:
        mean, var = running_mean.reshape(shape), running_var.reshape(shape)
    out = (x - mean) / np.sqrt(var + eps)
    if weight is not None:
        out = out * weight.reshape(shape)
    if bias is not None:
        out = out + bias.reshape(shape)
    return out


@samples
def _batch_norm_samples(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    c = draw(st.integers(1, 3))
    shape = (draw(st.integers(2, 3)), c, *draw(st.sampled_from([(), (2,), (2, 2)])))
    x = draw(mst.tensors(shape, dtype, elements=(-2, 2), distinct=True))
    weight = draw(st.one_of(st.none(), mst.tensors((c,), dtype, elements=(0.5, 2))))
    bias = draw(st.one_of(st.none(), mst.tensors((c,), dtype, elements=(-1, 1))))
    training = draw(st.booleans())
    rm = draw(mst.tensors((c,), dtype, elements=(-1, 1), requires_grad=False))
    rv = draw(mst.tensors((c,), dtype, elements=(0.5, 2), requires_grad=False))
    if training:  # running statistics are updated in place: the reference ignores them
        rm, rv = None, None
    return SampleInput((x, rm, rv, weight, bias, training))


__all__ = ["OPS"]


def np_layer_norm(
    x: Any, normalized_shape: Any, weight: Any = None, bias: Any = None, eps: float = 1e-5
) -> Any:
    """Mean and biased variance over the trailing ``normalized_shape`` dims."""
    axes = tuple(range(x.ndim - len(normalized_shape), x.ndim))
    out = (x - x.mean(axis=axes, keepdims=True)) / np.sqrt(x.var(axis=axes, keepdims=True) + eps)
    if weight is not None:
        out = out * weight
    return out if bias is None else out + bias


@samples
def _layer_norm_samples(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    lead = draw(st.sampled_from([(), (2,), (2, 1)]))
    shape = draw(st.sampled_from([(3,), (2, 2), (4,)]))
    x = draw(mst.tensors((*lead, *shape), dtype, elements=(-2, 2), distinct=True))
    weight = draw(st.one_of(st.none(), mst.tensors(shape, dtype, elements=(0.5, 2))))
    bias = draw(st.one_of(st.none(), mst.tensors(shape, dtype, elements=(-1, 1))))
    return SampleInput((x, shape, weight, bias))


OPS = [
    OpInfo(
        "layer_norm",
        ref=np_layer_norm,
        sample_inputs=_layer_norm_samples,
        dtypes=(np.float32, np.float64),
        result_dtype="same",
        torch="nn.functional.layer_norm",
        atol=1e-9,
    ),
    OpInfo(
        "batch_norm",
        ref=np_batch_norm,
        sample_inputs=_batch_norm_samples,
        dtypes=(np.float32, np.float64),
        result_dtype="same",
        torch="nn.functional.batch_norm",
        atol=1e-9,
    ),
]
