"""OpInfo entries of the elementwise ops (arithmetic, math, comparisons, logic, bits)."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from minigrad.testing.opinfo import OpInfo, SampleInput, binary_samples, samples, unary_samples

_INTS = (np.float32, np.float64, np.int32, np.int64)


def _unary(name: str, ref: Any, domain: tuple[float, float] = (-3.0, 3.0), **kw: Any) -> OpInfo:
    """An entry for a one-tensor op: floats and integers, values in ``domain``,
    ``result_dtype`` float unless given, compared with ``torch.<name>``."""
    away = kw.pop("away_from", ())
    return OpInfo(
        name,
        ref=ref,
        sample_inputs=unary_samples(domain, away_from=away, margin=kw.pop("margin", 0.05)),
        result_dtype=kw.pop("result_dtype", "float"),
        dtypes=kw.pop("dtypes", _INTS),
        torch=kw.pop("torch", name),
        **kw,
    )


def _np_sigmoid(x: Any) -> Any:
    return 1.0 / (1.0 + np.exp(-x))


@samples
def _where_samples(draw: Any, dtype: Any) -> SampleInput:
    import minigrad
    from minigrad.testing import strategies as mst

    shape = draw(mst.shapes(max_dims=2, max_side=3))
    cond = draw(mst.tensors(shape, np.bool_))
    a = draw(mst.tensors(shape, dtype, elements=(-3, 3)))
    b = draw(mst.tensors(shape[1:], dtype, elements=(-3, 3)))
    return SampleInput((cond, a, b if draw(st.booleans()) else minigrad.tensor(0.5).item()))


@samples
def _clamp_samples(draw: Any, dtype: Any) -> SampleInput:
    from minigrad.testing import strategies as mst

    shape = draw(mst.shapes(max_dims=3, max_side=3))
    x = draw(mst.tensors(shape, dtype, elements=(-3, 3), away_from=(-1.0, 1.0), margin=0.05))
    bounds = draw(st.sampled_from([(-1.0, 1.0), (-1.0, None), (None, 1.0)]))
    return SampleInput((x,), {"min": bounds[0], "max": bounds[1]})


def _torch_tensors(torch: Any, a: Any, b: Any) -> tuple[Any, Any]:
    """PyTorch's functions take tensors: a Python number becomes a 0-d tensor of the
    other operand's dtype (what PyTorch's operators do with it)."""
    if not isinstance(a, torch.Tensor):
        a = torch.tensor(a, dtype=b.dtype)
    if not isinstance(b, torch.Tensor):
        b = torch.tensor(b, dtype=a.dtype)
    return a, b


def _compare(name: str, fn: Any) -> OpInfo:
    return OpInfo(
        name,
        ref=fn,
        sample_inputs=binary_samples(),
        supports_grad=False,
        result_dtype="bool",
        dtypes=_INTS,
        torch=lambda torch, a, b: getattr(torch, name)(*_torch_tensors(torch, a, b)),
    )


def _logic(name: str, fn: Any, unary: bool = False) -> OpInfo:
    return OpInfo(
        name,
        ref=fn,
        sample_inputs=unary_samples() if unary else binary_samples(),
        supports_grad=False,
        result_dtype="bool",
        dtypes=_INTS,
        torch=(
            name
            if unary
            else lambda torch, a, b: getattr(torch, name)(*_torch_tensors(torch, a, b))
        ),
    )


@samples
def _int_pair(draw: Any, dtype: Any) -> SampleInput:
    import minigrad
    from minigrad.testing import strategies as mst

    sa, sb = draw(mst.broadcastable_shapes(n=2, max_dims=2, max_side=3))
    a = draw(mst.tensors(sa, np.int64, elements=st.integers(-20, 20)))
    b = draw(mst.tensors(sb, np.int64, elements=st.integers(0, 5)))
    return SampleInput((a, b if draw(st.booleans()) else minigrad.tensor(3).item()))


def _bitwise(name: str, fn: Any) -> OpInfo:
    return OpInfo(
        name,
        ref=fn,
        sample_inputs=_int_pair,
        supports_grad=False,
        dtypes=(np.int64,),
        torch=name,
        skips={"dtype": "integer-only op: the samples are drawn as integers"},
    )


__all__ = ["OPS"]

OPS = [
    OpInfo(
        "add",
        special_values=True,
        ref=np.add,
        sample_inputs=binary_samples(),
        dtypes=_INTS,
        torch="add",
    ),
    OpInfo(
        "sub",
        special_values=True,
        ref=np.subtract,
        sample_inputs=binary_samples(),
        dtypes=_INTS,
        torch="sub",
    ),
    OpInfo(
        "mul",
        special_values=True,
        ref=np.multiply,
        sample_inputs=binary_samples(),
        dtypes=_INTS,
        torch="mul",
    ),
    OpInfo(
        "div",
        special_values=True,
        ref=np.true_divide,
        sample_inputs=binary_samples(domain_b=(-3, 3), away_from_b=0.0, margin=0.5, scalars=False),
        result_dtype="float",
        dtypes=_INTS,
        torch="div",
    ),
    OpInfo(
        "pow",
        special_values=True,
        ref=np.power,
        sample_inputs=binary_samples((0.5, 3.0), (-2.0, 2.0), scalars=False),
        torch="pow",
    ),
    OpInfo(
        "maximum",
        special_values=True,
        ref=np.maximum,
        sample_inputs=binary_samples(scalars=False, apart=1e-3),
        dtypes=_INTS,
        torch="maximum",
    ),
    OpInfo(
        "minimum",
        special_values=True,
        ref=np.minimum,
        sample_inputs=binary_samples(scalars=False, apart=1e-3),
        dtypes=_INTS,
        torch="minimum",
    ),
    OpInfo(
        "where",
        special_values=True,
        ref=lambda c, a, b: np.where(c, a, b),
        sample_inputs=_where_samples,
        result_dtype=lambda s: __import__("minigrad").result_type(*s.args[1:]),
        torch="where",
    ),
    _unary("neg", np.negative, special_values=True, result_dtype="promote"),
    _unary("abs", np.abs, away_from=0.0, special_values=True, result_dtype="promote"),
    _unary("exp", np.exp, special_values=True),
    _unary("log", np.log, (0.2, 5.0), special_values=True),
    _unary("sqrt", np.sqrt, (0.2, 5.0), special_values=True),
    _unary("sin", np.sin, special_values=True),
    _unary("cos", np.cos, special_values=True),
    _unary("tanh", np.tanh, special_values=True),
    _unary("sigmoid", _np_sigmoid, (-6.0, 6.0), special_values=True),
    _unary(
        "relu",
        lambda x: np.maximum(x, 0),
        away_from=0.0,
        special_values=True,
        result_dtype="promote",
    ),
    OpInfo(
        "clamp",
        special_values=True,
        ref=lambda x, min=None, max=None: np.clip(x, min, max),
        sample_inputs=_clamp_samples,
        torch="clamp",
    ),
    _unary("sign", np.sign, away_from=0.0, special_values=True, result_dtype="promote"),
    _compare("eq", np.equal),
    _compare("ne", np.not_equal),
    _compare("lt", np.less),
    _compare("le", np.less_equal),
    _compare("gt", np.greater),
    _compare("ge", np.greater_equal),
    _logic("logical_not", np.logical_not, unary=True),
    _logic("logical_and", np.logical_and),
    _logic("logical_or", np.logical_or),
    _logic("logical_xor", np.logical_xor),
    _bitwise("bitwise_and", np.bitwise_and),
    _bitwise("bitwise_or", np.bitwise_or),
    _bitwise("bitwise_xor", np.bitwise_xor),
    OpInfo(
        "bitwise_not",
        ref=np.invert,
        sample_inputs=lambda dt: _int_pair(dt).map(lambda s: SampleInput(s.args[:1])),
        supports_grad=False,
        dtypes=(np.int64,),
        torch="bitwise_not",
        skips={"dtype": "integer-only op: the samples are drawn as integers"},
    ),
    _bitwise("bitwise_left_shift", np.left_shift),
    _bitwise("bitwise_right_shift", np.right_shift),
]
