"""PyTorch's device API, on the one device minigrad has: the CPU.

``minigrad.device("cpu")`` is accepted wherever PyTorch takes a device
(factories' ``device=``, ``Tensor.to``, ``Module.to``); asking for ``"cuda"``,
``"mps"`` or any other device raises a ``RuntimeError`` that says minigrad runs on
the CPU only, instead of silently computing somewhere else than asked.

Example:
    >>> import minigrad
    >>> dev = minigrad.device("cuda" if minigrad.cuda.is_available() else "cpu")
    >>> dev, dev.type, dev == "cpu"
    (device(type='cpu'), 'cpu', True)
    >>> minigrad.zeros(2, device=dev).to(dev).device
    device(type='cpu')
"""

from __future__ import annotations

from typing import Any

__all__ = ["device", "get_default_device", "set_default_device"]

# Every device type PyTorch names; all but "cpu" are refused with the same message.
_TORCH_TYPES = (
    "cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga",
    "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone",
)  # fmt: skip


class device:
    """A device: only the CPU (``device("cpu")``, ``device("cpu", 0)``, ``device("cpu:0")``).

    Args:
        type: ``"cpu"`` (optionally ``"cpu:<index>"``), or another ``device``.
        index: the device index; PyTorch allows one on the CPU and so does minigrad.

    Raises:
        RuntimeError: for any other device (``"cuda"``, ``"mps"``...): minigrad runs on
            the CPU only; or for a string that names no device.

    Example:
        >>> import minigrad
        >>> minigrad.device("cpu"), str(minigrad.device("cpu", 0))
        (device(type='cpu'), 'cpu:0')
        >>> minigrad.device("cuda")
        Traceback (most recent call last):
            ...
        RuntimeError: device('cuda'): minigrad runs on the CPU only; use 'cpu' ...
    """

    __slots__ = ("_index", "_type")

    def __init__(self, type: Any, index: int | None = None) -> None:
        if isinstance(type, device):
            if index is not None:
                raise RuntimeError(f"device(): an index was given twice ({type} and {index})")
            self._type, self._index = type.type, type.index
            return
        if isinstance(type, int) and not isinstance(type, bool):
            _refuse(f"device({type})", "an integer means an accelerator (CUDA) device")
        if not isinstance(type, str):
            raise TypeError(
                f"device(): expected a string or a device, got {_type_name(type)} ({type!r})"
            )
        name, _, tail = type.partition(":")
        if tail:
            if index is not None:
                raise RuntimeError(f"device(): an index was given twice ({type!r} and {index})")
            if not tail.isdigit():
                raise RuntimeError(f"Invalid device string: {type!r}")
            index = int(tail)
        if name not in _TORCH_TYPES:
            raise RuntimeError(
                "Expected one of " + ", ".join(_TORCH_TYPES) + f" device type at start of "
                f"device string: {type}"
            )
        if name != "cpu":
            _refuse(f"device({type!r})", f"{name!r} is not available")
        if index is not None and (not isinstance(index, int) or index < 0):
            raise RuntimeError(f"Device index must not be negative, got {index}")
        self._type, self._index = name, index

    @property
    def type(self) -> str:
        """The device type: always ``"cpu"``."""
        return self._type

    @property
    def index(self) -> int | None:
        """The device index, ``None`` unless one was given."""
        return self._index

    def __repr__(self) -> str:
        if self._index is None:
            return f"device(type='{self._type}')"
        return f"device(type='{self._type}', index={self._index})"

    def __str__(self) -> str:
        return self._type if self._index is None else f"{self._type}:{self._index}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            try:
                other = device(other)
            except (RuntimeError, TypeError):
                return False
        if not isinstance(other, device):
            return NotImplemented
        return (self._type, self._index) == (other._type, other._index)

    def __hash__(self) -> int:
        return hash((self._type, self._index))

    def __reduce__(self) -> Any:
        return (device, (self._type, self._index))


def _type_name(value: Any) -> str:
    return type(value).__name__


def _refuse(what: str, why: str) -> None:
    raise RuntimeError(
        f"{what}: minigrad runs on the CPU only; use 'cpu' (or "
        f"minigrad.device('cuda' if minigrad.cuda.is_available() else 'cpu')) ({why})"
    )


CPU = device("cpu")
_default_device = CPU


def as_device(value: Any, who: str) -> device | None:
    """``value`` as a :class:`device` (``None`` stays ``None``), refusing any but the CPU.

    Example:
        >>> from minigrad.device import as_device
        >>> as_device("cpu", "zeros"), as_device(None, "zeros")
        (device(type='cpu'), None)
    """
    if value is None or isinstance(value, device):
        return value
    try:
        return device(value)
    except RuntimeError as e:
        raise RuntimeError(f"{who}: {e}") from None


def set_default_device(device: Any) -> None:
    """Set the device factories use by default: only the CPU (``None`` resets it).

    Example:
        >>> import minigrad
        >>> minigrad.set_default_device("cpu")
        >>> minigrad.get_default_device()
        device(type='cpu')
    """
    global _default_device
    _default_device = CPU if device is None else as_device(device, "set_default_device") or CPU


def get_default_device() -> device:
    """The device factories create tensors on: ``device(type='cpu')``.

    Example:
        >>> import minigrad
        >>> minigrad.get_default_device()
        device(type='cpu')
    """
    return _default_device
