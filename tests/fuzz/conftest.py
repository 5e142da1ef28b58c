"""Writes how many inputs each fuzz target tried, to ``COCKPIT_FUZZ_COUNTS`` (JSON), if set."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.fuzz.targets import COUNTS


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    out = os.environ.get("COCKPIT_FUZZ_COUNTS")
    if out:
        Path(out).write_text(json.dumps(dict(COUNTS), indent=2))
