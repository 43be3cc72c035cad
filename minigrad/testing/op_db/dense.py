"""OpInfo entry of ``linear`` (``F.linear``)."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from minigrad.testing.opinfo import OpInfo, SampleInput, samples


def np_linear(x: Any, w: Any, b: Any = None) -> Any:
    """``x @ w.T + b``."""
    out = x @ w.T
    return out if b is None else out + b


@samples
def _linear_samples(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    n_in, n_out = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    lead = draw(st.sampled_from([(), (2,), (1, 3), (2, 2)]))
    x = draw(mst.tensors((*lead, n_in), dtype, elements=(-2, 2)))
    w = draw(mst.tensors((n_out, n_in), dtype, elements=(-2, 2)))
    b = draw(st.one_of(st.none(), mst.tensors((n_out,), dtype, elements=(-1, 1))))
    return SampleInput((x, w, b))


__all__ = ["OPS"]

OPS = [
    OpInfo(
        "linear",
        ref=np_linear,
        sample_inputs=_linear_samples,
        dtypes=(np.float32, np.float64),
        result_dtype="same",
        torch="nn.functional.linear",
    ),
]
