"""A dark desktop (issue 14): widgets follow the palette, every text colour of the review
and the panels keeps 4.5:1 against the background it is drawn on, and the diagram canvas
stays white like the exports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from rca_desk.layout.palette import MIN_TEXT_CONTRAST, contrast_ratio
from rca_desk.store import Workspace
from rca_desk.ui.common.tones import TONE_PROPERTY, TONES, Tone, overdue_row, tone
from rca_desk.ui.review.dashboard import CHECKED_TINT, TILE_TONES
from rca_desk.ui.workspace.main_window import MainWindow
from tests.conftest import TODAY
from tests.ui.conftest import fill_review_workspace

R = QPalette.ColorRole


def dark() -> QPalette:
    """A dark theme as a desktop sets it (Fusion's dark look)."""
    palette = QPalette()
    for role, color in {
        R.Window: "#2B2B2B",
        R.WindowText: "#E6E6E6",
        R.Base: "#1E1E1E",
        R.AlternateBase: "#272727",
        R.Text: "#E6E6E6",
        R.Button: "#353535",
        R.ButtonText: "#E6E6E6",
        R.Mid: "#4A4A4A",
        R.Highlight: "#2A82DA",
        R.HighlightedText: "#FFFFFF",
        R.ToolTipBase: "#353535",
        R.ToolTipText: "#E6E6E6",
        R.PlaceholderText: "#9A9A9A",
    }.items():
        palette.setColor(role, QColor(color))
    return palette


@pytest.fixture
def dark_desktop(qapp: QApplication) -> Iterator[QPalette]:
    before = qapp.palette()
    qapp.setPalette(dark())
    yield qapp.palette()
    qapp.setPalette(before)


def light() -> QPalette:
    return QApplication.style().standardPalette()


def hex_of(color: QColor) -> str:
    return color.name(QColor.NameFormat.HexRgb)


def blend(base: QColor, over: QColor, alpha: int) -> str:
    a = alpha / 255
    mixed = QColor(
        round(base.red() * (1 - a) + over.red() * a),
        round(base.green() * (1 - a) + over.green() * a),
        round(base.blue() * (1 - a) + over.blue() * a),
    )
    return hex_of(mixed)


def backgrounds(palette: QPalette) -> list[str]:
    """Where our texts sit: labels on the window, cells on base and alternate rows."""
    return [hex_of(palette.color(role)) for role in (R.Window, R.Base, R.AlternateBase)]


@pytest.mark.parametrize("make", [light, dark], ids=["light", "dark"])
def test_every_tone_reads_on_every_background_it_is_used_on(qapp: object, make) -> None:  # type: ignore[no-untyped-def]
    palette = make()
    for which in Tone:
        color = hex_of(tone(which, palette))
        for background in backgrounds(palette):
            assert contrast_ratio(color, background) >= MIN_TEXT_CONTRAST, (which, background)
    # Overdue rows: their own text (the palette's) and the due date's tone on the tint.
    row = hex_of(overdue_row(palette))
    for text in (hex_of(palette.color(R.Text)), hex_of(tone(Tone.OVERDUE, palette))):
        assert contrast_ratio(text, row) >= MIN_TEXT_CONTRAST, text
    # A checked tile: its count, title and detail on the base tinted with its colour.
    base = palette.color(R.Base)
    for tile_tone in (*TILE_TONES.values(), Tone.TILE_AT_RISK):  # (the clients tile's too)
        color = tone(tile_tone, palette)
        tinted = blend(base, color, CHECKED_TINT)
        for text in (color, palette.color(R.Text), tone(Tone.HELP, palette)):
            assert contrast_ratio(hex_of(text), tinted) >= MIN_TEXT_CONTRAST, (tile_tone, text)


def test_the_two_versions_of_each_tone_differ(qapp: object) -> None:
    assert all(light_ != dark_ for light_, dark_ in TONES.values())


def toned(widget: QWidget) -> list[QWidget]:
    return [w for w in [widget, *widget.findChildren(QWidget)] if w.property(TONE_PROPERTY)]


def shown_colour(widget: QWidget) -> str:
    sheet = widget.styleSheet()
    return sheet.split("color:", 1)[1].split(";", 1)[0].strip().upper()


def test_under_a_dark_palette_the_review_and_panels_read(
    qtbot: QtBot, dark_desktop: QPalette, workspace: Workspace
) -> None:
    fill_review_workspace(workspace)
    window = MainWindow(workspace, today=TODAY)
    qtbot.addWidget(window)
    window.resize(1180, 760)
    window.show()
    window.show_review()
    view = window.open_incident(workspace.incidents()[0].id)
    view.views.setCurrentWidget(view.actions_panel)
    editor = view.actions_panel.start_action([])
    editor.show_error("A refusal, shown in the editor")

    # Qt's own widgets follow the palette.
    table = window.dashboard.table
    assert table.palette().color(R.Base) == dark_desktop.color(R.Base)
    assert window.palette().color(R.Window) == dark_desktop.color(R.Window)

    # Every label we colour, in the window and the open editor.
    labels = toned(window) + toned(editor)
    assert len(labels) >= 8
    window_colour = hex_of(dark_desktop.color(R.Window))
    for label in labels:
        assert contrast_ratio(shown_colour(label), window_colour) >= MIN_TEXT_CONTRAST, label

    # Every cell of the review table: its text on its own background.
    model = table.model()
    checked = 0
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            fg = index.data(Qt.ItemDataRole.ForegroundRole)
            bg = index.data(Qt.ItemDataRole.BackgroundRole)
            text = hex_of(fg.color()) if fg is not None else hex_of(dark_desktop.color(R.Text))
            under = hex_of(bg.color()) if bg is not None else hex_of(dark_desktop.color(R.Base))
            assert contrast_ratio(text, under) >= MIN_TEXT_CONTRAST, (row, column, text, under)
            checked += fg is not None or bg is not None
    assert checked >= 6  # the overdue, due-soon and late rows were among them

    # The tiles draw with the dark versions of their colours.
    for tile, button in window.dashboard.tiles.items():
        assert hex_of(button.color) == TONES[TILE_TONES[tile]][1].lower()

    # The diagram stays white, like the exports.
    assert view.fishbone.backgroundBrush().color().lightness() >= 245
    editor.confirm_discard = lambda: True  # type: ignore[method-assign]
    editor.close()


def test_switching_to_dark_while_running_recolours_the_labels(
    qtbot: QtBot, qapp: QApplication, workspace: Workspace
) -> None:
    fill_review_workspace(workspace)
    window = MainWindow(workspace, today=TODAY)
    qtbot.addWidget(window)
    hint = window.open_incident(workspace.incidents()[0].id).actions_panel.coverage_hint
    light_help, dark_help = TONES[Tone.HELP]
    assert shown_colour(hint) == light_help
    before = qapp.palette()
    try:
        qapp.setPalette(dark())
        qtbot.waitUntil(lambda: shown_colour(hint) == dark_help)
    finally:
        qapp.setPalette(before)
    qtbot.waitUntil(lambda: shown_colour(hint) == light_help)
