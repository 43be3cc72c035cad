"""Layers: gradients against numerical ones, forward and gradients against PyTorch (after
copying weights by state-dict name), BatchNorm's running statistics, train/eval modes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
from minigrad import nn
from minigrad.testing import gradcheck, gradgradcheck

rng = np.random.default_rng(0)


def randn(*shape: int) -> np.ndarray:
    return rng.standard_normal(shape)


def labels(n: int, classes: int) -> np.ndarray:
    return rng.integers(0, classes, size=n)


# Each case: (minigrad layer factory, matching torch layer factory name + args, inputs).
# The factory receives the nn namespace (minigrad.nn or torch.nn), so both sides are
# built from the same line.
Case = tuple[str, Callable[[Any], Any], Callable[[], list[np.ndarray]]]

CASES: list[Case] = [
    ("linear", lambda nn: nn.Linear(5, 3), lambda: [randn(4, 5)]),
    ("linear-3d-nobias", lambda nn: nn.Linear(5, 3, bias=False), lambda: [randn(2, 3, 5)]),
    ("conv", lambda nn: nn.Conv2d(3, 4, 3, stride=2, padding=1), lambda: [randn(2, 3, 7, 6)]),
    (
        "conv-groups-dilation",
        lambda nn: nn.Conv2d(4, 6, 3, groups=2, dilation=2, bias=False),
        lambda: [randn(2, 4, 7, 7)],
    ),
    ("conv-same", lambda nn: nn.Conv2d(2, 3, (3, 2), padding="same"), lambda: [randn(1, 2, 5, 5)]),
    (
        "conv-transpose",
        lambda nn: nn.ConvTranspose2d(4, 3, 3, stride=2, padding=1, output_padding=1),
        lambda: [randn(2, 4, 4, 3)],
    ),
    (
        "conv-transpose-groups",
        lambda nn: nn.ConvTranspose2d(4, 6, 2, groups=2),
        lambda: [randn(1, 4, 3, 3)],
    ),
    ("maxpool", lambda nn: nn.MaxPool2d(2), lambda: [randn(2, 3, 6, 5)]),
    (
        "maxpool-overlap",
        lambda nn: nn.MaxPool2d(3, stride=2, padding=1),
        lambda: [randn(1, 2, 7, 7)],
    ),
    ("avgpool", lambda nn: nn.AvgPool2d(2), lambda: [randn(2, 3, 6, 4)]),
    (
        "avgpool-pad",
        lambda nn: nn.AvgPool2d(3, 2, 1, count_include_pad=False),
        lambda: [randn(1, 2, 7, 6)],
    ),
    ("adaptive-avgpool", lambda nn: nn.AdaptiveAvgPool2d((2, 3)), lambda: [randn(2, 2, 5, 7)]),
    ("global-avgpool", lambda nn: nn.AdaptiveAvgPool2d(1), lambda: [randn(2, 3, 4, 4)]),
    ("flatten", lambda nn: nn.Flatten(), lambda: [randn(2, 3, 2, 2)]),
    ("flatten-range", lambda nn: nn.Flatten(0, 2), lambda: [randn(2, 3, 2, 2)]),
    ("identity", lambda nn: nn.Identity(), lambda: [randn(3, 2)]),
    ("bn1d", lambda nn: nn.BatchNorm1d(3), lambda: [randn(5, 3) * 2 + 1]),
    ("bn1d-3d", lambda nn: nn.BatchNorm1d(3, momentum=None), lambda: [randn(4, 3, 5)]),
    ("bn2d", lambda nn: nn.BatchNorm2d(3), lambda: [randn(4, 3, 3, 2) * 3 - 1]),
    ("bn2d-noaffine", lambda nn: nn.BatchNorm2d(2, affine=False), lambda: [randn(3, 2, 2, 2)]),
    ("bn2d-nobias", lambda nn: nn.BatchNorm2d(2, bias=False), lambda: [randn(3, 2, 2, 2)]),
    (
        "bn2d-notrack",
        lambda nn: nn.BatchNorm2d(2, track_running_stats=False),
        lambda: [randn(3, 2, 2, 2)],
    ),
    ("relu", lambda nn: nn.ReLU(), lambda: [randn(3, 4)]),
    ("leaky-relu", lambda nn: nn.LeakyReLU(0.2), lambda: [randn(3, 4)]),
    ("gelu", lambda nn: nn.GELU(), lambda: [randn(3, 4)]),
    ("gelu-tanh", lambda nn: nn.GELU(approximate="tanh"), lambda: [randn(3, 4)]),
    ("sigmoid", lambda nn: nn.Sigmoid(), lambda: [randn(3, 4)]),
    ("tanh", lambda nn: nn.Tanh(), lambda: [randn(3, 4)]),
    ("softmax", lambda nn: nn.Softmax(dim=1), lambda: [randn(3, 4)]),
    ("log-softmax", lambda nn: nn.LogSoftmax(dim=-1), lambda: [randn(2, 3, 4)]),
    ("cross-entropy", lambda nn: nn.CrossEntropyLoss(), lambda: [randn(5, 4), labels(5, 4)]),
    (
        "cross-entropy-options",
        lambda nn: nn.CrossEntropyLoss(
            weight=_weights(nn, [1.0, 2.0, 0.5, 1.5]), ignore_index=1, label_smoothing=0.1
        ),
        lambda: [randn(6, 4, 2), labels(12, 4).reshape(6, 2)],
    ),
    ("nll", lambda nn: nn.NLLLoss(reduction="sum"), lambda: [randn(5, 3), labels(5, 3)]),
    ("mse", lambda nn: nn.MSELoss(), lambda: [randn(3, 4), randn(3, 4)]),
    ("l1-none", lambda nn: nn.L1Loss(reduction="none"), lambda: [randn(3, 4), randn(3, 4)]),
    (
        "bce-logits",
        lambda nn: nn.BCEWithLogitsLoss(pos_weight=_weights(nn, [0.5, 2.0, 1.0])),
        lambda: [randn(4, 3), rng.uniform(size=(4, 3))],
    ),
    (
        "bce",
        lambda nn: nn.BCELoss(reduction="sum"),
        lambda: [rng.uniform(0.05, 0.95, size=(4, 3)), rng.uniform(size=(4, 3))],
    ),
]


def _weights(namespace: Any, values: list[float]) -> Any:
    if namespace is nn:
        return minigrad.tensor(values)
    import torch

    return torch.tensor(values)


IDS = [name for name, _, _ in CASES]


def _float_inputs(arrays: list[np.ndarray]) -> list[minigrad.Tensor]:
    return [
        minigrad.tensor(a, dtype=np.float64, requires_grad=True)
        if a.dtype.kind == "f"
        else minigrad.tensor(a)
        for a in arrays
    ]


@pytest.mark.parametrize(("name", "factory", "inputs"), CASES, ids=IDS)
def test_layer_gradients_pass_gradcheck(name: str, factory: Any, inputs: Any) -> None:
    layer = factory(nn).double()
    xs = _float_inputs(inputs())
    if name.startswith(("bce", "mse", "l1")):
        xs[1].requires_grad_(False)  # the target is data
    params = list(layer.parameters())
    n = len(xs)
    assert gradcheck(lambda *args: layer(*args[:n]), [*xs, *params])
    if name.startswith("bn"):
        layer.eval()  # the evaluation path too
        assert gradcheck(lambda *args: layer(*args[:n]), [*xs, *params])


@pytest.mark.filterwarnings("ignore:Using padding='same'")
@pytest.mark.parametrize(("name", "factory", "inputs"), CASES, ids=IDS)
def test_layer_matches_torch(name: str, factory: Any, inputs: Any, torch: Any) -> None:
    """Weights copied from PyTorch by state-dict name; forward and every gradient agree."""
    theirs = factory(torch.nn).double()
    ours = factory(nn).double()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict(theirs.state_dict())
    arrays = inputs()
    steps = 3 if name.startswith("bn") else 1  # BN: running statistics over several steps
    for step in range(steps + (1 if name.startswith("bn") else 0)):
        if step == steps:  # finally, evaluation mode with the accumulated statistics
            ours.eval()
            theirs.eval()
        xs_o = _float_inputs(arrays)
        xs_t = [
            torch.tensor(a, dtype=torch.float64, requires_grad=True)
            if a.dtype.kind == "f"
            else torch.tensor(a)
            for a in arrays
        ]
        out_o, out_t = ours(*xs_o), theirs(*xs_t)
        np.testing.assert_allclose(out_o.numpy(), out_t.detach().numpy(), rtol=1e-10, atol=1e-12)
        upstream = rng.standard_normal(out_o.shape)
        out_o.backward(minigrad.tensor(upstream))
        out_t.backward(torch.tensor(upstream))
        for x_o, x_t in zip(xs_o, xs_t):
            if x_t.requires_grad:
                np.testing.assert_allclose(
                    x_o.grad.numpy(), x_t.grad.numpy(), rtol=1e-9, atol=1e-12
                )
        theirs_params = dict(theirs.named_parameters())
        for pname, p in ours.named_parameters():
            np.testing.assert_allclose(
                p.grad.numpy(), theirs_params[pname].grad.numpy(), rtol=1e-9, atol=1e-12
            )
        ours.zero_grad()
        theirs.zero_grad()
        for key, value in theirs.state_dict().items():  # running statistics included
            np.testing.assert_allclose(ours.state_dict()[key], value.numpy(), rtol=1e-12)
        arrays = [a * 1.5 + 0.3 if a.dtype.kind == "f" else a for a in arrays]


# --------------------------------------------------------------------------- BatchNorm


@settings(max_examples=15)
@given(
    shape=st.sampled_from([(4, 3), (3, 3, 5), (2, 3, 4, 3), (5, 3, 1, 1)]),
    momentum=st.sampled_from([0.1, 0.5, None]),
    affine=st.booleans(),
    steps=st.integers(1, 4),
    scale=st.floats(0.1, 10.0),
)
def test_batchnorm_running_statistics_match_torch(
    torch: Any, shape: tuple[int, ...], momentum: float | None, affine: bool, steps: int,
    scale: float,
) -> None:  # fmt: skip
    ns_o, ns_t = (nn, torch.nn)
    name = "BatchNorm2d" if len(shape) == 4 else "BatchNorm1d"
    ours = getattr(ns_o, name)(3, momentum=momentum, affine=affine)
    theirs = getattr(ns_t, name)(3, momentum=momentum, affine=affine)
    gen = np.random.default_rng(steps)
    for _ in range(steps):
        x = (gen.standard_normal(shape) * scale + gen.standard_normal()).astype(np.float32)
        out_o, out_t = ours(minigrad.tensor(x)), theirs(torch.tensor(x))
        np.testing.assert_allclose(out_o.numpy(), out_t.detach().numpy(), rtol=1e-4, atol=1e-4)
    for key, value in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[key], value.numpy(), rtol=1e-5, atol=1e-6)
    x = gen.standard_normal(shape).astype(np.float32)
    ours.eval()
    theirs.eval()
    np.testing.assert_allclose(
        ours(minigrad.tensor(x)).numpy(), theirs(torch.tensor(x)).detach().numpy(),
        rtol=1e-4, atol=1e-5,
    )  # fmt: skip


def test_batchnorm_second_derivatives() -> None:
    bn = nn.BatchNorm2d(2).double()
    with minigrad.no_grad():
        bn.weight.copy_(np.array([0.5, 2.0]))
        bn.bias.copy_(np.array([0.1, -0.3]))
    x = minigrad.tensor(randn(3, 2, 2, 2), requires_grad=True)
    assert gradgradcheck(lambda x, w, b: bn(x), [x, bn.weight, bn.bias])
    bn1 = nn.BatchNorm1d(3, affine=False).double()
    assert gradgradcheck(lambda x: bn1(x), [minigrad.tensor(randn(4, 3), requires_grad=True)])


def test_batchnorm_errors() -> None:
    with pytest.raises(ValueError, match="expected 4D input"):
        nn.BatchNorm2d(3)(minigrad.zeros(2, 3))
    with pytest.raises(ValueError, match="expected 2D or 3D input"):
        nn.BatchNorm1d(3)(minigrad.zeros(2, 3, 4, 4))
    with pytest.raises(ValueError, match="has 4 channels"):
        nn.BatchNorm2d(3)(minigrad.zeros(2, 4, 2, 2))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        nn.BatchNorm1d(3)(minigrad.zeros(1, 3))
    nn.BatchNorm1d(3).eval()(minigrad.zeros(1, 3))  # fine in evaluation mode


def test_batchnorm_float32_training_step_is_accurate(torch: Any) -> None:
    x = (randn(16, 8, 6, 6) * 4 + 3).astype(np.float32)
    g = randn(16, 8, 6, 6).astype(np.float32)
    ours, theirs = nn.BatchNorm2d(8), torch.nn.BatchNorm2d(8)
    xo, xt = minigrad.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours(xo).backward(minigrad.tensor(g))
    theirs(xt).backward(torch.tensor(g))
    assert xo.grad.dtype == np.float32 and ours.weight.grad.dtype == np.float32
    np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), rtol=1e-3, atol=1e-5)
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), rtol=1e-3)


# --------------------------------------------------------------------------- train / eval


@given(p=st.floats(0.1, 0.9), seed=st.integers(0, 1000))
def test_train_eval_switches_dropout_and_batchnorm(p: float, seed: int) -> None:
    minigrad.manual_seed(seed)
    net = nn.Sequential(nn.BatchNorm1d(4), nn.Dropout(p))
    x = minigrad.randn(64, 4) * 3 + 2
    y = net(x).numpy()
    kept = y != 0
    assert 0 < kept.mean() < 1  # dropout is active in training mode
    normalised = (x.numpy() - x.numpy().mean(0)) / np.sqrt(x.numpy().var(0) + 1e-5)
    np.testing.assert_allclose(y[kept], (normalised / (1 - p))[kept], rtol=1e-4, atol=1e-4)
    stats = net[0].running_mean.numpy().copy()
    net.eval()
    y1, y2 = net(x).numpy(), net(x).numpy()
    np.testing.assert_array_equal(y1, y2)  # deterministic: no dropout
    running = net[0]
    expected = (x.numpy() - running.running_mean.numpy()) / np.sqrt(
        running.running_var.numpy() + 1e-5
    )
    np.testing.assert_allclose(y1, expected, rtol=1e-4, atol=1e-4)  # running statistics
    np.testing.assert_array_equal(running.running_mean.numpy(), stats)  # and no update
    net.train()
    assert not np.array_equal(net(x).numpy(), net(x).numpy())


def test_dropout_gradient_follows_the_mask() -> None:
    drop = nn.Dropout(0.25)
    x = minigrad.ones(1000, requires_grad=True)
    y = drop(x)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.numpy())  # 0 or 1/(1-p), where the mask is
    np.testing.assert_allclose(sorted(set(y.tolist())), [0.0, 1 / 0.75], rtol=1e-6)
    np.testing.assert_array_equal(nn.Dropout(0.0)(x).numpy(), x.numpy())
    np.testing.assert_array_equal(nn.Dropout(1.0)(x).numpy(), 0.0)
    with pytest.raises(ValueError, match="between 0 and 1"):
        nn.Dropout(1.5)


@settings(max_examples=10)
@given(
    batch=st.lists(st.integers(1, 3), min_size=1, max_size=2),
    features=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    bias=st.booleans(),
)
def test_linear_gradients_any_shape(
    batch: list[int], features: tuple[int, int], bias: bool
) -> None:
    lin = nn.Linear(*features, bias=bias).double()
    x = minigrad.tensor(rng.standard_normal((*batch, features[0])), requires_grad=True)
    assert lin(x).shape == (*batch, features[1])
    assert gradcheck(lambda x, *ps: lin(x), [x, *lin.parameters()])


def test_conv_layer_validation() -> None:
    with pytest.raises(ValueError, match="divisible by groups"):
        nn.Conv2d(3, 4, 3, groups=2)
    with pytest.raises(NotImplementedError, match="padding_mode"):
        nn.Conv2d(3, 4, 3, padding_mode="reflect")
    conv = nn.Conv2d(3, 4, (3, 5), stride=(1, 2), bias=False)
    assert conv.weight.shape == (4, 3, 3, 5) and conv.bias is None
    assert list(conv.state_dict()) == ["weight"]
    assert nn.ConvTranspose2d(4, 6, 3, groups=2).weight.shape == (4, 3, 3, 3)


def test_maxpool_return_indices_and_softmax_implicit_dim(torch: Any) -> None:
    x = randn(1, 2, 4, 4)
    values, indices = nn.MaxPool2d(2, return_indices=True)(minigrad.tensor(x))
    tv, ti = torch.nn.MaxPool2d(2, return_indices=True)(torch.tensor(x))
    np.testing.assert_array_equal(values.numpy(), tv.numpy())
    np.testing.assert_array_equal(indices.numpy(), ti.numpy())
    with pytest.warns(UserWarning, match="Implicit dimension"):
        y = nn.Softmax()(minigrad.tensor(randn(2, 3)))
    np.testing.assert_allclose(y.numpy().sum(1), 1.0)
