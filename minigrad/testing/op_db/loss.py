"""OpInfo entries of the loss functions."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import assume
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


__all__ = ["OPS"]

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


# --------------------------------------------------------------------------- more losses


def _xlogx(t: Any) -> Any:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(t == 0, 0.0, t * np.log(np.where(t == 0, 1.0, t)))


def np_smooth_l1(x: Any, t: Any, reduction: str = "mean", beta: float = 1.0) -> Any:
    d = np.abs(x - t)
    return _reduce(np.where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta), reduction)


def np_huber(x: Any, t: Any, reduction: str = "mean", delta: float = 1.0) -> Any:
    d = np.abs(x - t)
    return _reduce(np.where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta)), reduction)


def np_kl_div(x: Any, t: Any, reduction: str = "mean", log_target: bool = False) -> Any:
    loss = np.exp(t) * (t - x) if log_target else _xlogx(t) - t * x
    if reduction == "batchmean":
        return loss.sum() / x.shape[0]
    return _reduce(loss, reduction)


def np_poisson_nll(x: Any, t: Any, log_input: bool = True, full: bool = False,
                   reduction: str = "mean") -> Any:  # fmt: skip
    loss = np.exp(x) - t * x if log_input else x - t * np.log(x + 1e-8)
    if full:
        ts = np.where(t > 1, t, 2.0)
        loss = loss + np.where(t > 1, ts * np.log(ts) - ts + 0.5 * np.log(2 * np.pi * ts), 0.0)
    return _reduce(loss, reduction)


def np_gaussian_nll(x: Any, t: Any, v: Any, full: bool = False, reduction: str = "mean") -> Any:
    if v.shape != x.shape and v.shape == x.shape[:-1]:
        v = v[..., None]
    v = np.maximum(v, 1e-6)
    loss = 0.5 * (np.log(v) + (x - t) ** 2 / v) + (0.5 * np.log(2 * np.pi) if full else 0.0)
    return _reduce(loss, reduction)


def np_margin_ranking(a: Any, b: Any, y: Any, margin: float = 0.0, reduction: str = "mean") -> Any:
    return _reduce(np.maximum(0.0, -y * (a - b) + margin), reduction)


def np_hinge_embedding(x: Any, y: Any, margin: float = 1.0, reduction: str = "mean") -> Any:
    return _reduce(np.where(y == 1, x, np.maximum(0.0, margin - x)), reduction)


def np_cosine_embedding(a: Any, b: Any, y: Any, margin: float = 0.0,
                        reduction: str = "mean") -> Any:  # fmt: skip
    d = a.ndim - 1
    cos = (a * b).sum(d) / np.sqrt(((a * a).sum(d) + 1e-12) * ((b * b).sum(d) + 1e-12))
    return _reduce(np.where(y == 1, 1 - cos, np.maximum(0.0, cos - margin)), reduction)


def np_triplet(a: Any, pos: Any, neg: Any, margin: float = 1.0, p: float = 2,
               swap: bool = False, reduction: str = "mean") -> Any:  # fmt: skip
    def dist(u: Any, v: Any) -> Any:
        return (np.abs(u - v + 1e-6) ** p).sum(-1) ** (1.0 / p)

    d_neg = dist(a, neg)
    if swap:
        d_neg = np.minimum(d_neg, dist(pos, neg))
    return _reduce(np.maximum(dist(a, pos) - d_neg + margin, 0.0), reduction)


def np_multi_margin(x: Any, y: Any, p: int = 1, margin: float = 1.0,
                    reduction: str = "mean") -> Any:  # fmt: skip
    n, c = x.shape
    picked = x[np.arange(n), y][:, None]
    z = np.maximum(0.0, margin - picked + x) ** p
    z = np.where(np.arange(c)[None, :] == y[:, None], 0.0, z)
    return _reduce(z.sum(1) / c, reduction)


def np_multilabel_soft_margin(x: Any, y: Any, reduction: str = "mean") -> Any:
    loss = y * np.logaddexp(0.0, -x) + (1 - y) * np.logaddexp(0.0, x)
    return _reduce(loss.mean(-1), reduction)


def np_soft_margin(x: Any, y: Any, reduction: str = "mean") -> Any:
    return _reduce(np.logaddexp(0.0, -y * x), reduction)


def _signs(draw: Any, shape: Any, dtype: Any) -> Any:
    import minigrad

    n = int(np.prod(shape))
    values = draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=n, max_size=n))
    return minigrad.tensor(np.array(values, dtype=dtype).reshape(shape))


def _loss_samples(kind: str) -> Any:
    """Samples of the pairwise-margin losses, away from their kinks."""

    @samples
    def draw(d: Any, dtype: Any) -> SampleInput:
        import minigrad
        from minigrad.testing import strategies as mst

        shape = d(st.sampled_from([(3,), (2, 3)]))
        kw: dict[str, Any] = {"reduction": d(_REDUCTIONS)}
        x = d(mst.tensors(shape, dtype, elements=(-3, 3)))
        if kind == "smooth_l1":
            t = d(mst.tensors(shape, dtype, elements=(-3, 3), requires_grad=False))
            kw["beta"] = d(st.sampled_from([1.0, 0.5]))
            assume(bool(np.all(np.abs(np.abs(x._data - t._data) - kw["beta"]) > 0.05)))
            return SampleInput((x, t), kw)
        if kind == "huber":
            t = d(mst.tensors(shape, dtype, elements=(-3, 3)))
            kw["delta"] = d(st.sampled_from([1.0, 2.0]))
            assume(bool(np.all(np.abs(np.abs(x._data - t._data) - kw["delta"]) > 0.05)))
            return SampleInput((x, t), kw)
        if kind == "kl_div":
            kw["reduction"] = d(st.sampled_from(["mean", "sum", "none", "batchmean"]))
            kw["log_target"] = d(st.booleans())
            lo = -3 if kw["log_target"] else 0.05
            t = d(mst.tensors(shape, dtype, elements=(lo, 1.0)))
            return SampleInput((x, t), kw)
        if kind == "poisson":
            kw["log_input"], kw["full"] = d(st.booleans()), d(st.booleans())
            if not kw["log_input"]:
                x = d(mst.tensors(shape, dtype, elements=(0.1, 3)))
            t = d(mst.tensors(shape, dtype, elements=(0.0, 3), away_from=1.0, margin=0.05))
            return SampleInput((x, t), kw)
        if kind == "gaussian":
            kw["full"] = d(st.booleans())
            t = d(mst.tensors(shape, dtype, elements=(-3, 3)))
            vshape = d(st.sampled_from([shape, (*shape[:-1], 1), shape[:-1]]))
            v = d(mst.tensors(vshape, dtype, elements=(0.1, 2.0)))
            return SampleInput((x, t, v), kw)
        if kind == "margin_ranking":
            b = d(mst.tensors(shape, dtype, elements=(-3, 3)))
            y = _signs(d, shape, dtype)
            kw["margin"] = d(st.sampled_from([0.0, 0.5]))
            assume(bool(np.all(np.abs(-y._data * (x._data - b._data) + kw["margin"]) > 0.05)))
            return SampleInput((x, b, y), kw)
        if kind == "hinge":
            y = _signs(d, shape, dtype)
            kw["margin"] = d(st.sampled_from([1.0, 0.5]))
            assume(bool(np.all(np.abs(kw["margin"] - x._data) > 0.05)))
            return SampleInput((x, y), kw)
        if kind == "cosine":
            b = d(mst.tensors(shape, dtype, elements=(-3, 3)))
            y = _signs(d, shape[:-1], dtype)
            kw["margin"] = d(st.sampled_from([0.0, 0.2]))
            a_, b_ = x._data, b._data
            assume(bool(np.all((a_ * a_).sum(-1) > 0.1)) and bool(np.all((b_ * b_).sum(-1) > 0.1)))
            cos = (a_ * b_).sum(-1) / np.sqrt((a_ * a_).sum(-1) * (b_ * b_).sum(-1))
            assume(bool(np.all(np.abs(cos - kw["margin"]) > 0.05)))
            return SampleInput((x, b, y), kw)
        if kind == "triplet":
            p = d(mst.tensors(shape, dtype, elements=(-3, 3)))
            n = d(mst.tensors(shape, dtype, elements=(-3, 3)))
            kw.update(margin=d(st.sampled_from([1.0, 0.5])), p=d(st.sampled_from([2, 1, 3])),
                      swap=d(st.booleans()))  # fmt: skip
            diffs = [np.abs(u._data - v._data + 1e-6) for u, v in ((x, p), (x, n), (p, n))]
            assume(all(bool(np.all(dd > 0.05)) for dd in diffs))
            pn = kw["p"]
            dist = [(dd**pn).sum(-1) ** (1 / pn) for dd in diffs]
            dn = np.minimum(dist[1], dist[2]) if kw["swap"] else dist[1]
            assume(bool(np.all(np.abs(dist[0] - dn + kw["margin"]) > 0.05)))
            if kw["swap"]:
                assume(bool(np.all(np.abs(dist[1] - dist[2]) > 0.05)))
            return SampleInput((x, p, n), kw)
        if kind == "multi_margin":
            c = shape[-1]
            x = d(mst.tensors((2, c), dtype, elements=(-3, 3)))
            picks = d(st.lists(st.integers(0, c - 1), min_size=2, max_size=2))
            y = minigrad.tensor(picks, dtype=minigrad.int64)
            kw.update(p=d(st.sampled_from([1, 2])), margin=d(st.sampled_from([1.0, 0.5])))
            z = kw["margin"] - x._data[np.arange(2), y._data][:, None] + x._data
            assume(bool(np.all(np.abs(z) > 0.05)))
            return SampleInput((x, y), kw)
        y = d(mst.tensors(shape, dtype, elements=(0.0, 1.0)))
        if kind == "soft_margin":
            y = _signs(d, shape, dtype)
        return SampleInput((x, y), kw)

    return draw


def _loss(name: str, ref: Any, kind: str, **kw: Any) -> OpInfo:
    return OpInfo(
        name, ref=ref, sample_inputs=_loss_samples(kind), dtypes=_FLOATS,
        torch=f"nn.functional.{name}", **kw,
    )  # fmt: skip


OPS += [
    _loss("smooth_l1_loss", np_smooth_l1, "smooth_l1"),
    _loss("huber_loss", np_huber, "huber"),
    _loss("kl_div", np_kl_div, "kl_div"),
    _loss("poisson_nll_loss", np_poisson_nll, "poisson"),
    _loss("gaussian_nll_loss", np_gaussian_nll, "gaussian"),
    _loss("margin_ranking_loss", np_margin_ranking, "margin_ranking"),
    _loss("hinge_embedding_loss", np_hinge_embedding, "hinge"),
    _loss("cosine_embedding_loss", np_cosine_embedding, "cosine"),
    _loss("triplet_margin_loss", np_triplet, "triplet"),
    _loss("multi_margin_loss", np_multi_margin, "multi_margin"),
    _loss("multilabel_soft_margin_loss", np_multilabel_soft_margin, "multilabel"),
    _loss("soft_margin_loss", np_soft_margin, "soft_margin"),
]
