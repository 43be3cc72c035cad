"""Tests of minigrad.optim.lr_scheduler: known sequences, PyTorch parity, checkpoints."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad import optim
from minigrad.optim import lr_scheduler as ours_mod

LRS = (0.1, 0.02)  # two parameter groups with different learning rates


def make_optimizer(kind: str = "SGD", lib=None):
    """An optimizer with two parameter groups, from minigrad (lib=None) or torch."""
    if lib is None:
        params = [minigrad.ones(2, requires_grad=True), minigrad.ones(1, requires_grad=True)]
        cls = getattr(optim, kind)
    else:
        params = [lib.ones(2, requires_grad=True), lib.ones(1, requires_grad=True)]
        cls = getattr(lib.optim, kind)
    extra = {"momentum": 0.9} if kind == "SGD" else {}
    groups = [{"params": [p], "lr": lr} for p, lr in zip(params, LRS)]
    return cls(groups, **extra)


class Halving:
    """A callable object (its attributes are saved by LambdaLR.state_dict)."""

    def __init__(self, base: float) -> None:
        self.base = base

    def __call__(self, epoch: int) -> float:
        return self.base**epoch


SPECS = {
    "LambdaLR": lambda opt, m: m.LambdaLR(opt, lambda e: 1.0 / (1 + e)),
    "LambdaLR-per-group": lambda opt, m: m.LambdaLR(opt, [lambda e: 0.9**e, Halving(0.7)]),
    "StepLR": lambda opt, m: m.StepLR(opt, step_size=4, gamma=0.3),
    "MultiStepLR": lambda opt, m: m.MultiStepLR(opt, milestones=[3, 7, 7, 12], gamma=0.5),
    "ExponentialLR": lambda opt, m: m.ExponentialLR(opt, gamma=0.9),
    "CosineAnnealingLR": lambda opt, m: m.CosineAnnealingLR(opt, T_max=10, eta_min=0.001),
    "LinearLR": lambda opt, m: m.LinearLR(opt, start_factor=0.2, end_factor=0.9, total_iters=6),
    "LinearLR-decay": lambda opt, m: m.LinearLR(opt, start_factor=1.0, end_factor=0.0),
    "OneCycleLR": lambda opt, m: m.OneCycleLR(opt, max_lr=[1.0, 0.5], total_steps=40),
    "OneCycleLR-linear-3phase": lambda opt, m: m.OneCycleLR(
        opt, max_lr=0.3, epochs=4, steps_per_epoch=10, anneal_strategy="linear", three_phase=True
    ),
    "SequentialLR-warmup-cosine": lambda opt, m: m.SequentialLR(
        opt,
        [m.LinearLR(opt, start_factor=0.1, total_iters=5), m.CosineAnnealingLR(opt, T_max=15)],
        milestones=[5],
    ),
    "SequentialLR-multistep": lambda opt, m: m.SequentialLR(
        opt,
        [m.ExponentialLR(opt, gamma=0.9), m.MultiStepLR(opt, milestones=[2, 4, 4], gamma=0.5)],
        milestones=[25],
    ),
    "SequentialLR-three": lambda opt, m: m.SequentialLR(
        opt,
        [
            m.ExponentialLR(opt, gamma=0.8),
            m.LambdaLR(opt, lambda e: 1 + e),
            m.StepLR(opt, step_size=3, gamma=0.5),
        ],
        milestones=[4, 9],
    ),
    "MultiplicativeLR": lambda opt, m: m.MultiplicativeLR(opt, lambda e: 0.95),
    "MultiplicativeLR-per-group": lambda opt, m: m.MultiplicativeLR(
        opt, [lambda e: 0.5 if e % 3 == 0 else 1.0, Halving(0.99)]
    ),
    "ConstantLR": lambda opt, m: m.ConstantLR(opt, factor=0.5, total_iters=4),
    "ConstantLR-default": lambda opt, m: m.ConstantLR(opt),
    "PolynomialLR": lambda opt, m: m.PolynomialLR(opt, total_iters=30, power=2.0),
    "PolynomialLR-default": lambda opt, m: m.PolynomialLR(opt),
    "CosineAnnealingWarmRestarts": lambda opt, m: m.CosineAnnealingWarmRestarts(
        opt, T_0=5, eta_min=0.001
    ),
    "CosineAnnealingWarmRestarts-mult": lambda opt, m: m.CosineAnnealingWarmRestarts(
        opt, T_0=3, T_mult=2
    ),
    "CyclicLR": lambda opt, m: m.CyclicLR(opt, base_lr=0.01, max_lr=[0.1, 0.2], step_size_up=4),
    "CyclicLR-triangular2": lambda opt, m: m.CyclicLR(
        opt,
        base_lr=[0.01, 0.02],
        max_lr=0.1,
        step_size_up=3,
        step_size_down=5,
        mode="triangular2",
        base_momentum=0.7,
        max_momentum=[0.95, 0.9],
    ),
    "CyclicLR-exp_range": lambda opt, m: m.CyclicLR(
        opt, base_lr=0.01, max_lr=0.1, step_size_up=5, mode="exp_range", gamma=0.97
    ),
    "CyclicLR-scale_fn": lambda opt, m: m.CyclicLR(
        opt,
        base_lr=0.01,
        max_lr=0.1,
        step_size_up=2,
        scale_fn=lambda x: 1 / (1 + x),
        scale_mode="iterations",
        cycle_momentum=False,
    ),
    "ChainedScheduler": lambda opt, m: m.ChainedScheduler(
        [m.ConstantLR(opt, factor=0.1, total_iters=3), m.ExponentialLR(opt, gamma=0.9)]
    ),
    "ChainedScheduler-three": lambda opt, m: m.ChainedScheduler(
        [
            m.LinearLR(opt, start_factor=0.2, total_iters=5),
            m.CosineAnnealingLR(opt, T_max=10),
            m.MultiplicativeLR(opt, lambda e: 0.99),
        ],
        optimizer=opt,
    ),
    "SequentialLR-warm-restarts": lambda opt, m: m.SequentialLR(
        opt,
        [m.ConstantLR(opt, factor=0.5, total_iters=3), m.CosineAnnealingWarmRestarts(opt, T_0=4)],
        milestones=[6],
    ),
    "SequentialLR-polynomial": lambda opt, m: m.SequentialLR(
        opt,
        [m.LinearLR(opt, start_factor=0.1, total_iters=5), m.PolynomialLR(opt, total_iters=20)],
        milestones=[5],
    ),
}
STEPS = 40  # OneCycleLR's total_steps


def trace(opt, sched, steps=STEPS):
    """Learning rates (and momenta) in use at each of ``steps`` epochs, stepping after each."""
    out = []
    for _ in range(steps):
        group = opt.param_groups[0]
        momentum = group.get("momentum", group.get("betas", (None,))[0])
        out.append((list(sched.get_last_lr()), [g["lr"] for g in opt.param_groups], momentum))
        opt.step()
        sched.step()
    return out


def assert_traces_equal(a, b):
    assert len(a) == len(b)
    for t, (x, y) in enumerate(zip(a, b)):
        assert x[0] == pytest.approx(y[0], rel=1e-12, abs=1e-15), f"get_last_lr at step {t}"
        assert x[1] == pytest.approx(y[1], rel=1e-12, abs=1e-15), f"group lr at step {t}"
        assert x[2] == pytest.approx(y[2], rel=1e-12), f"momentum at step {t}"


# ---------------------------------------------------------------------- PyTorch parity
@pytest.mark.torch
@pytest.mark.parametrize("kind", ["SGD", "Adam"])
@pytest.mark.parametrize("name", list(SPECS))
def test_sequence_matches_pytorch(name, kind, torch):
    opt = make_optimizer(kind)
    ours = trace(opt, SPECS[name](opt, ours_mod))
    topt = make_optimizer(kind, torch)
    theirs = trace(topt, SPECS[name](topt, torch.optim.lr_scheduler))
    assert_traces_equal(ours, theirs)


@st.composite
def random_schedule(draw):
    """A scheduler spec with drawn hyper-parameters (a builder taking (optimizer, module))."""
    kind = draw(
        st.sampled_from(
            ["step", "multistep", "exp", "cos", "linear", "onecycle", "sequential", "constant",
             "poly", "warm", "cyclic", "mult", "chained"]
        )
    )  # fmt: skip
    pos = st.integers(1, 12)
    factor = st.floats(0.05, 1.0)
    if kind == "constant":
        f, n = draw(factor), draw(pos)
        return lambda o, m: m.ConstantLR(o, factor=f, total_iters=n)
    if kind == "poly":
        n, power = draw(pos), draw(st.floats(0.5, 3.0))
        return lambda o, m: m.PolynomialLR(o, total_iters=n, power=power)
    if kind == "warm":
        t0, mult, eta = draw(pos), draw(st.integers(1, 3)), draw(st.floats(0.0, 0.01))
        return lambda o, m: m.CosineAnnealingWarmRestarts(o, T_0=t0, T_mult=mult, eta_min=eta)
    if kind == "cyclic":
        up, down = draw(pos), draw(st.one_of(st.none(), pos))
        mode, gamma = (
            draw(st.sampled_from(["triangular", "triangular2", "exp_range"])),
            draw(factor),
        )
        return lambda o, m: m.CyclicLR(
            o, base_lr=0.01, max_lr=0.5, step_size_up=up, step_size_down=down, mode=mode,
            gamma=gamma,
        )  # fmt: skip
    if kind == "mult":
        gamma = draw(factor)
        return lambda o, m: m.MultiplicativeLR(o, lambda e: gamma)
    if kind == "chained":
        f, n, gamma = draw(factor), draw(pos), draw(factor)
        return lambda o, m: m.ChainedScheduler(
            [m.ConstantLR(o, factor=f, total_iters=n), m.ExponentialLR(o, gamma=gamma)]
        )
    if kind == "step":
        size, gamma = draw(pos), draw(factor)
        return lambda o, m: m.StepLR(o, step_size=size, gamma=gamma)
    if kind == "multistep":
        miles, gamma = draw(st.lists(pos, max_size=5)), draw(factor)
        return lambda o, m: m.MultiStepLR(o, milestones=miles, gamma=gamma)
    if kind == "exp":
        gamma = draw(factor)
        return lambda o, m: m.ExponentialLR(o, gamma=gamma)
    if kind == "cos":
        t_max, eta = draw(pos), draw(st.floats(0.0, 0.01))
        return lambda o, m: m.CosineAnnealingLR(o, T_max=t_max, eta_min=eta)
    if kind == "linear":
        start, end, n = draw(factor), draw(st.floats(0.0, 1.0)), draw(pos)
        return lambda o, m: m.LinearLR(o, start_factor=start, end_factor=end, total_iters=n)
    if kind == "onecycle":
        pct = draw(st.floats(0.1, 0.9))
        strategy, three = draw(st.sampled_from(["cos", "linear"])), draw(st.booleans())
        return lambda o, m: m.OneCycleLR(
            o, max_lr=1.0, total_steps=40, pct_start=pct, anneal_strategy=strategy,
            three_phase=three,
        )  # fmt: skip
    warm, t_max = draw(pos), draw(pos)
    return lambda o, m: m.SequentialLR(
        o,
        [m.LinearLR(o, start_factor=0.1, total_iters=warm), m.CosineAnnealingLR(o, T_max=t_max)],
        milestones=[warm],
    )


@pytest.mark.torch
@given(build=random_schedule())
def test_random_schedules_match_pytorch(build, torch):
    opt = make_optimizer()
    ours = trace(opt, build(opt, ours_mod))
    topt = make_optimizer("SGD", torch)
    theirs = trace(topt, build(topt, torch.optim.lr_scheduler))
    assert_traces_equal(ours, theirs)


# ---------------------------------------------------------------------- known values
def lrs_of(sched, steps):
    out = []
    for _ in range(steps):
        out.append(sched.get_last_lr()[0])
        sched.step()
    return out


def test_known_sequences():
    opt = make_optimizer()
    assert lrs_of(ours_mod.StepLR(opt, 2, gamma=0.5), 5) == pytest.approx(
        [0.1, 0.1, 0.05, 0.05, 0.025]
    )
    opt = make_optimizer()
    assert lrs_of(ours_mod.MultiStepLR(opt, [1, 3], gamma=0.1), 4) == pytest.approx(
        [0.1, 0.01, 0.01, 0.001]
    )
    opt = make_optimizer()
    assert lrs_of(ours_mod.ExponentialLR(opt, 0.5), 3) == pytest.approx([0.1, 0.05, 0.025])
    opt = make_optimizer()
    assert lrs_of(ours_mod.LinearLR(opt, 0.5, 1.0, total_iters=2), 4) == pytest.approx(
        [0.05, 0.075, 0.1, 0.1]
    )


def test_cosine_follows_the_closed_form():
    opt = make_optimizer()
    sched = ours_mod.CosineAnnealingLR(opt, T_max=7, eta_min=0.01)
    got = lrs_of(sched, 30)
    want = [0.01 + (0.1 - 0.01) * (1 + math.cos(math.pi * t / 7)) / 2 for t in range(30)]
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_one_cycle_shape():
    opt = make_optimizer("Adam")
    sched = ours_mod.OneCycleLR(opt, max_lr=2.0, total_steps=20, pct_start=0.5)
    lrs, betas = [], []
    for _ in range(20):
        lrs.append(sched.get_last_lr()[0])
        betas.append(opt.param_groups[0]["betas"][0])
        sched.step()
    assert lrs[0] == pytest.approx(2.0 / 25) and max(lrs) == pytest.approx(2.0)
    assert lrs[-1] == pytest.approx(2.0 / 25 / 1e4)
    assert int(np.argmax(lrs)) == int(np.argmin(betas)) == 9  # pct_start * total - 1
    assert betas[0] == 0.95 and min(betas) == pytest.approx(0.85)
    assert opt.param_groups[0]["betas"][1] == 0.999  # beta2 untouched
    with pytest.raises(ValueError, match="total_steps is 20"):
        sched.step()


def test_sequential_restarts_next_scheduler_at_milestone():
    opt = make_optimizer()
    warm = ours_mod.LinearLR(opt, start_factor=0.5, total_iters=2)
    decay = ours_mod.ExponentialLR(opt, gamma=0.5)
    sched = ours_mod.SequentialLR(opt, [warm, decay], milestones=[2])
    assert lrs_of(sched, 5) == pytest.approx([0.05, 0.075, 0.1, 0.05, 0.025])


def test_scheduler_changes_optimizer_steps():
    w = minigrad.tensor([0.0], dtype=minigrad.float64, requires_grad=True)
    opt = optim.SGD([w], lr=1.0)
    sched = ours_mod.StepLR(opt, step_size=1, gamma=0.5)
    for _ in range(3):
        w.grad = minigrad.tensor([1.0], dtype=minigrad.float64)
        opt.step()
        sched.step()
    assert w.item() == pytest.approx(-(1 + 0.5 + 0.25))


# ---------------------------------------------------------------------- checkpoints
def _plain(obj) -> bool:
    """True if obj is made of numbers, strings, None, lists, tuples and dicts only."""
    if isinstance(obj, dict):
        return all(_plain(k) and _plain(v) for k, v in obj.items())
    if isinstance(obj, (list, tuple)):
        return all(_plain(v) for v in obj)
    return obj is None or isinstance(obj, (bool, int, float, str))


@pytest.mark.parametrize("name", list(SPECS))
@pytest.mark.parametrize("split, via_file", [(0, False), (3, False), (17, False), (22, True)])
def test_state_dict_roundtrip_resumes(name, split, via_file, tmp_path):
    kind = "Adam" if name.startswith("OneCycle") else "SGD"
    opt = make_optimizer(kind)
    straight = trace(opt, SPECS[name](opt, ours_mod))

    opt = make_optimizer(kind)
    sched = SPECS[name](opt, ours_mod)
    first = trace(opt, sched, split)
    opt_sd, sched_sd = opt.state_dict(), sched.state_dict()
    assert "optimizer" not in sched_sd and _plain(sched_sd)
    if via_file:
        minigrad.save({"optim": opt_sd, "sched": sched_sd}, tmp_path / "checkpoint.npz")
        loaded = minigrad.load(tmp_path / "checkpoint.npz")
        opt_sd, sched_sd = loaded["optim"], loaded["sched"]

    opt = make_optimizer(kind)  # a new run: build, then load both checkpoints
    sched = SPECS[name](opt, ours_mod)
    opt.load_state_dict(opt_sd)
    sched.load_state_dict(sched_sd)
    rest = trace(opt, sched, STEPS - split)
    assert_traces_equal(first + rest, straight)


def test_lambda_state_dict_keeps_callable_objects_state():
    opt = make_optimizer()
    fn = Halving(0.5)
    sched = ours_mod.LambdaLR(opt, [lambda e: 1.0, fn])
    sd = sched.state_dict()
    assert sd["lr_lambdas"] == [None, {"base": 0.5}]
    fn.base = 0.9
    sched.load_state_dict(sd)
    assert fn.base == 0.5


# ---------------------------------------------------------------------- errors
def test_errors():
    opt = make_optimizer()
    with pytest.raises(TypeError, match="not an Optimizer"):
        ours_mod.StepLR(object(), step_size=1)
    with pytest.raises(ValueError, match="step_size"):
        ours_mod.StepLR(opt, step_size=0)
    with pytest.raises(ValueError, match="start_factor"):
        ours_mod.LinearLR(opt, start_factor=0.0)
    with pytest.raises(ValueError, match="end_factor"):
        ours_mod.LinearLR(opt, end_factor=1.5)
    with pytest.raises(ValueError, match="T_max"):
        ours_mod.CosineAnnealingLR(opt, T_max=0)
    with pytest.raises(ValueError, match="total_steps"):
        ours_mod.OneCycleLR(opt, max_lr=1.0)
    with pytest.raises(ValueError, match="anneal_strategy"):
        ours_mod.OneCycleLR(opt, max_lr=1.0, total_steps=5, anneal_strategy="exp")
    with pytest.raises(ValueError, match="one value per parameter group"):
        ours_mod.OneCycleLR(opt, max_lr=[1.0], total_steps=5)
    with pytest.raises(ValueError, match="cycle_momentum"):
        ours_mod.OneCycleLR(make_optimizer("Adagrad"), max_lr=1.0, total_steps=5)
    with pytest.raises(ValueError, match="lr_lambda"):
        ours_mod.LambdaLR(opt, [lambda e: 1.0])
    a = ours_mod.ExponentialLR(opt, gamma=0.5)
    with pytest.raises(ValueError, match="one milestone fewer"):
        ours_mod.SequentialLR(opt, [a], milestones=[3])
    with pytest.raises(ValueError, match="same optimizer"):
        ours_mod.SequentialLR(make_optimizer(), [a], milestones=[])
    with pytest.raises(KeyError, match="initial_lr"):
        ours_mod.StepLR(make_optimizer(), step_size=2, last_epoch=3)


def test_resume_with_last_epoch_keeps_the_loaded_rates():
    opt = make_optimizer()
    first = ours_mod.CosineAnnealingLR(opt, T_max=10)  # sets initial_lr
    for _ in range(5):
        first.step()
    lr = opt.param_groups[0]["lr"]
    sched = ours_mod.CosineAnnealingLR(opt, T_max=10, last_epoch=4)
    assert sched.last_epoch == 5 and sched.get_last_lr()[0] == lr  # as PyTorch: no jump
    sched.step()
    assert sched.get_last_lr()[0] == pytest.approx(0.1 * (1 + math.cos(math.pi * 6 / 10)) / 2)


# ---------------------------------------------------------------------- ReduceLROnPlateau
def plateau_metrics(seed: int = 0, n: int = 60) -> list[float]:
    """A noisy, falling curve with long plateaus (values repeat, so ties are exercised)."""
    rng = np.random.default_rng(seed)
    steps = np.where(rng.random(n) < 0.3, -rng.random(n), 0.0)
    return list(np.round(10 + np.cumsum(steps) + rng.choice([0, 0, 1e-5, 0.05], n), 6))


PLATEAU_CONFIGS = [
    dict(mode=mode, threshold_mode=tm, patience=patience, cooldown=cooldown, min_lr=min_lr,
         factor=0.5, threshold=threshold)
    for mode in ("min", "max")
    for tm in ("rel", "abs")
    for patience in (0, 3)
    for cooldown in (0, 2)
    for min_lr in (0, [0.01, 0.005])
    for threshold in (1e-4, 0.02)
] + [{}]  # fmt: skip


def trace_plateau(opt, sched, metrics):
    out = []
    for value in metrics:
        opt.step()
        sched.step(value)
        out.append((list(sched.get_last_lr()), [g["lr"] for g in opt.param_groups], 0.9))
    return out


@pytest.mark.torch
@pytest.mark.parametrize("kwargs", PLATEAU_CONFIGS, ids=str)
def test_reduce_on_plateau_matches_pytorch(kwargs, torch):
    metrics = plateau_metrics()
    if kwargs.get("mode") == "max":
        metrics = [20.0 - v for v in metrics]  # rising, with the same plateaus
    opt, topt = make_optimizer(), make_optimizer("SGD", torch)
    ours = trace_plateau(opt, ours_mod.ReduceLROnPlateau(opt, **kwargs), metrics)
    theirs = trace_plateau(
        topt, torch.optim.lr_scheduler.ReduceLROnPlateau(topt, **kwargs), metrics
    )
    assert_traces_equal(ours, theirs)
    assert ours[-1][0] != ours[0][0] or kwargs.get("patience") != 0  # patience 0: it did cut


@pytest.mark.parametrize("split, via_file", [(5, False), (31, True)])
def test_reduce_on_plateau_state_dict_resumes(split, via_file, tmp_path):
    metrics = plateau_metrics(1)
    kwargs = dict(patience=2, cooldown=1, min_lr=0.001, factor=0.3)
    opt = make_optimizer()
    straight = trace_plateau(opt, ours_mod.ReduceLROnPlateau(opt, **kwargs), metrics)
    opt = make_optimizer()
    sched = ours_mod.ReduceLROnPlateau(opt, **kwargs)
    first = trace_plateau(opt, sched, metrics[:split])
    opt_sd, sched_sd = opt.state_dict(), sched.state_dict()
    assert _plain(sched_sd)
    if via_file:
        minigrad.save({"optim": opt_sd, "sched": sched_sd}, tmp_path / "plateau.npz")
        loaded = minigrad.load(tmp_path / "plateau.npz")
        opt_sd, sched_sd = loaded["optim"], loaded["sched"]
    opt = make_optimizer()
    sched = ours_mod.ReduceLROnPlateau(opt)  # other options: the checkpoint restores them
    opt.load_state_dict(opt_sd)
    sched.load_state_dict(sched_sd)
    assert_traces_equal(first + trace_plateau(opt, sched, metrics[split:]), straight)


def test_reduce_on_plateau_known_values_and_errors():
    opt = make_optimizer()
    sched = ours_mod.ReduceLROnPlateau(opt, patience=1, factor=0.5, min_lr=[0.05, 0.0])
    lrs = []
    for value in [5.0, 5.0, 5.0, 5.0, 5.0, 4.0]:
        sched.step(minigrad.tensor(value))  # a 0-d tensor works, as float() does
        lrs.append(sched.get_last_lr())
    assert lrs == [
        [0.1, 0.02],
        [0.1, 0.02],
        [0.05, 0.01],
        [0.05, 0.01],
        [0.05, 0.005],
        [0.05, 0.005],
    ]
    with pytest.raises(ValueError, match=r"Factor should be < 1\.0"):
        ours_mod.ReduceLROnPlateau(opt, factor=1.0)
    with pytest.raises(ValueError, match="mode up is unknown"):
        ours_mod.ReduceLROnPlateau(opt, mode="up")
    with pytest.raises(ValueError, match="threshold mode pct is unknown"):
        ours_mod.ReduceLROnPlateau(opt, threshold_mode="pct")
    with pytest.raises(ValueError, match="one value per parameter group"):
        ours_mod.ReduceLROnPlateau(opt, min_lr=[0.1])


def test_new_scheduler_errors():
    opt = make_optimizer()
    with pytest.raises(TypeError, match="lr_lambda should be a function"):
        ours_mod.MultiplicativeLR(opt, 0.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        ours_mod.ConstantLR(opt, factor=1.5)
    with pytest.raises(ValueError, match="positive integer T_0"):
        ours_mod.CosineAnnealingWarmRestarts(opt, T_0=0)
    with pytest.raises(ValueError, match="T_mult >= 1"):
        ours_mod.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=0)
    with pytest.raises(ValueError, match="mode must be"):
        ours_mod.CyclicLR(opt, 0.1, 1.0, mode="sine")
    with pytest.raises(ValueError, match="momentum or beta1"):
        ours_mod.CyclicLR(make_optimizer("Adagrad"), 0.1, 1.0)
    with pytest.raises(ValueError, match="at least one scheduler"):
        ours_mod.ChainedScheduler([])
    with pytest.raises(ValueError, match="same optimizer"):
        ours_mod.ChainedScheduler([ours_mod.StepLR(opt, 2), ours_mod.StepLR(make_optimizer(), 2)])
    with pytest.raises(ValueError, match="does not support `ReduceLROnPlateau`"):
        ours_mod.ChainedScheduler([ours_mod.ReduceLROnPlateau(opt)])


@pytest.mark.torch
def test_scheduler_names_and_signatures_are_pytorchs(torch):
    import inspect

    theirs = torch.optim.lr_scheduler
    assert set(ours_mod.__all__) == set(theirs.__all__)
    for name in theirs.__all__:
        a = inspect.signature(getattr(ours_mod, name)).parameters
        b = inspect.signature(getattr(theirs, name)).parameters
        assert list(a) == list(b), name
        assert [p.default for p in a.values()] == [p.default for p in b.values()], name
