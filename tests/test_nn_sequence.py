"""Sequence layers against PyTorch: Embedding, LayerNorm/RMSNorm/GroupNorm/InstanceNorm,
RNN/LSTM/GRU and their cells, nn.utils.rnn. Weights are copied by state-dict name in both
directions; forward, input gradients and parameter gradients are compared in float64.
Plus numerical gradient checks and the error messages for bad input."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
from minigrad import nn
from minigrad.nn import functional as F
from minigrad.testing import gradcheck, gradgradcheck

rnn_utils = nn.utils.rnn  # importable as minigrad.nn.utils.rnn, like torch.nn.utils.rnn
PackedSequence = rnn_utils.PackedSequence
pack_padded_sequence, pack_sequence = rnn_utils.pack_padded_sequence, rnn_utils.pack_sequence
pad_packed_sequence, pad_sequence = rnn_utils.pad_packed_sequence, rnn_utils.pad_sequence
unpack_sequence = rnn_utils.unpack_sequence

torch = pytest.importorskip("torch")
rng = np.random.default_rng(0)


def randn(*shape: int) -> np.ndarray:
    return rng.standard_normal(shape)


def _flat(out: Any) -> list[Any]:
    """The tensors of a layer's output (nested tuples, PackedSequence -> its data, no None)."""
    if isinstance(out, (PackedSequence, torch.nn.utils.rnn.PackedSequence)):
        return [out.data]
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in _flat(o)]
    return [] if out is None else [out]


def compare_with_torch(
    make: Callable[[Any], Any],
    inputs: list[np.ndarray],
    call: Callable[[Any, list[Any], Any], Any] | None = None,
    from_torch: bool = True,
    atol: float = 1e-10,
) -> None:
    """Build the layer in both libraries, copy the weights one way, compare everything.

    ``call(module, inputs, namespace)`` runs the layer (default ``module(*inputs)``); the
    namespace is ``minigrad`` or ``torch`` so that wrappers can be built on either side.
    """
    tm, mm = make(torch.nn).double(), make(nn).double()
    if from_torch:
        mm.load_state_dict(tm.state_dict())
    else:
        tm.load_state_dict({k: torch.tensor(v) for k, v in mm.state_dict().items()})
    assert list(tm.state_dict()) == list(mm.state_dict())
    call = call or (lambda m, xs, lib: m(*xs))
    xt = [torch.tensor(x, requires_grad=x.dtype.kind == "f") for x in inputs]
    xm = [minigrad.tensor(x, requires_grad=x.dtype.kind == "f") for x in inputs]
    outs_t, outs_m = _flat(call(tm, xt, torch)), _flat(call(mm, xm, minigrad))
    assert len(outs_t) == len(outs_m)
    seeds = [randn(*o.shape) for o in outs_t]
    for ot, om in zip(outs_t, outs_m):
        np.testing.assert_allclose(om.numpy(), ot.detach().numpy(), atol=atol, rtol=1e-9)
    sum((o * torch.tensor(s)).sum() for o, s in zip(outs_t, seeds)).backward()
    sum((o * minigrad.tensor(s)).sum() for o, s in zip(outs_m, seeds)).backward()
    for a, b in zip(xt, xm):
        if a.requires_grad:
            np.testing.assert_allclose(b.grad.numpy(), a.grad.numpy(), atol=atol, rtol=1e-9)
    params_m = dict(mm.named_parameters())
    for name, p in tm.named_parameters():
        if p.grad is None:
            assert params_m[name].grad is None or not params_m[name].grad.numpy().any(), name
            continue
        np.testing.assert_allclose(
            params_m[name].grad.numpy(), p.grad.numpy(), atol=atol, rtol=1e-9, err_msg=name
        )


def module_gradcheck(module: Any, inputs: list[np.ndarray], second: bool = False) -> None:
    """gradcheck over the inputs and every parameter of a float64 module."""
    module = module.double()
    xs = [minigrad.tensor(x, requires_grad=True) for x in inputs]
    params = list(module.parameters())
    n = len(xs)

    def fn(*args: Any) -> Any:
        return _flat(module(*args[:n]))

    assert gradcheck(fn, (*xs, *params))
    if second:
        assert gradgradcheck(fn, (*xs, *params))


# --------------------------------------------------------------------------- embedding


EMBEDDINGS = {
    "plain": lambda nn: nn.Embedding(7, 3),
    "padding": lambda nn: nn.Embedding(7, 3, padding_idx=2),
    "negative-padding": lambda nn: nn.Embedding(7, 3, padding_idx=-1),
    "freq": lambda nn: nn.Embedding(7, 3, scale_grad_by_freq=True, padding_idx=0),
}


@pytest.mark.parametrize("from_torch", [True, False])
@pytest.mark.parametrize("name", sorted(EMBEDDINGS))
def test_embedding_matches_torch(name: str, from_torch: bool) -> None:
    idx = np.array([[0, 2, 2, 6], [1, 2, 0, 0]])
    compare_with_torch(EMBEDDINGS[name], [idx], from_torch=from_torch)


def test_embedding_max_norm_renormalises_like_torch() -> None:
    w = randn(6, 4) * 3
    tm = torch.nn.Embedding.from_pretrained(torch.tensor(w), freeze=False, max_norm=1.5)
    mm = nn.Embedding.from_pretrained(minigrad.tensor(w), freeze=False, max_norm=1.5)
    idx = np.array([[1, 3], [3, 5]])
    out_t, out_m = tm(torch.tensor(idx)), mm(minigrad.tensor(idx))
    np.testing.assert_allclose(out_m.numpy(), out_t.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(mm.weight.numpy(), tm.weight.detach().numpy(), atol=1e-12)
    assert np.allclose(mm.weight.numpy()[[0, 2, 4]], w[[0, 2, 4]])  # unused rows untouched


def test_embedding_init_and_from_pretrained() -> None:
    emb = nn.Embedding(1000, 8, padding_idx=3)
    w = emb.weight.numpy()
    assert not w[3].any() and abs(w.std() - 1) < 0.05
    frozen = nn.Embedding.from_pretrained(minigrad.tensor(w))
    assert not frozen.weight.requires_grad and frozen.padding_idx is None
    assert frozen(minigrad.tensor([5])).numpy().tolist() == [w[5].tolist()]


def test_embedding_gradcheck() -> None:
    w = minigrad.tensor(randn(5, 3), requires_grad=True)
    idx = minigrad.tensor([[0, 4, 4], [1, 0, 2]])
    # padding_idx and scale_grad_by_freq change the gradient on purpose (checked against torch)
    assert gradcheck(lambda t: F.embedding(idx, t), (w,))
    assert gradgradcheck(lambda t: F.embedding(idx, t) ** 2, (w,))


def test_embedding_index_out_of_range_names_index_and_size() -> None:
    emb = nn.Embedding(10, 3)
    with pytest.raises(IndexError, match=r"index 12 is out of range .* 10 rows"):
        emb(minigrad.tensor([1, 12]))
    with pytest.raises(IndexError, match="index -1"):
        emb(minigrad.tensor([-1]))
    with pytest.raises(TypeError, match="integer"):
        emb(minigrad.tensor([1.0]))


def test_one_hot_matches_torch() -> None:
    idx = np.array([[0, 3], [2, 1]])
    expected = torch.nn.functional.one_hot(torch.tensor(idx), 5).numpy()
    assert (F.one_hot(minigrad.tensor(idx), 5).numpy() == expected).all()
    assert F.one_hot(minigrad.tensor(idx)).shape == (2, 2, 4)
    with pytest.raises(RuntimeError, match="class value 5 is out of range for num_classes=5"):
        F.one_hot(minigrad.tensor([5]), 5)


# --------------------------------------------------------------------------- normalisation

NORMS = {
    "layernorm": (lambda nn: nn.LayerNorm(5), (3, 4, 5)),
    "layernorm-2d-nobias": (lambda nn: nn.LayerNorm((4, 5), bias=False), (3, 4, 5)),
    "layernorm-noaffine": (lambda nn: nn.LayerNorm(5, elementwise_affine=False), (2, 5)),
    "rmsnorm": (lambda nn: nn.RMSNorm(5), (3, 4, 5)),
    "rmsnorm-eps": (lambda nn: nn.RMSNorm((4, 5), eps=1e-3), (3, 4, 5)),
    "groupnorm": (lambda nn: nn.GroupNorm(2, 6), (3, 6, 4)),
    "groupnorm-4d": (lambda nn: nn.GroupNorm(3, 6, affine=False), (2, 6, 3, 3)),
    "instancenorm1d": (lambda nn: nn.InstanceNorm1d(3, affine=True), (2, 3, 5)),
    "instancenorm1d-unbatched": (lambda nn: nn.InstanceNorm1d(3), (3, 5)),
    "instancenorm2d": (lambda nn: nn.InstanceNorm2d(3, affine=True), (2, 3, 4, 4)),
}


@pytest.mark.parametrize("from_torch", [True, False])
@pytest.mark.parametrize("name", sorted(NORMS))
def test_norm_layers_match_torch(name: str, from_torch: bool) -> None:
    make, shape = NORMS[name]
    compare_with_torch(make, [randn(*shape) * 3 + 1], from_torch=from_torch)


def test_instance_norm_running_stats_match_torch() -> None:
    tm = torch.nn.InstanceNorm2d(3, track_running_stats=True, affine=True).double()
    mm = nn.InstanceNorm2d(3, track_running_stats=True, affine=True).double()
    mm.load_state_dict(tm.state_dict())
    for _ in range(3):
        x = randn(4, 3, 5, 5) * 2 + 1
        tm(torch.tensor(x))
        mm(minigrad.tensor(x))
    for key, value in tm.state_dict().items():
        np.testing.assert_allclose(mm.state_dict()[key], value.numpy(), atol=1e-12, err_msg=key)
    tm.eval()
    mm.eval()
    x = randn(2, 3, 5, 5)
    np.testing.assert_allclose(
        mm(minigrad.tensor(x)).numpy(), tm(torch.tensor(x)).detach().numpy(), atol=1e-12
    )


@pytest.mark.parametrize(
    ("fn", "shape"),
    [
        (lambda x, w, b: F.layer_norm(x, (4,), w, b), (3, 4)),
        (lambda x, w, b: F.group_norm(x, 2, w, b), (2, 4, 3)),
        (lambda x, w, b: F.instance_norm(x, weight=w, bias=b), (2, 4, 3)),
        (lambda x, w, b: F.rms_norm(x, (4,), w) + b, (3, 4)),
    ],
)
def test_norm_functions_gradcheck_and_gradgradcheck(fn: Any, shape: tuple[int, ...]) -> None:
    x = minigrad.tensor(randn(*shape), requires_grad=True)
    c = shape[1] if len(shape) == 3 else shape[-1]
    w = minigrad.tensor(randn(c), requires_grad=True)
    b = minigrad.tensor(randn(c), requires_grad=True)
    assert gradcheck(fn, (x, w, b))
    assert gradgradcheck(fn, (x, w, b))


@pytest.mark.parametrize("p", [1.0, 2.0, 3.0, float("inf")])
def test_normalize_matches_torch_and_has_finite_gradient_at_zero(p: float) -> None:
    x = randn(3, 4)
    x[1] = 0.0
    xt, xm = torch.tensor(x, requires_grad=True), minigrad.tensor(x, requires_grad=True)
    yt = torch.nn.functional.normalize(xt, p=p, dim=1)
    ym = F.normalize(xm, p=p, dim=1)
    np.testing.assert_allclose(ym.numpy(), yt.detach().numpy(), atol=1e-12)
    g = randn(3, 4)
    (yt * torch.tensor(g)).sum().backward()
    (ym * minigrad.tensor(g)).sum().backward()
    np.testing.assert_allclose(xm.grad.numpy(), xt.grad.numpy(), atol=1e-10)


def test_norm_errors_name_both_sides() -> None:
    with pytest.raises(RuntimeError, match=r"input of shape \(2, 3\) does not end in .*\(4,\)"):
        nn.LayerNorm(4)(minigrad.randn(2, 3))
    with pytest.raises(RuntimeError, match=r"5 channels.*num_groups=2"):
        F.group_norm(minigrad.randn(2, 5, 3), 2)
    with pytest.raises(ValueError, match="num_channels=5 must be divisible by num_groups=2"):
        nn.GroupNorm(2, 5)
    with pytest.raises(ValueError, match=r"expected 3D \(unbatched\) or 4D input, got 2D"):
        nn.InstanceNorm2d(3)(minigrad.randn(3, 4))


# --------------------------------------------------------------------------- recurrent layers

RNNS = {
    "rnn-tanh": lambda nn: nn.RNN(4, 5),
    "rnn-relu-2layer-bi": lambda nn: nn.RNN(4, 5, 2, nonlinearity="relu", bidirectional=True),
    "lstm": lambda nn: nn.LSTM(4, 5),
    "lstm-2layer-bi-batchfirst": lambda nn: nn.LSTM(4, 5, 2, batch_first=True, bidirectional=True),
    "lstm-proj-nobias": lambda nn: nn.LSTM(4, 5, 2, bias=False, proj_size=3),
    "lstm-proj-bi": lambda nn: nn.LSTM(4, 6, bidirectional=True, proj_size=2),
    "gru": lambda nn: nn.GRU(4, 5),
    "gru-3layer-bi": lambda nn: nn.GRU(4, 3, 3, bidirectional=True),
}


def _hidden(name: str, batch: int | None) -> list[np.ndarray]:
    """Random initial states for the layer ``RNNS[name]`` (h0, and c0 for an LSTM)."""
    module = RNNS[name](nn)
    rows = module.num_layers * (2 if module.bidirectional else 1)
    lead = (rows,) if batch is None else (rows, batch)
    h0 = randn(*lead, module.proj_size or module.hidden_size)
    return [h0, randn(*lead, module.hidden_size)] if module.mode == "LSTM" else [h0]


def _call_with_state(m: Any, xs: list[Any], lib: Any) -> Any:
    return m(xs[0], tuple(xs[1:])) if len(xs) == 3 else m(xs[0], xs[1])


@pytest.mark.parametrize("from_torch", [True, False])
@pytest.mark.parametrize("name", sorted(RNNS))
def test_rnn_layers_match_torch(name: str, from_torch: bool) -> None:
    batch_first = RNNS[name](nn).batch_first
    x = randn(3, 6, 4) if batch_first else randn(6, 3, 4)
    compare_with_torch(RNNS[name], [x], from_torch=from_torch)
    compare_with_torch(RNNS[name], [x, *_hidden(name, 3)], _call_with_state, from_torch)


@pytest.mark.parametrize("name", ["rnn-tanh", "lstm-proj-bi", "gru-3layer-bi"])
def test_rnn_layers_unbatched_input_match_torch(name: str) -> None:
    compare_with_torch(RNNS[name], [randn(5, 4)])
    compare_with_torch(RNNS[name], [randn(5, 4), *_hidden(name, None)], _call_with_state)


@pytest.mark.parametrize("name", ["rnn-relu-2layer-bi", "lstm-2layer-bi-batchfirst", "gru"])
@pytest.mark.parametrize("enforce_sorted", [True, False])
def test_rnn_layers_accept_packed_sequences_like_torch(name: str, enforce_sorted: bool) -> None:
    batch_first = RNNS[name](nn).batch_first
    lengths = [6, 4, 4, 1] if enforce_sorted else [3, 6, 1, 4]
    x = randn(4, 6, 4) if batch_first else randn(6, 4, 4)

    def call(m: Any, xs: list[Any], lib: Any) -> Any:
        utils = lib.nn.utils.rnn if lib is torch else minigrad.nn.utils.rnn
        packed = utils.pack_padded_sequence(xs[0], lengths, batch_first, enforce_sorted)
        out, state = m(packed, tuple(xs[1:]) if len(xs) == 3 else xs[1])
        return utils.pad_packed_sequence(out, batch_first)[0], state

    compare_with_torch(RNNS[name], [x, *_hidden(name, 4)], call)


@settings(max_examples=12, deadline=None)
@given(
    mode=st.sampled_from(["RNN", "LSTM", "GRU"]),
    steps=st.integers(1, 4),
    batch=st.integers(1, 3),
    sizes=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    layers=st.integers(1, 2),
    bidirectional=st.booleans(),
    batch_first=st.booleans(),
    bias=st.booleans(),
)
def test_rnn_layers_match_torch_for_drawn_options(
    mode: str, steps: int, batch: int, sizes: tuple[int, int], layers: int,
    bidirectional: bool, batch_first: bool, bias: bool,
) -> None:  # fmt: skip
    input_size, hidden = sizes

    def make(lib: Any) -> Any:
        return getattr(lib, mode)(
            input_size, hidden, layers, bias=bias, batch_first=batch_first,
            bidirectional=bidirectional,
        )  # fmt: skip

    shape = (batch, steps, input_size) if batch_first else (steps, batch, input_size)
    compare_with_torch(make, [randn(*shape)])


CELLS = {
    "rnncell": lambda nn: nn.RNNCell(3, 4),
    "rnncell-relu-nobias": lambda nn: nn.RNNCell(3, 4, bias=False, nonlinearity="relu"),
    "lstmcell": lambda nn: nn.LSTMCell(3, 4),
    "grucell": lambda nn: nn.GRUCell(3, 4),
}


@pytest.mark.parametrize("from_torch", [True, False])
@pytest.mark.parametrize("name", sorted(CELLS))
def test_cells_match_torch(name: str, from_torch: bool) -> None:
    compare_with_torch(CELLS[name], [randn(2, 3)], from_torch=from_torch)
    compare_with_torch(CELLS[name], [randn(3)], from_torch=from_torch)
    if name == "lstmcell":
        call = lambda m, xs, lib: m(xs[0], (xs[1], xs[2]))  # noqa: E731
        compare_with_torch(CELLS[name], [randn(2, 3), randn(2, 4), randn(2, 4)], call)
    else:
        compare_with_torch(CELLS[name], [randn(2, 3), randn(2, 4)])


@pytest.mark.parametrize("name", ["rnn-tanh", "lstm-proj-bi", "gru"])
def test_rnn_layers_gradcheck(name: str) -> None:
    module = {
        "rnn-tanh": nn.RNN(2, 3),
        "lstm-proj-bi": nn.LSTM(2, 3, bidirectional=True, proj_size=2),
        "gru": nn.GRU(2, 2, 2),
    }[name]
    module_gradcheck(module, [randn(3, 2, 2)])


@pytest.mark.parametrize("make", [lambda: nn.LSTMCell(2, 2), lambda: nn.GRUCell(2, 2)])
def test_cells_gradgradcheck(make: Callable[[], Any]) -> None:
    module_gradcheck(make(), [randn(2, 2)], second=True)


def test_rnn_parameter_names_shapes_and_init() -> None:
    lstm = nn.LSTM(3, 8, 2, bidirectional=True, proj_size=4)
    ref = torch.nn.LSTM(3, 8, 2, bidirectional=True, proj_size=4)
    assert [(k, tuple(v.shape)) for k, v in lstm.state_dict().items()] == [
        (k, tuple(v.shape)) for k, v in ref.state_dict().items()
    ]
    big = nn.GRU(10, 400)
    w = np.concatenate([p.numpy().ravel() for p in big.parameters()])
    bound = 1 / np.sqrt(400)
    assert w.min() >= -bound and w.max() <= bound and w.std() > 0.9 * bound / np.sqrt(3)
    assert repr(lstm) == repr(ref)


def test_rnn_dropout_between_layers_only_in_training() -> None:
    _ = minigrad.manual_seed(0)
    gru = nn.GRU(3, 4, 2, dropout=0.5).double()
    x = minigrad.tensor(randn(5, 2, 3))
    a, b = gru(x)[0].numpy(), gru(x)[0].numpy()
    assert not np.allclose(a, b)
    gru.eval()
    assert np.array_equal(gru(x)[0].numpy(), gru(x)[0].numpy())
    with pytest.warns(UserWarning, match="num_layers=1"):
        nn.LSTM(3, 4, dropout=0.2)


def test_rnn_errors_name_both_sides() -> None:
    lstm = nn.LSTM(4, 5, batch_first=True)
    with pytest.raises(ValueError, match=r"2-D .* or 3-D \(N, L, H_in\) input, got 4-D .*"):
        lstm(minigrad.randn(2, 3, 4, 4))
    with pytest.raises(RuntimeError, match=r"input has 3 features .* expects input_size=4"):
        lstm(minigrad.randn(2, 6, 3))
    with pytest.raises(RuntimeError, match=r"expected h_0 of shape \(1, 2, 5\), got \(1, 3, 5\)"):
        lstm(minigrad.randn(2, 6, 4), (minigrad.zeros(1, 3, 5), minigrad.zeros(1, 2, 5)))
    with pytest.raises(RuntimeError, match="unbatched 2-D input, hx should be 2-D too, got 3-D"):
        nn.GRU(4, 5)(minigrad.randn(6, 4), minigrad.zeros(1, 1, 5))
    with pytest.raises(RuntimeError, match=r"input has 2 features .* input_size=3"):
        nn.GRUCell(3, 4)(minigrad.randn(5, 2))
    with pytest.raises(
        TypeError, match=r"input is minigrad\.float64 but the parameters are minigrad\.float32"
    ):
        nn.RNN(4, 5)(minigrad.tensor(randn(3, 4)))


# --------------------------------------------------------------------------- nn.utils.rnn


def test_pad_and_pack_utilities_match_torch() -> None:
    seqs = [randn(n, 2) for n in (2, 5, 3)]
    tu = torch.nn.utils.rnn
    for batch_first in (False, True):
        for side in ("right", "left"):
            expected = tu.pad_sequence(
                [torch.tensor(s) for s in seqs], batch_first, -1.0, side
            ).numpy()
            got = pad_sequence([minigrad.tensor(s) for s in seqs], batch_first, -1.0, side)
            np.testing.assert_array_equal(got.numpy(), expected)
    pt = tu.pack_sequence([torch.tensor(s) for s in seqs], enforce_sorted=False)
    pm = pack_sequence([minigrad.tensor(s) for s in seqs], enforce_sorted=False)
    np.testing.assert_array_equal(pm.data.numpy(), pt.data.numpy())
    for field in ("batch_sizes", "sorted_indices", "unsorted_indices"):
        np.testing.assert_array_equal(getattr(pm, field).numpy(), getattr(pt, field).numpy())
    padded_t, lens_t = tu.pad_packed_sequence(pt, batch_first=True, total_length=7)
    padded_m, lens_m = pad_packed_sequence(pm, batch_first=True, total_length=7)
    np.testing.assert_array_equal(padded_m.numpy(), padded_t.numpy())
    np.testing.assert_array_equal(lens_m.numpy(), lens_t.numpy())
    for a, b in zip(unpack_sequence(pm), seqs):
        np.testing.assert_array_equal(a.numpy(), b)


@settings(max_examples=25, deadline=None)
@given(lengths=st.lists(st.integers(1, 5), min_size=1, max_size=4), batch_first=st.booleans())
def test_pack_then_pad_round_trips_and_passes_gradients(
    lengths: list[int], batch_first: bool
) -> None:
    t = max(lengths)
    x = randn(len(lengths), t, 2) if batch_first else randn(t, len(lengths), 2)
    steps = np.arange(t)[:, None] < np.array(lengths)[None, :]  # (T, B) real steps
    keep = steps.T[..., None] if batch_first else steps[..., None]
    xm = minigrad.tensor(x, requires_grad=True)
    packed = pack_padded_sequence(xm, lengths, batch_first, enforce_sorted=False)
    assert packed.data.shape == (sum(lengths), 2)
    back, lens = pad_packed_sequence(packed, batch_first)
    assert lens.tolist() == lengths
    np.testing.assert_array_equal(back.numpy(), np.where(keep, x, 0.0))
    back.sum().backward()
    np.testing.assert_array_equal(xm.grad.numpy(), np.broadcast_to(keep, x.shape).astype(float))


def test_pack_errors() -> None:
    with pytest.raises(RuntimeError, match=r"lengths \[1, 3\] are not sorted"):
        pack_padded_sequence(minigrad.randn(3, 2), [1, 3])
    with pytest.raises(ValueError, match="3 lengths for a batch of 2"):
        pack_padded_sequence(minigrad.randn(3, 2), [3, 2, 1])
    with pytest.raises(RuntimeError, match=r"lengths must lie in \[1, 3\]"):
        pack_padded_sequence(minigrad.randn(3, 2), [4, 1])


def test_nn_utils_rnn_is_importable_as_in_torch() -> None:
    import minigrad.nn.utils.rnn as rnn_utils

    assert nn.utils.rnn is rnn_utils
    assert rnn_utils.PackedSequence is PackedSequence
