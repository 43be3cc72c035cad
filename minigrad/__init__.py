"""minigrad: a small, fast, readable autograd framework on NumPy.

Example:
    >>> import minigrad
    >>> w = minigrad.tensor([1.0, -2.0], requires_grad=True)
    >>> loss = (w * w).sum()
    >>> loss.backward()
    >>> w.grad
    tensor([ 2., -4.])
"""

import numpy as _np

from minigrad import autograd, random
from minigrad.autograd import (
    Function,
    enable_grad,
    grad,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from minigrad.creation import (
    arange,
    empty,
    eye,
    full,
    linspace,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    tensor,
    zeros,
    zeros_like,
)
from minigrad.ops import (
    abs,
    add,
    amax,
    amin,
    argmax,
    argmin,
    broadcast_to,
    cat,
    chunk,
    clamp,
    cos,
    div,
    eq,
    exp,
    expand,
    flatten,
    ge,
    gt,
    le,
    log,
    log_softmax,
    logsumexp,
    lt,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    mul,
    ne,
    neg,
    pad,
    permute,
    pow,
    prod,
    relu,
    reshape,
    sigmoid,
    sign,
    sin,
    softmax,
    split,
    sqrt,
    squeeze,
    stack,
    std,
    sub,
    sum,
    tanh,
    transpose,
    unsqueeze,
    var,
    where,
)
from minigrad.random import get_rng_state, manual_seed, set_rng_state
from minigrad.tensor import Tensor, _register_ops, get_default_dtype, set_default_dtype

_register_ops()

from minigrad import nn  # noqa: E402
from minigrad.serialization import load, save  # noqa: E402

float32 = _np.dtype(_np.float32)
float64 = _np.dtype(_np.float64)
int32 = _np.dtype(_np.int32)
int64 = _np.dtype(_np.int64)
bool_ = _np.dtype(_np.bool_)
long = int64
double = float64

__version__ = "0.1.0"
