"""OpInfo entries of the indexing ops (gather/scatter, index_*, masks, take, nonzero)."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from minigrad.testing.opinfo import OpInfo, SampleInput, samples

_ALL = (np.float32, np.float64, np.int64)


def _rng(draw: Any) -> np.random.Generator:
    return np.random.default_rng(draw(st.integers(0, 2**16)))


def _shape(draw: Any, min_dims: int = 1, max_dims: int = 3) -> tuple[int, ...]:
    from minigrad.testing import strategies as mst

    return tuple(draw(mst.shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=3)))


def _x(draw: Any, shape: tuple[int, ...], dtype: Any, **kw: Any) -> Any:
    from minigrad.testing import strategies as mst

    kw.setdefault("elements", (-3, 3))
    return draw(mst.tensors(shape, dtype, **kw))


def _index_shape(draw: Any, limit: tuple[int, ...], dim: int, along: int) -> tuple[int, ...]:
    """A shape no larger than ``limit`` outside ``dim`` and of ``along`` at it."""
    return tuple(along if d == dim else draw(st.integers(1, n)) for d, n in enumerate(limit))


def _unique_along(rng: np.random.Generator, shape: tuple[int, ...], dim: int, n: int) -> Any:
    """Indices in ``[0, n)`` that never repeat along ``dim`` (``shape[dim] <= n``)."""
    keys = rng.random(tuple(n if d == dim else s for d, s in enumerate(shape)))
    perm = np.argsort(keys, axis=dim)
    return perm[tuple(slice(0, s) for s in shape)]


def _t(a: Any) -> Any:
    import minigrad

    return minigrad.tensor(np.asarray(a, dtype=np.int64))


@samples
def _gather(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    shape = _shape(draw)
    x = _x(draw, shape, dtype)
    dim = draw(mst.valid_dim(len(shape)))
    ishape = _index_shape(draw, shape, dim % len(shape), draw(st.integers(1, 3)))
    index = _rng(draw).integers(0, shape[dim], ishape)
    return SampleInput((x, dim, _t(index)))


def _np_gather(x: Any, dim: int, index: Any, **kw: Any) -> Any:
    d = dim % x.ndim
    crop = tuple(slice(None) if e == d else slice(0, s) for e, s in enumerate(index.shape))
    return np.take_along_axis(x[crop], index, axis=d)


def _scatter_sample(draw: Any, dtype: Any, unique: bool, **src_kw: Any) -> tuple[Any, ...]:
    from minigrad.testing import strategies as mst

    shape = _shape(draw)
    dim = draw(mst.valid_dim(len(shape)))
    d = dim % len(shape)
    n = shape[d]
    ishape = _index_shape(draw, shape, d, draw(st.integers(1, n if unique else 3)))
    rng = _rng(draw)
    index = _unique_along(rng, ishape, d, n) if unique else rng.integers(0, n, ishape)
    sshape = ishape  # a larger src works here, but PyTorch's own backward refuses it
    x = _x(draw, shape, dtype, **src_kw)
    src = _x(draw, sshape, dtype, **src_kw)
    return x, dim, _t(index), src


def _np_scatter(mode: str) -> Any:
    def ref(x: Any, dim: int, index: Any, src: Any = None, **kw: Any) -> Any:
        from minigrad.ops.index import _along, _crop

        src = kw.get("value", src)
        d = dim % x.ndim
        out = x.copy()
        where = _along(index, d)
        values = _crop(np.asarray(src), index.shape) if np.ndim(src) else src
        if mode == "write":
            out[where] = values
        elif mode == "add":
            np.add.at(out, where, values)
        return out

    return ref


@samples
def _scatter(draw: Any, dtype: Any) -> SampleInput:
    x, dim, index, src = _scatter_sample(draw, dtype, unique=True)
    if draw(st.booleans()):
        return SampleInput((x, dim, index, src))
    return SampleInput((x, dim, index), {"value": draw(st.sampled_from([-1.5, 0.0, 2.0]))})


@samples
def _scatter_add(draw: Any, dtype: Any) -> SampleInput:
    return SampleInput(_scatter_sample(draw, dtype, unique=False))


@samples
def _scatter_reduce(draw: Any, dtype: Any) -> SampleInput:
    reduce = draw(st.sampled_from(["sum", "prod", "mean", "amax", "amin"]))
    include_self = draw(st.booleans())
    kw: dict[str, Any] = {}
    if reduce == "prod":
        kw = {"elements": (0.5, 1.5)}
    if reduce in ("amax", "amin") and np.dtype(dtype).kind == "f":
        kw = {"distinct": True}
    x, dim, index, src = _scatter_sample(draw, dtype, unique=False, **kw)
    if reduce in ("amax", "amin") and np.dtype(dtype).kind == "f":
        # every value distinct across input and source (no ties between them)
        import minigrad

        offset = float(np.abs(x._data).max()) + 1.0
        src = minigrad.tensor(src._data + offset, requires_grad=True)
    return SampleInput((x, dim, index, src, reduce), {"include_self": include_self})


def _np_scatter_reduce(
    x: Any, dim: int, index: Any, src: Any, reduce: str, include_self: bool = True
) -> Any:
    from minigrad.ops.index import ScatterReduce, _along, _crop, _identity

    d = dim % x.ndim
    where = _along(index, d)
    s = _crop(src, index.shape)
    out = x.copy()
    if not include_self:
        out[where] = _identity(reduce, out.dtype)
    fn = {
        "sum": np.add,
        "mean": np.add,
        "prod": np.multiply,
        "amax": np.maximum,
        "amin": np.minimum,
    }
    fn[reduce].at(out, where, s)
    if reduce == "mean":
        out = out / ScatterReduce.counts(x.shape, index, d, include_self)
    return out


@samples
def _index_select(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    shape = _shape(draw)
    dim = draw(mst.valid_dim(len(shape)))
    index = _rng(draw).integers(0, shape[dim], draw(st.integers(0, 4)))
    return SampleInput((_x(draw, shape, dtype), dim, _t(index)))


def _index_source(draw: Any, dtype: Any, unique: bool) -> tuple[Any, ...]:
    from minigrad.testing import strategies as mst

    shape = _shape(draw)
    dim = draw(mst.valid_dim(len(shape)))
    n = shape[dim]
    rng = _rng(draw)
    k = draw(st.integers(1, n if unique else 4))
    index = rng.permutation(n)[:k] if unique else rng.integers(0, n, k)
    sshape = list(shape)
    sshape[dim] = k
    return _x(draw, shape, dtype), dim, _t(index), _x(draw, tuple(sshape), dtype)


@samples
def _index_add(draw: Any, dtype: Any) -> SampleInput:
    args = _index_source(draw, dtype, unique=False)
    return SampleInput(args, {"alpha": draw(st.sampled_from([1, 2]))})


@samples
def _index_copy(draw: Any, dtype: Any) -> SampleInput:
    return SampleInput(_index_source(draw, dtype, unique=True))


@samples
def _index_fill(draw: Any, dtype: Any) -> SampleInput:
    import minigrad

    x, dim, index, _ = _index_source(draw, dtype, unique=False)
    value: Any = draw(st.sampled_from([-1.0, 2.5]))
    if draw(st.booleans()) and np.dtype(dtype).kind == "f":
        value = minigrad.tensor(value, dtype=dtype, requires_grad=True)
    return SampleInput((x, dim, index, value))


def _np_index(mode: str) -> Any:
    def ref(x: Any, dim: int, index: Any, source: Any, alpha: Any = 1) -> Any:
        out = x.copy()
        where = (slice(None),) * (dim % x.ndim) + (index,)
        if mode == "add":
            np.add.at(out, where, alpha * source)
        else:
            out[where] = source
        return out

    return ref


def _mask(draw: Any, shape: tuple[int, ...]) -> Any:
    from minigrad.testing import strategies as mst

    mshape = tuple(draw(st.sampled_from([1, s])) for s in shape[draw(st.integers(0, len(shape))) :])
    return draw(mst.tensors(mshape, np.bool_))


@samples
def _masked_fill(draw: Any, dtype: Any) -> SampleInput:
    import minigrad

    shape = _shape(draw, min_dims=0)
    x = _x(draw, shape, dtype)
    value: Any = draw(st.sampled_from([-1.0, 0.5]))
    if draw(st.booleans()) and np.dtype(dtype).kind == "f":
        value = minigrad.tensor(value, dtype=dtype, requires_grad=True)
    return SampleInput((x, _mask(draw, shape), value))


@samples
def _masked_select(draw: Any, dtype: Any) -> SampleInput:
    shape = _shape(draw, min_dims=0)
    return SampleInput((_x(draw, shape, dtype), _mask(draw, shape)))


@samples
def _masked_scatter(draw: Any, dtype: Any) -> SampleInput:
    shape = _shape(draw, min_dims=0)
    mask = _mask(draw, shape)
    need = int(np.broadcast_to(mask._data, shape).sum())
    source = _x(draw, (need + draw(st.integers(0, 2)),), dtype)
    return SampleInput((_x(draw, shape, dtype), mask, source))


def _np_masked_scatter(x: Any, mask: Any, source: Any) -> Any:
    shape = np.broadcast_shapes(x.shape, mask.shape)
    out = np.array(np.broadcast_to(x, shape))
    m = np.broadcast_to(mask, shape)
    out[m] = source.reshape(-1)[: int(m.sum())]
    return out


@samples
def _take(draw: Any, dtype: Any) -> SampleInput:
    shape = _shape(draw, min_dims=0)
    n = int(np.prod(shape))
    index = _rng(draw).integers(-n, n, _shape(draw, min_dims=0, max_dims=2))
    return SampleInput((_x(draw, shape, dtype), _t(index)))


@samples
def _take_along_dim(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    shape = _shape(draw)
    x = _x(draw, shape, dtype)
    rng = _rng(draw)
    if draw(st.booleans()):
        index = rng.integers(0, x.numel(), draw(st.integers(1, 4)))
        return SampleInput((x, _t(index)))
    dim = draw(mst.valid_dim(len(shape)))
    ishape = tuple(
        draw(st.integers(1, 3)) if d == dim % len(shape) else draw(st.sampled_from([1, s]))
        for d, s in enumerate(shape)
    )
    return SampleInput((x, _t(rng.integers(0, shape[dim], ishape)), dim))


def _np_take_along_dim(x: Any, index: Any, dim: Any = None) -> Any:
    if dim is None:
        return x.reshape(-1)[index.reshape(-1)]
    d = dim % x.ndim
    rest = np.broadcast_shapes(
        tuple(1 if e == d else s for e, s in enumerate(x.shape)),
        tuple(1 if e == d else s for e, s in enumerate(index.shape)),
    )
    xs = np.broadcast_to(x, tuple(x.shape[e] if e == d else s for e, s in enumerate(rest)))
    ix = np.broadcast_to(index, tuple(index.shape[e] if e == d else s for e, s in enumerate(rest)))
    return np.take_along_axis(xs, ix, axis=d)


@samples
def _nonzero(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    x = draw(mst.tensors(_shape(draw, min_dims=0), dtype, elements=st.sampled_from([0.0, 1.5])))
    return SampleInput((x,), {"as_tuple": draw(st.booleans())})


def _np_nonzero(x: Any, as_tuple: bool = False) -> Any:
    if as_tuple:
        return tuple(np.nonzero(np.atleast_1d(x)))
    return np.argwhere(x)


__all__ = ["OPS"]

OPS = [
    OpInfo(
        "gather",
        ref=_np_gather,
        sample_inputs=_gather,
        dtypes=_ALL,
        result_dtype="same",
        torch="gather",
    ),
    OpInfo(
        "scatter",
        ref=_np_scatter("write"),
        sample_inputs=_scatter,
        dtypes=_ALL,
        result_dtype="same",
        torch="scatter",
    ),
    OpInfo(
        "scatter_add",
        ref=_np_scatter("add"),
        sample_inputs=_scatter_add,
        dtypes=_ALL,
        result_dtype="same",
        torch="scatter_add",
    ),
    OpInfo(
        "scatter_reduce",
        ref=_np_scatter_reduce,
        sample_inputs=_scatter_reduce,
        result_dtype="same",
        torch="scatter_reduce",
    ),
    OpInfo(
        "index_select",
        ref=lambda x, dim, index: np.take(x, index, axis=dim),
        sample_inputs=_index_select,
        dtypes=_ALL,
        result_dtype="same",
        torch="index_select",
    ),
    OpInfo(
        "index_add",
        ref=_np_index("add"),
        sample_inputs=_index_add,
        dtypes=_ALL,
        result_dtype="same",
        torch="index_add",
    ),
    OpInfo(
        "index_copy",
        ref=_np_index("copy"),
        sample_inputs=_index_copy,
        dtypes=_ALL,
        result_dtype="same",
        torch="index_copy",
    ),
    OpInfo(
        "index_fill",
        ref=_np_index("copy"),
        sample_inputs=_index_fill,
        dtypes=_ALL,
        result_dtype="same",
        torch="index_fill",
    ),
    OpInfo(
        "masked_fill",
        ref=lambda x, mask, value: np.where(mask, np.asarray(value, dtype=x.dtype), x),
        sample_inputs=_masked_fill,
        dtypes=_ALL,
        result_dtype="same",
        torch="masked_fill",
    ),
    OpInfo(
        "masked_select",
        ref=lambda x, mask: np.broadcast_to(x, np.broadcast_shapes(x.shape, mask.shape))[
            np.broadcast_to(mask, np.broadcast_shapes(x.shape, mask.shape))
        ],
        sample_inputs=_masked_select,
        dtypes=_ALL,
        result_dtype="same",
        torch="masked_select",
    ),
    OpInfo(
        "masked_scatter",
        ref=_np_masked_scatter,
        sample_inputs=_masked_scatter,
        dtypes=_ALL,
        result_dtype="same",
        torch="masked_scatter",
    ),
    OpInfo(
        "take",
        ref=lambda x, index: x.reshape(-1)[index],
        sample_inputs=_take,
        dtypes=_ALL,
        result_dtype="same",
        torch="take",
    ),
    OpInfo(
        "take_along_dim",
        ref=_np_take_along_dim,
        sample_inputs=_take_along_dim,
        dtypes=_ALL,
        result_dtype="same",
        torch="take_along_dim",
    ),
    OpInfo(
        "nonzero",
        ref=_np_nonzero,
        sample_inputs=_nonzero,
        supports_grad=False,
        result_dtype="int64",
        torch="nonzero",
    ),
]
