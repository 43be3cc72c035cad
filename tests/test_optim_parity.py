"""Every optimizer against PyTorch: signatures, defaults, group options, state and
100-step float64 trajectories for every option combination."""

from __future__ import annotations

import copy
import inspect
import itertools

import numpy as np
import pytest
from _optim_helpers import (
    assert_trajectories_close,
    make_grad_fn,
    make_params,
    run_minigrad,
    run_torch,
)

import minigrad
from minigrad import optim

NAMES = [
    "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam",
    "ASGD", "LBFGS",
]  # fmt: skip


@pytest.fixture
def torch64(torch):
    """PyTorch with float64 as the default dtype, so that its scalar state (NAdam's
    ``mu_product``, ASGD's ``eta`` and ``mu``) is float64 as minigrad's Python floats are."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield torch
    torch.set_default_dtype(previous)


def _grid(**options):
    """Every combination of the given option values, as kwargs dicts."""
    keys = list(options)
    return [dict(zip(keys, values)) for values in itertools.product(*options.values())]


def _configs():
    yield from (("Adadelta", kw) for kw in _grid(
        lr=[1.0, 0.3], rho=[0.9, 0.5], weight_decay=[0.0, 0.1], maximize=[False, True],
    ))  # fmt: skip
    yield from (("Adamax", kw) for kw in _grid(
        lr=[0.01], betas=[(0.9, 0.999), (0.5, 0.8)], eps=[1e-8, 0.1], weight_decay=[0.0, 0.1],
        maximize=[False, True],
    ))  # fmt: skip
    yield from (("NAdam", kw) for kw in _grid(
        lr=[0.01], momentum_decay=[4e-3, 0.2], weight_decay=[0.0, 0.1],
        decoupled_weight_decay=[False, True], maximize=[False, True],
    ))  # fmt: skip
    yield from (("RAdam", kw) for kw in _grid(
        lr=[0.01], betas=[(0.9, 0.999), (0.8, 0.9)], weight_decay=[0.0, 0.1],
        decoupled_weight_decay=[False, True], maximize=[False, True],
    ))  # fmt: skip
    yield from (("ASGD", kw) for kw in _grid(
        lr=[0.05], lambd=[1e-4, 0.05], alpha=[0.75, 1.5], t0=[1e6, 20.0], weight_decay=[0.0, 0.1],
        maximize=[False, True],
    ))  # fmt: skip
    for name in ("Adadelta", "Adamax", "NAdam", "RAdam", "ASGD"):
        yield name, {}  # the defaults
    # PyTorch's kernel choices: the same update, so the same trajectory.
    for name in ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam",
                 "RAdam", "ASGD"):  # fmt: skip
        extra = dict(momentum=0.9) if name in ("SGD", "RMSprop") else {}
        yield name, dict(lr=0.01, foreach=True, **extra)
    for name in ("SGD", "Adam", "AdamW", "Adagrad"):
        yield name, dict(lr=0.01, fused=True)
    yield "SGD", dict(lr=0.01, momentum=0.9, foreach=False, fused=False)


CONFIGS = list(_configs())


def _config_id(config):
    name, kw = config
    return name + "-" + ",".join(f"{k}={v}" for k, v in kw.items())


# ---------------------------------------------------------------------- trajectories
@pytest.mark.torch
@pytest.mark.parametrize("config", CONFIGS, ids=_config_id)
def test_trajectory_matches_pytorch(config, torch64):
    name, kwargs = config
    params0, grad_fn = make_params(), make_grad_fn()
    ours_opt: list = []
    theirs_opt: list = []
    ours = run_minigrad(
        lambda ps: getattr(optim, name)(ps, **kwargs), params0, grad_fn, opt_out=ours_opt
    )
    theirs = run_torch(
        torch64, lambda ps: getattr(torch64.optim, name)(ps, **kwargs), params0, grad_fn,
        opt_out=theirs_opt,
    )  # fmt: skip
    rtol = 1e-5 if kwargs.get("fused") else 1e-9  # fused kernels round differently
    assert_trajectories_close(ours, theirs, rtol=rtol)
    # and the state after 100 steps: the same entries, the same values
    ours_sd, theirs_sd = ours_opt[0].state_dict(), theirs_opt[0].state_dict()
    for i, theirs_state in theirs_sd["state"].items():
        assert set(ours_sd["state"][i]) == set(theirs_state), f"state keys of parameter {i}"
        for key, value in theirs_state.items():
            value = value.numpy() if isinstance(value, torch64.Tensor) else value
            np.testing.assert_allclose(ours_sd["state"][i][key], value, rtol=rtol, atol=1e-12)


@pytest.mark.parametrize("name", [n for n in NAMES if n != "LBFGS"])
def test_foreach_and_fused_change_nothing(name):
    params0, grad_fn = make_params(), make_grad_fn()
    cls = getattr(optim, name)
    plain = run_minigrad(lambda ps: cls(ps), params0, grad_fn, 20)
    flags = {"foreach": True}
    if "fused" in inspect.signature(cls).parameters:
        flags["fused"] = True
    flagged = run_minigrad(lambda ps: cls(ps, **flags), params0, grad_fn, 20)
    for a, b in zip(plain[-1], flagged[-1]):
        assert np.array_equal(a, b)


@pytest.mark.parametrize("name", ["Adadelta", "Adamax", "NAdam", "RAdam", "ASGD"])
def test_float32_params_follow_the_float64_run(name):
    grad_fn = make_grad_fn()
    kwargs = {"lr": 0.01, "t0": 5.0} if name == "ASGD" else {"lr": 0.01}
    opts: list = []
    run32 = run_minigrad(
        lambda ps: getattr(optim, name)(ps, **kwargs), make_params(dtype=np.float32), grad_fn, 30,
        opt_out=opts,
    )  # fmt: skip
    run64 = run_minigrad(lambda ps: getattr(optim, name)(ps, **kwargs), make_params(), grad_fn, 30)
    for value in itertools.chain.from_iterable(s.values() for s in opts[0].state.values()):
        assert not isinstance(value, np.ndarray) or value.dtype == np.float32
    for a, b in zip(run32[-1], run64[-1]):
        assert a.dtype == np.float32
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


# ---------------------------------------------------------------------- the API
@pytest.mark.torch
@pytest.mark.parametrize("name", NAMES)
def test_signature_and_defaults_are_pytorchs(name, torch):
    ours = inspect.signature(getattr(optim, name)).parameters
    theirs = inspect.signature(getattr(torch.optim, name)).parameters
    assert list(ours) == list(theirs)
    for arg, param in theirs.items():
        assert ours[arg].kind == param.kind, f"{arg} is {ours[arg].kind}, torch's {param.kind}"
        assert ours[arg].default == param.default, arg


@pytest.mark.torch
@pytest.mark.parametrize("name", NAMES)
def test_group_options_are_pytorchs(name, torch):
    ours = getattr(optim, name)([minigrad.ones(2, requires_grad=True)]).param_groups[0]
    theirs = getattr(torch.optim, name)([torch.ones(2, requires_grad=True)]).param_groups[0]
    assert set(ours) == set(theirs)
    assert {k: v for k, v in ours.items() if k != "params"} == {
        k: v for k, v in theirs.items() if k != "params"
    }


@pytest.mark.parametrize(
    "name, flag",
    [
        (name, flag)
        for name in NAMES
        for flag in ("capturable", "differentiable")
        if flag in inspect.signature(getattr(optim, name)).parameters
    ],
)
def test_capturable_and_differentiable_only_false(name, flag):
    cls = getattr(optim, name)
    p = minigrad.ones(2, requires_grad=True)
    cls([p], **{flag: False})
    with pytest.raises(ValueError, match=f"{flag}=True is not supported.*expected {flag}=False"):
        cls([p], **{flag: True})


def test_named_parameters():
    net = minigrad.nn.Linear(3, 2)
    opt = optim.Adam(net.named_parameters(), lr=0.1)
    assert opt.param_groups[0]["param_names"] == ["weight", "bias"]
    assert opt.state_dict()["param_groups"][0]["param_names"] == ["weight", "bias"]
    with pytest.raises(ValueError, match="with/without names"):
        opt.add_param_group({"params": [minigrad.ones(1, requires_grad=True)]})
    with pytest.raises(ValueError, match="Some param names are missing"):
        optim.SGD(
            [("a", minigrad.ones(1, requires_grad=True)), minigrad.ones(1, requires_grad=True)]
        )


@pytest.mark.parametrize("name", ["NAdam", "ASGD"])
def test_scalar_state_comes_back_as_python_floats(name):
    """``mu_product``, ``eta`` and ``mu`` saved as 0-d arrays (an .npz) load as floats, so a
    float32 run resumes with float64 scalars, bit for bit."""
    w = minigrad.ones(3, requires_grad=True)
    opt = getattr(optim, name)([w], lr=0.1)
    w.grad = minigrad.ones(3)
    opt.step()
    sd = copy.deepcopy(opt.state_dict())
    sd["state"][0] = {k: np.asarray(v) for k, v in sd["state"][0].items()}
    fresh = getattr(optim, name)([w], lr=0.1)
    fresh.load_state_dict(sd)
    for key in type(opt)._scalar_state:
        assert type(fresh.state[w][key]) is type(opt.state[w][key]) and (
            fresh.state[w][key] == opt.state[w][key]
        )
