"""Issue 18, items 1-8, 10-11: what a crafted file, field or request must never do.

Each test here held a hole open on the old code and holds it shut now; the
fuzz suite (tests/test_fuzz_loaders.py) and the crash test
(tests/test_crash_resume.py) cover the same classes with random inputs.
"""

from __future__ import annotations

import copy
import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import minigrad
from minigrad import random as mg_random
from minigrad.serialization import MANIFEST, SerializationError

# --------------------------------------------------------------------------- 1. RNG state


def test_rng_state_never_selects_a_function_to_call(monkeypatch: pytest.MonkeyPatch) -> None:
    called = []
    monkeypatch.setattr(np.random, "canary", lambda *a: called.append(a), raising=False)
    good = minigrad.get_rng_state()
    for name in ("canary", "test", "seed", "default_rng", "MT19937", "__class__"):
        with pytest.raises(ValueError, match="bit_generator must be one of"):
            minigrad.set_rng_state({**good, "bit_generator": name})
    assert called == []


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.pop("uinteger"),
        lambda s: s.update(extra=1),
        lambda s: s.update(state=[1, 2]),
        lambda s: s["state"].update(state=-1),
        lambda s: s["state"].update(inc=2**128),
        lambda s: s["state"].update(inc="7"),
        lambda s: s.update(has_uint32=True),
        lambda s: s.update(has_uint32=5),
        lambda s: s["state"].pop("inc"),
    ],
)
def test_malformed_rng_states_are_value_errors_and_change_nothing(change: Any) -> None:
    before = minigrad.get_rng_state()
    state = copy.deepcopy(before)
    change(state)
    with pytest.raises(ValueError, match="set_rng_state"):
        minigrad.set_rng_state(state)
    assert minigrad.get_rng_state() == before
    assert mg_random.default_generator().bit_generator.state == before


def test_a_checkpointed_rng_state_round_trips_through_json() -> None:
    state = json.loads(json.dumps(minigrad.get_rng_state()))
    a = minigrad.rand(4).numpy()
    minigrad.set_rng_state(state)
    np.testing.assert_array_equal(minigrad.rand(4).numpy(), a)
