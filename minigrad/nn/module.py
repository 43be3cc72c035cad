"""``Module`` and ``Parameter``: how models hold their weights, with PyTorch's semantics.

A :class:`Module` registers :class:`Parameter` attributes and sub-module
attributes as they are assigned, and buffers through :meth:`Module.register_buffer`.
Its ``state_dict()`` uses PyTorch's key names (``0.weight``, ``bn.running_mean``),
so weights move between minigrad and PyTorch by name.

Example:
    >>> import minigrad
    >>> from minigrad import nn
    >>> class Affine(nn.Module):
    ...     def __init__(self, n):
    ...         super().__init__()
    ...         self.scale = nn.Parameter(minigrad.ones(n))
    ...         self.register_buffer("calls", minigrad.zeros((), dtype=minigrad.int64))
    ...     def forward(self, x):
    ...         return x * self.scale
    >>> m = Affine(3)
    >>> [name for name, _ in m.named_parameters()], list(m.state_dict())
    (['scale'], ['scale', 'calls'])
    >>> m(minigrad.tensor([1.0, 2.0, 3.0]))
    tensor([1., 2., 3.], grad_fn=<MulBackward0>)

The modules' containers (``Sequential``, ``ModuleList``, ``ModuleDict``) live in
:mod:`minigrad.nn.containers`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import numpy as np

from minigrad.autograd import no_grad
from minigrad.tensor import Tensor, _parse_to, get_default_dtype


class Parameter(Tensor):
    """A Tensor that a :class:`Module` registers as one of its weights.

    Parameters require gradients by default. Built from a Tensor, a Parameter
    shares its data (as in PyTorch); built from anything else, it copies it.

    Args:
        data: a Tensor, an ndarray, a nested list or a scalar (default: an empty
            float tensor).
        requires_grad: whether the parameter is trained (default True).

    Example:
        >>> import minigrad
        >>> p = minigrad.nn.Parameter(minigrad.zeros(2))
        >>> p.requires_grad, p.is_leaf
        (True, True)
        >>> p
        Parameter containing:
        tensor([0., 0.], requires_grad=True)
    """

    def __init__(self, data: Any = None, requires_grad: bool = True):
        if data is None:
            data = np.empty(0, dtype=get_default_dtype())
        if isinstance(data, Tensor):
            super().__init__(np.empty(0), requires_grad=False)
            self._data = data._data  # shared, as torch.nn.Parameter(t) shares t's storage
        else:
            super().__init__(data, requires_grad=False)
        if requires_grad:
            self.requires_grad_(True)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


class RemovableHandle:
    """Returned by the ``register_*_hook`` methods; ``remove()`` unregisters the hook.

    Also a context manager: the hook is removed when the ``with`` block ends.

    Example:
        >>> import minigrad
        >>> m = minigrad.nn.Identity()
        >>> seen = []
        >>> with m.register_forward_hook(lambda mod, args, out: seen.append(out.shape)):
        ...     _ = m(minigrad.zeros(2, 3))
        >>> _ = m(minigrad.zeros(4))
        >>> seen
        [minigrad.Size([2, 3])]
    """

    _next_id = itertools.count()

    def __init__(self, hooks: dict[int, Any]):
        self._hooks = hooks
        self.id = next(RemovableHandle._next_id)

    def remove(self) -> None:
        """Unregister the hook (removing twice is harmless)."""
        self._hooks.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


# Hooks run around every module's forward (see register_module_forward_hook).
_global_forward_pre_hooks: dict[int, Callable[..., Any]] = {}
_global_forward_hooks: dict[int, Callable[..., Any]] = {}


def register_module_forward_pre_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """Register ``hook(module, args)`` to run before the forward of *every* module.

    As for :meth:`Module.register_forward_pre_hook`, a non-``None`` result replaces
    the arguments. Useful to trace which module runs which ops (``minigrad.viz``).

    Example:
        >>> import minigrad
        >>> from minigrad import nn
        >>> net = nn.Sequential(nn.Identity(), nn.ReLU())
        >>> names = []
        >>> with nn.register_module_forward_pre_hook(
        ...         lambda m, args: names.append(type(m).__name__)):
        ...     _ = net(minigrad.zeros(1))
        >>> names
        ['Sequential', 'Identity', 'ReLU']
    """
    handle = RemovableHandle(_global_forward_pre_hooks)
    _global_forward_pre_hooks[handle.id] = hook
    return handle


def register_module_forward_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """Register ``hook(module, args, output)`` to run after the forward of *every* module.

    Example:
        >>> import minigrad
        >>> from minigrad import nn
        >>> net = nn.Sequential(nn.Identity())
        >>> done = []
        >>> with nn.register_module_forward_hook(lambda m, a, o: done.append(type(m).__name__)):
        ...     _ = net(minigrad.zeros(1))
        >>> done
        ['Identity', 'Sequential']
    """
    handle = RemovableHandle(_global_forward_hooks)
    _global_forward_hooks[handle.id] = hook
    return handle


class IncompatibleKeys(NamedTuple):
    """The keys ``load_state_dict(strict=False)`` could not match.

    Fields: ``missing_keys`` (in the model, not in the state dict) and
    ``unexpected_keys`` (in the state dict, not in the model).

    Example:
        >>> from minigrad import nn
        >>> result = nn.Linear(2, 2).load_state_dict({"weight": [[1, 0], [0, 1]]}, strict=False)
        >>> result.missing_keys, result.unexpected_keys
        (['bias'], [])
    """

    missing_keys: list[str]
    unexpected_keys: list[str]


def _addindent(text: str, spaces: int) -> str:
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    return lines[0] + "\n" + "\n".join(" " * spaces + line for line in lines[1:])


def _as_array(value: Any) -> np.ndarray:
    """A state-dict value (ndarray, Tensor, number or a torch tensor) as an ndarray."""
    if isinstance(value, Tensor):
        return value._data
    if hasattr(value, "detach") and hasattr(value, "cpu"):  # a torch.Tensor
        return value.detach().cpu().numpy()
    return np.asarray(value)


class Module:
    """Base class of every layer and model: subclass it and define ``forward``.

    Assigning a :class:`Parameter` or a ``Module`` to an attribute registers it;
    :meth:`register_buffer` registers a non-trained tensor (running statistics)
    that still belongs to the ``state_dict``. Calling the module runs the forward
    pre-hooks, ``forward`` and the forward hooks.

    Example:
        >>> import minigrad
        >>> from minigrad import nn
        >>> class MLP(nn.Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.hidden = nn.Linear(4, 8)
        ...         self.out = nn.Linear(8, 2)
        ...     def forward(self, x):
        ...         return self.out(self.hidden(x).relu())
        >>> net = MLP()
        >>> net
        MLP(
          (hidden): Linear(in_features=4, out_features=8, bias=True)
          (out): Linear(in_features=8, out_features=2, bias=True)
        )
        >>> net(minigrad.randn(5, 4)).shape
        minigrad.Size([5, 2])
        >>> sorted(net.state_dict())
        ['hidden.bias', 'hidden.weight', 'out.bias', 'out.weight']
    """

    training: bool
    _parameters: dict[str, Parameter | None]
    _buffers: dict[str, Tensor | None]
    _non_persistent_buffers: set[str]
    _modules: dict[str, Module | None]

    def __init__(self) -> None:
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "_non_persistent_buffers", set())
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "_forward_pre_hooks", {})
        object.__setattr__(self, "_forward_hooks", {})

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """Compute the module's output; every subclass defines it."""
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the "forward" method')

    # ------------------------------------------------------------------ calling
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        pre_hooks = (*_global_forward_pre_hooks.values(), *self._forward_pre_hooks.values())
        for hook in pre_hooks:
            result = hook(self, args)
            if result is not None:
                args = result if isinstance(result, tuple) else (result,)
        output = self.forward(*args, **kwargs)
        for hook in (*_global_forward_hooks.values(), *self._forward_hooks.values()):
            result = hook(self, args, output)
            if result is not None:
                output = result
        return output

    def register_forward_pre_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Register ``hook(module, args)`` to run before ``forward``.

        ``args`` is the tuple of positional arguments; a non-``None`` result replaces
        them (a single value is wrapped in a tuple).

        Example:
            >>> import minigrad
            >>> m = minigrad.nn.Identity()
            >>> handle = m.register_forward_pre_hook(lambda mod, args: args[0] * 10)
            >>> m(minigrad.tensor([1.0]))
            tensor([10.])
            >>> handle.remove()
            >>> m(minigrad.tensor([1.0]))
            tensor([1.])
        """
        handle = RemovableHandle(self._forward_pre_hooks)
        self._forward_pre_hooks[handle.id] = hook
        return handle

    def register_forward_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Register ``hook(module, args, output)`` to run after ``forward``.

        A non-``None`` result replaces the output. Returns a handle whose
        ``remove()`` unregisters the hook.

        Example:
            >>> import minigrad
            >>> m = minigrad.nn.Linear(3, 2)
            >>> shapes = {}
            >>> h = m.register_forward_hook(lambda mod, args, out: shapes.update(out=out.shape))
            >>> _ = m(minigrad.zeros(4, 3))
            >>> shapes
            {'out': minigrad.Size([4, 2])}
        """
        handle = RemovableHandle(self._forward_hooks)
        self._forward_hooks[handle.id] = hook
        return handle

    # ------------------------------------------------------------------ registration
    def __setattr__(self, name: str, value: Any) -> None:
        params = self.__dict__.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._discard(name, self._parameters)
            self.register_parameter(name, value)
        elif isinstance(value, Module):
            if params is None:
                raise AttributeError("cannot assign a module before Module.__init__() call")
            self._discard(name, self._modules)
            self._modules[name] = value
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign a {type(value).__name__} as parameter '{name}' "
                    f"(a Parameter or None expected)"
                )
            params[name] = None
        elif params is not None and name in self._modules:
            if value is not None:
                raise TypeError(
                    f"cannot assign a {type(value).__name__} as child module '{name}' "
                    f"(a Module or None expected)"
                )
            self._modules[name] = None
        elif params is not None and name in self._buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"cannot assign a {type(value).__name__} as buffer '{name}' "
                    f"(a Tensor or None expected)"
                )
            self._buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def _discard(self, name: str, keep: dict[str, Any]) -> None:
        """Forget ``name`` in every registry but ``keep`` (so a replacement keeps its place)."""
        self.__dict__.pop(name, None)
        for registry in (self._parameters, self._modules, self._buffers):
            if registry is not keep:
                registry.pop(name, None)
        if keep is not self._buffers:
            self._non_persistent_buffers.discard(name)

    def __getattr__(self, name: str) -> Any:
        # Called only when normal lookup fails: look in the registries.
        d = self.__dict__
        for registry in ("_parameters", "_buffers", "_modules"):
            if registry in d and name in d[registry]:
                return d[registry][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        for registry in (self._parameters, self._buffers, self._modules):
            if name in registry:
                del registry[name]
                self._non_persistent_buffers.discard(name)
                return
        object.__delattr__(self, name)

    def __dir__(self) -> list[str]:
        extra = [*self._parameters, *self._buffers, *self._modules]
        return sorted(set(super().__dir__()) | set(extra))

    @staticmethod
    def _check_name(name: Any, what: str) -> None:
        if not isinstance(name, str):
            raise TypeError(f"{what} name should be a string, got {type(name).__name__}")
        if name == "" or "." in name:
            raise KeyError(f'{what} name can\'t be empty or contain ".", got {name!r}')

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Register ``param`` (a :class:`Parameter` or ``None``) under ``name``.

        Example:
            >>> import minigrad
            >>> m = minigrad.nn.Module()
            >>> m.register_parameter("w", minigrad.nn.Parameter(minigrad.ones(1)))
            >>> list(m.state_dict())
            ['w']
        """
        self._check_name(name, "parameter")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign a {type(param).__name__} as parameter '{name}' "
                f"(a Parameter or None expected; wrap a Tensor in nn.Parameter)"
            )
        if hasattr(self, name) and name not in self._parameters:
            raise KeyError(f"attribute '{name}' already exists")
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Register a tensor that is state but not a parameter (e.g. running statistics).

        Persistent buffers appear in ``state_dict()``; buffers set to ``None`` do not.

        Example:
            >>> import minigrad
            >>> m = minigrad.nn.Module()
            >>> m.register_buffer("running_mean", minigrad.zeros(3))
            >>> m.register_buffer("scratch", minigrad.zeros(3), persistent=False)
            >>> list(m.state_dict()), [n for n, _ in m.named_buffers()]
            (['running_mean'], ['running_mean', 'scratch'])
        """
        self._check_name(name, "buffer")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign a {type(tensor).__name__} as buffer '{name}' "
                f"(a Tensor or None expected)"
            )
        if hasattr(self, name) and name not in self._buffers:
            raise KeyError(f"attribute '{name}' already exists")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers.discard(name)
        else:
            self._non_persistent_buffers.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Register ``module`` as a child under ``name`` (what attribute assignment does).

        Example:
            >>> from minigrad import nn
            >>> m = nn.Module()
            >>> m.add_module("act", nn.ReLU())
            >>> m.act
            ReLU()
        """
        self._check_name(name, "module")
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        self._modules[name] = module

    register_module = add_module

    def get_submodule(self, target: str) -> Module:
        """Return the sub-module at the dotted path ``target`` (``""`` is the module itself).

        Example:
            >>> from minigrad import nn
            >>> net = nn.Sequential(nn.Sequential(nn.ReLU(), nn.Tanh()))
            >>> net.get_submodule("0.1")
            Tanh()
        """
        module: Module = self
        if target == "":
            return module
        for part in target.split("."):
            child = module._modules.get(part)
            if child is None:
                raise AttributeError(
                    f"{type(module).__name__} has no submodule `{part}` ({target})"
                )
            module = child
        return module

    # ------------------------------------------------------------------ traversal
    def _named_members(
        self, registry: str, prefix: str, recurse: bool, remove_duplicate: bool
    ) -> Iterator[tuple[str, Any]]:
        memo: set[int] = set()
        modules = (
            self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
            if recurse
            else [(prefix, self)]
        )
        for module_prefix, module in modules:
            for name, value in getattr(module, registry).items():
                if value is None or (remove_duplicate and id(value) in memo):
                    continue
                memo.add(id(value))
                yield (module_prefix + "." if module_prefix else "") + name, value

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        """Yield ``(dotted_name, parameter)`` pairs; a shared parameter comes once.

        Example:
            >>> from minigrad import nn
            >>> [n for n, _ in nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1)).named_parameters()]
            ['0.weight', '0.bias', '1.weight', '1.bias']
        """
        yield from self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """Yield the parameters (each once), e.g. to give them to an optimizer.

        Example:
            >>> from minigrad import nn
            >>> sum(p.numel() for p in nn.Linear(3, 2).parameters())
            8
        """
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Tensor]]:
        """Yield ``(dotted_name, buffer)`` pairs (persistent or not).

        Example:
            >>> from minigrad import nn
            >>> [n for n, _ in nn.BatchNorm1d(3).named_buffers()]
            ['running_mean', 'running_var', 'num_batches_tracked']
        """
        yield from self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """Yield the buffers.

        Example:
            >>> from minigrad import nn
            >>> len(list(nn.BatchNorm2d(4).buffers()))
            3
        """
        for _, buf in self.named_buffers(recurse=recurse):
            yield buf

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """Yield ``(name, module)`` for the direct children (each once).

        Example:
            >>> from minigrad import nn
            >>> [n for n, _ in nn.Sequential(nn.ReLU(), nn.Tanh()).named_children()]
            ['0', '1']
        """
        seen: set[int] = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self) -> Iterator[Module]:
        """Yield the direct children.

        Example:
            >>> from minigrad import nn
            >>> list(nn.Sequential(nn.ReLU()).children())
            [ReLU()]
        """
        for _, module in self.named_children():
            yield module

    def named_modules(
        self, memo: set[int] | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Module]]:
        """Yield ``(dotted_name, module)`` for this module (name ``""``) and all below it.

        Example:
            >>> from minigrad import nn
            >>> [n for n, _ in nn.Sequential(nn.Sequential(nn.ReLU())).named_modules()]
            ['', '0', '0.0']
        """
        if memo is None:
            memo = set()
        stack: list[tuple[str, Module]] = [(prefix, self)]
        while stack:  # iterative pre-order: deep nesting never hits the recursion limit
            name, module = stack.pop()
            if remove_duplicate:
                if id(module) in memo:
                    continue
                memo.add(id(module))
            yield name, module
            kids = [
                ((name + "." if name else "") + child_name, child)
                for child_name, child in module._modules.items()
                if child is not None
            ]
            stack.extend(reversed(kids))

    def modules(self) -> Iterator[Module]:
        """Yield this module and every module below it, each once.

        Example:
            >>> from minigrad import nn
            >>> len(list(nn.Sequential(nn.Linear(2, 2), nn.ReLU()).modules()))
            3
        """
        for _, module in self.named_modules():
            yield module

    # ------------------------------------------------------------------ modes and grads
    def train(self, mode: bool = True) -> Module:
        """Set training mode (``mode=True``) or evaluation mode on this module and below.

        Affects layers such as Dropout and BatchNorm. Returns the module.

        Example:
            >>> from minigrad import nn
            >>> net = nn.Sequential(nn.Dropout(0.5))
            >>> net.train(False)[0].training
            False
        """
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self) -> Module:
        """Set evaluation mode (same as ``train(False)``) and return the module.

        Example:
            >>> from minigrad import nn
            >>> nn.BatchNorm1d(2).eval().training
            False
        """
        return self.train(False)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients of all parameters: to ``None`` (default) or to zeros.

        Example:
            >>> import minigrad
            >>> lin = minigrad.nn.Linear(2, 1)
            >>> lin(minigrad.ones(1, 2)).sum().backward()
            >>> lin.zero_grad()
            >>> lin.weight.grad is None
            True
        """
        for p in self.parameters():
            if p.grad is None:
                continue
            if set_to_none:
                p.grad = None
            elif p.grad.grad_fn is None:
                p.grad._data[...] = 0  # in place, as PyTorch: references to the grad see it
                p.grad._version += 1
            else:  # a differentiable grad (create_graph=True): leave its graph alone
                p.grad = Tensor._make(np.zeros_like(p.grad._data))

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Set ``requires_grad`` on every parameter (``False`` freezes the module).

        Example:
            >>> from minigrad import nn
            >>> lin = nn.Linear(2, 1).requires_grad_(False)
            >>> [p.requires_grad for p in lin.parameters()]
            [False, False]
        """
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call ``fn`` on every sub-module (children first) and on the module itself.

        Typical use: custom initialisation.

        Example:
            >>> from minigrad import nn
            >>> def init(m):
            ...     if isinstance(m, nn.Linear):
            ...         nn.init.zeros_(m.bias)
            >>> net = nn.Sequential(nn.Linear(2, 2), nn.ReLU()).apply(init)
            >>> net[0].bias.tolist()
            [0.0, 0.0]
        """
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """Move to a device (only the CPU) and/or cast floating parameters and buffers, in place.

        PyTorch's forms: ``to(device)``, ``to(dtype)``, ``to(device, dtype)``,
        ``to(tensor)`` and the keywords ``device=``, ``dtype=``, ``non_blocking=``.
        The Parameter objects stay the same (an optimizer holding them keeps working).

        Example:
            >>> import minigrad
            >>> minigrad.nn.Linear(2, 2).to(minigrad.float64).weight.dtype
            minigrad.float64
            >>> minigrad.nn.Linear(2, 2).to("cpu").weight.device
            device(type='cpu')
        """
        parsed, _ = _parse_to(args, kwargs)
        if parsed is None:
            return self
        dtype = parsed.dtype
        if dtype.kind != "f":
            raise TypeError(f"Module.to: only floating dtypes are supported, got {dtype}")
        for t in itertools.chain(self.parameters(), self.buffers()):
            if t.dtype.kind == "f" and t.dtype != dtype:
                t._data = t._data.astype(dtype)
                t._version += 1
                if t.grad is not None:
                    t.grad = Tensor._make(t.grad._data.astype(dtype))
        return self

    def cpu(self) -> Module:
        """The module itself: its tensors are on the CPU already.

        Example:
            >>> import minigrad
            >>> lin = minigrad.nn.Linear(2, 2)
            >>> lin.cpu() is lin
            True
        """
        return self

    def cuda(self, device: Any = None) -> Module:
        """Refused: minigrad runs on the CPU only (raises ``RuntimeError``).

        Example:
            >>> import minigrad
            >>> minigrad.nn.Linear(2, 2).cuda()
            Traceback (most recent call last):
                ...
            RuntimeError: Module.cuda(): minigrad runs on the CPU only; ...
        """
        raise RuntimeError(
            "Module.cuda(): minigrad runs on the CPU only; use .to(device) with "
            "device = minigrad.device('cuda' if minigrad.cuda.is_available() else 'cpu')"
        )

    def double(self) -> Module:
        """Cast floating parameters and buffers to float64 (see :meth:`to`).

        Example:
            >>> import minigrad
            >>> minigrad.nn.Linear(2, 2).double().bias.dtype
            minigrad.float64
        """
        return self.to(np.float64)

    def float(self) -> Module:
        """Cast floating parameters and buffers to float32 (see :meth:`to`).

        Example:
            >>> import minigrad
            >>> minigrad.nn.Linear(2, 2).double().float().bias.dtype
            minigrad.float32
        """
        return self.to(np.float32)

    # ------------------------------------------------------------------ state dict
    def _state_items(self, prefix: str = "") -> Iterator[tuple[str, Tensor]]:
        """Every ``(key, tensor)`` of the state dict, in PyTorch's order (shared ones under
        each of their names)."""
        stack: list[tuple[str, Module]] = [(prefix, self)]
        while stack:
            pre, module = stack.pop()
            for name, p in module._parameters.items():
                if p is not None:
                    yield pre + name, p
            for name, b in module._buffers.items():
                if b is not None and name not in module._non_persistent_buffers:
                    yield pre + name, b
            kids = [(pre + n + ".", m) for n, m in module._modules.items() if m is not None]
            stack.extend(reversed(kids))

    def state_dict(self, prefix: str = "", keep_vars: bool = False) -> dict[str, Any]:
        """Return the parameters and persistent buffers by dotted name, as PyTorch names them.

        Values are **fresh NumPy copies** (a snapshot: later training does not
        change them, and changing them does not change the model); they serialise
        directly with :func:`minigrad.save`. With ``keep_vars=True`` the values are
        the Parameter and buffer Tensors themselves.

        Example:
            >>> from minigrad import nn
            >>> sd = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2)).state_dict()
            >>> {k: v.shape for k, v in sd.items()}  # doctest: +NORMALIZE_WHITESPACE
            {'0.weight': (2, 3), '0.bias': (2,), '1.weight': (2,), '1.bias': (2,),
             '1.running_mean': (2,), '1.running_var': (2,), '1.num_batches_tracked': ()}
        """
        if keep_vars:
            return dict(self._state_items(prefix))
        return {k: np.array(t._data, copy=True) for k, t in self._state_items(prefix)}

    def load_state_dict(self, state_dict: Any, strict: bool = True) -> IncompatibleKeys:
        """Copy values from ``state_dict`` into the parameters and buffers, by name.

        Values may be ndarrays, Tensors, numbers or PyTorch tensors; they are cast
        to each parameter's dtype. Everything is checked before anything is
        copied: shape mismatches always raise, and so do missing or unexpected
        keys when ``strict``; the error lists every problem by name, and the model
        is left untouched.

        Returns:
            ``IncompatibleKeys(missing_keys, unexpected_keys)`` (empty when strict).

        Example:
            >>> from minigrad import nn
            >>> a, b = nn.Linear(3, 2), nn.Linear(3, 2)
            >>> b.load_state_dict(a.state_dict())
            IncompatibleKeys(missing_keys=[], unexpected_keys=[])
            >>> bool((a.weight.numpy() == b.weight.numpy()).all())
            True
            >>> nn.Linear(4, 2).load_state_dict(a.state_dict())
            Traceback (most recent call last):
            ...
            RuntimeError: Error(s) in loading state_dict for Linear:
                size mismatch for weight: copying a param with shape (2, 3) from checkpoint, ...
        """
        if not hasattr(state_dict, "keys") or not hasattr(state_dict, "__getitem__"):
            raise TypeError(f"expected a dict-like state_dict, got {type(state_dict).__name__}")
        own = dict(self._state_items())
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict.keys() if k not in own]
        errors: list[str] = []
        updates: list[tuple[Tensor, np.ndarray]] = []
        for key, target in own.items():
            if key not in state_dict:
                continue
            try:
                value = _as_array(state_dict[key])
            except Exception as exc:
                errors.append(f"value for {key} is not an array: {exc}")
                continue
            if value.shape != target.shape:
                errors.append(
                    f"size mismatch for {key}: copying a param with shape {value.shape} from "
                    f"checkpoint, the shape in current model is {target.shape}."
                )
            elif value.dtype.kind not in "biuf":
                errors.append(f"value for {key} has non-numeric dtype {value.dtype}")
            else:
                updates.append((target, value))
        if strict:
            if unexpected:
                errors.insert(0, "Unexpected key(s) in state_dict: " + ", ".join(
                    f'"{k}"' for k in unexpected) + ". ")  # fmt: skip
            if missing:
                errors.insert(0, "Missing key(s) in state_dict: " + ", ".join(
                    f'"{k}"' for k in missing) + ". ")  # fmt: skip
        if errors:
            raise RuntimeError(
                f"Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                + "\n\t".join(errors)
            )
        with no_grad():
            for target, value in updates:
                target.copy_(value)
        return IncompatibleKeys(missing, unexpected)

    # ------------------------------------------------------------------ repr
    def extra_repr(self) -> str:
        """The module's own settings, shown in its repr (override in layers).

        Example:
            >>> from minigrad import nn
            >>> nn.Linear(2, 3).extra_repr()
            'in_features=2, out_features=3, bias=True'
        """
        return ""

    def _get_name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        extra = self.extra_repr()
        lines = extra.split("\n") if extra else []
        for name, module in self._modules.items():
            lines.append(f"({name}): " + _addindent(repr(module), 2))
        main = self._get_name() + "("
        if lines:
            if len(lines) == 1 and not self._modules:
                main += lines[0]
            else:
                main += "\n  " + "\n  ".join(lines) + "\n"
        return main + ")"
