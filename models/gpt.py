"""A GPT language model: nanoGPT's architecture written with ``minigrad.nn``.

Token and position embeddings, ``n_layer`` pre-LayerNorm blocks (causal
self-attention through :func:`minigrad.nn.functional.scaled_dot_product_attention`,
then a GELU MLP, each added to the residual stream), a final LayerNorm and a
language-model head tied to the token embedding. Initialisation is GPT-2's:
``N(0, 0.02)`` for every Linear and Embedding weight, zero biases, and the
residual projections (``c_proj``) at ``N(0, 0.02 / sqrt(2 * n_layer))``.

The parameter names are nanoGPT's (``transformer.wte.weight``,
``transformer.h.0.attn.c_attn.weight``, ``lm_head.weight``, ...), so a state
dict moves between the two: ``torch.from_numpy`` on each array loads it into
nanoGPT's ``GPT``, and ``GPT.load_state_dict`` takes nanoGPT's state dict.

Example:
    >>> import minigrad
    >>> from models.gpt import GPT, GPTConfig
    >>> _ = minigrad.manual_seed(0)
    >>> model = GPT(GPTConfig(block_size=8, vocab_size=11, n_layer=2, n_head=2, n_embd=16))
    >>> idx = minigrad.tensor([[1, 2, 3], [4, 5, 6]])
    >>> logits, loss = model(idx, targets=idx)
    >>> logits.shape, round(loss.item(), 1)
    (minigrad.Size([2, 3, 11]), 2.2)
    >>> model.generate(idx, max_new_tokens=4).shape
    minigrad.Size([2, 7])
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

import minigrad
import minigrad.nn.functional as F
from minigrad import Tensor, nn
from minigrad.nn import init
from models.sampling import check_sampling, sample_next

__all__ = ["GPT", "MLP", "Block", "CausalSelfAttention", "GPTConfig", "KVCache"]


@dataclass
class GPTConfig:
    """The size of a :class:`GPT` (nanoGPT's ``GPTConfig``, with its defaults: GPT-2 small).

    Example:
        >>> from models.gpt import GPTConfig
        >>> GPTConfig(n_layer=4, n_head=4, n_embd=128).n_embd // 4
        32
    """

    block_size: int = 1024
    vocab_size: int = 50304
    n_layer: int = 12
    n_head: int = 12
    n_embd: int = 768
    dropout: float = 0.0
    bias: bool = True

    def __post_init__(self) -> None:
        for name in ("block_size", "vocab_size", "n_layer", "n_head", "n_embd"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"GPTConfig: {name} must be a positive integer, got {value!r}")
        if self.n_embd % self.n_head:
            raise ValueError(
                f"GPTConfig: n_embd ({self.n_embd}) must be divisible by n_head ({self.n_head})"
            )
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"GPTConfig: dropout must be in [0, 1), got {self.dropout}")


def _ln(module: nn.LayerNorm, x: Tensor) -> Tensor:
    """``module(x)``: one fused layer-norm node (:func:`minigrad.ops.normalization.layer_norm`)."""
    return F.layer_norm(x, module.normalized_shape, module.weight, module.bias, module.eps)


class KVCache:
    """The keys and values of the tokens seen so far, per layer, for incremental decoding.

    ``layers[i]`` is ``(k, v)``, each ``(B, n_head, T, head_size)`` arrays, or ``None``
    before the first step. :meth:`GPT.generate` makes one while the context fits in
    ``block_size`` (after that every position's embedding changes at each step, so
    nanoGPT's cropped context has to be recomputed in full).

    Example:
        >>> from models.gpt import KVCache
        >>> KVCache(2).length
        0
    """

    def __init__(self, n_layer: int) -> None:
        self.layers: list[tuple[np.ndarray, np.ndarray] | None] = [None] * n_layer

    @property
    def length(self) -> int:
        """How many positions are cached."""
        first = self.layers[0]
        return 0 if first is None else int(first[0].shape[2])


class CausalSelfAttention(nn.Module):
    """Multi-head causal self-attention: ``c_attn`` makes q, k, v; ``c_proj`` mixes the heads.

    Shapes: input and output ``(B, T, n_embd)``.

    Example:
        >>> import minigrad
        >>> from models.gpt import CausalSelfAttention, GPTConfig
        >>> attn = CausalSelfAttention(GPTConfig(n_head=2, n_embd=8))
        >>> attn(minigrad.randn(3, 5, 8)).shape
        minigrad.Size([3, 5, 8])
    """

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd, bias=config.bias)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd, bias=config.bias)
        self.attn_dropout = nn.Dropout(config.dropout)
        self.resid_dropout = nn.Dropout(config.dropout)
        self.n_head = config.n_head
        self.n_embd = config.n_embd
        self.dropout = config.dropout

    def forward(self, x: Tensor, cache: KVCache | None = None, layer: int = 0) -> Tensor:
        B, T, C = x.shape
        hs = C // self.n_head
        q, k, v = F.linear(x, self.c_attn.weight, self.c_attn.bias).split(self.n_embd, dim=2)
        q, k, v = (
            t.view(B, T, self.n_head, hs).transpose(1, 2) for t in (q, k, v)
        )  # (B, nh, T, hs)
        if cache is None:
            y = F.scaled_dot_product_attention(
                q, k, v, dropout_p=self.dropout if self.training else 0.0, is_causal=True
            )
        else:
            y = self._cached(q, k, v, cache, layer)
        y = y.transpose(1, 2).reshape(B, T, C)
        return self.resid_dropout(F.linear(y, self.c_proj.weight, self.c_proj.bias))

    @staticmethod
    def _cached(q: Tensor, k: Tensor, v: Tensor, cache: KVCache, layer: int) -> Tensor:
        """Attend from the new positions to the cached ones and themselves (no gradient)."""
        past = cache.layers[layer]
        keys, values = k.numpy(), v.numpy()
        if past is not None:
            keys = np.concatenate([past[0], keys], axis=2)
            values = np.concatenate([past[1], values], axis=2)
        cache.layers[layer] = (keys, values)
        T, S = q.shape[2], keys.shape[2]
        # query i (at absolute position S - T + i) sees keys 0 .. S - T + i
        allowed = np.tril(np.ones((T, S), dtype=bool), k=S - T)
        return F.scaled_dot_product_attention(
            q, minigrad.tensor(keys), minigrad.tensor(values), attn_mask=minigrad.tensor(allowed)
        )


class MLP(nn.Module):
    """``c_proj(gelu(c_fc(x)))`` with a 4x wider hidden layer, then dropout.

    Example:
        >>> import minigrad
        >>> from models.gpt import MLP, GPTConfig
        >>> MLP(GPTConfig(n_head=2, n_embd=8))(minigrad.randn(2, 8)).shape
        minigrad.Size([2, 8])
    """

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd, bias=config.bias)
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd, bias=config.bias)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x: Tensor) -> Tensor:
        h = F.linear(x, self.c_fc.weight, self.c_fc.bias)
        h = self.gelu(h)
        return self.dropout(F.linear(h, self.c_proj.weight, self.c_proj.bias))


class Block(nn.Module):
    """A pre-LayerNorm transformer block: ``x + attn(ln_1(x))``, then ``x + mlp(ln_2(x))``.

    Example:
        >>> import minigrad
        >>> from models.gpt import Block, GPTConfig
        >>> Block(GPTConfig(n_head=2, n_embd=8))(minigrad.randn(1, 4, 8)).shape
        minigrad.Size([1, 4, 8])
    """

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd, bias=config.bias)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = nn.LayerNorm(config.n_embd, bias=config.bias)
        self.mlp = MLP(config)

    def forward(self, x: Tensor, cache: KVCache | None = None, layer: int = 0) -> Tensor:
        x = x + self.attn(_ln(self.ln_1, x), cache, layer)
        return x + self.mlp(_ln(self.ln_2, x))


class GPT(nn.Module):
    """nanoGPT's GPT: embeddings, ``n_layer`` blocks, final LayerNorm, tied LM head.

    Args:
        config: the sizes (:class:`GPTConfig`).

    ``forward(idx, targets=None)`` takes token indices ``(B, T)`` with ``T <= block_size``
    and returns ``(logits, loss)`` as nanoGPT does: with targets, logits for every
    position ``(B, T, vocab_size)`` and the mean cross-entropy (targets ``-1`` are
    ignored); without, logits for the last position only ``(B, 1, vocab_size)`` and
    ``None``.

    Example:
        >>> import minigrad
        >>> from models.gpt import GPT, GPTConfig
        >>> model = GPT(GPTConfig(block_size=16, vocab_size=65, n_layer=1, n_head=2, n_embd=8))
        >>> model.lm_head.weight is model.transformer.wte.weight
        True
        >>> model(minigrad.tensor([[0, 1, 2]]))[0].shape
        minigrad.Size([1, 1, 65])
    """

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.config = config
        self.transformer = nn.ModuleDict(
            {
                "wte": nn.Embedding(config.vocab_size, config.n_embd),
                "wpe": nn.Embedding(config.block_size, config.n_embd),
                "drop": nn.Dropout(config.dropout),
                "h": nn.ModuleList([Block(config) for _ in range(config.n_layer)]),
                "ln_f": nn.LayerNorm(config.n_embd, bias=config.bias),
            }
        )
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        self.transformer.wte.weight = self.lm_head.weight  # weight tying
        self.apply(self._init_weights)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * config.n_layer))

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        if isinstance(module, nn.Linear):
            init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            init.normal_(module.weight, mean=0.0, std=0.02)

    def get_num_params(self, non_embedding: bool = True) -> int:
        """The number of parameters (without the position embedding, as nanoGPT counts).

        Example:
            >>> from models.gpt import GPT, GPTConfig
            >>> GPT(GPTConfig(block_size=64, vocab_size=65, n_layer=4, n_head=4, n_embd=128,
            ...               bias=False)).get_num_params()
            795904
        """
        n = sum(p.numel() for p in self.parameters())
        return n - self.transformer.wpe.weight.numel() if non_embedding else n

    def _hidden(self, idx: Tensor, cache: KVCache | None = None) -> Tensor:
        """The final LayerNorm's output ``(B, T, n_embd)`` for tokens ``idx``."""
        idx = minigrad.tensor(idx) if not isinstance(idx, Tensor) else idx
        if idx.ndim != 2 or idx.dtype.kind not in "iu":
            raise ValueError(
                f"GPT: idx must be a 2-D integer tensor (batch, time), got shape {idx.shape} "
                f"and dtype {idx.dtype}"
            )
        t = idx.shape[1]
        start = 0 if cache is None else cache.length
        if start + t > self.config.block_size:
            raise ValueError(
                f"GPT: cannot forward a sequence of length {start + t}, block size is only "
                f"{self.config.block_size}"
            )
        pos = minigrad.arange(start, start + t)
        x = self.transformer.drop(self.transformer.wte(idx) + self.transformer.wpe(pos))
        for i, block in enumerate(self.transformer.h):
            x = block(x, cache, i)
        return _ln(self.transformer.ln_f, x)

    def forward(self, idx: Tensor, targets: Tensor | None = None) -> tuple[Tensor, Any]:
        x = self._hidden(idx)
        if targets is None:
            return F.linear(x[:, -1:, :], self.lm_head.weight), None
        logits = F.linear(x, self.lm_head.weight)
        loss = F.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=-1
        )
        return logits, loss

    def generate(
        self,
        idx: Tensor,
        max_new_tokens: int,
        temperature: float = 1.0,
        top_k: int | None = None,
        use_cache: bool = True,
    ) -> Tensor:
        """Continue each row of ``idx`` ``(B, T)`` by ``max_new_tokens`` sampled tokens.

        As nanoGPT's: the context is cropped to the last ``block_size`` tokens,
        the last logits are divided by ``temperature`` and, with ``top_k``, all
        but the ``k`` largest are dropped before one multinomial draw (from
        minigrad's seeded generator). With ``use_cache`` the keys and values of
        past tokens are kept while the context fits in ``block_size`` (the same
        tokens, fewer operations). Runs without recording a graph, in eval mode,
        and restores the previous mode.

        Returns:
            ``(B, T + max_new_tokens)`` int64 indices.

        Example:
            >>> import minigrad
            >>> from models.gpt import GPT, GPTConfig
            >>> model = GPT(GPTConfig(block_size=8, vocab_size=5, n_layer=1, n_head=1, n_embd=4))
            >>> _ = minigrad.manual_seed(1)
            >>> a = model.generate(minigrad.tensor([[0]]), 12, top_k=2)
            >>> _ = minigrad.manual_seed(1)
            >>> b = model.generate(minigrad.tensor([[0]]), 12, top_k=2, use_cache=False)
            >>> a.shape, a.tolist() == b.tolist()
            (minigrad.Size([1, 13]), True)
        """
        check_sampling(temperature, top_k)
        tokens = np.asarray(idx.numpy() if isinstance(idx, Tensor) else idx, dtype=np.int64)
        if tokens.ndim != 2 or tokens.shape[1] == 0:
            raise ValueError(
                f"generate: idx must be (batch, time) with time >= 1, got {tokens.shape}"
            )
        was_training = self.training
        self.eval()
        block = self.config.block_size
        cache = KVCache(self.config.n_layer) if use_cache else None
        fed = 0  # how many tokens of `tokens` the cache holds
        try:
            with minigrad.no_grad():
                for _ in range(max_new_tokens):
                    n = tokens.shape[1]
                    if cache is not None and n <= block:
                        x = self._hidden(minigrad.tensor(tokens[:, fed:]), cache)
                        fed = n
                    else:
                        x = self._hidden(minigrad.tensor(tokens[:, -block:]))
                    logits = F.linear(x[:, -1, :], self.lm_head.weight).numpy()
                    tokens = np.concatenate([tokens, sample_next(logits, temperature, top_k)], 1)
        finally:
            self.train(was_training)
        return minigrad.tensor(tokens)

    def config_dict(self) -> dict[str, Any]:
        """The configuration as a plain dict (what a weights file records).

        Example:
            >>> from models.gpt import GPT, GPTConfig
            >>> GPT(GPTConfig(block_size=4, vocab_size=3, n_layer=1, n_head=1, n_embd=2)
            ...     ).config_dict()["n_embd"]
            2
        """
        return asdict(self.config)
