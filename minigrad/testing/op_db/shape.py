"""OpInfo entries of the shape and indexing ops."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from minigrad.testing.opinfo import OpInfo, SampleInput, samples

_ALL = (np.float32, np.float64, np.int64)


def _x(draw: Any, dtype: Any, min_dims: int = 0, max_dims: int = 3) -> Any:
    from minigrad.testing import strategies as mst

    shape = draw(mst.shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=3))
    return draw(mst.tensors(shape, dtype, elements=(-3, 3)))


@samples
def _reshape(draw: Any, dtype: Any) -> SampleInput:
    x = _x(draw, dtype)
    n = x.numel()
    target = draw(st.sampled_from([(n,), (1, n), (n, 1), (-1,), (1, -1, 1)]))
    return SampleInput((x, *target))


@samples
def _permute(draw: Any, dtype: Any) -> SampleInput:
    x = _x(draw, dtype)
    dims = draw(st.permutations(range(x.ndim)))
    return SampleInput((x, *dims))


@samples
def _transpose(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    x = _x(draw, dtype, min_dims=1)
    return SampleInput((x, draw(mst.valid_dim(x.ndim)), draw(mst.valid_dim(x.ndim))))


@samples
def _matrix(draw: Any, dtype: Any) -> SampleInput:
    return SampleInput((_x(draw, dtype, max_dims=2),))


@samples
def _flatten(draw: Any, dtype: Any) -> SampleInput:
    x = _x(draw, dtype, min_dims=1)
    a, b = sorted(draw(st.lists(st.integers(0, x.ndim - 1), min_size=2, max_size=2)))
    return SampleInput((x,), {"start_dim": a, "end_dim": b})


@samples
def _squeeze(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    shape = draw(st.lists(st.sampled_from([1, 2]), min_size=1, max_size=4))
    x = draw(mst.tensors(tuple(shape), dtype, elements=(-3, 3)))
    dim = draw(st.one_of(st.none(), mst.valid_dim(x.ndim)))
    return SampleInput((x,), {} if dim is None else {"dim": dim})


@samples
def _unsqueeze(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    x = _x(draw, dtype)
    return SampleInput((x, draw(mst.valid_dim(x.ndim, extra=1))))


@samples
def _expand(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    shape = tuple(draw(st.lists(st.sampled_from([1, 2]), min_size=0, max_size=3)))
    x = draw(mst.tensors(shape, dtype, elements=(-3, 3)))
    lead = tuple(draw(st.lists(st.integers(1, 2), max_size=2)))
    target = lead + tuple(draw(st.sampled_from([s, 3])) if s == 1 else s for s in shape)
    return SampleInput((x, *target))


@samples
def _broadcast_to(draw: Any, dtype: Any) -> SampleInput:
    s = _expand.__wrapped__(draw, dtype) if hasattr(_expand, "__wrapped__") else None
    from minigrad.testing import strategies as mst

    shape = tuple(draw(st.lists(st.sampled_from([1, 2]), min_size=0, max_size=3)))
    x = draw(mst.tensors(shape, dtype, elements=(-3, 3)))
    target = (2, *(3 if d == 1 else d for d in shape))
    del s
    return SampleInput((x, target))


@samples
def _getitem(draw: Any, dtype: Any) -> SampleInput:
    import minigrad

    x = _x(draw, dtype, min_dims=1)
    items: list[Any] = []
    for n in x.shape:
        kind = draw(st.sampled_from(["int", "slice", "array", "full"]))
        if kind == "int":
            items.append(draw(st.integers(-n, n - 1)))
        elif kind == "slice":
            lo = draw(st.integers(0, n - 1))
            items.append(slice(lo, draw(st.integers(lo + 1, n)), draw(st.integers(1, 2))))
        elif kind == "array":
            idx = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=4))
            items.append(minigrad.tensor(idx))
        else:
            items.append(slice(None))
    if draw(st.booleans()):
        items.insert(draw(st.integers(0, len(items))), None)
    if (
        draw(st.booleans())
        and x.ndim > 1
        and not any(isinstance(i, minigrad.Tensor) for i in items)
    ):
        items = [Ellipsis, items[-1]]
    return SampleInput((x, tuple(items)))


def _np_getitem(x: Any, index: Any) -> Any:
    from minigrad.ops.shape import _take, normalize_index

    return np.array(_take(x, normalize_index(index)))


@samples
def _sequence(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    shape = draw(mst.shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    n = draw(st.integers(1, 3))
    dim = draw(mst.valid_dim(len(shape)))
    tensors = []
    for _ in range(n):
        s = list(shape)
        s[dim] = draw(st.integers(1, 3))
        tensors.append(draw(mst.tensors(tuple(s), dtype, elements=(-3, 3))))
    return SampleInput((tensors,), {"dim": dim})


@samples
def _stack(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    shape = draw(mst.shapes(min_dims=0, max_dims=2, min_side=1, max_side=3))
    n = draw(st.integers(1, 3))
    tensors = [draw(mst.tensors(shape, dtype, elements=(-3, 3))) for _ in range(n)]
    return SampleInput((tensors,), {"dim": draw(mst.valid_dim(len(shape), extra=1))})


@samples
def _split(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    x = _x(draw, dtype, min_dims=1)
    dim = draw(mst.valid_dim(x.ndim))
    n = x.shape[dim]
    if draw(st.booleans()):
        sizes: Any = draw(st.integers(1, n))
    else:
        cut = sorted(draw(st.lists(st.integers(0, n), max_size=2)))
        bounds = [0, *cut, n]
        sizes = list(np.diff(bounds).tolist())
    return SampleInput((x, sizes), {"dim": dim})


@samples
def _chunk(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    x = _x(draw, dtype, min_dims=1)
    return SampleInput((x, draw(st.integers(1, 4))), {"dim": draw(mst.valid_dim(x.ndim))})


@samples
def _pad(draw: Any, dtype: Any) -> SampleInput:
    x = _x(draw, dtype, min_dims=1)
    k = draw(st.integers(1, x.ndim))
    pads = tuple(draw(st.integers(0, 2)) for _ in range(2 * k))
    return SampleInput((x, pads), {"value": draw(st.sampled_from([0.0, 1.5]))})


def _np_pad(x: Any, pad: Any, value: float = 0.0) -> Any:
    widths = [(0, 0)] * x.ndim
    for i in range(len(pad) // 2):
        widths[x.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    return np.pad(x, widths, constant_values=value)


def _np_split(x: Any, sizes: Any, dim: int = 0) -> Any:
    n = x.shape[dim]
    if isinstance(sizes, int):
        sizes = [min(sizes, n - i) for i in range(0, n, sizes)]
    return tuple(np.split(x, np.cumsum(sizes)[:-1], axis=dim))


def _np_chunk(x: Any, chunks: int, dim: int = 0) -> Any:
    n = x.shape[dim]
    size = -(-n // chunks)
    return _np_split(x, size, dim)


def _np_squeeze(x: Any, dim: Any = None) -> Any:
    if dim is None:
        return np.squeeze(x)
    return np.squeeze(x, dim) if x.shape[dim] == 1 else x


def _np_flatten(x: Any, start_dim: int = 0, end_dim: int = -1) -> Any:
    end = x.ndim if end_dim == -1 else end_dim + 1
    return x.reshape(*x.shape[:start_dim], -1, *x.shape[end:])


def _np_transpose(x: Any, a: int, b: int) -> Any:
    return np.swapaxes(x, a, b)


OPS = [
    OpInfo(
        "reshape",
        ref=lambda x, *s: np.reshape(x, s),
        sample_inputs=_reshape,
        dtypes=_ALL,
        result_dtype="same",
        torch=lambda torch, x, *s: x.reshape(*s),
    ),
    OpInfo(
        "view",
        ref=lambda x, *s: np.reshape(x, s),
        sample_inputs=_reshape,
        dtypes=_ALL,
        result_dtype="same",
        torch=lambda torch, x, *s: x.view(*s),
    ),
    OpInfo(
        "t", ref=lambda x: x.T, sample_inputs=_matrix, dtypes=_ALL, result_dtype="same", torch="t"
    ),
    OpInfo(
        "permute",
        ref=lambda x, *d: np.transpose(x, d),
        sample_inputs=_permute,
        dtypes=_ALL,
        result_dtype="same",
        torch=lambda torch, x, *d: torch.permute(x, d),
    ),
    OpInfo(
        "transpose",
        ref=_np_transpose,
        sample_inputs=_transpose,
        dtypes=_ALL,
        result_dtype="same",
        torch="transpose",
    ),
    OpInfo(
        "flatten",
        ref=_np_flatten,
        sample_inputs=_flatten,
        dtypes=_ALL,
        result_dtype="same",
        torch="flatten",
    ),
    OpInfo(
        "squeeze",
        ref=_np_squeeze,
        sample_inputs=_squeeze,
        dtypes=_ALL,
        result_dtype="same",
        torch="squeeze",
    ),
    OpInfo(
        "unsqueeze",
        ref=np.expand_dims,
        sample_inputs=_unsqueeze,
        dtypes=_ALL,
        result_dtype="same",
        torch="unsqueeze",
    ),
    OpInfo(
        "expand",
        ref=lambda x, *s: np.broadcast_to(x, s),
        sample_inputs=_expand,
        dtypes=_ALL,
        result_dtype="same",
        torch=lambda torch, x, *s: x.expand(s),
    ),
    OpInfo(
        "broadcast_to",
        ref=np.broadcast_to,
        sample_inputs=_broadcast_to,
        dtypes=_ALL,
        result_dtype="same",
        torch="broadcast_to",
    ),
    OpInfo(
        "getitem",
        ref=_np_getitem,
        sample_inputs=_getitem,
        dtypes=_ALL,
        result_dtype="same",
        torch=lambda torch, x, index: x[index],
    ),
    OpInfo(
        "cat",
        ref=lambda ts, dim=0: np.concatenate(ts, axis=dim),
        sample_inputs=_sequence,
        torch="cat",
        result_dtype=lambda s: s.args[0][0].dtype,
    ),
    OpInfo(
        "stack",
        ref=lambda ts, dim=0: np.stack(ts, axis=dim),
        sample_inputs=_stack,
        torch="stack",
        result_dtype=lambda s: s.args[0][0].dtype,
    ),
    OpInfo(
        "split",
        ref=_np_split,
        sample_inputs=_split,
        dtypes=_ALL,
        result_dtype="same",
        torch="split",
    ),
    OpInfo(
        "chunk",
        ref=_np_chunk,
        sample_inputs=_chunk,
        dtypes=_ALL,
        result_dtype="same",
        torch="chunk",
    ),
    OpInfo("pad", ref=_np_pad, sample_inputs=_pad, result_dtype="same", torch="nn.functional.pad"),
]
