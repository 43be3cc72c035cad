"""The gradient-testing toolkit: gradcheck and gradgradcheck catch wrong gradients
and say where, and accept correct ones of any callable."""

from __future__ import annotations

import re

import numpy as np
import pytest

import minigrad
from minigrad import Function, Tensor
from minigrad.testing import GradcheckError, gradcheck, gradgradcheck


def f64(data, requires_grad=True):
    return minigrad.tensor(data, dtype=minigrad.float64, requires_grad=requires_grad)


class Cube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 3.0 * x * x


class WrongAtOneElement(Function):
    """``x * y`` whose gradient for ``y`` is off by 0.5 at flat index 4."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x * y

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        bump = np.zeros(y.shape)
        bump.reshape(-1)[4] = 0.5
        return grad * y, grad * x + Tensor._make(bump)


class ConstantBackward(Function):
    """Right first derivative, but backward uses raw arrays: not differentiable again."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * Tensor._make(3.0 * x.numpy() ** 2)


def test_gradcheck_accepts_a_correct_user_function():
    x = f64([[0.5, -1.0], [2.0, 0.1]])
    assert gradcheck(Cube.apply, (x,)) is True
    assert gradgradcheck(Cube.apply, (x,)) is True


def test_gradcheck_names_the_input_the_worst_element_and_both_values():
    x = f64(np.arange(6.0).reshape(2, 3) / 3 + 0.5)
    y = f64(np.linspace(-1.0, 1.0, 6).reshape(2, 3))
    with pytest.raises(GradcheckError) as info:
        gradcheck(WrongAtOneElement.apply, (x, y))
    message = str(info.value)
    assert "input 1" in message and "(shape (2, 3))" in message
    assert "index (1, 1)" in message  # flat index 4 of a (2, 3) input
    # Both values are reported; they differ by 0.5 times the upstream weight there.
    analytical = float(re.search(r"analytical (?:np\.float64\()?([-\d.e]+)", message).group(1))
    numerical = float(re.search(r"numerical (?:np\.float64\()?([-\d.e]+)", message).group(1))
    assert analytical - numerical == pytest.approx(0.5, abs=1e-4)
    assert numerical == pytest.approx(x.numpy()[1, 1] * _weights((2, 3))[1, 1], abs=1e-5)
    assert "1 of 6 elements" in message


def _weights(shape, seed=0):
    """gradcheck's upstream gradient (a documented seed)."""
    return np.random.default_rng(seed).standard_normal(shape)


def test_gradcheck_passes_the_correct_input_of_a_wrong_function():
    x = f64(np.ones((2, 3)))
    y = f64(np.ones((2, 3)), requires_grad=False)
    assert gradcheck(WrongAtOneElement.apply, (x, y))  # only y's gradient is wrong


def test_gradgradcheck_catches_a_backward_that_is_not_differentiable():
    x = f64([0.5, -1.5, 2.0])
    assert gradcheck(ConstantBackward.apply, (x,))
    with pytest.raises(GradcheckError, match="input 0"):
        gradgradcheck(ConstantBackward.apply, (x,))


def test_gradcheck_catches_nan_gradients():
    class NanGrad(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * float("nan")

    with pytest.raises(GradcheckError, match="analytical"):
        gradcheck(NanGrad.apply, (f64([1.0]),))


def test_tolerances_are_honoured():
    class SlightlyOff(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * 2.01

    x = f64([1.0, 2.0])
    with pytest.raises(GradcheckError):
        gradcheck(SlightlyOff.apply, (x,))
    assert gradcheck(SlightlyOff.apply, (x,), atol=0.0, rtol=1e-2)


def test_gradcheck_needs_float64_inputs_that_require_grad():
    with pytest.raises(ValueError, match="float64"):
        gradcheck(minigrad.exp, (minigrad.tensor([1.0], requires_grad=True),))
    with pytest.raises(ValueError, match="no input requires grad"):
        gradcheck(minigrad.exp, (f64([1.0], requires_grad=False),))


def test_gradcheck_of_callables_with_several_outputs_and_constants():
    x, y = f64([0.3, 0.7]), f64([[1.0], [2.0]])

    def fn(a, b, scale):
        return (a * b * scale).tanh(), a.exp(), minigrad.tensor([1, 2])

    assert gradcheck(fn, (x, y, 0.5))
    assert gradgradcheck(fn, (x, y, 0.5))


def test_gradcheck_of_an_input_the_output_ignores():
    x, unused = f64([1.0, 2.0]), f64([3.0])
    assert gradcheck(lambda a, b: a * 2.0, (x, unused))


def test_gradcheck_restores_the_inputs():
    x = f64([[0.5, 1.5], [2.5, 3.5]])
    before = x.numpy().copy()
    gradcheck(Cube.apply, (x,))
    gradgradcheck(Cube.apply, (x,))
    assert np.array_equal(x.numpy(), before)


def test_gradcheck_of_strided_and_empty_inputs():
    x = Tensor._make(np.asfortranarray(np.arange(6.0).reshape(2, 3))).requires_grad_()
    assert not x.numpy().flags.c_contiguous
    assert gradcheck(lambda t: (t * t).sum(0), (x,))
    empty = f64(np.zeros((0, 3)))
    assert gradcheck(lambda t: t.sum(0) + 1.0, (empty,))


def test_gradcheck_refuses_read_only_inputs():
    x = minigrad.broadcast_to(f64([1.0, 2.0]), (3, 2)).detach().requires_grad_()
    with pytest.raises(ValueError, match="read-only"):
        gradcheck(minigrad.exp, (x,))


def test_gradcheck_on_a_whole_model_in_a_few_lines():
    """The documented recipe: check any composition of ops, e.g. a tiny MLP."""
    minigrad.manual_seed(0)
    x = minigrad.randn(4, 3, dtype=minigrad.float64)
    w1 = minigrad.randn(3, 5, dtype=minigrad.float64, requires_grad=True)
    w2 = minigrad.randn(5, 2, dtype=minigrad.float64, requires_grad=True)

    def mlp(a, b):
        return (x @ a).tanh().matmul(b).log_softmax(1).mean()

    assert gradcheck(mlp, (w1, w2))
    assert gradgradcheck(mlp, (w1, w2))
