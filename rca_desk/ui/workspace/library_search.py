"""Edit ▸ Search past incidents… (Ctrl+Shift+L): the library of lessons, searched.

A dialog of its own beside the main window (not modal: a facilitator keeps it open while
the room talks and opens one past incident after another). What is typed goes to the
workspace's search index (:meth:`~rca_desk.store.WorkspaceStore.search`: titles,
problems, causes, evidence notes, stop reasons, actions, lessons, timelines; stemmed,
negations kept, RCA's synonyms found). Each hit shows its incident, where the words were
found and a snippet with the matches in [brackets]; every text is shown as plain text
(item views draw text, never markup). Enter or a double click on a hit asks the window
to open its incident at the right place (``openHit``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rca_desk.model import RcaError
from rca_desk.model.search_terms import query_terms, words
from rca_desk.store import SearchHit, WorkspaceStore
from rca_desk.ui.common.plain import follow_text_direction, tooltip

#: How long typing must pause before the search runs (Enter runs it at once).
SEARCH_PAUSE_MS = 250
#: At most this many hits are listed.
HIT_LIMIT = 50
#: Where an item keeps its hit.
HIT_ROLE = Qt.ItemDataRole.UserRole + 1


class LibrarySearch(QDialog):
    """Search past incidents and open a hit.

    Signals: ``openHit(SearchHit)`` when a hit is activated (Enter, double click).
    """

    openHit = Signal(object)

    def __init__(self, workspace: WorkspaceStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: The workspace searched; the main window replaces it on a switch.
        self.workspace = workspace
        self.setWindowTitle("Search past incidents")
        self.resize(820, 480)
        self.query_edit = QLineEdit()
        self.query_edit.setPlaceholderText(
            "What happened? e.g. no owner for the staging refresh, certificate expired"
        )
        self.query_edit.setClearButtonEnabled(True)
        self.query_edit.textChanged.connect(self._typed)
        self.query_edit.returnPressed.connect(self._enter_in_query)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.results = follow_text_direction(QTreeWidget())
        self.results.setColumnCount(3)
        self.results.setHeaderLabels(["Incident", "Found in", "Match"])
        self.results.setRootIsDecorated(False)
        self.results.setAlternatingRowColors(True)
        self.results.setUniformRowHeights(True)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setWordWrap(False)
        header = self.results.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 240)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.results.itemActivated.connect(self._activated)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_PAUSE_MS)
        self.timer.timeout.connect(self.search_now)
        layout = QVBoxLayout(self)
        layout.addWidget(self.query_edit)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        self.hits: list[SearchHit] = []
        self._say_what_to_do()

    # ------------------------------------------------------------------ search
    def search(self, text: str) -> list[SearchHit]:
        """Type ``text`` and search at once (what Enter does); the hits listed."""
        self.query_edit.setText(text)
        self.search_now()
        return self.hits

    def search_now(self) -> None:
        self.timer.stop()
        text = self.query_edit.text()
        self.results.clear()
        self.hits = []
        if not text.strip():
            self._say_what_to_do()
            return
        if not query_terms(text):
            self.status.setText(
                "Nothing to search for: those words are all too common."
                if words(text)
                else "Nothing to search for: type words, not only symbols."
            )
            return
        try:
            self.hits = self.workspace.search(text, limit=HIT_LIMIT)
        except RcaError as error:
            self.status.setText(f"The search failed: {error}")
            return
        for hit in self.hits:
            item = QTreeWidgetItem(
                [
                    f"{hit.incident_id} · {hit.incident_title}",
                    hit.kind_label,
                    " ".join(hit.snippet.split()),
                ]
            )
            item.setData(0, HIT_ROLE, hit)
            item.setToolTip(0, tooltip(hit.incident_title))
            item.setToolTip(2, tooltip(hit.text))
            self.results.addTopLevelItem(item)
        count = len(self.hits)
        if not count:
            self.status.setText("No past incident matches.")
        else:
            more = " (the best shown)" if count == HIT_LIMIT else ""
            self.status.setText(
                f"{count} match{'es' if count != 1 else ''}{more}, best first; the words "
                "found are in [brackets]. Enter or a double click opens the incident."
            )
            first = self.results.topLevelItem(0)
            if first is not None:
                self.results.setCurrentItem(first)

    def _typed(self, _text: str) -> None:
        self.timer.start()

    def _say_what_to_do(self) -> None:
        self.status.setText(
            "Searches titles, problems, causes, evidence notes, stop reasons, actions, "
            "lessons learned and timelines of every incident in the workspace."
        )

    def _enter_in_query(self) -> None:
        self.search_now()
        if self.hits:
            self.results.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------------ opening
    def selected_hit(self) -> SearchHit | None:
        item = self.results.currentItem()
        hit = item.data(0, HIT_ROLE) if item is not None else None
        return hit if isinstance(hit, SearchHit) else None

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        hit = item.data(0, HIT_ROLE)
        if isinstance(hit, SearchHit):
            self.openHit.emit(hit)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter belongs to the query (search) or the list (open; the view says so with
        # itemActivated and passes the key on), never to QDialog, which would close.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)
