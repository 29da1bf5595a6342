"""Shared test configuration: Hypothesis profiles and paths."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings

# CI runs a fixed, reproducible set of examples; a developer's run explores new ones.
settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

TESTS = Path(__file__).parent
VECTORS = TESTS / "vectors"
#: The peer samples live beside the project, never inside it.
SAMPLES = TESTS.parent.parent / "shared" / "mm7" / "samples"
pytest_plugins = ["pytester"]
