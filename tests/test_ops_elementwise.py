"""Elementwise ops: gradients (first and second order) over drawn shapes with
broadcasting, Python scalars on either side, tie rules, and PyTorch as an oracle."""

from __future__ import annotations

import operator

import numpy as np
import pytest
from _op_helpers import (
    FIRST_ORDER,
    ORACLE,
    SECOND_ORDER,
    SMALL,
    TINY,
    check_grad,
    check_gradgrad,
    check_torch,
    small_pairs,
)
from hypothesis import assume, given
from hypothesis import strategies as st

import minigrad
from minigrad.testing import strategies as mst

# ----------------------------------------------------------------------------- binary ops
# name -> (minigrad fn, torch fn name, value range of a, value range of b)
BINARY = {
    "add": (operator.add, "add", (-5, 5), (-5, 5)),
    "sub": (operator.sub, "sub", (-5, 5), (-5, 5)),
    "mul": (operator.mul, "mul", (-5, 5), (-5, 5)),
    "div": (operator.truediv, "div", (-5, 5), (0.5, 3)),
    "pow": (operator.pow, "pow", (0.5, 3), (-2, 2)),
    "maximum": (minigrad.maximum, "maximum", (-5, 5), (-5, 5)),
    "minimum": (minigrad.minimum, "minimum", (-5, 5), (-5, 5)),
}
TIES = {"maximum", "minimum"}  # keep the operands apart: not differentiable at a == b


def _draw_binary(data: st.DataObject, name: str, shapes: tuple) -> tuple:
    _, _, ra, rb = BINARY[name]
    a = data.draw(mst.tensors(shapes[0], elements=ra), label="a")
    b = data.draw(mst.tensors(shapes[1], elements=rb), label="b")
    if name == "div":  # the denominator may be negative, but not near 0
        sign = data.draw(mst.tensors(shapes[1], elements=(-1, 1), away_from=0, margin=0.5))
        b = minigrad.tensor(b.numpy() * np.sign(sign.numpy()), requires_grad=True)
    if name in TIES:
        assume(np.all(np.abs(np.subtract(a.numpy(), b.numpy())) > 1e-3))
    return a, b


@pytest.mark.parametrize("name", BINARY)
@ORACLE
@given(data=st.data(), shapes=small_pairs())
def test_binary_one_side_without_grad(torch, name, data, shapes):
    a, b = _draw_binary(data, name, shapes)
    b.requires_grad_(False)
    check_torch(torch, BINARY[name][0], getattr(torch, BINARY[name][1]), a, b)
    a.requires_grad_(False)
    b.requires_grad_(True)
    check_torch(torch, BINARY[name][0], getattr(torch, BINARY[name][1]), a, b)


# ----------------------------------------------------------------------------- scalars
SCALAR_OPS = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
    "pow": operator.pow,
}


def _scalar_case(name, data, x_shape):
    """(tensor, scalar): values chosen so that ``x op s`` and ``s op x`` are smooth."""
    scalar = data.draw(
        st.one_of(st.integers(-3, 3), st.floats(-3, 3)).filter(lambda s: abs(s) > 0.25),
        label="scalar",
    )
    x = data.draw(mst.tensors(x_shape, elements=(0.5, 3)), label="x")
    if name == "pow":  # s ** x needs s > 0
        scalar = abs(scalar)
    return x, scalar


@pytest.mark.parametrize("name", SCALAR_OPS)
@FIRST_ORDER
@given(data=st.data(), shape=SMALL)
def test_scalar_either_side_grad(name, data, shape):
    x, s = _scalar_case(name, data, shape)
    op = SCALAR_OPS[name]
    check_grad(lambda t: op(t, s), x)
    check_grad(lambda t: op(s, t), x)


@pytest.mark.parametrize("name", SCALAR_OPS)
@SECOND_ORDER
@given(data=st.data(), shape=TINY)
def test_scalar_either_side_gradgrad(name, data, shape):
    x, s = _scalar_case(name, data, shape)
    op = SCALAR_OPS[name]
    check_gradgrad(lambda t: op(t, s), x)
    check_gradgrad(lambda t: op(s, t), x)


@pytest.mark.parametrize("name", SCALAR_OPS)
@ORACLE
@given(data=st.data(), shape=SMALL)
def test_scalar_either_side_matches_torch(torch, name, data, shape):
    x, s = _scalar_case(name, data, shape)
    op = SCALAR_OPS[name]
    check_torch(torch, lambda t: op(t, s), lambda t: op(t, s), x)
    check_torch(torch, lambda t: op(s, t), lambda t: op(s, t), x)


@pytest.mark.parametrize("name", SCALAR_OPS)
@pytest.mark.parametrize("scalar", [2, 2.5, True])
def test_python_scalars_keep_float32(name, scalar):
    x = minigrad.tensor([1.0, 2.0])  # float32
    op = SCALAR_OPS[name]
    assert op(x, scalar).dtype == minigrad.float32
    assert op(scalar, x).dtype == minigrad.float32


@pytest.mark.parametrize("exponent", [0, 1, 2, 3, -1, 0.5, -1.5, 2.5])
def test_pow_scalar_exponents(torch, exponent):
    x = minigrad.tensor([0.5, 1.0, 2.5], dtype=minigrad.float64, requires_grad=True)
    check_grad(lambda t: t**exponent, x)
    check_gradgrad(lambda t: t**exponent, x)
    check_torch(torch, lambda t: t**exponent, lambda t: t**exponent, x)


def test_pow_zero_base_tensor_exponent_matches_torch(torch):
    # d/db 0 ** b is taken as 0 (not nan), as PyTorch does.
    a = minigrad.tensor([0.0, 2.0, 0.0, 0.0, 3.0], dtype=minigrad.float64, requires_grad=True)
    b = minigrad.tensor([2.0, 1.5, 3.0, 0.0, 0.0], dtype=minigrad.float64, requires_grad=True)
    check_torch(torch, operator.pow, operator.pow, a, b)


def test_int_tensor_arithmetic_matches_torch(torch):
    a = minigrad.tensor([1, 2, 3])
    f32 = minigrad.tensor([0.5, 1.0, 2.0])
    for op in (operator.add, operator.sub, operator.mul, operator.truediv, operator.pow):
        check_torch(torch, op, op, a, a)
        check_torch(torch, op, op, a, f32)
        check_torch(torch, op, op, f32, a)
        for scalar in (2, 2.5, 3):
            check_torch(
                torch, lambda t, s=scalar, f=op: f(t, s), lambda t, s=scalar, f=op: f(t, s), a
            )
            check_torch(
                torch, lambda t, s=scalar, f=op: f(s, t), lambda t, s=scalar, f=op: f(s, t), a
            )


# ----------------------------------------------------------------------------- unary ops
# name -> (fn, torch name, value range, point to avoid)
UNARY = {
    "neg": (minigrad.neg, "neg", (-5, 5), None),
    "abs": (minigrad.abs, "abs", (-5, 5), 0.0),
    "exp": (minigrad.exp, "exp", (-4, 4), None),
    "log": (minigrad.log, "log", (0.1, 10), None),
    "sqrt": (minigrad.sqrt, "sqrt", (0.1, 10), None),
    "sin": (minigrad.sin, "sin", (-6, 6), None),
    "cos": (minigrad.cos, "cos", (-6, 6), None),
    "tanh": (minigrad.tanh, "tanh", (-4, 4), None),
    "sigmoid": (minigrad.sigmoid, "sigmoid", (-8, 8), None),
    "relu": (minigrad.relu, "relu", (-5, 5), 0.0),
}


def _unary_tensor(name, shape):
    _, _, rng, avoid = UNARY[name]
    return mst.tensors(shape, elements=rng, away_from=() if avoid is None else avoid)


@pytest.mark.parametrize("name", UNARY)
def test_unary_methods_and_float32(name):
    fn = UNARY[name][0]
    x = minigrad.tensor([0.5, 1.5], requires_grad=True)
    y = getattr(x, name)() if name != "neg" else -x
    assert y.dtype == minigrad.float32
    np.testing.assert_allclose(y.numpy(), fn(x).numpy())
    y.sum().backward()
    assert x.grad.dtype == minigrad.float32 and x.grad.shape == (2,)


def test_sigmoid_is_stable_for_large_inputs():
    x = minigrad.tensor([-1e4, -100.0, 100.0, 1e4], requires_grad=True)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y = x.sigmoid()
        y.sum().backward()
    assert np.all(np.isfinite(y.numpy())) and np.all(np.isfinite(x.grad.numpy()))
    np.testing.assert_allclose(y.numpy(), [0.0, 0.0, 1.0, 1.0], atol=1e-30)


# ----------------------------------------------------------------------------- clamp, where
@st.composite
def _clamp_case(draw, shape_strategy):
    x = draw(mst.tensors(draw(shape_strategy), elements=(-5, 5)))
    lo = draw(st.one_of(st.none(), st.floats(-3, 0)))
    hi = draw(st.one_of(st.none(), st.floats(0.5, 3)) if lo is not None else st.floats(0.5, 3))
    for bound in (lo, hi):
        if bound is not None:
            assume(np.all(np.abs(x.numpy() - bound) > 1e-3))
    return x, lo, hi


def test_clamp_with_tensor_bounds_matches_torch(torch):
    # ties at both bounds, and a row where min > max (the result is max)
    x = minigrad.tensor(
        [-2.0, -1.0, 0.3, 1.0, 2.0, 0.5], dtype=minigrad.float64, requires_grad=True
    )
    lo = minigrad.tensor([-1.0] * 5 + [0.8], dtype=minigrad.float64, requires_grad=True)
    hi = minigrad.tensor([1.0] * 5 + [0.2], dtype=minigrad.float64, requires_grad=True)
    check_torch(torch, minigrad.clamp, torch.clamp, x, lo, hi)
    check_torch(torch, lambda t, a: t.clamp(min=a), lambda t, a: t.clamp(min=a), x, lo)
    check_torch(torch, lambda t, b: t.clamp(max=b), lambda t, b: t.clamp(max=b), x, hi)
    full_lo = minigrad.full(x.shape, -1.0, dtype=minigrad.float64)
    check_torch(
        torch,
        lambda t, b: t.clamp(-1.0, b),
        lambda t, b: t.clamp(torch.from_numpy(full_lo.numpy()), b),
        x,
        hi,
    )


def test_clamp_requires_a_bound():
    with pytest.raises(RuntimeError, match="At least one of 'min' or 'max'"):
        minigrad.clamp(minigrad.ones(2))


@st.composite
def _where_case(draw, pair_strategy):
    cshape, ashape, bshape = draw(pair_strategy)
    cond = draw(mst.tensors(cshape, dtype=bool))
    a = draw(mst.tensors(ashape, elements=(-5, 5)))
    b = draw(mst.tensors(bshape, elements=(-5, 5)))
    return cond, a, b


def test_where_needs_bool_condition():
    with pytest.raises(TypeError, match="bool"):
        minigrad.where(minigrad.ones(2), minigrad.ones(2), 0.0)


# ----------------------------------------------------------------------------- tie rules
def test_tie_rules_match_torch(torch):
    """maximum/minimum share ties equally; relu and abs pass 0 at 0; clamp passes at bounds."""
    x = minigrad.tensor([1.0, 2.0, 0.0, -1.0, 3.0], dtype=minigrad.float64, requires_grad=True)
    y = minigrad.tensor([1.0, 1.0, 0.0, -1.0, 4.0], dtype=minigrad.float64, requires_grad=True)
    check_torch(torch, minigrad.maximum, torch.maximum, x, y)
    check_torch(torch, minigrad.minimum, torch.minimum, x, y)
    check_torch(torch, minigrad.relu, torch.relu, x)
    check_torch(torch, minigrad.abs, torch.abs, x)
    check_torch(torch, lambda t: t.clamp(-1.0, 2.0), lambda t: t.clamp(-1.0, 2.0), x)
    check_torch(torch, lambda t: t.clamp(min=0.0), lambda t: t.clamp(min=0.0), x)
    check_torch(torch, lambda t: t.clamp(max=0.0), lambda t: t.clamp(max=0.0), x)


# ----------------------------------------------------------------------------- comparisons
COMPARISONS = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}


def test_logical_ops_on_bool_tensors():
    a = minigrad.tensor([True, False, True])
    b = minigrad.tensor([True, True, False])
    assert (a & b).tolist() == [True, False, False]
    assert (a | b).tolist() == [True, True, True]
    assert (~a).tolist() == [False, True, False]
