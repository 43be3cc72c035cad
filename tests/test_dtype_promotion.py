"""PyTorch's type promotion, checked for every binary op over every dtype pair.

The table below is PyTorch's ``torch.promote_types`` (2.13), embedded as data so
the test needs no torch. On top of it, ``torch.result_type``'s rule for operands
of lower priority (0-d tensors, then Python numbers): they only count when they
are of a higher category (bool < integer < floating), written here independently
of minigrad's own implementation.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigrad

NAMES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
TABLE_TEXT = """
bool    bool    uint8   int8    int16   int32   int64   float16 float32 float64
uint8   uint8   uint8   int16   int16   int32   int64   float16 float32 float64
int8    int8    int16   int8    int16   int32   int64   float16 float32 float64
int16   int16   int16   int16   int16   int32   int64   float16 float32 float64
int32   int32   int32   int32   int32   int32   int64   float16 float32 float64
int64   int64   int64   int64   int64   int64   int64   float16 float32 float64
float16 float16 float16 float16 float16 float16 float16 float16 float32 float64
float32 float32 float32 float32 float32 float32 float32 float32 float32 float64
float64 float64 float64 float64 float64 float64 float64 float64 float64 float64
"""
TABLE = {
    (row.split()[0], b): r
    for row in TABLE_TEXT.strip().splitlines()
    for b, r in zip(NAMES, row.split()[1:])
}


def category(name: str) -> int:
    return 0 if name == "bool" else 2 if name.startswith("float") else 1


def combine(higher: str | None, lower: str | None) -> str | None:
    """torch.result_type's combine_categories, written from its definition."""
    if higher is None:
        return lower
    if lower is None:
        return higher
    if category(higher) == 2:
        return higher
    if higher == "bool" or category(lower) == 2:
        return TABLE[higher, lower]
    return higher


# An operand is (dtype name, kind): kind "dim" (a 1-d tensor), "zero" (0-d) or "py".
KINDS = ["dim", "zero", "py"]


def expected(a: tuple[str, str], b: tuple[str, str]) -> str:
    tiers: dict[str, str | None] = {"dim": None, "zero": None, "py": None}
    for name, kind in (a, b):
        if kind == "py":  # Python numbers: bool, int -> int64, float -> the default dtype
            name = {"bool": "bool", "int": "int64", "float": "float32"}[py_kind(name)]
        prev = tiers[kind]
        tiers[kind] = name if prev is None else TABLE[prev, name]
    out = combine(tiers["dim"], combine(tiers["zero"], tiers["py"]))
    assert out is not None
    return out


def py_kind(name: str) -> str:
    return "bool" if name == "bool" else "float" if category(name) == 2 else "int"


def make(name: str, kind: str) -> Any:
    if kind == "py":
        return {"bool": True, "int": 2, "float": 2.0}[py_kind(name)]
    value = np.array([True, True]) if name == "bool" else np.array([1, 2])
    arr = value.astype(name)
    return minigrad.tensor(arr if kind == "dim" else arr[1])


ARITHMETIC = {
    "add": operator.add,
    "mul": operator.mul,
    "maximum": minigrad.maximum,
    "minimum": minigrad.minimum,
    "where": lambda a, b: minigrad.where(minigrad.tensor(True), a, b),
}
COMPARISONS = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}
BITWISE = {"and": operator.and_, "or": operator.or_, "xor": operator.xor}

operands = st.tuples(st.sampled_from(NAMES), st.sampled_from(KINDS))


def pairs() -> Any:
    # At least one operand is a tensor (two Python numbers are not an op on tensors).
    return st.tuples(operands, operands).filter(lambda p: p[0][1] != "py" or p[1][1] != "py")


def test_the_embedded_table_is_symmetric_and_matches_promote_types() -> None:
    for (a, b), r in TABLE.items():
        assert TABLE[b, a] == r
        assert minigrad.promote_types(a, b) == np.dtype(r)


@pytest.mark.parametrize("name", list(ARITHMETIC))
@given(pair=pairs())
def test_arithmetic_result_dtype(name: str, pair: Any) -> None:
    a, b = pair
    out = ARITHMETIC[name](make(*a), make(*b))
    assert out.dtype == np.dtype(expected(a, b)), (a, b)


@given(pair=pairs())
def test_sub_result_dtype_and_bool_refusal(pair: Any) -> None:
    a, b = pair
    want = expected(a, b)
    if want == "bool":
        with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with two bool"):
            make(*a) - make(*b)
    else:
        assert (make(*a) - make(*b)).dtype == np.dtype(want)


@given(pair=pairs())
def test_true_division_gives_floats(pair: Any) -> None:
    a, b = pair
    want = expected(a, b)
    want = want if category(want) == 2 else "float32"
    assert (make(*a) / make(*b)).dtype == np.dtype(want)


@given(pair=pairs().filter(lambda p: "bool" not in (p[0][0], p[1][0])))
def test_integer_powers_keep_integers(pair: Any) -> None:
    a, b = pair
    assert (make(*a) ** make(*b)).dtype == np.dtype(expected(a, b))


@pytest.mark.parametrize("name", list(COMPARISONS))
@given(pair=pairs())
def test_comparisons_give_bool(name: str, pair: Any) -> None:
    a, b = pair
    assert COMPARISONS[name](make(*a), make(*b)).dtype == np.bool_


@pytest.mark.parametrize("name", list(BITWISE))
@given(pair=pairs())
def test_bitwise_ops_on_integers_logical_on_bool_refused_on_floats(name: str, pair: Any) -> None:
    a, b = pair
    want = expected(a, b)
    if category(want) == 2:
        with pytest.raises(RuntimeError, match="not implemented for"):
            BITWISE[name](make(*a), make(*b))
        return
    out = BITWISE[name](make(*a), make(*b))
    assert out.dtype == np.dtype(want)
    if want == "bool":
        assert out.tolist() in ([True, True], [False, False], True, False)


@given(pair=pairs().filter(lambda p: p[0][1] != "py"))
def test_in_place_keeps_its_dtype_or_refuses_a_lower_category(pair: Any) -> None:
    a, b = pair
    x, y = make(*a), make(*b)
    before = x.tolist()
    want = expected(a, b)
    if a[1] == "zero" and b[1] == "dim":  # the shape is checked first, as in PyTorch
        with pytest.raises(RuntimeError, match=r"output with shape \[\] doesn't match"):
            x.add_(y)
    elif category(want) > category(a[0]):
        with pytest.raises(RuntimeError, match="can't be cast to the desired output type"):
            x.add_(y)
        assert x.tolist() == before
    else:
        x.add_(y)
        assert x.dtype == np.dtype(a[0])


@given(name=st.sampled_from(NAMES))
def test_float_valued_ops_on_integers_give_the_default_float(name: str) -> None:
    x = make(name, "dim")
    for fn in (minigrad.exp, minigrad.sigmoid, minigrad.sqrt, minigrad.sin, minigrad.tanh):
        want = name if category(name) == 2 else "float32"
        assert fn(x).dtype == np.dtype(want)


def test_examples_from_the_issue() -> None:
    assert minigrad.tensor([2]).sigmoid().dtype == minigrad.float32
    assert (minigrad.tensor([2], dtype=minigrad.int32) ** 2).dtype == minigrad.int32
    assert (minigrad.tensor([12, 10]) & 6).tolist() == [4, 2]
    assert (~minigrad.tensor([0, 5])).tolist() == [-1, -6]
    x = minigrad.tensor([3, 4])
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired"):
        x /= 2
    assert x.tolist() == [3, 4]
    y = minigrad.tensor([1.0])
    assert y.to(None) is y
