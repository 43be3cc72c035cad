"""Character-level language modelling: the text, its vocabulary, batches, and weights files.

What ``train.shakespeare`` and ``train.sample`` share:

* :func:`find_text` locates the corpus (``--data FILE``, else
  ``<data root>/tinyshakespeare/input.txt`` with the root from ``--data-dir`` or
  ``$MINIGRAD_DATA``) and says where it looked when it is missing;
* :class:`CharData` is nanoGPT's ``shakespeare_char`` preparation: the sorted
  characters are the tokens, the first 90% of the text trains and the last 10%
  validates; :meth:`CharData.get_batch` draws nanoGPT's random windows from
  minigrad's seeded generator;
* :func:`save_lm` / :func:`load_lm` write and read a weights file: a data-only
  ``.npz`` (:func:`minigrad.save`, never pickle) holding the state dict, the model
  kind, its configuration and the vocabulary, so a file is all ``train.sample`` needs.

Example:
    >>> from train.lm import CharData
    >>> data = CharData("hello world, hello")
    >>> data.vocab, data.decode(data.encode("hold"))
    (' ,dehlorw', 'hold')
    >>> len(data.train), len(data.val)
    (16, 2)
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path
from typing import Any

import numpy as np

import minigrad
from minigrad import nn
from minigrad.data import default_root
from minigrad.random import default_generator
from models.charrnn import CharRNN, CharRNNConfig
from models.gpt import GPT, GPTConfig

WEIGHTS_FORMAT = "minigrad-char-lm"
MODELS = ("gpt", "lstm")
#: The corpus under the data root, as nanoGPT's data/shakespeare_char has it.
TEXT_PATH = Path("tinyshakespeare") / "input.txt"
MAX_TEXT_BYTES = 64 * 2**20


def find_text(data: str | None, data_dir: str | None) -> Path:
    """The corpus: ``data``, else ``<data_dir or $MINIGRAD_DATA>/tinyshakespeare/input.txt``.

    Raises:
        FileNotFoundError: naming the path looked at and how to point at the file.

    Example:
        >>> from train.lm import find_text
        >>> find_text(None, "/nowhere")
        Traceback (most recent call last):
        ...
        FileNotFoundError: no text at /nowhere/tinyshakespeare/input.txt (from --data-dir); ...
    """
    if data is not None:
        path, origin = Path(data).expanduser(), "--data"
    else:
        root = Path(data_dir).expanduser() if data_dir is not None else default_root()
        origin = (
            "--data-dir"
            if data_dir is not None
            else "$MINIGRAD_DATA"
            if os.environ.get("MINIGRAD_DATA")
            else "the default root ~/.cache/minigrad, $MINIGRAD_DATA being unset"
        )
        path = root / TEXT_PATH
    if not path.is_file():
        raise FileNotFoundError(
            f"no text at {path} (from {origin}); set MINIGRAD_DATA to the folder that holds "
            f"{TEXT_PATH} (e.g. MINIGRAD_DATA=../shared/data), or pass --data-dir DIR "
            f"or --data FILE"
        )
    return path


def read_text(path: Path) -> str:
    """The UTF-8 text of ``path`` (at most 64 MiB), refusing what is not text.

    Example:
        >>> import tempfile, pathlib
        >>> from train.lm import read_text
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.txt"
        >>> _ = p.write_text("To be")
        >>> read_text(p)
        'To be'
    """
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise ValueError(f"{path}: {size} bytes is more text than this program reads (64 MiB)")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"{path} is not UTF-8 text ({e})") from None
    if len(text) < 2:
        raise ValueError(f"{path} holds {len(text)} characters; a language model needs more")
    return text


def encode(text: str, vocab: str) -> np.ndarray:
    """Token indices (int64) of ``text`` in ``vocab``; a ``ValueError`` names unknown characters.

    Example:
        >>> from train.lm import encode
        >>> encode("abba", "ab").tolist()
        [0, 1, 1, 0]
        >>> encode("abc!", "ab")
        Traceback (most recent call last):
        ...
        ValueError: 2 character(s) are not in the vocabulary of 2: '!', 'c'
    """
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    known = np.fromiter((ord(c) for c in vocab), dtype=np.uint32, count=len(vocab))
    order = np.argsort(known)
    pos = np.minimum(np.searchsorted(known[order], codes), len(known) - 1)
    tokens = order[pos]
    bad = known[tokens] != codes
    if bad.any():
        missing = sorted({chr(c) for c in np.unique(codes[bad])})
        raise ValueError(
            f"{len(missing)} character(s) are not in the vocabulary of {len(vocab)}: "
            + ", ".join(repr(c) for c in missing[:20])
            + (" ..." if len(missing) > 20 else "")
        )
    return tokens.astype(np.int64)


class CharData:
    """A text as tokens: its sorted characters are the vocabulary; 90% trains, 10% validates.

    Args:
        text: the corpus.
        vocab: use this vocabulary instead of the text's own (every character of
            the text must be in it).

    Attributes:
        vocab: the characters in sorted order (token ``i`` is ``vocab[i]``).
        train, val: the two splits as int64 token arrays, in the text's order.
        digest: CRC-32 of the text, which a checkpoint records.

    Example:
        >>> import minigrad
        >>> from train.lm import CharData
        >>> data = CharData("abcdefghij" * 10)
        >>> _ = minigrad.manual_seed(0)
        >>> x, y = data.get_batch("train", batch_size=3, block_size=4)
        >>> x.shape, bool((x.numpy()[:, 1:] == y.numpy()[:, :-1]).all())
        (minigrad.Size([3, 4]), True)
    """

    def __init__(self, text: str, vocab: str | None = None) -> None:
        self.vocab = "".join(sorted(set(text))) if vocab is None else vocab
        self.stoi = {c: i for i, c in enumerate(self.vocab)}
        tokens = self.encode(text)
        n = int(0.9 * len(tokens))
        self.train, self.val = tokens[:n], tokens[n:]
        self.digest = zlib.crc32(text.encode("utf-8"))
        self.n_chars = len(text)

    def encode(self, text: str) -> np.ndarray:
        """Token indices of ``text`` (see :func:`encode`)."""
        return encode(text, self.vocab)

    def decode(self, tokens: Any) -> str:
        """The text of token indices."""
        return "".join(self.vocab[int(i)] for i in np.asarray(tokens).ravel())

    def get_batch(
        self, split: str, batch_size: int, block_size: int
    ) -> tuple[minigrad.Tensor, minigrad.Tensor]:
        """``batch_size`` random windows of ``block_size`` tokens and the same shifted by one.

        As nanoGPT's ``get_batch``: window starts drawn uniformly from
        ``[0, len(split) - block_size)`` (from minigrad's generator).
        """
        data = self.train if split == "train" else self.val
        if len(data) <= block_size:
            raise ValueError(
                f"the {split} split has {len(data)} tokens, too few for windows of "
                f"--block-size {block_size}"
            )
        starts = default_generator().integers(0, len(data) - block_size, size=batch_size)
        rows = starts[:, None] + np.arange(block_size)
        return minigrad.tensor(data[rows]), minigrad.tensor(data[rows + 1])

    def windows(self, split: str, block_size: int) -> tuple[np.ndarray, np.ndarray]:
        """The split cut into consecutive non-overlapping windows ``(n, block_size)`` and targets.

        Example:
            >>> from train.lm import CharData
            >>> x, y = CharData("abcdefghij" * 10).windows("val", 4)
            >>> x.shape, y[0].tolist() == x[0].tolist()[1:] + [x[1, 0]]
            ((2, 4), True)
        """
        data = self.train if split == "train" else self.val
        n = (len(data) - 1) // block_size
        return (
            data[: n * block_size].reshape(n, block_size),
            data[1 : n * block_size + 1].reshape(n, block_size),
        )


def build_lm(kind: str, config: dict[str, Any]) -> nn.Module:
    """A :class:`models.gpt.GPT` (``kind='gpt'``) or :class:`models.charrnn.CharRNN` (``'lstm'``).

    Example:
        >>> from train.lm import build_lm
        >>> type(build_lm("lstm", {"vocab_size": 5, "n_layer": 1})).__name__
        'CharRNN'
    """
    if kind == "gpt":
        return GPT(GPTConfig(**config))
    if kind == "lstm":
        return CharRNN(CharRNNConfig(**config))
    raise ValueError(f"unknown model {kind!r}; expected one of {MODELS}")


def save_lm(path: str | os.PathLike[str], model: Any, kind: str, vocab: str) -> None:
    """Write ``model``'s weights with its kind, configuration and vocabulary (atomically).

    Example:
        >>> import tempfile, os
        >>> from train.lm import build_lm, load_lm, save_lm
        >>> path = os.path.join(tempfile.mkdtemp(), "lm.npz")
        >>> save_lm(path, build_lm("lstm", {"vocab_size": 3, "n_layer": 1}), "lstm", "abc")
        >>> model, kind, vocab = load_lm(path)
        >>> kind, vocab
        ('lstm', 'abc')
    """
    minigrad.save(
        {
            "format": WEIGHTS_FORMAT,
            "model": kind,
            "config": model.config_dict(),
            "vocab": vocab,
            "state_dict": model.state_dict(),
        },
        path,
    )


def load_lm(path: str | os.PathLike[str]) -> tuple[nn.Module, str, str]:
    """Read a weights file of :func:`save_lm`: returns ``(model in eval mode, kind, vocab)``.

    Raises:
        ValueError: not such a file (a bare state dict, a checkpoint, another
            format), a configuration or vocabulary that does not fit the weights,
            or non-finite weights; the message names the file and what is wrong.
    """
    if not Path(path).is_file():
        raise FileNotFoundError(f"no weights file at {path}")
    state = minigrad.load(path)
    where = f"{path}"
    if not isinstance(state, dict) or state.get("format") != WEIGHTS_FORMAT:
        hint = ""
        if isinstance(state, dict) and state.get("format") == "minigrad-lm-checkpoint":
            hint = "; it is a training checkpoint: use best.npz or model.npz from the same folder"
        elif isinstance(state, dict) and "format" not in state:
            hint = (
                "; it is a bare state dict with no vocabulary (weights of another model?), not "
                "a language model written by train.shakespeare"
            )
        raise ValueError(f"{where} is not a character language-model weights file{hint}")
    kind, config, vocab, weights = (
        state.get(k) for k in ("model", "config", "vocab", "state_dict")
    )
    if kind not in MODELS or not isinstance(config, dict) or not isinstance(weights, dict):
        raise ValueError(
            f"{where}: damaged weights file (model {kind!r:.40}, config or state dict)"
        )
    if not isinstance(vocab, str) or len(set(vocab)) != len(vocab) or not vocab:
        raise ValueError(f"{where}: the vocabulary is missing or damaged")
    if config.get("vocab_size") != len(vocab):
        raise ValueError(
            f"{where}: the model has vocab_size {config.get('vocab_size')!r} but the file's "
            f"vocabulary has {len(vocab)} characters; the file is inconsistent"
        )
    try:
        model = build_lm(kind, config)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{where}: the recorded {kind} configuration is not valid ({e})") from None
    for name, value in weights.items():
        array = value.numpy() if isinstance(value, minigrad.Tensor) else value
        if (
            isinstance(array, np.ndarray)
            and array.dtype.kind == "f"
            and not np.isfinite(array).all()
        ):
            raise ValueError(f"{where}: {name!r} holds NaN or infinite values (a diverged run?)")
    try:
        model.load_state_dict(weights)
    except (RuntimeError, TypeError) as e:
        raise ValueError(
            f"{where}: the weights do not fit a {kind} model of the recorded configuration: {e}"
        ) from None
    model.eval()
    return model, kind, vocab
