"""Matrix multiplication with NumPy's (and PyTorch's) 1-D, 2-D and batched rules."""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.autograd import ArrayFunction as Function
from minigrad.autograd import Context
from minigrad.ops._registry import op
from minigrad.ops._util import as_tensor, normalize_dim, result_type
from minigrad.ops.shape import stack
from minigrad.tensor import Tensor


class MatMul(Function):
    """``a @ b`` for inputs of at least 2 dims; batch dims broadcast.

    Example:
        >>> import minigrad
        >>> from minigrad.ops.linalg import MatMul
        >>> MatMul.apply(minigrad.ones(2, 3), minigrad.ones(3, 1)).shape
        minigrad.Size([2, 1])
    """

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a, b = ctx.saved_tensors
        ga = grad @ b.transpose(-1, -2) if ctx.needs_input_grad[0] else None
        gb = a.transpose(-1, -2) @ grad if ctx.needs_input_grad[1] else None
        return ga, gb  # the engine sums broadcast batch dims away


@op(dunders=("__matmul__", "__rmatmul__"))
def matmul(input: Any, other: Any) -> Tensor:
    """Matrix product with broadcasting of batch dimensions.

    1-D operands are treated as a row (left) or a column (right) vector and that
    dimension is removed from the result, as in NumPy and PyTorch.

    Example:
        >>> import minigrad
        >>> a = minigrad.ones(2, 3)
        >>> (a @ minigrad.ones(3)).shape, (minigrad.ones(4, 2, 3) @ minigrad.ones(3, 5)).shape
        (minigrad.Size([2]), minigrad.Size([4, 2, 5]))
    """
    a, b = as_tensor(input), as_tensor(other)
    if a.dtype != b.dtype:
        dtype = result_type(a, b)
        a, b = a.to(dtype), b.to(dtype)
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(
            f"matmul: both arguments need at least 1 dimension, got shapes {a.shape} and {b.shape}"
        )
    if a.shape[-1] != b.shape[-2 if b.ndim > 1 else 0]:
        raise RuntimeError(
            f"matmul: shapes {a.shape} and {b.shape} cannot be multiplied "
            f"({a.shape[-1]} != {b.shape[-2 if b.ndim > 1 else 0]})"
        )
    a2 = a.unsqueeze(0) if a.ndim == 1 else a
    b2 = b.unsqueeze(-1) if b.ndim == 1 else b
    try:
        np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
    except ValueError:
        raise RuntimeError(
            f"matmul: batch dimensions of {a.shape} and {b.shape} do not broadcast"
        ) from None
    out = MatMul.apply(a2, b2)
    if b.ndim == 1:
        out = out.squeeze(-1)
    if a.ndim == 1:
        out = out.squeeze(-2 if b.ndim > 1 else -1)
    return out


# --------------------------------------------------------------------------- products on matmul


def _same_dtype(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    a, b = as_tensor(a), as_tensor(b)
    if a.dtype != b.dtype:
        dtype = result_type(a, b)
        a, b = a.to(dtype), b.to(dtype)
    return a, b


def _need_ndim(who: str, name: str, t: Tensor, ndim: int) -> None:
    if t.ndim != ndim:
        raise RuntimeError(f"{who}: {name} must be a {ndim}-D tensor, got shape {t.shape}")


@op()
def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """Outer product of two vectors: ``out[i, j] = input[i] * vec2[j]``.

    Args:
        input: ``(n,)``.
        vec2: ``(m,)``.

    Returns:
        ``(n, m)``.

    Example:
        >>> import minigrad
        >>> minigrad.outer(minigrad.tensor([1.0, 2.0]), minigrad.tensor([1.0, 10.0, 100.0]))
        tensor([[  1.,  10., 100.],
                [  2.,  20., 200.]])
    """
    a, b = _same_dtype(input, vec2)
    _need_ndim("outer", "input", a, 1)
    _need_ndim("outer", "vec2", b, 1)
    return a.unsqueeze(1) * b.unsqueeze(0)


@op()
def dot(input: Tensor, other: Tensor) -> Tensor:
    """Dot product of two 1-D tensors of the same length (a 0-d result).

    Example:
        >>> import minigrad
        >>> minigrad.dot(minigrad.tensor([1.0, 2.0]), minigrad.tensor([3.0, 4.0]))
        tensor(11.)
    """
    a, b = _same_dtype(input, other)
    _need_ndim("dot", "input", a, 1)
    _need_ndim("dot", "other", b, 1)
    if a.shape != b.shape:
        raise RuntimeError(
            f"dot: input has {a.shape[0]} elements but other has {b.shape[0]} (they must match)"
        )
    return matmul(a, b)


@op()
def inner(input: Tensor, other: Tensor) -> Tensor:
    """Inner product over the last dimension of both (a product if either is 0-d).

    Shapes: ``(*a, n)`` and ``(*b, n)`` give ``(*a, *b)``.

    Example:
        >>> import minigrad
        >>> minigrad.inner(minigrad.ones(2, 3), minigrad.ones(4, 3)).shape
        minigrad.Size([2, 4])
    """
    a, b = _same_dtype(input, other)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if a.shape[-1] != b.shape[-1]:
        raise RuntimeError(
            f"inner: the last dimensions differ: input {a.shape} and other {b.shape}"
        )
    return tensordot(a, b, dims=([a.ndim - 1], [b.ndim - 1]))


@op()
def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """Matrix product of two 2-D tensors (no broadcasting): ``(n, k) @ (k, m)``.

    Example:
        >>> import minigrad
        >>> minigrad.mm(minigrad.ones(2, 3), minigrad.ones(3, 4)).shape
        minigrad.Size([2, 4])
    """
    a, b = _same_dtype(input, mat2)
    _need_ndim("mm", "input", a, 2)
    _need_ndim("mm", "mat2", b, 2)
    return matmul(a, b)


@op()
def mv(input: Tensor, vec: Tensor) -> Tensor:
    """Matrix-vector product: ``(n, m) @ (m,)`` gives ``(n,)``.

    Example:
        >>> import minigrad
        >>> minigrad.mv(minigrad.eye(2) * 3, minigrad.tensor([1.0, 2.0]))
        tensor([3., 6.])
    """
    a, b = _same_dtype(input, vec)
    _need_ndim("mv", "input", a, 2)
    _need_ndim("mv", "vec", b, 1)
    return matmul(a, b)


@op()
def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """Batched matrix product of two 3-D tensors with the same batch (no broadcasting).

    Shapes: ``(b, n, k) @ (b, k, m)`` gives ``(b, n, m)``.

    Example:
        >>> import minigrad
        >>> minigrad.bmm(minigrad.ones(5, 2, 3), minigrad.ones(5, 3, 4)).shape
        minigrad.Size([5, 2, 4])
    """
    a, b = _same_dtype(input, mat2)
    _need_ndim("bmm", "input", a, 3)
    _need_ndim("bmm", "mat2", b, 3)
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(
            f"bmm: input has batch size {a.shape[0]} but mat2 has {b.shape[0]} "
            f"(shapes {a.shape} and {b.shape})"
        )
    return matmul(a, b)


def _scaled_sum(who: str, input: Any, product: Tensor, beta: Any, alpha: Any) -> Tensor:
    x = as_tensor(input)
    try:
        np.broadcast_shapes(x.shape, product.shape)
        if np.broadcast_shapes(x.shape, product.shape) != product.shape:
            raise ValueError
    except ValueError:
        raise RuntimeError(
            f"{who}: input of shape {x.shape} does not broadcast to the product's shape "
            f"{product.shape}"
        ) from None
    scaled = product if alpha == 1 else product * alpha
    if beta == 0:  # input is ignored, its nan and inf included (as PyTorch)
        return scaled
    return scaled + (x if beta == 1 else x * beta)


@op()
def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """``beta * input + alpha * (mat1 @ mat2)``; ``input`` broadcasts to ``(n, m)``.

    With ``beta=0`` the input is ignored (its nan and inf do not propagate).

    Example:
        >>> import minigrad
        >>> minigrad.addmm(minigrad.ones(2), minigrad.eye(2), minigrad.eye(2), alpha=3)
        tensor([[4., 1.],
                [1., 4.]])
    """
    return _scaled_sum("addmm", input, mm(mat1, mat2), beta, alpha)


@op()
def baddbmm(
    input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Any = 1, alpha: Any = 1
) -> Tensor:
    """``beta * input + alpha * bmm(batch1, batch2)``; ``input`` broadcasts to ``(b, n, m)``.

    Example:
        >>> import minigrad
        >>> a, b = minigrad.ones(2, 1, 3), minigrad.ones(2, 3, 1)
        >>> minigrad.baddbmm(minigrad.zeros(2, 1, 1), a, b)
        tensor([[[3.]],
        <BLANKLINE>
                [[3.]]])
    """
    return _scaled_sum("baddbmm", input, bmm(batch1, batch2), beta, alpha)


def _tensordot_dims(dims: Any, a: Tensor, b: Tensor) -> tuple[list[int], list[int]]:
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, (int, np.integer)) and not isinstance(dims, bool):
        if dims < 0 or dims > min(a.ndim, b.ndim):
            raise RuntimeError(
                f"tensordot: dims must be in [0, {min(a.ndim, b.ndim)}] for shapes {a.shape} and "
                f"{b.shape}, got {dims}"
            )
        da, db = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        da, db = _dims_pair(dims)
    if len(da) != len(db):
        raise RuntimeError(
            f"tensordot: both sides need as many dims to contract, got {da} and {db}"
        )
    da = [normalize_dim(d, a.ndim, "tensordot") for d in da]
    db = [normalize_dim(d, b.ndim, "tensordot") for d in db]
    for i, j in zip(da, db):
        if a.shape[i] != b.shape[j]:
            raise RuntimeError(
                f"tensordot: contracted dimension {i} of a (size {a.shape[i]}) does not "
                f"match dimension {j} of b (size {b.shape[j]}); shapes {a.shape} and "
                f"{b.shape}"
            )
    return da, db


def _dims_pair(dims: Any) -> tuple[list[int], list[int]]:
    try:
        da, db = dims
        da = [da] if isinstance(da, (int, np.integer)) else list(da)
        db = [db] if isinstance(db, (int, np.integer)) else list(db)
    except (TypeError, ValueError):
        raise TypeError(
            f"tensordot: dims must be an int or a pair of lists of dimensions, got {dims!r}"
        ) from None
    return da, db


@op(method=False)
def tensordot(a: Tensor, b: Tensor, dims: Any = 2) -> Tensor:
    """Contract dimensions of ``a`` with dimensions of ``b`` (one matrix product).

    Args:
        a, b: tensors.
        dims: an int ``d`` (the last ``d`` dims of ``a`` with the first ``d`` of ``b``)
            or a pair of lists ``([dims of a], [dims of b])``.

    Returns:
        The free dims of ``a`` followed by those of ``b``.

    Example:
        >>> import minigrad
        >>> a, b = minigrad.ones(3, 4, 5), minigrad.ones(4, 3, 2)
        >>> minigrad.tensordot(a, b, dims=([1, 0], [0, 1])).shape
        minigrad.Size([5, 2])
    """
    a, b = _same_dtype(a, b)
    da, db = _tensordot_dims(dims, a, b)
    free_a = [i for i in range(a.ndim) if i not in da]
    free_b = [i for i in range(b.ndim) if i not in db]
    k = int(np.prod([a.shape[i] for i in da]))
    left = a.permute(*free_a, *da).reshape(-1, k)
    right = b.permute(*db, *free_b).reshape(k, -1)
    shape = [a.shape[i] for i in free_a] + [b.shape[i] for i in free_b]
    return matmul(left, right).reshape(*shape)


@op()
def kron(input: Tensor, other: Tensor) -> Tensor:
    """Kronecker product: blocks ``input[i] * other``; the shorter shape is padded with 1s.

    Shapes: ``(a0, a1, ...)`` and ``(b0, b1, ...)`` give ``(a0 * b0, a1 * b1, ...)``.

    Example:
        >>> import minigrad
        >>> minigrad.kron(minigrad.eye(2), minigrad.tensor([[1.0, 2.0]]))
        tensor([[1., 2., 0., 0.],
                [0., 0., 1., 2.]])
    """
    a, b = _same_dtype(input, other)
    n = max(a.ndim, b.ndim)
    a = a.reshape(*(1,) * (n - a.ndim), *a.shape)
    b = b.reshape(*(1,) * (n - b.ndim), *b.shape)
    a_wide = a.reshape(*[s for d in a.shape for s in (d, 1)])
    b_wide = b.reshape(*[s for d in b.shape for s in (1, d)])
    return (a_wide * b_wide).reshape(*[x * y for x, y in zip(a.shape, b.shape)])


@op()
def cross(input: Tensor, other: Tensor, dim: int | None = None) -> Tensor:
    """Cross product of 3-vectors along ``dim`` (batch dims broadcast).

    ``dim=None`` takes the first dimension of size 3 (PyTorch's legacy default;
    ``minigrad.linalg.cross`` uses ``dim=-1``).

    Example:
        >>> import minigrad
        >>> minigrad.cross(minigrad.tensor([1.0, 0.0, 0.0]), minigrad.tensor([0.0, 1.0, 0.0]))
        tensor([0., 0., 1.])
    """
    a, b = _same_dtype(input, other)
    if a.ndim != b.ndim:
        raise RuntimeError(
            f"cross: inputs must have the same number of dimensions, got {a.shape} and {b.shape}"
        )
    shape = np.broadcast_shapes(a.shape, b.shape)
    if dim is None:
        sizes = [i for i, s in enumerate(shape) if s == 3]
        if not sizes:
            raise RuntimeError(f"cross: no dimension of size 3 in shapes {a.shape} and {b.shape}")
        d = sizes[0]
    else:
        d = normalize_dim(dim, len(shape), "cross")
    if a.shape[d] != 3 or b.shape[d] != 3:
        raise RuntimeError(
            f"cross: dimension {d} must have size 3 in both inputs, got shapes {a.shape} and "
            f"{b.shape}"
        )
    a, b = a.expand(*shape), b.expand(*shape)

    def part(t: Tensor, k: int) -> Tensor:
        return t[(slice(None),) * d + (k,)]

    a0, a1, a2 = (part(a, k) for k in range(3))
    b0, b1, b2 = (part(b, k) for k in range(3))
    return stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], dim=d)


# --------------------------------------------------------------------------- einsum

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _parse_einsum(equation: str, shapes: list[tuple[int, ...]]) -> tuple[list[str], str]:
    """Subscripts of every operand and of the output, with ``...`` spelled out in letters."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(shapes):
        raise ValueError(
            f"einsum: the equation {equation!r} has {len(terms)} operands but {len(shapes)} were "
            f"given"
        )
    for term in [*terms, rhs]:
        bad = set(term.replace("...", "")) - set(_LETTERS)
        if bad or term.count("...") > 1:
            raise ValueError(f"einsum: invalid subscripts {term!r} in {equation!r}")
    free = iter(c for c in _LETTERS if c not in eq)
    widths = [len(s) - (len(t) - 3) for t, s in zip(terms, shapes) if "..." in t]
    ell = "".join(next(free) for _ in range(max(widths, default=0)))
    subs = []
    for term, shape in zip(terms, shapes):
        if "..." in term:
            width = len(shape) - (len(term) - 3)
            if width < 0:
                raise ValueError(
                    f"einsum: subscripts {term!r} need at least {len(term) - 3} dimensions, the "
                    f"operand has shape {shape}"
                )
            term = term.replace("...", ell[len(ell) - width :])
        if len(term) != len(shape):
            raise ValueError(
                f"einsum: subscripts {term!r} name {len(term)} dimensions but the operand has "
                f"shape {shape}"
            )
        subs.append(term)
    if arrow:
        if "..." not in rhs and ell:
            raise ValueError(
                f"einsum: the output of {equation!r} needs '...' for the broadcast dimensions"
            )
        out = rhs.replace("...", ell)
        if len(set(out)) != len(out):
            raise ValueError(f"einsum: output subscripts {rhs!r} repeat a letter")
        missing = set(out) - set("".join(subs))
        if missing:
            raise ValueError(
                f"einsum: output subscripts {sorted(missing)} do not appear in any operand"
            )
    else:
        joined = "".join(subs)
        once = sorted((c for c in set(joined) if joined.count(c) == 1 and c not in ell),
                      key=_LETTERS.index)  # fmt: skip
        out = ell + "".join(once)
    return subs, out


class Einsum(Function):
    """``np.einsum`` of operands whose letters have one size each (no broadcasting left).

    Example:
        >>> import minigrad
        >>> from minigrad.ops.linalg import Einsum
        >>> Einsum.apply(minigrad.ones(2, 3), minigrad.ones(3), subs=("ij", "j"), out="i")
        tensor([3., 3.])
    """

    @staticmethod
    def forward(ctx: Context, *arrays: Any, subs: tuple[str, ...], out: str) -> Any:
        ctx.save_for_backward(*arrays)
        spec = ",".join(subs) + "->" + out
        return np.einsum(spec, *arrays, optimize=len(arrays) > 2)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        operands = ctx.saved_tensors
        subs, out = ctx.attrs["subs"], ctx.attrs["out"]
        grads: list[Tensor | None] = []
        for i in range(len(subs)):
            if not ctx.needs_input_grad[i]:
                grads.append(None)
                continue
            grads.append(_einsum_grad(grad, out, operands, subs, i))
        return tuple(grads)


def _einsum_grad(grad: Tensor, out: str, operands: Any, subs: Any, i: int) -> Tensor:
    """The gradient of operand ``i``: an einsum of the upstream gradient and the others."""
    size = {c: n for s, t in zip(subs, operands) for c, n in zip(s, t.shape)}
    others = [(s, t) for j, (s, t) in enumerate(zip(subs, operands)) if j != i]
    terms = [out] + [s for s, _ in others]
    args: list[Any] = [grad] + [t for _, t in others]
    have = set("".join(terms))
    used = set("".join(subs)) | set(out)
    free = iter(c for c in _LETTERS if c not in used)
    target, seen = "", set()
    for c in subs[i]:
        if c in seen:  # a repeated letter: the gradient lives on the diagonal
            fresh = next(free)
            terms.append(c + fresh)
            args.append(Tensor._make(np.eye(size[c], dtype=grad.dtype)))
            target += fresh
            continue
        seen.add(c)
        if c not in have:  # summed within this operand only: the gradient is broadcast
            terms.append(c)
            args.append(Tensor._make(np.ones(size[c], dtype=grad.dtype)))
            have.add(c)
        target += c
    return Einsum.apply(*args, subs=tuple(terms), out=target)


@op(method=False)
def einsum(equation: str, *operands: Any) -> Tensor:
    """Einstein summation over the operands, with NumPy's (and PyTorch's) equations.

    Letters name dimensions; a letter in several operands pairs them; letters
    missing from the output (after ``->``, or the letters seen once, sorted, when
    there is no ``->``) are summed; ``...`` stands for broadcast dimensions;
    dimensions of size 1 broadcast. The operands may also come as one list.

    The gradient of each operand is an einsum of the upstream gradient and the
    other operands, so it is differentiable again.

    Example:
        >>> import minigrad
        >>> a, b = minigrad.ones(2, 3), minigrad.ones(3, 4)
        >>> minigrad.einsum("ij,jk->ik", a, b).shape, minigrad.einsum("ii", minigrad.eye(3))
        (minigrad.Size([2, 4]), tensor(3.))
        >>> minigrad.einsum("...ij->...ji", minigrad.ones(5, 2, 3)).shape
        minigrad.Size([5, 3, 2])
    """
    if not isinstance(equation, str):
        raise TypeError(f"einsum: the equation must be a str, got {type(equation).__name__}")
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not operands:
        raise ValueError("einsum: at least one operand is needed")
    tensors = [as_tensor(t) for t in operands]
    dtype = result_type(*tensors)
    tensors = [t if t.dtype == dtype else t.to(dtype) for t in tensors]
    subs, out = _parse_einsum(equation, [t.shape for t in tensors])
    size: dict[str, int] = {}
    for s, t in zip(subs, tensors):
        for c, n in zip(s, t.shape):
            if n != 1 and size.get(c, 1) not in (1, n):
                raise RuntimeError(
                    f"einsum: subscript {c!r} has size {size[c]} in one operand and {n} in "
                    f"another (shapes {[u.shape for u in tensors]}, equation {equation!r})"
                )
            size[c] = max(size.get(c, 1), n)
    ready = []
    for s, t in zip(subs, tensors):
        full = tuple(size[c] for c in s)
        ready.append(t.expand(*full) if full != t.shape else t)
    # a letter repeated in one operand with broadcasting would need care; as NumPy, take it as given
    return Einsum.apply(*ready, subs=tuple(subs), out=out)
