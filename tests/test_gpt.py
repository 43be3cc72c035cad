"""models.gpt: nanoGPT's architecture, names, initialisation, PyTorch parity, generation;
the float32 normal CDF behind the fused GELU is accurate in both tails."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
from minigrad.ops.activation import normal_cdf
from models.gpt import GPT, GPTConfig, KVCache
from models.sampling import sample_next

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "_torch_gpt.py"

BABY = dict(block_size=64, vocab_size=65, n_layer=4, n_head=4, n_embd=128, bias=False)


def _torch_gpt():
    """benchmarks/_torch_gpt.py: nanoGPT's model re-implemented in PyTorch."""
    spec = importlib.util.spec_from_file_location("_torch_gpt", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tiny(**kw) -> GPT:
    cfg = dict(block_size=16, vocab_size=13, n_layer=2, n_head=2, n_embd=8)
    cfg.update(kw)
    return GPT(GPTConfig(**cfg))


# --------------------------------------------------------------------------- structure


def test_parameter_names_and_shapes_are_nanogpts():
    model = GPT(GPTConfig(**BABY))
    sd = model.state_dict()
    layer = ["ln_1.weight", "attn.c_attn.weight", "attn.c_proj.weight", "ln_2.weight",
             "mlp.c_fc.weight", "mlp.c_proj.weight"]  # fmt: skip
    expected = ["transformer.wte.weight", "transformer.wpe.weight"]
    expected += [f"transformer.h.{i}.{n}" for i in range(4) for n in layer]
    expected += ["transformer.ln_f.weight", "lm_head.weight"]
    assert list(sd) == expected
    assert sd["transformer.h.0.attn.c_attn.weight"].shape == (384, 128)
    assert sd["transformer.h.3.mlp.c_proj.weight"].shape == (128, 512)
    assert model.get_num_params() == 795904  # nanoGPT prints "0.80M"
    with_bias = GPT(GPTConfig(**{**BABY, "bias": True})).state_dict()
    assert "transformer.h.0.attn.c_attn.bias" in with_bias and "transformer.ln_f.bias" in with_bias


def test_lm_head_is_tied_to_the_token_embedding():
    model = _tiny()
    assert model.lm_head.weight is model.transformer.wte.weight
    assert len(list(model.parameters())) == len(model.state_dict()) - 1  # counted once
    idx = minigrad.tensor([[1, 2, 3]])
    _, loss = model(idx, idx)
    loss.backward()
    # The shared matrix gets the head's gradient on every row and the embedding's on rows 1-3.
    assert np.abs(model.lm_head.weight.grad.numpy()[5]).sum() > 0


def test_gpt2_initialisation():
    minigrad.manual_seed(0)
    model = GPT(GPTConfig(**{**BABY, "bias": True}))
    sd = model.state_dict()
    resid = 0.02 / math.sqrt(2 * 4)
    for name, value in sd.items():
        if name.endswith("c_proj.weight"):
            assert abs(value.std() - resid) < 0.1 * resid, name
        elif value.ndim == 2:
            assert abs(value.std() - 0.02) < 0.1 * 0.02, name
        elif "ln" in name and name.endswith("weight"):
            assert (value == 1).all(), name
        else:
            assert (value == 0).all(), name  # biases


def test_forward_shapes_and_errors():
    model = _tiny()
    idx = minigrad.tensor(np.arange(10).reshape(2, 5))
    logits, loss = model(idx, idx)
    assert logits.shape == (2, 5, 13) and loss.shape == ()
    logits, loss = model(idx)
    assert logits.shape == (2, 1, 13) and loss is None
    with pytest.raises(ValueError, match="block size is only 16"):
        model(minigrad.zeros(1, 17, dtype=minigrad.int64))
    with pytest.raises(ValueError, match="2-D integer"):
        model(minigrad.zeros(1, 3))
    with pytest.raises(ValueError, match="divisible by n_head"):
        GPTConfig(n_embd=10, n_head=4)
    with pytest.raises(ValueError, match="block_size must be a positive integer"):
        GPTConfig(block_size=0)


def test_targets_minus_one_are_ignored():
    model = _tiny().double()
    idx = minigrad.tensor([[1, 2, 3, 4]])
    logits, loss = model(idx, minigrad.tensor([[2, -1, 4, -1]]))
    logp = logits.numpy()[0] - np.log(np.exp(logits.numpy()[0]).sum(-1, keepdims=True))
    assert loss.item() == pytest.approx(-(logp[0, 2] + logp[2, 4]) / 2, rel=1e-12)


def test_training_steps_lower_the_loss_on_a_fixed_batch():
    minigrad.manual_seed(0)
    model = _tiny()
    opt = minigrad.optim.AdamW(model.parameters(), lr=2e-2)
    idx = minigrad.tensor(np.random.default_rng(0).integers(0, 13, (4, 16)))
    losses = []
    for _ in range(25):
        _, loss = model(idx[:, :-1], idx[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.8 * losses[0]


# --------------------------------------------------------------------------- PyTorch parity


@settings(max_examples=6, deadline=None)
@given(
    n_layer=st.integers(1, 2),
    n_head=st.sampled_from([1, 2, 4]),
    head=st.integers(1, 4),
    T=st.integers(1, 9),
    B=st.integers(1, 3),
    bias=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_logits_loss_and_gradients_match_torch_in_float64(n_layer, n_head, head, T, B, bias, seed):
    torch = pytest.importorskip("torch")
    cfg = dict(block_size=9, vocab_size=11, n_layer=n_layer, n_head=n_head,
               n_embd=n_head * head, bias=bias)  # fmt: skip
    minigrad.manual_seed(seed)
    ours = GPT(GPTConfig(**cfg)).double()
    theirs = _torch_gpt().nanogpt(torch, **cfg).double()
    sd = ours.state_dict()
    assert set(sd) == set(theirs.state_dict())
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in sd.items()})
    rng = np.random.default_rng(seed)
    idx, tgt = rng.integers(0, 11, (B, T)), rng.integers(0, 11, (B, T))
    logits, loss = ours(minigrad.tensor(idx), minigrad.tensor(tgt))
    t_logits, t_loss = theirs(torch.from_numpy(idx), torch.from_numpy(tgt))
    np.testing.assert_allclose(logits.numpy(), t_logits.detach().numpy(), rtol=1e-10, atol=1e-12)
    assert loss.item() == pytest.approx(t_loss.item(), rel=1e-12)
    loss.backward()
    t_loss.backward()
    theirs_grads = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(
            p.grad.numpy(), theirs_grads[name].grad.numpy(), rtol=1e-8, atol=1e-12, err_msg=name
        )
    last, _ = ours(minigrad.tensor(idx))
    t_last, _ = theirs(torch.from_numpy(idx))
    np.testing.assert_allclose(last.numpy(), t_last.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_a_torch_state_dict_loads_and_gives_the_same_logits():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    theirs = _torch_gpt().nanogpt(torch, **BABY).double().eval()
    ours = GPT(GPTConfig(**BABY)).double()
    ours.load_state_dict(theirs.state_dict())  # torch tensors, as PyTorch users have them
    idx = np.random.default_rng(0).integers(0, 65, (2, 64))
    t_logits, _ = theirs(torch.from_numpy(idx), torch.from_numpy(idx))
    logits, _ = ours(minigrad.tensor(idx), minigrad.tensor(idx))
    np.testing.assert_allclose(logits.numpy(), t_logits.detach().numpy(), rtol=1e-9, atol=1e-12)


def test_dropout_is_active_in_training_only():
    model = _tiny(dropout=0.5)
    idx = minigrad.tensor([[1, 2, 3, 4]])
    model.eval()
    a, b = model(idx, idx)[0].numpy(), model(idx, idx)[0].numpy()
    assert (a == b).all()
    model.train()
    assert not (model(idx, idx)[0].numpy() == a).all()


# --------------------------------------------------------------------------- generation


def test_generate_is_deterministic_under_a_seed_and_restores_the_mode():
    model = _tiny()
    prompt = minigrad.tensor([[1, 2]])
    minigrad.manual_seed(5)
    a = model.generate(prompt, 30, temperature=0.9, top_k=5)
    minigrad.manual_seed(5)
    b = model.generate(prompt, 30, temperature=0.9, top_k=5)
    assert a.shape == (1, 32) and a.tolist() == b.tolist()
    assert a.tolist()[0][:2] == [1, 2] and model.training


@pytest.mark.parametrize("steps", [5, 40])  # inside the block, and well past it
def test_the_kv_cache_gives_the_same_tokens_as_recomputing(steps):
    model = _tiny(block_size=12).double()
    prompt = minigrad.tensor([[3, 1, 4], [1, 5, 9]])
    minigrad.manual_seed(0)
    cached = model.generate(prompt, steps)
    minigrad.manual_seed(0)
    plain = model.generate(prompt, steps, use_cache=False)
    assert cached.tolist() == plain.tolist()


def test_cached_logits_equal_the_full_forward():
    model = _tiny().double().eval()
    tokens = np.random.default_rng(1).integers(0, 13, (2, 10))
    cache = KVCache(2)
    with minigrad.no_grad():
        model._hidden(minigrad.tensor(tokens[:, :6]), cache)
        steps = [model._hidden(minigrad.tensor(tokens[:, i : i + 1]), cache) for i in range(6, 10)]
        full = model._hidden(minigrad.tensor(tokens))
    assert cache.length == 10
    for k, h in enumerate(steps):
        np.testing.assert_allclose(h.numpy()[:, 0], full.numpy()[:, 6 + k], rtol=1e-10, atol=1e-12)


def test_top_k_one_is_greedy():
    model = _tiny().eval()
    out = model.generate(minigrad.tensor([[0]]), 6, top_k=1).tolist()[0]
    tokens = [0]
    for _ in range(6):
        logits, _ = model(minigrad.tensor([tokens]))
        tokens.append(int(logits.numpy()[0, -1].argmax()))
    assert out == tokens


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 8), st.floats(0.05, 5.0), st.integers(0, 2**16))
def test_samples_are_always_among_the_top_k(k, temperature, seed):
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=(16, 8)) * 3
    minigrad.manual_seed(seed)
    picked = sample_next(logits, temperature, top_k=k)[:, 0]
    rank = (logits > logits[np.arange(16), picked][:, None]).sum(1)  # how many are larger
    assert (rank < k).all()


def test_sampling_follows_the_softmax_and_temperature():
    logits = np.log(np.array([[0.1, 0.2, 0.7]]))
    minigrad.manual_seed(0)
    draws = np.concatenate([sample_next(logits) for _ in range(4000)])[:, 0]
    np.testing.assert_allclose(np.bincount(draws, minlength=3) / 4000, [0.1, 0.2, 0.7], atol=0.03)
    minigrad.manual_seed(0)
    cold = np.concatenate([sample_next(logits, temperature=0.1) for _ in range(500)])[:, 0]
    assert (cold == 2).mean() > 0.99


@pytest.mark.parametrize("kw", [{"temperature": 0.0}, {"temperature": -1.0}, {"top_k": 0}])
def test_bad_sampling_options_are_refused(kw):
    with pytest.raises(ValueError, match=r"temperature|top_k"):
        _tiny().generate(minigrad.tensor([[0]]), 3, **kw)


# --------------------------------------------------------------------------- fused ops


def _pair(shape, seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return rng.normal(size=shape).astype(dtype)


def test_float32_normal_cdf_is_accurate_in_both_tails():
    x = np.concatenate([np.linspace(-13, 13, 20001), [0.0, -0.0, np.inf, -np.inf]])
    ref = np.array([0.5 * math.erfc(-v / math.sqrt(2)) for v in x])
    got = normal_cdf(x.astype(np.float32)).astype(np.float64)
    assert got.dtype == np.float64 and np.abs(got - ref).max() < 2.5e-7
    core = np.abs(x) < 4
    assert (np.abs(got - ref)[core] / ref[core]).max() < 2e-6
    tail = (x < -4) & (ref > 1e-37)
    assert (np.abs(got - ref)[tail] / ref[tail]).max() < 3e-5


def _softmax_attention(q, k, v, bias, scale):
    """The reference: the scores in the inputs' dtype (a bias of -5000 rounds them in
    float32), the softmax in float64, each row shifted by its own maximum (all-masked: 0)."""
    s = (np.matmul(q, np.swapaxes(k, -1, -2)) * q.dtype.type(scale) + bias).astype(np.float64)
    m = s.max(-1, keepdims=True)
    e = np.exp(s - np.where(np.isneginf(m), 0.0, m))
    d = e.sum(-1, keepdims=True)
    return np.einsum("...ls,...sd->...ld", e / np.where(d == 0, 1.0, d), v)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fused_attention_shift_is_exact_for_rows_far_apart_and_fully_masked(dtype):
    """One global shift serves rows of similar scale; the rest take their own row max."""
    from minigrad.ops.attention import _probabilities, fused_attention

    rng = np.random.default_rng(3)
    q, k, v = (rng.normal(size=(2, 3, 5, 4)).astype(dtype) for _ in range(3))
    causal = np.where(np.tril(np.ones((5, 5), bool)), 0.0, -np.inf)
    far = causal + np.array([0.0, -200.0, -5000.0, 0.0, 30.0])[:, None]  # rows far apart
    dead = causal.copy()
    dead[2] = -np.inf  # a row with nothing to attend to
    for bias in (causal, far, dead):
        b = bias.astype(dtype)
        got = fused_attention(minigrad.tensor(q), minigrad.tensor(k), minigrad.tensor(v), b, 0.5)
        want = _softmax_attention(q, k, v, b, 0.5)
        np.testing.assert_allclose(got.numpy(), want, rtol=2e-5, atol=2e-6)
        p = _probabilities(q, k, b, 0.5)
        assert p.dtype == dtype and np.isfinite(p).all()
        rows = np.broadcast_to(np.where(np.isneginf(b).all(-1), 0.0, 1.0), p.shape[:-1])
        np.testing.assert_allclose(p.sum(-1), rows, rtol=1e-6)


def test_training_steps_equal_nanogpts_in_float64():
    """train.shakespeare's optimizer groups, schedule and clipping against nanoGPT's loop."""
    torch = pytest.importorskip("torch")
    from minigrad.nn.utils import clip_grad_norm_
    from minigrad.optim.lr_scheduler import LambdaLR
    from train.shakespeare import build_optimizer, lr_factor, parser

    args = parser().parse_args(["--iters", "12", "--warmup-iters", "3", "--lr", "3e-2"])
    cfg = dict(block_size=8, vocab_size=11, n_layer=2, n_head=2, n_embd=8, bias=False)
    minigrad.manual_seed(0)
    ours = GPT(GPTConfig(**cfg)).double()
    opt = build_optimizer(args, ours)
    sched = LambdaLR(opt, lr_factor(args))
    theirs = _torch_gpt().nanogpt(torch, **cfg).double()
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    t_opt = _torch_gpt().configure_optimizer(torch, theirs, 0.1, 3e-2, (0.9, 0.99))
    rng = np.random.default_rng(0)
    for it in range(12):
        for group in t_opt.param_groups:  # nanoGPT sets get_lr(it) before each step
            group["lr"] = 3e-2 * lr_factor(args)(it)
        x, y = rng.integers(0, 11, (4, 8)), rng.integers(0, 11, (4, 8))
        _, loss = ours(minigrad.tensor(x), minigrad.tensor(y))
        loss.backward()
        clip_grad_norm_(ours.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        sched.step()
        _, t_loss = theirs(torch.from_numpy(x), torch.from_numpy(y))
        t_loss.backward()
        torch.nn.utils.clip_grad_norm_(theirs.parameters(), 1.0)
        t_opt.step()
        t_opt.zero_grad(set_to_none=True)
        assert loss.item() == pytest.approx(t_loss.item(), rel=1e-10)
    t_sd = theirs.state_dict()
    for name, value in ours.state_dict().items():
        np.testing.assert_allclose(value, t_sd[name].numpy(), rtol=1e-9, atol=1e-12, err_msg=name)
