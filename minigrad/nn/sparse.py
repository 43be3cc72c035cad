"""``Embedding``: a lookup table of learned vectors, with PyTorch's arguments and init.

Example:
    >>> import minigrad
    >>> from minigrad import nn
    >>> emb = nn.Embedding(10, 3, padding_idx=0)
    >>> emb(minigrad.tensor([[0, 4, 9]])).shape
    minigrad.Size([1, 3, 3])
    >>> emb.weight[0]
    tensor([0., 0., 0.], grad_fn=<SelectBackward0>)
"""

from __future__ import annotations

from typing import Any

from minigrad.autograd import no_grad
from minigrad.creation import empty
from minigrad.nn import functional as F
from minigrad.nn import init
from minigrad.nn.module import Module, Parameter
from minigrad.tensor import DTypeLike, Tensor

__all__ = ["Embedding"]


class Embedding(Module):
    """A table of ``num_embeddings`` vectors of size ``embedding_dim``, indexed by integers.

    Args:
        num_embeddings: size of the dictionary.
        embedding_dim: size of each vector.
        padding_idx: this row starts as zeros and gets no gradient (negative counts
            from the end).
        max_norm: rows looked up with a larger ``norm_type``-norm are rescaled in place.
        norm_type: the p of that norm (default 2).
        scale_grad_by_freq: divide gradients by each index's frequency in the batch.
        sparse: only ``False`` (minigrad has no sparse gradients).
        _weight: an initial weight of shape ``(num_embeddings, embedding_dim)``.
        _freeze: with ``_weight``, do not train it.
        dtype: the weight's dtype.

    Initialisation is PyTorch's: ``N(0, 1)``, with the padding row zeroed.
    Shapes: input ``(*)`` integers, output ``(*, embedding_dim)``.
    The parameter is ``weight`` (state-dict key ``weight``).

    Example:
        >>> import minigrad
        >>> emb = minigrad.nn.Embedding(5, 2)
        >>> emb
        Embedding(5, 2)
        >>> emb(minigrad.tensor([1, 1, 4])).shape
        minigrad.Size([3, 2])
    """

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
        _weight: Tensor | None = None,
        _freeze: bool = False,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__()
        if sparse:
            raise NotImplementedError("Embedding: sparse=True is not supported (no sparse tensors)")
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise ValueError(
                    f"Embedding: padding_idx={padding_idx} must be within num_embeddings="
                    f"{num_embeddings}"
                )
            padding_idx = padding_idx % num_embeddings
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.padding_idx = padding_idx
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        self.sparse = sparse
        if _weight is None:
            self.weight = Parameter(empty(num_embeddings, embedding_dim, dtype=dtype))
            self.reset_parameters()
        else:
            if tuple(_weight.shape) != (num_embeddings, embedding_dim):
                raise ValueError(
                    f"Embedding: _weight has shape {_weight.shape} but expected "
                    f"({num_embeddings}, {embedding_dim})"
                )
            self.weight = Parameter(_weight, requires_grad=not _freeze)

    def reset_parameters(self) -> None:
        """Draw the weight from ``N(0, 1)`` and zero the padding row."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with no_grad():
                self.weight[self.padding_idx] = 0.0

    def forward(self, input: Tensor) -> Tensor:
        return F.embedding(
            input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
            self.scale_grad_by_freq, self.sparse,
        )  # fmt: skip

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq:
            s += ", scale_grad_by_freq=True"
        return s

    @classmethod
    def from_pretrained(
        cls,
        embeddings: Any,
        freeze: bool = True,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
    ) -> Embedding:
        """An Embedding whose weight is ``embeddings`` (2-D, shared if a Tensor); frozen by default.

        Example:
            >>> import minigrad
            >>> emb = minigrad.nn.Embedding.from_pretrained(minigrad.tensor([[1.0, 2.0]]))
            >>> emb(minigrad.tensor([0])), emb.weight.requires_grad
            (tensor([[1., 2.]]), False)
        """
        weight = embeddings if isinstance(embeddings, Tensor) else Tensor(embeddings)
        if weight.ndim != 2:
            raise ValueError(
                f"Embedding.from_pretrained: embeddings must be 2-D, got shape {weight.shape}"
            )
        rows, cols = weight.shape
        return cls(
            rows, cols, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse,
            _weight=weight, _freeze=freeze,
        )  # fmt: skip
