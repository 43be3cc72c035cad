"""``torch.backends`` as programs use it: ``mps`` and ``cudnn`` exist, neither is available.

Example:
    >>> import minigrad
    >>> minigrad.backends.mps.is_available(), minigrad.backends.cudnn.is_available()
    (False, False)
    >>> minigrad.backends.cudnn.deterministic = True  # as seeded scripts set it: harmless
"""

from minigrad.backends import cudnn, mps

__all__ = ["cudnn", "mps"]
