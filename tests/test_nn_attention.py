"""Attention against PyTorch: F.scaled_dot_product_attention, F.multi_head_attention_forward,
MultiheadAttention and the Transformer modules (weights copied by state-dict name in both
directions; forward, input and parameter gradients in float64), gradient checks, errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_nn_sequence import compare_with_torch, randn

import minigrad
from minigrad import nn
from minigrad.nn import functional as F
from minigrad.testing import gradcheck, gradgradcheck

torch = pytest.importorskip("torch")
TF = torch.nn.functional


def _pair(x: np.ndarray, grad: bool = True) -> tuple[Any, Any]:
    return torch.tensor(x, requires_grad=grad), minigrad.tensor(x, requires_grad=grad)


def _close(a: Any, b: Any, atol: float = 1e-10) -> None:
    np.testing.assert_allclose(a.numpy(), b.detach().numpy(), atol=atol, rtol=1e-9)


# --------------------------------------------------------------------------- sdpa


def _masks(kind: str, shape: tuple[int, ...]) -> np.ndarray | None:
    if kind == "none":
        return None
    keep = rng.random(shape) > 0.4
    keep[..., 0] = True  # every row can attend somewhere
    return keep if kind == "bool" else np.where(keep, randn(*shape), -np.inf)


rng = np.random.default_rng(1)


@settings(max_examples=30, deadline=None)
@given(
    batch=st.sampled_from([(), (2,), (2, 3)]),
    lengths=st.tuples(st.integers(1, 4), st.integers(1, 5)),
    dims=st.tuples(st.integers(1, 4), st.integers(1, 3)),
    mask=st.sampled_from(["none", "bool", "float", "causal"]),
    scale=st.sampled_from([None, 0.3]),
)
def test_sdpa_matches_torch(
    batch: tuple[int, ...], lengths: tuple[int, int], dims: tuple[int, int], mask: str,
    scale: float | None,
) -> None:  # fmt: skip
    (L, S), (E, Ev) = lengths, dims
    qt, qm = _pair(randn(*batch, L, E))
    kt, km = _pair(randn(*batch, S, E))
    vt, vm = _pair(randn(*batch, S, Ev))
    m = _masks("none" if mask == "causal" else mask, (L, S))
    kw_t: dict[str, Any] = {"scale": scale, "is_causal": mask == "causal"}
    kw_m = dict(kw_t)
    if m is not None:
        kw_t["attn_mask"], kw_m["attn_mask"] = torch.tensor(m), minigrad.tensor(m)
    out_t = TF.scaled_dot_product_attention(qt, kt, vt, **kw_t)
    out_m = F.scaled_dot_product_attention(qm, km, vm, **kw_m)
    _close(out_m, out_t)
    g = randn(*out_t.shape)
    (out_t * torch.tensor(g)).sum().backward()
    (out_m * minigrad.tensor(g)).sum().backward()
    for a, b in ((qm, qt), (km, kt), (vm, vt)):
        _close(a.grad, b.grad)


def test_sdpa_fully_masked_rows_give_zeros_with_finite_gradients_as_torch() -> None:
    qt, qm = _pair(randn(3, 4))
    m = np.ones((3, 5), bool)
    m[1] = False
    k_t, k_m = torch.cat([qt, qt])[:5], minigrad.cat([qm, qm], 0)[:5]
    out_t = TF.scaled_dot_product_attention(qt, k_t, k_t, attn_mask=torch.tensor(m))
    out_m = F.scaled_dot_product_attention(qm, k_m, k_m, attn_mask=minigrad.tensor(m))
    _close(out_m, out_t)
    assert not out_m.numpy()[1].any()
    out_m.sum().backward()
    out_t.sum().backward()
    assert np.isfinite(qm.grad.numpy()).all()
    _close(qm.grad, qt.grad)


def test_sdpa_grouped_query_attention_matches_torch() -> None:
    qt, qm = _pair(randn(2, 4, 3, 5))
    kt, km = _pair(randn(2, 2, 6, 5))
    vt, vm = _pair(randn(2, 2, 6, 3))
    out_t = TF.scaled_dot_product_attention(qt, kt, vt, enable_gqa=True)
    out_m = F.scaled_dot_product_attention(qm, km, vm, enable_gqa=True)
    _close(out_m, out_t)
    out_t.sum().backward()
    out_m.sum().backward()
    _close(km.grad, kt.grad)


def test_sdpa_gradcheck_and_gradgradcheck() -> None:
    q, k, v = (minigrad.tensor(randn(2, 3, 2), requires_grad=True) for _ in range(3))
    mask = minigrad.tensor(randn(3, 3))

    def fn(a: Any, b: Any, c: Any) -> Any:
        return F.scaled_dot_product_attention(a, b, c, attn_mask=mask)

    assert gradcheck(fn, (q, k, v))
    assert gradgradcheck(fn, (q, k, v))
    causal = lambda a, b, c: F.scaled_dot_product_attention(a, b, c, is_causal=True)  # noqa: E731
    assert gradcheck(causal, (q, k, v))


def test_sdpa_dropout_keeps_expectation_and_errors() -> None:
    _ = minigrad.manual_seed(0)
    q = minigrad.zeros(1, 1, 200, 4)
    v = minigrad.ones(1, 1, 200, 4)
    out = F.scaled_dot_product_attention(q, q, v, dropout_p=0.5)
    assert abs(float(out.numpy().mean()) - 1.0) < 0.1 and out.numpy().std() > 0.01
    with pytest.raises(RuntimeError, match="attn_mask must be None when is_causal=True"):
        F.scaled_dot_product_attention(q, q, v, attn_mask=minigrad.ones(200, 200), is_causal=True)
    with pytest.raises(RuntimeError, match=r"attn_mask of shape \(3, 3\) does not broadcast .*"):
        F.scaled_dot_product_attention(q, q, v, attn_mask=minigrad.ones(3, 3))


# --------------------------------------------------------------------------- MultiheadAttention

MHAS = {
    "self": lambda nn: nn.MultiheadAttention(8, 2),
    "batch-first-nobias": lambda nn: nn.MultiheadAttention(8, 4, bias=False, batch_first=True),
    "kdim-vdim": lambda nn: nn.MultiheadAttention(6, 3, kdim=4, vdim=5),
    "bias-kv-zero-attn": lambda nn: nn.MultiheadAttention(
        8, 2, add_bias_kv=True, add_zero_attn=True
    ),
}


def _mha_inputs(name: str, unbatched: bool = False) -> list[np.ndarray]:
    m = MHAS[name](nn)
    n = () if unbatched else (3,)
    lead_q, lead_k = ((5, *n), (6, *n)) if not m.batch_first else ((*n, 5), (*n, 6))
    return [randn(*lead_q, m.embed_dim), randn(*lead_k, m.kdim), randn(*lead_k, m.vdim)]


@pytest.mark.parametrize("from_torch", [True, False])
@pytest.mark.parametrize("name", sorted(MHAS))
def test_multihead_attention_matches_torch(name: str, from_torch: bool) -> None:
    compare_with_torch(MHAS[name], _mha_inputs(name), from_torch=from_torch)
    per_head = lambda m, xs, lib: m(*xs, average_attn_weights=False)  # noqa: E731
    compare_with_torch(MHAS[name], _mha_inputs(name), per_head, from_torch)


@pytest.mark.parametrize("name", ["self", "kdim-vdim"])
def test_multihead_attention_unbatched_matches_torch(name: str) -> None:
    compare_with_torch(MHAS[name], _mha_inputs(name, unbatched=True))


def test_multihead_self_attention_same_tensor_matches_torch() -> None:
    call = lambda m, xs, lib: m(xs[0], xs[0], xs[0])  # noqa: E731
    compare_with_torch(MHAS["self"], [randn(5, 3, 8)], call)
    compare_with_torch(MHAS["batch-first-nobias"], [randn(3, 5, 8)], call)


@pytest.mark.parametrize("need_weights", [True, False])
@pytest.mark.parametrize("mask_kind", ["bool", "float"])
@pytest.mark.parametrize("mask_dims", [2, 3])
def test_multihead_attention_masks_match_torch(
    need_weights: bool, mask_kind: str, mask_dims: int
) -> None:
    block = rng.random((2 * 3, 5, 6) if mask_dims == 3 else (5, 6)) < 0.3
    block[..., 0] = False
    padding = np.zeros((3, 6), bool)
    padding[1, 4:] = True
    if mask_kind == "float":
        block = np.where(block, -np.inf, randn(*block.shape))
        padding = np.where(padding, -np.inf, 0.0)

    def call(m: Any, xs: list[Any], lib: Any) -> Any:
        return m(
            *xs, attn_mask=lib.tensor(block), key_padding_mask=lib.tensor(padding),
            need_weights=need_weights,
        )  # fmt: skip

    compare_with_torch(MHAS["self"], _mha_inputs("self"), call)


def test_causal_hint_uses_the_given_mask_as_torch() -> None:
    mask = np.triu(np.ones((5, 5), bool), 1)
    x = randn(5, 3, 8)

    def call(m: Any, xs: list[Any], lib: Any) -> Any:
        return m(xs[0], xs[0], xs[0], attn_mask=lib.tensor(mask), is_causal=True,
                 need_weights=False)  # fmt: skip

    compare_with_torch(MHAS["self"], [x], call)
    with pytest.raises(RuntimeError, match=r"is_causal=True .* pass attn_mask"):
        nn.MultiheadAttention(8, 2)(*[minigrad.tensor(x)] * 3, is_causal=True)


def test_multi_head_attention_forward_functional_matches_torch() -> None:
    e, h = 6, 2
    q, k, v = randn(4, 2, e), randn(5, 2, e), randn(5, 2, e)
    w_in, b_in, w_out, b_out = randn(3 * e, e), randn(3 * e), randn(e, e), randn(e)
    tensors_t = [torch.tensor(a, requires_grad=True) for a in (q, k, v, w_in, b_in, w_out, b_out)]
    tensors_m = [
        minigrad.tensor(a, requires_grad=True) for a in (q, k, v, w_in, b_in, w_out, b_out)
    ]
    outs = []
    for f, (qq, kk, vv, wi, bi, wo, bo) in ((TF, tensors_t), (F, tensors_m)):
        out, weights = f.multi_head_attention_forward(
            qq, kk, vv, e, h, wi, bi, None, None, False, 0.0, wo, bo, training=False
        )
        (out.sum() + (weights * weights).sum()).backward()
        outs.append((out, weights))
    _close(outs[1][0], outs[0][0])
    _close(outs[1][1], outs[0][1])
    for a, b in zip(tensors_m, tensors_t):
        _close(a.grad, b.grad)


def test_multihead_attention_gradcheck() -> None:
    mha = nn.MultiheadAttention(4, 2, kdim=3, add_bias_kv=True).double()
    xs = [minigrad.tensor(randn(3, 2, d), requires_grad=True) for d in (4, 3, 4)]
    params = list(mha.parameters())
    assert gradcheck(lambda q, k, v, *p: mha(q, k, v)[0], (*xs, *params))


def test_multihead_attention_init_and_names() -> None:
    mha, ref = (
        nn.MultiheadAttention(16, 4, add_bias_kv=True),
        torch.nn.MultiheadAttention(16, 4, add_bias_kv=True),
    )
    assert [(k, tuple(v.shape)) for k, v in mha.state_dict().items()] == [
        (k, tuple(v.shape)) for k, v in ref.state_dict().items()
    ]
    assert not mha.in_proj_bias.numpy().any() and not mha.out_proj.bias.numpy().any()
    bound = np.sqrt(6 / (16 + 48))
    w = mha.in_proj_weight.numpy()
    assert np.abs(w).max() <= bound and w.std() > 0.8 * bound / np.sqrt(3)


def test_attention_errors_name_both_sides() -> None:
    mha = nn.MultiheadAttention(8, 2)
    x = minigrad.randn(5, 3, 8)
    with pytest.raises(
        RuntimeError, match=r"2-D attn_mask has shape \(4, 5\) but should be .*\(5, 5\)"
    ):
        mha(x, x, x, attn_mask=minigrad.ones(4, 5).bool())
    with pytest.raises(RuntimeError, match=r"3-D attn_mask has shape \(3, 5, 5\) .* \(6, 5, 5\)"):
        mha(x, x, x, attn_mask=minigrad.zeros(3, 5, 5))
    with pytest.raises(RuntimeError, match=r"key_padding_mask has shape \(5, 3\) .* \(3, 5\)"):
        mha(x, x, x, key_padding_mask=minigrad.zeros(5, 3).bool())
    with pytest.raises(RuntimeError, match="query has embedding size 6 but the module expects 8"):
        mha(minigrad.randn(5, 3, 6), x, x)
    with pytest.raises(ValueError, match="embed_dim=8 must be divisible by num_heads=3"):
        nn.MultiheadAttention(8, 3)


# --------------------------------------------------------------------------- Transformer

LAYERS = {
    "encoder-post": lambda nn: nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0),
    "encoder-pre-gelu-bf": lambda nn: nn.TransformerEncoderLayer(
        8, 2, 16, dropout=0.0, activation="gelu", norm_first=True, batch_first=True
    ),
    "encoder-nobias": lambda nn: nn.TransformerEncoderLayer(8, 4, 12, dropout=0.0, bias=False),
    "decoder-post": lambda nn: nn.TransformerDecoderLayer(8, 2, 16, dropout=0.0),
    "decoder-pre-bf": lambda nn: nn.TransformerDecoderLayer(
        8, 2, 16, dropout=0.0, norm_first=True, batch_first=True
    ),
}


@pytest.mark.parametrize("from_torch", [True, False])
@pytest.mark.parametrize("name", sorted(LAYERS))
def test_transformer_layers_match_torch(name: str, from_torch: bool) -> None:
    bf = LAYERS[name](nn).batch_first
    src = randn(3, 5, 8) if bf else randn(5, 3, 8)
    inputs = (
        [src] if name.startswith("encoder") else [src, randn(3, 6, 8) if bf else randn(6, 3, 8)]
    )
    compare_with_torch(LAYERS[name], inputs, from_torch=from_torch)


def test_transformer_layer_with_callable_activation_matches_torch() -> None:
    make = lambda nn: nn.TransformerEncoderLayer(  # noqa: E731
        8, 2, 16, dropout=0.0, activation=nn.functional.tanh if nn is torch.nn else F.tanh
    )
    compare_with_torch(make, [randn(4, 2, 8)])


@pytest.mark.filterwarnings("ignore:enable_nested_tensor")
def test_transformer_stacks_with_masks_match_torch() -> None:
    def make(lib: Any) -> Any:
        return lib.Transformer(8, 2, 2, 2, 16, dropout=0.0, batch_first=True)

    src, tgt = randn(3, 6, 8), randn(3, 4, 8)
    src_pad = np.zeros((3, 6), bool)
    src_pad[2, 4:] = True

    def call(m: Any, xs: list[Any], lib: Any) -> Any:
        mask = m.generate_square_subsequent_mask(4, dtype=lib.float64)
        return m(xs[0], xs[1], tgt_mask=mask, src_key_padding_mask=lib.tensor(src_pad),
                 memory_key_padding_mask=lib.tensor(src_pad))  # fmt: skip

    compare_with_torch(make, [src, tgt], call)
    compare_with_torch(make, [src, tgt], call, from_torch=False)


@pytest.mark.filterwarnings("ignore:enable_nested_tensor")
def test_transformer_encoder_decoder_match_torch() -> None:
    def make_enc(lib: Any) -> Any:
        layer = lib.TransformerEncoderLayer(8, 2, 16, dropout=0.0)
        return lib.TransformerEncoder(layer, 2, norm=lib.LayerNorm(8))

    def call(m: Any, xs: list[Any], lib: Any) -> Any:
        return m(xs[0], mask=lib.nn.Transformer.generate_square_subsequent_mask(5).double())

    compare_with_torch(make_enc, [randn(5, 2, 8)], call)

    def make_dec(lib: Any) -> Any:
        return lib.TransformerDecoder(lib.TransformerDecoderLayer(8, 2, 16, dropout=0.0), 2)

    compare_with_torch(make_dec, [randn(4, 2, 8), randn(5, 2, 8)])


@pytest.mark.filterwarnings("ignore:enable_nested_tensor")
def test_transformer_names_init_and_mask() -> None:
    model = nn.Transformer(16, 4, 2, 1, 32)
    ref = torch.nn.Transformer(16, 4, 2, 1, 32)
    assert [(k, tuple(v.shape)) for k, v in model.state_dict().items()] == [
        (k, tuple(v.shape)) for k, v in ref.state_dict().items()
    ]
    w = model.encoder.layers[0].linear1.weight.numpy()  # xavier_uniform_ over (32, 16)
    assert np.abs(w).max() <= np.sqrt(6 / 48)
    np.testing.assert_array_equal(
        nn.Transformer.generate_square_subsequent_mask(4).numpy(),
        torch.nn.Transformer.generate_square_subsequent_mask(4).numpy(),
    )
    with pytest.raises(RuntimeError, match=r"src has batch size 2 .* tgt has 3"):
        model(minigrad.randn(5, 2, 16), minigrad.randn(4, 3, 16))
    with pytest.raises(RuntimeError, match="activation should be 'relu', 'gelu' or a callable"):
        nn.TransformerEncoderLayer(8, 2, activation="swish")


def test_transformer_encoder_layer_gradcheck() -> None:
    layer = nn.TransformerEncoderLayer(4, 2, 6, dropout=0.0).double()
    x = minigrad.tensor(randn(3, 2, 4), requires_grad=True)
    assert gradcheck(lambda t, *p: layer(t), (x, *layer.parameters()))


def test_transformer_dropout_only_in_training() -> None:
    layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.5)
    x = minigrad.randn(5, 2, 8)
    _ = minigrad.manual_seed(0)
    assert not np.allclose(layer(x).numpy(), layer(x).numpy())
    layer.eval()
    np.testing.assert_array_equal(layer(x).numpy(), layer(x).numpy())
