"""Gradient-testing toolkit: ``gradcheck``, ``gradgradcheck``, OpInfo and Hypothesis strategies.

``OpInfo``, ``op_db`` and ``check_op`` (property tests generated from one entry per
op) and ``minigrad.testing.strategies`` need the ``hypothesis`` package (in the
``dev`` extra); without it only the gradient checks are here.
"""

from minigrad.testing.gradcheck import GradcheckError, gradcheck, gradgradcheck

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck"]

try:  # OpInfo, op_db and check_op draw their inputs with Hypothesis (a test dependency)
    import hypothesis as _hypothesis  # noqa: F401
except ImportError:  # pragma: no cover
    pass
else:
    from minigrad.testing.op_db import op_db
    from minigrad.testing.opinfo import (
        PROPERTIES,
        OpInfo,
        SampleInput,
        binary_samples,
        check_op,
        reduction_samples,
        samples,
        unary_samples,
    )

    __all__ += [
        "PROPERTIES",
        "OpInfo",
        "SampleInput",
        "binary_samples",
        "check_op",
        "op_db",
        "reduction_samples",
        "samples",
        "unary_samples",
    ]
