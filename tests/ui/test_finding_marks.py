"""Findings shown to the room (issue 14): the registry's sentences, never the codes, and a
badge per kind, so "blames a person" and "root cause without an action" look different."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QPixmap
from pytestqt.qtbot import QtBot

from rca_desk.model import FindingKind
from rca_desk.ui.common.marks import finding_icon, finding_pixmap
from rca_desk.ui.incident.incident_tab import KIND_ROLE
from rca_desk.ui.workspace.main_window import MainWindow


def png(pixmap: QPixmap) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pixmap.save(buffer, "PNG")
    return bytes(data.data())


def test_every_kind_has_a_badge_of_its_own(qapp: object) -> None:
    badges = {kind: png(finding_pixmap(kind)) for kind in FindingKind}
    assert len(set(badges.values())) == len(FindingKind)
    blame, uncovered = FindingKind.BLAME, FindingKind.UNCOVERED_ROOT_CAUSE
    assert badges[blame] != badges[uncovered]
    assert not finding_icon(blame).isNull()


def test_the_guidance_and_the_incident_list_show_sentences_with_badges(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.show()
    window.files.add_sample()
    codes = tuple(f"{kind.value}:" for kind in FindingKind)
    listed = window.incident_list.findings_list
    rows = [listed.item(i) for i in range(listed.count())]
    assert len(rows) >= 5
    for item in rows:
        assert not item.text().startswith(codes) and not item.text().startswith("•")
        assert not item.icon().isNull()

    view = window.open_incident(window.workspace.incidents()[0].id)
    guidance = view.guidance
    items = [guidance.item(i) for i in range(guidance.count())]
    assert view.guidance_label.text() == f"Guidance: {len(items)} findings"
    kinds = {FindingKind(item.data(KIND_ROLE)) for item in items}
    assert len(kinds) >= 3
    seen: dict[FindingKind, bytes] = {}
    for item in items:
        kind = FindingKind(item.data(KIND_ROLE))
        assert not any(code in item.text() for code in codes), item.text()
        assert item.toolTip() == kind.info.name
        seen[kind] = png(item.icon().pixmap(32, 32))
    assert len(set(seen.values())) == len(seen)  # a different badge for each kind shown


def test_every_mark_is_in_the_badge_s_font(qapp: object) -> None:
    """A mark the font lacks is drawn as an empty box, and two boxes look the same."""
    from PySide6.QtGui import QFont, QFontMetrics

    font = QFont()
    font.setBold(True)
    metrics = QFontMetrics(font)
    missing = [k.value for k in FindingKind if not metrics.inFontUcs4(ord(k.info.mark))]
    assert missing == []
