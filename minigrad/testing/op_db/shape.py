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
    tuples = mst.valid_dims(x.ndim, allow_none=False, allow_int=False)
    dim = draw(st.one_of(st.none(), mst.valid_dim(x.ndim), tuples))
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
    dims = dim if isinstance(dim, tuple) else (dim,)
    return np.squeeze(x, tuple(d for d in dims if x.shape[d] == 1))


def _np_flatten(x: Any, start_dim: int = 0, end_dim: int = -1) -> Any:
    end = x.ndim if end_dim == -1 else end_dim + 1
    return x.reshape(*x.shape[:start_dim], -1, *x.shape[end:])


def _np_transpose(x: Any, a: int, b: int) -> Any:
    return np.swapaxes(x, a, b)


__all__ = ["OPS"]

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


# ----------------------------------------------------------------------------- more shape ops


def _dims_of(draw: Any, ndim: int, min_size: int = 0) -> tuple[int, ...]:
    from minigrad.testing import strategies as mst

    if ndim == 0:
        return ()
    axes = draw(st.lists(st.integers(0, ndim - 1), min_size=min_size, max_size=ndim, unique=True))
    return tuple(a - ndim if draw(st.booleans()) else a for a in axes) or tuple(
        [draw(mst.valid_dim(ndim))] if min_size else []
    )


@samples
def _flip(draw: Any, dtype: Any) -> SampleInput:
    x = _x(draw, dtype)
    return SampleInput((x, _dims_of(draw, x.ndim)))


@samples
def _roll(draw: Any, dtype: Any) -> SampleInput:
    x = _x(draw, dtype)
    if x.ndim == 0 or draw(st.booleans()):
        return SampleInput((x, draw(st.integers(-4, 4))))
    dims = _dims_of(draw, x.ndim, min_size=1)
    shifts = tuple(draw(st.integers(-4, 4)) for _ in dims)
    return SampleInput((x, shifts, dims))


def _np_roll(x: Any, shifts: Any, dims: Any = None) -> Any:
    if dims is None:
        return np.roll(x.reshape(-1), shifts).reshape(x.shape)
    return np.roll(x, shifts, axis=dims)


@samples
def _rot90(draw: Any, dtype: Any) -> SampleInput:
    x = _x(draw, dtype, min_dims=2)
    d0, d1 = draw(st.lists(st.integers(0, x.ndim - 1), min_size=2, max_size=2, unique=True))
    return SampleInput((x, draw(st.integers(-5, 5)), (d0, d1)))


@samples
def _repeat(draw: Any, dtype: Any) -> SampleInput:
    x = _x(draw, dtype, max_dims=2)
    reps = tuple(draw(st.integers(0, 2)) for _ in range(max(x.ndim, 1) + draw(st.integers(0, 1))))
    return SampleInput((x, *reps))


@samples
def _tile(draw: Any, dtype: Any) -> SampleInput:
    x = _x(draw, dtype, max_dims=2)
    reps = tuple(draw(st.integers(1, 2)) for _ in range(draw(st.integers(0, x.ndim + 1))))
    return SampleInput((x, reps))


@samples
def _repeat_interleave(draw: Any, dtype: Any) -> SampleInput:
    import minigrad
    from minigrad.testing import strategies as mst

    x = _x(draw, dtype, min_dims=1)
    if draw(st.booleans()):
        return SampleInput((x, draw(st.integers(0, 2))))
    dim = draw(mst.valid_dim(x.ndim))
    counts = draw(st.lists(st.integers(0, 2), min_size=x.shape[dim], max_size=x.shape[dim]))
    return SampleInput((x, minigrad.tensor(counts)), {"dim": dim})


def _np_repeat_interleave(x: Any, repeats: Any, dim: Any = None) -> Any:
    if dim is None:
        return np.repeat(x.reshape(-1), repeats)
    return np.repeat(x, repeats, axis=dim)


@samples
def _triangle(draw: Any, dtype: Any) -> SampleInput:
    x = _x(draw, dtype, min_dims=2)
    return SampleInput((x,), {"diagonal": draw(st.integers(-3, 3))})


@samples
def _diagonal(draw: Any, dtype: Any) -> SampleInput:
    x = _x(draw, dtype, min_dims=2)
    d1, d2 = draw(st.lists(st.integers(-x.ndim, x.ndim - 1), min_size=2, max_size=2).filter(
        lambda d: d[0] % x.ndim != d[1] % x.ndim))  # fmt: skip
    return SampleInput((x,), {"offset": draw(st.integers(-3, 3)), "dim1": d1, "dim2": d2})


@samples
def _diag_embed(draw: Any, dtype: Any) -> SampleInput:
    x = _x(draw, dtype, min_dims=1, max_dims=2)
    nd = x.ndim + 1
    d1, d2 = draw(st.lists(st.integers(-nd, nd - 1), min_size=2, max_size=2).filter(
        lambda d: d[0] % nd != d[1] % nd))  # fmt: skip
    return SampleInput((x,), {"offset": draw(st.integers(-2, 2)), "dim1": d1, "dim2": d2})


def _np_diag_embed(x: Any, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Any:
    m = x.shape[-1] + abs(offset)
    out = np.zeros((*x.shape[:-1], m, m), dtype=x.dtype)
    i = np.arange(x.shape[-1])
    rows, cols = (i, i + offset) if offset >= 0 else (i - offset, i)
    out[..., rows, cols] = x
    nd = x.ndim + 1
    return np.moveaxis(out, (-2, -1), (dim1 % nd, dim2 % nd))


@samples
def _diag(draw: Any, dtype: Any) -> SampleInput:
    x = _x(draw, dtype, min_dims=1, max_dims=2)
    return SampleInput((x,), {"diagonal": draw(st.integers(-2, 2))})


def _np_diag(x: Any, diagonal: int = 0) -> Any:
    return np.diag(x, diagonal)


@samples
def _narrow(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    x = _x(draw, dtype, min_dims=1)
    dim = draw(mst.valid_dim(x.ndim))
    n = x.shape[dim]
    start = draw(st.integers(0, n))
    length = draw(st.integers(0, n - start))
    return SampleInput((x, dim, start - n if draw(st.booleans()) and start < n else start, length))


def _np_narrow(x: Any, dim: int, start: int, length: int) -> Any:
    start %= x.shape[dim] if start < 0 else x.shape[dim] + 1
    return np.take(x, np.arange(start, start + length), axis=dim)


@samples
def _select(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    x = _x(draw, dtype, min_dims=1)
    dim = draw(mst.valid_dim(x.ndim))
    n = x.shape[dim]
    return SampleInput((x, dim, draw(st.integers(-n, n - 1))))


@samples
def _unfold(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    x = _x(draw, dtype, min_dims=1)
    dim = draw(mst.valid_dim(x.ndim))
    size = draw(st.integers(0, x.shape[dim]))
    return SampleInput((x, dim, size, draw(st.integers(1, 3))))


def _np_unfold(x: Any, dim: int, size: int, step: int) -> Any:
    d = dim % x.ndim
    n = x.shape[d]
    starts = np.arange(0, n - size + 1, step)
    windows = [np.take(x, np.arange(s, s + size), axis=d) for s in starts]
    stacked = np.stack(windows, axis=d)  # (..., count, size at d+1, ...)
    return np.moveaxis(stacked, d + 1, -1)


@samples
def _unflatten(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    x = _x(draw, dtype, min_dims=1)
    dim = draw(mst.valid_dim(x.ndim))
    n = x.shape[dim]
    sizes = draw(st.sampled_from([(n,), (1, n), (n, 1), (-1, 1), (1, -1)]))
    return SampleInput((x, dim, sizes))


def _np_unflatten(x: Any, dim: int, sizes: Any) -> Any:
    d = dim % x.ndim
    return x.reshape(*x.shape[:d], *sizes, *x.shape[d + 1 :])


@samples
def _movedim(draw: Any, dtype: Any) -> SampleInput:
    x = _x(draw, dtype, min_dims=1)
    src = _dims_of(draw, x.ndim, min_size=1)
    dst = tuple(draw(st.permutations(range(x.ndim)))[: len(src)])
    if len(src) == 1 and draw(st.booleans()):
        return SampleInput((x, src[0], dst[0]))
    return SampleInput((x, src, dst))


@samples
def _meshgrid(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    n = draw(st.integers(1, 3))
    ts = [draw(mst.tensors((draw(st.integers(1, 3)),), dtype, elements=(-3, 3))) for _ in range(n)]
    return SampleInput(tuple(ts), {"indexing": draw(st.sampled_from(["ij", "xy"]))})


@samples
def _broadcast_tensors(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    shapes = draw(mst.broadcastable_shapes(n=draw(st.integers(1, 3)), max_dims=3, max_side=3))
    return SampleInput(tuple(draw(mst.tensors(s, dtype, elements=(-3, 3))) for s in shapes))


@samples
def _broadcast_shapes(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    return SampleInput(tuple(draw(mst.broadcastable_shapes(n=draw(st.integers(1, 3))))))


@samples
def _tensor_split(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    x = _x(draw, dtype, min_dims=1)
    dim = draw(mst.valid_dim(x.ndim))
    if draw(st.booleans()):
        spec: Any = draw(st.integers(1, 4))
    else:
        spec = draw(st.lists(st.integers(0, x.shape[dim] + 1), max_size=3))
    return SampleInput((x, spec), {"dim": dim})


def _np_tensor_split(x: Any, spec: Any, dim: int = 0) -> Any:
    return tuple(np.array_split(x, spec, axis=dim))


@samples
def _unbind(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    x = _x(draw, dtype, min_dims=1)
    return SampleInput((x,), {"dim": draw(mst.valid_dim(x.ndim))})


@samples
def _atleast(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    n = draw(st.integers(1, 2))
    ts = [
        draw(mst.tensors(draw(mst.shapes(max_dims=3, max_side=2)), dtype, elements=(-3, 3)))
        for _ in range(n)
    ]
    return SampleInput(tuple(ts))


def _stacking(min_dims: int, same_rest: Any) -> Any:
    """Tensors that stack: equal shapes except along the joined dim (drawn by ``same_rest``)."""

    @samples
    def draw_sample(draw: Any, dtype: Any) -> SampleInput:
        from minigrad.testing import strategies as mst

        base = tuple(draw(mst.shapes(min_dims=min_dims, max_dims=3, max_side=3)))
        ts = [
            draw(mst.tensors(same_rest(base, draw(st.integers(1, 3))), dtype, elements=(-3, 3)))
            for _ in range(draw(st.integers(1, 3)))
        ]
        return SampleInput((ts,))

    return draw_sample


def _shape_tensor(*shapes: Any) -> Any:
    """``broadcast_shapes`` as an int64 tensor, so the generic properties can compare it."""
    import minigrad

    return minigrad.tensor(np.asarray(minigrad.broadcast_shapes(*shapes), dtype=np.int64))


def _joined_at(dim: int) -> Any:
    def shape(base: tuple[int, ...], n: int) -> tuple[int, ...]:
        if len(base) <= dim or (dim == 0 and len(base) < 2):
            return base  # joined along another dim: the shapes must be equal
        return (*base[:dim], n, *base[dim + 1 :])

    return shape


OPS += [
    OpInfo(
        "flip", ref=np.flip, sample_inputs=_flip, dtypes=_ALL, result_dtype="same", torch="flip"
    ),
    OpInfo(
        "roll", ref=_np_roll, sample_inputs=_roll, dtypes=_ALL, result_dtype="same", torch="roll"
    ),
    OpInfo(
        "rot90",
        ref=lambda x, k, dims: np.rot90(x, k, dims),
        sample_inputs=_rot90,
        dtypes=_ALL,
        result_dtype="same",
        torch="rot90",
    ),
    OpInfo(
        "repeat",
        ref=lambda x, *r: np.tile(x, r),
        sample_inputs=_repeat,
        dtypes=_ALL,
        result_dtype="same",
        torch=lambda torch, x, *r: x.repeat(*r),
    ),
    OpInfo(
        "tile", ref=np.tile, sample_inputs=_tile, dtypes=_ALL, result_dtype="same", torch="tile"
    ),
    OpInfo(
        "repeat_interleave",
        ref=_np_repeat_interleave,
        sample_inputs=_repeat_interleave,
        dtypes=_ALL,
        result_dtype="same",
        torch="repeat_interleave",
    ),
    OpInfo(
        "tril",
        ref=lambda x, diagonal=0: np.tril(x, diagonal),
        sample_inputs=_triangle,
        dtypes=_ALL,
        result_dtype="same",
        torch="tril",
    ),
    OpInfo(
        "triu",
        ref=lambda x, diagonal=0: np.triu(x, diagonal),
        sample_inputs=_triangle,
        dtypes=_ALL,
        result_dtype="same",
        torch="triu",
    ),
    OpInfo(
        "diagonal",
        ref=lambda x, offset=0, dim1=0, dim2=1: np.diagonal(x, offset, dim1, dim2),
        sample_inputs=_diagonal,
        dtypes=_ALL,
        result_dtype="same",
        torch="diagonal",
    ),
    OpInfo(
        "diag_embed",
        ref=_np_diag_embed,
        sample_inputs=_diag_embed,
        dtypes=_ALL,
        result_dtype="same",
        torch="diag_embed",
    ),
    OpInfo(
        "diag", ref=_np_diag, sample_inputs=_diag, dtypes=_ALL, result_dtype="same", torch="diag"
    ),
    OpInfo(
        "narrow",
        ref=_np_narrow,
        sample_inputs=_narrow,
        dtypes=_ALL,
        result_dtype="same",
        torch="narrow",
    ),
    OpInfo(
        "select",
        ref=lambda x, dim, i: np.take(x, i, axis=dim),
        sample_inputs=_select,
        dtypes=_ALL,
        result_dtype="same",
        torch="select",
    ),
    OpInfo(
        "unfold",
        ref=_np_unfold,
        sample_inputs=_unfold,
        dtypes=_ALL,
        result_dtype="same",
        torch=lambda torch, x, *a: x.unfold(*a),
    ),
    OpInfo(
        "unflatten",
        ref=_np_unflatten,
        sample_inputs=_unflatten,
        dtypes=_ALL,
        result_dtype="same",
        torch="unflatten",
    ),
    OpInfo(
        "movedim",
        ref=np.moveaxis,
        sample_inputs=_movedim,
        dtypes=_ALL,
        result_dtype="same",
        torch="movedim",
    ),
    OpInfo(
        "moveaxis",
        ref=np.moveaxis,
        sample_inputs=_movedim,
        dtypes=_ALL,
        result_dtype="same",
        torch="moveaxis",
    ),
    OpInfo(
        "swapaxes",
        ref=_np_transpose,
        sample_inputs=_transpose,
        dtypes=_ALL,
        result_dtype="same",
        torch="swapaxes",
    ),
    OpInfo(
        "swapdims",
        ref=_np_transpose,
        sample_inputs=_transpose,
        dtypes=_ALL,
        result_dtype="same",
        torch="swapdims",
    ),
    OpInfo(
        "meshgrid",
        ref=lambda *ts, indexing="ij": tuple(np.meshgrid(*ts, indexing=indexing)),
        sample_inputs=_meshgrid,
        dtypes=_ALL,
        result_dtype="same",
        torch="meshgrid",
    ),
    OpInfo(
        "broadcast_tensors",
        ref=lambda *ts: tuple(np.broadcast_arrays(*ts)),
        sample_inputs=_broadcast_tensors,
        dtypes=_ALL,
        result_dtype="same",
        torch="broadcast_tensors",
    ),
    OpInfo(
        "broadcast_shapes",
        op=_shape_tensor,
        ref=lambda *s: np.asarray(np.broadcast_shapes(*s), dtype=np.int64),
        sample_inputs=_broadcast_shapes,
        supports_grad=False,
        result_dtype="int64",
        torch=lambda torch, *s: torch.tensor(torch.broadcast_shapes(*s), dtype=torch.int64),
    ),
    OpInfo(
        "tensor_split",
        ref=_np_tensor_split,
        sample_inputs=_tensor_split,
        dtypes=_ALL,
        result_dtype="same",
        torch="tensor_split",
    ),
    OpInfo(
        "unbind",
        ref=lambda x, dim=0: tuple(np.moveaxis(x, dim, 0)),
        sample_inputs=_unbind,
        dtypes=_ALL,
        result_dtype="same",
        torch="unbind",
    ),
    OpInfo(
        "atleast_1d",
        ref=lambda *ts: np.atleast_1d(*ts),
        sample_inputs=_atleast,
        dtypes=_ALL,
        result_dtype="same",
        torch="atleast_1d",
    ),
    OpInfo(
        "atleast_2d",
        ref=lambda *ts: np.atleast_2d(*ts),
        sample_inputs=_atleast,
        dtypes=_ALL,
        result_dtype="same",
        torch="atleast_2d",
    ),
    OpInfo(
        "atleast_3d",
        ref=lambda *ts: np.atleast_3d(*ts),
        sample_inputs=_atleast,
        dtypes=_ALL,
        result_dtype="same",
        torch="atleast_3d",
    ),
    OpInfo(
        "hstack",
        ref=np.hstack,
        sample_inputs=_stacking(0, _joined_at(1)),
        torch="hstack",
        result_dtype=lambda s: s.args[0][0].dtype,
    ),
    OpInfo(
        "vstack",
        ref=np.vstack,
        sample_inputs=_stacking(0, _joined_at(0)),
        torch="vstack",
        result_dtype=lambda s: s.args[0][0].dtype,
    ),
    OpInfo(
        "dstack",
        ref=np.dstack,
        sample_inputs=_stacking(0, _joined_at(2)),
        torch="dstack",
        result_dtype=lambda s: s.args[0][0].dtype,
    ),
    OpInfo(
        "column_stack",
        ref=np.column_stack,
        sample_inputs=_stacking(0, _joined_at(1)),
        torch="column_stack",
        result_dtype=lambda s: s.args[0][0].dtype,
    ),
]
