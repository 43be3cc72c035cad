"""Elementwise math beyond the OpInfo properties: erf/erfinv accuracy, integer division,
the ``//`` and ``%`` operators, zero gradients of piecewise-constant ops, predicates."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigrad


def test_erf_matches_math_erf_to_rounding() -> None:
    x = np.concatenate([np.linspace(-7, 7, 4001), [0.0, -0.0, 1e-300, 0.46875, 4.0]])
    got = minigrad.erf(minigrad.tensor(x, dtype=minigrad.float64)).numpy()
    want = np.array([math.erf(v) for v in x])
    np.testing.assert_allclose(got, want, rtol=4e-16, atol=3e-16)
    special = minigrad.erf(minigrad.tensor([np.inf, -np.inf, np.nan], dtype=minigrad.float64))
    np.testing.assert_array_equal(special.numpy(), [1.0, -1.0, np.nan])


def test_erfinv_inverts_erf_up_to_the_tails(torch) -> None:
    y = np.concatenate([np.linspace(-0.999, 0.999, 2001), 1 - np.logspace(-16, -1, 60)])
    y = np.concatenate([y, -y])
    x = minigrad.erfinv(minigrad.tensor(y, dtype=minigrad.float64)).numpy()
    # erf(x) = y in the centre, erfc(|x|) = 1 - |y| (relative) in the tails.
    centre = np.abs(y) < 0.5
    np.testing.assert_allclose([math.erf(v) for v in x[centre]], y[centre], atol=3e-16)
    tails = ~centre
    q = np.array([math.erfc(v) for v in np.abs(x[tails])])
    np.testing.assert_allclose(q, 1 - np.abs(y[tails]), rtol=5e-14)
    np.testing.assert_allclose(x, torch.erfinv(torch.tensor(y)).numpy(), rtol=1e-13, atol=1e-15)
    edges = minigrad.erfinv(minigrad.tensor([1.0, -1.0, 1.5, np.nan], dtype=minigrad.float64))
    np.testing.assert_array_equal(edges.numpy(), [np.inf, -np.inf, np.nan, np.nan])


@given(
    st.lists(st.integers(-50, 50), min_size=1, max_size=8),
    st.integers(-7, 7).filter(lambda v: v != 0),
)
def test_integer_floor_division_and_modulo_are_pythons(values: list[int], d: int) -> None:
    a = minigrad.tensor(values, dtype=minigrad.int64)
    assert (a // d).tolist() == [v // d for v in values]
    assert (a % d).tolist() == [v % d for v in values]
    assert (d // a.clamp(min=1)).tolist() == [d // max(v, 1) for v in values]
    assert minigrad.fmod(a, d).tolist() == [math.fmod(v, d) for v in values]
    trunc = minigrad.div(a, d, rounding_mode="trunc").tolist()
    assert trunc == [int(v / d) for v in values]
    assert (a // d).dtype == minigrad.int64


@given(st.floats(-100, 100), st.floats(-9, 9).filter(lambda v: abs(v) > 1e-3))
def test_float_floor_division_and_modulo_are_pythons(a: float, b: float) -> None:
    x = minigrad.tensor([a], dtype=minigrad.float64)
    assert (x // b).item() == a // b
    assert (x % b).item() == pytest.approx(a % b, abs=1e-12)
    assert minigrad.div(x, b, rounding_mode="floor").item() == a // b


@pytest.mark.parametrize("fn", [
    lambda a: a // 0, lambda a: a % 0, lambda a: minigrad.fmod(a, 0),
    lambda a: minigrad.div(a, minigrad.tensor([1, 0], dtype=minigrad.int64), rounding_mode="trunc"),
])  # fmt: skip
def test_integer_division_by_zero_raises_like_torch(fn) -> None:
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        fn(minigrad.tensor([3, 4], dtype=minigrad.int64))


def test_float_division_by_zero_gives_inf_and_nan(torch) -> None:
    a = [1.0, -1.0, 0.0]
    ours = (minigrad.tensor(a, dtype=minigrad.float64) // 0.0).numpy()
    np.testing.assert_array_equal(ours, (torch.tensor(a, dtype=torch.float64) // 0.0).numpy())
    rem = minigrad.remainder(minigrad.tensor(a, dtype=minigrad.float64), 0.0).numpy()
    assert np.isnan(rem).all()


@pytest.mark.parametrize("name", ["floor", "ceil", "round", "trunc", "sign", "sgn"])
def test_piecewise_constant_ops_record_a_zero_gradient(name: str) -> None:
    x = minigrad.tensor([-1.5, 0.3, 2.7], requires_grad=True)
    y = getattr(minigrad, name)(x)
    assert y.grad_fn is not None
    (y * 3.0).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_div_rounding_mode_has_a_zero_gradient_and_checks_the_mode() -> None:
    x = minigrad.tensor([-7.5, 7.5], requires_grad=True)
    y = minigrad.div(x, 2.0, rounding_mode="floor")
    assert y.tolist() == [-4.0, 3.0] and y.grad_fn is not None
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]
    with pytest.raises(ValueError, match="rounding_mode"):
        minigrad.div(x, 2.0, rounding_mode="ceil")


def test_round_decimals_and_integers(torch) -> None:
    x = [1.2345, -2.5, 1234.5678, 0.125]
    for d in (-2, -1, 0, 1, 2, 3):
        ours = minigrad.round(minigrad.tensor(x, dtype=minigrad.float64), decimals=d).numpy()
        theirs = torch.round(torch.tensor(x, dtype=torch.float64), decimals=d).numpy()
        np.testing.assert_allclose(ours, theirs, rtol=1e-15)
    ints = minigrad.tensor([1, -2], dtype=minigrad.int64)
    assert minigrad.floor(ints).dtype == minigrad.int64 and minigrad.floor(ints).tolist() == [1, -2]


def test_inplace_variants_write_into_the_tensor() -> None:
    x = minigrad.tensor([0.25, 0.5], dtype=minigrad.float64)
    same = x.atan_()
    assert same is x
    np.testing.assert_allclose(x.numpy(), np.arctan([0.25, 0.5]))
    y = minigrad.tensor([7, -7], dtype=minigrad.int64)
    y //= 2
    assert y.tolist() == [3, -4]


def test_predicates_and_reductions(torch) -> None:
    values = [0.0, -1.0, np.inf, -np.inf, np.nan]
    x = minigrad.tensor(values, dtype=minigrad.float64)
    t = torch.tensor(values, dtype=torch.float64)
    for name in ["isnan", "isinf", "isfinite", "isposinf", "isneginf"]:
        assert getattr(minigrad, name)(x).tolist() == getattr(torch, name)(t).tolist()
    assert minigrad.isclose(x, x).tolist() == torch.isclose(t, t).tolist()
    assert minigrad.isclose(x, x, equal_nan=True).tolist() == [True] * 5
    assert not minigrad.allclose(x, x) and minigrad.allclose(x, x, equal_nan=True)
    assert not minigrad.equal(x, x)  # nan != nan, as torch.equal
    m = minigrad.tensor([[1, 0], [1, 1]], dtype=minigrad.int64)
    assert m.all(dim=1).tolist() == [False, True] and m.any(dim=0, keepdim=True).shape == (1, 2)
    assert minigrad.all(minigrad.tensor([1, 2], dtype=minigrad.uint8)).dtype == minigrad.uint8


def test_error_messages_name_what_came() -> None:
    with pytest.raises(RuntimeError, match="frac_cpu"):
        minigrad.frac(minigrad.tensor([1, 2], dtype=minigrad.int64))
    with pytest.raises(RuntimeError, match="hypot"):
        minigrad.hypot(minigrad.tensor([1], dtype=minigrad.int64), 2)
    with pytest.raises(RuntimeError, match="weight"):
        minigrad.lerp(minigrad.zeros(2), minigrad.ones(2), minigrad.ones(2, dtype=minigrad.float64))
