"""OpInfo entries of the linear-algebra ops."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from minigrad.testing.opinfo import OpInfo, SampleInput, samples


@samples
def _matmul_samples(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    m, k, n = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    batch = draw(st.sampled_from([(), (2,), (1,), (2, 1)]))
    left = draw(st.sampled_from([(k,), (*batch, m, k)]))
    right = draw(st.sampled_from([(k,), (k, n), (*batch[-1:], k, n)]))
    a = draw(mst.tensors(left, dtype, elements=(-2, 2)))
    b = draw(mst.tensors(right, dtype, elements=(-2, 2)))
    return SampleInput((a, b))


OPS = [OpInfo("matmul", ref=np.matmul, sample_inputs=_matmul_samples, torch="matmul")]
