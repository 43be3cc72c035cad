"""Gradient-testing toolkit: ``gradcheck``, ``gradgradcheck`` and Hypothesis strategies.

``minigrad.testing.strategies`` needs the ``hypothesis`` package (in the ``dev`` extra),
so it is not imported here; import it as ``from minigrad.testing import strategies as st``.
"""

from minigrad.testing.gradcheck import GradcheckError, gradcheck, gradgradcheck

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck"]
