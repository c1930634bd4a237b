"""The side panel that shows and edits the selected cause's fields, through commands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from rca_desk.model import HEAD, Evidence, findings
from rca_desk.store import UnreachableError
from rca_desk.ui.common.marks import FindingLines
from rca_desk.ui.common.plain import PlainTextEdit, enum_combo, follow_text_direction
from rca_desk.ui.document.cause_commands import EditCause, SetProblem
from rca_desk.ui.document.incident_document import IncidentDocument


class CommitTextEdit(PlainTextEdit):
    """A text box that reports its text when it loses focus or on Ctrl+Enter."""

    committed = Signal(str)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        if self.document().isModified():
            self.committed.emit(self.toPlainText())
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.committed.emit(self.toPlainText())
            return
        super().keyPressEvent(event)


class CauseInspector(QWidget):
    """The selected cause's fields that the diagrams only hint at: full text, category,
    evidence status and note, root-cause flag, stop reason and the actions tied to it.

    The diagrams stay readable by showing these as colour and markers; this panel is where
    they are read and changed. Each change goes through an undoable command, so it is
    written through and shows in both diagrams. The head shows (and edits) the problem
    statement; a category, an open question or nothing selected shows a hint. It follows
    the document and the canvases' ``currentChanged``; it has no signals of its own.
    """

    def __init__(
        self,
        document: IncidentDocument,
        *,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        #: The day findings are judged on (overdue actions); tests pass a fixed one.
        self.today = today
        self.node: str | None = None
        self._loading = False

        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.text_edit = CommitTextEdit()
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setMaximumHeight(90)
        self.category = QComboBox()
        self.evidence = enum_combo(Evidence)
        self.note = CommitTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText("What supports or rules out this cause?")
        self.note.setMaximumHeight(90)
        self.stop = CommitTextEdit()
        self.stop.setTabChangesFocus(True)
        self.stop.setPlaceholderText(
            "Why the chain ends here before its whys depth, e.g. the supplier's firmware "
            "is outside our control"
        )
        self.stop.setMaximumHeight(60)
        self.root = QCheckBox("Root cause (Ctrl+R)")
        #: What the guidance list says about this cause, each line with its kind's badge.
        self.warning = FindingLines()
        self.action_list = follow_text_direction(QListWidget())
        self.action_list.setMaximumHeight(120)
        self.action_list.setWordWrap(True)
        self.action_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        form = QFormLayout()
        form.addRow("Text", self.text_edit)
        form.addRow("Category", self.category)
        form.addRow("Evidence", self.evidence)
        form.addRow("Evidence note", self.note)
        form.addRow("", self.root)
        form.addRow("Stop reason", self.stop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.warning)
        actions_label = QLabel("Preventive actions")
        actions_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(actions_label)
        layout.addWidget(self.action_list)
        layout.addStretch(1)

        self.text_edit.committed.connect(self._commit_text)
        self.note.committed.connect(self._commit_note)
        self.stop.committed.connect(self._commit_stop)
        self.category.activated.connect(self._commit_category)
        self.evidence.activated.connect(self._commit_evidence)
        self.root.toggled.connect(self._commit_root)
        # Any change may touch the shown node (its text, its actions, its category list).
        document.changed.connect(
            lambda changes: None if changes.beside_the_diagram else self.show_node(self.node)
        )
        self.show_node(None)

    def _load_text(self, box: QPlainTextEdit, text: str, *, same_node: bool) -> None:
        """Show ``text`` unless the box holds typing for this node not yet committed."""
        if same_node and box.document().isModified():
            return
        if box.toPlainText() != text:
            box.setPlainText(text)
        box.document().setModified(False)

    def show_node(self, node: str | None) -> None:
        graph = self.document.graph
        if node is not None and node != HEAD and node not in graph:
            node = None
        same = node == self.node and node is not None
        if not same and self.node is not None:
            self._keep_typing_for(self.node)
        self.node = node
        self._loading = True
        try:
            is_cause = node is not None and node != HEAD
            for widget in (self.category, self.evidence, self.note, self.root, self.action_list):
                widget.setEnabled(is_cause)
            # A stop reason belongs at the end of a chain: offered on leaves, and kept
            # editable where one was recorded before the cause got sub-causes.
            self.stop.setEnabled(
                is_cause
                and node is not None
                and (not graph.children(node) or bool(graph.cause(node).stop_reason))
            )
            self.text_edit.setEnabled(node is not None)
            self.category.clear()
            self.category.addItems(graph.categories)
            self.action_list.clear()
            self.warning.show_findings([])
            if node is None:
                self.heading.setText("Select a cause to see and edit its details.")
                self._load_text(self.text_edit, "", same_node=False)
                self._load_text(self.note, "", same_node=False)
                self._load_text(self.stop, "", same_node=False)
                self.root.setChecked(False)
                return
            if node == HEAD:
                self.heading.setText("Problem statement")
                self._load_text(self.text_edit, graph.problem, same_node=same)
                self._load_text(self.note, "", same_node=False)
                self._load_text(self.stop, "", same_node=False)
                self.root.setChecked(False)
                return
            cause = graph.cause(node)
            depth = graph.depth(node)
            self.heading.setText(f"Why #{depth}")
            self._load_text(self.text_edit, cause.text, same_node=same)
            self.category.setCurrentText(cause.category)
            self.evidence.setCurrentIndex(list(Evidence).index(cause.evidence))
            self._load_text(self.note, cause.evidence_note, same_node=same)
            self._load_text(self.stop, cause.stop_reason, same_node=same)
            self.root.setChecked(cause.root_cause)
            actions = self.document.incident.actions_for(node)
            for action in actions:
                due = action.due.isoformat() if action.due else "no due date"
                self.action_list.addItem(
                    f"{action.title} — {action.owner or 'no owner'}, {due}, {action.status.label}"
                )
            found = findings(self.document.incident, today=self.today())
            self.warning.show_findings(f for f in found if f.subject == node)
        finally:
            self._loading = False

    def _keep_typing_for(self, node: str) -> None:
        """The shown node changes while a box holds typing for ``node``: keep that typing.

        A click elsewhere commits on focus-out first; this is for changes that move the
        selection without taking focus, such as Undo from the toolbar. We may be inside
        that undo now, where no new command may be pushed, so the typing is written to
        its cause once control is back in the event loop.
        """
        pending: dict[str, str] = {}
        if self.text_edit.document().isModified():
            pending["text"] = self.text_edit.toPlainText().strip()
        if node != HEAD and self.note.document().isModified():
            pending["evidence_note"] = self.note.toPlainText().strip()
        if node != HEAD and self.stop.document().isModified():
            pending["stop_reason"] = self.stop.toPlainText().strip()
        if pending:
            QTimer.singleShot(0, lambda: self._commit_pending(node, pending))

    def _commit_pending(self, node: str, pending: dict[str, str]) -> None:
        graph = self.document.graph
        if node == HEAD:
            text = pending.get("text", "")
            if text and text != graph.problem:
                self.document.execute(SetProblem(self.document, text))
            return
        if node not in graph:
            return  # the cause itself went away (its creation was undone)
        cause = graph.cause(node)
        changes = {k: v for k, v in pending.items() if getattr(cause, k) != v}
        if changes:
            self.document.execute(EditCause(self.document, node, **changes))

    # ------------------------------------------------------------- commits
    def _edit(self, **changes: object) -> None:
        if self._loading or self.node is None or self.node == HEAD:
            return
        cause = self.document.graph.cause(self.node)
        changes = {k: v for k, v in changes.items() if getattr(cause, k) != v}
        if changes and not self.document.execute(EditCause(self.document, self.node, **changes)):
            self._reset()

    def _reset(self) -> None:
        """After a refusal show the model's values again (the message says why).

        Not when the server was away (:class:`UnreachableError`): then what was typed
        stays in its box, still marked as changed, so leaving the box again once the
        server is back saves it.
        """
        if isinstance(self.document.last_refusal, UnreachableError) and self.node is not None:
            graph = self.document.graph
            if self.node == HEAD:
                stored = {self.text_edit: graph.problem}
            else:
                cause = graph.cause(self.node)
                stored = {
                    self.text_edit: cause.text,
                    self.note: cause.evidence_note,
                    self.stop: cause.stop_reason,
                }
            for box, value in stored.items():
                if box.toPlainText().strip() != value:
                    box.document().setModified(True)
            return
        self.text_edit.document().setModified(False)
        self.note.document().setModified(False)
        self.stop.document().setModified(False)
        self.show_node(self.node)

    def _commit_text(self, text: str) -> None:
        if self._loading or self.node is None:
            return
        self.text_edit.document().setModified(False)  # committed: follow the model again
        text = text.strip()
        if self.node == HEAD:
            if text != self.document.graph.problem and not self.document.execute(
                SetProblem(self.document, text)
            ):
                self._reset()
        else:
            self._edit(text=text)

    def _commit_note(self, text: str) -> None:
        if self._loading:
            return
        self.note.document().setModified(False)
        self._edit(evidence_note=text.strip())

    def _commit_stop(self, text: str) -> None:
        if self._loading:
            return
        self.stop.document().setModified(False)
        self._edit(stop_reason=text.strip())

    def _commit_category(self, _index: int) -> None:
        self._edit(category=self.category.currentText())

    def _commit_evidence(self, index: int) -> None:
        self._edit(evidence=list(Evidence)[index])

    def _commit_root(self, checked: bool) -> None:
        self._edit(root_cause=checked)
        if not self._loading:
            self.show_node(self.node)  # a refused change puts the box back
