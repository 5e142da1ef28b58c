"""Reusable Qt widgets for the cockpit video wall.

The widgets take plain values (frozen dataclasses and enums defined here) and report user intent
through Qt signals. They know nothing of the protocol, the feed or the model: nothing in this
package imports ``cockpit`` (enforced by import-linter).

Modules:
    severity: ``Severity`` (China's four warning levels), colours, icon painting.
    theme: palette constants and ``apply_theme``.
    event_list: ``EventListView`` and its ``EventRow``.
    vital_tile: ``VitalSignTile``, ``TileLevel`` and ``Thresholds``.
    status_bar: ``ConnectionStatusWidget`` and ``LinkLevel``.
    dispatch_button: ``DispatchPanel`` and ``CommandLevel``.
    alarm_list: ``AlarmListView``, ``AlarmRow`` and the ISA-18.2 display states.
    alarm_banner: ``AlarmBannerWidget``, pinned on every wall screen.
    map_view: ``MapView`` (Web Mercator, GeoJSON layers, 330k risk points from a cached raster;
        labels placed by priority over the markers, dropped when no room is left).
    event_wall_list: ``EventWallList``, the event list a wall screen shows (whole rows, large type).
    trend_chart: ``TrendChart``, trends read from across the room (few ticks, named limits).
    flow_layout: ``FlowLayout``, items that wrap onto new rows instead of being cut.
    text_report: ``TextLog``, what text a widget painted, measured (the wall's self-check).
    geo: projection, GeoJSON parsing, MBTiles reading, synthetic demo points (no Qt).
    errors: the exception tree.

Exceptions (``widgets.errors``; the map's in ``widgets.geo``)::

    WidgetsError
    ├── DuplicateEventIdError (also ValueError)
    ├── InvalidThresholdsError (also ValueError)
    ├── DuplicateAlarmIdError (also ValueError)
    ├── InvalidBannerSettingError (also ValueError)
    └── InvalidMapDataError (also ValueError; widgets.geo)
        ├── InvalidGeoJSONError
        └── InvalidMBTilesError

Translation contexts used with ``QCoreApplication.translate``: ``Severity``, ``EventListView``,
``VitalSignTile``, ``ConnectionStatusWidget``, ``DispatchPanel``, ``AlarmListView``,
``AlarmBannerWidget``, ``MapView``, ``EventWallList``, ``TrendChart``. Strings with ``{name}``
placeholders are filled with ``str.format``; translators must keep the placeholders.
"""
