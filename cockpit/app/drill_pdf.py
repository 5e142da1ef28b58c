"""The drill report as PDF, for trainers who file or print it: Qt's text layout and PDF writer.

Qt's rich text has no SVG, so the report's two plots are rendered to images first and handed to the
document under the names :func:`cockpit.record.drill_report.to_html` uses for them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QMarginsF, QUrl
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument
from PySide6.QtSvg import QSvgRenderer

from cockpit.record.drill_report import (
    DRAWINGS_IMAGE,
    PLOT_IMAGES,
    DrillReport,
    drawings_picture,
    response_plot,
    timeline_plot,
    to_html,
)

PLOT_SCALE = 2
"""Plots are rendered at twice their size (the page shows them at a fixed width), sharp in print."""


def svg_image(svg: str) -> QImage:
    """An SVG drawn on white at :data:`PLOT_SCALE`; a 1×1 white image if it is not SVG."""
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    if not svg.startswith("<svg") or not renderer.isValid():
        image = QImage(1, 1, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        return image
    size = renderer.defaultSize() * PLOT_SCALE
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def write_pdf(report: DrillReport, path: Path) -> Path:
    """Write ``report`` to ``path`` as an A4 PDF and return the path.

    Raises:
        OSError: the file could not be written.
    """
    doc = QTextDocument()
    for name, svg in zip(PLOT_IMAGES, (response_plot(report), timeline_plot(report)), strict=True):
        image = svg_image(svg)
        doc.addResource(
            QTextDocument.ResourceType.ImageResource,
            QUrl(name),
            image,
        )
    if report.plots:
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(DRAWINGS_IMAGE), svg_image(drawings_picture(report)))
    doc.setHtml(to_html(report, inline_svg=False))
    writer = QPdfWriter(str(path))
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(15, 15, 15, 15)
        )
    )
    writer.setTitle(f"Drill report: {report.title}")
    doc.print_(writer)
    if not path.exists() or path.stat().st_size == 0:
        raise OSError(f"cannot write {path}")
    return path
