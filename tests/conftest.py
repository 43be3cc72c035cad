"""Shared test configuration: Hypothesis profiles, data location, optional PyTorch oracle.

Profiles: ``ci`` (deterministic, moderate example counts; selected when CI=true or
by default) and ``thorough`` (many more examples, for local runs:
``HYPOTHESIS_PROFILE=thorough pytest``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=25,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough",
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("dev", max_examples=10, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = Path(__file__).resolve().parent.parent
_SHARED_DATA = REPO.parent / "shared" / "data"

# Tests read the real datasets from ../shared/data unless MINIGRAD_DATA says otherwise.
if "MINIGRAD_DATA" not in os.environ and _SHARED_DATA.is_dir():
    os.environ["MINIGRAD_DATA"] = str(_SHARED_DATA)


@pytest.fixture(scope="session")
def data_root() -> Path:
    """The folder holding mnist/, fashion-mnist/ and cifar10/ (skips if absent)."""
    root = Path(os.environ.get("MINIGRAD_DATA", _SHARED_DATA))
    if not (root / "mnist").is_dir():
        pytest.skip(f"datasets not found under {root}; set MINIGRAD_DATA")
    return root


@pytest.fixture(scope="session")
def torch():
    """PyTorch, the optional oracle; tests using it are skipped when it is not installed."""
    return pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def _seeded():
    """Every test starts from the same global seed."""
    import minigrad

    minigrad.manual_seed(0)
    yield
