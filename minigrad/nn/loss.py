"""Loss layers: CrossEntropyLoss, NLLLoss, MSELoss, L1Loss, BCEWithLogitsLoss, BCELoss,
SmoothL1Loss, HuberLoss, KLDivLoss, PoissonNLLLoss, GaussianNLLLoss, MarginRankingLoss,
HingeEmbeddingLoss, CosineEmbeddingLoss, TripletMarginLoss, MultiMarginLoss,
MultiLabelSoftMarginLoss, SoftMarginLoss.

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
    minigrad.Size([2, 4])
"""

from __future__ import annotations

from typing import Any

from minigrad.nn import functional as F
from minigrad.nn.module import Module
from minigrad.ops.loss import _legacy_reduction
from minigrad.tensor import Tensor

_REDUCTIONS = ("mean", "sum", "none")


class _Loss(Module):
    """Holds ``reduction`` (PyTorch's deprecated ``size_average``/``reduce`` turn into it)."""

    _reductions: tuple[str, ...] = _REDUCTIONS

    def __init__(
        self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean"
    ) -> None:
        super().__init__()
        if size_average is not None or reduce is not None:
            reduction = _legacy_reduction(size_average, reduce, reduction, type(self).__name__)
        if reduction not in self._reductions:
            raise ValueError(f"{reduction} is not a valid value for reduction ({self._reductions})")
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
        super().__init__(reduction=reduction)
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
        super().__init__(reduction=reduction)
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
        super().__init__(reduction=reduction)
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
        super().__init__(reduction=reduction)
        self.register_buffer("weight", weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy(input, target, self.weight, reduction=self.reduction)


class SmoothL1Loss(_Loss):
    """Smooth L1: quadratic below ``beta``, linear above.

    Example:
        >>> import minigrad
        >>> minigrad.nn.SmoothL1Loss(beta=2.0)(minigrad.tensor([1.0, 4.0]), minigrad.zeros(2))
        tensor(1.6250)
    """

    def __init__(
        self,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
        beta: float = 1.0,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    """Huber: ``0.5 * d**2`` below ``delta``, ``delta * (|d| - 0.5 * delta)`` above.

    Example:
        >>> import minigrad
        >>> minigrad.nn.HuberLoss(delta=2.0)(minigrad.tensor([1.0, 4.0]), minigrad.zeros(2))
        tensor(3.2500)
    """

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class KLDivLoss(_Loss):
    """Kullback-Leibler divergence of ``target`` from log-probabilities ``input``.

    Example:
        >>> import minigrad
        >>> loss = minigrad.nn.KLDivLoss(reduction="batchmean")
        >>> logq, p = minigrad.tensor([[0.5, 0.5]]).log(), minigrad.tensor([[0.9, 0.1]])
        >>> round(loss(logq, p).item(), 4)
        0.368
    """

    _reductions = (*_REDUCTIONS, "batchmean")

    def __init__(
        self,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
        log_target: bool = False,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class PoissonNLLLoss(_Loss):
    """Poisson negative log-likelihood (``log_input``: the input is ``log(rate)``).

    Example:
        >>> import minigrad
        >>> minigrad.nn.PoissonNLLLoss()(minigrad.tensor([0.0]), minigrad.tensor([1.0]))
        tensor(1.)
    """

    def __init__(
        self,
        log_input: bool = True,
        full: bool = False,
        size_average: Any = None,
        eps: float = 1e-8,
        reduce: Any = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_input, self.full, self.eps = log_input, full, eps

    def forward(self, log_input: Tensor, target: Tensor) -> Tensor:
        return F.poisson_nll_loss(
            log_input, target, log_input=self.log_input, full=self.full, eps=self.eps,
            reduction=self.reduction,
        )  # fmt: skip


class GaussianNLLLoss(_Loss):
    """Gaussian negative log-likelihood of ``target`` under mean ``input`` and variance ``var``.

    Example:
        >>> import minigrad
        >>> loss = minigrad.nn.GaussianNLLLoss()
        >>> loss(minigrad.tensor([1.0]), minigrad.tensor([0.0]), minigrad.tensor([1.0]))
        tensor(0.5000)
    """

    def __init__(self, *, full: bool = False, eps: float = 1e-6, reduction: str = "mean") -> None:
        super().__init__(reduction=reduction)
        self.full, self.eps = full, eps

    def forward(self, input: Tensor, target: Tensor, var: Any) -> Tensor:
        return F.gaussian_nll_loss(
            input, target, var, full=self.full, eps=self.eps, reduction=self.reduction
        )


class _MarginLoss(_Loss):
    def __init__(
        self,
        margin: float = 0.0,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin


class MarginRankingLoss(_MarginLoss):
    """``max(0, -target * (input1 - input2) + margin)``.

    Example:
        >>> import minigrad
        >>> loss = minigrad.nn.MarginRankingLoss(margin=1.0)
        >>> loss(minigrad.tensor([1.0]), minigrad.tensor([0.5]), minigrad.tensor([1.0]))
        tensor(0.5000)
    """

    def forward(self, input1: Tensor, input2: Tensor, target: Tensor) -> Tensor:
        return F.margin_ranking_loss(
            input1, input2, target, margin=self.margin, reduction=self.reduction
        )


class HingeEmbeddingLoss(_MarginLoss):
    """``input`` for ``target == 1``, ``max(0, margin - input)`` for ``target == -1``.

    Example:
        >>> import minigrad
        >>> loss = minigrad.nn.HingeEmbeddingLoss()
        >>> loss(minigrad.tensor([0.25, 0.25]), minigrad.tensor([1.0, -1.0]))
        tensor(0.5000)
    """

    def __init__(
        self,
        margin: float = 1.0,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(margin, size_average, reduce, reduction)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.hinge_embedding_loss(input, target, margin=self.margin, reduction=self.reduction)


class CosineEmbeddingLoss(_MarginLoss):
    """``1 - cos(x1, x2)`` for ``target == 1``, ``max(0, cos(x1, x2) - margin)`` for -1.

    Example:
        >>> import minigrad
        >>> loss = minigrad.nn.CosineEmbeddingLoss()
        >>> x1, x2 = minigrad.tensor([[1.0, 0.0]]), minigrad.tensor([[0.0, 1.0]])
        >>> loss(x1, x2, minigrad.tensor([1.0]))
        tensor(1.)
    """

    def forward(self, input1: Tensor, input2: Tensor, target: Tensor) -> Tensor:
        return F.cosine_embedding_loss(
            input1, input2, target, margin=self.margin, reduction=self.reduction
        )


class TripletMarginLoss(_Loss):
    """``max(d(a, p) - d(a, n) + margin, 0)`` with the ``p``-norm distance.

    Example:
        >>> import minigrad
        >>> loss = minigrad.nn.TripletMarginLoss(margin=3.0, eps=0.0)
        >>> a, pos = minigrad.tensor([[0.0, 0.0]]), minigrad.tensor([[0.0, 1.0]])
        >>> loss(a, pos, minigrad.tensor([[3.0, 0.0]]))
        tensor(1.)
    """

    def __init__(
        self,
        margin: float = 1.0,
        p: float = 2.0,
        eps: float = 1e-6,
        swap: bool = False,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        if margin <= 0:
            raise ValueError(
                f"TripletMarginLoss: expected margin to be greater than 0, got {margin}"
            )
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap

    def forward(self, anchor: Tensor, positive: Tensor, negative: Tensor) -> Tensor:
        return F.triplet_margin_loss(
            anchor, positive, negative, margin=self.margin, p=self.p, eps=self.eps,
            swap=self.swap, reduction=self.reduction,
        )  # fmt: skip


class MultiMarginLoss(_Loss):
    """Multi-class hinge loss over class indices (``p`` 1 or 2, optional class ``weight``).

    Example:
        >>> import minigrad
        >>> loss = minigrad.nn.MultiMarginLoss()
        >>> round(loss(minigrad.tensor([[0.1, 0.2, 0.4, 0.8]]), minigrad.tensor([3])).item(), 4)
        0.325
    """

    def __init__(
        self,
        p: int = 1,
        margin: float = 1.0,
        weight: Tensor | None = None,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        if p not in (1, 2):
            raise ValueError("only p == 1 and p == 2 supported")
        if weight is not None and weight.ndim != 1:
            raise ValueError(
                f"MultiMarginLoss: expected weight to be None or 1D tensor, got {weight.shape}"
            )
        self.p, self.margin = p, margin
        self.register_buffer("weight", weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.multi_margin_loss(
            input, target, p=self.p, margin=self.margin, weight=self.weight,
            reduction=self.reduction,
        )  # fmt: skip


class MultiLabelSoftMarginLoss(_Loss):
    """Multi-label one-versus-all logistic loss, averaged over classes.

    Example:
        >>> import minigrad
        >>> loss = minigrad.nn.MultiLabelSoftMarginLoss()
        >>> round(loss(minigrad.tensor([[0.0, 2.0]]), minigrad.tensor([[1.0, 1.0]])).item(), 4)
        0.41
    """

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.multilabel_soft_margin_loss(
            input, target, weight=self.weight, reduction=self.reduction
        )


class SoftMarginLoss(_Loss):
    """Two-class logistic loss ``log(1 + exp(-target * input))``.

    Example:
        >>> import minigrad
        >>> loss = minigrad.nn.SoftMarginLoss()
        >>> round(loss(minigrad.tensor([0.0]), minigrad.tensor([1.0])).item(), 4)
        0.6931
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.soft_margin_loss(input, target, reduction=self.reduction)
