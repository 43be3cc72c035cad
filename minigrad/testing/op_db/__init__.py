"""``op_db``: the OpInfo entry of every built-in op, one module per op family.

``op_db`` is a mapping from op name to :class:`~minigrad.testing.OpInfo`; the test
suite runs :func:`~minigrad.testing.check_op` on every entry, property by
property, and fails if a declared op has no entry.

Example:
    >>> from minigrad.testing import op_db
    >>> info = op_db["add"]
    >>> info.name, "gradgradcheck" in info.properties()
    ('add', True)
    >>> len(op_db) > 60
    True
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from minigrad.testing.op_db import (
    activation,
    attention,
    conv,
    dense,
    elementwise,
    index,
    linalg,
    loss,
    normalization,
    pool,
    recurrent,
    reduce,
    resample,
    scan,
    shape,
)
from minigrad.testing.op_db import math as math_ops
from minigrad.testing.op_db import random as random_ops
from minigrad.testing.opinfo import OpInfo

_FAMILIES = (
    elementwise,
    reduce,
    shape,
    linalg,
    conv,
    pool,
    loss,
    scan,
    index,
    random_ops,
    resample,
    math_ops,
    activation,
    normalization,
    dense,
    recurrent,
    attention,
)


class OpDB(Mapping[str, OpInfo]):
    """The entries, by name, in family order.

    Example:
        >>> from minigrad.testing import op_db
        >>> "matmul" in op_db
        True
    """

    def __init__(self, entries: list[OpInfo]) -> None:
        self._entries: dict[str, OpInfo] = {}
        for e in entries:
            if e.name in self._entries:
                raise ValueError(f"op_db: two entries named {e.name!r}")
            self._entries[e.name] = e

    def __getitem__(self, name: str) -> OpInfo:
        return self._entries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


op_db = OpDB([e for family in _FAMILIES for e in family.OPS])

__all__ = ["OpDB", "op_db"]
