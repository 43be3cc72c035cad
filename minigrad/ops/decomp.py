"""Matrix functions and decompositions (``minigrad.linalg``): inv, det, slogdet, solve,
cholesky, qr, eigh, svd, matrix_norm.

Every op works on batches ``(*, m, n)``. Every backward is the standard
matrix-calculus formula written in Tensor ops (it calls these same ops), so second
derivatives work. As in PyTorch, the gradients of ``eigh`` and ``svd`` are defined
for distinct eigenvalues / singular values, are invariant to the sign of each
eigen- or singular vector only for losses that are, and ``cholesky``'s and
``eigh``'s gradients are symmetric (the input is taken to be symmetric).

A singular or non-positive-definite input raises :class:`LinAlgError` (a
``RuntimeError``, as ``torch.linalg.LinAlgError``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from minigrad.autograd import ArrayFunction as Function
from minigrad.autograd import Context
from minigrad.ops._registry import op
from minigrad.ops._util import float_operand, normalize_dims
from minigrad.tensor import Tensor


class LinAlgError(RuntimeError):
    """A matrix that the op cannot handle: singular, or not positive-definite.

    Example:
        >>> import minigrad
        >>> try:
        ...     minigrad.linalg.inv(minigrad.zeros(2, 2))
        ... except minigrad.linalg.LinAlgError as e:
        ...     print("singular" in str(e))
        True
    """


def _mT(x: Tensor) -> Tensor:
    return x.transpose(-1, -2)


def _const(a: Any) -> Tensor:
    return Tensor._make(np.asarray(a))


def _square(who: str, x: Any) -> Tensor:
    t = float_operand(x)
    if t.ndim < 2 or t.shape[-1] != t.shape[-2]:
        raise RuntimeError(f"{who}: A must be a batch of square matrices, got shape {t.shape}")
    return t


def _matrix(who: str, x: Any) -> Tensor:
    t = float_operand(x)
    if t.ndim < 2:
        raise RuntimeError(f"{who}: A must have at least 2 dimensions, got shape {t.shape}")
    return t


def _diag_embed(v: Tensor) -> Tensor:
    n = v.shape[-1]
    return v.unsqueeze(-1) * _const(np.eye(n, dtype=v.dtype))


# --------------------------------------------------------------------------- inv, det, slogdet


class LinalgInv(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        try:
            out = np.linalg.inv(a)
        except np.linalg.LinAlgError:
            raise LinAlgError(
                f"linalg.inv: the input (shape {a.shape}) is singular: it has no inverse"
            ) from None
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (inv,) = ctx.saved_tensors
        return -(_mT(inv) @ grad @ _mT(inv))


@op(method=False, export=False)
def linalg_inv(A: Tensor) -> Tensor:
    """The inverse of each square matrix of ``A`` ``(*, n, n)``: ``minigrad.linalg.inv``.

    Gradient: ``-A^{-T} G A^{-T}``.

    Example:
        >>> import minigrad
        >>> minigrad.linalg.inv(minigrad.tensor([[2.0, 0.0], [0.0, 4.0]]))
        tensor([[0.5000, 0.0000],
                [0.0000, 0.2500]])
    """
    return LinalgInv.apply(_square("linalg.inv", A))


@op(export=True, method=True)
def inverse(input: Tensor) -> Tensor:
    """The inverse of each square matrix (``torch.inverse``; as :func:`linalg_inv`).

    Example:
        >>> import minigrad
        >>> minigrad.eye(2).mul(2).inverse()
        tensor([[0.5000, 0.0000],
                [0.0000, 0.5000]])
    """
    return LinalgInv.apply(_square("inverse", input))


class LinalgDet(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        out = np.linalg.det(a)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a, det = ctx.saved_tensors
        return (grad * det).unsqueeze(-1).unsqueeze(-1) * _mT(linalg_inv(a))


@op(method=False, export=False)
def linalg_det(A: Tensor) -> Tensor:
    """The determinant of each square matrix of ``A`` ``(*, n, n)``: ``minigrad.linalg.det``.

    Gradient: ``G det(A) A^{-T}`` (defined for invertible ``A``).

    Example:
        >>> import minigrad
        >>> minigrad.linalg.det(minigrad.tensor([[1.0, 2.0], [3.0, 4.0]]))
        tensor(-2.)
    """
    return LinalgDet.apply(_square("linalg.det", A))


@op()
def det(input: Tensor) -> Tensor:
    """The determinant of each square matrix (``torch.det``; as :func:`linalg_det`).

    Example:
        >>> import minigrad
        >>> minigrad.eye(3).mul(2).det()
        tensor(8.)
    """
    return LinalgDet.apply(_square("det", input))


class SlogdetResult(NamedTuple):
    """``(sign, logabsdet)``, as returned by :func:`linalg_slogdet`.

    Example:
        >>> import minigrad
        >>> minigrad.linalg.slogdet(minigrad.eye(2)).sign
        tensor(1.)
    """

    sign: Tensor
    logabsdet: Tensor


class LinalgSlogdet(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        sign, logabs = np.linalg.slogdet(a)
        ctx.save_for_backward(a)
        return np.asarray(sign, dtype=a.dtype), np.asarray(logabs, dtype=a.dtype)

    @staticmethod
    def backward(ctx: Context, gsign: Tensor, glog: Tensor) -> Any:
        (a,) = ctx.saved_tensors
        return glog.unsqueeze(-1).unsqueeze(-1) * _mT(linalg_inv(a))


@op(method=False, export=False)
def linalg_slogdet(A: Tensor) -> SlogdetResult:
    """The sign and the log of the absolute value of the determinant: ``minigrad.linalg.slogdet``.

    ``det = sign * exp(logabsdet)`` without overflow; ``sign`` has no gradient, the
    gradient of ``logabsdet`` is ``G A^{-T}``.

    Example:
        >>> import minigrad
        >>> minigrad.linalg.slogdet(minigrad.tensor([[-2.0, 0.0], [0.0, 4.0]]))
        SlogdetResult(sign=tensor(-1.), logabsdet=tensor(2.0794))
    """
    sign, logabs = LinalgSlogdet.apply(_square("linalg.slogdet", A))
    return SlogdetResult(sign.detach(), logabs)


# --------------------------------------------------------------------------- solve


class LinalgSolve(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        try:
            out = np.linalg.solve(a, b)
        except np.linalg.LinAlgError:
            raise LinAlgError(
                f"linalg.solve: A (shape {a.shape}) is singular: the system has no unique solution"
            ) from None
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a, x = ctx.saved_tensors
        gb = _solve(_mT(a), grad)
        ga = -(gb @ _mT(x)) if ctx.needs_input_grad[0] else None
        return ga, (gb if ctx.needs_input_grad[1] else None)


def _solve(a: Tensor, b: Tensor) -> Tensor:
    return LinalgSolve.apply(a, b)  # type: ignore[no-any-return]


@op(method=False, export=False)
def linalg_solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    """``X`` solving ``A X = B`` (``X A = B`` if ``left=False``): ``minigrad.linalg.solve``.

    Args:
        A: ``(*, n, n)``, invertible.
        B: ``(*, n, k)``, or ``(*, n)`` (a batch of vectors) when ``B.ndim == 1`` or its
            shape is ``A.shape[:-1]``; batch dimensions broadcast.

    Gradients: ``G_B = A^{-T} G``, ``G_A = -G_B X^T``.

    Example:
        >>> import minigrad
        >>> A = minigrad.tensor([[2.0, 0.0], [0.0, 4.0]])
        >>> minigrad.linalg.solve(A, minigrad.tensor([2.0, 2.0]))
        tensor([1.0000, 0.5000])
    """
    a = _square("linalg.solve", A)
    b = float_operand(B)
    if a.dtype != b.dtype:
        from minigrad.ops._util import promote_types

        dtype = promote_types(a.dtype, b.dtype)
        a, b = a.to(dtype), b.to(dtype)
    vector = b.ndim == 1 or (left and b.ndim == a.ndim - 1 and b.shape == a.shape[:-1])
    if vector:
        b = b.unsqueeze(-1) if left else b.unsqueeze(-2)
    n = a.shape[-1]
    if b.ndim < 2 or b.shape[-2 if left else -1] != n:
        raise RuntimeError(
            f"linalg.solve: A of shape {a.shape} and B of shape {B.shape} are incompatible "
            f"(B needs {n} {'rows' if left else 'columns'})"
        )
    try:
        np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    except ValueError:
        raise RuntimeError(
            f"linalg.solve: batch dimensions of A {a.shape} and B {B.shape} do not broadcast"
        ) from None
    x = _solve(a, b) if left else _mT(_solve(_mT(a), _mT(b)))
    if vector:
        x = x.squeeze(-1) if left else x.squeeze(-2)
    return x


# --------------------------------------------------------------------------- cholesky


class LinalgCholesky(Function):
    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        try:
            out = np.linalg.cholesky(a)
        except np.linalg.LinAlgError:
            raise LinAlgError(
                f"linalg.cholesky: the input (shape {a.shape}) is not positive-definite"
            ) from None
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (L,) = ctx.saved_tensors
        n = L.shape[-1]
        phi = np.tril(np.ones((n, n), dtype=L.dtype)) - 0.5 * np.eye(n, dtype=L.dtype)
        P = (_mT(L) @ grad) * _const(phi)
        Linv = linalg_inv(L)
        S = _mT(Linv) @ P @ Linv
        return (S + _mT(S)) * 0.5


@op(method=False, export=False)
def linalg_cholesky(A: Tensor, *, upper: bool = False) -> Tensor:
    """The Cholesky factor ``L`` of an SPD ``A = L L^T``: ``minigrad.linalg.cholesky``.

    Args:
        A: ``(*, n, n)``, symmetric positive-definite (only its lower triangle is read).
        upper: return ``U = L^T`` (``A = U^T U``) instead.

    Example:
        >>> import minigrad
        >>> minigrad.linalg.cholesky(minigrad.tensor([[4.0, 2.0], [2.0, 2.0]]))
        tensor([[2., 0.],
                [1., 1.]])
    """
    L = LinalgCholesky.apply(_square("linalg.cholesky", A))
    return _mT(L) if upper else L


# --------------------------------------------------------------------------- qr


class QRResult(NamedTuple):
    """``(Q, R)``, as returned by :func:`linalg_qr`.

    Example:
        >>> import minigrad
        >>> minigrad.linalg.qr(minigrad.eye(2)).R.shape
        minigrad.Size([2, 2])
    """

    Q: Tensor
    R: Tensor


class LinalgQR(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, mode: str) -> Any:
        q, r = np.linalg.qr(a, mode="complete" if mode == "complete" else "reduced")
        ctx.save_for_backward(q, r)
        return q, r

    @staticmethod
    def backward(ctx: Context, gq: Tensor, gr: Tensor) -> Any:
        q, r = ctx.saved_tensors
        m, n = q.shape[-2], r.shape[-1]
        mode = ctx.attrs["mode"]
        if mode == "complete" and m > n:
            raise RuntimeError(
                "linalg.qr: the QR decomposition is not differentiable when mode='complete' and "
                f"nrows > ncols (A has {m} rows, {n} columns)"
            )
        if m < n:
            raise NotImplementedError(
                f"linalg.qr: the gradient for wide matrices (m={m} < n={n}) is not implemented"
            )
        k = r.shape[-2]
        M = r @ _mT(gr) - _mT(gq) @ q
        strict = _const(np.tril(np.ones((k, k), dtype=q.dtype), -1))
        low = M * strict
        sym = low + _mT(low) + M * _const(np.eye(k, dtype=q.dtype))
        return (gq + q @ sym) @ _mT(linalg_inv(r))


@op(method=False, export=False)
def linalg_qr(A: Tensor, mode: str = "reduced") -> QRResult:
    """The QR decomposition ``A = Q R`` (Householder, as LAPACK): ``minigrad.linalg.qr``.

    Args:
        A: ``(*, m, n)``.
        mode: ``'reduced'`` (Q ``(*, m, k)``, R ``(*, k, n)``, ``k = min(m, n)``),
            ``'complete'`` (Q ``(*, m, m)``) or ``'r'`` (R only; Q is empty).

    The gradient is defined for ``m >= n`` (``mode='complete'`` only for square A).

    Example:
        >>> import minigrad
        >>> Q, R = minigrad.linalg.qr(minigrad.tensor([[3.0, 0.0], [4.0, 1.0]]))
        >>> bool(((Q @ R) - minigrad.tensor([[3.0, 0.0], [4.0, 1.0]])).abs().max() < 1e-6)
        True
    """
    if mode not in ("reduced", "complete", "r"):
        raise ValueError(f"linalg.qr: mode must be 'reduced', 'complete' or 'r', got {mode!r}")
    q, r = LinalgQR.apply(_matrix("linalg.qr", A), mode=mode)
    if mode == "r":
        return QRResult(Tensor._make(np.empty((0,), dtype=r.dtype)), r)
    return QRResult(q, r)


# --------------------------------------------------------------------------- eigh


class EighResult(NamedTuple):
    """``(eigenvalues, eigenvectors)``, as returned by :func:`linalg_eigh`.

    Example:
        >>> import minigrad
        >>> minigrad.linalg.eigh(minigrad.eye(2)).eigenvectors.shape
        minigrad.Size([2, 2])
    """

    eigenvalues: Tensor
    eigenvectors: Tensor


def _inv_gaps(values: Tensor, squared: bool = False) -> Tensor:
    """``1 / (v_j - v_i)`` off the diagonal, 0 on it (a Tensor op of ``values``)."""
    v = values * values if squared else values
    gaps = v.unsqueeze(-2) - v.unsqueeze(-1)
    n = values.shape[-1]
    eye = np.eye(n, dtype=values.dtype)
    return (1.0 - _const(eye)) / (gaps + _const(eye))


class LinalgEigh(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, UPLO: str) -> Any:
        w, v = np.linalg.eigh(a, UPLO=UPLO)  # type: ignore[call-overload]
        ctx.save_for_backward(w, v)
        return w, v

    @staticmethod
    def backward(ctx: Context, gw: Tensor, gv: Tensor) -> Any:
        w, v = ctx.saved_tensors
        vtgv = _mT(v) @ gv
        inner = (vtgv - _mT(vtgv)) * 0.5 * _inv_gaps(w) + _diag_embed(gw)
        return v @ inner @ _mT(v)


@op(method=False, export=False)
def linalg_eigh(A: Tensor, UPLO: str = "L") -> EighResult:
    """Eigenvalues (ascending) and eigenvectors of symmetric matrices: ``minigrad.linalg.eigh``.

    Args:
        A: ``(*, n, n)``, symmetric; only the triangle ``UPLO`` (``'L'`` or ``'U'``) is read.

    Returns:
        ``eigenvalues`` ``(*, n)`` and ``eigenvectors`` ``(*, n, n)`` (in the columns).

    The gradient is PyTorch's: defined for distinct eigenvalues, symmetric.

    Example:
        >>> import minigrad
        >>> minigrad.linalg.eigh(minigrad.tensor([[2.0, 0.0], [0.0, 1.0]])).eigenvalues
        tensor([1., 2.])
    """
    if UPLO not in ("L", "U"):
        raise ValueError(f"linalg.eigh: UPLO must be 'L' or 'U', got {UPLO!r}")
    w, v = LinalgEigh.apply(_square("linalg.eigh", A), UPLO=UPLO)
    return EighResult(w, v)


# --------------------------------------------------------------------------- svd


class SVDResult(NamedTuple):
    """``(U, S, Vh)``, as returned by :func:`linalg_svd`.

    Example:
        >>> import minigrad
        >>> minigrad.linalg.svd(minigrad.eye(3), full_matrices=False).S
        tensor([1., 1., 1.])
    """

    U: Tensor
    S: Tensor
    Vh: Tensor


class LinalgSVD(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, full_matrices: bool) -> Any:
        u, s, vh = np.linalg.svd(a, full_matrices=full_matrices)
        ctx.save_for_backward(u, s, vh)
        return u, s, vh

    @staticmethod
    def backward(ctx: Context, gu: Tensor, gs: Tensor, gvh: Tensor) -> Any:
        u, s, vh = ctx.saved_tensors
        m, n, k = u.shape[-2], vh.shape[-1], s.shape[-1]
        if u.shape[-1] != k:  # full_matrices: only the first k vectors are determined
            u, gu = u[..., :k], gu[..., :k]
        if vh.shape[-2] != k:
            vh, gvh = vh[..., :k, :], gvh[..., :k, :]
        v, gv = _mT(vh), _mT(gvh)
        j, kk = _mT(u) @ gu, vh @ gv
        gaps = _inv_gaps(s, squared=True)
        inner = ((j - _mT(j)) * s.unsqueeze(-2) + s.unsqueeze(-1) * (kk - _mT(kk))) * gaps
        ga = u @ (inner + _diag_embed(gs)) @ vh
        if m > k:
            ga = ga + ((gu - u @ j) / s.unsqueeze(-2)) @ vh
        if n > k:
            ga = ga + u @ _mT((gv - v @ kk) / s.unsqueeze(-2))
        return ga


@op(method=False, export=False)
def linalg_svd(A: Tensor, full_matrices: bool = True) -> SVDResult:
    """The singular value decomposition ``A = U diag(S) Vh``: ``minigrad.linalg.svd``.

    Args:
        A: ``(*, m, n)``.
        full_matrices: square ``U`` ``(*, m, m)`` and ``Vh`` ``(*, n, n)`` (the default,
            as PyTorch); ``False`` gives ``(*, m, k)`` and ``(*, k, n)``, ``k = min(m, n)``.

    Returns:
        ``U``, ``S`` ``(*, k)`` (descending) and ``Vh``.

    The gradient is PyTorch's: defined for distinct, non-zero singular values and
    for losses that do not depend on the signs of the singular vectors; with
    ``full_matrices=True`` only the first ``k`` columns of ``U`` (rows of ``Vh``)
    carry gradient.

    Example:
        >>> import minigrad
        >>> minigrad.linalg.svd(minigrad.tensor([[3.0, 0.0], [0.0, -4.0]])).S
        tensor([4., 3.])
    """
    u, s, vh = LinalgSVD.apply(_matrix("linalg.svd", A), full_matrices=bool(full_matrices))
    return SVDResult(u, s, vh)


@op(method=False, export=False)
def linalg_svdvals(A: Tensor) -> Tensor:
    """The singular values of ``A`` ``(*, m, n)``, descending: ``minigrad.linalg.svdvals``.

    Example:
        >>> import minigrad
        >>> minigrad.linalg.svdvals(minigrad.tensor([[0.0, 2.0], [1.0, 0.0]]))
        tensor([2., 1.])
    """
    return linalg_svd(A, full_matrices=False).S


# --------------------------------------------------------------------------- matrix_norm


@op(method=False, export=False)
def linalg_matrix_norm(
    A: Tensor, ord: Any = "fro", dim: Any = (-2, -1), keepdim: bool = False, *, dtype: Any = None
) -> Tensor:
    """A matrix norm over the two dimensions ``dim``: ``minigrad.linalg.matrix_norm``.

    Args:
        A: ``(*, m, n)`` (any two dims given by ``dim``).
        ord: ``'fro'`` (Frobenius), ``'nuc'`` (sum of singular values), ``2`` / ``-2``
            (largest / smallest singular value), ``1`` / ``-1`` (max / min column sum
            of ``|A|``), ``inf`` / ``-inf`` (max / min row sum).
        keepdim: keep the two reduced dims with size 1.
        dtype: cast ``A`` to this dtype first.

    Example:
        >>> import minigrad
        >>> minigrad.linalg.matrix_norm(minigrad.tensor([[3.0, 0.0], [0.0, -4.0]]))
        tensor(5.)
        >>> minigrad.linalg.matrix_norm(minigrad.tensor([[3.0, 0.0], [0.0, -4.0]]), ord=2)
        tensor(4.)
    """
    x = _matrix("linalg.matrix_norm", A)
    if dtype is not None:
        x = x.to(dtype)
    if not isinstance(dim, (tuple, list)) or len(dim) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a pair of dims, got {dim!r}")
    d0, d1 = (normalize_dims(d, x.ndim, "linalg.matrix_norm")[0] for d in dim)
    if d0 == d1:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different, got {dim!r}")
    if ord == "fro":
        out = (x * x).sum(dim=(d0, d1), keepdim=True).sqrt()
    elif ord in ("nuc", 2, -2):
        moved = x.permute(*[i for i in range(x.ndim) if i not in (d0, d1)], d0, d1)
        s = linalg_svd(moved, full_matrices=False).S
        red = s.sum(-1) if ord == "nuc" else (s.amax(-1) if ord == 2 else s.amin(-1))
        out = red
        if keepdim:
            out = out.unsqueeze(min(d0, d1)).unsqueeze(max(d0, d1))
        return out
    elif ord in (1, -1, float("inf"), float("-inf")):
        summed, other = (d0, d1) if ord in (1, -1) else (d1, d0)
        sums = x.abs().sum(dim=summed, keepdim=True)
        out = sums.amax(dim=other, keepdim=True) if ord > 0 else sums.amin(dim=other, keepdim=True)
    else:
        raise RuntimeError(
            f"linalg.matrix_norm: ord must be 'fro', 'nuc', 1, -1, 2, -2, inf or -inf, got {ord!r}"
        )
    return out if keepdim else out.squeeze(max(d0, d1)).squeeze(min(d0, d1))


# --------------------------------------------------------------------------- built on the above


@op(method=False, export=False)
def linalg_eigvalsh(A: Tensor, UPLO: str = "L") -> Tensor:
    """The eigenvalues (ascending) of symmetric matrices: ``minigrad.linalg.eigvalsh``.

    Example:
        >>> import minigrad
        >>> minigrad.linalg.eigvalsh(minigrad.tensor([[2.0, 1.0], [1.0, 2.0]]))
        tensor([1., 3.])
    """
    return linalg_eigh(A, UPLO).eigenvalues


@op()
def logdet(input: Tensor) -> Tensor:
    """``log(det(input))``: nan where the determinant is negative, -inf where it is 0.

    Example:
        >>> import minigrad
        >>> minigrad.logdet(minigrad.eye(2) * 3)
        tensor(2.1972)
    """
    sign, logabs = linalg_slogdet(input)
    with np.errstate(invalid="ignore", divide="ignore"):
        return logabs + Tensor._make(np.log(sign._data))


@op(method=False, export=False)
def linalg_matrix_power(A: Tensor, n: int) -> Tensor:
    """``A`` multiplied by itself ``n`` times (``n = 0``: the identity; ``n < 0``: of the inverse).

    Example:
        >>> import minigrad
        >>> minigrad.linalg.matrix_power(minigrad.tensor([[1.0, 1.0], [0.0, 1.0]]), 3)
        tensor([[1., 3.],
                [0., 1.]])
    """
    x = _square("linalg.matrix_power", A)
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
        raise TypeError(f"linalg.matrix_power: n must be an int, got {n!r}")
    if n == 0:
        eye = np.broadcast_to(np.eye(x.shape[-1], dtype=x.dtype), x.shape)
        return x * 0.0 + Tensor._make(eye.copy())  # connected, with a zero gradient (as torch)
    base = linalg_inv(x) if n < 0 else x
    k, out = abs(int(n)), None
    while k:  # square-and-multiply: log2(n) products
        if k & 1:
            out = base if out is None else out @ base
        k >>= 1
        if k:
            base = base @ base
    assert out is not None
    return out


@op(method=False, export=False)
def linalg_multi_dot(tensors: Any) -> Tensor:
    """The product of a chain of matrices; the first and last may be vectors.

    Example:
        >>> import minigrad
        >>> a, b, c = minigrad.ones(3), minigrad.ones(3, 4), minigrad.ones(4)
        >>> minigrad.linalg.multi_dot([a, b, c])
        tensor(12.)
    """
    ts = [float_operand(t) for t in tensors]
    if len(ts) < 2:
        raise RuntimeError(f"linalg.multi_dot: expected at least 2 tensors, got {len(ts)}")
    for i, t in enumerate(ts):
        allowed = (1, 2) if i in (0, len(ts) - 1) else (2,)
        if t.ndim not in allowed:
            raise RuntimeError(
                f"linalg.multi_dot: tensor {i} must be {' or '.join(f'{d}-D' for d in allowed)}, "
                f"got shape {t.shape}"
            )
    out = ts[0]
    for t in ts[1:]:
        out = out @ t
    return out


@op(method=False, export=False)
def linalg_vecdot(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    """The dot product of vectors along ``dim`` (batch dims broadcast): ``minigrad.linalg.vecdot``.

    Example:
        >>> import minigrad
        >>> minigrad.linalg.vecdot(minigrad.ones(2, 3), minigrad.tensor([1.0, 2.0, 3.0]))
        tensor([6., 6.])
    """
    a, b = float_operand(x), float_operand(y)
    if a.shape[dim] != b.shape[dim]:
        raise RuntimeError(
            f"linalg.vecdot: x of shape {a.shape} and y of shape {b.shape} differ in dim {dim}"
        )
    return (a * b).sum(dim)


def _tolerance(s_max: np.ndarray, shape: tuple[int, ...], atol: Any, rtol: Any, dtype: Any) -> Any:
    """PyTorch's cut-off ``max(atol, rtol * s_max)`` (``rtol`` defaults to ``eps * max(m, n)``
    when neither is given, and to 0 when only ``atol`` is)."""
    if rtol is None:
        rtol = np.finfo(dtype).eps * max(shape[-2:]) if atol is None or atol <= 0 else 0.0
    return np.maximum(0.0 if atol is None else atol, rtol * s_max)


class LinalgPinv(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, atol: Any, rtol: Any, hermitian: bool) -> Any:
        if hermitian:
            w, v = np.linalg.eigh(a)
            tol = _tolerance(np.abs(w).max(-1, keepdims=True), a.shape, atol, rtol, a.dtype)
            with np.errstate(divide="ignore"):
                inv_w = np.where(np.abs(w) > tol, 1.0 / w, 0.0)
            out = (v * inv_w[..., None, :]) @ np.swapaxes(v, -1, -2)
        else:
            u, s, vh = np.linalg.svd(a, full_matrices=False)
            tol = _tolerance(s[..., :1], a.shape, atol, rtol, a.dtype)
            with np.errstate(divide="ignore"):
                inv_s = np.where(s > tol, 1.0 / s, 0.0)
            out = (np.swapaxes(vh, -1, -2) * inv_s[..., None, :]) @ np.swapaxes(u, -1, -2)
        out = out.astype(a.dtype, copy=False)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        a, p = ctx.saved_tensors  # p = pinv(a); the formula holds where the rank is constant
        m, n = a.shape[-2], a.shape[-1]
        pt, gt = _mT(p), _mT(grad)
        if m <= n:
            k = gt @ p
            kpt = k @ pt
            return -_mT(p @ k) + kpt - (a @ p) @ kpt + (pt @ p) @ (gt - k @ a)
        k = p @ gt
        ptk = pt @ k
        return -_mT(k @ p) + (gt - a @ k) @ p @ pt + ptk - ptk @ p @ a


@op(method=False, export=False)
def linalg_pinv(
    A: Tensor, *, atol: Any = None, rtol: Any = None, hermitian: bool = False
) -> Tensor:
    """The Moore-Penrose pseudoinverse of ``A`` ``(*, m, n)``: ``minigrad.linalg.pinv``.

    Singular values at most ``max(atol, rtol * sigma_max)`` count as zero (``rtol``
    defaults to ``eps * max(m, n)``); ``hermitian=True`` uses ``eigh`` (only the lower
    triangle is read). The gradient is PyTorch's, valid where the rank does not change.

    Example:
        >>> import minigrad
        >>> minigrad.linalg.pinv(minigrad.tensor([[2.0, 0.0], [0.0, 0.0]]))
        tensor([[0.5000, 0.0000],
                [0.0000, 0.0000]])
    """
    return LinalgPinv.apply(  # type: ignore[no-any-return]
        _matrix("linalg.pinv", A), atol=atol, rtol=rtol, hermitian=bool(hermitian)
    )


@op(method=False, export=False, differentiable=False)
def linalg_matrix_rank(
    A: Tensor, *, atol: Any = None, rtol: Any = None, hermitian: bool = False
) -> Tensor:
    """The numerical rank: singular values above ``max(atol, rtol * sigma_max)`` (int64).

    Example:
        >>> import minigrad
        >>> minigrad.linalg.matrix_rank(minigrad.tensor([[1.0, 2.0], [2.0, 4.0]]))
        tensor(1)
    """
    a = _matrix("linalg.matrix_rank", A)._data
    s = np.abs(np.linalg.eigvalsh(a)) if hermitian else np.linalg.svd(a, compute_uv=False)
    s_max = s.max(-1, keepdims=True) if s.shape[-1] else np.zeros((*s.shape[:-1], 1))
    tol = _tolerance(s_max, a.shape, atol, rtol, a.dtype)
    return Tensor._make(np.asarray((s > tol).sum(-1), dtype=np.int64))
