"""Cockpit: the video-wall application of city command centres.

Packages, in the one direction data flows (docs/architecture.md):
protocol → feed → model → app; record and backend beside them. Only ``cockpit.app`` knows Qt.
"""

__version__ = "0.1.0"
