"""OpInfo entries of the loss functions."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from minigrad.testing.opinfo import OpInfo, SampleInput, samples

_REDUCTIONS = st.sampled_from(["mean", "sum", "none"])
_FLOATS = (np.float32, np.float64)


def _reduce(loss: Any, reduction: str) -> Any:
    return loss.mean() if reduction == "mean" else loss.sum() if reduction == "sum" else loss


def _log_softmax(x: Any) -> Any:
    m = x.max(axis=1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=1, keepdims=True))


def np_cross_entropy(x: Any, t: Any, reduction: str = "mean", label_smoothing: float = 0.0) -> Any:
    """Class indices (int target) or probabilities (float target), as PyTorch."""
    logp = _log_softmax(x)
    c = x.shape[1]
    if t.dtype.kind in "iu":
        m = np.moveaxis(np.eye(c)[t], -1, 1)
    else:
        m = t
    m = m * (1 - label_smoothing) + label_smoothing / c
    return _reduce(-(m * logp).sum(axis=1), reduction)


def np_nll_loss(x: Any, t: Any, reduction: str = "mean") -> Any:
    picked = -np.take_along_axis(x, np.expand_dims(t, 1), 1).squeeze(1)
    return _reduce(picked, reduction)


@samples
def _class_samples(draw: Any, dtype: Any) -> SampleInput:
    import minigrad
    from minigrad.testing import strategies as mst

    n, c = draw(st.integers(1, 3)), draw(st.integers(2, 4))
    extra = draw(st.sampled_from([(), (2,)]))
    x = draw(mst.tensors((n, c, *extra), dtype, elements=(-3, 3)))
    if draw(st.booleans()):
        t: Any = minigrad.tensor(
            draw(
                st.lists(
                    st.integers(0, c - 1),
                    min_size=n * int(np.prod(extra)),
                    max_size=n * int(np.prod(extra)),
                )
            )
        ).reshape(n, *extra)
    else:
        p = draw(mst.tensors((n, c, *extra), dtype, elements=(0.05, 1.0), requires_grad=False))
        t = minigrad.tensor(p.numpy() / p.numpy().sum(axis=1, keepdims=True))
    kw = {"reduction": draw(_REDUCTIONS), "label_smoothing": draw(st.sampled_from([0.0, 0.1]))}
    return SampleInput((x, t), kw)


@samples
def _nll_samples(draw: Any, dtype: Any) -> SampleInput:
    import minigrad
    from minigrad.testing import strategies as mst

    n, c = draw(st.integers(1, 3)), draw(st.integers(2, 4))
    x = draw(mst.tensors((n, c), dtype, elements=(-3, 0)))
    t = minigrad.tensor(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    return SampleInput((x, t), {"reduction": draw(_REDUCTIONS)})


def _pair_samples(lo_a: float, hi_a: float, lo_t: float, hi_t: float, away: Any = ()) -> Any:
    @samples
    def draw_pair(draw: Any, dtype: Any) -> SampleInput:
        from minigrad.testing import strategies as mst

        shape = draw(mst.shapes(max_dims=2, max_side=3))
        a = draw(mst.tensors(shape, dtype, elements=(lo_a, hi_a)))
        t = draw(mst.tensors(shape, dtype, elements=(lo_t, hi_t), away_from=away, margin=0.05))
        return SampleInput((a, t), {"reduction": draw(_REDUCTIONS)})

    return draw_pair


def np_mse(a: Any, t: Any, reduction: str = "mean") -> Any:
    return _reduce((a - t) ** 2, reduction)


def np_l1(a: Any, t: Any, reduction: str = "mean") -> Any:
    return _reduce(np.abs(a - t), reduction)


def np_bce(p: Any, t: Any, reduction: str = "mean") -> Any:
    return _reduce(
        -(t * np.maximum(np.log(p), -100) + (1 - t) * np.maximum(np.log1p(-p), -100)), reduction
    )


def np_bce_logits(x: Any, t: Any, reduction: str = "mean") -> Any:
    return _reduce(np.maximum(x, 0) - x * t + np.log1p(np.exp(-np.abs(x))), reduction)


OPS = [
    OpInfo(
        "cross_entropy",
        ref=np_cross_entropy,
        sample_inputs=_class_samples,
        dtypes=_FLOATS,
        result_dtype="same",
        torch="nn.functional.cross_entropy",
    ),
    OpInfo(
        "nll_loss",
        ref=np_nll_loss,
        sample_inputs=_nll_samples,
        dtypes=_FLOATS,
        result_dtype="same",
        torch="nn.functional.nll_loss",
    ),
    OpInfo(
        "mse_loss",
        ref=np_mse,
        sample_inputs=_pair_samples(-3, 3, -3, 3),
        dtypes=_FLOATS,
        torch="nn.functional.mse_loss",
    ),
    OpInfo(
        "l1_loss",
        ref=np_l1,
        sample_inputs=_pair_samples(-3, -0.5, 0.5, 3),
        dtypes=_FLOATS,
        torch="nn.functional.l1_loss",
    ),
    OpInfo(
        "binary_cross_entropy",
        ref=np_bce,
        sample_inputs=_pair_samples(0.05, 0.95, 0.0, 1.0),
        dtypes=_FLOATS,
        torch="nn.functional.binary_cross_entropy",
    ),
    OpInfo(
        "binary_cross_entropy_with_logits",
        ref=np_bce_logits,
        sample_inputs=_pair_samples(-4, 4, 0.0, 1.0),
        dtypes=_FLOATS,
        torch="nn.functional.binary_cross_entropy_with_logits",
    ),
]
