"""The Tensor: construction and dtypes, attributes and methods, repr, creation
functions and seeding, in-place operations."""

from __future__ import annotations

import numpy as np
import pytest
from _op_helpers import FIRST_ORDER
from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad import Tensor
from minigrad.testing import strategies as mst


@pytest.fixture
def float64_default():
    minigrad.set_default_dtype(minigrad.float64)
    yield
    minigrad.set_default_dtype(minigrad.float32)


def _torch_dtype_name(t):
    return str(t.dtype).replace("torch.", "")


# ----------------------------------------------------------------------------- construction
def test_python_floats_become_float32_by_default():
    assert minigrad.tensor(1.5).dtype == minigrad.float32
    assert minigrad.tensor([1.0, 2]).dtype == minigrad.float32
    assert Tensor([[0.5], [1.5]]).dtype == minigrad.float32
    assert minigrad.get_default_dtype() == minigrad.float32


def test_set_default_dtype_switches_python_floats_to_float64(float64_default):
    assert minigrad.tensor([1.0, 2.0]).dtype == minigrad.float64
    assert minigrad.zeros(2).dtype == minigrad.float64
    assert minigrad.arange(0.0, 1.0, 0.5).dtype == minigrad.float64
    assert minigrad.tensor([1, 2]).dtype == minigrad.int64


def test_set_default_dtype_rejects_non_float_dtypes():
    with pytest.raises(TypeError, match="float32 and float64"):
        minigrad.set_default_dtype(minigrad.int64)


def test_arrays_keep_their_dtype_and_are_copied():
    for dtype in (np.float64, np.float32, np.int32, np.int64, np.bool_, np.uint8):
        arr = np.zeros(3, dtype=dtype)
        t = minigrad.tensor(arr)
        assert t.dtype == dtype
        assert not np.shares_memory(t.numpy(), arr)
    assert minigrad.tensor(np.float64(2.0)).dtype == minigrad.float64
    assert minigrad.tensor([np.float64(1.0), 2.0]).dtype == minigrad.float64


def test_ints_and_bools():
    assert minigrad.tensor([1, 2]).dtype == minigrad.int64
    assert minigrad.tensor(True).dtype == minigrad.bool_
    assert minigrad.tensor([[True], [False]]).shape == (2, 1)


def test_explicit_dtype_and_copy_from_a_tensor():
    t = minigrad.tensor([1, 2], dtype=minigrad.float64)
    assert t.dtype == minigrad.float64 and t.tolist() == [1.0, 2.0]
    u = Tensor(t)
    assert u.dtype == minigrad.float64 and not np.shares_memory(u.numpy(), t.numpy())


@pytest.mark.parametrize("data", [[1, 2], [True, False], np.arange(3, dtype=np.int32)])
def test_integer_and_bool_tensors_cannot_require_grad(data):
    with pytest.raises(RuntimeError, match="only tensors of floating dtype can require gradients"):
        minigrad.tensor(data, requires_grad=True)
    t = minigrad.tensor(data)
    with pytest.raises(RuntimeError, match="floating dtype"):
        t.requires_grad_()
    with pytest.raises(RuntimeError, match="floating dtype"):
        minigrad.zeros(2, dtype=minigrad.int64, requires_grad=True)


def test_unsupported_data_is_rejected():
    with pytest.raises(TypeError, match="cannot make a tensor"):
        minigrad.tensor(["a", "b"])


nested = st.recursive(
    st.one_of(st.floats(-5, 5), st.integers(-5, 5), st.booleans()),
    lambda children: st.lists(children, min_size=1, max_size=3),
    max_leaves=8,
)


@FIRST_ORDER
@given(
    data=st.one_of(
        st.floats(-5, 5),
        st.integers(-5, 5),
        st.booleans(),
        st.lists(st.floats(-5, 5), max_size=4),
        st.lists(st.lists(st.integers(-5, 5), min_size=2, max_size=2), min_size=1, max_size=3),
    )
)
def test_dtype_inference_matches_torch(torch, data):
    m = minigrad.tensor(data)
    t = torch.tensor(data)
    assert m.dtype.name == _torch_dtype_name(t)
    assert m.shape == tuple(t.shape)
    np.testing.assert_array_equal(m.numpy(), t.numpy())


# ----------------------------------------------------------------------------- attributes
def test_attributes():
    x = minigrad.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    assert isinstance(x.numpy(), np.ndarray)
    d = x.data  # PyTorch's .data: a tensor outside the graph over the same storage
    assert isinstance(d, minigrad.Tensor) and not d.requires_grad and d.grad_fn is None
    assert np.shares_memory(d.numpy(), x.numpy())
    assert x.grad is None and x.grad_fn is None and x.is_leaf and x.requires_grad
    assert x.shape == (2, 3) and x.ndim == 2 and x.dim() == 2 and x.numel() == 6
    assert x.size() == (2, 3) and x.size(1) == 3 and x.size(-2) == 2
    assert len(x) == 2 and x.dtype == np.float32
    assert x.numpy() is x.data.numpy()
    assert x.tolist() == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    with pytest.raises(TypeError, match="0-d"):
        len(minigrad.tensor(1.0))


def test_item_and_python_conversions():
    assert minigrad.tensor([[2.5]]).item() == 2.5
    assert isinstance(minigrad.tensor(3).item(), int)
    assert float(minigrad.tensor(1.5)) == 1.5 and int(minigrad.tensor(3.7)) == 3
    assert bool(minigrad.tensor([1.0])) is True
    assert [10, 20, 30][minigrad.tensor(1)] == 20  # __index__
    with pytest.raises(RuntimeError, match=r"only one-element tensors.*shape \(2,\)"):
        minigrad.tensor([1.0, 2.0]).item()
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(minigrad.tensor([1.0, 2.0]))
    assert np.asarray(minigrad.tensor([1.0, 2.0])).dtype == np.float32


def test_detach_shares_data_and_leaves_the_graph():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2.0
    d = y.detach()
    assert d.numpy() is y.numpy() and not d.requires_grad and d.grad_fn is None


def test_requires_grad_flag_and_method():
    x = minigrad.zeros(2)
    assert not x.requires_grad
    assert x.requires_grad_() is x and x.requires_grad
    x.requires_grad_(False)
    assert not x.requires_grad


def test_casts():
    x = minigrad.tensor([1.5, -2.5], requires_grad=True)
    assert x.to(minigrad.float32) is x
    assert x.double().dtype == minigrad.float64 and x.double().requires_grad
    assert x.float().dtype == minigrad.float32
    assert x.long().dtype == minigrad.int64 and x.long().tolist() == [1, -2]
    assert x.int().dtype == minigrad.int32 and not x.int().requires_grad
    assert x.bool().tolist() == [True, True]
    x.double().sum().backward()
    assert x.grad.dtype == minigrad.float32 and x.grad.tolist() == [1.0, 1.0]


def test_clone_is_a_differentiable_copy():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    c = x.clone()
    assert not np.shares_memory(c.numpy(), x.numpy()) and c.grad_fn is not None
    (c * 3.0).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_methods_match_functions():
    x = minigrad.tensor([[0.5, -1.0], [2.0, 3.0]])
    for name in ("abs", "exp", "sin", "cos", "tanh", "sigmoid", "relu", "neg"):
        np.testing.assert_array_equal(getattr(x, name)().numpy(), getattr(minigrad, name)(x))
    np.testing.assert_array_equal(x.square().numpy(), (x * x).data)
    np.testing.assert_array_equal(x.clip(0, 1).numpy(), x.clamp(0, 1).numpy())
    np.testing.assert_array_equal(x.masked_fill(x > 1, 0.0).numpy(), [[0.5, -1.0], [0.0, 0.0]])
    np.testing.assert_array_equal(x.expand_as(minigrad.zeros(3, 2, 2)).data[2], x.numpy())
    assert x.sign().tolist() == [[1.0, -1.0], [1.0, 1.0]]
    np.testing.assert_array_equal(x.add(1).numpy(), (x + 1).data)
    np.testing.assert_array_equal(x.sub(1).numpy(), (x - 1).data)
    np.testing.assert_array_equal(x.mul(2).numpy(), (x * 2).data)
    np.testing.assert_array_equal(x.div(2).numpy(), (x / 2).data)
    np.testing.assert_array_equal(x.pow(2).numpy(), (x**2).data)
    np.testing.assert_array_equal(x.matmul(x).numpy(), (x @ x).data)
    assert (+x) is x and np.array_equal(abs(x).numpy(), np.abs(x.numpy()))


def test_tensors_hash_by_identity():
    a, b = minigrad.ones(2), minigrad.ones(2)
    assert len({a, b}) == 2 and {a: 1}[a] == 1


# ----------------------------------------------------------------------------- repr
def test_repr_is_pytorch_like():
    assert repr(minigrad.tensor([1.0, 2.0])) == "tensor([1., 2.])"
    assert repr(minigrad.tensor(3)) == "tensor(3)"
    assert repr(minigrad.tensor([True])) == "tensor([True])"
    assert repr(minigrad.tensor([1.0], requires_grad=True)) == "tensor([1.], requires_grad=True)"
    assert repr(minigrad.tensor([1.0], dtype=minigrad.float64)) == (
        "tensor([1.], dtype=minigrad.float64)"
    )
    x = minigrad.tensor([1.0], requires_grad=True)
    assert repr(x * 2) == "tensor([2.], grad_fn=<MulBackward0>)"
    assert repr(minigrad.tensor([[1.0, 2.0], [3.0, 4.0]])) == (
        "tensor([[1., 2.],\n        [3., 4.]])"
    )
    assert "..." not in repr(minigrad.zeros(1000)) and "..." in repr(minigrad.zeros(1001))


def test_repr_with_default_float64(float64_default):
    assert repr(minigrad.tensor([1.0])) == "tensor([1.])"
    assert repr(minigrad.tensor([1.0], dtype=minigrad.float32)) == (
        "tensor([1.], dtype=minigrad.float32)"
    )


# ----------------------------------------------------------------------------- creation
@pytest.mark.parametrize("name", ["zeros", "ones", "empty", "rand", "randn"])
def test_sized_creation_functions(torch, name):
    fn = getattr(minigrad, name)
    for args in [(2, 3), ((2, 3),), ([4],), ((),)]:
        t = fn(*args)
        ref = getattr(torch, name)(*args)
        assert t.shape == tuple(ref.shape) and t.dtype.name == _torch_dtype_name(ref)
    assert fn(2, dtype=minigrad.float64).dtype == minigrad.float64
    r = fn(2, requires_grad=True)
    assert r.requires_grad and r.is_leaf
    with pytest.raises(RuntimeError, match="negative dimension -1"):  # as torch
        fn(-1)
    with pytest.raises(TypeError, match="tuple of ints"):
        fn(2.5)


def test_zeros_ones_full_values(torch):
    assert minigrad.zeros(2).tolist() == [0.0, 0.0]
    assert minigrad.ones(2, 1).tolist() == [[1.0], [1.0]]
    for fill in (7.0, 7, True):
        m, t = minigrad.full((2,), fill), torch.full((2,), fill)
        assert m.dtype.name == _torch_dtype_name(t) and m.tolist() == t.tolist()
    assert minigrad.full(3, 0.5, dtype=minigrad.float64).dtype == minigrad.float64


@pytest.mark.parametrize(
    "args", [(5,), (2, 7), (1, 2, 0.25), (0.0, 1.0, 0.3), (5, 0, -1), (-1.5, 1)]
)
def test_arange_matches_torch(torch, args):
    m, t = minigrad.arange(*args), torch.arange(*args)
    assert m.dtype.name == _torch_dtype_name(t)
    np.testing.assert_allclose(m.numpy(), t.numpy(), rtol=1e-6)


def test_linspace_and_eye_match_torch(torch):
    for args in [(0, 1, 5), (-2.0, 3.0, 1), (1, 1, 3)]:
        m, t = minigrad.linspace(*args), torch.linspace(*args)
        assert m.dtype.name == _torch_dtype_name(t)
        np.testing.assert_allclose(m.numpy(), t.numpy(), rtol=1e-6)
    for args in [(3,), (2, 4), (4, 2)]:
        m, t = minigrad.eye(*args), torch.eye(*args)
        assert m.dtype.name == _torch_dtype_name(t) and m.tolist() == t.tolist()


def test_randint():
    r = minigrad.randint(3, 7, (100,))
    assert r.dtype == minigrad.int64 and r.shape == (100,)
    assert r.numpy().min() >= 3 and r.numpy().max() < 7
    assert minigrad.randint(5, size=(2, 2)).data.max() < 5
    assert minigrad.randint(0, 2).shape == ()


def test_like_functions():
    x = minigrad.ones(2, 3, dtype=minigrad.float64)
    for name in ("zeros_like", "ones_like", "rand_like", "randn_like"):
        y = getattr(minigrad, name)(x)
        assert y.shape == x.shape and y.dtype == x.dtype and not y.requires_grad
        z = getattr(minigrad, name)(x, dtype=minigrad.float32, requires_grad=True)
        assert z.dtype == minigrad.float32 and z.requires_grad
    assert minigrad.zeros_like(x).tolist() == [[0.0] * 3] * 2
    assert minigrad.ones_like(minigrad.tensor([1, 2])).dtype == minigrad.int64


def test_random_distributions():
    minigrad.manual_seed(123)
    u = minigrad.rand(20_000).data
    assert u.min() >= 0 and u.max() < 1 and abs(u.mean() - 0.5) < 0.01
    n = minigrad.randn(20_000).data
    assert abs(n.mean()) < 0.03 and abs(n.std() - 1) < 0.03


def test_manual_seed_makes_everything_random_reproducible():
    def draw():
        return [
            minigrad.rand(3).data,
            minigrad.randn(2, 2).data,
            minigrad.randint(0, 100, (4,)).data,
            minigrad.rand_like(minigrad.zeros(2)).data,
            minigrad.randn_like(minigrad.zeros(2)).data,
        ]

    minigrad.manual_seed(7)
    first = draw()
    minigrad.manual_seed(7)
    second = draw()
    minigrad.manual_seed(8)
    third = draw()
    assert all(np.array_equal(a, b) for a, b in zip(first, second))
    assert not all(np.array_equal(a, b) for a, b in zip(first, third))


def test_rng_state_round_trip():
    state = minigrad.get_rng_state()
    a = minigrad.randn(3).data
    minigrad.set_rng_state(state)
    assert np.array_equal(minigrad.randn(3).data, a)
    with pytest.raises(ValueError, match="non-negative integer"):
        minigrad.manual_seed(-1)


# ----------------------------------------------------------------------------- in-place ops
@FIRST_ORDER
@given(x=mst.tensors(mst.shapes(max_dims=2), dtype=np.float32, requires_grad=False))
def test_in_place_arithmetic_matches_out_of_place(x):
    o = minigrad.tensor(np.linspace(0.5, 2.0, x.numpy().size).reshape(x.shape).astype(np.float32))
    cases = [
        (lambda t: t.add_(o, alpha=0.5), lambda t: t + 0.5 * o),
        (lambda t: t.sub_(o, alpha=2.0), lambda t: t - 2.0 * o),
        (lambda t: t.mul_(o), lambda t: t * o),
        (lambda t: t.div_(o), lambda t: t / o),
        (lambda t: t.clamp_(-1.0, 1.0), lambda t: t.clamp(-1.0, 1.0)),
        (lambda t: t.addcmul_(o, o, value=0.5), lambda t: t + 0.5 * o * o),
        (lambda t: t.addcdiv_(o, o + 1.0, value=2.0), lambda t: t + 2.0 * o / (o + 1.0)),
        (lambda t: t.fill_(3.0), lambda t: minigrad.full(t.shape, 3.0)),
        (lambda t: t.zero_(), lambda t: minigrad.zeros(t.shape)),
        (lambda t: t.copy_(o), lambda t: o),
    ]
    for inplace, reference in cases:
        t = minigrad.tensor(x.numpy())
        data, version = t.numpy(), t._version
        expected = reference(minigrad.tensor(x.numpy()))
        assert inplace(t) is t
        assert t.numpy() is data and t.dtype == np.float32  # in place, dtype kept
        assert t._version == version + 1
        np.testing.assert_allclose(t.numpy(), expected.numpy(), rtol=1e-6, atol=1e-6)


def test_augmented_assignment_is_in_place():
    x = minigrad.tensor([1.0, 2.0])
    data = x.numpy()
    x += 1.0
    x -= minigrad.tensor([0.5, 0.5])
    x *= 2
    x /= 4
    assert x.numpy() is data and x.tolist() == [0.75, 1.25] and x._version == 4


def test_setitem():
    x = minigrad.zeros(2, 3)
    x[0, 1:] = 5.0
    x[minigrad.tensor([1])] = minigrad.tensor([1.0, 2.0, 3.0])
    assert x.tolist() == [[0.0, 5.0, 5.0], [1.0, 2.0, 3.0]] and x._version == 2


def test_in_place_keeps_dtype_and_broadcasts():
    x = minigrad.zeros(2, 2)
    x.add_(np.float64(1.5))
    x.add_(minigrad.tensor([1.0, 2.0], dtype=minigrad.float64))
    assert x.dtype == minigrad.float32 and x.tolist() == [[2.5, 3.5], [2.5, 3.5]]
    msg = r"The size of tensor a \(2\) must match the size of tensor b \(3\) at non-singleton dim"
    with pytest.raises(RuntimeError, match=msg):
        x.add_(minigrad.ones(3))
    with pytest.raises(RuntimeError, match=r"output with shape \[2, 2\] doesn't match the broad"):
        x.add_(minigrad.ones(3, 2, 2))
    i = minigrad.tensor([3, 4])
    with pytest.raises(RuntimeError, match=r"result type Float can't be cast to .* Long"):
        i /= 2
    assert i.tolist() == [3, 4]


def test_optimizer_style_update_under_no_grad():
    w = minigrad.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    with minigrad.no_grad():
        w.sub_(w.grad, alpha=0.1)
    w.grad.zero_()
    assert w.tolist() == pytest.approx([0.8, 1.6]) and w.grad.tolist() == [0.0, 0.0]
    assert w.is_leaf and w.requires_grad


def test_comparison_methods_match_the_operators():
    x = minigrad.tensor([1.0, 2.0, 3.0])
    for method, op in [("eq", "__eq__"), ("ne", "__ne__"), ("lt", "__lt__"), ("le", "__le__"),
                       ("gt", "__gt__"), ("ge", "__ge__")]:  # fmt: skip
        got, want = getattr(x, method)(2.0), getattr(x, op)(2.0)
        assert got.dtype == np.bool_ and not got.requires_grad
        np.testing.assert_array_equal(got.numpy(), want.numpy())
