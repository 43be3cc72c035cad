"""The baby GPT of ``python -m train.shakespeare`` against nanoGPT's model in PyTorch, each in
its own process: one training step, and sampling 500 characters.

Run::

    MINIGRAD_DATA=../shared/data .venv/bin/python benchmarks/bench_gpt.py [--rounds 7]

Training step (nanoGPT's CPU recipe: 4 layers, 4 heads, 128 wide, no biases, context
64, batch 12, dropout 0): draw a batch of random windows of Tiny Shakespeare,
forward with the loss, backward, clip the gradient norm at 1.0, AdamW step
(weight decay 0.1 on matrices), zero the gradients, read the loss back. minigrad
is ``train.lm_loop.LMRun._step`` itself (``models.gpt.GPT``); PyTorch is the same
step written as nanoGPT's ``train.py`` does it on ``benchmarks/_torch_gpt.py``
(nanoGPT's model re-implemented with the same names). Sampling: ``generate`` of
500 tokens from a one-character prompt with ``top_k=None`` (minigrad with its
key/value cache while the context fits; PyTorch as nanoGPT, recomputing the
cropped context every token).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import _harness  # noqa: E402

RECIPE = {"block_size": 64, "n_layer": 4, "n_head": 4, "n_embd": 128, "dropout": 0.0,
          "bias": False}  # fmt: skip
BATCH, LR, BETAS, WEIGHT_DECAY, CLIP = 12, 1e-3, (0.9, 0.99), 0.1, 1.0
SAMPLE_TOKENS = 500


def _tokens() -> tuple[np.ndarray, int]:
    from train.lm import CharData, find_text, read_text

    data = CharData(read_text(find_text(None, None)))
    return data.train, len(data.vocab)


def step_minigrad() -> Any:
    import minigrad
    from train.lm import CharData, build_lm, find_text, read_text
    from train.lm_loop import LMRun
    from train.shakespeare import build_optimizer, lr_factor, model_config, parser

    args = parser().parse_args(["--out", "/tmp/bench-gpt-unused"])
    minigrad.manual_seed(0)
    data = CharData(read_text(find_text(None, None)))
    model = build_lm("gpt", model_config(args, len(data.vocab)))
    optimizer = build_optimizer(args, model)
    scheduler = minigrad.optim.lr_scheduler.LambdaLR(optimizer, lr_factor(args))
    run = LMRun(model, optimizer, scheduler, data, args, {}, log=lambda s: None)
    return run._step


def step_torch() -> Any:
    import _torch_gpt
    import torch

    train, vocab = _tokens()
    data = torch.from_numpy(train)
    torch.manual_seed(0)
    model = _torch_gpt.nanogpt(torch, vocab_size=vocab, **RECIPE)
    optimizer = _torch_gpt.configure_optimizer(torch, model, WEIGHT_DECAY, LR, BETAS)
    T = RECIPE["block_size"]

    def step() -> float:
        ix = torch.randint(len(data) - T, (BATCH,))
        x = torch.stack([data[i : i + T] for i in ix])
        y = torch.stack([data[i + 1 : i + 1 + T] for i in ix])
        _, loss = model(x, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        return float(loss.item())

    return step


def sample_minigrad() -> Any:
    import minigrad
    from models.gpt import GPT, GPTConfig

    _, vocab = _tokens()
    minigrad.manual_seed(0)
    model = GPT(GPTConfig(vocab_size=vocab, **RECIPE))  # type: ignore[arg-type]
    prompt = minigrad.tensor([[0]])
    return lambda: model.generate(prompt, SAMPLE_TOKENS)


def sample_minigrad_no_cache() -> Any:
    import minigrad
    from models.gpt import GPT, GPTConfig

    _, vocab = _tokens()
    minigrad.manual_seed(0)
    model = GPT(GPTConfig(vocab_size=vocab, **RECIPE))  # type: ignore[arg-type]
    prompt = minigrad.tensor([[0]])
    return lambda: model.generate(prompt, SAMPLE_TOKENS, use_cache=False)


def sample_torch() -> Any:
    import _torch_gpt
    import torch

    _, vocab = _tokens()
    torch.manual_seed(0)
    model = _torch_gpt.nanogpt(torch, vocab_size=vocab, **RECIPE).eval()
    T = RECIPE["block_size"]

    @torch.no_grad()  # type: ignore[misc]
    def generate() -> Any:
        idx = torch.zeros((1, 1), dtype=torch.long)
        for _ in range(SAMPLE_TOKENS):  # nanoGPT's generate, top_k=None
            logits, _ = model(idx if idx.size(1) <= T else idx[:, -T:])
            probs = torch.softmax(logits[:, -1, :], dim=-1)
            idx = torch.cat((idx, torch.multinomial(probs, num_samples=1)), dim=1)
        return idx

    return generate


CASES: _harness.Cases = {
    "baby GPT training step (batch 12 x 64)": {"minigrad": step_minigrad, "torch": step_torch},
    "generate 500 characters": {"minigrad": sample_minigrad, "torch": sample_torch},
    "generate 500 characters, no KV cache": {
        "minigrad": sample_minigrad_no_cache,
        "torch": sample_torch,
    },
}

if __name__ == "__main__":
    _harness.main(CASES, "the baby GPT of train.shakespeare: minigrad vs PyTorch (nanoGPT)",
                  defaults={"rounds": 5, "block_seconds": 2.0, "warmup": 5})  # fmt: skip
