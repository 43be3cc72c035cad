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


#: The bit generators whose state :func:`set_rng_state` restores (all share one schema).
ALLOWED_BIT_GENERATORS: dict[str, type[np.random.BitGenerator]] = {
    "PCG64": np.random.PCG64,
    "PCG64DXSM": np.random.PCG64DXSM,
}
_STATE_KEYS = {"bit_generator", "state", "has_uint32", "uinteger"}


def _check_int(value: Any, what: str, bound: int) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, np.integer))
        or not 0 <= value < bound
    ):
        raise ValueError(
            f"set_rng_state: {what} must be an integer in [0, 2**{bound.bit_length() - 1}), "
            f"got {value!r:.80}"
        )
    return int(value)


def _validated(state: Any) -> tuple[type[np.random.BitGenerator], dict[str, Any]]:
    """Check a generator state against the one schema allowed; return its class and a copy."""
    if not isinstance(state, dict):
        raise ValueError(f"set_rng_state: expected a dict, got {type(state).__name__}")
    name = state.get("bit_generator")
    if not isinstance(name, str) or name not in ALLOWED_BIT_GENERATORS:
        raise ValueError(
            f"set_rng_state: bit_generator must be one of {sorted(ALLOWED_BIT_GENERATORS)}, "
            f"got {name!r:.80}"
        )
    if set(state) != _STATE_KEYS:
        raise ValueError(
            f"set_rng_state: expected the keys {sorted(_STATE_KEYS)}, got {sorted(map(str, state))}"
        )
    inner = state["state"]
    if not isinstance(inner, dict) or set(inner) != {"state", "inc"}:
        raise ValueError(
            f"set_rng_state: expected 'state' to be a dict with keys 'state' and 'inc', "
            f"got {inner!r:.80}"
        )
    return ALLOWED_BIT_GENERATORS[name], {
        "bit_generator": name,
        "state": {
            "state": _check_int(inner["state"], "state['state']", 2**128),
            "inc": _check_int(inner["inc"], "state['inc']", 2**128),
        },
        "has_uint32": _check_int(state["has_uint32"], "has_uint32", 2),
        "uinteger": _check_int(state["uinteger"], "uinteger", 2**32),
    }


def set_rng_state(state: dict[str, Any]) -> None:
    """Restore a state returned by :func:`get_rng_state`.

    Only the bit generators in :data:`ALLOWED_BIT_GENERATORS` are accepted, and
    every field is checked before anything is built: a state read from a file
    can restore a stream, never select something else to call.

    Raises:
        ValueError: the state is not a valid state of an allowed bit generator.

    Example:
        >>> import minigrad
        >>> state = minigrad.get_rng_state()
        >>> a = minigrad.rand(2)
        >>> minigrad.set_rng_state(state)
        >>> bool((minigrad.rand(2).numpy() == a.numpy()).all())
        True
        >>> minigrad.set_rng_state({"bit_generator": "test"})
        Traceback (most recent call last):
        ...
        ValueError: set_rng_state: bit_generator must be one of ['PCG64', 'PCG64DXSM'], got 'test'
    """
    global _generator
    bit_generator_cls, checked = _validated(state)
    bit_generator = bit_generator_cls()
    bit_generator.state = checked
    _generator = np.random.Generator(bit_generator)
