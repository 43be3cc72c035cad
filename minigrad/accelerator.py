"""``torch.accelerator``: there is none; minigrad runs on the CPU.

``current_accelerator()`` is ``None`` (as PyTorch's on a machine without one), so
``torch.accelerator.current_accelerator().type if torch.accelerator.is_available()
else "cpu"`` picks the CPU.

Example:
    >>> import minigrad
    >>> minigrad.accelerator.is_available(), minigrad.accelerator.current_accelerator()
    (False, None)
"""

from __future__ import annotations

__all__ = ["current_accelerator", "device_count", "is_available"]


def is_available() -> bool:
    """Whether an accelerator can be used: never.

    Example:
        >>> import minigrad
        >>> minigrad.accelerator.is_available()
        False
    """
    return False


def current_accelerator(check_available: bool = False) -> None:
    """The accelerator in use: ``None`` (there is none).

    Example:
        >>> import minigrad
        >>> minigrad.accelerator.current_accelerator() is None
        True
    """
    return None


def device_count() -> int:
    """The number of accelerator devices: 0.

    Example:
        >>> import minigrad
        >>> minigrad.accelerator.device_count()
        0
    """
    return 0
