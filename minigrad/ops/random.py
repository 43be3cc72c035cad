"""Random sampling ops: multinomial, randperm, bernoulli, normal, poisson and the
in-place samplers (``bernoulli_``, ``exponential_``, ``geometric_``, ``log_normal_``,
``cauchy_``, ``uniform_``, ``normal_``, ``random_``).

Every op draws from ``generator`` when given (a :class:`minigrad.Generator` or a
``numpy.random.Generator``), else from minigrad's global generator, so
``minigrad.manual_seed`` makes them reproducible. (``rand``, ``randn`` and
``randint`` are in :mod:`minigrad.creation`.)

Gradients are PyTorch's: a sample is not reparameterised, so the gradient with
respect to probabilities, means, standard deviations or rates is zero (the result
of ``normal(mean, std)`` is connected to ``mean`` and ``std`` with a zero gradient,
as ``torch.normal``'s).

Example:
    >>> import minigrad
    >>> _ = minigrad.manual_seed(0)
    >>> a = minigrad.randperm(5)
    >>> _ = minigrad.manual_seed(0)
    >>> bool((minigrad.randperm(5) == a).all())
    True
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from minigrad.autograd import ArrayFunction as Function
from minigrad.autograd import Context
from minigrad.ops._registry import op
from minigrad.ops._util import as_tensor
from minigrad.random import default_generator
from minigrad.tensor import Tensor, get_default_dtype


def _rng(generator: Any, who: str) -> np.random.Generator:
    """The numpy Generator to draw from (a minigrad.Generator is one)."""
    if generator is None:
        return default_generator()
    if isinstance(generator, np.random.Generator):
        return generator
    raise TypeError(
        f"{who}: generator must be a minigrad.Generator or a numpy.random.Generator, got "
        f"{type(generator).__name__}"
    )


class RandomSample(Function):
    """A sample drawn outside the graph, connected to its parameters with a zero gradient.

    Example:
        >>> import numpy as np, minigrad
        >>> from minigrad.ops.random import RandomSample
        >>> mean = minigrad.zeros(2, requires_grad=True)
        >>> sample = np.array([0.5, -1.0], dtype=np.float32)
        >>> RandomSample.apply(mean, sample=sample).sum().backward()
        >>> mean.grad
        tensor([0., 0.])
    """

    @staticmethod
    def forward(ctx: Context, *params: Any, sample: np.ndarray) -> Any:
        ctx.shapes = [np.shape(p) for p in params]
        return sample

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        out = tuple(Tensor._make(np.zeros(s, dtype=grad.dtype)) for s in ctx.shapes)
        return out if len(out) > 1 else out[0]


def _sampled(sample: np.ndarray, *params: Any) -> Tensor:
    tensors = [p for p in params if isinstance(p, Tensor) and p.dtype.kind == "f"]
    if tensors and sample.dtype.kind == "f":
        return RandomSample.apply(*tensors, sample=sample)  # type: ignore[no-any-return]
    return Tensor._make(sample)


def _float_input(x: Any, who: str) -> Tensor:
    t = as_tensor(x)
    if t.dtype.kind != "f":
        raise RuntimeError(f"{who}: expected a floating-point tensor, got {t.dtype}")
    return t


# --------------------------------------------------------------------------- out of place


@op(differentiable=False)
def multinomial(
    input: Tensor, num_samples: int, replacement: bool = False, *, generator: Any = None
) -> Tensor:
    """Sample category indices from the (unnormalised) weights in each row of ``input``.

    Args:
        input: ``(k,)`` or ``(n, k)`` non-negative weights (not all zero).
        num_samples: how many indices per row.
        replacement: draw with replacement; without it the indices of a row are
            distinct (as PyTorch, a zero-weight category comes last, only when the
            others are exhausted).
        generator: a :class:`minigrad.Generator` or ``numpy.random.Generator``.

    Returns:
        int64 ``(num_samples,)`` or ``(n, num_samples)``.

    Example:
        >>> import minigrad
        >>> g = minigrad.Generator().manual_seed(0)
        >>> minigrad.multinomial(minigrad.tensor([0.0, 1.0, 0.0]), 2, replacement=True, generator=g)
        tensor([1, 1])
    """
    who = "multinomial"
    w = as_tensor(input)
    if w.dtype.kind != "f":
        raise RuntimeError(f"{who}: expected a floating-point probability tensor, got {w.dtype}")
    if w.ndim not in (1, 2):
        raise RuntimeError(f"{who}: prob_dist must be 1 or 2 dim, got shape {w.shape}")
    k = w.shape[-1]
    if not isinstance(num_samples, (int, np.integer)) or num_samples <= 0:
        raise RuntimeError(f"{who}: num_samples must be a positive int, got {num_samples!r}")
    if not replacement and num_samples > k:
        raise RuntimeError(
            f"{who}: cannot sample n_sample > prob_dist.size(-1) samples without replacement "
            f"({num_samples} > {k})"
        )
    p = np.atleast_2d(w._data).astype(np.float64)
    if not np.isfinite(p).all() or (p < 0).any():
        raise RuntimeError(f"{who}: probability tensor contains either `inf`, `nan` or element < 0")
    total = p.sum(-1, keepdims=True)
    if (total <= 0).any():
        raise RuntimeError(f"{who}: invalid multinomial distribution (sum of probabilities <= 0)")
    rng = _rng(generator, who)
    if replacement:
        cum = np.cumsum(p, -1)
        cdf = cum / cum[:, -1:]  # ends at exactly 1, so u < 1 never passes the last category
        u = rng.random((p.shape[0], int(num_samples)))
        idx = (u[..., None] >= cdf[:, None, :]).sum(-1)
    else:  # exponential race: the first num_samples arrivals, rates = the weights
        with np.errstate(divide="ignore"):
            keys = rng.exponential(size=p.shape) / p
        idx = np.argsort(keys, axis=-1, kind="stable")[:, : int(num_samples)]
    out = idx.astype(np.int64)
    return Tensor._make(out[0] if w.ndim == 1 else out)


@op(method=False, differentiable=False)
def randperm(
    n: int, *, generator: Any = None, dtype: Any = None, requires_grad: bool = False
) -> Tensor:
    """A random permutation of ``0 .. n - 1`` (int64 by default).

    Example:
        >>> import minigrad
        >>> sorted(minigrad.randperm(4).tolist())
        [0, 1, 2, 3]
    """
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
        raise RuntimeError(f"randperm: n must be a non-negative int, got {n!r}")
    data = _rng(generator, "randperm").permutation(int(n))
    out = Tensor._make(data.astype(np.dtype(np.int64) if dtype is None else np.dtype(dtype)))
    if requires_grad:
        out.requires_grad_()
    return out


@op(differentiable=False)
def bernoulli(input: Tensor, p: Any = None, *, generator: Any = None) -> Tensor:
    """Draw 0 or 1 for each element: 1 with probability ``input`` (or ``p`` if given).

    Args:
        input: probabilities in ``[0, 1]``; with ``p`` only its shape and dtype count.
        p: one probability for every element.

    Returns:
        A tensor of ``input``'s shape and dtype.

    Example:
        >>> import minigrad
        >>> minigrad.bernoulli(minigrad.tensor([0.0, 1.0, 1.0]))
        tensor([0., 1., 1.])
    """
    who = "bernoulli"
    x = as_tensor(input)
    probs = np.asarray(p if p is not None else x._data, dtype=np.float64)
    if ((probs < 0) | (probs > 1) | np.isnan(probs)).any():
        raise RuntimeError(f"{who}: all probabilities must be in [0, 1], got {probs.min()} .. "
                           f"{probs.max()}")  # fmt: skip
    u = _rng(generator, who).random(x.shape)
    sample = np.asarray(u < probs).astype(x.dtype if x.dtype.kind == "f" else get_default_dtype())
    return _sampled(sample, x if p is None else None)


def _param(x: Any, who: str, name: str) -> Tensor | float:
    if isinstance(x, Tensor):
        if x.dtype.kind != "f":
            raise RuntimeError(f"{who}: {name} must be a floating-point tensor, got {x.dtype}")
        return x
    if isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool):
        return float(x)
    raise TypeError(f"{who}: {name} must be a Tensor or a number, got {type(x).__name__}")


@op(method=False, differentiable=False)
def normal(
    mean: Any = 0.0,
    std: Any = 1.0,
    size: Any = None,
    *,
    generator: Any = None,
    dtype: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Samples of ``N(mean, std²)``; ``mean`` and ``std`` are tensors (broadcast) or numbers.

    Args:
        mean, std: tensors or numbers; ``std >= 0``.
        size: the output shape when both are numbers.
        dtype, requires_grad: for the numbers-only form (default float dtype).

    The result is connected to tensor ``mean``/``std`` with a zero gradient (as PyTorch).

    Example:
        >>> import minigrad
        >>> minigrad.normal(minigrad.zeros(2, 3), minigrad.ones(3)).shape
        minigrad.Size([2, 3])
        >>> minigrad.normal(2.0, 0.0, size=(2,))
        tensor([2., 2.])
    """
    who = "normal"
    m, s = _param(mean, who, "mean"), _param(std, who, "std")
    rng = _rng(generator, who)
    s_data = s._data if isinstance(s, Tensor) else np.asarray(s)
    if (s_data < 0).any() or np.isnan(s_data).any():
        raise RuntimeError(f"{who}: expected all elements of std >= 0.0, got {s_data.min()}")
    if not isinstance(m, Tensor) and not isinstance(s, Tensor):
        if size is None:
            raise TypeError(f"{who}: size is required when mean and std are numbers")
        shape = (int(size),) if isinstance(size, (int, np.integer)) else tuple(int(n) for n in size)
        out_dtype = np.dtype(dtype) if dtype is not None else get_default_dtype()
        out = Tensor._make(np.asarray(m + s * rng.standard_normal(shape)).astype(out_dtype))
        return out.requires_grad_() if requires_grad else out
    if size is not None:
        raise TypeError(f"{who}: size is only accepted when mean and std are numbers")
    tensors = [t for t in (m, s) if isinstance(t, Tensor)]
    out_dtype = np.result_type(*[t.dtype for t in tensors])
    m_data = m._data if isinstance(m, Tensor) else np.asarray(m)
    try:
        shape = np.broadcast_shapes(np.shape(m_data), np.shape(s_data))
    except ValueError:
        raise RuntimeError(
            f"{who}: mean of shape {np.shape(m_data)} and std of shape {np.shape(s_data)} do not "
            f"broadcast"
        ) from None
    sample = np.asarray(m_data + s_data * rng.standard_normal(shape)).astype(out_dtype)
    return _sampled(sample, *tensors)


@op(method=False, differentiable=False)
def poisson(input: Tensor, generator: Any = None) -> Tensor:
    """Poisson samples with the rates ``input`` (``>= 0``), in ``input``'s dtype.

    Example:
        >>> import minigrad
        >>> minigrad.poisson(minigrad.zeros(3))
        tensor([0., 0., 0.])
    """
    who = "poisson"
    x = _float_input(input, who)
    if (x._data < 0).any() or np.isnan(x._data).any():
        raise RuntimeError(f"{who}: rates must be non-negative, got min {x._data.min()}")
    sample = np.asarray(_rng(generator, who).poisson(x._data)).astype(x.dtype)
    return _sampled(sample, x)


# --------------------------------------------------------------------------- in place


def _fill(input: Tensor, name: str, values: np.ndarray) -> Tensor:
    """Write ``values`` into ``input`` as an in-place op (refused on a leaf that requires grad)."""
    sample = Tensor._make(np.asarray(values).astype(input.dtype, copy=False))
    return input._inplace_op(name, lambda _self: sample)


def _float_self(input: Any, who: str) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"{who}: expected a Tensor, got {type(input).__name__}")
    if input.dtype.kind != "f":
        raise RuntimeError(f"{who}: expected a floating-point tensor, got {input.dtype}")
    return input


@op(method="bernoulli_", export=False, differentiable=False)
def bernoulli_(input: Tensor, p: Any = 0.5, *, generator: Any = None) -> Tensor:
    """Fill ``input`` with 0/1 draws, 1 with probability ``p`` (a number or a tensor).

    Example:
        >>> import minigrad
        >>> minigrad.zeros(3).bernoulli_(1.0)
        tensor([1., 1., 1.])
    """
    who = "bernoulli_"
    probs = np.asarray(p._data if isinstance(p, Tensor) else p, dtype=np.float64)
    if ((probs < 0) | (probs > 1) | np.isnan(probs)).any():
        raise RuntimeError(f"{who}: p must be in [0, 1], got {p!r}")
    u = _rng(generator, who).random(input.shape)
    return _fill(input, who, u < probs)


@op(method="exponential_", export=False, differentiable=False)
def exponential_(input: Tensor, lambd: float = 1.0, *, generator: Any = None) -> Tensor:
    """Fill ``input`` with draws from the exponential distribution of rate ``lambd``.

    Example:
        >>> import minigrad
        >>> bool((minigrad.empty(100).exponential_(2.0) >= 0).all())
        True
    """
    who = "exponential_"
    x = _float_self(input, who)
    if not lambd > 0:
        raise RuntimeError(f"{who}: expects lambda > 0.0, but found lambda={lambd}")
    return _fill(x, who, _rng(generator, who).exponential(1.0 / lambd, x.shape))


@op(method="geometric_", export=False, differentiable=False)
def geometric_(input: Tensor, p: float, *, generator: Any = None) -> Tensor:
    """Fill ``input`` with the number of trials up to the first success (probability ``p``).

    Example:
        >>> import minigrad
        >>> minigrad.empty(3).geometric_(1.0)
        tensor([1., 1., 1.])
    """
    who = "geometric_"
    if not 0 < p < 1 and p != 1:
        raise RuntimeError(f"{who}: expects p to be in (0, 1], but got p={p}")
    return _fill(input, who, _rng(generator, who).geometric(p, input.shape))


@op(method="log_normal_", export=False, differentiable=False)
def log_normal_(
    input: Tensor, mean: float = 1.0, std: float = 2.0, *, generator: Any = None
) -> Tensor:
    """Fill ``input`` with ``exp(N(mean, std²))`` draws.

    Example:
        >>> import minigrad
        >>> bool((minigrad.empty(50).log_normal_() > 0).all())
        True
    """
    who = "log_normal_"
    x = _float_self(input, who)
    if not std > 0:
        raise RuntimeError(f"{who}: expects std > 0.0, but found std={std}")
    return _fill(x, who, _rng(generator, who).lognormal(mean, std, x.shape))


@op(method="cauchy_", export=False, differentiable=False)
def cauchy_(
    input: Tensor, median: float = 0.0, sigma: float = 1.0, *, generator: Any = None
) -> Tensor:
    """Fill ``input`` with Cauchy draws ``median + sigma * tan(pi * (u - 1/2))``.

    Example:
        >>> import minigrad
        >>> minigrad.empty(4).cauchy_().shape
        minigrad.Size([4])
    """
    who = "cauchy_"
    x = _float_self(input, who)
    if not sigma > 0:
        raise RuntimeError(f"{who}: expects sigma > 0.0, but found sigma={sigma}")
    u = _rng(generator, who).random(x.shape)
    return _fill(x, who, median + sigma * np.tan(math.pi * (u - 0.5)))


@op(method="uniform_", export=False, differentiable=False)
def uniform_(
    input: Tensor, from_: float = 0.0, to: float = 1.0, *, generator: Any = None
) -> Tensor:
    """Fill ``input`` with draws uniform in ``[from_, to)`` (PyTorch's ``uniform_(from, to)``).

    Example:
        >>> import minigrad
        >>> bool((minigrad.empty(20).uniform_(2.0, 3.0) >= 2.0).all())
        True
    """
    who = "uniform_"
    x = _float_self(input, who)
    if from_ > to:
        raise RuntimeError(f"{who}: expects from <= to, but got from={from_} > to={to}")
    return _fill(x, who, _rng(generator, who).uniform(from_, to, x.shape))


@op(method="normal_", export=False, differentiable=False)
def normal_(input: Tensor, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> Tensor:
    """Fill ``input`` with ``N(mean, std²)`` draws.

    Example:
        >>> import minigrad
        >>> minigrad.empty(3).normal_(5.0, 0.0)
        tensor([5., 5., 5.])
    """
    who = "normal_"
    x = _float_self(input, who)
    if std < 0:
        raise RuntimeError(f"{who}: expects std >= 0.0, but found std={std}")
    return _fill(x, who, mean + std * _rng(generator, who).standard_normal(x.shape))


@op(method="random_", export=False, differentiable=False)
def random_(
    input: Tensor, from_: int = 0, to: int | None = None, *, generator: Any = None
) -> Tensor:
    """Fill ``input`` with integers uniform in ``[from_, to)`` (``random_(to)`` means ``[0, to)``).

    Without ``to``, the range is ``[from_, 2**mantissa]`` for floats (as PyTorch:
    every integer the dtype holds exactly) or up to the dtype's maximum for integers.

    Example:
        >>> import minigrad
        >>> bool((minigrad.zeros(10, dtype=minigrad.int64).random_(3) < 3).all())
        True
    """
    who = "random_"
    if to is None and from_ != 0:
        from_, to = 0, from_
    if to is None:
        dt = input.dtype
        to = 2 ** (np.finfo(dt).nmant + 1) + 1 if dt.kind == "f" else int(np.iinfo(dt).max)
    if from_ >= to:
        raise RuntimeError(f"{who}: expects from < to, but got from={from_} >= to={to}")
    return _fill(input, who, _rng(generator, who).integers(from_, to, input.shape))
