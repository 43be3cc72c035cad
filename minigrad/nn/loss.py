"""Loss layers: CrossEntropyLoss, NLLLoss, MSELoss, L1Loss, BCEWithLogitsLoss, BCELoss.

Each holds its options and calls the loss function of the same name in
:mod:`minigrad.nn.functional`. ``reduction`` is ``'mean'`` (default), ``'sum'``
or ``'none'``. Class weights (``weight``, ``pos_weight``) are buffers, as in
PyTorch, so they belong to the state dict.

Example:
    >>> import minigrad
    >>> from minigrad import nn
    >>> loss_fn = nn.CrossEntropyLoss()
    >>> logits = minigrad.zeros(2, 4, requires_grad=True)
    >>> loss = loss_fn(logits, minigrad.tensor([0, 3]))
    >>> round(loss.item(), 4)  # log(4)
    1.3863
    >>> loss.backward()
    >>> logits.grad.shape
    (2, 4)
"""

from __future__ import annotations

from minigrad.nn import functional as F
from minigrad.nn.module import Module
from minigrad.tensor import Tensor

_REDUCTIONS = ("mean", "sum", "none")


class _Loss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        if reduction not in _REDUCTIONS:
            raise ValueError(f"{reduction} is not a valid value for reduction ({_REDUCTIONS})")
        self.reduction = reduction


class CrossEntropyLoss(_Loss):
    """Cross-entropy between logits ``(N, C, *)`` and class indices ``(N, *)`` (or
    class probabilities of the input's shape), with a stable fused log-softmax.

    Args:
        weight: a ``(C,)`` tensor of class weights, or ``None``.
        ignore_index: targets equal to it contribute neither loss nor gradient.
        reduction: ``'mean'`` (weighted mean over non-ignored targets), ``'sum'``, ``'none'``.
        label_smoothing: in ``[0, 1]``; mixes the target with the uniform distribution.

    Example:
        >>> import minigrad
        >>> loss = minigrad.nn.CrossEntropyLoss(reduction="none")
        >>> loss(minigrad.tensor([[0.0, 0.0]]), minigrad.tensor([1]))
        tensor([0.6931])
    """

    def __init__(
        self,
        weight: Tensor | None = None,
        ignore_index: int = -100,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(reduction)
        self.register_buffer("weight", weight)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.cross_entropy(
            input, target, weight=self.weight, ignore_index=self.ignore_index,
            reduction=self.reduction, label_smoothing=self.label_smoothing,
        )  # fmt: skip


class NLLLoss(_Loss):
    """Negative log-likelihood of log-probabilities ``(N, C, *)`` at class indices ``(N, *)``.

    Example:
        >>> import minigrad
        >>> logp = minigrad.tensor([[-0.5, -1.0]])
        >>> minigrad.nn.NLLLoss()(logp, minigrad.tensor([1]))
        tensor(1.)
    """

    def __init__(
        self, weight: Tensor | None = None, ignore_index: int = -100, reduction: str = "mean"
    ) -> None:
        super().__init__(reduction)
        self.register_buffer("weight", weight)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.nll_loss(
            input, target, weight=self.weight, ignore_index=self.ignore_index,
            reduction=self.reduction,
        )  # fmt: skip


class MSELoss(_Loss):
    """Mean squared error ``(input - target) ** 2``.

    Example:
        >>> import minigrad
        >>> minigrad.nn.MSELoss()(minigrad.tensor([1.0, 2.0]), minigrad.tensor([1.0, 4.0]))
        tensor(2.)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Mean absolute error ``|input - target|``.

    Example:
        >>> import minigrad
        >>> minigrad.nn.L1Loss(reduction="sum")(minigrad.tensor([1.0, 2.0]), minigrad.zeros(2))
        tensor(3.)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.l1_loss(input, target, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy of ``sigmoid(input)`` against targets in ``[0, 1]``, computed
    stably from the logits.

    Args:
        weight: a rescaling weight broadcast over the batch, or ``None``.
        reduction: ``'mean'``, ``'sum'`` or ``'none'``.
        pos_weight: a weight of positive examples, broadcast over classes, or ``None``.

    Example:
        >>> import minigrad
        >>> loss = minigrad.nn.BCEWithLogitsLoss()
        >>> round(loss(minigrad.zeros(3), minigrad.ones(3)).item(), 4)
        0.6931
    """

    def __init__(
        self,
        weight: Tensor | None = None,
        reduction: str = "mean",
        pos_weight: Tensor | None = None,
    ) -> None:
        super().__init__(reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy_with_logits(
            input, target, self.weight, reduction=self.reduction, pos_weight=self.pos_weight
        )


class BCELoss(_Loss):
    """Binary cross-entropy of probabilities ``input`` in ``(0, 1)`` against ``target``.

    Example:
        >>> import minigrad
        >>> round(minigrad.nn.BCELoss()(minigrad.tensor([0.5]), minigrad.tensor([1.0])).item(), 4)
        0.6931
    """

    def __init__(self, weight: Tensor | None = None, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.register_buffer("weight", weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy(input, target, self.weight, reduction=self.reduction)
