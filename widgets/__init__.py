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
    errors: the exception tree.

Exceptions (``widgets.errors``)::

    WidgetsError
    ├── DuplicateEventIdError (also ValueError)
    └── InvalidThresholdsError (also ValueError)

Translation contexts used with ``QCoreApplication.translate``: ``Severity``, ``EventListView``,
``VitalSignTile``, ``ConnectionStatusWidget``, ``DispatchPanel``. Strings with ``{name}``
placeholders are filled with ``str.format``; translators must keep the placeholders.
"""
