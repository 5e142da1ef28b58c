"""Fuzz profiles: a short one for CI (the default) and a long one for ``scripts/fuzz --long``.

``COCKPIT_FUZZ_PROFILE=fuzz-long`` selects the long one.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

SUPPRESS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("fuzz-ci", max_examples=100, deadline=None, suppress_health_check=SUPPRESS)
settings.register_profile(
    "fuzz-long", max_examples=3_000, deadline=None, suppress_health_check=SUPPRESS, print_blob=True
)
PROFILE = os.environ.get("COCKPIT_FUZZ_PROFILE", "fuzz-ci")
FUZZ = settings.get_profile(PROFILE)
"""Decorate fuzz tests with ``@FUZZ`` (a settings object: only these tests take the profile)."""
FILE_FUZZ = settings(FUZZ, max_examples=40 if PROFILE == "fuzz-ci" else 1_000)
"""For the file loaders: a YAML parse costs about a millisecond, so fewer examples."""
