"""Drawing the next token from a language model's logits: temperature, top-k, multinomial.

Shared by :mod:`models.gpt` and :mod:`models.charrnn`. The draw comes from
minigrad's seeded generator, so ``minigrad.manual_seed`` makes sampling
reproducible.

Example:
    >>> import numpy as np, minigrad
    >>> from models.sampling import sample_next
    >>> _ = minigrad.manual_seed(0)
    >>> logits = np.array([[0.0, 5.0, 1.0], [9.0, 0.0, 0.0]], dtype=np.float32)
    >>> sample_next(logits, top_k=1).tolist()
    [[1], [0]]
"""

from __future__ import annotations

import numpy as np

from minigrad.random import default_generator


def check_sampling(temperature: float, top_k: int | None) -> None:
    """Refuse a temperature that is not positive and a ``top_k`` below 1.

    Example:
        >>> from models.sampling import check_sampling
        >>> check_sampling(0.0, None)
        Traceback (most recent call last):
        ...
        ValueError: generate: temperature must be a positive number, got 0.0
    """
    if not np.isfinite(temperature) or temperature <= 0:
        raise ValueError(f"generate: temperature must be a positive number, got {temperature}")
    if top_k is not None and (isinstance(top_k, bool) or int(top_k) != top_k or top_k < 1):
        raise ValueError(f"generate: top_k must be a positive integer or None, got {top_k!r}")


def sample_next(
    logits: np.ndarray, temperature: float = 1.0, top_k: int | None = None
) -> np.ndarray:
    """One token per row of ``logits`` ``(B, V)``: int64 indices of shape ``(B, 1)``.

    As nanoGPT: divide by ``temperature``, keep only the ``top_k`` largest logits
    (ties with the k-th are kept), softmax, then one multinomial draw per row.

    Example:
        >>> import numpy as np, minigrad
        >>> from models.sampling import sample_next
        >>> _ = minigrad.manual_seed(0)
        >>> sample_next(np.zeros((4, 3)), temperature=0.5).shape
        (4, 1)
    """
    check_sampling(temperature, top_k)
    z = np.asarray(logits, dtype=np.float64) / temperature
    if top_k is not None and top_k < z.shape[-1]:
        kth = np.partition(z, -int(top_k), axis=-1)[:, -int(top_k), None]
        z = np.where(z < kth, -np.inf, z)
    z = z - z.max(axis=-1, keepdims=True)
    p = np.exp(z)
    cdf = np.cumsum(p, axis=-1)
    u = default_generator().random((z.shape[0], 1)) * cdf[:, -1:]
    picked = (cdf <= u).sum(axis=-1, keepdims=True)
    return np.minimum(picked, z.shape[-1] - 1).astype(np.int64)
