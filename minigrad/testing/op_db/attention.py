"""OpInfo entry of the one-node attention."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from minigrad.testing.opinfo import OpInfo, SampleInput, samples

__all__ = ["OPS"]


def _np_attention(q: Any, k: Any, v: Any, bias: Any = None, scale: float = 1.0) -> Any:
    s = q @ np.swapaxes(k, -1, -2) * scale
    if bias is not None:
        s = s + bias
    s = np.exp(s - s.max(-1, keepdims=True))
    return (s / s.sum(-1, keepdims=True)) @ v


def _torch_attention(
    torch: Any, q: Any, k: Any, v: Any, bias: Any = None, scale: float = 1.0
) -> Any:
    return torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=bias, scale=scale)


@samples
def _attention_samples(draw: Any, dtype: Any) -> SampleInput:
    import minigrad
    from minigrad.testing import strategies as mst

    lead = draw(st.sampled_from([(1,), (2,), (2, 2)]))
    L, S, E, Ev = (draw(st.integers(1, 3)) for _ in range(4))
    q = draw(mst.tensors((*lead, L, E), dtype, elements=(-2, 2)))
    k = draw(mst.tensors((*lead, S, E), dtype, elements=(-2, 2)))
    v = draw(mst.tensors((*lead, S, Ev), dtype, elements=(-2, 2)))
    kind = draw(st.sampled_from(["none", "causal", "float"]))
    bias = None
    if kind == "causal":  # never a fully masked row: position 0 is always kept
        keep = np.tril(np.ones((L, S), dtype=bool)) | (np.arange(S) == 0)
        bias = minigrad.tensor(np.where(keep, 0.0, -np.inf).astype(np.float64))
    elif kind == "float":
        bias = draw(mst.tensors((L, S), dtype, elements=(-1, 1), requires_grad=False))
    scale = draw(st.sampled_from([1.0, 0.5]))
    return SampleInput((q, k, v, bias, scale))


OPS = [
    OpInfo(
        "fused_attention",
        ref=_np_attention,
        sample_inputs=_attention_samples,
        dtypes=(np.float32, np.float64),
        result_dtype="same",
        torch=_torch_attention,
    ),
]
