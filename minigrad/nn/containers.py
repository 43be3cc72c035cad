"""Containers of modules: ``Sequential``, ``ModuleList`` and ``ModuleDict``.

Their children are registered under the names PyTorch gives them (``"0"``,
``"1"``, ... or the dict's keys), so state-dict keys match PyTorch's.

Example:
    >>> import minigrad
    >>> from minigrad import nn
    >>> net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    >>> net(minigrad.zeros(3, 4)).shape
    minigrad.Size([3, 2])
    >>> list(net.state_dict())
    ['0.weight', '0.bias', '2.weight', '2.bias']
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from minigrad.nn.module import Module, _addindent


def _index(idx: Any, n: int, who: str) -> int:
    """An int index (possibly negative) into ``n`` items, with a clear IndexError."""
    i = operator.index(idx)
    if not -n <= i < n:
        raise IndexError(f"{who}: index {i} is out of range for {n} modules")
    return i % n


class Sequential(Module):
    """Modules applied one after another, each to the previous one's output.

    Build it from modules (named ``"0"``, ``"1"``, ...) or from one dict of
    ``name -> module``. Supports indexing, slicing (a new ``Sequential``),
    ``len``, iteration, ``append``, ``extend``, ``insert`` and ``del``.

    Example:
        >>> from minigrad import nn
        >>> net = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
        >>> net.append(nn.Linear(3, 1))
        Sequential(
          (0): Linear(in_features=2, out_features=3, bias=True)
          (1): ReLU()
          (2): Linear(in_features=3, out_features=1, bias=True)
        )
        >>> len(net), net[-1], len(net[:2])
        (3, Linear(in_features=3, out_features=1, bias=True), 2)
        >>> nn.Sequential({"conv": nn.Identity(), "act": nn.ReLU()}).act
        ReLU()
    """

    def __init__(self, *args: Any) -> None:
        super().__init__()
        if len(args) == 1 and isinstance(args[0], Mapping):
            for name, module in args[0].items():
                self.add_module(name, module)
        else:
            for i, module in enumerate(args):
                self.add_module(str(i), module)

    def forward(self, input: Any) -> Any:
        """Apply the modules in order.

        Example:
            >>> import minigrad
            >>> from minigrad import nn
            >>> nn.Sequential(nn.ReLU(), nn.Tanh())(minigrad.tensor([-1.0, 0.0]))
            tensor([0., 0.])
        """
        for module in self:
            input = module(input)
        return input

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())  # type: ignore[arg-type]

    def __getitem__(self, idx: int | slice) -> Any:
        if isinstance(idx, slice):
            return type(self)(dict(list(self._modules.items())[idx]))
        keys = list(self._modules)
        return self._modules[keys[_index(idx, len(keys), "Sequential")]]

    def __setitem__(self, idx: int, module: Module) -> None:
        keys = list(self._modules)
        self.add_module(keys[_index(idx, len(keys), "Sequential")], module)

    def __delitem__(self, idx: int | slice) -> None:
        keys = list(self._modules)
        doomed = (
            keys[idx] if isinstance(idx, slice) else [keys[_index(idx, len(keys), "Sequential")]]
        )
        for key in doomed:
            del self._modules[key]
        if all(k.isdigit() for k in keys):  # keep the numbering dense, as PyTorch does
            self._renumber()

    def _renumber(self) -> None:
        modules = list(self._modules.values())
        self._modules.clear()
        for i, m in enumerate(modules):
            self._modules[str(i)] = m

    def append(self, module: Module) -> Sequential:
        """Add ``module`` at the end; returns the Sequential.

        Example:
            >>> from minigrad import nn
            >>> len(nn.Sequential().append(nn.ReLU()))
            1
        """
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> Sequential:
        """Append every module of ``modules``; returns the Sequential.

        Example:
            >>> from minigrad import nn
            >>> len(nn.Sequential(nn.ReLU()).extend([nn.Tanh(), nn.ReLU()]))
            3
        """
        for m in modules:
            self.append(m)
        return self

    def insert(self, index: int, module: Module) -> Sequential:
        """Insert ``module`` before position ``index``; returns the Sequential.

        Example:
            >>> from minigrad import nn
            >>> nn.Sequential(nn.ReLU()).insert(0, nn.Tanh())[0]
            Tanh()
        """
        if not isinstance(module, Module):
            raise TypeError(f"Sequential.insert: {type(module).__name__} is not a Module")
        modules = list(self._modules.values())
        n = len(modules)
        if not -n <= index <= n:
            raise IndexError(f"Sequential.insert: index {index} is out of range for {n} modules")
        modules.insert(index, module)
        self._modules.clear()
        for i, m in enumerate(modules):
            self._modules[str(i)] = m
        return self


class ModuleList(Module):
    """A list of modules, registered under ``"0"``, ``"1"``, ... (no ``forward``).

    Example:
        >>> import minigrad
        >>> from minigrad import nn
        >>> layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
        >>> x = minigrad.ones(1, 2)
        >>> for layer in layers:
        ...     x = layer(x)
        >>> len(layers), len(list(layers.parameters()))
        (3, 6)
    """

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())  # type: ignore[arg-type]

    def __getitem__(self, idx: int | slice) -> Any:
        if isinstance(idx, slice):
            return type(self)(list(self._modules.values())[idx])  # type: ignore[arg-type]
        return self._modules[str(_index(idx, len(self), "ModuleList"))]

    def __setitem__(self, idx: int, module: Module) -> None:
        self.add_module(str(_index(idx, len(self), "ModuleList")), module)

    def __delitem__(self, idx: int | slice) -> None:
        keys = list(self._modules)
        doomed = (
            keys[idx] if isinstance(idx, slice) else [str(_index(idx, len(keys), "ModuleList"))]
        )
        for key in doomed:
            del self._modules[key]
        modules = list(self._modules.values())
        self._modules.clear()
        for i, m in enumerate(modules):
            self._modules[str(i)] = m

    def __repr__(self) -> str:
        # PyTorch's: runs of identical children print once, as "(0-2): 3 x Linear(...)".
        reprs = [repr(m) for m in self]
        if not reprs:
            return self._get_name() + "()"
        lines = []
        start = 0
        for i in range(1, len(reprs) + 1):
            if i < len(reprs) and reprs[i] == reprs[start]:
                continue
            label = f"({start})" if i - 1 == start else f"({start}-{i - 1}): {i - start} x"
            lines.append(_addindent(f"{label}{':' if i - 1 == start else ''} {reprs[start]}", 2))
            start = i
        return self._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"

    def __iadd__(self, modules: Iterable[Module]) -> ModuleList:
        return self.extend(modules)

    def __add__(self, other: Iterable[Module]) -> ModuleList:
        return type(self)([*self, *other])

    def append(self, module: Module) -> ModuleList:
        """Add ``module`` at the end; returns the list.

        Example:
            >>> from minigrad import nn
            >>> len(nn.ModuleList().append(nn.ReLU()))
            1
        """
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        """Append every module of ``modules``; returns the list.

        Example:
            >>> from minigrad import nn
            >>> len(nn.ModuleList([nn.ReLU()]).extend([nn.Tanh()]))
            2
        """
        if isinstance(modules, Module) and not isinstance(modules, (ModuleList, Sequential)):
            raise TypeError("ModuleList.extend expects an iterable of modules, got one Module")
        for m in modules:
            self.append(m)
        return self

    def insert(self, index: int, module: Module) -> None:
        """Insert ``module`` before position ``index``.

        Example:
            >>> from minigrad import nn
            >>> layers = nn.ModuleList([nn.ReLU()])
            >>> layers.insert(0, nn.Tanh())
            >>> layers[0]
            Tanh()
        """
        modules = list(self._modules.values())
        modules.insert(index, module)
        self._modules.clear()
        for i, m in enumerate(modules):
            self.add_module(str(i), m)


class ModuleDict(Module):
    """A dict of modules, registered under their keys (no ``forward``).

    Example:
        >>> from minigrad import nn
        >>> heads = nn.ModuleDict({"cls": nn.Linear(4, 10), "box": nn.Linear(4, 4)})
        >>> list(heads), "cls" in heads
        (['cls', 'box'], True)
        >>> sorted(heads.state_dict())
        ['box.bias', 'box.weight', 'cls.bias', 'cls.weight']
    """

    def __init__(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]] | None = None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        return self._modules[key]  # type: ignore[return-value]

    def __setitem__(self, key: str, module: Module) -> None:
        self.add_module(key, module)

    def __delitem__(self, key: str) -> None:
        del self._modules[key]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __contains__(self, key: object) -> bool:
        return key in self._modules

    def keys(self) -> Iterable[str]:
        """The keys, in insertion order."""
        return self._modules.keys()

    def items(self) -> Iterable[tuple[str, Module]]:
        """The ``(key, module)`` pairs, in insertion order."""
        return self._modules.items()  # type: ignore[return-value]

    def values(self) -> Iterable[Module]:
        """The modules, in insertion order."""
        return self._modules.values()  # type: ignore[return-value]

    def pop(self, key: str) -> Module:
        """Remove ``key`` and return its module.

        Example:
            >>> from minigrad import nn
            >>> d = nn.ModuleDict({"a": nn.ReLU()})
            >>> d.pop("a"), len(d)
            (ReLU(), 0)
        """
        return self._modules.pop(key)  # type: ignore[return-value]

    def clear(self) -> None:
        """Remove every module."""
        self._modules.clear()

    def update(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]]) -> None:
        """Add (or replace) modules from a mapping or from ``(key, module)`` pairs.

        Example:
            >>> from minigrad import nn
            >>> d = nn.ModuleDict()
            >>> d.update([("act", nn.ReLU())])
            >>> d["act"]
            ReLU()
        """
        pairs = modules.items() if isinstance(modules, Mapping) else modules
        for key, module in pairs:
            self.add_module(key, module)
