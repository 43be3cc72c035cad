"""Gradient-testing toolkit: ``gradcheck``, ``gradgradcheck`` and Hypothesis strategies.

``minigrad.testing.strategies`` needs the ``hypothesis`` package (in the ``dev`` extra).
"""

from minigrad.testing.gradcheck import GradcheckError, gradcheck, gradgradcheck

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck"]
