"""nanoGPT's baby-GPT CPU run in PyTorch, for the wall-time and loss comparison with
``python -m train.shakespeare`` (run the two one after the other on the same machine).

Run::

    MINIGRAD_DATA=../shared/data .venv/bin/python benchmarks/nanogpt_torch.py [--iters 2000]

The same recipe as nanoGPT's ``train.py config/train_shakespeare_char.py --device=cpu
--compile=False --eval_iters=20 --block_size=64 --batch_size=12 --n_layer=4 --n_head=4
--n_embd=128 --max_iters=2000 --lr_decay_iters=2000 --dropout=0.0`` (its loop, its
``get_lr``, its AdamW groups, clipping at 1.0, no biases) on ``benchmarks/_torch_gpt.py``,
with the data split as ``train.lm.CharData`` does it. It prints the same lines as
``train.shakespeare`` (estimates every 250 iterations, then ``val loss`` over the whole
validation split in non-overlapping 64-character windows) and the wall time.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]


def main() -> None:
    """Train and report."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--iters", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1337)
    args = p.parse_args()
    wall = time.perf_counter()
    import _torch_gpt
    import torch

    from train.lm import CharData, find_text, read_text

    data = CharData(read_text(find_text(None, None)))
    train, val = torch.from_numpy(data.train), torch.from_numpy(data.val)
    T, B, iters, warmup, lr, min_lr = 64, 12, args.iters, 100, 1e-3, 1e-4
    torch.manual_seed(args.seed)
    model = _torch_gpt.nanogpt(torch, block_size=T, vocab_size=len(data.vocab), n_layer=4,
                               n_head=4, n_embd=128, dropout=0.0, bias=False)  # fmt: skip
    optimizer = _torch_gpt.configure_optimizer(torch, model, 0.1, lr, (0.9, 0.99))

    def get_batch(split: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        ix = torch.randint(len(split) - T, (B,))
        x = torch.stack([split[i : i + T] for i in ix])
        return x, torch.stack([split[i + 1 : i + 1 + T] for i in ix])

    def get_lr(it: int) -> float:
        if it < warmup:
            return lr * (it + 1) / (warmup + 1)
        ratio = (it - warmup) / (iters - warmup)
        return min_lr + 0.5 * (1.0 + math.cos(math.pi * min(ratio, 1.0))) * (lr - min_lr)

    @torch.no_grad()  # type: ignore[misc]
    def estimate() -> dict[str, float]:
        model.eval()
        out = {k: sum(model(*get_batch(s))[1].item() for _ in range(20)) / 20
               for k, s in (("train", train), ("val", val))}  # fmt: skip
        model.train()
        return out

    steps = 0.0
    for it in range(iters + 1):
        for group in optimizer.param_groups:
            group["lr"] = get_lr(it)
        if it % 250 == 0 or it == iters:
            losses = estimate()
            print(f"step {it}: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}",
                  flush=True)  # fmt: skip
        if it == iters:
            break
        start = time.perf_counter()
        x, y = get_batch(train)
        _, loss = model(x, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        loss.item()
        steps += time.perf_counter() - start
    x, y = data.windows("val", T)
    total = 0.0
    model.eval()
    with torch.no_grad():
        for i in range(0, len(x), 128):
            xb, yb = torch.from_numpy(x[i : i + 128]), torch.from_numpy(y[i : i + 128])
            total += model(xb, yb)[1].item() * yb.numel()
    print(f"done: {iters} iterations, {steps:.1f} s of training steps "
          f"({1e3 * steps / iters:.1f} ms/iteration); "
          f"{time.perf_counter() - wall:.1f} s in this process with the evaluations")  # fmt: skip
    print(f"val loss {total / y.size:.4f} (whole validation split, {len(x)} windows of {T})")


if __name__ == "__main__":
    main()
