"""The drill report's PDF: tables as wide as the page, no word broken mid-word, rows packed on pages."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QTextDocument, QTextTable
from PySide6.QtWidgets import QApplication

from cockpit.app.drill_pdf import pdf_document, write_pdf
from cockpit.protocol.ids import uuid7
from cockpit.record.drill_report import DrillLog, EventSeen, TraineeAction, compute_report, event_ref
from tests.drill.test_drill_report import script

KINDS = [
    ("pipe_burst", "Suspected water-main burst", 1, "nanan"),
    ("waterlogging", "Waterlogging at the Jiangbei underpass", 2, "jiangbei"),
    ("fire", "Fire alarm", 1, "shapingba"),
]


def busy_log() -> DrillLog:
    events, actions = [], []
    for i in range(14):
        kind, title, severity, district = KINDS[i % 3]
        eid = str(uuid7(1_700_000_000_000 + i))  # real ids: 36 characters that do not break
        events += [
            EventSeen(i * 20, eid, kind, title, severity, district, "new", f"s-{i}", "flood"),
            EventSeen(i * 20 + 35, eid, kind, title, severity, district, "acknowledged", f"s-{i}", "flood"),
        ]
        actions.append(TraineeAction(i * 20 + 35, f"officer-{i % 3}", "operator", "acknowledge", eid, "", "accepted"))
    return DrillLog(script(), started_at=1_700_000_000.0, events=events, actions=actions, end_t=600, finished=True)


def broken_words(doc: QTextDocument) -> list[str]:
    """Lines in the tables' cells that end inside a word."""
    out = []
    block = doc.begin()
    while block.isValid():
        layout = block.layout()
        text = block.text()
        for n in range(layout.lineCount() - 1):
            line = layout.lineAt(n)
            end = line.textStart() + line.textLength()
            if 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
                out.append(f"{text[line.textStart():end]}|{text[end:]}")
        block = block.next()
    return out


def test_tables_fill_the_page_and_no_word_is_broken(qapp: QApplication, tmp_path: Path) -> None:
    report = compute_report(busy_log())
    doc, layout = pdf_document(report)
    doc.documentLayout().documentSize()  # lays it out
    page_w = layout.paintRectPixels(96).width()
    tables = [f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable)]
    assert len(tables) == 2
    for table in tables:
        width = doc.documentLayout().frameBoundingRect(table).width()
        assert width >= page_w * 0.95, "a table is as wide as the page"
    assert broken_words(doc) == [], "no word broken mid-word (it read 'Susp ecte d')"
    # 14 events and 14 actions, with the plots: a few pages, never a row per page.
    assert doc.pageCount() <= 4
    assert event_ref(report.rows[0].event_id) in doc.toPlainText()
    assert report.rows[0].event_id not in doc.toPlainText(), "people read names, not 36-character ids"
    path = write_pdf(report, tmp_path / "report.pdf")
    assert path.read_bytes().startswith(b"%PDF") and path.stat().st_size > 10_000
