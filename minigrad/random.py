"""One seeded random generator for everything random in minigrad.

Every random draw in minigrad (``rand``, ``randn``, initialisers, dropout,
shuffling, augmentation) goes through :func:`default_generator`, so
``manual_seed`` makes a whole program reproducible, and ``get_rng_state`` /
``set_rng_state`` let a checkpoint resume the exact random stream.

Example:
    >>> import minigrad
    >>> _ = minigrad.manual_seed(0)
    >>> a = minigrad.rand(3)
    >>> _ = minigrad.manual_seed(0)
    >>> bool((minigrad.rand(3).numpy() == a.numpy()).all())
    True
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np

_generator: np.random.Generator = np.random.default_rng()


def manual_seed(seed: int) -> np.random.Generator:
    """Seed minigrad's global random generator and return it.

    Args:
        seed: a non-negative integer.

    Example:
        >>> import minigrad
        >>> g = minigrad.manual_seed(42)
        >>> g is minigrad.random.default_generator()
        True
    """
    global _generator
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"manual_seed: seed must be a non-negative integer, got {seed!r}")
    _generator = np.random.default_rng(int(seed))
    return _generator


def default_generator() -> np.random.Generator:
    """Return the global ``numpy.random.Generator`` that minigrad draws from.

    Example:
        >>> import minigrad
        >>> minigrad.random.default_generator().random() < 1.0
        True
    """
    return _generator


def get_rng_state() -> dict[str, Any]:
    """Return the global generator's state as a plain (JSON-compatible) dict.

    Example:
        >>> import minigrad
        >>> state = minigrad.get_rng_state()
        >>> x = minigrad.randn(2)
        >>> minigrad.set_rng_state(state)
        >>> bool((minigrad.randn(2).numpy() == x.numpy()).all())
        True
    """
    # NumPy's stub says Mapping; the property builds a fresh dict each time.
    return cast("dict[str, Any]", _generator.bit_generator.state)


def set_rng_state(state: dict[str, Any]) -> None:
    """Restore a state returned by :func:`get_rng_state`.

    Example:
        >>> import minigrad
        >>> state = minigrad.get_rng_state()
        >>> a = minigrad.rand(2)
        >>> minigrad.set_rng_state(state)
        >>> bool((minigrad.rand(2).numpy() == a.numpy()).all())
        True
    """
    global _generator
    name = state.get("bit_generator") if isinstance(state, dict) else None
    bit_generator_cls = getattr(np.random, str(name), None)
    if bit_generator_cls is None:
        raise ValueError(f"set_rng_state: not a generator state: {state!r:.80}")
    bit_generator = bit_generator_cls()
    bit_generator.state = state
    _generator = np.random.Generator(bit_generator)
