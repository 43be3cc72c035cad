"""OpInfo entry of the fused recurrent cell."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from minigrad.testing.opinfo import OpInfo, SampleInput, samples


def np_lstm_cell(gates: Any, c: Any) -> Any:
    """PyTorch's LSTM step from summed gate pre-activations (gate order i, f, g, o)."""
    a_i, a_f, a_g, a_o = np.split(gates, 4, axis=-1)
    sig = lambda v: 1.0 / (1.0 + np.exp(-v))  # noqa: E731
    c_new = sig(a_f) * c + sig(a_i) * np.tanh(a_g)
    return sig(a_o) * np.tanh(c_new), c_new


def torch_lstm_cell(torch: Any, gates: Any, c: Any) -> Any:
    a_i, a_f, a_g, a_o = gates.chunk(4, -1)
    c_new = a_f.sigmoid() * c + a_i.sigmoid() * a_g.tanh()
    return a_o.sigmoid() * c_new.tanh(), c_new


@samples
def _cell_samples(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    lead = draw(st.sampled_from([(), (1,), (3,), (2, 2)]))
    hidden = draw(st.integers(1, 3))
    gates = draw(mst.tensors((*lead, 4 * hidden), dtype, elements=(-3, 3)))
    c = draw(mst.tensors((*lead, hidden), dtype, elements=(-2, 2)))
    return SampleInput((gates, c))


__all__ = ["OPS"]

OPS = [
    OpInfo(
        "fused_lstm_cell",
        ref=np_lstm_cell,
        sample_inputs=_cell_samples,
        dtypes=(np.float32, np.float64),
        result_dtype="same",
        torch=torch_lstm_cell,
    ),
]
