"""The op registry: declaring an op once gives its function, Tensor method, export and docs.

Every op is a function in one of the family modules of :mod:`minigrad.ops`,
decorated with :func:`op`. The decorator records how the op shows up elsewhere;
``python -m minigrad.ops.codegen`` then writes the three things that follow from
the declarations (the Tensor methods and operator dunders in ``tensor.py``, the
exports in ``minigrad/ops/__init__.py``, and the API page ``docs/api/ops.md``), and a
test fails if any of them is out of date or if a declared op lacks an OpInfo
entry in :data:`minigrad.testing.op_db` or a runnable example.

Example:
    >>> from minigrad.ops._registry import REGISTRY
    >>> decl = REGISTRY["add"]
    >>> decl.family, decl.methods, decl.dunders, decl.inplace
    ('elementwise', ('add',), ('__add__', '__radd__', '__iadd__'), True)
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class OpDecl:
    """How one op appears: its function, Tensor methods, operators and exports.

    Attributes:
        name: the function's name (``minigrad.ops.<name>``).
        fn: the function itself.
        family: the module of :mod:`minigrad.ops` that defines it.
        methods: names of the Tensor methods that call it with ``self`` first.
        dunders: operator methods; ``__rX__`` swaps the operands.
        inplace: whether ``<name>_`` exists as an in-place Tensor method.
        export: whether it is ``minigrad.<name>`` (as ``torch.<name>``).
        differentiable: whether it has a gradient (and so needs gradcheck in its OpInfo).
        self_arg: the parameter that ``self`` fills in the methods (the first by default).
    """

    name: str
    fn: Callable[..., Any]
    family: str
    methods: tuple[str, ...]
    dunders: tuple[str, ...]
    inplace: bool
    export: bool
    differentiable: bool
    self_arg: str | None = None


REGISTRY: dict[str, OpDecl] = {}


def op(
    *,
    method: bool | str | tuple[str, ...] = True,
    dunders: tuple[str, ...] = (),
    inplace: bool = False,
    export: bool = True,
    differentiable: bool = True,
    self_arg: str | None = None,
) -> Callable[[F], F]:
    """Declare an op: decorate its function in a family module of ``minigrad.ops``.

    Args:
        method: ``True`` for a Tensor method of the same name, a name (or names)
            for others, ``False`` for none.
        dunders: operator methods, e.g. ``("__add__", "__radd__")``.
        inplace: also generate the in-place method ``<name>_`` (PyTorch's
            ``add_``): it computes the op, checks the dtype can be kept, and writes
            the result into ``self`` (recorded for autograd when needed).
        export: make it ``minigrad.<name>``.
        differentiable: the op has a gradient.
        self_arg: the parameter ``self`` fills in the methods (default: the first),
            e.g. ``"input"`` for ``where(condition, input, other)``.

    Example (as the family modules use it):
        >>> from minigrad.ops._registry import op
        >>> op(method="neg", dunders=("__neg__",))  # doctest: +ELLIPSIS
        <function op.<locals>.declare at ...>
    """
    if method is True:
        methods: tuple[str, ...] = ()  # filled with the function's name below
    elif method is False:
        methods = ()
    elif isinstance(method, str):
        methods = (method,)
    else:
        methods = tuple(method)

    def declare(fn: F) -> F:
        name = fn.__name__
        family = fn.__module__.rpartition(".")[2]
        if name in REGISTRY and REGISTRY[name].fn is not fn:
            raise ValueError(f"op {name!r} is declared twice ({REGISTRY[name].family}, {family})")
        REGISTRY[name] = OpDecl(
            name=name,
            fn=fn,
            family=family,
            methods=(name,) if method is True else methods,
            dunders=tuple(dunders),
            inplace=inplace,
            export=export,
            differentiable=differentiable,
            self_arg=self_arg,
        )
        if export and "out" not in inspect.signature(fn).parameters:
            return _with_out(fn)  # type: ignore[return-value]
        return fn

    return declare


def _with_out(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` with PyTorch's ``out=`` keyword: the result is also written into ``out``.

    The gradient does not flow through ``out`` (PyTorch refuses ``out=`` when an
    argument requires grad and autograd records, and so does this).
    """

    @functools.wraps(fn)
    def with_out(*args: Any, out: Any = None, **kwargs: Any) -> Any:
        if out is None:
            return fn(*args, **kwargs)
        from minigrad.autograd.grad_mode import is_grad_enabled
        from minigrad.tensor import Tensor

        if is_grad_enabled() and any(
            isinstance(a, Tensor) and a.requires_grad for a in (*args, *kwargs.values())
        ):
            raise RuntimeError(
                f"{fn.__name__}(): functions with out=... arguments don't support automatic "
                "differentiation, but one of the arguments requires grad."
            )
        result = fn(*args, **kwargs)
        if isinstance(result, tuple):
            if not isinstance(out, (tuple, list)) or len(out) != len(result):
                raise TypeError(
                    f"{fn.__name__}(): out must be a tuple of {len(result)} tensors, got "
                    f"{type(out).__name__}"
                )
            for o, r in zip(out, result):
                _write_out(fn.__name__, o, r)
            return type(result)(*out) if hasattr(result, "_fields") else tuple(out)
        _write_out(fn.__name__, out, result)
        return out

    return with_out


def _write_out(who: str, out: Any, result: Any) -> None:
    from minigrad.tensor import Tensor, _type_name, can_cast

    if not isinstance(out, Tensor):
        raise TypeError(f"{who}(): argument 'out' must be Tensor, not {type(out).__name__}")
    values = result._data if isinstance(result, Tensor) else np.asarray(result)
    if not can_cast(values.dtype, out._data.dtype):
        raise RuntimeError(
            f"{who}(): result type {_type_name(values.dtype)} can't be cast to the desired "
            f"output type {_type_name(out._data.dtype)}"
        )
    if out.shape != values.shape:  # PyTorch resizes out to the result's shape
        out._data = np.empty(values.shape, dtype=out._data.dtype)
    np.copyto(out._data, values, casting="unsafe")
    out._version += 1
