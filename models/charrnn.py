"""A character-level LSTM language model: embedding, a multi-layer ``nn.LSTM``, a linear head.

The recurrent counterpart of :mod:`models.gpt`, with the same ``forward(idx,
targets)`` and ``generate(idx, max_new_tokens, temperature, top_k)``. Generation
carries the LSTM state from token to token (the recurrent "cache"), so each new
character costs one step whatever the context length.

Example:
    >>> import minigrad
    >>> from models.charrnn import CharRNN, CharRNNConfig
    >>> _ = minigrad.manual_seed(0)
    >>> model = CharRNN(CharRNNConfig(vocab_size=11, n_embd=8, hidden_size=16, n_layer=2))
    >>> idx = minigrad.tensor([[1, 2, 3], [4, 5, 6]])
    >>> logits, loss = model(idx, targets=idx)
    >>> logits.shape, loss.shape
    (minigrad.Size([2, 3, 11]), minigrad.Size([]))
    >>> model.generate(idx, max_new_tokens=4).shape
    minigrad.Size([2, 7])
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

import minigrad
import minigrad.nn.functional as F
from minigrad import Tensor, nn
from models.sampling import check_sampling, sample_next

__all__ = ["CharRNN", "CharRNNConfig"]


@dataclass
class CharRNNConfig:
    """The size of a :class:`CharRNN`.

    ``block_size`` is the training context (the LSTM itself has no limit); it is
    recorded so that a weights file says how the model was trained.

    Example:
        >>> from models.charrnn import CharRNNConfig
        >>> CharRNNConfig().hidden_size
        256
    """

    vocab_size: int = 65
    n_embd: int = 128
    hidden_size: int = 256
    n_layer: int = 2
    dropout: float = 0.0
    block_size: int = 64

    def __post_init__(self) -> None:
        for name in ("vocab_size", "n_embd", "hidden_size", "n_layer", "block_size"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"CharRNNConfig: {name} must be a positive integer, got {value!r}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"CharRNNConfig: dropout must be in [0, 1), got {self.dropout}")


class CharRNN(nn.Module):
    """``Embedding -> LSTM (n_layer, batch_first) -> Linear`` over characters.

    Args:
        config: the sizes (:class:`CharRNNConfig`); ``dropout`` applies between
            LSTM layers and before the head.

    ``forward(idx, targets=None, state=None)`` takes ``(B, T)`` indices and returns
    ``(logits, loss)`` as :class:`models.gpt.GPT` does (all positions with targets,
    the last one without). Parameters: ``wte.weight``, ``lstm.weight_ih_l0``, ...,
    ``lm_head.weight``, ``lm_head.bias``.

    Example:
        >>> import minigrad
        >>> from models.charrnn import CharRNN, CharRNNConfig
        >>> model = CharRNN(CharRNNConfig(vocab_size=5, n_embd=4, hidden_size=6, n_layer=1))
        >>> sorted(model.state_dict())[:3]
        ['lm_head.bias', 'lm_head.weight', 'lstm.bias_hh_l0']
    """

    def __init__(self, config: CharRNNConfig) -> None:
        super().__init__()
        self.config = config
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.lstm = nn.LSTM(
            config.n_embd,
            config.hidden_size,
            num_layers=config.n_layer,
            batch_first=True,
            dropout=config.dropout if config.n_layer > 1 else 0.0,
        )
        self.drop = nn.Dropout(config.dropout)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size)

    def get_num_params(self) -> int:
        """The number of parameters.

        Example:
            >>> from models.charrnn import CharRNN, CharRNNConfig
            >>> CharRNN(CharRNNConfig(vocab_size=65, n_embd=128, hidden_size=256)).get_num_params()
            946625
        """
        return sum(p.numel() for p in self.parameters())

    def _run(self, idx: Tensor, state: Any = None) -> tuple[Tensor, Any]:
        idx = minigrad.tensor(idx) if not isinstance(idx, Tensor) else idx
        if idx.ndim != 2 or idx.dtype.kind not in "iu":
            raise ValueError(
                f"CharRNN: idx must be a 2-D integer tensor (batch, time), got shape {idx.shape} "
                f"and dtype {idx.dtype}"
            )
        out, state = self.lstm(self.wte(idx), state)
        return self.drop(out), state

    def forward(
        self, idx: Tensor, targets: Tensor | None = None, state: Any = None
    ) -> tuple[Tensor, Any]:
        h, _ = self._run(idx, state)
        if targets is None:
            return self.lm_head(h[:, -1:, :]), None
        logits = self.lm_head(h)
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
    ) -> Tensor:
        """Continue each row of ``idx`` ``(B, T)`` by ``max_new_tokens`` sampled tokens.

        The prompt runs through the LSTM once; each new token then costs one
        step from the carried state. Sampling is :func:`models.sampling.sample_next`
        (temperature, top-k, one multinomial draw from minigrad's generator).

        Example:
            >>> import minigrad
            >>> from models.charrnn import CharRNN, CharRNNConfig
            >>> model = CharRNN(CharRNNConfig(vocab_size=5, n_embd=4, hidden_size=6, n_layer=1))
            >>> _ = minigrad.manual_seed(3)
            >>> a = model.generate(minigrad.tensor([[0, 1]]), 10, temperature=0.8)
            >>> _ = minigrad.manual_seed(3)
            >>> a.shape, a.tolist() == model.generate(minigrad.tensor([[0, 1]]), 10, 0.8).tolist()
            (minigrad.Size([1, 12]), True)
        """
        check_sampling(temperature, top_k)
        tokens = np.asarray(idx.numpy() if isinstance(idx, Tensor) else idx, dtype=np.int64)
        if tokens.ndim != 2 or tokens.shape[1] == 0:
            raise ValueError(
                f"generate: idx must be (batch, time) with time >= 1, got {tokens.shape}"
            )
        was_training = self.training
        self.eval()
        pieces = [tokens]
        try:
            with minigrad.no_grad():
                h, state = self._run(minigrad.tensor(tokens))
                for i in range(max_new_tokens):
                    nxt = sample_next(self.lm_head(h[:, -1, :]).numpy(), temperature, top_k)
                    pieces.append(nxt)
                    if i + 1 < max_new_tokens:
                        h, state = self._run(minigrad.tensor(nxt), state)
        finally:
            self.train(was_training)
        return minigrad.tensor(np.concatenate(pieces, axis=1))

    def config_dict(self) -> dict[str, Any]:
        """The configuration as a plain dict (what a weights file records).

        Example:
            >>> from models.charrnn import CharRNN, CharRNNConfig
            >>> CharRNN(CharRNNConfig(n_layer=1)).config_dict()["n_layer"]
            1
        """
        return asdict(self.config)
