"""What ``embedding`` needs beyond indexing: a gradient scaled per looked-up row.

``F.embedding`` (in :mod:`minigrad.nn.functional`) is indexing of the weight;
``padding_idx`` and ``scale_grad_by_freq`` change only its gradient, which
:class:`GradScale` does: the identity forward, the gradient times a constant
array (zero at the padding index, ``1 / count`` per row with frequencies).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.autograd import ArrayFunction, Context
from minigrad.tensor import Tensor


class GradScale(ArrayFunction):
    """Identity forward; backward multiplies the gradient by the constant array ``scale``.

    Example:
        >>> import numpy as np
        >>> import minigrad
        >>> from minigrad.ops.sparse import GradScale
        >>> x = minigrad.ones(3, requires_grad=True)
        >>> y = GradScale.apply(x, np.array([1.0, 0.0, 0.5], dtype=np.float32))
        >>> y.sum().backward()
        >>> x.grad
        tensor([1.0000, 0.0000, 0.5000])
    """

    @staticmethod
    def forward(ctx: Context, x: Any, scale: Any) -> Any:
        ctx.save_for_backward(scale)
        return np.array(x, copy=True)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (scale,) = ctx.saved_tensors
        return grad * scale.to(grad.dtype), None  # scale broadcasts against the gradient
