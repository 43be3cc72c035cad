"""``torch.backends.mps``: Apple's Metal backend, which minigrad has not (it runs on the CPU).

Example:
    >>> import minigrad
    >>> minigrad.backends.mps.is_available(), minigrad.backends.mps.is_built()
    (False, False)
"""

__all__ = ["is_available", "is_built"]


def is_available() -> bool:
    """Whether an MPS device can be used: never.

    Example:
        >>> from minigrad.backends import mps
        >>> mps.is_available()
        False
    """
    return False


def is_built() -> bool:
    """Whether minigrad was built with MPS support: no.

    Example:
        >>> from minigrad.backends import mps
        >>> mps.is_built()
        False
    """
    return False
