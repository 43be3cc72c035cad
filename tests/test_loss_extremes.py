"""Every loss at ±inf and extreme magnitudes, against PyTorch: values and input gradients
(nan where PyTorch gives nan), float64, and the cross-entropy -inf logits of issue 16."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import minigrad
from minigrad.nn import functional as F

EXTREMES = np.array([np.inf, -np.inf, 1e300, -1e300, 1e30, -1e30, 1e-300, 0.0, -0.0, 40.0, -40.0,
                     1000.0, -1000.0])  # fmt: skip
SIGNS = np.array([1.0, -1.0] * 7)[: EXTREMES.size]
PROBS = np.linspace(0.05, 0.95, EXTREMES.size)
POS = np.linspace(0.5, 3.0, EXTREMES.size)
IDX = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0])[: EXTREMES.size]

# name -> (function of (input, *others), the other arguments as arrays, kwargs)
ELEMENTWISE: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "mse_loss": ((POS,), {}),
    "l1_loss": ((POS,), {}),
    "smooth_l1_loss": ((POS,), {"beta": 0.5}),
    "huber_loss": ((POS,), {"delta": 0.5}),
    "binary_cross_entropy_with_logits": ((PROBS,), {}),
    "kl_div": ((PROBS,), {}),
    "poisson_nll_loss": ((POS,), {}),
    "gaussian_nll_loss": ((POS, POS), {}),
    "hinge_embedding_loss": ((SIGNS,), {}),
    "margin_ranking_loss": ((POS, SIGNS), {}),
}


def _tensors(lib: Any, arrays: tuple[Any, ...], diff: int) -> list[Any]:
    out = []
    for i, a in enumerate(arrays):
        if lib is minigrad:
            dt = minigrad.float64 if a.dtype.kind == "f" else minigrad.int64
            out.append(minigrad.tensor(a, dtype=dt, requires_grad=i < diff))
        else:
            out.append(lib.tensor(a, requires_grad=i < diff))
    return out


def _compare(torch: Any, name: str, arrays: tuple[Any, ...], kwargs: dict[str, Any],
             diff: int = 1, rtol: float = 1e-12) -> None:  # fmt: skip
    ours = getattr(F, name)
    theirs = getattr(torch.nn.functional, name)
    xs, ts = _tensors(minigrad, arrays, diff), _tensors(torch, arrays, diff)
    with np.errstate(all="ignore"):
        lm = ours(*xs, **kwargs)
        lt = theirs(*ts, **kwargs)
        np.testing.assert_allclose(lm.numpy(), lt.detach().numpy(), rtol=1e-12, atol=0,
                                   equal_nan=True, err_msg=f"{name}: values differ")  # fmt: skip
        up = np.ones(lm.shape)
        lm.backward(minigrad.tensor(up, dtype=minigrad.float64))
        lt.backward(torch.tensor(up))
    for a, b in zip(xs[:diff], ts[:diff]):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=rtol, atol=1e-15,
                                   equal_nan=True, err_msg=f"{name}: gradients differ")  # fmt: skip


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_elementwise_losses_at_extremes_match_torch(torch, name: str) -> None:
    others, kwargs = ELEMENTWISE[name]
    _compare(torch, name, (EXTREMES, *others), {**kwargs, "reduction": "none"})


@pytest.mark.parametrize(
    "logits",
    [[-np.inf, 0.0, 0.0], [np.inf, 0.0, 0.0], [-np.inf, -np.inf, 1.0], [1e300, -1e300, 0.0],
     [-1e30, 1e30, 0.0], [1000.0, 0.0, -1000.0]],
)  # fmt: skip
@pytest.mark.parametrize("target", [0, 1, 2])
def test_cross_entropy_and_friends_at_extreme_logits(torch, logits: list[float],
                                                     target: int) -> None:  # fmt: skip
    x = np.array([logits, [0.5, -0.5, 0.0]])
    t = np.array([target, 1])
    _compare(torch, "cross_entropy", (x, t), {"reduction": "none"})
    _compare(torch, "cross_entropy", (x, t), {"label_smoothing": 0.1})
    _compare(torch, "multi_margin_loss", (x, t), {"reduction": "none"})
    _compare(torch, "multilabel_soft_margin_loss", (x, np.array([[1.0, 0.0, 1.0]] * 2)),
             {"reduction": "none"})  # fmt: skip


def test_cross_entropy_of_a_minus_inf_logit_is_log_2() -> None:
    x = minigrad.tensor([[-np.inf, 0.0, 0.0]], requires_grad=True)
    loss = F.cross_entropy(x, minigrad.tensor([1], dtype=minigrad.int64))
    assert loss.item() == pytest.approx(np.log(2.0))
    loss.backward()
    np.testing.assert_allclose(x.grad.numpy(), [[0.0, -0.5, 0.5]])


def test_pairwise_losses_at_extremes_match_torch(torch) -> None:
    a = np.stack([EXTREMES, np.linspace(-2, 2, EXTREMES.size)], axis=1)
    b = np.ones_like(a)
    _compare(torch, "cosine_embedding_loss", (a, b, SIGNS), {"reduction": "none"}, diff=2,
             rtol=1e-4)  # 1e300**2 overflows differently in the two sums  # fmt: skip
    finite = np.clip(a, -1e3, 1e3)  # at 1e30 the distances differ by rounding only
    _compare(torch, "triplet_margin_loss", (finite, b, -b), {"reduction": "none"}, diff=3)


def test_soft_margin_loss_does_not_overflow(torch) -> None:
    """``log(1 + exp(-y x))`` computed stably: equal to PyTorch's where PyTorch's is finite,
    and the exact (finite) value where PyTorch's ``exp`` overflows to inf."""
    x = minigrad.tensor(EXTREMES, dtype=minigrad.float64, requires_grad=True)
    y = minigrad.tensor(SIGNS, dtype=minigrad.float64)
    ours = F.soft_margin_loss(x, y, reduction="none")
    with np.errstate(over="ignore"):
        exact = np.logaddexp(0.0, -SIGNS * EXTREMES)
    np.testing.assert_allclose(ours.numpy(), exact, rtol=1e-15, equal_nan=True)
    theirs = torch.nn.functional.soft_margin_loss(
        torch.tensor(EXTREMES), torch.tensor(SIGNS), reduction="none"
    ).numpy()
    finite = np.isfinite(theirs)
    np.testing.assert_allclose(ours.numpy()[finite], theirs[finite], rtol=1e-12)
    ours.sum().backward()
    sig = np.where(-SIGNS * EXTREMES > 0, 1.0, 0.0)  # the limits of sigmoid(-y x)
    far = np.abs(EXTREMES) > 100
    np.testing.assert_allclose(x.grad.numpy()[far], (-SIGNS * sig)[far])
