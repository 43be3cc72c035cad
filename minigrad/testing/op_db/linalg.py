"""OpInfo entries of the linear-algebra ops."""

from __future__ import annotations

import itertools
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


__all__ = ["OPS"]

OPS = [OpInfo("matmul", ref=np.matmul, sample_inputs=_matmul_samples, torch="matmul")]


# ----------------------------------------------------------------------------- products


def _t(draw: Any, shape: Any, dtype: Any, lo: float = -2.0, hi: float = 2.0) -> Any:
    from minigrad.testing import strategies as mst

    return draw(mst.tensors(tuple(shape), dtype, elements=(lo, hi)))


def _side(draw: Any) -> int:
    return draw(st.integers(1, 3))


@samples
def _outer_samples(draw: Any, dtype: Any) -> SampleInput:
    return SampleInput((_t(draw, (_side(draw),), dtype), _t(draw, (_side(draw),), dtype)))


@samples
def _dot_samples(draw: Any, dtype: Any) -> SampleInput:
    n = _side(draw)
    return SampleInput((_t(draw, (n,), dtype), _t(draw, (n,), dtype)))


@samples
def _inner_samples(draw: Any, dtype: Any) -> SampleInput:
    n = _side(draw)
    a = draw(st.sampled_from([(), (n,), (2, n)]))
    b = draw(st.sampled_from([(n,), (3, n), (1, 2, n)] if a else [(), (2, n)]))
    return SampleInput((_t(draw, a, dtype), _t(draw, b, dtype)))


@samples
def _mm_samples(draw: Any, dtype: Any) -> SampleInput:
    n, k, m = _side(draw), _side(draw), _side(draw)
    return SampleInput((_t(draw, (n, k), dtype), _t(draw, (k, m), dtype)))


@samples
def _mv_samples(draw: Any, dtype: Any) -> SampleInput:
    n, k = _side(draw), _side(draw)
    return SampleInput((_t(draw, (n, k), dtype), _t(draw, (k,), dtype)))


@samples
def _bmm_samples(draw: Any, dtype: Any) -> SampleInput:
    b, n, k, m = _side(draw), _side(draw), _side(draw), _side(draw)
    return SampleInput((_t(draw, (b, n, k), dtype), _t(draw, (b, k, m), dtype)))


_SCALES = st.fixed_dictionaries(
    {}, optional={"beta": st.sampled_from([1, 0.5, 2.0]), "alpha": st.sampled_from([1, -1.5])}
)


@samples
def _addmm_samples(draw: Any, dtype: Any) -> SampleInput:
    n, k, m = _side(draw), _side(draw), _side(draw)
    bias = draw(st.sampled_from([(n, m), (m,), (1, m), (n, 1), ()]))
    return SampleInput(
        (_t(draw, bias, dtype), _t(draw, (n, k), dtype), _t(draw, (k, m), dtype)), draw(_SCALES)
    )


@samples
def _baddbmm_samples(draw: Any, dtype: Any) -> SampleInput:
    b, n, k, m = _side(draw), _side(draw), _side(draw), _side(draw)
    bias = draw(st.sampled_from([(b, n, m), (n, m), (1, 1, m)]))
    return SampleInput(
        (_t(draw, bias, dtype), _t(draw, (b, n, k), dtype), _t(draw, (b, k, m), dtype)),
        draw(_SCALES),
    )


def _ref_scaled(x: Any, a: Any, b: Any, beta: float = 1, alpha: float = 1) -> Any:
    return beta * x + alpha * np.matmul(a, b)


@samples
def _tensordot_samples(draw: Any, dtype: Any) -> SampleInput:
    p, q, r = _side(draw), _side(draw), _side(draw)
    kind = draw(st.sampled_from(["int0", "int1", "int2", "lists"]))
    if kind == "lists":
        return SampleInput(
            (_t(draw, (p, q, r), dtype), _t(draw, (q, 2, p), dtype)), {"dims": ([1, 0], [0, 2])}
        )
    d = int(kind[-1])
    c = (p, q)[2 - d :]
    return SampleInput((_t(draw, (2, *c), dtype), _t(draw, (*c, r), dtype)), {"dims": d})


def _ref_tensordot(a: Any, b: Any, dims: Any = 2) -> Any:
    return np.tensordot(a, b, axes=dims)


@samples
def _kron_samples(draw: Any, dtype: Any) -> SampleInput:
    a = draw(st.sampled_from([(2,), (2, 3), (1, 2, 2)]))
    b = draw(st.sampled_from([(3,), (2, 2), (2, 1, 3)]))
    return SampleInput((_t(draw, a, dtype), _t(draw, b, dtype)))


@samples
def _cross_samples(draw: Any, dtype: Any) -> SampleInput:
    shape = draw(st.sampled_from([(3,), (2, 3), (3, 2), (2, 3, 1)]))
    other = draw(st.sampled_from([shape, tuple(1 if s != 3 else 3 for s in shape)]))
    dims = [i for i, s in enumerate(shape) if s == 3]
    kw = draw(st.sampled_from([{}, {"dim": dims[0]}, {"dim": dims[0] - len(shape)}]))
    return SampleInput((_t(draw, shape, dtype), _t(draw, other, dtype)), kw)


def _torch_cross(torch: Any, a: Any, b: Any, dim: Any = None) -> Any:
    """torch.cross with dim=None made explicit (torch warns that its default will change)."""
    shape = torch.broadcast_shapes(a.shape, b.shape)
    return torch.cross(a, b, dim=next(i for i, s in enumerate(shape) if s == 3) if dim is None
                       else dim)  # fmt: skip


def _ref_cross(a: Any, b: Any, dim: Any = None) -> Any:
    shape = np.broadcast_shapes(a.shape, b.shape)
    axis = next(i for i, s in enumerate(shape) if s == 3) if dim is None else dim
    return np.cross(a, b, axis=axis)


_EQUATIONS = [
    "ij,jk->ik",
    "ii->i",
    "ii",
    "ij->ji",
    "ji",
    "i,j->ij",
    "i,i",
    "ij,ij->",
    "bij,bjk->bik",
    "...ij,...jk->...ik",
    "...i->...",
    "abc,cd,db->a",
    "iij->j",
    "i,jk->ijk",
]


@samples
def _einsum_samples(draw: Any, dtype: Any) -> SampleInput:
    eq = draw(st.sampled_from(_EQUATIONS))
    size = {c: draw(st.integers(1, 3)) for c in "abcdijk"}
    lhs = eq.split("->")[0]
    operands = []
    for term in lhs.split(","):
        batch: tuple[int, ...] = ()
        if "..." in term:
            batch = draw(st.sampled_from([(), (2,), (1, 2)]))
        shape = (*batch, *(size[c] for c in term.replace("...", "")))
        operands.append(_t(draw, shape, dtype))
    return SampleInput((eq, *operands))


# ----------------------------------------------------------------------------- decompositions


def _rng(draw: Any) -> Any:
    return np.random.default_rng(draw(st.integers(0, 2**32 - 1)))


def _leaf(a: Any, dtype: Any) -> Any:
    from minigrad.tensor import Tensor

    return Tensor(np.asarray(a, dtype=dtype)).requires_grad_()


def _batch(draw: Any) -> tuple[int, ...]:
    return draw(st.sampled_from([(), (2,), (1, 2)]))  # type: ignore[no-any-return]


@samples
def _invertible_samples(draw: Any, dtype: Any) -> SampleInput:
    """Well-conditioned square matrices (diagonally dominant, either sign of det)."""
    n = draw(st.integers(1, 3))
    rng = _rng(draw)
    a = rng.uniform(-1, 1, (*_batch(draw), n, n)) + n * np.eye(n) * draw(st.sampled_from([1, -1]))
    return SampleInput((_leaf(a, dtype),))


@samples
def _solve_samples(draw: Any, dtype: Any) -> SampleInput:
    n = draw(st.integers(1, 3))
    rng = _rng(draw)
    batch = _batch(draw)
    a = rng.uniform(-1, 1, (*batch, n, n)) + (n + 0.5) * np.eye(n)
    kind = draw(st.sampled_from(["matrix", "vector", "batched_vector", "broadcast", "right"]))
    kw: dict[str, Any] = {}
    if kind == "matrix":
        b = rng.standard_normal((*batch, n, 2))
    elif kind == "vector":
        b = rng.standard_normal(n)
    elif kind == "batched_vector":
        b = rng.standard_normal((*batch, n))
    elif kind == "broadcast":
        b = rng.standard_normal((3, *batch, n, 1)) if batch else rng.standard_normal((2, n, 2))
    else:
        b, kw = rng.standard_normal((*batch, 2, n)), {"left": False}
    return SampleInput((_leaf(a, dtype), _leaf(b, dtype)), kw)


def _ref_solve(a: Any, b: Any, left: bool = True) -> Any:
    if not left:
        return np.swapaxes(np.linalg.solve(np.swapaxes(a, -1, -2), np.swapaxes(b, -1, -2)), -1, -2)
    if b.ndim == 1 or b.shape == a.shape[:-1]:
        return np.linalg.solve(a, b[..., None])[..., 0]
    return np.linalg.solve(a, b)


@samples
def _spd_samples(draw: Any, dtype: Any) -> SampleInput:
    """``X`` whose ``X X^T + I`` is a well-conditioned SPD matrix (the op symmetrises)."""
    n = draw(st.integers(1, 3))
    x = _rng(draw).uniform(-1, 1, (*_batch(draw), n, n))
    kw = draw(st.sampled_from([{}, {"upper": True}]))
    return SampleInput((_leaf(x, dtype),), kw)


def _mt(x: Any) -> Any:
    return np.swapaxes(x, -1, -2) if isinstance(x, np.ndarray) else x.transpose(-1, -2)


def _spd(x: Any) -> Any:
    """``x x^T + I`` (arrays or Tensors)."""
    from minigrad.tensor import Tensor

    eye = np.eye(x.shape[-1], dtype=x.dtype)
    return x @ _mt(x) + (eye if isinstance(x, np.ndarray) else Tensor._make(eye))


def _cholesky(x: Any, upper: bool = False) -> Any:
    import minigrad

    return minigrad.linalg.cholesky(_spd(x), upper=upper)


def _ref_cholesky(x: Any, upper: bool = False) -> Any:
    L = np.linalg.cholesky(_spd(x))
    return np.swapaxes(L, -1, -2) if upper else L


def _torch_cholesky(torch: Any, x: Any, upper: bool = False) -> Any:
    a = x @ x.mT + torch.eye(x.shape[-1], dtype=x.dtype)
    return torch.linalg.cholesky(a, upper=upper)


@samples
def _qr_samples(draw: Any, dtype: Any) -> SampleInput:
    """Tall or square, full-rank matrices (the gradient needs ``m >= n``)."""
    n = draw(st.integers(1, 3))
    m = n + draw(st.integers(0, 2))
    rng = _rng(draw)
    a = rng.uniform(-1, 1, (*_batch(draw), m, n)) + np.eye(m, n) * 2
    mode = draw(st.sampled_from(["reduced"] if m > n else ["reduced", "complete"]))
    return SampleInput((_leaf(a, dtype),), {"mode": mode})


def _ref_qr(a: Any, mode: str = "reduced") -> Any:
    return np.linalg.qr(a, mode=mode)  # type: ignore[call-overload]


def _orthogonal(rng: Any, batch: tuple[int, ...], n: int) -> Any:
    q, r = np.linalg.qr(rng.standard_normal((*batch, n, n)))
    return q * np.sign(np.diagonal(r, axis1=-2, axis2=-1))[..., None, :]


@samples
def _svd_samples(draw: Any, dtype: Any) -> SampleInput:
    """``U diag(s) V^T`` with singular values at least 0.5 apart and at least 0.5."""
    m, n = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    k, batch, rng = min(m, n), _batch(draw), _rng(draw)
    s = 0.5 + np.arange(k)[::-1] * 0.7 + rng.uniform(0, 0.2, (*batch, k))
    u = _orthogonal(rng, batch, m)[..., :k]
    v = _orthogonal(rng, batch, n)[..., :k]
    a = (u * s[..., None, :]) @ np.swapaxes(v, -1, -2)
    return SampleInput((_leaf(a, dtype),), {"full_matrices": draw(st.booleans())})


def _signs(u: Any) -> Any:
    """The sign of each column's largest entry: fixes the sign freedom of singular vectors."""
    idx = np.argmax(np.abs(u), axis=-2)[..., None, :]
    s = np.sign(np.take_along_axis(u, idx, axis=-2))
    return np.where(s == 0, 1.0, s).astype(u.dtype)


def _svd(a: Any, full_matrices: bool = True) -> Any:
    import minigrad
    from minigrad.tensor import Tensor

    u, s, vh = minigrad.linalg.svd(a, full_matrices=full_matrices)
    k = s.shape[-1]
    sg = _signs(u.detach().numpy()[..., :k])
    sg_u = np.concatenate([sg, np.ones((*sg.shape[:-1], u.shape[-1] - k), u.dtype)], -1)
    sg_v = np.concatenate([sg, np.ones((*sg.shape[:-1], vh.shape[-2] - k), u.dtype)], -1)
    # columns beyond k of a full U (rows of Vh) are arbitrary: compare only the first k
    return (
        (u * Tensor._make(sg_u))[..., :k],
        s,
        (vh * Tensor._make(np.swapaxes(sg_v, -1, -2)))[..., :k, :],
    )


def _ref_svd(a: Any, full_matrices: bool = True) -> Any:
    u, s, vh = np.linalg.svd(a, full_matrices=full_matrices)
    k = s.shape[-1]
    sg = _signs(u[..., :k])
    return u[..., :k] * sg, s, vh[..., :k, :] * np.swapaxes(sg, -1, -2)


def _torch_svd(torch: Any, a: Any, full_matrices: bool = True) -> Any:
    u, s, vh = torch.linalg.svd(a, full_matrices=full_matrices)
    k = s.shape[-1]
    sg = torch.tensor(_signs(u.detach().numpy()[..., :k]))
    return u[..., :k] * sg, s, vh[..., :k, :] * sg.mT


@samples
def _eigh_samples(draw: Any, dtype: Any) -> SampleInput:
    """Symmetric matrices with eigenvalues at least 0.5 apart."""
    n, batch, rng = draw(st.integers(1, 3)), _batch(draw), _rng(draw)
    w = np.arange(n) * 0.8 - 1.0 + rng.uniform(0, 0.2, (*batch, n))
    q = _orthogonal(rng, batch, n)
    a = (q * w[..., None, :]) @ np.swapaxes(q, -1, -2)
    return SampleInput((_leaf(a, dtype),), draw(st.sampled_from([{}, {"UPLO": "U"}])))


def _sym(a: Any) -> Any:
    return (a + _mt(a)) * 0.5


def _eigh(a: Any, UPLO: str = "L") -> Any:
    import minigrad
    from minigrad.tensor import Tensor

    w, v = minigrad.linalg.eigh(_sym(a), UPLO=UPLO)
    return w, v * Tensor._make(_signs(v.detach().numpy()))


def _ref_eigh(a: Any, UPLO: str = "L") -> Any:
    w, v = np.linalg.eigh(_sym(a), UPLO=UPLO)  # type: ignore[call-overload]
    return w, v * _signs(v)


def _torch_eigh(torch: Any, a: Any, UPLO: str = "L") -> Any:
    w, v = torch.linalg.eigh(_sym(a), UPLO=UPLO)
    return w, v * torch.tensor(_signs(v.detach().numpy()))


@samples
def _matrix_norm_samples(draw: Any, dtype: Any) -> SampleInput:
    """Matrices with distinct singular values (``nuc``/``2``) and no ties in row/column sums."""
    m, n, batch, rng = draw(st.integers(1, 3)), draw(st.integers(1, 3)), _batch(draw), _rng(draw)
    k = min(m, n)
    s = 0.5 + np.arange(k)[::-1] * 0.7 + rng.uniform(0, 0.2, (*batch, k))
    u, v = _orthogonal(rng, batch, m)[..., :k], _orthogonal(rng, batch, n)[..., :k]
    a = (u * s[..., None, :]) @ np.swapaxes(v, -1, -2) + 1e-3 * np.arange(m * n).reshape(m, n)
    ord_ = draw(st.sampled_from(["fro", "nuc", 2, -2, 1, -1, np.inf, -np.inf]))
    kw: dict[str, Any] = {"ord": ord_, "keepdim": draw(st.booleans())}
    if len(batch) and draw(st.booleans()):
        kw["dim"] = (-1, 0) if len(batch) == 1 else (0, -2)
    return SampleInput((_leaf(a, dtype),), kw)


def _ref_matrix_norm(a: Any, ord: Any = "fro", dim: Any = (-2, -1), keepdim: bool = False) -> Any:
    moved = np.moveaxis(a, dim, (-2, -1))
    out = np.linalg.norm(moved, ord=ord, axis=(-2, -1))
    if keepdim:
        d0, d1 = sorted(d % a.ndim for d in dim)
        out = np.expand_dims(np.expand_dims(out, d0), d1)
    return out


def _det_ref(a: Any) -> Any:
    return np.linalg.det(a)


def _slogdet_ref(a: Any) -> Any:
    return tuple(np.linalg.slogdet(a))


def _linalg() -> Any:
    import minigrad

    return minigrad.linalg


@samples
def _matrix_power_samples(draw: Any, dtype: Any) -> SampleInput:
    s = draw(_invertible_samples(dtype))
    return SampleInput((s.args[0], draw(st.integers(-3, 4))))


@samples
def _multi_dot_samples(draw: Any, dtype: Any) -> SampleInput:
    sizes = [draw(st.integers(1, 3)) for _ in range(draw(st.integers(3, 5)))]
    shapes: list[tuple[int, ...]] = list(itertools.pairwise(sizes))
    if draw(st.booleans()):
        shapes[0] = shapes[0][1:]
    if draw(st.booleans()):
        shapes[-1] = shapes[-1][:1]
    return SampleInput(([_t(draw, s, dtype) for s in shapes],))


@samples
def _vecdot_samples(draw: Any, dtype: Any) -> SampleInput:
    n = _side(draw)
    kind = draw(st.sampled_from(["last", "dim0", "broadcast"]))
    if kind == "dim0":
        return SampleInput((_t(draw, (n, 2), dtype), _t(draw, (n, 2), dtype)), {"dim": 0})
    if kind == "broadcast":
        return SampleInput((_t(draw, (2, 1, n), dtype), _t(draw, (3, n), dtype)))
    return SampleInput((_t(draw, (2, n), dtype), _t(draw, (2, n), dtype)))


@samples
def _pinv_samples(draw: Any, dtype: Any) -> SampleInput:
    """Full-rank matrices (the gradient holds where the rank is constant)."""
    s = draw(_svd_samples(dtype))
    return SampleInput(s.args)


@samples
def _rank_samples(draw: Any, dtype: Any) -> SampleInput:
    """Products of a (m, r) and a (r, n) factor: rank r (almost surely), batch included."""
    m, n, r = draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 3))
    rng, batch = _rng(draw), _batch(draw)
    a = rng.standard_normal((*batch, m, r)) @ rng.standard_normal((*batch, r, n))
    return SampleInput((_leaf(a, dtype).requires_grad_(False),))


OPS += [
    OpInfo("outer", ref=np.outer, sample_inputs=_outer_samples, torch="outer"),
    OpInfo("dot", ref=np.dot, sample_inputs=_dot_samples, torch="dot"),
    OpInfo("inner", ref=np.inner, sample_inputs=_inner_samples, torch="inner"),
    OpInfo("mm", ref=np.matmul, sample_inputs=_mm_samples, torch="mm"),
    OpInfo("mv", ref=np.matmul, sample_inputs=_mv_samples, torch="mv"),
    OpInfo("bmm", ref=np.matmul, sample_inputs=_bmm_samples, torch="bmm"),
    OpInfo("addmm", ref=_ref_scaled, sample_inputs=_addmm_samples, torch="addmm"),
    OpInfo("baddbmm", ref=_ref_scaled, sample_inputs=_baddbmm_samples, torch="baddbmm"),
    OpInfo("tensordot", ref=_ref_tensordot, sample_inputs=_tensordot_samples, torch="tensordot"),
    OpInfo("kron", ref=np.kron, sample_inputs=_kron_samples, torch="kron"),
    OpInfo("cross", ref=_ref_cross, sample_inputs=_cross_samples, torch=_torch_cross),
    OpInfo(
        "einsum",
        ref=lambda eq, *ops: np.einsum(eq, *ops),
        sample_inputs=_einsum_samples,
        torch="einsum",
        result_dtype=lambda s: s.args[1].dtype,
    ),
    OpInfo("linalg_inv", ref=np.linalg.inv, sample_inputs=_invertible_samples, torch="linalg.inv",
           rtol=1e-6),
    OpInfo("inverse", ref=np.linalg.inv, sample_inputs=_invertible_samples, torch="inverse",
           rtol=1e-6),
    OpInfo("linalg_det", ref=_det_ref, sample_inputs=_invertible_samples, torch="linalg.det",
           rtol=1e-6),
    OpInfo("det", ref=_det_ref, sample_inputs=_invertible_samples, torch="det", rtol=1e-6),
    OpInfo("linalg_slogdet", ref=_slogdet_ref, sample_inputs=_invertible_samples,
           torch="linalg.slogdet", rtol=1e-6),
    OpInfo("linalg_solve", ref=_ref_solve, sample_inputs=_solve_samples, torch="linalg.solve",
           rtol=1e-6),
    OpInfo("linalg_cholesky", op=_cholesky, ref=_ref_cholesky, sample_inputs=_spd_samples,
           torch=_torch_cholesky, rtol=1e-6),
    OpInfo("linalg_qr", ref=_ref_qr, sample_inputs=_qr_samples, torch="linalg.qr", rtol=1e-6),
    OpInfo("linalg_svd", op=_svd, ref=_ref_svd, sample_inputs=_svd_samples, torch=_torch_svd,
           rtol=1e-6, atol=1e-9),
    OpInfo("linalg_svdvals", ref=lambda a: np.linalg.svd(a, compute_uv=False),
           sample_inputs=lambda dtype: _svd_samples(dtype).map(
               lambda s: SampleInput(s.args)), torch="linalg.svdvals", rtol=1e-6),
    OpInfo("linalg_eigh", op=_eigh, ref=_ref_eigh, sample_inputs=_eigh_samples, torch=_torch_eigh,
           rtol=1e-6, atol=1e-9),
    OpInfo("linalg_matrix_norm", ref=_ref_matrix_norm, sample_inputs=_matrix_norm_samples,
           torch="linalg.matrix_norm", rtol=1e-6),
    OpInfo("linalg_eigvalsh", op=lambda a, UPLO="L": _linalg().eigvalsh(_sym(a), UPLO=UPLO),
           ref=lambda a, UPLO="L": np.linalg.eigvalsh(_sym(a), UPLO=UPLO),
           sample_inputs=_eigh_samples,
           torch=lambda torch, a, UPLO="L": torch.linalg.eigvalsh(_sym(a), UPLO=UPLO), rtol=1e-6),
    OpInfo("logdet", ref=lambda a: np.log(np.linalg.det(a)),
           sample_inputs=lambda dt: _invertible_samples(dt).filter(
               lambda s: bool((np.linalg.det(s.args[0]._data) > 0).all())),
           torch="logdet", rtol=1e-6),
    OpInfo("linalg_matrix_power", ref=lambda a, n: np.linalg.matrix_power(a, n),
           sample_inputs=_matrix_power_samples, torch="linalg.matrix_power", rtol=1e-6),
    OpInfo("linalg_multi_dot", ref=lambda ts: np.linalg.multi_dot(ts),
           sample_inputs=_multi_dot_samples, torch="linalg.multi_dot",
           result_dtype=lambda s: s.args[0][0].dtype),
    OpInfo("linalg_vecdot", ref=lambda x, y, dim=-1: (x * y).sum(dim),
           sample_inputs=_vecdot_samples, torch="linalg.vecdot"),
    OpInfo("linalg_pinv", ref=lambda a, **kw: np.linalg.pinv(a), sample_inputs=_pinv_samples,
           torch="linalg.pinv", rtol=1e-6, atol=1e-9),
    OpInfo("linalg_matrix_rank", ref=lambda a, **kw: np.linalg.matrix_rank(a),
           sample_inputs=_rank_samples, torch="linalg.matrix_rank", supports_grad=False,
           result_dtype="int64"),
]  # fmt: skip
