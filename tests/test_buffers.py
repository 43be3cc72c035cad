"""The work-array pool of the convolution and pooling kernels (minigrad/ops/_buffers.py)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
from minigrad.ops import _buffers

SHAPES = [(64, 256), (128, 128), (32, 1024)]  # each 64 KiB in float32: pooled

steps = st.lists(
    st.tuples(st.sampled_from(["take", "take_zeros", "drop", "view", "drop_view"]),
              st.integers(0, 7), st.sampled_from(SHAPES)),
    min_size=1, max_size=40,
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(steps)
def test_an_array_in_use_is_never_handed_out_again(ops: list) -> None:
    """Live arrays (held directly or through a view) never share memory, and keep
    what was written into them, whatever the order of takes and releases."""
    _buffers.clear()
    live: dict[int, np.ndarray] = {}  # slot -> array or view of it
    stamp: dict[int, float] = {}
    for n, (kind, slot, shape) in enumerate(ops):
        if kind in ("take", "take_zeros"):
            a = (
                _buffers.zeros(shape, "float32")
                if kind == "take_zeros"
                else _buffers.empty(shape, "float32")
            )
            if kind == "take_zeros":
                assert not a.any()
            a.fill(n)
            live[slot], stamp[slot] = a, float(n)
        elif kind == "view" and slot in live:
            live[slot] = live[slot][1:]  # only a view keeps the array alive now
        elif slot in live:
            del live[slot], stamp[slot]
        arrays = list(live.items())
        for i, (s, a) in enumerate(arrays):
            assert (a == stamp[s]).all()
            for _, b in arrays[i + 1 :]:
                assert not np.shares_memory(a, b)


def test_a_released_array_is_reused_and_tensors_hold_theirs() -> None:
    _buffers.clear()
    a = _buffers.empty((256, 256), "float32")
    address = a.ctypes.data
    t = minigrad.Tensor._make(a.reshape(-1))  # a Tensor over a view of it
    del a
    b = _buffers.empty((256, 256), "float32")
    assert b.ctypes.data != address
    del t
    c = _buffers.empty((256, 256), "float32")
    assert c.ctypes.data == address
    assert _buffers.empty((256, 256), "float64").dtype == np.float64  # dtype is part of the key
    assert _buffers.empty((4, 4), "float32").shape == (4, 4)  # small: plain NumPy
    del b, c


def test_the_pool_keeps_at_most_max_bytes(monkeypatch) -> None:
    _buffers.clear()
    monkeypatch.setattr(_buffers, "MAX_BYTES", 3 * 256 * 256 * 4)
    kept = [_buffers.empty((256, 256), "float32") for _ in range(5)]  # 2 beyond the limit
    assert _buffers._held <= _buffers.MAX_BYTES
    assert all(not np.shares_memory(a, b) for i, a in enumerate(kept) for b in kept[i + 1 :])
    del kept
    for shape in [(512, 128), (128, 512), (1024, 64)]:  # other keys evict the free ones
        _buffers.empty(shape, "float32")
        assert _buffers._held <= _buffers.MAX_BYTES
    _buffers.clear()


def test_copy_and_contiguous() -> None:
    x = np.arange(4096.0, dtype=np.float32).reshape(64, 64)
    y = _buffers.copy(x.T)
    assert y.flags.c_contiguous and (y == x.T).all() and not np.shares_memory(x, y)
    assert _buffers.contiguous(x) is x
    assert (_buffers.full((128, 128), 2.5, "float32") == 2.5).all()
