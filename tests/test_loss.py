"""Losses: drawn arguments checked against plain references, numerical gradients
(first and second order) and PyTorch, and the error messages."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
from minigrad.nn import functional as F
from minigrad.testing import gradcheck, gradgradcheck

_BASE = settings().max_examples


def examples(n: int) -> settings:
    return settings(max_examples=max(3, _BASE * n // 25))


# --------------------------------------------------------------------------- reference


def cross_entropy_ref(x, target, weight, ignore_index, reduction, eps):  # type: ignore[no-untyped-def]
    """PyTorch's cross entropy, one sample (and position) at a time; x is (N, C, ...)."""
    N, C = x.shape[:2]
    w = np.ones(C) if weight is None else weight
    losses, total_weight = [], 0.0
    for n in range(N):
        for pos in np.ndindex(*x.shape[2:]):
            logits = np.array([x[(n, c, *pos)] for c in range(C)])
            logp = logits - logits.max() - np.log(np.exp(logits - logits.max()).sum())
            if target.dtype.kind == "f":
                p = np.array([target[(n, c, *pos)] for c in range(C)]) * (1 - eps) + eps / C
                losses.append(-(w * p * logp).sum())
                total_weight += 1.0
                continue
            t = target[(n, *pos)]
            if t == ignore_index:
                losses.append(0.0)
                continue
            smooth = -(w * logp).sum() / C
            losses.append((1 - eps) * -w[t] * logp[t] + eps * smooth)
            total_weight += w[t]
    loss = np.array(losses).reshape(x.shape[:1] + x.shape[2:])
    if reduction == "none":
        return loss
    return loss.sum() / total_weight if reduction == "mean" else loss.sum()


# --------------------------------------------------------------------------- strategies


@st.composite
def ce_args(draw: Any, max_batch: int = 3) -> dict[str, Any]:
    N, C = draw(st.integers(1, max_batch)), draw(st.integers(2, 5))
    extra = draw(st.sampled_from([(), (), (2,), (1, 2)]))
    return {
        "shape": (N, C, *extra),
        "probs": draw(st.booleans()),
        "weight": draw(st.booleans()),
        "ignore": draw(st.booleans()),
        "reduction": draw(st.sampled_from(["mean", "sum", "none"])),
        "label_smoothing": draw(st.sampled_from([0.0, 0.0, 0.1, 0.3])),
        "seed": draw(st.integers(0, 2**16)),
    }


def make_ce(args: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, int]:
    rng = np.random.default_rng(args["seed"])
    shape = args["shape"]
    C = shape[1]
    x = rng.standard_normal(shape) * 2
    if args["probs"]:
        p = rng.random(shape) + 0.1
        target = p / p.sum(axis=1, keepdims=True)
    else:
        target = rng.integers(0, C, shape[:1] + shape[2:])
        if args["ignore"]:
            target.flat[0] = -100  # at least one sample ignored (never all: mean would be 0/0)
            if target.size == 1:
                target.flat[0] = 0
    weight = rng.random(C) + 0.5 if args["weight"] else None
    return x, target, weight, -100


def ce_kwargs(args: dict[str, Any], weight: Any) -> dict[str, Any]:
    return {
        "weight": None if weight is None else minigrad.tensor(weight),
        "reduction": args["reduction"],
        "label_smoothing": args["label_smoothing"],
    }


# --------------------------------------------------------------------------- cross entropy


@examples(40)
@given(args=ce_args())
def test_cross_entropy_matches_reference(args: dict[str, Any]) -> None:
    x, target, weight, ignore = make_ce(args)
    out = F.cross_entropy(minigrad.tensor(x), minigrad.tensor(target), **ce_kwargs(args, weight))
    ref = cross_entropy_ref(x, target, weight, ignore, args["reduction"], args["label_smoothing"])
    np.testing.assert_allclose(out.numpy(), ref, rtol=1e-10, atol=1e-12)


@examples(20)
@given(args=ce_args())
def test_cross_entropy_gradcheck(args: dict[str, Any]) -> None:
    x, target, weight, _ = make_ce(args)
    kw = ce_kwargs(args, weight)
    mx = minigrad.tensor(x, requires_grad=True)
    mt = minigrad.tensor(target, requires_grad=bool(args["probs"]))
    inputs = (mx, mt) if args["probs"] else (mx,)
    assert gradcheck(lambda x, t=mt: F.cross_entropy(x, t, **kw), inputs)


@examples(10)
@given(args=ce_args(max_batch=2))
def test_cross_entropy_gradgradcheck(args: dict[str, Any]) -> None:
    x, target, weight, _ = make_ce(args)
    kw = ce_kwargs(args, weight)
    mx = minigrad.tensor(x, requires_grad=True)
    mt = minigrad.tensor(target, requires_grad=bool(args["probs"]))
    inputs = (mx, mt) if args["probs"] else (mx,)
    assert gradgradcheck(lambda x, t=mt: F.cross_entropy(x, t, **kw), inputs)


@examples(30)
@given(args=ce_args())
def test_cross_entropy_matches_torch(torch: Any, args: dict[str, Any]) -> None:
    x, target, weight, _ = make_ce(args)
    kw = ce_kwargs(args, weight)
    tkw = dict(kw, weight=None if weight is None else torch.tensor(weight))
    mx, tx = minigrad.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out = F.cross_entropy(mx, minigrad.tensor(target), **kw)
    tout = torch.nn.functional.cross_entropy(tx, torch.tensor(target), **tkw)
    np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), rtol=1e-10, atol=1e-12)
    g = np.random.default_rng(1).standard_normal(out.shape)
    out.backward(minigrad.tensor(g))
    tout.backward(torch.tensor(g))
    np.testing.assert_allclose(mx.grad.numpy(), tx.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_cross_entropy_unbatched_stable_and_float32(torch: Any) -> None:
    x = np.array([1000.0, -1000.0, 0.0], dtype=np.float32)
    out = F.cross_entropy(minigrad.tensor(x), minigrad.tensor(1))
    ref = torch.nn.functional.cross_entropy(torch.tensor(x), torch.tensor(1))
    assert out.dtype == np.float32 and np.isfinite(out.item())
    np.testing.assert_allclose(out.numpy(), ref.numpy(), rtol=1e-6)


def test_cross_entropy_all_ignored_is_nan(torch: Any) -> None:
    x, t = np.zeros((2, 3)), np.array([-100, -100])
    out = F.cross_entropy(minigrad.tensor(x), minigrad.tensor(t))
    assert np.isnan(out.item())
    assert np.isnan(torch.nn.functional.cross_entropy(torch.tensor(x), torch.tensor(t)).item())


# --------------------------------------------------------------------------- nll_loss


@examples(20)
@given(args=ce_args())
def test_nll_loss_matches_torch_and_gradchecks(torch: Any, args: dict[str, Any]) -> None:
    args = dict(args, probs=False)
    x, target, weight, _ = make_ce(args)
    logp = x - np.log(np.exp(x).sum(axis=1, keepdims=True))
    kw = {
        "weight": None if weight is None else minigrad.tensor(weight),
        "reduction": args["reduction"],
    }
    tkw = dict(kw, weight=None if weight is None else torch.tensor(weight))
    mx, tx = minigrad.tensor(logp, requires_grad=True), torch.tensor(logp, requires_grad=True)
    out = F.nll_loss(mx, minigrad.tensor(target), **kw)
    tout = torch.nn.functional.nll_loss(tx, torch.tensor(target), **tkw)
    np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), rtol=1e-10, atol=1e-12)
    g = np.random.default_rng(1).standard_normal(out.shape)
    out.backward(minigrad.tensor(g))
    tout.backward(torch.tensor(g))
    np.testing.assert_allclose(mx.grad.numpy(), tx.grad.numpy(), rtol=1e-10, atol=1e-12)
    assert gradcheck(lambda t: F.nll_loss(t, minigrad.tensor(target), **kw), (mx,))


def test_cross_entropy_is_log_softmax_then_nll() -> None:
    x = minigrad.randn(4, 5, dtype=minigrad.float64)
    t = minigrad.tensor([0, 4, 2, 2])
    a = F.cross_entropy(x, t)
    b = F.nll_loss(F.log_softmax(x, dim=1), t)
    np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-12)


# --------------------------------------------------------------------------- regression and binary


shapes = st.sampled_from([(3,), (2, 3), (2, 1, 3)])
reductions = st.sampled_from(["mean", "sum", "none"])


@examples(20)
@given(shape=shapes, reduction=reductions, seed=st.integers(0, 2**16))
def test_mse_and_l1_loss(torch: Any, shape: Any, reduction: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x, t = rng.standard_normal(shape), rng.standard_normal(shape)
    for ours, theirs in (
        (F.mse_loss, torch.nn.functional.mse_loss),
        (F.l1_loss, torch.nn.functional.l1_loss),
    ):
        mx, mt = minigrad.tensor(x, requires_grad=True), minigrad.tensor(t, requires_grad=True)
        tx, tt = torch.tensor(x, requires_grad=True), torch.tensor(t, requires_grad=True)
        out, tout = ours(mx, mt, reduction=reduction), theirs(tx, tt, reduction=reduction)
        np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), rtol=1e-12)
        out.sum().backward()
        tout.sum().backward()
        np.testing.assert_allclose(mx.grad.numpy(), tx.grad.numpy(), rtol=1e-12)
        np.testing.assert_allclose(mt.grad.numpy(), tt.grad.numpy(), rtol=1e-12)
        fresh = minigrad.tensor(x, requires_grad=True), minigrad.tensor(t, requires_grad=True)
        assert gradcheck(lambda a, b, f=ours: f(a, b, reduction=reduction), fresh)
        assert gradgradcheck(lambda a, b, f=ours: f(a, b, reduction=reduction), fresh)


@examples(20)
@given(shape=shapes, reduction=reductions, weighted=st.booleans(), seed=st.integers(0, 2**16))
def test_binary_cross_entropy(
    torch: Any, shape: Any, reduction: str, weighted: bool, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    p, t = rng.uniform(0.05, 0.95, shape), rng.uniform(0, 1, shape)
    w = rng.uniform(0.5, 2, shape[-1:]) if weighted else None
    mp, mt = minigrad.tensor(p, requires_grad=True), minigrad.tensor(t, requires_grad=True)
    tp, tt = torch.tensor(p, requires_grad=True), torch.tensor(t, requires_grad=True)
    mw = None if w is None else minigrad.tensor(w)
    tw = None if w is None else torch.tensor(w)
    out = F.binary_cross_entropy(mp, mt, mw, reduction=reduction)
    tout = torch.nn.functional.binary_cross_entropy(tp, tt, tw, reduction=reduction)
    np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), rtol=1e-10)
    out.sum().backward()
    tout.sum().backward()
    np.testing.assert_allclose(mp.grad.numpy(), tp.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(mt.grad.numpy(), tt.grad.numpy(), rtol=1e-10)
    fresh = minigrad.tensor(p, requires_grad=True), minigrad.tensor(t, requires_grad=True)
    assert gradcheck(lambda a, b: F.binary_cross_entropy(a, b, mw, reduction=reduction), fresh)
    assert gradgradcheck(lambda a, b: F.binary_cross_entropy(a, b, mw, reduction=reduction), fresh)


def test_binary_cross_entropy_clamps_log_at_minus_100(torch: Any) -> None:
    p, t = np.array([0.0, 1.0, 0.0]), np.array([1.0, 0.0, 0.0])
    out = F.binary_cross_entropy(minigrad.tensor(p), minigrad.tensor(t), reduction="none")
    ref = torch.nn.functional.binary_cross_entropy(
        torch.tensor(p), torch.tensor(t), reduction="none"
    )
    np.testing.assert_allclose(out.numpy(), [100.0, 100.0, 0.0])
    np.testing.assert_allclose(out.numpy(), ref.numpy())


@examples(20)
@given(
    shape=shapes, reduction=reductions, weighted=st.booleans(), pos=st.booleans(),
    seed=st.integers(0, 2**16),
)  # fmt: skip
def test_binary_cross_entropy_with_logits(
    torch: Any, shape: Any, reduction: str, weighted: bool, pos: bool, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    x, t = rng.standard_normal(shape) * 3, rng.uniform(0, 1, shape)
    w = rng.uniform(0.5, 2, shape[-1:]) if weighted else None
    pw = rng.uniform(0.5, 3, shape[-1:]) if pos else None
    kw = {"weight": None if w is None else minigrad.tensor(w), "reduction": reduction,
          "pos_weight": None if pw is None else minigrad.tensor(pw)}  # fmt: skip
    tkw = {"weight": None if w is None else torch.tensor(w), "reduction": reduction,
           "pos_weight": None if pw is None else torch.tensor(pw)}  # fmt: skip
    mx, mt = minigrad.tensor(x, requires_grad=True), minigrad.tensor(t, requires_grad=True)
    tx, tt = torch.tensor(x, requires_grad=True), torch.tensor(t, requires_grad=True)
    out = F.binary_cross_entropy_with_logits(mx, mt, **kw)
    tout = torch.nn.functional.binary_cross_entropy_with_logits(tx, tt, **tkw)
    np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), rtol=1e-10)
    out.sum().backward()
    tout.sum().backward()
    np.testing.assert_allclose(mx.grad.numpy(), tx.grad.numpy(), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(mt.grad.numpy(), tt.grad.numpy(), rtol=1e-10, atol=1e-14)
    fresh = minigrad.tensor(x, requires_grad=True), minigrad.tensor(t, requires_grad=True)
    assert gradcheck(lambda a, b: F.binary_cross_entropy_with_logits(a, b, **kw), fresh)
    assert gradgradcheck(lambda a, b: F.binary_cross_entropy_with_logits(a, b, **kw), fresh)


def test_binary_cross_entropy_with_logits_is_stable_and_exact_at_zero() -> None:
    x = minigrad.tensor([-200.0, 0.0, 200.0], requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(x, minigrad.tensor([1.0, 1.0, 0.0]), reduction="sum")
    assert np.isfinite(loss.item())
    loss.backward()
    np.testing.assert_allclose(x.grad.numpy(), [-1.0, -0.5, 1.0])


# --------------------------------------------------------------------------- errors


def test_loss_errors_name_both_sides() -> None:
    x = minigrad.randn(4, 10)
    with pytest.raises(
        RuntimeError,
        match=r"target has shape \(3,\) but input of shape \(4, 10\) needs a target of "
        r"shape \(4,\)",
    ):
        F.cross_entropy(x, minigrad.tensor([1, 2, 3]))
    with pytest.raises(IndexError, match=r"target holds 12, outside the classes \[0, 10\)"):
        F.cross_entropy(x, minigrad.tensor([1, 2, 3, 12]))
    with pytest.raises(RuntimeError, match=r"weight has shape \(3,\) but the input has 10 classes"):
        F.cross_entropy(x, minigrad.tensor([1, 2, 3, 4]), weight=minigrad.ones(3))
    with pytest.raises(
        RuntimeError, match=r"probability target has shape \(4, 9\) but input has shape \(4, 10\)"
    ):
        F.cross_entropy(x, minigrad.rand(4, 9))
    with pytest.raises(ValueError, match=r"reduction must be one of .* got 'avg'"):
        F.cross_entropy(x, minigrad.tensor([1, 2, 3, 4]), reduction="avg")
    with pytest.raises(ValueError, match=r"label_smoothing must be in \[0, 1\], got 1.5"):
        F.cross_entropy(x, minigrad.tensor([1, 2, 3, 4]), label_smoothing=1.5)
    with pytest.raises(TypeError, match=r"target must hold class indices"):
        F.nll_loss(x, minigrad.rand(4))
    with pytest.raises(
        RuntimeError, match=r"input of shape \(4, 10\) and target of shape \(3,\) do not broadcast"
    ):
        F.mse_loss(x, minigrad.rand(3))
    with pytest.raises(
        RuntimeError, match=r"target has shape \(4,\) but input has shape \(4, 10\)"
    ):
        F.binary_cross_entropy(x.sigmoid(), minigrad.rand(4))
    with pytest.raises(ValueError, match=r"every element of input must be in \[0, 1\]"):
        F.binary_cross_entropy(x * 10, minigrad.rand(4, 10))
