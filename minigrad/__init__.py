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

from minigrad import (
    autograd,
    linalg,
    nn,
    ops,
    optim,
    random,
    utils,
)
from minigrad.autograd import (
    Function,
    enable_grad,
    grad,
    inference_mode,
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
from minigrad.data.generator import Generator
from minigrad.ops import *  # noqa: F403  (every op declared with export=True; see ops/__init__.py)
from minigrad.ops._util import promote_types, result_type
from minigrad.random import get_rng_state, manual_seed, set_rng_state
from minigrad.serialization import load, save
from minigrad.tensor import Tensor, can_cast, get_default_dtype, set_default_dtype

float32 = _np.dtype(_np.float32)
float64 = _np.dtype(_np.float64)
int32 = _np.dtype(_np.int32)
int64 = _np.dtype(_np.int64)
bool_ = _np.dtype(_np.bool_)
long = int64
double = float64

__version__ = "0.1.0"

__all__ = [
    "Function",
    "Generator",
    "Tensor",
    "__version__",
    "arange",
    "autograd",
    "bool_",
    "can_cast",
    "double",
    "empty",
    "enable_grad",
    "eye",
    "float32",
    "float64",
    "full",
    "get_default_dtype",
    "get_rng_state",
    "grad",
    "inference_mode",
    "int32",
    "int64",
    "is_grad_enabled",
    "linalg",
    "linspace",
    "load",
    "long",
    "manual_seed",
    "nn",
    "no_grad",
    "ones",
    "ones_like",
    "ops",
    "optim",
    "promote_types",
    "rand",
    "rand_like",
    "randint",
    "randn",
    "randn_like",
    "random",
    "result_type",
    "save",
    "set_default_dtype",
    "set_grad_enabled",
    "set_rng_state",
    "tensor",
    "utils",
    "zeros",
    "zeros_like",
]
__all__ += ops.__all__
