"""Module, Parameter and the containers: registration, traversal, state dicts, hooks, repr."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad import nn

# --------------------------------------------------------------------------- random module trees
# A tree spec is built into a minigrad model and (in the torch tests) the same PyTorch
# model, so that names, keys, order and reprs can be compared between the two.
LEAVES = ["linear", "bn", "relu", "param", "tied", "ref"]
CONTAINERS = ["seq", "list", "dict", "custom"]

leaf_spec = st.tuples(st.sampled_from(LEAVES), st.integers(0, 50))
tree_spec = st.recursive(
    leaf_spec,
    lambda kids: st.tuples(st.sampled_from(CONTAINERS), st.lists(kids, min_size=0, max_size=3)),
    max_leaves=10,
)


def build(spec: Any, lib: Any) -> Any:
    """Build the module tree described by ``spec`` with ``lib`` (minigrad.nn or torch.nn)."""
    built: list[Any] = []  # every module made so far, for "ref" (shared modules)
    linears: list[Any] = []  # for "tied" (a parameter shared between modules)
    is_torch = lib is not nn

    def param(n: int) -> Any:
        if is_torch:
            import torch

            return torch.nn.Parameter(torch.zeros(n))
        return nn.Parameter(minigrad.zeros(n))

    class Custom(lib.Module):
        pass

    Custom.__name__ = Custom.__qualname__ = "Custom"

    def make(node: Any) -> Any:
        kind, arg = node
        if kind == "linear":
            m = lib.Linear(2, 1 + arg % 3)
            linears.append(m)
        elif kind == "bn":
            m = lib.BatchNorm1d(1 + arg % 3)
        elif kind == "relu":
            m = lib.ReLU()
        elif kind == "param":
            m = Custom()
            m.p = param(1 + arg % 4)
        elif kind == "tied":
            m = Custom()
            m.w = linears[arg % len(linears)].weight if linears else param(2)
        elif kind == "ref":
            m = built[arg % len(built)] if built else lib.ReLU()
        else:
            kids = [make(k) for k in arg]
            if kind == "seq":
                m = lib.Sequential(*kids)
            elif kind == "list":
                m = lib.ModuleList(kids)
            elif kind == "dict":
                m = lib.ModuleDict({f"k{i}": k for i, k in enumerate(kids)})
            else:
                m = Custom()
                for i, k in enumerate(kids):
                    setattr(m, f"c{i}", k)
        built.append(m)
        return m

    root = Custom()
    root.body = make(spec)
    return root


def all_parameters_brute_force(module: nn.Module) -> dict[int, nn.Parameter]:
    """Every Parameter reachable from ``module``, found by walking attribute dicts."""
    found: dict[int, nn.Parameter] = {}
    seen: set[int] = set()
    stack = [module]
    while stack:
        m = stack.pop()
        if id(m) in seen:
            continue
        seen.add(id(m))
        for p in m._parameters.values():
            if p is not None:
                found[id(p)] = p
        stack.extend(c for c in m._modules.values() if c is not None)
    return found


@given(spec=tree_spec)
def test_parameters_through_any_nesting_found_exactly_once(spec: Any) -> None:
    model = build(spec, nn)
    params = list(model.parameters())
    assert len({id(p) for p in params}) == len(params)  # no duplicates
    assert {id(p) for p in params} == set(all_parameters_brute_force(model))
    for name, p in model.named_parameters():  # every name leads back to its parameter
        owner, _, attr = name.rpartition(".")
        assert getattr(model.get_submodule(owner), attr) is p
    # The state dict holds every parameter and buffer under every name it has.
    sd = model.state_dict(keep_vars=True)
    assert {id(v) for v in sd.values() if isinstance(v, nn.Parameter)} == {id(p) for p in params}


@given(spec=tree_spec)
def test_module_tree_matches_torch(spec: Any, torch: Any) -> None:
    ours, theirs = build(spec, nn), build(spec, torch.nn)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [n for n, _ in ours.named_children()] == [n for n, _ in theirs.named_children()]
    ours_sd, theirs_sd = ours.state_dict(), theirs.state_dict()
    assert list(ours_sd) == list(theirs_sd)
    assert [v.shape for v in ours_sd.values()] == [tuple(v.shape) for v in theirs_sd.values()]
    assert repr(ours) == repr(theirs)
    # Weights move by name in both directions.
    ours.load_state_dict(theirs_sd)
    theirs.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in ours.state_dict().items()})


# --------------------------------------------------------------------------- registration


class Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(3, 2)
        self.bn = nn.BatchNorm1d(2)
        self.scale = nn.Parameter(minigrad.ones(1))
        self.register_buffer("steps", minigrad.zeros((), dtype=minigrad.int64))
        self.register_buffer("cache", minigrad.zeros(2), persistent=False)
        self.plain = minigrad.ones(3)  # a plain Tensor attribute: not registered

    def forward(self, x: minigrad.Tensor) -> minigrad.Tensor:
        return self.bn(self.fc(x)) * self.scale


def test_attribute_assignment_registers() -> None:
    net = Net()
    assert [n for n, _ in net.named_parameters()] == [
        "scale", "fc.weight", "fc.bias", "bn.weight", "bn.bias",
    ]  # fmt: skip
    assert [n for n, _ in net.named_buffers()] == [
        "steps", "cache", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked",
    ]  # fmt: skip
    assert list(net.state_dict()) == [
        "scale", "steps", "fc.weight", "fc.bias", "bn.weight", "bn.bias",
        "bn.running_mean", "bn.running_var", "bn.num_batches_tracked",
    ]  # fmt: skip
    assert [n for n, _ in net.named_children()] == ["fc", "bn"]
    assert [n for n, _ in net.named_modules()] == ["", "fc", "bn"]
    assert len(list(net.parameters(recurse=False))) == 1
    assert "plain" not in dict(net.named_buffers())
    assert "fc" in dir(net) and "scale" in dir(net)


def test_reassignment_and_deletion() -> None:
    net = Net()
    net.fc = nn.Identity()  # replacing a child keeps its place
    assert [n for n, _ in net.named_children()] == ["fc", "bn"]
    net.scale = None
    assert "scale" not in dict(net.named_parameters())
    with pytest.raises(TypeError, match="Parameter or None"):
        net.scale = minigrad.ones(1)  # a plain Tensor is not a Parameter
    net.cache = minigrad.ones(2)  # buffers are replaced by Tensors
    assert net.cache.tolist() == [1.0, 1.0]
    with pytest.raises(TypeError, match="buffer"):
        net.cache = [1, 2]
    del net.bn
    assert not hasattr(net, "bn")
    net.bn = nn.Parameter(minigrad.ones(1))  # a name can change kind
    assert "bn" in dict(net.named_parameters())
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        net.nope
    with pytest.raises(KeyError, match="contain"):
        net.register_buffer("a.b", None)
    with pytest.raises(KeyError, match="already exists"):
        net.register_buffer("training", None)
    with pytest.raises(KeyError, match="already exists"):
        net.register_parameter("fc", None)


def test_assign_before_init_is_a_clear_error() -> None:
    class Bad(nn.Module):
        def __init__(self) -> None:
            self.w = nn.Parameter(minigrad.ones(1))

    with pytest.raises(AttributeError, match=r"before Module\.__init__"):
        Bad()


def test_parameter_shares_tensor_data_and_requires_grad() -> None:
    t = minigrad.zeros(3)
    p = nn.Parameter(t)
    assert p.requires_grad and p.is_leaf and p.numpy() is t.numpy()
    assert not nn.Parameter(minigrad.zeros(1), requires_grad=False).requires_grad
    assert nn.Parameter().shape == (0,)
    out = p * 2  # ops on parameters give plain tensors
    assert type(out) is minigrad.Tensor


def test_train_eval_zero_grad_requires_grad_apply() -> None:
    net = nn.Sequential(Net(), nn.Dropout(0.5))
    assert all(m.training for m in net.modules())
    assert net.eval() is net and not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())
    net(minigrad.randn(4, 3)).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    grads = [p.grad for p in net.parameters()]
    net.zero_grad(set_to_none=False)
    assert all(float(abs(p.grad.numpy()).sum()) == 0 for p in net.parameters())
    assert all(p.grad is g for p, g in zip(net.parameters(), grads))  # zeroed in place
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())
    visited: list[str] = []
    net.apply(lambda m: visited.append(type(m).__name__))
    assert visited == ["Linear", "BatchNorm1d", "Net", "Dropout", "Sequential"]


def test_to_double_keeps_parameter_objects() -> None:
    net = Net()
    params = list(net.parameters())
    net.double()
    assert all(p.dtype == np.float64 for p in net.parameters())
    assert [id(p) for p in net.parameters()] == [id(p) for p in params]
    assert net.bn.running_mean.dtype == np.float64
    assert net.bn.num_batches_tracked.dtype == np.int64  # integer buffers untouched
    net.float()
    assert net.fc.weight.dtype == np.float32


def test_deepcopy_gives_an_independent_model() -> None:
    net = Net()
    clone = copy.deepcopy(net)
    with minigrad.no_grad():
        clone.fc.weight.fill_(0.0)
    assert float(abs(net.fc.weight.numpy()).sum()) > 0
    assert list(clone.state_dict()) == list(net.state_dict())


def test_forward_not_defined() -> None:
    with pytest.raises(NotImplementedError, match="forward"):
        nn.Module()(1)


# --------------------------------------------------------------------------- hooks


def test_forward_hooks_order_replacement_and_removal() -> None:
    lin = nn.Linear(2, 2)
    calls: list[str] = []

    def pre(module: nn.Module, args: tuple[Any, ...]) -> Any:
        calls.append("pre")
        return args[0] * 0  # replaces the input

    def post(module: nn.Module, args: tuple[Any, ...], out: Any) -> Any:
        calls.append("post")
        assert float(abs(args[0].numpy()).sum()) == 0  # sees the replaced input
        return out + 1

    h1 = lin.register_forward_pre_hook(pre)
    h2 = lin.register_forward_hook(post)
    y = lin(minigrad.ones(1, 2))
    np.testing.assert_allclose(y.numpy(), lin.bias.numpy()[None] + 1)
    assert calls == ["pre", "post"]
    h1.remove()
    h2.remove()
    h2.remove()  # removing twice is harmless
    calls.clear()
    lin(minigrad.ones(1, 2))
    assert calls == []


def test_global_hooks_see_every_module_in_call_order() -> None:
    net = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU(), nn.Tanh()))
    names = {id(m): n for n, m in net.named_modules()}
    events: list[tuple[str, str]] = []
    pre = nn.register_module_forward_pre_hook(lambda m, a: events.append(("in", names[id(m)])))
    post = nn.register_module_forward_hook(lambda m, a, o: events.append(("out", names[id(m)])))
    with pre, post:
        net(minigrad.zeros(1, 2))
    assert events == [
        ("in", ""), ("in", "0"), ("out", "0"), ("in", "1"), ("in", "1.0"), ("out", "1.0"),
        ("in", "1.1"), ("out", "1.1"), ("out", "1"), ("out", ""),
    ]  # fmt: skip
    events.clear()
    net(minigrad.zeros(1, 2))
    assert events == []


# --------------------------------------------------------------------------- state dicts


def test_state_dict_values_are_independent_copies() -> None:
    net = Net()
    sd = net.state_dict()
    assert all(isinstance(v, np.ndarray) for v in sd.values())
    assert (
        sd["bn.num_batches_tracked"].dtype == np.int64 and sd["bn.num_batches_tracked"].shape == ()
    )
    before = sd["fc.weight"].copy()
    with minigrad.no_grad():
        net.fc.weight.fill_(7.0)
    np.testing.assert_array_equal(sd["fc.weight"], before)  # a snapshot
    sd["fc.bias"][...] = 99.0
    assert float(net.fc.bias.numpy().max()) != 99.0
    kept = net.state_dict(keep_vars=True)
    assert kept["fc.weight"] is net.fc.weight


def test_load_state_dict_reports_every_problem_by_name_and_changes_nothing() -> None:
    net = Net()
    before = {k: v.copy() for k, v in net.state_dict().items()}
    sd = Net().state_dict()
    del sd["fc.bias"], sd["bn.running_var"]
    sd["extra.weight"] = np.zeros(1)
    sd["fc.weight"] = np.zeros((3, 3))
    sd["scale"] = np.full(1, 5.0)
    with pytest.raises(RuntimeError) as info:
        net.load_state_dict(sd)
    msg = str(info.value)
    for piece in ('Missing key(s) in state_dict: "fc.bias", "bn.running_var"',
                  'Unexpected key(s) in state_dict: "extra.weight"',
                  "size mismatch for fc.weight: copying a param with shape (3, 3)",
                  "the shape in current model is (2, 3)"):  # fmt: skip
        assert piece in msg
    for k, v in net.state_dict().items():  # nothing was copied
        np.testing.assert_array_equal(v, before[k])
    # Shape mismatches raise even when not strict; the rest is reported.
    with pytest.raises(RuntimeError, match="size mismatch"):
        net.load_state_dict(sd, strict=False)
    sd["fc.weight"] = np.zeros((2, 3))
    result = net.load_state_dict(sd, strict=False)
    assert result.missing_keys == ["fc.bias", "bn.running_var"]
    assert result.unexpected_keys == ["extra.weight"]
    assert net.scale.tolist() == [5.0]


def test_load_state_dict_casts_and_bumps_versions() -> None:
    lin = nn.Linear(2, 2)
    version = lin.weight._version
    sd = {k: v.astype(np.float64) + 1 for k, v in lin.state_dict().items()}
    lin.load_state_dict(sd)
    assert lin.weight.dtype == np.float32 and lin.weight._version > version
    np.testing.assert_allclose(lin.weight.numpy(), sd["weight"])
    lin.load_state_dict({k: minigrad.tensor(v) for k, v in sd.items()})  # Tensors work too
    with pytest.raises(TypeError, match="dict-like"):
        lin.load_state_dict([1, 2])


# --------------------------------------------------------------------------- containers


def test_sequential_indexing_slicing_and_editing() -> None:
    a, b, c = nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1)
    seq = nn.Sequential(a, b)
    seq.append(c)
    assert len(seq) == 3 and list(seq) == [a, b, c] and seq[-1] is c
    sub = seq[1:]
    assert isinstance(sub, nn.Sequential) and list(sub) == [b, c]
    assert list(sub.state_dict()) == ["2.weight", "2.bias"]  # slices keep their names
    seq[1] = nn.Tanh()
    assert isinstance(seq[1], nn.Tanh)
    del seq[0]
    assert [n for n, _ in seq.named_children()] == ["0", "1"]  # renumbered
    seq.insert(0, a)
    seq.extend([nn.ReLU()])
    assert [type(m).__name__ for m in seq] == ["Linear", "Tanh", "Linear", "ReLU"]
    seq.insert(-1, nn.Identity())  # like list.insert: before the last
    assert [type(m).__name__ for m in seq][-2:] == ["Identity", "ReLU"]
    with pytest.raises(IndexError, match="out of range"):
        seq[10]
    named = nn.Sequential({"conv": nn.Identity(), "act": nn.ReLU()})
    assert [n for n, _ in named.named_children()] == ["conv", "act"]


def test_module_list_and_dict() -> None:
    layers = nn.ModuleList([nn.Linear(2, 2), nn.ReLU()])
    layers += [nn.Tanh()]
    layers.insert(1, nn.Identity())
    assert [type(m).__name__ for m in layers] == ["Linear", "Identity", "ReLU", "Tanh"]
    assert isinstance(layers[1:3], nn.ModuleList) and len(layers[1:3]) == 2
    del layers[0]
    assert [n for n, _ in layers.named_children()] == ["0", "1", "2"]
    assert len(layers + nn.ModuleList([nn.ReLU()])) == 4
    with pytest.raises(TypeError, match="iterable"):
        layers.extend(nn.ReLU())
    heads = nn.ModuleDict({"a": nn.Linear(1, 1)})
    heads["b"] = nn.ReLU()
    heads.update({"c": nn.Tanh()})
    assert list(heads) == ["a", "b", "c"] and list(heads.keys()) == ["a", "b", "c"]
    assert "b" in heads and len(heads) == 3
    assert isinstance(heads.pop("b"), nn.ReLU) and "b" not in heads
    del heads["c"]
    assert [k for k, _ in heads.items()] == ["a"] and len(list(heads.values())) == 1
    heads.clear()
    assert len(heads) == 0


def test_repr_like_pytorch() -> None:
    net = nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2),
        nn.BatchNorm2d(6),
        nn.ReLU(inplace=True),
        nn.MaxPool2d(2),
        nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.GELU()]),
    )
    assert repr(net) == (
        "Sequential(\n"
        "  (0): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))\n"
        "  (1): BatchNorm2d(6, eps=1e-05, momentum=0.1, affine=True, bias=True, "
        "track_running_stats=True)\n"
        "  (2): ReLU(inplace=True)\n"
        "  (3): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)\n"
        "  (4): ModuleList(\n"
        "    (0-1): 2 x Linear(in_features=2, out_features=2, bias=True)\n"
        "    (2): GELU(approximate='none')\n"
        "  )\n"
        ")"
    )
    assert repr(nn.ModuleList()) == "ModuleList()"
    assert repr(nn.Sequential()) == "Sequential()"
