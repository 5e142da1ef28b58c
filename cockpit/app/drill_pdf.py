"""The drill report as PDF, for trainers who file or print it: Qt's text layout and PDF writer.

Qt's rich text has no SVG, so the report's two plots are rendered to images first and handed to the
document under the names :func:`cockpit.record.drill_report.to_html` uses for them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QMarginsF, QSizeF, QUrl
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

PDF_DPI = 96
"""The page is laid out at the screen's 96 dots per inch: the type sizes of the HTML report."""
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


def pdf_document(report: DrillReport) -> tuple[QTextDocument, QPageLayout]:
    """The report laid out on the A4 page it is printed on (tests look at the layout)."""
    doc = QTextDocument()
    for name, svg in zip(PLOT_IMAGES, (response_plot(report), timeline_plot(report)), strict=True):
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), svg_image(svg))
    if report.plots:
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(DRAWINGS_IMAGE), svg_image(drawings_picture(report)))
    doc.setHtml(to_html(report, inline_svg=False).replace("margin: 2em;", "margin: 0;"))
    layout = QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(15, 15, 15, 15)
    )
    # Lay the document out on the page's own text area: left to the printer, Qt laid it out on a
    # narrower one and squeezed the tables until words broke mid-word ("Susp ecte d").
    doc.setPageSize(QSizeF(layout.paintRectPixels(PDF_DPI).size()))
    return doc, layout


def write_pdf(report: DrillReport, path: Path) -> Path:
    """Write ``report`` to ``path`` as an A4 PDF and return the path.

    Raises:
        OSError: the file could not be written.
    """
    doc, layout = pdf_document(report)
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(layout)
    writer.setTitle(f"Drill report: {report.title}")
    doc.print_(writer)
    if not path.exists() or path.stat().st_size == 0:
        raise OSError(f"cannot write {path}")
    return path
