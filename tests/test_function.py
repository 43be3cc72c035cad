"""PyTorch-style custom Functions: Tensors in forward, the ctx API, and clear errors.

PyTorch's own tutorial Functions (a ReLU, a Legendre polynomial) run unchanged;
double backward through a Function that saved an intermediate is either correct
or refused with an error naming the Function and saying what to do.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

import minigrad
from minigrad.autograd import Function
from minigrad.autograd.function import once_differentiable
from minigrad.testing import gradcheck, gradgradcheck
from minigrad.testing import strategies as mst


class MyReLU(Function):
    """PyTorch's tutorial ReLU, verbatim but for the package name."""

    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 0
        return grad_input


class LegendrePolynomial3(Function):
    """PyTorch's tutorial P3(x) = (5x^3 - 3x) / 2."""

    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input**3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input**2 - 1)


@given(x=mst.tensors(mst.shapes(max_dims=2, max_side=4), away_from=0.0, margin=0.05))
def test_tutorial_relu(x):
    y = MyReLU.apply(x)
    assert y.grad_fn.name() == "MyReLUBackward0"
    np.testing.assert_array_equal(y.numpy(), np.maximum(x.numpy(), 0))
    assert gradcheck(MyReLU.apply, (x,))


@given(x=mst.tensors(mst.shapes(max_dims=2, max_side=4), elements=(-1, 1)))
def test_tutorial_legendre_first_and_second_derivatives(x):
    assert gradcheck(LegendrePolynomial3.apply, (x,))
    assert gradgradcheck(LegendrePolynomial3.apply, (x,))


def test_the_tutorial_training_loop_runs():
    minigrad.manual_seed(0)
    x = minigrad.linspace(-np.pi, np.pi, 200, dtype=minigrad.float64)
    y = minigrad.sin(x)
    a, b, c, d = (minigrad.full((), v, dtype=minigrad.float64, requires_grad=True)
                  for v in (0.0, -1.0, 0.0, 0.3))  # fmt: skip
    lr = 5e-6
    losses = []
    for _ in range(300):
        y_pred = a + b * LegendrePolynomial3.apply(c + d * x)
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())
        loss.backward()
        with minigrad.no_grad():
            for p in (a, b, c, d):
                p -= lr * p.grad
                p.grad = None
    assert losses[-1] < losses[0]


def test_needs_input_grad_and_non_tensor_arguments():
    seen = {}

    class Scale(Function):
        @staticmethod
        def forward(ctx, x, y, factor):
            seen["needs"] = ctx.needs_input_grad
            ctx.factor = factor
            return x * y * factor

        @staticmethod
        def backward(ctx, g):
            return g * ctx.factor, None, None

    x = minigrad.ones(2, requires_grad=True)
    Scale.apply(x, minigrad.ones(2), 3.0).sum().backward()
    assert seen["needs"] == (True, False, False) and x.grad.tolist() == [3.0, 3.0]


def test_mark_non_differentiable_and_several_outputs():
    class SortWithIndex(Function):
        @staticmethod
        def forward(ctx, x):
            idx = minigrad.tensor(np.argsort(x.numpy()))
            ctx.mark_non_differentiable(idx)
            ctx.save_for_backward(idx)
            return x[idx], idx

        @staticmethod
        def backward(ctx, g, g_idx):
            (idx,) = ctx.saved_tensors
            out = minigrad.zeros_like(g)
            out[idx] = g
            return out

    x = minigrad.tensor([3.0, 1.0, 2.0], requires_grad=True)
    values, idx = SortWithIndex.apply(x)
    assert values.requires_grad and not idx.requires_grad
    (values * minigrad.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert x.grad.tolist() == [3.0, 1.0, 2.0]


def test_materialize_grads_off_gives_none_for_unused_outputs():
    got = {}

    class Two(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            got["g2"] = g2
            return g1 * 2 if g2 is None else g1 * 2 + g2 * 3

    x = minigrad.ones(2, requires_grad=True)
    a, _ = Two.apply(x)
    a.sum().backward()
    assert got["g2"] is None and x.grad.tolist() == [2.0, 2.0]


def test_mark_dirty_in_place_forward():
    class AddOneInPlace(Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    w = minigrad.tensor([1.0, 2.0], requires_grad=True)
    y = w * 2
    out = AddOneInPlace.apply(y)
    assert out is y and y.tolist() == [3.0, 5.0]
    out.sum().backward()
    assert w.grad.tolist() == [2.0, 2.0]
    with pytest.raises(RuntimeError, match="AddOneInPlace: a leaf tensor that requires grad"):
        AddOneInPlace.apply(minigrad.tensor([1.0], requires_grad=True))


def test_new_style_setup_context():
    class Square(Function):
        @staticmethod
        def forward(x):
            return x * x

        @staticmethod
        def setup_context(ctx, inputs, output):
            (x,) = inputs
            ctx.save_for_backward(x)

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    x = minigrad.tensor([3.0], dtype=minigrad.float64, requires_grad=True)
    assert gradcheck(Square.apply, (x,)) and gradgradcheck(Square.apply, (x,))


class ExpSavingIntermediate(Function):
    """exp(2x), saving the intermediate 2x: a second derivative through it would be wrong."""

    @staticmethod
    def forward(ctx, x):
        two_x = x * 2
        ctx.save_for_backward(two_x)
        return two_x.exp()

    @staticmethod
    def backward(ctx, g):
        (two_x,) = ctx.saved_tensors
        return g * 2 * two_x.exp()


def test_saved_intermediate_works_once_and_refuses_double_backward():
    x = minigrad.tensor([0.5], dtype=minigrad.float64, requires_grad=True)
    assert gradcheck(ExpSavingIntermediate.apply, (x,))
    y = ExpSavingIntermediate.apply(x)
    with pytest.raises(RuntimeError, match=r"ExpSavingIntermediate\.backward .* neither an input"):
        minigrad.autograd.grad(y, x, create_graph=True)


def test_saving_the_output_keeps_double_backward_correct():
    class Exp(Function):
        @staticmethod
        def forward(ctx, x):
            out = x.exp()
            ctx.save_for_backward(out)
            return out

        @staticmethod
        def backward(ctx, g):
            (out,) = ctx.saved_tensors
            return g * out

    x = minigrad.tensor([0.3, -1.0], dtype=minigrad.float64, requires_grad=True)
    assert gradgradcheck(Exp.apply, (x,))


def test_once_differentiable_refuses_a_second_derivative():
    class Cube(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        @once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 3 * x * x

    x = minigrad.tensor([2.0], requires_grad=True)
    (g,) = minigrad.autograd.grad(Cube.apply(x), x, create_graph=True)
    assert g.item() == 12.0
    with pytest.raises(RuntimeError, match=r"once_differentiable \(Cube\.backward\)"):
        g.backward()


def test_bad_gradients_name_the_function_and_the_input():
    def fn(result):
        class Bad(Function):
            @staticmethod
            def forward(ctx, x, y):
                return x * y

            @staticmethod
            def backward(ctx, g):
                return result(g)

        return Bad

    x, y = minigrad.ones(2, requires_grad=True), minigrad.ones(2, requires_grad=True)
    cases = [
        (lambda g: (g,), RuntimeError, r"Bad\.backward returned 1 gradients but forward took 2"),
        (lambda g: (g, minigrad.ones(3)), RuntimeError, r"shape \(3,\) for input 1"),
        (lambda g: (g, [1.0, 2.0]), TypeError, r"returned a list as the gradient of input 1"),
        (
            lambda g: (g, minigrad.tensor([1, 2])),
            RuntimeError,
            r"dtype (minigrad\.)?int64 for input 1",
        ),
    ]
    for result, error, msg in cases:
        with pytest.raises(error, match=msg):
            fn(result).apply(x, y).sum().backward()


def test_save_for_backward_takes_tensors_only():
    class Bad(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x.numpy())
            return x * 1

        @staticmethod
        def backward(ctx, g):
            return g

    with pytest.raises(TypeError, match="save_for_backward takes Tensors or None"):
        Bad.apply(minigrad.ones(1, requires_grad=True))


def test_arrays_may_not_be_stashed_on_ctx():
    from minigrad.autograd import ArrayFunction

    class Stash(ArrayFunction):
        @staticmethod
        def forward(ctx, x):
            ctx.mask = x > 0
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    with pytest.raises(TypeError, match=r"ctx\.mask = <ndarray>: save arrays and tensors"):
        Stash.apply(minigrad.ones(1, requires_grad=True))
