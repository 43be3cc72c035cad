"""OpInfo: one declarative entry per op, from which every generic property test follows.

An :class:`OpInfo` names an op, a NumPy reference, the inputs to draw (a
Hypothesis strategy of :class:`SampleInput`), and what the op supports.
:func:`check_op` turns it into property tests, each run over many drawn inputs:

* ``forward``: the result matches the NumPy reference (float64 and float32);
* ``dtype``: the result dtype follows PyTorch's promotion rules;
* ``gradcheck`` and ``gradgradcheck``: first and second derivatives match central
  differences in float64;
* ``no_mutation``: forward and backward leave the inputs, the outputs and the
  upstream gradient unchanged; ``no_aliasing``: no returned gradient shares
  memory with another, with an input or with the upstream gradient;
* ``fast_path``: the gradient computed without a graph (where ops may take a
  fused NumPy path) equals the one computed with ``create_graph=True`` (the
  differentiable Tensor-op formula);
* ``torch``: values and gradients agree with PyTorch's, when it is installed.

The built-in ops' entries are :data:`minigrad.testing.op_db`; your own ops get
the same tests by writing an entry for them.

Example: a user-written op, tested end to end
    >>> import numpy as np
    >>> import minigrad
    >>> from minigrad.testing import OpInfo, check_op, unary_samples
    >>> class Cube(minigrad.autograd.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x ** 3
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         (x,) = ctx.saved_tensors
    ...         return grad * 3 * x ** 2
    >>> info = OpInfo("cube", op=Cube.apply, ref=lambda x: x ** 3,
    ...               sample_inputs=unary_samples(), torch=lambda torch, x: x ** 3)
    >>> check_op(info, max_examples=5)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from minigrad.testing.gradcheck import gradcheck, gradgradcheck

try:  # Hypothesis is a test dependency: OpInfo needs it to draw inputs
    from hypothesis import HealthCheck, assume, given, settings
    from hypothesis import strategies as hst
except ImportError:  # pragma: no cover
    hst = None  # type: ignore[assignment]

PROPERTIES = (
    "forward",
    "dtype",
    "gradcheck",
    "gradgradcheck",
    "no_mutation",
    "no_aliasing",
    "fast_path",
    "torch",
    "special_values",
)


def _leaf(array: Any) -> Any:
    """A fresh leaf Tensor holding a copy of ``array`` (0-d included)."""
    from minigrad.tensor import Tensor

    return Tensor._make(np.array(array))


@dataclass
class SampleInput:
    """The positional and keyword arguments of one call of an op.

    Tensors among ``args`` that require grad are the ones differentiated.

    Example:
        >>> import minigrad
        >>> from minigrad.testing import SampleInput
        >>> s = SampleInput((minigrad.ones(2, requires_grad=True), 3.0), {"alpha": 2})
        >>> minigrad.ops.add(*s.args, **s.kwargs)
        tensor([7., 7.], grad_fn=<AddBackward0>)
    """

    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)

    def with_dtype(self, dtype: Any) -> SampleInput:
        """The same sample with every floating Tensor cast to ``dtype`` (a copy)."""
        from minigrad.tensor import Tensor

        def cast(a: Any) -> Any:
            if isinstance(a, Tensor) and a.dtype.kind == "f":
                t = _leaf(a._data.astype(dtype))
                return t.requires_grad_(a.requires_grad)
            return a

        return SampleInput(tuple(cast(a) for a in self.args), dict(self.kwargs))

    def copy(self) -> SampleInput:
        """Fresh leaf copies of the Tensors (so a property cannot disturb the next)."""
        return self.with_dtype(None)


@dataclass
class OpInfo:
    """How to test one op.

    Args:
        name: the op's name (``minigrad.ops.<name>`` unless ``op`` is given).
        op: the callable under test; by default ``minigrad.ops.<name>``.
        ref: a NumPy reference taking the arrays (float64) and keyword arguments;
            ``None`` skips the forward check.
        sample_inputs: ``dtype -> strategy of SampleInput`` (see :func:`unary_samples`,
            :func:`binary_samples`, :func:`reduction_samples`, :func:`samples`).
        supports_grad / supports_gradgrad: whether the op has first / second derivatives.
        result_dtype: ``"promote"`` (``result_type`` of the arguments), ``"float"``
            (promoted, then the default float for integer inputs), ``"same"`` (the
            first argument's), ``"bool"``, ``"int64"``, or a callable of the sample.
        dtypes: the dtypes the forward and dtype properties run in.
        torch: PyTorch's equivalent: a name under ``torch`` (``"add"``,
            ``"nn.functional.conv2d"``) or ``(torch, *args, **kwargs) -> result``.
        rtol, atol: forward tolerance in float64 (float32 uses 1e-4/1e-5 more).
        grad_atol, grad_rtol: gradcheck's tolerance.
        skips: property names not to run, each with its reason.
        special_values: also compare values and gradients with PyTorch's at
            0, -0, ±1, ±inf, nan and extreme magnitudes (the ``special_values``
            property; elementwise ops and reductions).

    Example:
        >>> import numpy as np
        >>> from minigrad.testing import OpInfo, unary_samples
        >>> info = OpInfo("exp", ref=np.exp, sample_inputs=unary_samples(), torch="exp")
        >>> info.properties()  # doctest: +NORMALIZE_WHITESPACE
        ['forward', 'dtype', 'gradcheck', 'gradgradcheck', 'no_mutation', 'no_aliasing',
         'fast_path', 'torch']
    """

    name: str
    op: Callable[..., Any] | None = None
    ref: Callable[..., Any] | None = None
    sample_inputs: Callable[[Any], Any] | None = None
    supports_grad: bool = True
    supports_gradgrad: bool = True
    result_dtype: str | Callable[[SampleInput], Any] = "promote"
    dtypes: tuple[Any, ...] = (np.float32, np.float64)
    torch: str | Callable[..., Any] | None = None
    rtol: float = 1e-7
    atol: float = 1e-10
    grad_atol: float = 1e-5
    grad_rtol: float = 1e-3
    skips: dict[str, str] = field(default_factory=dict)
    special_values: bool = False

    def __post_init__(self) -> None:
        if self.sample_inputs is None:
            raise ValueError(f"OpInfo {self.name!r}: sample_inputs is required")

    @property
    def fn(self) -> Callable[..., Any]:
        """The op under test."""
        if self.op is not None:
            return self.op
        import minigrad.ops

        return getattr(minigrad.ops, self.name)  # type: ignore[no-any-return]

    def properties(self) -> list[str]:
        """The properties that apply to this op."""
        out = []
        for p in PROPERTIES:
            if p in self.skips:
                continue
            if p in ("gradcheck", "no_mutation", "no_aliasing", "fast_path") and not (
                self.supports_grad
            ):
                continue
            if p == "gradgradcheck" and not (self.supports_grad and self.supports_gradgrad):
                continue
            if p == "forward" and self.ref is None:
                continue
            if p == "special_values" and not (self.special_values and self.torch is not None):
                continue
            if p == "torch" and self.torch is None:
                continue
            out.append(p)
        return out


# ----------------------------------------------------------------------------- samples


def _shapes(max_dims: int = 3, max_side: int = 3, min_dims: int = 0, min_side: int = 1) -> Any:
    from minigrad.testing import strategies as mst

    return mst.shapes(
        min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max(max_side, min_side)
    ).filter(lambda s: int(np.prod(s)) <= 24)


def _tensor(shape: Any, dtype: Any, domain: tuple[float, float], **kw: Any) -> Any:
    from minigrad.testing import strategies as mst

    dt = np.dtype(dtype)
    if dt.kind in "iu":
        lo, hi = int(np.ceil(domain[0])), int(np.floor(domain[1]))
        return mst.tensors(shape, dt, elements=hst.integers(lo, max(lo, hi)))
    if dt.kind == "b":
        return mst.tensors(shape, dt)
    return mst.tensors(shape, dt, elements=domain, **kw)


def unary_samples(
    domain: tuple[float, float] = (-3.0, 3.0),
    *,
    away_from: float | Sequence[float] = (),
    margin: float = 1e-2,
    distinct: bool = False,
    kwargs: Any = None,
    max_dims: int = 3,
) -> Callable[[Any], Any]:
    """Samples of ``op(x, **kwargs)``: one tensor with values in ``domain``.

    Args:
        domain: the value range.
        away_from, margin: points the values keep away from (kinks, poles).
        distinct: well-separated values (for ops with ties: max, sort...).
        kwargs: a strategy of keyword-argument dicts (or ``None``).
        max_dims: the most dimensions drawn.

    Example:
        >>> from hypothesis import find
        >>> from minigrad.testing import unary_samples
        >>> s = find(unary_samples((0.5, 2.0))("float64"), lambda s: s.args[0].ndim == 2)
        >>> s.args[0].shape
        minigrad.Size([1, 1])
    """

    def build(dtype: Any) -> Any:
        @hst.composite
        def draw(d: Any) -> SampleInput:
            shape = d(_shapes(max_dims))
            x = d(
                _tensor(shape, dtype, domain, away_from=away_from, margin=margin, distinct=distinct)
            )
            kw = d(kwargs) if kwargs is not None else {}
            return SampleInput((x,), kw)

        return draw()

    return build


def binary_samples(
    domain_a: tuple[float, float] = (-3.0, 3.0),
    domain_b: tuple[float, float] = (-3.0, 3.0),
    *,
    away_from_b: float | Sequence[float] = (),
    margin: float = 0.25,
    scalars: bool = True,
    apart: float = 0.0,
) -> Callable[[Any], Any]:
    """Samples of ``op(a, b)``: two broadcastable tensors (or a tensor and a Python number).

    Args:
        domain_a, domain_b: value ranges of the two operands.
        away_from_b, margin: points ``b`` keeps away from (0 for a divisor).
        scalars: sometimes draw ``b`` (or ``a``) as a Python number.
        apart: keep ``|a - b|`` above this (ops not differentiable at ties).

    Example:
        >>> from hypothesis import find
        >>> from minigrad.testing import binary_samples
        >>> s = find(binary_samples()("float64"), lambda s: len(s.args) == 2)
        >>> len(s.args)
        2
    """
    from minigrad.testing import strategies as mst

    def build(dtype: Any) -> Any:
        @hst.composite
        def draw(d: Any) -> SampleInput:
            sa, sb = d(
                mst.broadcastable_shapes(n=2, max_dims=3, max_side=3).filter(
                    lambda ss: int(np.prod(np.broadcast_shapes(*ss))) <= 24
                )
            )
            a = d(_tensor(sa, dtype, domain_a))
            b = d(_tensor(sb, dtype, domain_b, away_from=away_from_b, margin=margin))
            kind = d(hst.sampled_from(["tt", "ts", "st"] if scalars else ["tt"]))
            if apart:
                assume(bool(np.all(np.abs(np.subtract(a._data, b._data)) > apart)))
            if kind == "ts":
                return SampleInput((a, _python_number(b)))
            if kind == "st":
                return SampleInput((_python_number(a), b))
            return SampleInput((a, b))

        return draw()

    return build


def _python_number(t: Any) -> Any:
    v = t._data.reshape(-1)[0].item()
    return v


def reduction_samples(
    domain: tuple[float, float] = (-3.0, 3.0),
    *,
    dims: bool = True,
    multi_dims: bool = True,
    keepdim: bool = True,
    distinct: bool = False,
    extra: Any = None,
    min_side: int = 1,
) -> Callable[[Any], Any]:
    """Samples of ``op(x, dim=..., keepdim=...)``.

    Args:
        domain: the value range.
        dims: draw ``dim`` (else none is passed).
        multi_dims: ``dim`` may be a tuple (else one int).
        keepdim: draw ``keepdim``.
        distinct: well-separated values (max/min/median...).
        extra: a strategy of more keyword arguments.
        min_side: the smallest length of a dimension (2 for ``var``).

    Example:
        >>> from hypothesis import find
        >>> from minigrad.testing import reduction_samples
        >>> s = find(reduction_samples()("float64"), lambda s: "dim" in s.kwargs)
        >>> sorted(s.kwargs)
        ['dim', 'keepdim']
    """
    from minigrad.testing import strategies as mst

    def build(dtype: Any) -> Any:
        @hst.composite
        def draw(d: Any) -> SampleInput:
            shape = d(_shapes(min_dims=1, min_side=min_side))
            x = d(_tensor(shape, dtype, domain, distinct=distinct))
            kw: dict[str, Any] = {}
            if dims:
                if multi_dims:
                    kw["dim"] = d(hst.one_of(mst.valid_dim(len(shape)), mst.valid_dims(len(shape))))
                else:
                    kw["dim"] = d(mst.valid_dim(len(shape)))
                if keepdim:
                    kw["keepdim"] = d(hst.booleans())
            if extra is not None:
                kw.update(d(extra))
            return SampleInput((x,), kw)

        return draw()

    return build


def samples(fn: Callable[[Any, Any], SampleInput]) -> Callable[[Any], Any]:
    """Samples from your own drawing function ``fn(draw, dtype) -> SampleInput``.

    Example:
        >>> import minigrad
        >>> from hypothesis import find, strategies as st
        >>> from minigrad.testing import SampleInput, samples
        >>> @samples
        ... def matrices(draw, dtype):
        ...     n = draw(st.integers(1, 3))
        ...     return SampleInput((minigrad.randn(n, n, dtype=dtype, requires_grad=True),))
        >>> find(matrices("float64"), lambda s: True).args[0].shape
        minigrad.Size([1, 1])
    """

    def build(dtype: Any) -> Any:
        @hst.composite
        def draw(d: Any) -> SampleInput:
            return fn(d, np.dtype(dtype))

        return draw()

    return build


# ----------------------------------------------------------------------------- properties


def _tensors(sample: SampleInput) -> list[Any]:
    from minigrad.tensor import Tensor

    return [a for a in sample.args if isinstance(a, Tensor)] + [
        v for v in sample.kwargs.values() if isinstance(v, Tensor)
    ]


def _diff_inputs(sample: SampleInput) -> list[Any]:
    return [t for t in _tensors(sample) if t.requires_grad]


def _float_outputs(out: Any) -> list[Any]:
    from minigrad.tensor import Tensor

    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    return [o for o in outs if isinstance(o, Tensor) and o.dtype.kind == "f"]


def _all_outputs(out: Any) -> list[Any]:
    return list(out) if isinstance(out, (tuple, list)) else [out]


def _call(info: OpInfo, sample: SampleInput) -> Any:
    return info.fn(*sample.args, **sample.kwargs)


def _as_fn(info: OpInfo, sample: SampleInput) -> tuple[Callable[..., Any], list[Any]]:
    """``fn(*diff) -> float outputs`` with the differentiable tensors as its arguments."""
    diff = _diff_inputs(sample)
    ids = [id(t) for t in diff]

    def fn(*xs: Any) -> Any:
        sub = dict(zip(ids, xs))
        args = tuple(sub.get(id(a), a) for a in sample.args)
        kwargs = {k: sub.get(id(v), v) for k, v in sample.kwargs.items()}
        outs = _float_outputs(info.fn(*args, **kwargs))
        return outs[0] if len(outs) == 1 else tuple(outs)

    return fn, diff


def _arrays(value: Any) -> Any:
    from minigrad.tensor import Tensor

    if isinstance(value, Tensor):
        return value._data
    if isinstance(value, (list, tuple)):
        return type(value)(_arrays(v) for v in value)
    return value


def _check_forward(info: OpInfo, sample: SampleInput) -> None:
    assert info.ref is not None
    for dtype in [d for d in info.dtypes if np.dtype(d).kind == "f"] or [np.float64]:
        s = sample.with_dtype(dtype)
        out = _all_outputs(_call(info, s))
        ref = info.ref(*_arrays(s.args), **{k: _arrays(v) for k, v in s.kwargs.items()})
        refs = list(ref) if isinstance(ref, (tuple, list)) else [ref]
        assert len(out) == len(refs), f"{info.name}: {len(out)} outputs, reference gave {len(refs)}"
        low = np.dtype(dtype) != np.float64
        for o, r in zip(out, refs):
            r = np.asarray(r)
            assert o.shape == r.shape, f"{info.name}: shape {o.shape}, reference {r.shape}"
            np.testing.assert_allclose(
                o._data.astype(np.float64) if o.dtype.kind == "f" else o._data,
                r,
                rtol=max(info.rtol, 1e-4 if low else 0.0),
                atol=max(info.atol, 1e-5 if low else 0.0),
                equal_nan=True,
                err_msg=f"{info.name} ({np.dtype(dtype)}) differs from its reference",
            )


def _expected_dtype(info: OpInfo, sample: SampleInput) -> Any:
    from minigrad.ops._util import result_type
    from minigrad.tensor import Tensor, get_default_dtype

    rule = info.result_dtype
    if callable(rule):
        return np.dtype(rule(sample))
    operands = [a for a in sample.args if isinstance(a, (Tensor, int, float, bool))]
    if rule == "bool":
        return np.dtype(np.bool_)
    if rule == "int64":
        return np.dtype(np.int64)
    if rule == "same":
        first = sample.args[0]
        return first.dtype if isinstance(first, Tensor) else result_type(first)
    promoted = result_type(*operands)
    if rule == "float" and promoted.kind in "biu":
        return get_default_dtype()
    return promoted


def _check_dtype(info: OpInfo, sample: SampleInput) -> None:
    for dtype in info.dtypes:
        s = _cast_all(sample, dtype)
        expected = _expected_dtype(info, s)
        out = _all_outputs(_call(info, s))[0]
        assert out.dtype == expected, (
            f"{info.name}: inputs in {np.dtype(dtype)} gave {out.dtype}, the promotion rules "
            f"give {expected}"
        )


def _cast_all(sample: SampleInput, dtype: Any) -> SampleInput:
    """Every floating Tensor of the sample in ``dtype`` (integers by rounding), leaves."""
    from minigrad.tensor import Tensor

    dt = np.dtype(dtype)

    def cast(a: Any) -> Any:
        if isinstance(a, Tensor) and a.dtype.kind == "f":
            data = a._data if dt.kind == "f" else np.round(a._data)
            return _leaf(data.astype(dt)).requires_grad_(a.requires_grad and dt.kind == "f")
        return a

    return SampleInput(tuple(cast(a) for a in sample.args), dict(sample.kwargs))


def _check_gradcheck(info: OpInfo, sample: SampleInput) -> None:
    fn, diff = _as_fn(info, sample)
    if diff:
        gradcheck(fn, diff, atol=info.grad_atol, rtol=info.grad_rtol)


def _check_gradgradcheck(info: OpInfo, sample: SampleInput) -> None:
    fn, diff = _as_fn(info, sample)
    if diff:
        gradgradcheck(fn, diff, atol=info.grad_atol, rtol=info.grad_rtol)


def _upstream(outs: list[Any]) -> list[Any]:

    rng = np.random.default_rng(1)
    return [_leaf(rng.standard_normal(o.shape).astype(o.dtype)) for o in outs]


def _grads(
    info: OpInfo, sample: SampleInput, create_graph: bool
) -> tuple[list[Any], list[Any], Any]:
    import minigrad

    diff = _diff_inputs(sample)
    out = _call(info, sample)
    outs = [o for o in _float_outputs(out) if o.requires_grad]
    if not diff or not outs:
        return [], [], out
    ups = _upstream(outs)
    grads = minigrad.autograd.grad(outs, diff, ups, allow_unused=True, create_graph=create_graph)
    return list(grads), ups, out


def _check_no_mutation(info: OpInfo, sample: SampleInput) -> None:
    tensors = _tensors(sample)
    before = [t._data.copy() for t in tensors]
    import minigrad

    diff = _diff_inputs(sample)
    out = _call(info, sample)
    outs = [o for o in _float_outputs(out) if o.requires_grad]
    outs_before = [o._data.copy() for o in _all_outputs(out) if hasattr(o, "data")]
    if diff and outs:
        ups = _upstream(outs)
        ups_before = [u._data.copy() for u in ups]
        minigrad.autograd.grad(outs, diff, ups, allow_unused=True)
        for u, b in zip(ups, ups_before):
            assert np.array_equal(u._data, b, equal_nan=True), (
                f"{info.name}: backward mutated the upstream gradient"
            )
    for t, b in zip(tensors, before):
        assert np.array_equal(t._data, b, equal_nan=True), f"{info.name} mutated an input"
    for o, b in zip([o for o in _all_outputs(out) if hasattr(o, "data")], outs_before):
        assert np.array_equal(o._data, b, equal_nan=True), (
            f"{info.name}: backward mutated an output"
        )


def _check_no_aliasing(info: OpInfo, sample: SampleInput) -> None:
    grads, ups, _ = _grads(info, sample, create_graph=False)
    arrays = [g._data for g in grads if g is not None]
    others = [t._data for t in _tensors(sample)] + [u._data for u in ups]
    for i, a in enumerate(arrays):
        for b in arrays[i + 1 :]:
            assert not np.shares_memory(a, b), f"{info.name}: two gradients share memory"
        for b in others:
            assert not np.shares_memory(a, b), (
                f"{info.name}: a gradient shares memory with an input or the upstream gradient"
            )


def _check_fast_path(info: OpInfo, sample: SampleInput) -> None:
    plain, _, _ = _grads(info, sample, create_graph=False)
    graph, _, _ = _grads(info, sample.copy(), create_graph=True)
    for i, (a, b) in enumerate(zip(plain, graph)):
        if a is None or b is None:
            assert a is None and b is None, f"{info.name}: gradient {i} is None on one path only"
            continue
        np.testing.assert_allclose(
            a._data, b._data, rtol=1e-10, atol=1e-12,
            err_msg=f"{info.name}: the gradient without a graph (fast path) differs from the "
            f"differentiable formula (create_graph=True) for input {i}",
        )  # fmt: skip


def _torch_callable(info: OpInfo, torch: Any) -> Callable[..., Any]:
    spec = info.torch
    if callable(spec):
        return lambda *a, **k: spec(torch, *a, **k)
    obj = torch
    for part in str(spec).split("."):
        obj = getattr(obj, part)
    return obj  # type: ignore[no-any-return]


def _to_torch(torch: Any, value: Any) -> Any:
    from minigrad.tensor import Tensor

    if isinstance(value, Tensor):
        return torch.tensor(value._data.copy(), requires_grad=value.requires_grad)
    if isinstance(value, (list, tuple)) and any(isinstance(v, Tensor) for v in value):
        return type(value)(_to_torch(torch, v) for v in value)
    return value


def _check_torch(info: OpInfo, sample: SampleInput) -> None:
    try:
        import torch
    except ImportError:
        return
    import minigrad

    fn = _torch_callable(info, torch)
    t_args = [_to_torch(torch, a) for a in sample.args]
    t_kwargs = {k: _to_torch(torch, v) for k, v in sample.kwargs.items()}
    out_m = _all_outputs(_call(info, sample))
    out_t = _all_outputs(fn(*t_args, **t_kwargs))
    assert len(out_m) == len(out_t), f"{info.name}: {len(out_m)} outputs, torch gave {len(out_t)}"
    for m, t in zip(out_m, out_t):
        assert tuple(m.shape) == tuple(t.shape), (
            f"{info.name}: shape {m.shape}, torch {tuple(t.shape)}"
        )
        assert m.dtype == t.detach().numpy().dtype, f"{info.name}: dtype {m.dtype}, torch {t.dtype}"
        np.testing.assert_allclose(
            m._data, t.detach().numpy(), rtol=info.rtol * 10 + 1e-9, atol=info.atol * 10 + 1e-12,
            equal_nan=True, err_msg=f"{info.name}: values differ from torch's",
        )  # fmt: skip
    diff = [
        i for i, a in enumerate(sample.args) if isinstance(a, minigrad.Tensor) and a.requires_grad
    ]
    pairs = [(m, t) for m, t in zip(out_m, out_t) if getattr(m, "requires_grad", False)]
    if not diff or not pairs:
        return
    ups = _upstream([m for m, _ in pairs])
    g_m = minigrad.autograd.grad(
        [m for m, _ in pairs], [sample.args[i] for i in diff], ups, allow_unused=True
    )
    g_t = torch.autograd.grad(
        [t for _, t in pairs], [t_args[i] for i in diff], [torch.tensor(u._data) for u in ups],
        allow_unused=True,
    )  # fmt: skip
    for i, a, b in zip(diff, g_m, g_t):
        a_data = np.zeros(sample.args[i].shape) if a is None else a._data
        b_data = np.zeros(sample.args[i].shape) if b is None else b.numpy()
        np.testing.assert_allclose(
            a_data, b_data, rtol=1e-6, atol=1e-9, equal_nan=True,
            err_msg=f"{info.name}: gradient of argument {i} differs from torch's",
        )  # fmt: skip


SPECIAL = np.array([0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 1e-30, -1e-30, 1e30, -1e30, 0.5])


def _specialised(sample: SampleInput) -> SampleInput:
    """The sample with its floating Tensors filled with special values (0, ±inf, nan...)."""
    from minigrad.tensor import Tensor

    def fill(a: Any, k: int) -> Any:
        if isinstance(a, Tensor) and a.dtype.kind == "f":
            values = np.roll(SPECIAL, 5 * k)
            data = np.resize(values, a.numpy().size).reshape(a.shape).astype(a.dtype)
            return _leaf(data).requires_grad_(a.requires_grad)
        return a

    return SampleInput(tuple(fill(a, k) for k, a in enumerate(sample.args)), dict(sample.kwargs))


def _check_special_values(info: OpInfo, sample: SampleInput) -> None:
    with np.errstate(all="ignore"):
        _check_torch(info, _specialised(sample))


_CHECKS: dict[str, Callable[[OpInfo, SampleInput], None]] = {
    "forward": _check_forward,
    "dtype": _check_dtype,
    "gradcheck": _check_gradcheck,
    "gradgradcheck": _check_gradgradcheck,
    "no_mutation": _check_no_mutation,
    "no_aliasing": _check_no_aliasing,
    "fast_path": _check_fast_path,
    "torch": _check_torch,
    "special_values": _check_special_values,
}


def check_op(
    info: OpInfo,
    properties: Sequence[str] | None = None,
    *,
    max_examples: int | None = None,
) -> None:
    """Run the property tests of ``info`` (all that apply, or those named) over drawn inputs.

    Each property draws its own inputs (float64 for the gradient checks) with
    Hypothesis, under the active settings profile; a failure raises with the
    falsifying sample.

    Args:
        info: the op's entry.
        properties: names from :data:`PROPERTIES` (default: ``info.properties()``).
        max_examples: the examples per property (default: the active profile's).

    Example:
        >>> import minigrad
        >>> from minigrad.testing import check_op, op_db
        >>> check_op(op_db["exp"], ["forward", "gradcheck"], max_examples=3)
    """
    if hst is None:  # pragma: no cover
        raise ImportError("check_op needs the hypothesis package (pip install hypothesis)")
    names = list(properties) if properties is not None else info.properties()
    unknown = [p for p in names if p not in _CHECKS]
    if unknown:
        raise ValueError(f"check_op: unknown properties {unknown}; known: {list(PROPERTIES)}")
    assert info.sample_inputs is not None
    current = settings()
    for name in names:
        run = settings(
            parent=current,
            max_examples=max_examples or current.max_examples,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )(given(sample=info.sample_inputs(np.float64))(_property(info, _CHECKS[name])))
        run()


def _property(info: OpInfo, check: Callable[[OpInfo, SampleInput], None]) -> Callable[..., None]:
    def run(sample: SampleInput) -> None:
        check(info, sample.copy())

    return run
