"""The choices an export of a diagram asks for before the file: the page and the legend.

The same page modes as ``rca-desk export --page``: the diagram as it is on screen, a
1920 x 1080 slide, or an A4 or Letter page with a title block. The fishbone takes one
landscape page; the five whys take as many slides or portrait pages as keep their text
legible, and an SVG or PNG of several pages is one file per page (``NAME-1.svg`` …).
The legend's box follows the page (on for a slide or paper, as on screen otherwise)
until the person ticks it themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from rca_desk.render.pages import Page

#: What each page mode is called in the dialog, in the order offered.
PAGE_NAMES = {
    Page.NONE: "As on screen (the diagram's own size)",
    Page.SLIDE: "Slide, 16:9 (1920 x 1080)",
    Page.A4: "A4, with a title block",
    Page.LETTER: "Letter, with a title block",
}
#: What a page mode does with each view, shown under the choice.
PAGE_NOTES = {
    Page.NONE: "",
    Page.SLIDE: "The fishbone on one slide; the five whys on as many as keep text at 16 px.",
    Page.A4: "The fishbone on one landscape page; the five whys on portrait pages.",
    Page.LETTER: "The fishbone on one landscape page; the five whys on portrait pages.",
}


@dataclass(frozen=True)
class ExportOptions:
    """What the person chose: the page mode and whether the legend goes on it."""

    page: Page
    legend: bool


class ExportOptionsDialog(QDialog):
    """Page and legend for an image, SVG or PDF export. Enter exports, Escape cancels."""

    def __init__(self, parent: QWidget | None = None, page: Page = Page.NONE) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export diagram")
        self.page = QComboBox()
        for mode, name in PAGE_NAMES.items():
            self.page.addItem(name, mode)
        self.legend = QCheckBox("&Legend (colours, evidence marks, badges, links)")
        self._legend_touched = False
        self.legend.clicked.connect(self._touched)
        self.page.currentIndexChanged.connect(self._page_changed)
        form = QFormLayout()
        self.note = QLabel()
        self.note.setWordWrap(True)
        form.addRow("&Page:", self.page)
        form.addRow("", self.note)
        form.addRow("", self.legend)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Export…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.page.setCurrentIndex(list(PAGE_NAMES).index(page))
        self._page_changed()

    def _touched(self) -> None:
        self._legend_touched = True

    def _page_changed(self) -> None:
        self.note.setText(PAGE_NOTES[Page(self.page.currentData())])
        if not self._legend_touched:
            # On screen the canvas shows its legend; on a page it explains the print.
            self.legend.setChecked(True)

    def options(self) -> ExportOptions:
        return ExportOptions(Page(self.page.currentData()), self.legend.isChecked())
