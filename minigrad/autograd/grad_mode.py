"""Grad modes: whether operations are recorded for autograd (thread-local).

``no_grad``, ``enable_grad``, ``set_grad_enabled`` and ``inference_mode`` work as
context managers and as decorators, as PyTorch's do.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _GradMode(threading.local):
    enabled: bool = True


_grad_mode = _GradMode()


def is_grad_enabled() -> bool:
    """Return whether operations are currently recorded for autograd.

    Example:
        >>> import minigrad
        >>> with minigrad.no_grad():
        ...     minigrad.is_grad_enabled()
        False
    """
    return _grad_mode.enabled


class _GradModeContext:
    """Base of the grad-mode context managers; each also works as a decorator."""

    _mode: bool = True

    def __new__(cls, *args: Any) -> Any:
        # ``@no_grad`` (without parentheses) decorates at once, as in PyTorch.
        if cls is not set_grad_enabled and len(args) == 1 and callable(args[0]):
            return object.__new__(cls)(args[0])
        return object.__new__(cls)

    def __enter__(self) -> None:
        self._prev = _grad_mode.enabled
        _grad_mode.enabled = self._mode

    def __exit__(self, *exc: object) -> None:
        _grad_mode.enabled = self._prev

    def __call__(self, fn: F) -> F:
        mode = self._mode

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            prev = _grad_mode.enabled
            _grad_mode.enabled = mode
            try:
                return fn(*args, **kwargs)
            finally:
                _grad_mode.enabled = prev

        return wrapper  # type: ignore[return-value]


class no_grad(_GradModeContext):
    """Context manager and decorator that disables graph recording.

    Example:
        >>> import minigrad
        >>> x = minigrad.ones(2, requires_grad=True)
        >>> with minigrad.no_grad():
        ...     y = x * 2
        >>> y.requires_grad
        False
    """

    _mode = False


class enable_grad(_GradModeContext):
    """Context manager and decorator that enables graph recording (inside ``no_grad``).

    Example:
        >>> import minigrad
        >>> x = minigrad.ones(2, requires_grad=True)
        >>> with minigrad.no_grad(), minigrad.enable_grad():
        ...     (x * 2).requires_grad
        True
    """

    _mode = True


class set_grad_enabled(_GradModeContext):
    """Set grad mode on or off: as a function call, a context manager or a decorator.

    Like PyTorch's, calling it sets the mode at once; leaving a ``with`` block
    restores the previous mode.

    Example:
        >>> import minigrad
        >>> with minigrad.set_grad_enabled(False):
        ...     minigrad.is_grad_enabled()
        False
        >>> minigrad.is_grad_enabled()
        True
    """

    def __init__(self, mode: bool) -> None:
        self._mode = bool(mode)
        self._prev = _grad_mode.enabled
        _grad_mode.enabled = self._mode

    def __enter__(self) -> None:
        pass

    def __call__(self, fn: F) -> F:
        _grad_mode.enabled = self._prev  # used as a decorator: undo the eager switch
        return super().__call__(fn)


class inference_mode(_GradModeContext):
    """Context manager and decorator that disables recording, as ``no_grad`` does.

    PyTorch's inference mode also skips version counting; minigrad keeps it (it is
    cheap here), so tensors made inside can still be used in recorded ops later.

    Example:
        >>> import minigrad
        >>> with minigrad.inference_mode():
        ...     (minigrad.ones(2, requires_grad=True) * 2).requires_grad
        False
    """

    _mode = False

    def __init__(self, mode: bool = True) -> None:
        self._mode = not mode
