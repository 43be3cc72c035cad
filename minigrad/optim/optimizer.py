"""The :class:`Optimizer` base class: parameter groups, per-parameter state, checkpoints.

An optimizer subclass supplies three small pieces: ``_check_options`` (validate a
group's hyper-parameters), ``_init_state`` (the state of a parameter before its
first step) and ``_update`` (one step for one parameter, in place on NumPy
arrays). Everything else lives here, once.

Example:
    >>> import minigrad
    >>> from minigrad.optim import SGD
    >>> w = minigrad.tensor([1.0, 2.0], requires_grad=True)
    >>> opt = SGD([w], lr=0.5)
    >>> (w * w).sum().backward()
    >>> opt.step()
    >>> w
    tensor([0., 0.], requires_grad=True)
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import chain
from typing import Any

import numpy as np

from minigrad.autograd import enable_grad, no_grad
from minigrad.tensor import Tensor

ParamsT = Iterable[Tensor] | Iterable[dict[str, Any]]


class Optimizer:
    """Base class of all optimizers.

    Args:
        params: an iterable of Tensors to optimize, or an iterable of dicts
            (parameter groups) each with a ``"params"`` entry and any options
            that override ``defaults`` for that group.
        defaults: the default value of every option (``lr``, ...).

    Attributes:
        defaults: the options a group gets unless it sets its own.
        param_groups: a list of dicts, each with ``"params"`` (a list of Tensors)
            and one value per option.
        state: per-parameter state, a dict of dicts keyed by the parameter
            (arrays and Python numbers, e.g. ``momentum_buffer`` or ``step``).

    Example:
        >>> import minigrad
        >>> from minigrad.optim import SGD
        >>> w, b = minigrad.ones(2, requires_grad=True), minigrad.zeros(1, requires_grad=True)
        >>> opt = SGD([{"params": [w]}, {"params": [b], "lr": 0.01}], lr=0.1, momentum=0.9)
        >>> [g["lr"] for g in opt.param_groups]
        [0.1, 0.01]
    """

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        self._check_options(defaults)
        self.defaults: dict[str, Any] = dict(defaults)
        self.state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        if isinstance(params, Tensor):
            raise TypeError(
                f"{type(self).__name__}: params should be an iterable of Tensors or dicts, "
                f"but got a single Tensor of shape {params.shape}; wrap it in a list"
            )
        groups: list[Any] = list(params)
        if not groups:
            raise ValueError(f"{type(self).__name__}: got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    # ------------------------------------------------------------------ groups
    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own options (e.g. when unfreezing layers).

        Options the group leaves out take the optimizer's ``defaults``.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> opt = SGD([minigrad.ones(2, requires_grad=True)], lr=0.1)
            >>> opt.add_param_group({"params": [minigrad.ones(3, requires_grad=True)], "lr": 0.5})
            >>> [(len(g["params"]), g["lr"]) for g in opt.param_groups]
            [(1, 0.1), (1, 0.5)]
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, (set, frozenset)):
            raise TypeError(
                "optimizer parameters need to be an ordered collection (a list), but got a set, "
                "whose order changes between runs"
            )
        params, names = _split_names(list(params))
        seen: set[int] = set()
        for i, p in enumerate(params):
            if not isinstance(p, Tensor):
                raise TypeError(
                    f"optimizer can only optimize Tensors, but parameter {i} is a "
                    f"{type(p).__name__}"
                )
            if not p.is_leaf:
                raise ValueError(
                    f"can't optimize a non-leaf Tensor (parameter {i}, shape {p.shape}); "
                    "optimize the leaf it was computed from"
                )
            if id(p) in seen:
                raise ValueError(
                    f"parameter {i} (shape {p.shape}) appears twice in the same parameter group"
                )
            seen.add(id(p))
        already = {id(p) for group in self.param_groups for p in group["params"]}
        if not already.isdisjoint(seen):
            raise ValueError("some parameters appear in more than one parameter group")
        if self.param_groups and ("param_names" in self.param_groups[0]) != (names is not None):
            raise ValueError(
                "all optimizer param groups should be with/without names: cannot add a group "
                f"{'with' if names is not None else 'without'} names to an optimizer whose "
                f"groups are {'without' if names is not None else 'with'} them"
            )

        group = {**self.defaults, **param_group, "params": params}
        if names is not None:
            group["param_names"] = names
        self._check_options(group)
        self.param_groups.append(group)

    # ------------------------------------------------------------------ stepping
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients of all parameters.

        Args:
            set_to_none: set ``p.grad = None`` (the default: cheaper, and a
                parameter that gets no gradient is then skipped by ``step``);
                otherwise fill the existing gradients with zeros.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> w = minigrad.ones(2, requires_grad=True)
            >>> (w * 3).sum().backward()
            >>> opt = SGD([w], lr=0.1)
            >>> opt.zero_grad(set_to_none=False); w.grad
            tensor([0., 0.])
            >>> opt.zero_grad(); print(w.grad)
            None
        """
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    if p.grad.grad_fn is not None or p.grad.requires_grad:
                        p.grad = p.grad.detach()
                    p.grad._data.fill(0)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient, in place.

        Args:
            closure: optional; a function that zeroes the gradients, recomputes
                the loss, calls ``backward()`` and returns the loss. It runs
                (with gradients enabled) before the update.

        Returns:
            The closure's loss, or ``None``.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> w = minigrad.tensor([3.0], requires_grad=True)
            >>> opt = SGD([w], lr=0.25)
            >>> def closure():
            ...     opt.zero_grad()
            ...     loss = (w * w).sum()
            ...     loss.backward()
            ...     return loss
            >>> opt.step(closure)
            tensor(9., grad_fn=<SumBackward0>)
            >>> w
            tensor([1.5], requires_grad=True)
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if not state:
                        state.update(self._init_state(p._data, group))
                    self._update(p._data, p.grad._data, state, group)
                    p._version += 1  # the update wrote into p.data
                    if not state:  # a stateless update (plain SGD) leaves no entry
                        del self.state[p]
        return loss

    # ------------------------------------------------------------------ subclass hooks
    #: State entries that are Python numbers (a checkpoint may bring them back as 0-d arrays).
    _scalar_state: tuple[str, ...] = ("step",)

    def _check_options(self, options: dict[str, Any]) -> None:
        """Raise ``ValueError`` if a group's options are invalid (subclasses extend it).

        Checks ``lr >= 0`` and that PyTorch's ``capturable`` and ``differentiable``
        flags, where an optimizer has them, are off: they ask for CUDA-graph capture
        and for a step autograd can differentiate through, neither of which an
        update of NumPy arrays under ``no_grad`` provides. (``foreach`` and
        ``fused`` only choose between PyTorch kernels for the same update; they
        are accepted and change nothing.)
        """
        lr = options.get("lr", 0.0)
        if not lr >= 0.0:
            raise ValueError(f"Invalid learning rate: {lr} (expected lr >= 0)")
        for flag, why in _UNSUPPORTED_FLAGS.items():
            if options.get(flag, False):
                raise ValueError(
                    f"{type(self).__name__}: {flag}={options[flag]!r} is not supported ({why}); "
                    f"expected {flag}=False"
                )

    def _init_state(self, param: np.ndarray, group: dict[str, Any]) -> dict[str, Any]:
        """The state of ``param`` before its first update (subclasses override)."""
        return {}

    def _update(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        """Update ``param`` in place from ``grad``, mutating ``state`` (subclasses override)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ checkpoints
    def state_dict(self) -> dict[str, Any]:
        """Return the optimizer's state as plain data (arrays, numbers, lists, dicts).

        The layout is PyTorch's: ``{"state": {index: {...}}, "param_groups":
        [{option: value, ..., "params": [index, ...]}]}`` where ``index`` numbers
        the parameters across groups in order. Arrays are copies, so the result is
        a snapshot that later steps do not change.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> w = minigrad.ones(2, requires_grad=True)
            >>> opt = SGD([w], lr=0.1, momentum=0.9)
            >>> w.sum().backward(); opt.step()
            >>> sd = opt.state_dict()
            >>> sd["state"]
            {0: {'momentum_buffer': array([1., 1.], dtype=float32)}}
            >>> sd["param_groups"][0]["params"]
            [0]
        """
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {k: copy.deepcopy(v) for k, v in group.items() if k != "params"}
            packed["params"] = [index.setdefault(id(p), len(index)) for p in group["params"]]
            groups.append(packed)
        state = {
            index[id(p)]: {k: _copy_value(v) for k, v in s.items()}
            for p, s in self.state.items()
            if s and id(p) in index
        }
        return {"state": dict(sorted(state.items())), "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the state saved by :meth:`state_dict` (so training resumes exactly).

        The optimizer must have been built over the same parameters, in the same
        groups and order. State arrays are copied and cast to each parameter's
        dtype; 0-d arrays (as an ``.npz`` round trip gives) become Python numbers.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import Adam
            >>> w = minigrad.ones(2, requires_grad=True)
            >>> opt = Adam([w], lr=0.1)
            >>> w.sum().backward(); opt.step()
            >>> fresh = Adam([w], lr=0.5)
            >>> fresh.load_state_dict(opt.state_dict())
            >>> fresh.param_groups[0]["lr"], fresh.state[w]["step"]
            (0.1, 1)
        """
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(
                f"loaded state dict has {len(saved_groups)} parameter groups, but the optimizer "
                f"has {len(self.param_groups)}"
            )
        for i, (group, saved) in enumerate(zip(self.param_groups, saved_groups)):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(
                    f"loaded state dict's parameter group {i} has {len(saved['params'])} "
                    f"parameters, but the optimizer's has {len(group['params'])}"
                )
        params_by_index = {
            int(i): p
            for i, p in zip(
                chain.from_iterable(g["params"] for g in saved_groups),
                chain.from_iterable(g["params"] for g in self.param_groups),
            )
        }
        new_state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        for key, values in state_dict["state"].items():
            if int(key) not in params_by_index:
                raise ValueError(
                    f"loaded state dict has state for parameter {key}, but the optimizer has "
                    f"only {len(params_by_index)} parameters"
                )
            p = params_by_index[int(key)]
            new_state[p] = self._load_param_state(key, values, p)

        new_groups = []
        for group, saved in zip(self.param_groups, saved_groups):
            new_group = dict(group)
            for k, v in saved.items():
                if k != "params":
                    new_group[k] = _load_option(v, group.get(k))
            new_groups.append(new_group)
        self.state = new_state
        self.param_groups = new_groups

    def _load_param_state(self, key: Any, values: dict[str, Any], param: Tensor) -> dict[str, Any]:
        """One parameter's loaded state: numbers as numbers, arrays of ``param``'s shape
        and dtype (subclasses whose state has other shapes override this)."""
        state = {k: _load_value(v, param, k in self._scalar_state) for k, v in values.items()}
        for name, value in state.items():
            if isinstance(value, np.ndarray) and value.shape != param.shape:
                raise ValueError(
                    f"loaded state {name!r} of parameter {key} has shape {value.shape}, but "
                    f"the parameter has shape {param.shape}"
                )
        return state

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines.extend(f"    {k}: {group[k]}" for k in sorted(group) if k != "params")
        lines.append(")")
        return "\n".join(lines)


# ---------------------------------------------------------------------- shared helpers
def _l2_grad(
    param: np.ndarray, grad: np.ndarray, weight_decay: float, maximize: bool
) -> np.ndarray:
    """The gradient to follow: ``±grad + weight_decay * param``.

    Returns ``grad`` itself when there is nothing to add (callers never write into it).
    """
    if weight_decay == 0:
        return -grad if maximize else grad
    g = np.multiply(param, weight_decay)
    if maximize:
        g -= grad
    else:
        g += grad
    return g


_UNSUPPORTED_FLAGS = {
    "capturable": "it captures CUDA graphs; minigrad updates NumPy arrays on the CPU",
    "differentiable": "minigrad's step updates .data under no_grad, so autograd cannot "
    "differentiate through it",
}


def _check_nonnegative(options: dict[str, Any], *names: str) -> None:
    """PyTorch's ``Invalid <name> value: <v>`` for any of ``names`` below zero."""
    for name in names:
        if not options[name] >= 0.0:
            label = "epsilon" if name == "eps" else name
            raise ValueError(f"Invalid {label} value: {options[name]} (expected >= 0)")


def _check_betas(options: dict[str, Any]) -> None:
    """``betas`` is a pair of numbers in ``[0, 1)``."""
    betas = options["betas"]
    if len(betas) != 2:
        raise ValueError(f"Invalid betas: expected two values (beta1, beta2), got {betas}")
    for i, beta in enumerate(betas):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {beta} (expected [0, 1))")


def _split_names(params: list[Any]) -> tuple[list[Any], list[str] | None]:
    """``(name, tensor)`` pairs (from ``named_parameters()``) into tensors and names."""
    named = [isinstance(p, tuple) for p in params]
    if not any(named):
        return params, None
    if not all(named):
        raise ValueError(
            "all optimizer params should be with/without names. Some param names are missing: "
            f"{named.count(False)} of {len(params)} parameters are not (name, tensor) pairs"
        )
    return [p for _, p in params], [name for name, _ in params]


def _copy_value(value: Any) -> Any:
    if isinstance(value, list):
        return [_copy_value(v) for v in value]
    return value.copy() if isinstance(value, np.ndarray) else copy.deepcopy(value)


def _load_value(value: Any, param: Tensor, scalar: bool) -> Any:
    """A state value as the optimizer keeps it: a scalar entry (``step``, ...) a Python
    number, arrays in the param's dtype (0-d ones too: they are the state of a 0-d
    parameter), lists element by element."""
    if isinstance(value, Tensor):
        value = value._data
    if scalar:
        return np.asarray(value).item()
    if isinstance(value, list):
        return [_load_value(v, param, False) for v in value]
    if isinstance(value, (np.ndarray, np.generic)):
        dtype = param.dtype if value.dtype.kind == "f" else value.dtype
        return np.array(value, dtype=dtype, copy=True)
    return copy.deepcopy(value)


def _load_option(value: Any, current: Any) -> Any:
    """A group option as saved, with 0-d arrays as numbers and tuples kept tuples."""
    if isinstance(value, (np.ndarray, np.generic)):
        value = value.item() if value.ndim == 0 else value.tolist()
    if isinstance(current, tuple) and isinstance(value, list):
        value = tuple(value)
    return copy.deepcopy(value)
