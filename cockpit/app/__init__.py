"""The Qt application: wiring, the wall window, dialogs. The only package that knows Qt.

All signal connections are made in :mod:`cockpit.app.wiring`; widgets come from ``widgets/``.
"""
