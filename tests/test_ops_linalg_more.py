"""Linear algebra beyond matmul: properties of the decompositions (Hypothesis), gradients
against PyTorch on the raw ops (no symmetrising wrapper), einsum against NumPy on
drawn equations, and errors that name both sides."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
from minigrad import linalg
from minigrad.testing import gradcheck

SETTINGS = settings(max_examples=25, deadline=None)


def _s(*dims: int) -> str:
    """A regex for a shape as messages print it: ``(2, 3)`` or ``minigrad.Size([2, 3])``."""
    inner = ", ".join(str(d) for d in dims)
    return rf"(?:\({inner},?\)|(?:minigrad\.)?Size\(\[{inner}\]\))"


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _t(a: Any) -> minigrad.Tensor:
    return minigrad.tensor(np.asarray(a, dtype=np.float64))


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 4), batch=st.sampled_from([(), (2,)]))
def test_decompositions_reconstruct(seed: int, n: int, batch: tuple[int, ...]) -> None:
    rng = _rng(seed)
    a = rng.standard_normal((*batch, n, n)) + n * np.eye(n)
    A = _t(a)
    eye = np.broadcast_to(np.eye(n), a.shape)
    np.testing.assert_allclose((linalg.inv(A) @ A).numpy(), eye, atol=1e-10)
    q, r = linalg.qr(A)
    np.testing.assert_allclose((q @ r).numpy(), a, atol=1e-10)
    np.testing.assert_allclose(np.tril(r.numpy(), -1), 0, atol=1e-12)
    u, s, vh = linalg.svd(A, full_matrices=False)
    np.testing.assert_allclose(((u * s.unsqueeze(-2)) @ vh).numpy(), a, atol=1e-10)
    spd = a @ np.swapaxes(a, -1, -2) + np.eye(n)
    L = linalg.cholesky(_t(spd))
    np.testing.assert_allclose((L @ L.transpose(-1, -2)).numpy(), spd, atol=1e-9)
    w, v = linalg.eigh(_t(spd))
    np.testing.assert_allclose(((v * w.unsqueeze(-2)) @ v.transpose(-1, -2)).numpy(), spd,
                               atol=1e-9)  # fmt: skip
    sign, logabs = linalg.slogdet(A)
    np.testing.assert_allclose((sign * logabs.exp()).numpy(), linalg.det(A).numpy(), rtol=1e-9)
    b = rng.standard_normal((*batch, n, 2))
    np.testing.assert_allclose((A @ linalg.solve(A, _t(b))).numpy(), b, atol=1e-9)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 3), m=st.integers(1, 3))
def test_det_is_multiplicative_and_kron_matches_numpy(seed: int, n: int, m: int) -> None:
    rng = _rng(seed)
    a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    np.testing.assert_allclose(
        linalg.det(_t(a) @ _t(b)).item(), linalg.det(_t(a)).item() * linalg.det(_t(b)).item(),
        rtol=1e-8, atol=1e-10,
    )  # fmt: skip
    c = rng.standard_normal((m, n))
    np.testing.assert_allclose(minigrad.kron(_t(a), _t(c)).numpy(), np.kron(a, c))


LETTERS = "abcd"


@st.composite
def equations(draw: Any) -> tuple[str, list[np.ndarray]]:
    """An einsum equation over 1-3 operands with sizes per letter, maybe with '...'."""
    size = {c: draw(st.integers(1, 3)) for c in LETTERS}
    k = draw(st.integers(1, 3))
    terms = ["".join(draw(st.lists(st.sampled_from(LETTERS), min_size=0, max_size=3)))
             for _ in range(k)]  # fmt: skip
    ell = draw(st.booleans())
    used = sorted(set("".join(terms)))
    out = "".join(draw(st.permutations(used))[: draw(st.integers(0, len(used)))])
    batch = (2,) if ell else ()
    arrays = [np.random.default_rng(0).standard_normal((*batch, *(size[c] for c in t)))
              for t in terms]  # fmt: skip
    pre = "..." if ell else ""
    eq = ",".join(pre + t for t in terms) + "->" + pre + out
    return eq, arrays


@SETTINGS
@given(equations())
def test_einsum_matches_numpy_and_its_gradient_is_linear(case: Any) -> None:
    eq, arrays = case
    xs = [_t(a).requires_grad_() for a in arrays]
    out = minigrad.einsum(eq, *xs)
    np.testing.assert_allclose(out.numpy(), np.einsum(eq, *arrays), atol=1e-10)
    assert gradcheck(lambda *t: minigrad.einsum(eq, *t), xs)


def test_raw_gradients_match_torch() -> None:
    """cholesky and eigh on a symmetric input, svd with a sign-invariant loss: no wrapper."""
    torch = pytest.importorskip("torch")
    rng = _rng(7)
    x = rng.standard_normal((3, 3))
    spd = x @ x.T + np.eye(3)
    g = rng.standard_normal((3, 3))
    for ours, theirs in [
        (lambda a: linalg.cholesky(a), lambda a: torch.linalg.cholesky(a)),
        (lambda a: linalg.eigh(a).eigenvalues * 2, lambda a: torch.linalg.eigh(a).eigenvalues * 2),
        (lambda a: linalg.inv(a), lambda a: torch.linalg.inv(a)),
        (lambda a: linalg.qr(a).R, lambda a: torch.linalg.qr(a).R),
    ]:  # fmt: skip
        a_m = _t(spd).requires_grad_()
        a_t = torch.tensor(spd, requires_grad=True)
        out_m, out_t = ours(a_m), theirs(a_t)
        up = g[: out_m.shape[0]] if out_m.ndim == 1 else g
        up = up[:, 0] if out_m.ndim == 1 else up
        out_m.backward(_t(up))
        out_t.backward(torch.tensor(up))
        np.testing.assert_allclose(a_m.grad.numpy(), a_t.grad.numpy(), rtol=1e-8, atol=1e-10)
    # svd: |U| and |V| are sign-invariant; the loss uses them and S
    a = rng.standard_normal((4, 3))
    a_m, a_t = _t(a).requires_grad_(), torch.tensor(a, requires_grad=True)
    u, s, vh = linalg.svd(a_m)
    (u[:, :3].abs().sum() + s.sum() * 2 + (vh * vh * vh).abs().sum()).backward()
    u, s, vh = torch.linalg.svd(a_t)
    (u[:, :3].abs().sum() + s.sum() * 2 + (vh * vh * vh).abs().sum()).backward()
    np.testing.assert_allclose(a_m.grad.numpy(), a_t.grad.numpy(), rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: minigrad.mm(minigrad.ones(2, 3), minigrad.ones(4, 2)), RuntimeError,
         r"shapes " + _s(2, 3) + " and " + _s(4, 2) + " cannot be multiplied"),
        (lambda: minigrad.mm(minigrad.ones(2, 3, 1), minigrad.ones(1, 2)), RuntimeError,
         r"input must be a 2-D tensor, got shape " + _s(2, 3, 1)),
        (lambda: minigrad.bmm(minigrad.ones(2, 1, 3), minigrad.ones(3, 3, 1)), RuntimeError,
         r"input has batch size 2 but mat2 has 3"),
        (lambda: minigrad.dot(minigrad.ones(3), minigrad.ones(4)), RuntimeError,
         "input has 3 elements but other has 4"),
        (lambda: minigrad.outer(minigrad.ones(3, 1), minigrad.ones(2)), RuntimeError, "1-D"),
        (lambda: minigrad.addmm(minigrad.ones(3, 3), minigrad.ones(2, 2), minigrad.ones(2, 2)),
         RuntimeError, "input of shape " + _s(3, 3) + " does not broadcast to the product"),
        (lambda: minigrad.tensordot(minigrad.ones(2, 3), minigrad.ones(4, 2), dims=([1], [0])),
         RuntimeError, r"dimension 1 of a \(size 3\) does not match dimension 0 of b \(size 4\)"),
        (lambda: minigrad.tensordot(minigrad.ones(2), minigrad.ones(2), dims=2), RuntimeError,
         r"dims must be in \[0, 1\]"),
        (lambda: minigrad.cross(minigrad.ones(2, 2), minigrad.ones(2, 2)), RuntimeError,
         "no dimension of size 3"),
        (lambda: minigrad.einsum("ij,jk->ik", minigrad.ones(2, 3)), ValueError,
         "2 operands but 1 were given"),
        (lambda: minigrad.einsum("ij,jk->ik", minigrad.ones(2, 3), minigrad.ones(4, 2)),
         RuntimeError, r"subscript 'j' has size 3 in one operand and 4 in another"),
        (lambda: minigrad.einsum("ijk", minigrad.ones(2, 3)), ValueError,
         r"name 3 dimensions but the operand has shape " + _s(2, 3)),
        (lambda: minigrad.einsum("ij->k", minigrad.ones(2, 3)), ValueError, "do not appear"),
        (lambda: linalg.inv(minigrad.ones(2, 2)), linalg.LinAlgError, "singular"),
        (lambda: linalg.inv(minigrad.ones(2, 3)), RuntimeError,
         r"square matrices, got shape " + _s(2, 3)),
        (lambda: linalg.cholesky(-minigrad.eye(2)), linalg.LinAlgError, "not positive-definite"),
        (lambda: linalg.solve(minigrad.eye(3), minigrad.ones(2, 1)), RuntimeError,
         "A of shape " + _s(3, 3) + " and B of shape " + _s(2, 1) + " are incompatible"),
        (lambda: linalg.qr(minigrad.eye(2), mode="full"), ValueError, "mode must be"),
        (lambda: linalg.eigh(minigrad.eye(2), UPLO="X"), ValueError, "UPLO"),
        (lambda: linalg.matrix_norm(minigrad.eye(2), ord=3), RuntimeError, "ord must be"),
    ],
)  # fmt: skip
def test_errors_name_both_sides(call: Any, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call()


def test_qr_gradient_refused_where_torch_refuses() -> None:
    a = minigrad.tensor(np.random.default_rng(0).standard_normal((4, 2)), requires_grad=True)
    q, _ = linalg.qr(a, mode="complete")
    with pytest.raises(RuntimeError, match="not differentiable when mode='complete'"):
        q.sum().backward()
