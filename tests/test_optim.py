"""Tests of minigrad.optim: update rules, PyTorch parity, parameter groups, checkpoints."""

from __future__ import annotations

import copy
import importlib
import itertools

import numpy as np
import pytest
from _optim_helpers import (
    STEPS,
    assert_trajectories_close,
    make_grad_fn,
    make_params,
    run_minigrad,
    run_torch,
)
from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad import optim
from minigrad.tensor import Tensor


# ---------------------------------------------------------------------- plain update rules
def ref_sgd(p, g, s, lr, momentum=0, dampening=0, weight_decay=0, nesterov=False, maximize=False):
    g = -g if maximize else g
    g = g + weight_decay * p
    if momentum != 0:
        if "buf" not in s:
            s["buf"] = g
        else:
            s["buf"] = momentum * s["buf"] + (1 - dampening) * g
        g = g + momentum * s["buf"] if nesterov else s["buf"]
    return p - lr * g


def ref_adam(
    p,
    g,
    s,
    lr=1e-3,
    betas=(0.9, 0.999),
    eps=1e-8,
    weight_decay=0,
    amsgrad=False,
    maximize=False,
    decoupled=False,
):
    b1, b2 = betas
    t = s["t"] = s.get("t", 0) + 1
    g = -g if maximize else g
    if decoupled:
        p = p * (1 - lr * weight_decay)
    else:
        g = g + weight_decay * p
    m = s["m"] = b1 * s.get("m", 0) + (1 - b1) * g
    v = s["v"] = b2 * s.get("v", 0) + (1 - b2) * g * g
    if amsgrad:
        v = s["vmax"] = np.maximum(s.get("vmax", 0), v)
    m_hat = m / (1 - b1**t)
    v_hat = v / (1 - b2**t)
    return p - lr * m_hat / (np.sqrt(v_hat) + eps)


def ref_adamw(p, g, s, weight_decay=1e-2, **kw):
    return ref_adam(p, g, s, weight_decay=weight_decay, decoupled=True, **kw)


def ref_rmsprop(
    p, g, s, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
    maximize=False,
):  # fmt: skip
    g = -g if maximize else g
    g = g + weight_decay * p
    v = s["v"] = alpha * s.get("v", 0) + (1 - alpha) * g * g
    if centered:
        a = s["a"] = alpha * s.get("a", 0) + (1 - alpha) * g
        denom = np.sqrt(v - a * a) + eps
    else:
        denom = np.sqrt(v) + eps
    if momentum > 0:
        s["buf"] = momentum * s.get("buf", 0) + g / denom
        return p - lr * s["buf"]
    return p - lr * g / denom


def ref_adagrad(
    p, g, s, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10,
    maximize=False,
):  # fmt: skip
    t = s["t"] = s.get("t", 0) + 1
    g = -g if maximize else g
    g = g + weight_decay * p
    s["sum"] = s.get("sum", initial_accumulator_value) + g * g
    return p - lr / (1 + (t - 1) * lr_decay) * g / (np.sqrt(s["sum"]) + eps)


REFERENCES = {
    "SGD": ref_sgd,
    "Adam": ref_adam,
    "AdamW": ref_adamw,
    "RMSprop": ref_rmsprop,
    "Adagrad": ref_adagrad,
}


def run_reference(name, kwargs, params0, grad_fn, steps=STEPS):
    rule = REFERENCES[name]
    params = [p.copy() for p in params0]
    states: list[dict] = [{} for _ in params]
    traj = []
    for t in range(steps):
        grads = grad_fn(params, t)
        params = [rule(p, g, s, **kwargs) for p, g, s in zip(params, grads, states)]
        traj.append([p.copy() for p in params])
    return traj


# ---------------------------------------------------------------------- every option combination
def _sgd_configs():
    for momentum in (0.0, 0.9):
        for dampening in (0.0, 0.3):
            for nesterov in (False, True):
                if nesterov and (momentum == 0 or dampening != 0):
                    continue
                for weight_decay in (0.0, 0.1):
                    for maximize in (False, True):
                        yield dict(
                            lr=0.05,
                            momentum=momentum,
                            dampening=dampening,
                            nesterov=nesterov,
                            weight_decay=weight_decay,
                            maximize=maximize,
                        )


def _adam_configs(weight_decays):
    for amsgrad in (False, True):
        for weight_decay in weight_decays:
            for maximize in (False, True):
                yield dict(
                    lr=0.01, betas=(0.8, 0.99), weight_decay=weight_decay, amsgrad=amsgrad,
                    maximize=maximize,
                )  # fmt: skip


def _rmsprop_configs():
    for momentum in (0.0, 0.9):
        for centered in (False, True):
            for weight_decay in (0.0, 0.1):
                for maximize in (False, True):
                    yield dict(
                        lr=0.01, alpha=0.9, momentum=momentum, centered=centered,
                        weight_decay=weight_decay, maximize=maximize,
                    )  # fmt: skip


def _adagrad_configs():
    for lr_decay in (0.0, 0.05):
        for weight_decay in (0.0, 0.1):
            for initial in (0.0, 0.5):
                for maximize in (False, True):
                    yield dict(
                        lr=0.1, lr_decay=lr_decay, weight_decay=weight_decay,
                        initial_accumulator_value=initial, maximize=maximize,
                    )  # fmt: skip


CONFIGS = (
    [("SGD", kw) for kw in _sgd_configs()]
    + [("Adam", kw) for kw in _adam_configs((0.0, 0.1))]
    + [("AdamW", kw) for kw in _adam_configs((0.0, 1e-2, 0.1))]
    + [("RMSprop", kw) for kw in _rmsprop_configs()]
    + [("Adagrad", kw) for kw in _adagrad_configs()]
    + [(name, {}) for name in ("Adam", "AdamW", "RMSprop", "Adagrad")]  # the defaults
    + [("SGD", dict(lr=0.1))]
)


def _config_id(config):
    name, kw = config
    return name + "-" + ",".join(f"{k}={v}" for k, v in kw.items() if k != "lr")


@pytest.mark.parametrize("config", CONFIGS, ids=_config_id)
def test_matches_plain_update_rule(config):
    name, kwargs = config
    params0, grad_fn = make_params(), make_grad_fn()
    ours = run_minigrad(lambda ps: getattr(optim, name)(ps, **kwargs), params0, grad_fn)
    expected = run_reference(name, kwargs, params0, grad_fn)
    assert_trajectories_close(ours, expected, rtol=1e-10)


@pytest.mark.torch
@pytest.mark.parametrize("config", CONFIGS, ids=_config_id)
def test_matches_pytorch_trajectory(config, torch):
    name, kwargs = config
    params0, grad_fn = make_params(), make_grad_fn()
    ours = run_minigrad(lambda ps: getattr(optim, name)(ps, **kwargs), params0, grad_fn)

    theirs = run_torch(torch, lambda ps: getattr(torch.optim, name)(ps, **kwargs), params0, grad_fn)
    assert_trajectories_close(ours, theirs, rtol=1e-6)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"])
def test_float32_params_keep_float32_state(name):
    params0 = make_params(dtype=np.float32)
    kwargs = {"lr": 0.01, **({"momentum": 0.9} if name in ("SGD", "RMSprop") else {})}
    opts: list = []
    traj = run_minigrad(
        lambda ps: getattr(optim, name)(ps, **kwargs), params0, make_grad_fn(), 10, opt_out=opts
    )
    assert all(p.dtype == np.float32 for p in traj[-1])
    for state in opts[0].state.values():
        for value in state.values():
            assert not isinstance(value, np.ndarray) or value.dtype == np.float32
    expected = run_reference(name, kwargs, params0, make_grad_fn(), 10)
    for x, y in zip(traj[-1], expected[-1]):
        np.testing.assert_allclose(x, y, rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------- momentum persists
def test_sgd_momentum_persists_across_steps_and_zero_grad():
    w = minigrad.tensor([0.0], dtype=minigrad.float64, requires_grad=True)
    opt = optim.SGD([w], lr=1.0, momentum=0.9)
    positions = []
    for _ in range(5):
        opt.zero_grad()
        w.grad = minigrad.tensor([1.0], dtype=minigrad.float64)
        opt.step()
        positions.append(w.item())
    velocity = np.cumsum([1.0, 0.9, 0.81, 0.729, 0.6561])  # 1, 1.9, 2.71, ...
    np.testing.assert_allclose(positions, -np.cumsum(velocity))
    buf = opt.state[w]["momentum_buffer"]
    opt.step()
    assert opt.state[w]["momentum_buffer"] is buf  # updated in place, never rebuilt


@pytest.mark.parametrize("name,key", [("RMSprop", "square_avg"), ("Adam", "exp_avg")])
def test_running_averages_persist(name, key):
    w = minigrad.tensor([0.0], dtype=minigrad.float64, requires_grad=True)
    kwargs = {"momentum": 0.5} if name == "RMSprop" else {}
    opt = getattr(optim, name)([w], **kwargs)
    values = []
    for _ in range(3):
        opt.zero_grad()
        w.grad = minigrad.tensor([1.0], dtype=minigrad.float64)
        opt.step()
        values.append(opt.state[w][key].item())
    assert values[0] < values[1] < values[2]


# ---------------------------------------------------------------------- mechanics
def test_step_updates_in_place_and_bumps_version():
    w = minigrad.ones(3, requires_grad=True)
    data, version = w.numpy(), w._version
    opt = optim.Adam([w], lr=0.1)
    (w * w).sum().backward()
    opt.step()
    assert w.numpy() is data and w._version == version + 1
    assert not np.array_equal(data, np.ones(3))


def test_grad_none_is_skipped_and_gets_no_state():
    a, b = minigrad.ones(2, requires_grad=True), minigrad.ones(2, requires_grad=True)
    opt = optim.SGD([a, b], lr=0.5, momentum=0.9)
    a.grad = minigrad.ones(2)
    opt.step()
    assert np.array_equal(b.numpy(), np.ones(2)) and b not in opt.state
    assert np.array_equal(a.numpy(), np.full(2, 0.5))


def test_zero_grad():
    w = minigrad.ones(2, requires_grad=True)
    opt = optim.SGD([w], lr=0.1)
    (w * 3).sum().backward()
    grad = w.grad
    opt.zero_grad(set_to_none=False)
    assert w.grad is grad and np.array_equal(grad.numpy(), np.zeros(2))
    opt.zero_grad()
    assert w.grad is None
    opt.step()  # nothing to do
    assert np.array_equal(w.numpy(), np.ones(2))


def test_closure_runs_with_grad_enabled_and_returns_loss():
    w = minigrad.tensor([2.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.25)

    def closure():
        assert minigrad.is_grad_enabled()
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with minigrad.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 4.0 and w.item() == 1.0


def test_param_groups_override_defaults():
    a, b = minigrad.ones(1, requires_grad=True), minigrad.ones(1, requires_grad=True)
    opt = optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5, "momentum": 0.9}], lr=0.1)
    assert opt.param_groups[0]["momentum"] == 0 and opt.param_groups[1]["momentum"] == 0.9
    a.grad, b.grad = minigrad.ones(1), minigrad.ones(1)
    opt.step()
    np.testing.assert_allclose([a.item(), b.item()], [0.9, 0.5])
    assert "momentum_buffer" in opt.state[b] and a not in opt.state


def test_add_param_group():
    a = minigrad.ones(1, requires_grad=True)
    opt = optim.Adam([a], lr=0.1)
    b = minigrad.ones(2, requires_grad=True)
    opt.add_param_group({"params": [b], "betas": (0.5, 0.9)})
    assert opt.param_groups[1]["lr"] == 0.1 and opt.param_groups[1]["betas"] == (0.5, 0.9)
    b.grad = minigrad.ones(2)
    opt.step()
    assert opt.state[b]["step"] == 1
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [a]})
    with pytest.raises(ValueError, match="beta parameter at index 0"):
        opt.add_param_group({"params": [minigrad.ones(1)], "betas": (1.0, 0.9)})


def test_accepts_tensor_subclasses_and_generators():
    class Param(Tensor):
        pass

    p = Param(np.ones(2), requires_grad=True)
    opt = optim.SGD((q for q in [p]), lr=0.5)
    p.grad = minigrad.ones(2)
    opt.step()
    assert np.array_equal(p.numpy(), np.full(2, 0.5, dtype=np.float32))


def test_accepts_nn_parameters():
    try:
        Parameter = getattr(importlib.import_module("minigrad.nn"), "Parameter", None)
    except ImportError:
        Parameter = None
    if Parameter is None:
        pytest.skip("minigrad.nn.Parameter is not there yet")
    p = Parameter(minigrad.ones(2))
    opt = optim.Adam([p], lr=0.1)
    (p * p).sum().backward()
    opt.step()
    np.testing.assert_allclose(p.numpy(), np.full(2, 0.9), rtol=1e-6)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda p: optim.SGD(p, lr=-1), "learning rate"),
        (lambda p: optim.SGD(p, momentum=-0.1), "momentum"),
        (lambda p: optim.SGD(p, weight_decay=-1), "weight_decay"),
        (lambda p: optim.SGD(p, nesterov=True), "Nesterov"),
        (lambda p: optim.SGD(p, momentum=0.9, dampening=0.1, nesterov=True), "Nesterov"),
        (lambda p: optim.Adam(p, betas=(0.9, 1.0)), "beta parameter at index 1"),
        (lambda p: optim.Adam(p, betas=(-0.1, 0.9)), "beta parameter at index 0"),
        (lambda p: optim.Adam(p, betas=(0.9,)), "two values"),
        (lambda p: optim.Adam(p, eps=-1), "epsilon"),
        (lambda p: optim.AdamW(p, weight_decay=-1), "weight_decay"),
        (lambda p: optim.RMSprop(p, alpha=-1), "alpha"),
        (lambda p: optim.RMSprop(p, momentum=-1), "momentum"),
        (lambda p: optim.Adagrad(p, lr_decay=-1), "lr_decay"),
        (lambda p: optim.Adagrad(p, initial_accumulator_value=-1), "initial_accumulator"),
        (lambda p: optim.SGD([{"params": p, "lr": -0.5}], lr=0.1), "learning rate"),
        (lambda p: optim.Adadelta(p, rho=1.5), "Invalid rho value: 1.5"),
        (lambda p: optim.Adadelta(p, eps=-1), "Invalid epsilon value: -1"),
        (lambda p: optim.Adamax(p, betas=(0.9, 1.0)), "beta parameter at index 1"),
        (lambda p: optim.NAdam(p, momentum_decay=-1), "Invalid momentum_decay value: -1"),
        (lambda p: optim.RAdam(p, weight_decay=-1), "Invalid weight_decay value: -1"),
        (lambda p: optim.ASGD(p, lr=-1), "Invalid learning rate: -1"),
        (lambda p: optim.LBFGS(p, line_search_fn="armijo"), "None or 'strong_wolfe'"),
        (lambda p: optim.LBFGS(p, max_iter=0), "max_iter must be a positive integer"),
        (lambda p: optim.Adam(p, capturable=True), "capturable=True is not supported"),
        (lambda p: optim.NAdam(p, differentiable=True), "differentiable=True is not supported"),
        (lambda p: optim.SGD([{"params": p, "differentiable": True}]), "differentiable"),
    ],
)
def test_bad_options_raise(make, match):
    with pytest.raises(ValueError, match=match):
        make([minigrad.ones(1, requires_grad=True)])


def test_bad_params_raise():
    w = minigrad.ones(2, requires_grad=True)
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="single Tensor"):
        optim.SGD(w, lr=0.1)
    with pytest.raises(ValueError, match="appears twice"):
        optim.SGD([w, w], lr=0.1)
    with pytest.raises(ValueError, match="more than one parameter group"):
        optim.SGD([{"params": [w]}, {"params": [w]}], lr=0.1)
    with pytest.raises(TypeError, match="only optimize Tensors"):
        optim.SGD([np.ones(2)], lr=0.1)
    with pytest.raises(ValueError, match="non-leaf"):
        optim.SGD([w * 2], lr=0.1)
    with pytest.raises(TypeError, match="ordered"):
        optim.SGD([{"params": {w}}], lr=0.1)


def test_repr_lists_groups():
    opt = optim.SGD([minigrad.ones(1, requires_grad=True)], lr=0.1, momentum=0.9)
    text = repr(opt)
    assert text.startswith("SGD (") and "Parameter Group 0" in text and "momentum: 0.9" in text


# ---------------------------------------------------------------------- checkpoints
def _contains_tensor(obj) -> bool:
    if isinstance(obj, Tensor):
        return True
    if isinstance(obj, dict):
        return any(_contains_tensor(v) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return any(_contains_tensor(v) for v in obj)
    return False


def test_state_dict_layout():
    a, b, c = (minigrad.ones(s, requires_grad=True) for s in [(2,), (3,), (1,)])
    opt = optim.Adam([{"params": [a, b]}, {"params": [c], "lr": 0.1}], amsgrad=True)
    a.grad, c.grad = minigrad.ones(2), minigrad.ones(1)
    opt.step()
    sd = opt.state_dict()
    assert [g["params"] for g in sd["param_groups"]] == [[0, 1], [2]]
    assert sd["param_groups"][1]["lr"] == 0.1 and sd["param_groups"][0]["betas"] == (0.9, 0.999)
    assert sorted(sd["state"]) == [0, 2]
    assert sorted(sd["state"][0]) == ["exp_avg", "exp_avg_sq", "max_exp_avg_sq", "step"]
    assert sd["state"][0]["step"] == 1 and isinstance(sd["state"][0]["exp_avg"], np.ndarray)
    assert not _contains_tensor(sd)
    # a snapshot: later steps do not change it
    saved = sd["state"][0]["exp_avg"].copy()
    opt.step()
    assert np.array_equal(sd["state"][0]["exp_avg"], saved)


def test_load_state_dict_mismatch_raises():
    a, b = minigrad.ones(2, requires_grad=True), minigrad.ones(2, requires_grad=True)
    sd = optim.SGD([a, b], lr=0.1).state_dict()
    with pytest.raises(ValueError, match="parameter group 0 has 2 parameters"):
        optim.SGD([a], lr=0.1).load_state_dict(sd)
    two_groups = optim.SGD([{"params": [a]}, {"params": [b]}], lr=0.1).state_dict()
    with pytest.raises(ValueError, match="2 parameter groups, but the optimizer has 1"):
        optim.SGD([a, b], lr=0.1).load_state_dict(two_groups)
    with pytest.raises(ValueError, match="state for parameter 5"):
        optim.SGD([a, b], lr=0.1).load_state_dict({**sd, "state": {5: {}}})
    bad = {**sd, "state": {1: {"momentum_buffer": np.zeros(3)}}}
    with pytest.raises(ValueError, match=r"'momentum_buffer' of parameter 1 has shape \(3,\)"):
        optim.SGD([a, b], lr=0.1).load_state_dict(bad)


def _like_npz(sd):
    """What a trip through an .npz file gives back: string keys and 0-d arrays for numbers."""

    def arr(v):
        if isinstance(v, (bool, int, float)):
            return np.array(v)
        if isinstance(v, tuple):
            return np.array(v)
        return v

    return {
        "state": {str(i): {k: arr(v) for k, v in s.items()} for i, s in sd["state"].items()},
        "param_groups": [
            {k: (v if k == "params" else arr(v)) for k, v in g.items()} for g in sd["param_groups"]
        ],
    }


ROUNDTRIP_CONFIGS = [
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("SGD", dict(lr=0.05, momentum=0.5, dampening=0.5)),
    ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.1)),
    ("AdamW", dict(lr=0.01)),
    ("RMSprop", dict(momentum=0.9, centered=True)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.05, initial_accumulator_value=0.1)),
    ("Adadelta", dict(lr=0.5, rho=0.8, weight_decay=0.01)),
    ("Adamax", dict(lr=0.01, weight_decay=0.1)),
    ("NAdam", dict(lr=0.01, momentum_decay=0.1, weight_decay=0.1, decoupled_weight_decay=True)),
    ("RAdam", dict(lr=0.01, betas=(0.8, 0.9), weight_decay=0.1)),
    ("ASGD", dict(lr=0.05, lambd=0.01, t0=3, weight_decay=0.01)),
]


@given(
    config=st.sampled_from(ROUNDTRIP_CONFIGS),
    split=st.integers(0, 15),
    seed=st.integers(0, 2**16),
    dtype=st.sampled_from([np.float32, np.float64]),
    through_npz=st.booleans(),
)
def test_state_dict_roundtrip_resumes_bit_for_bit(config, split, seed, dtype, through_npz):
    name, kwargs = config
    steps = 15
    params0, grad_fn = make_params(seed, dtype), make_grad_fn(seed + 1)
    make = lambda ps: getattr(optim, name)(ps, **kwargs)  # noqa: E731
    straight = run_minigrad(make, params0, grad_fn, steps)

    opts: list = []
    first = run_minigrad(make, params0, grad_fn, split, opt_out=opts)
    checkpoint = copy.deepcopy(opts[0].state_dict())
    if through_npz:
        checkpoint = _like_npz(checkpoint)
    resume_from = first[-1] if first else params0

    def make_resumed(ps):  # a fresh optimizer with other hyper-parameters, then the checkpoint
        opt = getattr(optim, name)(ps, lr=0.5)
        opt.load_state_dict(checkpoint)
        return opt

    rest = run_minigrad(make_resumed, resume_from, grad_fn, steps - split, start=split)
    for x, y in zip((first + rest)[-1], straight[-1]):
        assert x.dtype == y.dtype and np.array_equal(x, y)


@pytest.mark.parametrize("config", ROUNDTRIP_CONFIGS, ids=_config_id)
def test_checkpoint_through_a_file_resumes_bit_for_bit(config, tmp_path):
    """Optimizer and scheduler state through minigrad.save/load, then the same trajectory."""
    name, kwargs = config
    params0, grad_fn = make_params(3), make_grad_fn(4)

    def make(ps):
        opt = getattr(optim, name)(ps, **kwargs)
        opt.scheduler = optim.lr_scheduler.MultiStepLR(opt, milestones=[2, 6, 6], gamma=0.5)
        step = opt.step

        def step_and_schedule():
            step()
            opt.scheduler.step()

        opt.step = step_and_schedule
        return opt

    straight = run_minigrad(make, params0, grad_fn, 10)
    opts: list = []
    first = run_minigrad(make, params0, grad_fn, 4, opt_out=opts)
    path = tmp_path / "checkpoint.npz"
    minigrad.save({"optim": opts[0].state_dict(), "sched": opts[0].scheduler.state_dict()}, path)
    checkpoint = minigrad.load(path)

    def make_resumed(ps):
        opt = make(ps)
        opt.load_state_dict(checkpoint["optim"])
        opt.scheduler.load_state_dict(checkpoint["sched"])
        return opt

    rest = run_minigrad(make_resumed, first[-1], grad_fn, 6, start=4)
    for x, y in zip(rest[-1], straight[-1]):
        assert np.array_equal(x, y)


# ---------------------------------------------------------------------- convergence
@given(
    n=st.integers(1, 6),
    seed=st.integers(0, 2**16),
    momentum=st.sampled_from([0.0, 0.5, 0.9]),
    nesterov=st.booleans(),
)
def test_sgd_decreases_a_convex_quadratic(n, seed, momentum, nesterov):
    rng = np.random.default_rng(seed)
    B = rng.standard_normal((n, n))
    A = B @ B.T + 0.1 * np.eye(n)
    b = rng.standard_normal(n)
    x_star = np.linalg.solve(A, b)
    At, bt = minigrad.tensor(A), minigrad.tensor(b)
    x = minigrad.tensor(x_star + rng.standard_normal(n) + 1.0, requires_grad=True)
    lr = 1.0 / np.linalg.eigvalsh(A).max()
    nesterov = nesterov and momentum > 0
    opt = optim.SGD([x], lr=lr, momentum=momentum, nesterov=nesterov)

    def loss():
        return 0.5 * (x * (At @ x)).sum() - (bt * x).sum()

    f_star = 0.5 * x_star @ A @ x_star - b @ x_star
    losses = []
    for _ in range(60):
        opt.zero_grad()
        value = loss()
        value.backward()
        losses.append(value.item() - f_star)
        opt.step()
    losses.append(loss().item() - f_star)
    assert losses[-1] < losses[0]
    if momentum == 0:  # plain gradient descent with lr <= 1/L never goes uphill
        assert all(b <= a + 1e-12 * (1 + abs(a)) for a, b in itertools.pairwise(losses))
