"""Fixtures for the widget tests.

The root ``tests/conftest.py`` sets ``QT_QPA_PLATFORM=offscreen``; the default here lets
``pytest tests/widgets`` run on its own too. It must be set before the QApplication exists.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
