"""Exceptions raised by the widgets when a caller passes invalid values.

Tree::

    WidgetsError
    ├── DuplicateEventIdError (also ValueError)
    ├── InvalidThresholdsError (also ValueError)
    ├── DuplicateAlarmIdError (also ValueError)
    ├── InvalidBannerSettingError (also ValueError)
    └── InvalidMapDataError (also ValueError), in widgets.geo
        ├── InvalidGeoJSONError
        └── InvalidMBTilesError
"""

from __future__ import annotations


class WidgetsError(Exception):
    """Base class of every exception raised by the ``widgets`` package."""


class DuplicateEventIdError(WidgetsError, ValueError):
    """``EventListView.set_rows`` received two rows with the same id."""


class InvalidThresholdsError(WidgetsError, ValueError):
    """Thresholds are not ordered ``low_alarm <= low_warn <= warn <= alarm``."""


class DuplicateAlarmIdError(WidgetsError, ValueError):
    """``AlarmListView.set_rows`` or ``AlarmBannerWidget.set_pinned`` received two rows with the same id."""


class InvalidBannerSettingError(WidgetsError, ValueError):
    """``AlarmBannerWidget`` got a maximum below 1 or a negative flood count."""
