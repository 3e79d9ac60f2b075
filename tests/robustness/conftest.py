"""Hypothesis profiles for the robustness tests (docs/reliability.md).

``make test`` (CI) runs the short profile ``ci``; a long hunt is one command:

    HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/robustness -q
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large]
settings.register_profile("ci", max_examples=30, deadline=None, suppress_health_check=_QUIET, derandomize=True)
settings.register_profile("long", max_examples=1500, deadline=None, suppress_health_check=_QUIET)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
