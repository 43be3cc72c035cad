"""The loss modules added for issue 16 against PyTorch's: forward and gradients of every
tensor argument in float64, every reduction, the constructors' signatures, the legacy
``size_average``/``reduce`` arguments and the errors."""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
import pytest

import minigrad
from minigrad import nn

RNG = np.random.default_rng(0)
X = RNG.uniform(-3, 3, (4, 5))
T = RNG.uniform(-3, 3, (4, 5))
P = RNG.uniform(0.1, 3, (4, 5))
SIGNS = np.sign(RNG.uniform(-1, 1, (4, 5)))
ROW_SIGNS = np.sign(RNG.uniform(-1, 1, (4,)))
CLASSES = np.array([0, 4, 2, 2])

# (module, constructor kwargs, inputs; arrays of floats are differentiated)
CASES: list[tuple[str, dict[str, Any], tuple[Any, ...]]] = [
    ("SmoothL1Loss", {"beta": 0.5}, (X, T)),
    ("HuberLoss", {"delta": 0.7}, (X, T)),
    ("KLDivLoss", {"reduction": "batchmean"}, (X, P)),
    ("KLDivLoss", {"log_target": True}, (X, T)),
    ("PoissonNLLLoss", {"full": True}, (X, P * 2)),
    ("PoissonNLLLoss", {"log_input": False}, (P, T.__abs__())),
    ("GaussianNLLLoss", {"full": True}, (X, T, P)),
    ("GaussianNLLLoss", {}, (X, T, P[:, :1])),
    ("MarginRankingLoss", {"margin": 0.3}, (X, T, SIGNS)),
    ("HingeEmbeddingLoss", {"margin": 0.5}, (X, SIGNS)),
    ("CosineEmbeddingLoss", {"margin": 0.2}, (X, T, ROW_SIGNS)),
    ("TripletMarginLoss", {"margin": 2.0, "p": 3.0, "swap": True}, (X, T, P)),
    ("MultiMarginLoss", {"p": 2, "margin": 0.7, "weight": np.arange(1.0, 6.0)}, (X, CLASSES)),
    ("MultiLabelSoftMarginLoss", {"weight": np.arange(1.0, 6.0)}, (X, (SIGNS > 0) * 1.0)),
    ("SoftMarginLoss", {}, (X, SIGNS)),
]


def _make(lib: Any, name: str, kwargs: dict[str, Any]) -> Any:
    kw = {k: (lib.tensor(v) if isinstance(v, np.ndarray) else v) for k, v in kwargs.items()}
    if lib is minigrad:
        kw = {k: (v.to(minigrad.float64) if isinstance(v, minigrad.Tensor) else v)
              for k, v in kw.items()}  # fmt: skip
        return getattr(nn, name)(**kw)
    return getattr(lib.nn, name)(**kw)


def _inputs(lib: Any, arrays: tuple[Any, ...]) -> list[Any]:
    out = []
    for a in arrays:
        diff = a.dtype.kind == "f"
        if lib is minigrad:
            dtype = minigrad.float64 if diff else minigrad.int64
            out.append(minigrad.tensor(a, dtype=dtype, requires_grad=diff))
        else:
            out.append(lib.tensor(a, requires_grad=diff))
    return out


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize(("name", "kwargs", "arrays"), CASES, ids=[c[0] for c in CASES])
def test_loss_module_matches_torch(torch, name, kwargs, arrays, reduction) -> None:
    kw = dict(kwargs)
    if kw.get("reduction") != "batchmean":
        kw["reduction"] = reduction
    ours, theirs = _make(minigrad, name, kw), _make(torch, name, kw)
    xs, ts = _inputs(minigrad, arrays), _inputs(torch, arrays)
    if name == "SoftMarginLoss":  # torch has no gradient for the target
        ts[1].requires_grad_(False)
        xs[1].requires_grad_(False)
    lm, lt = ours(*xs), theirs(*ts)
    np.testing.assert_allclose(lm.numpy(), lt.detach().numpy(), rtol=1e-12, atol=1e-14)
    up = RNG.standard_normal(lm.shape)
    lm.backward(minigrad.tensor(up, dtype=minigrad.float64))
    lt.backward(torch.tensor(up))
    for a, b in zip(xs, ts):
        if b.requires_grad:
            ga = np.zeros(a.shape) if a.grad is None else a.grad.numpy()  # None: unused
            gb = np.zeros(a.shape) if b.grad is None else b.grad.numpy()
            np.testing.assert_allclose(ga, gb, rtol=1e-9, atol=1e-12)
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("name", sorted({c[0] for c in CASES}))
def test_loss_constructor_signature_is_torchs(torch, name: str) -> None:
    def params(cls: Any) -> list[tuple[str, Any]]:
        sig = inspect.signature(cls.__init__).parameters.values()
        return [(p.name, p.default, p.kind) for p in sig]

    assert params(getattr(nn, name)) == params(getattr(torch.nn, name))


@pytest.mark.parametrize(
    ("size_average", "reduce", "expected"),
    [(None, False, "none"), (False, None, "sum"), (True, True, "mean"), (False, False, "none")],
)
def test_legacy_size_average_and_reduce(torch, size_average, reduce, expected) -> None:
    with pytest.warns(UserWarning):
        ours = nn.SmoothL1Loss(size_average=size_average, reduce=reduce)
    assert ours.reduction == expected
    x, t = _inputs(minigrad, (X, T))
    with pytest.warns(UserWarning):
        loss = minigrad.nn.functional.soft_margin_loss(x, t, size_average, reduce)
    theirs = torch.nn.functional.soft_margin_loss(
        torch.tensor(X), torch.tensor(T), size_average, reduce
    )
    np.testing.assert_allclose(loss.numpy(), theirs.numpy(), rtol=1e-12)


def test_errors_name_what_came() -> None:
    F = minigrad.nn.functional
    x = minigrad.zeros(4, 5, dtype=minigrad.float64)
    with pytest.raises(ValueError, match="var has negative"):
        F.gaussian_nll_loss(x, x, -1.0)
    with pytest.raises(ValueError, match="incorrect size"):
        F.gaussian_nll_loss(x, x, minigrad.ones(3, dtype=minigrad.float64))
    with pytest.raises(ValueError, match="only p == 1 and p == 2"):
        F.multi_margin_loss(x, minigrad.tensor([0, 1, 2, 3], dtype=minigrad.int64), p=3)
    with pytest.raises(IndexError, match="outside the classes"):
        F.multi_margin_loss(x, minigrad.tensor([0, 1, 2, 9], dtype=minigrad.int64))
    with pytest.raises(ValueError, match="reduction"):
        F.kl_div(x, x, reduction="avg")
    with pytest.raises(RuntimeError, match="same dimension"):
        F.margin_ranking_loss(x, x, minigrad.ones(4))
    with pytest.raises(ValueError, match="not a valid value"):
        nn.HuberLoss(reduction="batchmean")
