"""PyTorch's surface on minigrad (issue 15): layout, devices, dtypes, Size, Tensor API, hooks, out=.

Each behaviour is checked against PyTorch itself where PyTorch is installed
(same dtypes, names, values, gradients and exception types).
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
from minigrad import nn

DTYPE_NAMES = [
    "float", "double", "half", "long", "int", "short", "bool", "uint8", "int8", "int16",
    "float16", "float32", "float64", "int32", "int64", "complex64", "cfloat", "cdouble",
]  # fmt: skip
CASTS = ["float", "double", "half", "long", "int", "short", "bool", "byte", "char"]
shapes = st.lists(st.integers(0, 4), min_size=0, max_size=4).map(tuple)


@pytest.fixture
def torch() -> Any:
    return pytest.importorskip("torch")


# ----------------------------------------------------------------------------- layout
@pytest.mark.parametrize(
    "path",
    [
        "nn", "nn.functional", "nn.init", "nn.utils", "nn.utils.rnn", "optim",
        "optim.lr_scheduler", "autograd", "utils", "utils.data", "cuda", "backends",
        "backends.mps", "backends.cudnn", "accelerator",
    ],
)  # fmt: skip
def test_import_minigrad_makes_torchs_modules_attributes(path: str) -> None:
    obj: Any = minigrad
    for part in path.split("."):
        obj = getattr(obj, part)
    assert obj is importlib.import_module("minigrad." + path)


def test_nn_utils_is_a_package_with_a_real_rnn_module() -> None:
    from minigrad.nn.utils import clip_grad_norm_, parameters_to_vector
    from minigrad.nn.utils.rnn import PackedSequence, pad_sequence

    assert hasattr(nn.utils, "__path__") and nn.utils.rnn.__name__ == "minigrad.nn.utils.rnn"
    assert callable(clip_grad_norm_) and callable(parameters_to_vector)
    assert pad_sequence is nn.utils.rnn.pad_sequence and PackedSequence._fields[0] == "data"
    assert minigrad.Generator is importlib.import_module("minigrad.data.generator").Generator


# ----------------------------------------------------------------------------- devices
def test_device_objects_as_torch(torch: Any) -> None:
    for spec in [("cpu",), ("cpu", 0), ("cpu:1",)]:
        ours, theirs = minigrad.device(*spec), torch.device(*spec)
        assert repr(ours) == repr(theirs) and str(ours) == str(theirs)
        assert (ours.type, ours.index) == (theirs.type, theirs.index)
    d = minigrad.device("cpu")
    assert d == "cpu" and d == minigrad.device(d) and hash(d) == hash(minigrad.device("cpu"))
    assert d != "cpu:0" and d != 3 and minigrad.zeros(1).device == d
    with pytest.raises(RuntimeError, match="Expected one of cpu"):
        torch.device("gpu")
    with pytest.raises(RuntimeError, match="Expected one of cpu"):
        minigrad.device("gpu")
    with pytest.raises(TypeError, match="expected a string or a device, got float"):
        minigrad.device(1.5)


@pytest.mark.parametrize("spec", ["cuda", "cuda:0", "mps", 0])
def test_accelerator_devices_refused_clearly(spec: Any) -> None:
    with pytest.raises(RuntimeError, match="minigrad runs on the CPU only"):
        minigrad.device(spec)
    with pytest.raises(RuntimeError, match="minigrad runs on the CPU only"):
        minigrad.zeros(2, device=spec)
    with pytest.raises(RuntimeError, match="minigrad runs on the CPU only"):
        minigrad.ones(2).to(spec)
    with pytest.raises(RuntimeError, match="minigrad runs on the CPU only"):
        nn.Linear(2, 2).to(spec)
    with pytest.raises(RuntimeError, match="CPU only"):
        minigrad.ones(2).cuda()
    with pytest.raises(RuntimeError, match="CPU only"):
        nn.Linear(2, 2).cuda()


@pytest.mark.parametrize(
    "factory",
    [
        lambda d: minigrad.tensor([1.0], device=d), lambda d: minigrad.zeros(2, device=d),
        lambda d: minigrad.ones(2, device=d), lambda d: minigrad.empty(2, device=d),
        lambda d: minigrad.full((2,), 1.0, device=d), lambda d: minigrad.arange(3, device=d),
        lambda d: minigrad.linspace(0, 1, 3, device=d), lambda d: minigrad.eye(2, device=d),
        lambda d: minigrad.rand(2, device=d), lambda d: minigrad.randn(2, device=d),
        lambda d: minigrad.randint(0, 3, (2,), device=d),
        lambda d: minigrad.zeros_like(minigrad.ones(2), device=d),
        lambda d: minigrad.ones_like(minigrad.ones(2), device=d),
        lambda d: minigrad.rand_like(minigrad.ones(2), device=d),
        lambda d: minigrad.randn_like(minigrad.ones(2), device=d),
        lambda d: minigrad.as_tensor([1, 2], device=d),
        lambda d: minigrad.ones(1).new_zeros(2, device=d),
    ],
)  # fmt: skip
def test_every_factory_takes_device(factory: Any) -> None:
    for d in ("cpu", minigrad.device("cpu"), None):
        assert factory(d).device == minigrad.device("cpu")
    with pytest.raises(RuntimeError, match="CPU only"):
        factory("cuda")


def test_cuda_backends_accelerator_and_default_device() -> None:
    assert minigrad.cuda.is_available() is False and minigrad.cuda.device_count() == 0
    minigrad.cuda.manual_seed(1)
    minigrad.cuda.manual_seed_all(1)
    with pytest.raises(RuntimeError, match="no CUDA device"):
        minigrad.cuda.current_device()
    assert not minigrad.backends.mps.is_available() and not minigrad.backends.mps.is_built()
    assert not minigrad.backends.cudnn.is_available()
    minigrad.backends.cudnn.deterministic, minigrad.backends.cudnn.benchmark = True, False
    assert minigrad.backends.cudnn.deterministic is True
    minigrad.backends.cudnn.deterministic = False
    assert minigrad.accelerator.is_available() is False
    assert minigrad.accelerator.current_accelerator() is None
    minigrad.set_default_device("cpu")
    assert minigrad.get_default_device() == "cpu"
    minigrad.set_default_device(None)
    with pytest.raises(RuntimeError, match="CPU only"):
        minigrad.set_default_device("cuda")


@settings(max_examples=40, deadline=None)
@given(
    src=st.sampled_from(["float32", "float64", "int64", "int32", "bool"]),
    dst=st.sampled_from(["float32", "float64", "float16", "int64", "int32", "uint8", "bool"]),
    form=st.sampled_from(["dtype", "device_dtype", "kw", "tensor", "device"]),
)
def test_to_overloads_match_torch(src: str, dst: str, form: str) -> None:
    torch = pytest.importorskip("torch")
    values = [[0.0, 1.5], [-2.0, 3.0]]
    ours = minigrad.tensor(values).to(getattr(minigrad, src))
    theirs = torch.tensor(values).to(getattr(torch, src))

    def call(lib: Any, t: Any) -> Any:
        dt = getattr(lib, dst)
        if form == "dtype":
            return t.to(dt)
        if form == "device_dtype":
            return t.to("cpu", dt)
        if form == "kw":
            return t.to(device=lib.device("cpu"), dtype=dt, non_blocking=True)
        if form == "tensor":
            return t.to(lib.zeros(1, dtype=dt))
        return t.to("cpu")

    a, b = call(minigrad, ours), call(torch, theirs)
    assert repr(a.dtype).split(".")[1] == repr(b.dtype).split(".")[1]
    np.testing.assert_array_equal(a.numpy().astype(np.float64), b.numpy().astype(np.float64))
    assert (a is ours) == (b is theirs)  # no change, no copy: the tensor itself, as torch


def test_to_copy_none_and_bad_arguments() -> None:
    x = minigrad.ones(2, requires_grad=True)
    assert x.to(None) is x and x.to("cpu") is x and x.cpu() is x
    c = x.to(copy=True)
    assert c is not x and not np.shares_memory(c.numpy(), x.numpy()) and c.grad_fn is not None
    with pytest.raises(TypeError, match="unexpected keyword argument 'devices'"):
        x.to(devices="cpu")
    with pytest.raises(RuntimeError, match="Expected one of cpu"):
        x.to("float32")  # a string is a device, as in torch


def test_module_to_device_dtype_and_refusals() -> None:
    lin = nn.Linear(2, 3)
    w = lin.weight
    assert lin.to("cpu") is lin and lin.to(minigrad.device("cpu")) is lin and lin.cpu() is lin
    assert lin.to("cpu", minigrad.float64).weight.dtype == minigrad.float64 and lin.weight is w
    assert lin.to(dtype=minigrad.float32).weight.dtype == minigrad.float32
    assert lin.to(minigrad.zeros(1, dtype=minigrad.float64)).bias.dtype == minigrad.float64
    with pytest.raises(TypeError, match="only floating dtypes"):
        lin.to(minigrad.int64)


# ----------------------------------------------------------------------------- dtypes
@pytest.mark.parametrize("name", DTYPE_NAMES)
def test_dtype_names_and_properties_as_torch(name: str, torch: Any) -> None:
    ours, theirs = getattr(minigrad, name), getattr(torch, name)
    assert repr(ours) == repr(theirs).replace("torch.", "minigrad.")
    assert str(ours) == str(theirs).replace("torch.", "minigrad.")
    assert ours.is_floating_point == theirs.is_floating_point
    assert ours.is_complex == theirs.is_complex and ours.is_signed == theirs.is_signed
    assert ours.itemsize == theirs.itemsize
    assert isinstance(ours, minigrad.dtype)


def test_dtype_stands_in_for_the_numpy_dtype() -> None:
    d = minigrad.zeros(2).dtype
    assert d == np.float32 and d == np.dtype("float32") and np.dtype("float32") == d
    assert d != np.float64 and d != None and d != "cpu"  # noqa: E711
    assert {np.dtype("float32"): 1}[d] == 1 and hash(d) == hash(np.dtype("float32"))
    assert np.zeros(2, dtype=d).dtype == np.float32 and np.ones(2).astype(d).dtype == np.float32
    assert d.kind == "f" and d.name == "float32" and np.dtype(d) == np.float32
    assert minigrad.float is minigrad.float32 and minigrad.long is minigrad.int64
    with pytest.raises(TypeError, match="bfloat16 is not supported"):
        minigrad.zeros(2, dtype=minigrad.bfloat16)
    with pytest.raises(TypeError, match="bfloat16"):
        minigrad.ones(2).bfloat16()


@pytest.mark.parametrize("cast", CASTS)
def test_casting_methods_and_type_as_torch(cast: str, torch: Any) -> None:
    values = [[0.0, 1.5], [-2.0, 3.0]]
    a, b = getattr(minigrad.tensor(values), cast)(), getattr(torch.tensor(values), cast)()
    assert repr(a.dtype) == repr(b.dtype).replace("torch.", "minigrad.")
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert a.type() == b.type().replace("torch.", "minigrad.")
    t = minigrad.tensor(values)
    assert t.type(a.dtype).dtype == a.dtype
    assert t.type(b.type()).dtype == a.dtype  # 'torch.LongTensor' names are accepted too


def test_legacy_constructors_and_types(torch: Any) -> None:
    assert minigrad.Tensor(2, 3).shape == (2, 3) and minigrad.Tensor(2, 3).dtype == minigrad.float32
    for data in ([1, 2], [[True, False]], [1.5]):
        ours, theirs = minigrad.Tensor(data), torch.Tensor(data)
        assert ours.dtype == minigrad.float32 and ours.tolist() == theirs.tolist()
    for name in ("FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "BoolTensor"):
        ours, theirs = getattr(minigrad, name)([1, 0]), getattr(torch, name)([1, 0])
        assert repr(ours.dtype) == repr(theirs.dtype).replace("torch.", "minigrad.")
        assert isinstance(ours, getattr(minigrad, name)) and isinstance(ours, minigrad.Tensor)
    assert not isinstance(minigrad.zeros(1), minigrad.LongTensor)
    assert minigrad.tensor([1, 2]).dtype == minigrad.int64  # tensor() still infers


def test_dtype_helpers_as_torch(torch: Any) -> None:
    assert repr(minigrad.get_default_dtype()) == "minigrad.float32"
    for name in ("float16", "float32", "float64"):
        fo, ft = minigrad.finfo(getattr(minigrad, name)), torch.finfo(getattr(torch, name))
        assert (float(fo.eps), float(fo.max), float(fo.tiny)) == (ft.eps, ft.max, ft.tiny)
    for name in ("uint8", "int8", "int16", "int32", "int64"):
        io, it = minigrad.iinfo(getattr(minigrad, name)), torch.iinfo(getattr(torch, name))
        assert (int(io.min), int(io.max), io.bits) == (it.min, it.max, it.bits)
    with pytest.raises(TypeError):
        minigrad.finfo(minigrad.int32)
    x = minigrad.zeros(2, 3)
    assert minigrad.is_tensor(x) and not minigrad.is_tensor(x.numpy())
    assert minigrad.is_floating_point(x) and not minigrad.is_floating_point(minigrad.arange(2))
    assert minigrad.numel(x) == 6
    with pytest.raises(TypeError, match="must be Tensor"):
        minigrad.numel([1, 2])


# ----------------------------------------------------------------------------- Size
@given(shape=shapes)
def test_size_is_a_tuple_printed_as_torch(shape: tuple[int, ...]) -> None:
    torch = pytest.importorskip("torch")
    x = minigrad.zeros(*shape) if shape else minigrad.zeros(())
    s = x.shape
    assert isinstance(s, tuple) and isinstance(s, minigrad.Size) and s == shape
    assert repr(s) == repr(torch.Size(shape)).replace("torch.", "minigrad.")
    assert x.size() == s and s.numel() == torch.Size(shape).numel() == x.numel()
    assert isinstance(s[1:], minigrad.Size) and s[1:] == shape[1:]
    assert f"{s}" == repr(tuple(shape))  # in messages a shape reads as a tuple
    for d in range(-len(shape), len(shape)):
        assert x.size(d) == shape[d]


def test_size_dim_errors_as_torch(torch: Any) -> None:
    for shape, dim in [((2, 3), 2), ((2, 3), -3), ((), 0)]:
        with pytest.raises(IndexError):
            torch.zeros(shape).size(dim)
        with pytest.raises(IndexError):
            minigrad.zeros(shape).size(dim)


# ----------------------------------------------------------------------------- Tensor API
def test_views_memory_and_new_factories(torch: Any) -> None:
    a = minigrad.arange(6, dtype=minigrad.float64)
    v = a.view_as(minigrad.zeros(2, 3))
    v[0, 0] = 10.0
    assert a[0].item() == 10.0 and a.reshape_as(minigrad.zeros(3, 2)).shape == (3, 2)
    arr = np.arange(3.0)
    t = minigrad.from_numpy(arr)
    arr[0] = 7.0
    t.numpy()[1] = 8.0
    assert t.tolist() == [7.0, 8.0, 2.0] and arr[1] == 8.0
    with pytest.raises(TypeError, match=r"expected np\.ndarray"):
        minigrad.from_numpy([1.0])
    base_m, base_t = minigrad.zeros(1, dtype=minigrad.float64), torch.zeros(1, dtype=torch.float64)
    for name, args in [
        ("new_tensor", ([1, 2],)), ("new_ones", (2, 3)), ("new_zeros", ((2,),)),
        ("new_full", ((2,), 3.5)), ("new_empty", (2,)),
    ]:  # fmt: skip
        m, th = getattr(base_m, name)(*args), getattr(base_t, name)(*args)
        assert m.shape == tuple(th.shape) and repr(m.dtype).endswith(str(th.dtype)[6:])
        if name != "new_empty":
            np.testing.assert_array_equal(m.numpy(), th.numpy())
    assert base_m.new_ones(2, dtype=minigrad.int64, requires_grad=False).dtype == minigrad.int64


@given(shape=st.lists(st.integers(1, 4), min_size=2, max_size=4).map(tuple))
def test_contiguity_and_sizes_as_torch(shape: tuple[int, ...]) -> None:
    torch = pytest.importorskip("torch")
    ours, theirs = minigrad.zeros(*shape), torch.zeros(*shape)
    for fn in (lambda t: t, lambda t: t.transpose(0, 1), lambda t: t[..., ::2]):
        a, b = fn(ours), fn(theirs)
        assert a.is_contiguous() == b.is_contiguous()
        assert a.contiguous().is_contiguous() and (a.contiguous() is a) == (b.contiguous() is b)
    assert ours.element_size() == theirs.element_size() and ours.nelement() == theirs.nelement()
    assert ours.ndimension() == theirs.ndimension() == ours.dim()


def test_data_is_a_tensor_over_the_same_storage() -> None:
    p = nn.Parameter(minigrad.tensor([1.0, -1.0]))
    d = p.data
    assert isinstance(d, minigrad.Tensor) and not d.requires_grad and d.grad_fn is None
    p.data.add_(0.5)
    assert p.tolist() == [1.5, -0.5] and abs(p.data.norm().item() - 1.5811388) < 1e-6
    y = (p * p).sum()
    p.data.mul_(2)  # outside autograd: no version error at backward, as torch's .data
    y.backward()
    assert p.grad is not None and p.grad.data.sum().item() == pytest.approx(4.0)
    p.data = minigrad.zeros(3)
    assert p.shape == (3,)
    with pytest.raises(TypeError, match="expected a Tensor"):
        p.data = [1.0, 2.0]


def test_format_detach_and_requires_grad() -> None:
    loss = minigrad.tensor(0.123456, requires_grad=True) * 2
    assert f"{loss:.2f}" == "0.25" and f"{minigrad.tensor([1.5]):.1f}" == "1.5"
    assert loss.detach_() is loss and loss.is_leaf and not loss.requires_grad
    w = minigrad.zeros(2).requires_grad_()
    assert w.requires_grad and w.is_leaf


@given(
    shapes=st.sampled_from([((3,), (3,)), ((2, 3), (3,)), ((2, 1), (1, 4)), ((), (2,))]),
    op=st.sampled_from(["add", "mul", "sub", "maximum"]),
)
@settings(max_examples=30, deadline=None)
def test_out_writes_the_result_and_returns_out(shapes: Any, op: str) -> None:
    rng = np.random.default_rng(0)
    a, b = (minigrad.tensor(rng.standard_normal(s)) for s in shapes)
    expected = getattr(minigrad, op)(a, b)
    out = minigrad.empty(0, dtype=minigrad.float64)
    got = getattr(minigrad, op)(a, b, out=out)
    assert got is out and out.shape == expected.shape
    np.testing.assert_array_equal(out.numpy(), expected.numpy())


def test_out_on_reductions_matmul_cat_stack_and_refusals(torch: Any) -> None:
    x = minigrad.arange(6, dtype=minigrad.float32).reshape(2, 3)
    for fn, args in [
        (minigrad.sum, (x, 1)), (minigrad.matmul, (x, x.t())), (minigrad.cat, ([x, x], 0)),
        (minigrad.stack, ([x, x],)), (minigrad.mm, (x, x.t())),
    ]:  # fmt: skip
        out = minigrad.zeros(1)
        assert fn(*args, out=out) is out
        np.testing.assert_array_equal(out.numpy(), fn(*args).numpy())
    w = minigrad.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
        torch.add(torch.ones(3, requires_grad=True), 1, out=torch.zeros(3))
    with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
        minigrad.add(w, 1, out=minigrad.zeros(3))
    with pytest.raises(RuntimeError, match="can't be cast"):
        torch.add(torch.ones(2), 0.5, out=torch.zeros(2, dtype=torch.int64))
    with pytest.raises(RuntimeError, match="can't be cast"):
        minigrad.add(minigrad.ones(2), 0.5, out=minigrad.zeros(2, dtype=minigrad.int64))
    values = minigrad.zeros(1)
    indices = minigrad.zeros(1, dtype=minigrad.int64)
    res = minigrad.max(x, 1, out=(values, indices))
    assert res.values is values and values.tolist() == [2.0, 5.0] and indices.tolist() == [2, 2]


def test_max_min_of_two_tensors_and_unbiased_std_as_torch(torch: Any) -> None:
    rng = np.random.default_rng(1)
    a_np, b_np = rng.standard_normal((3, 4)), rng.standard_normal((4,))
    for name in ("max", "min"):
        a = minigrad.tensor(a_np, requires_grad=True)
        b = minigrad.tensor(b_np, requires_grad=True)
        ta = torch.tensor(a_np, requires_grad=True)
        tb = torch.tensor(b_np, requires_grad=True)
        ours, theirs = getattr(minigrad, name)(a, b), getattr(torch, name)(ta, tb)
        np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy())
        (ours * ours).sum().backward()
        (theirs * theirs).sum().backward()
        np.testing.assert_allclose(a.grad.numpy(), ta.grad.numpy())
        np.testing.assert_allclose(b.grad.numpy(), tb.grad.numpy())
    x, tx = minigrad.tensor(a_np), torch.tensor(a_np)
    for kwargs in ({"unbiased": False}, {"unbiased": True}, {"dim": 0, "unbiased": False}):
        for fn in ("std", "var"):
            np.testing.assert_allclose(
                getattr(x, fn)(**kwargs).numpy(), getattr(tx, fn)(**kwargs).numpy()
            )
    np.testing.assert_allclose(x.std(False).numpy(), tx.std(False).numpy())


@pytest.mark.parametrize("where", ["leaf", "intermediate"])
def test_register_hook_replaces_the_gradient_as_torch(where: str, torch: Any) -> None:
    values = [1.0, -2.0, 3.0]

    def run(lib: Any) -> tuple[Any, ...]:
        x = lib.tensor(values, dtype=lib.float64, requires_grad=True)
        h = x * 2
        seen = []
        target = x if where == "leaf" else h
        if where == "intermediate":
            h.retain_grad()
        handle = target.register_hook(lambda g: seen.append(g.tolist()) or g * 10)
        target.register_hook(lambda g: None)  # None keeps the gradient
        (h**2).sum().backward()
        first = x.grad.tolist()
        handle.remove()
        x.grad = None
        (x * x * 2).sum().backward()  # the removed hook no longer applies
        return first, x.grad.tolist(), seen, (h.grad.tolist() if where != "leaf" else None)

    assert run(minigrad) == run(torch)


def test_register_hook_errors_and_autograd_grad() -> None:
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        minigrad.zeros(2).register_hook(lambda g: g)
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g * 3)
    (g,) = minigrad.grad((x * x).sum(), x)
    assert g.tolist() == [6.0, 12.0]  # hooks apply to autograd.grad too, as in torch
    y = minigrad.tensor([1.0], requires_grad=True)
    y.register_hook(lambda g: minigrad.zeros(2))
    with pytest.raises(RuntimeError, match="hook returned a gradient of shape"):
        (y * 2).sum().backward()


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.zeros(-1), lambda lib: lib.ones(2, -3), lambda lib: lib.zeros(2.5),
        lambda lib: lib.zeros(2).size(5), lambda lib: lib.device("tpu"),
        lambda lib: lib.ones(2).view_as(lib.zeros(3)), lambda lib: lib.tensor([1.0]).new_zeros(-1),
        lambda lib: lib.ones(2).to(lib.zeros(1), "cpu", True, True, True),
    ],
)  # fmt: skip
def test_bad_input_raises_torchs_exception_type(call: Any, torch: Any) -> None:
    with pytest.raises(Exception) as theirs:
        call(torch)
    with pytest.raises(Exception) as ours:
        call(minigrad)
    assert (
        isinstance(ours.value, type(theirs.value)) or type(theirs.value) in type(ours.value).__mro__
    ), (type(ours.value), type(theirs.value), str(ours.value))
    assert str(ours.value)


# ----------------------------------------------------------------------------- printing
@settings(max_examples=25, deadline=None)
@given(
    shape=st.sampled_from([(1001,), (2000,), (40, 30), (3, 20, 20), (2, 2, 300), (1, 1100)]),
    kind=st.sampled_from(["float", "small", "int", "bool"]),
    grad=st.booleans(),
)
def test_summarised_printing_matches_torch(shape: tuple[int, ...], kind: str, grad: bool) -> None:
    torch = pytest.importorskip("torch")
    n = int(np.prod(shape))
    base = np.arange(n).reshape(shape)
    data: np.ndarray = {
        "float": (base / 7.0).astype(np.float32),
        "small": (base * 1e-5).astype(np.float32),
        "int": base.astype(np.int64),
        "bool": base % 3 == 0,
    }[kind]
    requires = grad and kind in ("float", "small")
    ours = minigrad.tensor(data, requires_grad=requires)
    theirs = torch.tensor(data, requires_grad=requires)
    assert repr(ours) == repr(theirs)


def test_print_model_as_torch(torch: Any) -> None:
    def build(lib: Any) -> Any:
        return lib.nn.Sequential(
            lib.nn.Conv2d(1, 4, 3, padding=1), lib.nn.ReLU(), lib.nn.MaxPool2d(2),
            lib.nn.Flatten(), lib.nn.Linear(16, 2), lib.nn.Dropout(0.1),
        )  # fmt: skip

    assert repr(build(minigrad)) == repr(build(torch))


# Calls that PyTorch refuses; minigrad must refuse each with the same exception type.
BAD_CALLS = {
    "add shapes": lambda lib: lib.ones(2, 3) + lib.ones(4),
    "matmul shapes": lambda lib: lib.ones(2, 3) @ lib.ones(2, 3),
    "view bad": lambda lib: lib.ones(2, 3).view(4, 2),
    "reshape bad": lambda lib: lib.ones(6).reshape(4, -1),
    "index oob": lambda lib: lib.ones(3)[5],
    "dim oob sum": lambda lib: lib.ones(2, 3).sum(dim=2),
    "cat mismatch": lambda lib: lib.cat([lib.ones(2, 3), lib.ones(2, 4)]),
    "cat empty": lambda lib: lib.cat([]),
    "stack mismatch": lambda lib: lib.stack([lib.ones(2), lib.ones(3)]),
    "item multi": lambda lib: lib.ones(3).item(),
    "bool multi": lambda lib: bool(lib.ones(3)),
    "len 0d": lambda lib: len(lib.tensor(1.0)),
    "int grad": lambda lib: lib.tensor([1, 2], requires_grad=True),
    "backward nonscalar": lambda lib: (lib.ones(2, requires_grad=True) * 2).backward(),
    "backward no grad": lambda lib: lib.ones(2).sum().backward(),
    "leaf inplace": lambda lib: lib.ones(2, requires_grad=True).add_(1),
    "permute bad": lambda lib: lib.ones(2, 3).permute(0, 0),
    "split negative": lambda lib: lib.arange(5.0).split([6, -1]),
    "split sum": lambda lib: lib.arange(5.0).split([2, 2]),
    "transpose oob": lambda lib: lib.ones(2, 3).transpose(0, 2),
    "squeeze oob": lambda lib: lib.ones(2, 3).squeeze(3),
    "unsqueeze oob": lambda lib: lib.ones(2, 3).unsqueeze(4),
    "expand bad": lambda lib: lib.ones(2, 3).expand(3, 3),
    "linear bad": lambda lib: lib.nn.Linear(3, 2)(lib.ones(2, 4)),
    "conv bad": lambda lib: lib.nn.Conv2d(3, 2, 3)(lib.ones(1, 1, 5, 5)),
    "ce bad target": lambda lib: lib.nn.functional.cross_entropy(
        lib.ones(2, 3), lib.tensor([0, 5])
    ),
    "tensor ragged": lambda lib: lib.tensor([[1, 2], [3]]),
    "tensor str": lambda lib: lib.tensor("abc"),
    "zeros neg": lambda lib: lib.zeros(-2),
    "randint bad": lambda lib: lib.randint(5, 2, (3,)),
    "arange bad step": lambda lib: lib.arange(0, 5, 0),
    "softmax dim": lambda lib: lib.ones(2, 3).softmax(dim=3),
    "gather idx dtype": lambda lib: lib.ones(2, 3).gather(1, lib.ones(2, 3)),
    "float index": lambda lib: lib.ones(3)[lib.tensor([0.0])],
    "split bad": lambda lib: lib.ones(3).split([1, 1]),
    "max empty": lambda lib: lib.ones(0).max(),
    "flatten bad": lambda lib: lib.ones(2, 3).flatten(2),
    "load_state missing": lambda lib: lib.nn.Linear(2, 2).load_state_dict({}),
    "optim empty": lambda lib: lib.optim.SGD([], lr=0.1),
    "optim neg lr": lambda lib: lib.optim.SGD(lib.nn.Linear(2, 2).parameters(), lr=-1),
    "mse shapes": lambda lib: lib.nn.functional.mse_loss(lib.ones(2), lib.ones(3)),
    "to bad dtype str": lambda lib: lib.ones(2).to("float64"),
    "new_zeros neg": lambda lib: lib.ones(2).new_zeros(-1),
    "sqrt int inplace": lambda lib: lib.tensor([4]).sqrt_(),
    "div int inplace": lambda lib: lib.tensor([4]).div_(2),
}


@pytest.mark.parametrize("name", sorted(BAD_CALLS))
def test_torchs_refusals_have_torchs_exception_types(name: str, torch: Any) -> None:
    call = BAD_CALLS[name]
    with pytest.raises(Exception) as theirs:
        call(torch)
    with pytest.raises(type(theirs.value)) as ours:
        call(minigrad)
    assert str(ours.value), f"{name}: the error says nothing"
