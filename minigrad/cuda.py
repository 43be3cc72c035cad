"""``torch.cuda`` as a program checks it: no CUDA device here (minigrad runs on the CPU).

``is_available()`` is ``False`` and ``device_count()`` is 0, so the usual
``"cuda" if torch.cuda.is_available() else "cpu"`` picks the CPU; the seeding
calls that PyTorch also accepts without a GPU do nothing. Anything that needs a
GPU raises a ``RuntimeError``.

Example:
    >>> import minigrad
    >>> minigrad.cuda.is_available(), minigrad.cuda.device_count()
    (False, 0)
"""

from __future__ import annotations

__all__ = [
    "current_device",
    "device_count",
    "is_available",
    "manual_seed",
    "manual_seed_all",
    "synchronize",
]


def is_available() -> bool:
    """Whether a CUDA device can be used: never (``False``).

    Example:
        >>> import minigrad
        >>> minigrad.cuda.is_available()
        False
    """
    return False


def device_count() -> int:
    """The number of CUDA devices: 0.

    Example:
        >>> import minigrad
        >>> minigrad.cuda.device_count()
        0
    """
    return 0


def manual_seed(seed: int) -> None:
    """Seed the CUDA generators: there are none, so nothing happens (as PyTorch without a GPU).

    Example:
        >>> import minigrad
        >>> minigrad.cuda.manual_seed(0)
    """
    int(seed)  # the same check PyTorch makes: an integer


def manual_seed_all(seed: int) -> None:
    """Seed every CUDA generator: there are none, so nothing happens.

    Example:
        >>> import minigrad
        >>> minigrad.cuda.manual_seed_all(0)
    """
    int(seed)


def _no_cuda(what: str) -> RuntimeError:
    return RuntimeError(f"{what}: minigrad runs on the CPU only; there is no CUDA device")


def current_device() -> int:
    """The current CUDA device: raises, there is none.

    Example:
        >>> import minigrad
        >>> minigrad.cuda.current_device()
        Traceback (most recent call last):
            ...
        RuntimeError: cuda.current_device(): minigrad runs on the CPU only; there is no CUDA device
    """
    raise _no_cuda("cuda.current_device()")


def synchronize(device: object = None) -> None:
    """Wait for CUDA work: raises, there is no CUDA device.

    Example:
        >>> import minigrad
        >>> minigrad.cuda.synchronize()
        Traceback (most recent call last):
            ...
        RuntimeError: cuda.synchronize(): minigrad runs on the CPU only; there is no CUDA device
    """
    raise _no_cuda("cuda.synchronize()")
