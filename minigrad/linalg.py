"""``minigrad.linalg``: PyTorch's ``torch.linalg`` names for the linear-algebra ops.

The functions are the ops of :mod:`minigrad.ops.decomp` and (the norms)
:mod:`minigrad.ops.reduce`, declared there as ``linalg_<name>``, so
``minigrad.linalg.inv(A)`` is ``minigrad.ops.linalg_inv(A)`` and
``minigrad.linalg.vector_norm(x)`` is ``minigrad.ops.linalg_vector_norm(x)``.

Example:
    >>> import minigrad
    >>> A = minigrad.tensor([[4.0, 1.0], [1.0, 3.0]])
    >>> x = minigrad.linalg.solve(A, minigrad.tensor([1.0, 2.0]))
    >>> bool(((A @ x) - minigrad.tensor([1.0, 2.0])).abs().max() < 1e-6)
    True
"""

from __future__ import annotations

from minigrad.ops.decomp import (
    EighResult,
    LinAlgError,
    QRResult,
    SlogdetResult,
    SVDResult,
)
from minigrad.ops.decomp import linalg_cholesky as cholesky
from minigrad.ops.decomp import linalg_det as det
from minigrad.ops.decomp import linalg_eigh as eigh
from minigrad.ops.decomp import linalg_eigvalsh as eigvalsh
from minigrad.ops.decomp import linalg_inv as inv
from minigrad.ops.decomp import linalg_matrix_norm as matrix_norm
from minigrad.ops.decomp import linalg_matrix_power as matrix_power
from minigrad.ops.decomp import linalg_matrix_rank as matrix_rank
from minigrad.ops.decomp import linalg_multi_dot as multi_dot
from minigrad.ops.decomp import linalg_pinv as pinv
from minigrad.ops.decomp import linalg_qr as qr
from minigrad.ops.decomp import linalg_slogdet as slogdet
from minigrad.ops.decomp import linalg_solve as solve
from minigrad.ops.decomp import linalg_svd as svd
from minigrad.ops.decomp import linalg_svdvals as svdvals
from minigrad.ops.decomp import linalg_vecdot as vecdot
from minigrad.ops.linalg import cross as _cross
from minigrad.ops.linalg import matmul
from minigrad.ops.reduce import linalg_norm as norm
from minigrad.ops.reduce import linalg_vector_norm as vector_norm
from minigrad.tensor import Tensor


def cross(input: Tensor, other: Tensor, *, dim: int = -1) -> Tensor:
    """Cross product of 3-vectors along ``dim`` (default the last, as ``torch.linalg.cross``).

    Example:
        >>> import minigrad
        >>> a = minigrad.tensor([[1.0, 0.0, 0.0]])
        >>> minigrad.linalg.cross(a, minigrad.tensor([[0.0, 0.0, 1.0]]))
        tensor([[ 0., -1.,  0.]])
    """
    return _cross(input, other, dim=dim)


__all__ = [
    "EighResult",
    "LinAlgError",
    "QRResult",
    "SVDResult",
    "SlogdetResult",
    "cholesky",
    "cross",
    "det",
    "eigh",
    "eigvalsh",
    "inv",
    "matmul",
    "matrix_norm",
    "matrix_power",
    "matrix_rank",
    "multi_dot",
    "norm",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "svd",
    "svdvals",
    "vecdot",
    "vector_norm",
]
