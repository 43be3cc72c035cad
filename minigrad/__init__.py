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
    _malloc,
    accelerator,
    autograd,
    backends,
    cuda,
    dtypes,
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
    as_tensor,
    empty,
    eye,
    from_numpy,
    full,
    is_floating_point,
    is_tensor,
    linspace,
    numel,
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
from minigrad.device import device, get_default_device, set_default_device
from minigrad.dtypes import (
    BoolTensor,
    ByteTensor,
    DoubleTensor,
    FloatTensor,
    IntTensor,
    LongTensor,
    dtype,
    finfo,
    iinfo,
)
from minigrad.dtypes import (
    bfloat16 as bfloat16,
)
from minigrad.ops import *  # noqa: F403  (every op declared with export=True; see ops/__init__.py)
from minigrad.ops._util import promote_types, result_type
from minigrad.random import get_rng_state, manual_seed, set_rng_state
from minigrad.serialization import load, save
from minigrad.size import Size
from minigrad.tensor import Tensor, can_cast, get_default_dtype, set_default_dtype

_malloc.tune()  # freed arrays are reused, not faulted in again (see minigrad/_malloc.py)

# PyTorch's dtype names (minigrad.dtype objects, equal to the NumPy dtypes).
float16 = dtypes.to_dtype(_np.float16)
float32 = dtypes.to_dtype(_np.float32)
float64 = dtypes.to_dtype(_np.float64)
complex64 = dtypes.to_dtype(_np.complex64)
complex128 = dtypes.to_dtype(_np.complex128)
uint8 = dtypes.to_dtype(_np.uint8)
int8 = dtypes.to_dtype(_np.int8)
int16 = dtypes.to_dtype(_np.int16)
int32 = dtypes.to_dtype(_np.int32)
int64 = dtypes.to_dtype(_np.int64)
bool = dtypes.to_dtype(_np.bool_)
bool_ = bool
half, float, double = float16, float32, float64
short, int, long = int16, int32, int64
cfloat, cdouble = complex64, complex128

__version__ = "0.1.0"

__all__ = [
    "BoolTensor",
    "ByteTensor",
    "DoubleTensor",
    "FloatTensor",
    "Function",
    "Generator",
    "IntTensor",
    "LongTensor",
    "Size",
    "Tensor",
    "__version__",
    "accelerator",
    "arange",
    "as_tensor",
    "autograd",
    "backends",
    "bool_",
    "can_cast",
    "cuda",
    "device",
    "double",
    "dtype",
    "dtypes",
    "empty",
    "enable_grad",
    "eye",
    "finfo",
    "float32",
    "float64",
    "from_numpy",
    "full",
    "get_default_device",
    "get_default_dtype",
    "get_rng_state",
    "grad",
    "iinfo",
    "inference_mode",
    "int32",
    "int64",
    "is_floating_point",
    "is_grad_enabled",
    "is_tensor",
    "linalg",
    "linspace",
    "load",
    "long",
    "manual_seed",
    "nn",
    "no_grad",
    "numel",
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
    "set_default_device",
    "set_default_dtype",
    "set_grad_enabled",
    "set_rng_state",
    "tensor",
    "utils",
    "zeros",
    "zeros_like",
]
__all__ += ops.__all__
