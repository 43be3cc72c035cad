"""A seedable random generator for data loading (torch's ``Generator``), and what accepts one.

Samplers, :func:`~minigrad.data.random_split` and the DataLoader take
``generator=``: a :class:`Generator` (``Generator().manual_seed(42)``, as in
PyTorch), a ``numpy.random.Generator``, or ``None`` for minigrad's global
generator (seeded by ``minigrad.manual_seed``).

Example:
    >>> from minigrad.data.generator import Generator
    >>> g = Generator().manual_seed(42)
    >>> a = g.permutation(5).tolist()
    >>> a == Generator().manual_seed(42).permutation(5).tolist()
    True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.random import default_generator

__all__ = ["Generator", "as_numpy_generator", "draw_seed"]


class Generator(np.random.Generator):
    """A random generator with torch's seeding methods; it is a ``numpy.random.Generator``.

    Args:
        device: only ``"cpu"`` (minigrad runs on the CPU).

    Example:
        >>> from minigrad.data.generator import Generator
        >>> g = Generator().manual_seed(0)
        >>> g.initial_seed(), int(g.integers(10))
        (0, 8)
    """

    def __init__(self, device: Any = "cpu") -> None:
        if str(device) != "cpu":
            raise RuntimeError(f"Generator: minigrad runs on the CPU only, got device={device!r}")
        seed = int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> 1)
        super().__init__(np.random.PCG64(seed))
        self._initial_seed = seed

    def manual_seed(self, seed: int) -> Generator:
        """Reseed in place and return ``self`` (so ``Generator().manual_seed(1)`` chains)."""
        if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
            raise TypeError(f"manual_seed expected an int, got {type(seed).__name__}")
        seed = int(seed) % 2**64  # torch accepts negative seeds and wraps them
        self.bit_generator.state = np.random.PCG64(seed).state
        self._initial_seed = seed
        return self

    def seed(self) -> int:
        """Reseed from fresh OS entropy and return the new seed."""
        seed = int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> 1)
        self.manual_seed(seed)
        return seed

    def initial_seed(self) -> int:
        """The seed last set by :meth:`manual_seed` (or drawn at construction)."""
        return self._initial_seed

    def get_state(self) -> dict[str, Any]:
        """The generator's state (a dict, where torch returns a ByteTensor)."""
        return dict(self.bit_generator.state)

    def set_state(self, state: dict[str, Any]) -> Generator:
        """Restore a :meth:`get_state` result and return ``self``."""
        self.bit_generator.state = state
        return self

    @property
    def device(self) -> str:
        """Always ``"cpu"``."""
        return "cpu"

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild_generator, (self.get_state(), self._initial_seed)


def _rebuild_generator(state: dict[str, Any], initial_seed: int) -> Generator:
    g = Generator().set_state(state)
    g._initial_seed = initial_seed
    return g


def as_numpy_generator(generator: Any, who: str) -> np.random.Generator:
    """The ``numpy.random.Generator`` to draw from: ``generator``, or the global one if None.

    Example:
        >>> import numpy as np
        >>> from minigrad.data.generator import as_numpy_generator
        >>> g = np.random.default_rng(0)
        >>> as_numpy_generator(g, "RandomSampler") is g
        True
    """
    if generator is None:
        return default_generator()
    if isinstance(generator, np.random.Generator):
        return generator
    inner = getattr(generator, "numpy_generator", None) or getattr(generator, "_rng", None)
    if isinstance(inner, np.random.Generator):
        return inner
    raise TypeError(
        f"{who}: generator must be a minigrad Generator or a numpy.random.Generator, "
        f"got {type(generator).__name__}"
    )


def draw_seed(generator: Any = None, who: str = "DataLoader") -> int:
    """Draw a fresh non-negative 63-bit seed from ``generator`` (default: the global one).

    Example:
        >>> from minigrad.data.generator import Generator, draw_seed
        >>> draw_seed(Generator().manual_seed(1)) == draw_seed(Generator().manual_seed(1))
        True
    """
    return int(as_numpy_generator(generator, who).integers(2**63))
