"""``torch.backends.cudnn``: the flags seeded scripts set (``deterministic``, ``benchmark``).

minigrad has no cuDNN (it runs on the CPU and is deterministic), so the flags
are plain attributes that programs may set and read back; they change nothing.

Example:
    >>> import minigrad
    >>> minigrad.backends.cudnn.benchmark = False
    >>> minigrad.backends.cudnn.deterministic = False
    >>> minigrad.backends.cudnn.deterministic, minigrad.backends.cudnn.is_available()
    (False, False)
"""

__all__ = ["is_available", "version"]

enabled: bool = True
deterministic: bool = False
benchmark: bool = False
allow_tf32: bool = False


def is_available() -> bool:
    """Whether cuDNN can be used: never.

    Example:
        >>> from minigrad.backends import cudnn
        >>> cudnn.is_available()
        False
    """
    return False


def version() -> None:
    """The cuDNN version: ``None``, as PyTorch reports without cuDNN.

    Example:
        >>> from minigrad.backends import cudnn
        >>> cudnn.version() is None
        True
    """
    return None
