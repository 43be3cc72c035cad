"""Sequence layers against PyTorch, each library in its own process: forward + backward
of one LSTM layer and of one TransformerEncoderLayer.

Run::

    .venv/bin/python benchmarks/bench_sequence.py [--rounds 5] [--threads both|default|1]

Cases (float32, training mode, the gradients of the input and every parameter;
the parameters' gradients are reset before each step):

* ``LSTM``: ``nn.LSTM(64, 128)`` over a ``(T=32, N=16, 64)`` sequence, loss
  ``output.sum() + h_n.sum() + c_n.sum()``; minigrad loops over time steps with the
  four gates of a step in one matrix product.
* ``TransformerEncoderLayer``: ``d_model=128, nhead=4, dim_feedforward=512``
  (PyTorch's defaults otherwise: ReLU, post-norm, dropout 0.1), ``batch_first=True``,
  input ``(N=16, S=32, 128)``, loss ``output.sum()``; attention batched over heads.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import _harness  # noqa: E402

T, N, INPUT, HIDDEN = 32, 16, 64, 128
D_MODEL, HEADS, FF, S = 128, 4, 512, 32


def _data(*shape: int) -> np.ndarray:
    return np.random.default_rng(0).standard_normal(shape).astype(np.float32)


def lstm_minigrad() -> Any:
    import minigrad

    minigrad.manual_seed(0)
    layer = minigrad.nn.LSTM(INPUT, HIDDEN)
    x = minigrad.tensor(_data(T, N, INPUT), requires_grad=True)

    def step() -> float:
        for p in layer.parameters():
            p.grad = None
        x.grad = None
        out, (h, c) = layer(x)
        loss = out.sum() + h.sum() + c.sum()
        loss.backward()
        return float(loss.item())

    return step


def lstm_torch() -> Any:
    import torch

    torch.manual_seed(0)
    layer = torch.nn.LSTM(INPUT, HIDDEN)
    x = torch.tensor(_data(T, N, INPUT), requires_grad=True)

    def step() -> float:
        layer.zero_grad(set_to_none=True)
        x.grad = None
        out, (h, c) = layer(x)
        loss = out.sum() + h.sum() + c.sum()
        loss.backward()
        return float(loss.item())

    return step


def encoder_minigrad() -> Any:
    import minigrad

    minigrad.manual_seed(0)
    layer = minigrad.nn.TransformerEncoderLayer(D_MODEL, HEADS, FF, batch_first=True)
    x = minigrad.tensor(_data(N, S, D_MODEL), requires_grad=True)

    def step() -> float:
        for p in layer.parameters():
            p.grad = None
        x.grad = None
        loss = layer(x).sum()
        loss.backward()
        return float(loss.item())

    return step


def encoder_torch() -> Any:
    import torch

    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(D_MODEL, HEADS, FF, batch_first=True)
    x = torch.tensor(_data(N, S, D_MODEL), requires_grad=True)

    def step() -> float:
        layer.zero_grad(set_to_none=True)
        x.grad = None
        loss = layer(x).sum()
        loss.backward()
        return float(loss.item())

    return step


CASES: _harness.Cases = {
    f"LSTM({INPUT}, {HIDDEN}) T={T} N={N} fwd+bwd": {
        "minigrad": lstm_minigrad,
        "torch": lstm_torch,
    },
    f"TransformerEncoderLayer(d={D_MODEL}, h={HEADS}, ff={FF}) N={N} S={S} fwd+bwd": {
        "minigrad": encoder_minigrad,
        "torch": encoder_torch,
    },
}

if __name__ == "__main__":
    _harness.main(CASES, "Sequence layers: forward + backward, minigrad vs PyTorch")
