"""The layers of minigrad.nn.layers_more against PyTorch: state dicts copied by name
(both directions), float64 forward, input and parameter gradients, reprs, default
initialisation statistics, and errors that name both sides."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
from minigrad import nn
from minigrad.testing import gradgradcheck

rng = np.random.default_rng(0)


def _s(*dims: int) -> str:
    """A regex for a shape as messages print it: ``(2, 3)`` or ``minigrad.Size([2, 3])``."""
    inner = ", ".join(str(d) for d in dims)
    return rf"(?:\({inner},?\)|(?:minigrad\.)?Size\(\[{inner}\]\))"


def _x(*shape: int) -> Any:
    return lambda: rng.standard_normal(shape)


CASES = [
    ("conv1d", lambda m: m.Conv1d(3, 4, 3), _x(2, 3, 7)),
    ("conv1d_full", lambda m: m.Conv1d(4, 6, 3, stride=2, padding=2, dilation=2, groups=2,
                                      bias=False), _x(2, 4, 9)),
    ("conv1d_same", lambda m: m.Conv1d(2, 3, 4, padding="same"), _x(1, 2, 6)),
    ("conv1d_reflect", lambda m: m.Conv1d(2, 3, 3, padding=2, padding_mode="reflect"), _x(2, 2, 5)),
    ("conv1d_circular", lambda m: m.Conv1d(2, 3, 3, padding=1, padding_mode="circular"),
     _x(2, 2, 5)),
    ("conv1d_replicate_same", lambda m: m.Conv1d(2, 3, 4, padding="same",
                                                 padding_mode="replicate"), _x(2, 2, 5)),
    ("conv1d_unbatched", lambda m: m.Conv1d(3, 2, 2), _x(3, 5)),
    ("conv_t1d", lambda m: m.ConvTranspose1d(3, 4, 3), _x(2, 3, 5)),
    ("conv_t1d_full", lambda m: m.ConvTranspose1d(4, 6, 3, stride=2, padding=1, output_padding=1,
                                                  groups=2, dilation=2), _x(2, 4, 5)),
    ("maxpool1d", lambda m: m.MaxPool1d(3, 2, 1), _x(2, 3, 8)),
    ("maxpool1d_ceil", lambda m: m.MaxPool1d(2, ceil_mode=True, dilation=2), _x(2, 3, 8)),
    ("avgpool1d", lambda m: m.AvgPool1d(3, 2, 1, count_include_pad=False), _x(2, 3, 8)),
    ("adaptive_avg1d", lambda m: m.AdaptiveAvgPool1d(3), _x(2, 3, 7)),
    ("adaptive_max1d", lambda m: m.AdaptiveMaxPool1d(3), _x(2, 3, 7)),
    ("adaptive_max2d", lambda m: m.AdaptiveMaxPool2d((2, 3)), _x(2, 3, 5, 7)),
    ("adaptive_max2d_none", lambda m: m.AdaptiveMaxPool2d((None, 2)), _x(1, 2, 3, 5)),
    ("upsample_nearest", lambda m: m.Upsample(scale_factor=2), _x(1, 2, 3, 4)),
    ("upsample_size", lambda m: m.Upsample(size=(5, 7)), _x(1, 2, 3, 4)),
    ("upsample_bilinear", lambda m: m.Upsample(scale_factor=1.5, mode="bilinear"), _x(1, 2, 3, 4)),
    ("upsample_bilinear_ac", lambda m: m.Upsample(size=(4, 6), mode="bilinear",
                                                  align_corners=True), _x(1, 2, 3, 4)),
    ("upsample_linear", lambda m: m.Upsample(scale_factor=3, mode="linear"), _x(1, 2, 4)),
    ("pixel_shuffle", lambda m: m.PixelShuffle(2), _x(2, 8, 3, 2)),
    ("pixel_unshuffle", lambda m: m.PixelUnshuffle(2), _x(2, 2, 4, 6)),
    ("unflatten", lambda m: m.Unflatten(1, (2, -1)), _x(3, 6, 2)),
    ("fold", lambda m: m.Fold((4, 5), (2, 3), padding=1, stride=(1, 2)), _x(2, 12, 15)),
    ("unfold", lambda m: m.Unfold((2, 3), dilation=(2, 1), padding=1), _x(2, 3, 4, 5)),
    ("zeropad2d", lambda m: m.ZeroPad2d((1, 2, 0, 1)), _x(2, 3, 4, 4)),
    ("zeropad2d_crop", lambda m: m.ZeroPad2d((-1, 2, 1, -2)), _x(2, 3, 4, 4)),
    ("zeropad1d", lambda m: m.ZeroPad1d(2), _x(2, 3, 4)),
    ("constpad2d", lambda m: m.ConstantPad2d(1, 3.5), _x(2, 3, 4)),
    ("constpad1d", lambda m: m.ConstantPad1d((2, 0), -1.0), _x(3, 4)),
    ("reflectpad2d", lambda m: m.ReflectionPad2d((1, 2, 2, 0)), _x(2, 3, 4, 4)),
    ("reflectpad1d", lambda m: m.ReflectionPad1d(2), _x(2, 3, 4)),
    ("replicatepad2d", lambda m: m.ReplicationPad2d(2), _x(2, 3, 4, 4)),
    ("replicatepad1d", lambda m: m.ReplicationPad1d((3, 1)), _x(3, 4)),
    ("circularpad2d", lambda m: m.CircularPad2d((1, 2, 2, 1)), _x(2, 3, 4, 4)),
    ("circularpad1d", lambda m: m.CircularPad1d(2), _x(2, 3, 4)),
]  # fmt: skip
IDS = [c[0] for c in CASES]


@pytest.mark.filterwarnings("ignore:Using padding=.same.")
@pytest.mark.parametrize(("name", "factory", "inputs"), CASES, ids=IDS)
def test_layer_matches_torch(name: str, factory: Any, inputs: Any) -> None:
    """Weights copied from PyTorch by state-dict name; forward and every gradient agree."""
    torch = pytest.importorskip("torch")
    theirs = factory(torch.nn).double()
    ours = factory(nn).double()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict(theirs.state_dict())
    assert repr(ours) == repr(theirs)
    x = inputs()
    x_o = minigrad.tensor(x).requires_grad_()
    x_t = torch.tensor(x, requires_grad=True)
    out_o, out_t = ours(x_o), theirs(x_t)
    np.testing.assert_allclose(out_o.numpy(), out_t.detach().numpy(), rtol=1e-10, atol=1e-12)
    upstream = rng.standard_normal(out_o.shape)
    out_o.backward(minigrad.tensor(upstream))
    out_t.backward(torch.tensor(upstream))
    np.testing.assert_allclose(x_o.grad.numpy(), x_t.grad.numpy(), rtol=1e-9, atol=1e-12)
    theirs_params = dict(theirs.named_parameters())
    for pname, p in ours.named_parameters():
        np.testing.assert_allclose(
            p.grad.numpy(), theirs_params[pname].grad.numpy(), rtol=1e-9, atol=1e-12,
            err_msg=f"{name}: gradient of {pname}",
        )  # fmt: skip


@pytest.mark.parametrize("kind", ["Conv1d", "ConvTranspose1d"])
def test_state_dict_moves_to_torch_and_init_is_torchs(kind: str) -> None:
    torch = pytest.importorskip("torch")
    ours = getattr(nn, kind)(8, 16, 5)
    theirs = getattr(torch.nn, kind)(8, 16, 5)
    theirs.load_state_dict({k: torch.tensor(np.asarray(v)) for k, v in ours.state_dict().items()})
    x = rng.standard_normal((2, 8, 11)).astype(np.float32)
    np.testing.assert_allclose(
        ours(minigrad.tensor(x)).numpy(), theirs(torch.tensor(x)).detach().numpy(), atol=1e-5
    )
    for (_k, a), (_, b) in zip(ours.state_dict().items(), theirs.state_dict().items()):
        assert a.shape == tuple(b.shape) and a.dtype == b.numpy().dtype
    # PyTorch's init: weight and bias uniform in +-1/sqrt(fan_in), fan_in from weight dims 1..
    fan_in = ours.weight.shape[1] * 5
    bound = 1 / np.sqrt(fan_in)
    w, b = np.abs(ours.weight.detach().numpy()), np.abs(ours.bias.detach().numpy())
    assert w.max() <= bound + 1e-7 and w.max() > 0.95 * bound  # 640 draws fill the range
    assert b.max() <= bound + 1e-7


def test_conv_transpose1d_output_size_as_torch() -> None:
    torch = pytest.importorskip("torch")
    ours, theirs = (
        nn.ConvTranspose1d(2, 3, 3, stride=3).double(),
        torch.nn.ConvTranspose1d(2, 3, 3, stride=3).double(),
    )
    ours.load_state_dict(theirs.state_dict())
    x = rng.standard_normal((1, 2, 4))
    for size in ([12], [13], [1, 3, 14]):
        np.testing.assert_allclose(
            ours(minigrad.tensor(x), output_size=size).numpy(),
            theirs(torch.tensor(x), output_size=size).detach().numpy(), rtol=1e-12,
        )  # fmt: skip
    with pytest.raises(ValueError, match="valid sizes range from 12 to 14"):
        ours(minigrad.tensor(x), output_size=15)


def test_conv1d_input_gradgradcheck() -> None:
    layer = nn.Conv1d(2, 3, 3, padding=1, padding_mode="reflect").double()
    x = minigrad.tensor(rng.standard_normal((2, 2, 5))).requires_grad_()
    assert gradgradcheck(lambda x, w: layer(x) * 1.0, [x, layer.weight])


@settings(max_examples=25, deadline=None)
@given(
    r=st.integers(1, 3),
    c=st.integers(1, 2),
    h=st.integers(1, 3),
    w=st.integers(1, 3),
    lead=st.sampled_from([(), (2,), (1, 2)]),
)
def test_pixel_unshuffle_inverts_pixel_shuffle(r: int, c: int, h: int, w: int, lead: Any) -> None:
    x = minigrad.tensor(rng.standard_normal((*lead, c * r * r, h, w)))
    y = nn.PixelShuffle(r)(x)
    assert y.shape == (*lead, c, h * r, w * r)
    np.testing.assert_array_equal(nn.PixelUnshuffle(r)(y).numpy(), x.numpy())


@settings(max_examples=25, deadline=None)
@given(
    k=st.integers(1, 3), s=st.integers(1, 2), p=st.integers(0, 1), h=st.integers(3, 5),
    w=st.integers(3, 5),
)  # fmt: skip
def test_fold_is_the_adjoint_of_unfold(k: int, s: int, p: int, h: int, w: int) -> None:
    """<unfold(x), y> == <x, fold(y)>: fold is unfold's transpose."""
    x = minigrad.tensor(rng.standard_normal((2, 2, h, w)))
    cols = nn.Unfold(k, padding=p, stride=s)(x)
    y = minigrad.tensor(rng.standard_normal(cols.shape))
    back = nn.Fold((h, w), k, padding=p, stride=s)(y)
    np.testing.assert_allclose((cols * y).sum().item(), (x * back).sum().item(), rtol=1e-10)


@settings(max_examples=25, deadline=None)
@given(pads=st.lists(st.integers(0, 2), min_size=4, max_size=4))
def test_zero_pad_then_negative_pad_is_identity(pads: list[int]) -> None:
    x = minigrad.tensor(rng.standard_normal((1, 2, 3, 3)))
    y = nn.ZeroPad2d(tuple(-p for p in pads))(nn.ZeroPad2d(tuple(pads))(x))
    np.testing.assert_array_equal(y.numpy(), x.numpy())


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: nn.Conv1d(3, 4, 3)(minigrad.zeros(2, 2, 5)), RuntimeError,
         r"input has 2 channels but weight expects 3 \(weight shape " + _s(4, 3, 3)),
        (lambda: nn.Conv1d(3, 4, 3)(minigrad.zeros(1, 2, 3, 5)), RuntimeError,
         r"expected a 2-D \(C, L\) or 3-D \(N, C, L\) input, got a 4-D input of shape"),
        (lambda: nn.Conv1d(3, 4, 3, groups=2), ValueError, r"in_channels \(3\).*groups \(2\)"),
        (lambda: nn.Conv1d(3, 4, 3, padding_mode="mirror"), ValueError, "padding_mode"),
        (lambda: nn.ConvTranspose1d(3, 4, 3)(minigrad.zeros(1, 2, 5)), RuntimeError,
         r"input has 2 channels but weight expects 3"),
        (lambda: nn.MaxPool1d(0), ValueError, "kernel_size must be an int >= 1"),
        (lambda: nn.PixelShuffle(2)(minigrad.zeros(1, 3, 2, 2)), RuntimeError,
         r"divisible by upscale_factor\^2 = 4, got shape " + _s(1, 3, 2, 2)),
        (lambda: nn.PixelUnshuffle(2)(minigrad.zeros(1, 1, 3, 2)), RuntimeError,
         r"divisible by downscale_factor = 2, got shape " + _s(1, 1, 3, 2)),
        (lambda: nn.Unflatten(1, (4, 2))(minigrad.zeros(2, 6)), RuntimeError,
         r"\(4, 2\) does not match dimension 1 of size 6"),
        (lambda: nn.Fold((4, 4), 2)(minigrad.zeros(1, 4, 5)), RuntimeError,
         r"3 \* 3 = 9, but got input.size\(2\)=5"),
        (lambda: nn.ReflectionPad1d(3)(minigrad.zeros(1, 2, 3)), RuntimeError,
         r"reflect padding \(3, 3\) must be smaller than dimension 2's size 3"),
        (lambda: nn.ReflectionPad2d(1)(minigrad.zeros(1, 1, 1, 2, 2)), NotImplementedError,
         r"4 pad values need a 3-D or 4-D input, got shape " + _s(1, 1, 1, 2, 2)),
        (lambda: nn.ZeroPad2d((1, 2, 3)), ValueError, "4 ints"),
        (lambda: nn.Upsample(scale_factor=2, mode="bilinear")(minigrad.zeros(1, 1, 4)),
         ValueError, r"mode 'bilinear' needs a 4-D input, got shape " + _s(1, 1, 4)),
        (lambda: nn.Upsample(size=3, mode="nearest", align_corners=True)(minigrad.zeros(1, 1, 4)),
         ValueError, "align_corners only applies"),
        (lambda: minigrad.nn.functional.interpolate(minigrad.zeros(1, 1, 4)), ValueError,
         "exactly one of size and scale_factor"),
        (lambda: nn.AdaptiveMaxPool2d(2)(minigrad.zeros(2, 3)), RuntimeError,
         r"expected a 3-D or 4-D input, got shape " + _s(2, 3)),
        (lambda: minigrad.nn.functional.pad(minigrad.zeros(2, 3), (1, 1), mode="edge"),
         NotImplementedError, "mode must be"),
        (lambda: minigrad.nn.functional.pad(minigrad.zeros(2, 3), (1, 1, 1)), ValueError,
         "even length"),
        (lambda: minigrad.nn.functional.pad(minigrad.zeros(2, 3), (1, 1), mode="reflect",
                                            value=2.0), ValueError, "doesn't take in value"),
    ],
)  # fmt: skip
def test_errors_name_both_sides(call: Any, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call()


LAYERS = ["Conv1d", "ConvTranspose1d", "MaxPool1d", "AvgPool1d", "AdaptiveAvgPool1d",
          "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "Upsample", "PixelShuffle", "PixelUnshuffle",
          "Unflatten", "Fold", "Unfold", "ZeroPad1d", "ZeroPad2d", "ConstantPad1d",
          "ConstantPad2d", "ReflectionPad1d", "ReflectionPad2d", "ReplicationPad1d",
          "ReplicationPad2d", "CircularPad1d", "CircularPad2d"]  # fmt: skip
FUNCTIONS = ["interpolate", "pad", "unfold", "fold"]  # the others are C builtins in torch


def _params(fn: Any) -> list[tuple[str, Any]]:
    import inspect

    sig = inspect.signature(fn)
    return [
        (p.name, p.default) for p in sig.parameters.values() if p.name not in ("self", "device")
    ]


@pytest.mark.parametrize("name", LAYERS)
def test_layer_signature_is_torchs(name: str) -> None:
    """Argument names, order and defaults as torch's (``device`` aside: not here yet)."""
    torch = pytest.importorskip("torch")
    assert _params(getattr(nn, name).__init__) == _params(getattr(torch.nn, name).__init__)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_functional_signature_is_torchs(name: str) -> None:
    torch = pytest.importorskip("torch")
    assert _params(getattr(nn.functional, name)) == _params(getattr(torch.nn.functional, name))
