"""The detail pane: face boxes with ages, findings in plain words, hostile values as text."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea

from photoscan.gui.detail.pane import DetailPane
from photoscan.gui.detail.preview import PREVIEW_SIZE, face_label
from photoscan.gui.library.thumbnails import ThumbnailLoader
from photoscan.model import Face, Finding, FindingKind, PhotoRecord, Severity
from photoscan.risk import assess
from tests.gui.factories import record
from tests.gui.library.test_thumbnails import write_photo

HOSTILE = "<b>x</b><img src=http://example.invalid/t.png>"


def with_findings(*findings: Finding) -> PhotoRecord:
    """A photo with a location, a name and a serial number, and ``findings`` besides."""
    rec = record("a.jpg", gps=True, person="Ann", device=True)
    return dataclasses.replace(rec, findings=(*rec.findings, *findings))


def make_pane(qtbot, root: Path) -> DetailPane:
    loader = ThumbnailLoader()
    loader.set_root(root)
    pane = DetailPane(loader)
    pane.set_root(root)
    qtbot.addWidget(pane)
    pane.resize(800, 900)
    pane.show()
    return pane


def test_hostile_metadata_is_shown_as_plain_text(qtbot, tmp_path: Path) -> None:
    pane = make_pane(qtbot, tmp_path)
    rec = record("evil.jpg", person=HOSTILE)
    rec = dataclasses.replace(
        rec, findings=(*rec.findings, Finding(FindingKind.TEXT, "XMP:Title", HOSTILE, Severity.LOW))
    )
    pane.show_record(rec)
    values = [pane.findings.item(r, 2).text() for r in range(pane.findings.rowCount())]
    assert values.count(HOSTILE) == 2
    assert pane.findings.item(0, 0).text() == "A person's name"
    labels = pane.findChildren(QLabel)
    assert labels and all(lbl.textFormat() == Qt.TextFormat.PlainText for lbl in labels)
    assert HOSTILE in pane.reasons_label.text()  # the risk reason quotes the name, as text


def test_children_face_boxes_and_findings_are_shown(qtbot, tmp_path: Path) -> None:
    write_photo(tmp_path / "kids.jpg", (400, 300))
    rec = assess(
        dataclasses.replace(
            record("kids.jpg", gps=True),
            faces=(Face((20, 30, 120, 130), 6.4, True), Face((200, 40, 300, 140), 38.0, False)),
        )
    )
    pane = make_pane(qtbot, tmp_path)
    with qtbot.waitSignal(pane.preview.preview_loaded, timeout=5000):
        pane.show_record(rec)
    rects = pane.preview.face_rects()
    assert [face.child for _, face in rects] == [True, False]
    child_rect, _ = rects[0]
    adult_rect, _ = rects[1]
    assert child_rect.width() > 0 and child_rect.left() < adult_rect.left()
    assert abs(child_rect.width() / adult_rect.width() - 1.0) < 0.01  # same scale for both
    assert [face_label(f) for f in rec.faces] == ["child ~6", "adult ~38"]
    assert pane.faces_label.text() == "Faces: 1 child (est. 6), 1 adult"
    assert "child" in pane.reasons_label.text()
    assert "Blur the children's faces" in pane.actions_label.text()
    assert pane.findings.rowCount() == 1 and pane.findings.item(0, 0).text() == "Location"
    assert pane.preview.is_loaded()
    assert pane.preview._loader.full_size("kids.jpg", PREVIEW_SIZE).width() == 400


def test_copy_path_puts_the_full_path_on_the_clipboard(qtbot, tmp_path: Path) -> None:
    pane = make_pane(qtbot, tmp_path)
    pane.show_record(record("sub/dir/a.jpg"))
    with qtbot.waitSignal(pane.path_copied, timeout=1000):
        qtbot.mouseClick(pane.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == str(tmp_path / "sub" / "dir" / "a.jpg")
    pane.show_record(None)
    assert not pane.copy_button.isEnabled() and pane.findings.rowCount() == 0


def test_found_in_the_file_speaks_plain_words_with_the_field_name_on_hover(
    qtbot, tmp_path: Path
) -> None:
    """The table says what the CLI summary says ("camera serial number"), not the tag name;
    the tag name a photographer looks up in ExifTool is in the detail's tooltip."""
    pane = make_pane(qtbot, tmp_path)
    pane.show_record(
        with_findings(
            Finding(FindingKind.CAMERA, "EXIF:Make", "Canon", Severity.LOW),
            Finding(FindingKind.TEXT, "XMP:SupplementalCategories", "kids", Severity.LOW),
        )
    )
    rows = range(pane.findings.rowCount())
    details = [pane.findings.item(r, 1).text() for r in rows]
    assert details == [
        "GPS position",
        "photographer's name",
        "camera serial number",
        "camera make",
        "supplemental categories",
    ]
    assert not any(":" in d for d in details)
    tips = [pane.findings.item(r, 1).toolTip() for r in rows]
    assert "EXIF:GPSLatitude" in tips[0] and "EXIF:BodySerialNumber" in tips[2]
    assert "XMP:SupplementalCategories" in tips[4]
    assert [pane.findings.item(r, 2).text() for r in rows][3] == "Canon"


def test_tooltips_of_hostile_text_show_its_characters_not_its_markup(qtbot, tmp_path: Path) -> None:
    """Qt renders a tooltip as rich text when it looks like markup: a file name or a value
    from the file must come out as the characters it is (the grid's tooltip too)."""
    from PySide6.QtGui import Qt as GuiQt
    from PySide6.QtGui import QTextDocument

    from photoscan.gui.library.models import PhotoTableModel

    def shown(tip: str) -> str:
        if not GuiQt.mightBeRichText(tip):
            return tip
        document = QTextDocument()
        document.setHtml(tip)
        return document.toPlainText()

    pane = make_pane(qtbot, tmp_path)
    name = f"{HOSTILE}.jpg"
    rec = record(name, person=HOSTILE)
    pane.show_record(rec)
    assert shown(pane.title.toolTip()) == name
    assert shown(pane.findings.item(0, 2).toolTip()) == HOSTILE
    assert pane.findings.item(0, 2).text() == HOSTILE
    model = PhotoTableModel()
    model.set_records([rec])
    assert shown(model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)) == name
    pane.show_record(record("plain.jpg", person="Ann"))
    assert pane.findings.item(0, 2).toolTip() == "Ann"  # plain text stays as it is


def test_the_findings_columns_fit_their_words_and_leave_the_value_room(
    qtbot, tmp_path: Path
) -> None:
    """Plain words are longer than tag names: Detail is as wide as "names of the people
    shown" when the pane has room, and in a narrow pane What and Detail give way to Value."""
    pane = make_pane(qtbot, tmp_path)
    pane.show_record(
        with_findings(
            Finding(FindingKind.PERSON, "XMP:PersonInImage", "Ann", Severity.HIGH),
            Finding(FindingKind.TEXT, "XMP:Description", "a day out", Severity.LOW),
        )
    )
    table, header = pane.findings, pane.findings.horizontalHeader()
    for column in (0, 1):
        assert header.sectionSize(column) >= table.sizeHintForColumn(column)  # nothing cut
    pane.resize(420, 900)
    qtbot.waitUntil(lambda: table.viewport().width() < 420)
    room = table.viewport().width()
    assert header.sectionSize(0) <= room * 0.31 and header.sectionSize(1) <= room * 0.31
    assert header.sectionSize(2) >= room * 0.35


def test_found_in_the_file_lists_location_and_names_first(qtbot, tmp_path: Path) -> None:
    """Not in the file's order (camera make first in most EXIF): what matters most first,
    the order the strip preview uses; one kind's fields keep the file's order."""
    pane = make_pane(qtbot, tmp_path)
    rec = dataclasses.replace(
        record("a.jpg"),
        findings=(
            Finding(FindingKind.CAMERA, "EXIF:Make", "Canon", Severity.LOW),
            Finding(FindingKind.SOFTWARE, "EXIF:Software", "Photoshop", Severity.LOW),
            Finding(FindingKind.PERSON, "EXIF:Artist", "Ann", Severity.HIGH),
            Finding(FindingKind.LOCATION, "EXIF:GPSLatitude", "52.1", Severity.HIGH),
            Finding(FindingKind.LOCATION, "EXIF:GPSAltitude", "3", Severity.MEDIUM),
        ),
    )
    pane.show_record(rec)
    details = [pane.findings.item(r, 1).text() for r in range(pane.findings.rowCount())]
    assert details == [
        "GPS position",
        "altitude",
        "photographer's name",
        "camera make",
        "editing software",
    ]


def test_a_file_with_nothing_in_it_says_so_instead_of_an_empty_table(qtbot, tmp_path: Path) -> None:
    pane = make_pane(qtbot, tmp_path)
    pane.show_record(record("bare.jpg"))
    assert not pane.findings.isVisible() and pane.no_findings.isVisible()
    assert pane.no_findings.text().startswith("Nothing found in the file")
    pane.show_record(record("a.jpg", gps=True))
    assert pane.findings.isVisible() and not pane.no_findings.isVisible()


def test_make_and_model_rows_have_their_own_words(qtbot, tmp_path: Path) -> None:
    """Two rows that both said "camera make and model" read as a repeat: each says its own."""
    pane = make_pane(qtbot, tmp_path)
    pane.show_record(
        dataclasses.replace(
            record("a.jpg"),
            findings=(
                Finding(FindingKind.CAMERA, "EXIF:Make", "Canon", Severity.LOW),
                Finding(FindingKind.CAMERA, "EXIF:Model", "Canon EOS 5D", Severity.LOW),
            ),
        )
    )
    rows = [
        (pane.findings.item(r, 1).text(), pane.findings.item(r, 2).text())
        for r in range(pane.findings.rowCount())
    ]
    assert rows == [("camera make", "Canon"), ("camera model", "Canon EOS 5D")]


# kind | field | value: the plain words a narrow pane has to wrap
LONG_WORDS = tuple(
    Finding(FindingKind(kind), field, value, Severity.LOW)
    for kind, field, value in (
        line.split(" | ")
        for line in """\
camera | EXIF:Make | CASIO COMPUTER CO.,LTD
camera | EXIF:Model | EX-Z3
thumbnail | EXIF:ThumbnailImage | 160×120 JPEG thumbnail
text | IPTC:Caption-Abstract | a day out
person | XMP:PersonInImage | Ann
location | XMP:Sublocation | Oak Road
minor | IPTC:ModelAge | 7""".splitlines()
    )
)


def _cut_cells(table) -> list[str]:  # type: ignore[no-untyped-def]
    """Cells whose words do not all fit in the cell as drawn (cut or "…")."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QStyle

    metrics = table.fontMetrics()
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    cut = []
    for row in range(table.rowCount()):
        for column in range(table.columnCount()):
            item = table.item(row, column)
            rect = table.visualItemRect(item)
            room = rect.width() - 2 * margin
            wrapped = metrics.boundingRect(
                QRect(0, 0, room, 10_000), Qt.TextFlag.TextWordWrap, item.text()
            )
            widest = max(metrics.horizontalAdvance(word) for word in item.text().split())
            if widest > room or wrapped.height() > rect.height():
                cut.append(item.text())
    return cut


def test_found_in_the_file_cuts_no_words_at_the_default_window_sizes(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Seen under Xvfb: the narrow detail pane showed "camera make an…" and "Hidden preview
    i…". At 1280x800 and 1024x768 every word of every row is readable: cells wrap."""
    window.pages.setCurrentIndex(1)
    rec = dataclasses.replace(record("a.jpg"), findings=LONG_WORDS)
    table = window.detail.findings
    for width, height in ((1280, 800), (1024, 768)):
        window.resize(width, height)
        window.detail.show_record(rec)
        qtbot.waitUntil(lambda w=width: window.width() <= w and table.isVisible())
        QApplication.processEvents()
        assert table.rowCount() == len(LONG_WORDS)
        assert _cut_cells(table) == [], (width, table.viewport().width())


def test_with_nothing_in_the_file_the_words_above_keep_their_spacing(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Seen under Xvfb: with the table hidden, a tall pane spread Why, What to do and Found
    in the file down the pane, each line in a label 70 pixels tall."""
    pane = make_pane(qtbot, tmp_path)
    pane.resize(360, 1400)  # the detail pane of a window on a tall screen
    pane.show_record(record("bare.jpg"))
    qtbot.waitUntil(lambda: pane.no_findings.isVisible() and pane.height() == 1400)
    stretched = [
        (label.text(), label.height())
        for label in pane.findChildren(QLabel)
        if label.isVisible()
        and label not in (pane.no_findings, pane.risk_label)
        and label.height() > label.heightForWidth(label.width()) + 4
    ]  # fmt: skip  (the risk line is as tall as its bigger dot)
    assert stretched == []


def test_the_action_buttons_wrap_in_a_narrow_pane(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Seen under Xvfb at 1280x800: "Blur children and share…" ran past the pane's edge and
    the info column grew a sideways scroll bar. The buttons take as many rows as they need."""
    pane = make_pane(qtbot, tmp_path)
    rec = record("kid.jpg", children=1, gps=True, person="Ann", device=True)
    for width in (800, 360):
        pane.resize(width, 900)
        pane.show_record(rec)
        qtbot.waitUntil(lambda w=width: pane.width() == w)
        QApplication.processEvents()
        shown = [b for b in pane.action_buttons.values() if b.isVisible()]
        assert len(shown) == 3
        scroll = pane.findChild(QScrollArea)
        assert not scroll.horizontalScrollBar().isVisible(), width
        edge = scroll.viewport().width()
        for button in shown:
            right = button.mapTo(scroll.viewport(), button.rect().topRight()).x()
            assert right < edge, (width, button.text(), right, edge)
    rows = {b.y() for b in pane.action_buttons.values() if b.isVisible()}
    assert len(rows) >= 2  # at 360 pixels they cannot share one row
