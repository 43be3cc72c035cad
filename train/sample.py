"""Sample text from a character language model trained by ``train.shakespeare``.

Usage::

    python -m train.sample --weights models/weights/gpt_shakespeare.npz
    python -m train.sample --weights runs/shakespeare-gpt/best.npz --prompt "ROMEO:" \\
        --chars 300 --temperature 0.8 --top-k 20 --seed 1

The weights file carries the model kind, its configuration and the vocabulary
(see :func:`train.lm.save_lm`), so nothing else is needed. The prompt (default: a
newline, as nanoGPT's ``sample.py``) is printed followed by ``--chars`` generated
characters; the time taken goes to stderr. Errors (a missing or foreign weights
file, prompt characters outside the vocabulary) are ``error: ...`` with status 2.
"""

from __future__ import annotations

import argparse
import math
import sys
import time

import minigrad
from train.cli import guarded
from train.lm import encode, load_lm


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {text}")
    return value


def _temperature(text: str) -> float:
    value = float(text)
    if not value > 0 or math.isinf(value):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def parser() -> argparse.ArgumentParser:
    """The command-line parser.

    Example:
        >>> from train.sample import parser
        >>> parser().parse_args(["--weights", "w.npz"]).chars
        500
    """
    p = argparse.ArgumentParser(
        prog="python -m train.sample", description="Sample text from a character language model."
    )
    p.add_argument("--weights", required=True, help="a .npz written by train.shakespeare")
    p.add_argument("--prompt", default="\n", help="the text to continue (default: a newline)")
    p.add_argument("--chars", type=_non_negative_int, default=500, help="characters to generate")
    p.add_argument("--temperature", type=_temperature, default=1.0, help="< 1: more conservative")
    p.add_argument("--top-k", type=_positive_int, default=None, help="sample among the k likeliest")
    p.add_argument("--seed", type=_non_negative_int, default=1337)
    p.add_argument("--debug", action="store_true", help="show a traceback on errors")
    return p


def sample(
    weights: str, prompt: str, chars: int, temperature: float = 1.0, top_k: int | None = None,
    seed: int = 1337,
) -> str:  # fmt: skip
    """The prompt followed by ``chars`` characters sampled from the model in ``weights``.

    Raises:
        ValueError: an empty prompt, or one with characters outside the vocabulary
            (named), or a weights file that is not a character language model.
    """
    model, _, vocab = load_lm(weights)
    if not prompt:
        raise ValueError("--prompt must hold at least one character")
    try:
        tokens = encode(prompt, vocab)
    except ValueError as e:
        raise ValueError(f"--prompt: {e} (the model's characters: {vocab!r})") from None
    minigrad.manual_seed(seed)
    out = model.generate(minigrad.tensor(tokens[None, :]), chars, temperature, top_k)
    return "".join(vocab[i] for i in out.numpy()[0])


def main(argv: list[str] | None = None) -> int:
    """Run the program; returns the exit status."""
    args = parser().parse_args(argv)

    def body() -> int:
        start = time.perf_counter()
        text = sample(args.weights, args.prompt, args.chars, args.temperature, args.top_k,
                      args.seed)  # fmt: skip
        print(text)
        print(f"({args.chars} characters in {time.perf_counter() - start:.2f} s)", file=sys.stderr)
        return 0

    return guarded(body, args.debug, "python -m train.sample")


if __name__ == "__main__":
    sys.exit(main())
