"""Short, readable text for graph labels: shapes, dtypes and an op's arguments."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

import numpy as np

_MAX_VALUE = 40  # characters of one formatted argument value
_MAX_ITEMS = 6  # elements of a tuple shown before "…"
_WRAP = 36  # characters per line of an op's argument list


def format_shape(shape: tuple[int, ...]) -> str:
    """``(2, 3)``; ``()`` for a scalar."""
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "(" + ", ".join(str(s) for s in shape) + ")"


def format_meta(meta: tuple[tuple[int, ...], Any] | None, shapes: bool, dtypes: bool) -> str:
    """The shape and/or dtype line of a tensor, or ``""`` when neither is asked for."""
    if meta is None:
        return ""
    shape, dtype = meta
    parts = []
    if shapes:
        parts.append(format_shape(tuple(shape)))
    if dtypes:
        parts.append(str(np.dtype(dtype)))
    return " ".join(parts)


def format_value(value: Any) -> str:
    """A compact rendering of one keyword argument of an op."""
    text = _format(value)
    return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 1] + "…"


def _format(value: Any) -> str:
    if value is None or isinstance(value, (bool, np.bool_, str)):
        return str(value)
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return f"{float(value):g}"
    if value is Ellipsis:
        return "..."
    if isinstance(value, slice):
        parts = ["" if v is None else str(v) for v in (value.start, value.stop, value.step)]
        return ":".join(parts[:2]) + (f":{parts[2]}" if value.step is not None else "")
    if isinstance(value, np.ndarray):
        return _format(value.item()) if value.ndim == 0 else f"array{format_shape(value.shape)}"
    if isinstance(value, (tuple, list)):
        items = [_format(v) for v in value[:_MAX_ITEMS]]
        if len(value) > _MAX_ITEMS:
            items.append("…")
        inner = ", ".join(items) + ("," if len(value) == 1 else "")
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    if isinstance(value, np.dtype):
        return str(value)
    if isinstance(value, type):
        return value.__name__
    shape = getattr(value, "shape", None)
    if isinstance(shape, tuple):  # a Tensor or another array-like
        return f"{type(value).__name__.lower()}{format_shape(shape)}"
    return repr(value)


def format_attrs(attrs: Mapping[str, Any]) -> list[str]:
    """An op's keyword arguments as ``key=value`` lines (``None`` values are left out)."""
    items = [f"{k}={format_value(v)}" for k, v in attrs.items() if v is not None]
    if not items:
        return []
    return textwrap.wrap(", ".join(items), _WRAP, break_long_words=False, break_on_hyphens=False)
