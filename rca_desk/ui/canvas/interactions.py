"""What a facilitator does on a canvas, turned into undoable commands.

Keys, clicks, drags and the in-place editor live here rather than in the view, so the view
stays about showing the diagram (zoom, fit, pan, selection) and this module stays about
gestures (orange-canvas-core keeps the same split: ``canvas/items`` versus
``document/interactions.py``). Nothing here changes the model directly: every edit is a
command from :mod:`rca_desk.ui.document.cause_commands` handed to the document.

The keys are listed in :data:`CANVAS_KEYS`, which the shortcut list (F1) shows and a test
presses one by one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPointF, QRect, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import QGraphicsView, QMenu, QPlainTextEdit

from rca_desk.model import HEAD, Evidence, RcaError
from rca_desk.render.paint import qrect
from rca_desk.ui.canvas.navigation import Outline
from rca_desk.ui.canvas.nodes import (
    PLACE_HINT,
    CategoryRef,
    CauseRef,
    ProblemRef,
    QuestionRef,
    parse_node,
    placing_target,
)
from rca_desk.ui.common.plain import PlainTextEdit
from rca_desk.ui.document.cause_commands import (
    AddCause,
    EditCause,
    MoveCause,
    RemoveCause,
    SetProblem,
)
from rca_desk.ui.document.parking_commands import IDEA_MIME, ParkIdea, PlaceIdea

if TYPE_CHECKING:
    from rca_desk.ui.canvas.diagram_canvas import DiagramCanvas

#: Every key the canvas handles itself (its toolbar actions are QActions and list
#: themselves): what the shortcut list shows, in QKeySequence's portable text.
CANVAS_KEYS: tuple[tuple[str, str], ...] = (
    (
        "Return",
        "add a sibling cause (on a category or the problem: a first-level cause; "
        "with nothing selected: an idea for the parking lot)",
    ),
    ("Tab", "ask why: add a cause under the selected one"),
    ("F2", "rename in place (Enter keeps, Shift+Enter starts a line, Escape cancels)"),
    ("Del", "delete the cause with its sub-causes (undoable)"),
    ("Left", "fishbone: the first sub-cause; five whys: the parent"),
    ("Right", "fishbone: the parent (towards the problem); five whys: the first answer"),
    ("Up", "the previous sibling (the next one in the fishbone's upper half)"),
    ("Down", "the next sibling (the previous one in the fishbone's upper half)"),
    ("Home", "the problem"),
    ("Ctrl+1", "category bone 1 (Ctrl+2 ... Ctrl+9: the others)"),
    ("E", "the selected cause's next evidence status"),
    ("Shift+E", "its previous evidence status"),
    ("C", "pick the selected cause's category from a menu (its number picks it)"),
    ("P", "place the parking lot's first idea at the selection (under a cause, on a bone)"),
    ("Esc", "clear the selection"),
)

#: How far (in pixels, Manhattan) the mouse must travel before a press becomes a drag.
DRAG_DISTANCE = 6.0
EDITOR_WIDTH = 260
EDITOR_HEIGHT = 64

_ARROWS: dict[int, str] = {
    Qt.Key.Key_Left: "left",
    Qt.Key.Key_Right: "right",
    Qt.Key.Key_Up: "up",
    Qt.Key.Key_Down: "down",
}
_DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}


class InPlaceEditor(QObject):
    """A small text box over a label, so a cause is typed where it will appear.

    Enter keeps the text, Shift+Enter starts a new line, Escape cancels, and leaving the box
    (a click elsewhere, another window) keeps it as leaving a field does. What to do with
    the text is the ``commit`` callback given to :meth:`open`; there are no signals.
    """

    def __init__(self, view: QGraphicsView) -> None:
        super().__init__(view)
        self.view = view
        #: The open text box, or ``None``.
        self.widget: QPlainTextEdit | None = None
        self._commit: Callable[[str], object] | None = None

    def open(self, anchor: QRect | None, text: str, commit: Callable[[str], object]) -> None:
        """Open over ``anchor`` (viewport pixels) to edit ``text``, below it for a new one."""
        editor = PlainTextEdit(parent=self.view.viewport())
        editor.setObjectName("inPlaceEditor")
        editor.setPlainText(text)
        editor.selectAll()
        editor.setTabChangesFocus(True)
        editor.setPlaceholderText("Why? Type the cause, Enter to keep, Escape to cancel")
        if anchor is not None:
            top_left = anchor.topLeft() if text else anchor.bottomLeft()
            width = max(anchor.width(), EDITOR_WIDTH)
        else:
            top_left, width = self.view.viewport().rect().center(), EDITOR_WIDTH
        # Inside the viewport whatever the anchor's size (a label wider or lower than
        # the window would otherwise push the box out of sight).
        area = self.view.viewport().rect()
        width = min(int(width), area.width())
        x = max(0, min(top_left.x(), area.width() - width))
        y = max(0, min(top_left.y() + (0 if text else 6), area.height() - EDITOR_HEIGHT))
        editor.setGeometry(x, y, width, EDITOR_HEIGHT)
        editor.installEventFilter(self)
        editor.show()
        editor.setFocus(Qt.FocusReason.OtherFocusReason)
        self.widget = editor
        self._commit = commit

    def commit(self) -> None:
        """Close the box and hand its text (if any) to the commit callback."""
        editor, commit = self.widget, self._commit
        self.close()
        if editor is not None and commit is not None:
            text = editor.toPlainText().strip()
            if text:
                commit(text)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def close(self) -> None:
        """Close the box and drop what was typed."""
        if self.widget is not None:
            editor = self.widget
            self.widget = None
            self._commit = None
            editor.removeEventFilter(self)
            editor.hide()
            editor.deleteLater()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            ):
                self.commit()
                return True
            if key == Qt.Key.Key_Escape:
                self.close()
                self.view.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        if watched is self.widget and event.type() == QEvent.Type.FocusOut:
            QTimer.singleShot(0, self._commit_if_still_open)
        return super().eventFilter(watched, event)

    def _commit_if_still_open(self) -> None:
        if self.widget is not None and not self.widget.hasFocus():
            self.commit()


class CanvasInteractions:
    """Turns keys, clicks and drags on one :class:`DiagramCanvas` into commands.

    The canvas forwards its key and mouse events here (each handler says whether it used
    the event) and exposes the edit operations under its own name for the incident tab's
    toolbar and menu actions.
    """

    def __init__(self, canvas: DiagramCanvas) -> None:
        self.canvas = canvas
        self.editor = InPlaceEditor(canvas)
        self._press: tuple[QPointF, str] | None = None
        self._dragging = False
        self._drop_target: str | None = None

    # -------------------------------------------------------------- editing
    def _category_of(self, node: str) -> str | None:
        match parse_node(node):
            case CategoryRef(name):
                return name
            case CauseRef(cause_id):
                return self.canvas.document.graph.cause(cause_id).category
        return None

    def add_sibling(self) -> None:
        """Enter: another answer to the same "why?" as the selected cause; with nothing
        selected, an idea for the parking lot (not a cause on the first bone)."""
        canvas = self.canvas
        if canvas.current is None:
            document = canvas.document
            self.ask_text(HEAD, "", lambda text: document.execute(ParkIdea(document, text)))
            return
        node = canvas.current
        graph = canvas.document.graph
        category: str | None
        if isinstance(parse_node(node), CauseRef):
            parent = graph.parent(node)
            index: int | None = graph.index_of(node) + 1
            category = graph.cause(node).category
        else:
            parent, index, category = HEAD, None, self._category_of(node)
        self.ask_text(node, "", lambda text: self._add(parent, text, category, index))

    def add_child(self) -> None:
        """Tab ("ask why"): a cause of the selected cause (of the cause an open question ends)."""
        node = self.canvas.current or HEAD
        ref = parse_node(node)
        if isinstance(ref, QuestionRef):
            node = ref.cause_id
            ref = CauseRef(ref.cause_id)
        if isinstance(ref, CauseRef):
            self.ask_text(node, "", lambda text: self._add(node, text, None, None))
        else:
            category = self._category_of(node)
            self.ask_text(node, "", lambda text: self._add(HEAD, text, category, None))

    def _add(self, parent: str, text: str, category: str | None, index: int | None) -> None:
        document = self.canvas.document
        document.execute(AddCause(document, parent, text, category=category, index=index))

    def rename(self) -> None:
        """F2: edit the selected cause's text (or the problem statement) in place."""
        node = self.canvas.current
        document = self.canvas.document
        match parse_node(node):
            case ProblemRef():
                self.ask_text(
                    HEAD,
                    document.graph.problem,
                    lambda text: document.execute(SetProblem(document, text)),
                )
            case CauseRef(cause_id):
                old = document.graph.cause(cause_id).text
                self.ask_text(
                    cause_id,
                    old,
                    lambda text: (
                        None
                        if text == old
                        else document.execute(EditCause(document, cause_id, text=text))
                    ),
                )

    def delete_current(self) -> None:
        """Delete: remove the selected cause with its sub-causes; the document's change
        selects a neighbour (the next sibling, else the previous, else the parent)."""
        ref = parse_node(self.canvas.current)
        if isinstance(ref, CauseRef):
            self.canvas.document.execute(RemoveCause(self.canvas.document, ref.cause_id))

    def toggle_root_cause(self) -> None:
        """Ctrl+R: mark the selected cause as a root cause, or unmark it."""
        ref = parse_node(self.canvas.current)
        if isinstance(ref, CauseRef):
            document = self.canvas.document
            flag = not document.graph.cause(ref.cause_id).root_cause
            document.execute(EditCause(document, ref.cause_id, root_cause=flag))

    def set_category(self, category: str) -> None:
        """Move the selected cause to ``category`` (the toolbar's category box)."""
        ref = parse_node(self.canvas.current)
        if isinstance(ref, CauseRef):
            document = self.canvas.document
            if document.graph.cause(ref.cause_id).category != category:
                document.execute(EditCause(document, ref.cause_id, category=category))

    def move_cause(self, cause: str, target: str) -> bool:
        """Drop ``cause`` on ``target`` (a cause, an open question, a category or the head)."""
        document = self.canvas.document
        if target == cause:
            return False
        ref = parse_node(target)
        if isinstance(ref, CategoryRef):
            return document.execute(MoveCause(document, cause, HEAD, category=ref.name))
        if isinstance(ref, QuestionRef):
            ref = CauseRef(ref.cause_id)
        if isinstance(ref, ProblemRef | CauseRef):
            if ref.node == document.graph.parent(cause):
                return False
            return document.execute(MoveCause(document, cause, ref.node))
        return False

    # ------------------------------------------------------- in-place editor
    def ask_text(self, anchor: str, text: str, commit: Callable[[str], object]) -> None:
        """Open the editor over (or next to) ``anchor``; Enter commits, Escape cancels."""
        canvas = self.canvas
        if self.editor.widget is not None:  # keep what was typed in the previous one
            self.editor.commit()
            if anchor not in canvas.labels and not isinstance(parse_node(anchor), CategoryRef):
                anchor = canvas.current or HEAD
        item = canvas.labels.get(anchor)
        rect = None
        if item is not None:
            # Scroll to the anchor first (with room for a new cause's box below it), so
            # what is typed never goes into a box nobody can see (issue 14).
            below = 0 if text else EDITOR_HEIGHT + 12
            canvas.ensureVisible(qrect(item.label.rect).adjusted(0, 0, 0, below), 20, 20)
            rect = canvas.mapFromScene(qrect(item.label.rect)).boundingRect()
        self.editor.open(rect, text, commit)

    # ------------------------------------------------------------- keyboard
    def key_press(self, event: QKeyEvent) -> bool:
        """Handle a key on the canvas; ``False`` leaves it to the view (scrolling)."""
        key, mods = event.key(), event.modifiers()
        mods &= ~Qt.KeyboardModifier.KeypadModifier
        plain = mods == Qt.KeyboardModifier.NoModifier
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            self.add_sibling()
        elif key == Qt.Key.Key_Tab and plain:
            self.add_child()
        elif key == Qt.Key.Key_F2:
            self.rename()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and plain:
            self.delete_current()
        elif key in _ARROWS and plain:
            self.step(_ARROWS[key])
        elif key == Qt.Key.Key_Home and plain:
            self.canvas.set_current(HEAD)
        elif key in _DIGITS and mods == Qt.KeyboardModifier.ControlModifier:
            self._go(self.outline().category(_DIGITS[key]))
        elif key == Qt.Key.Key_E and (plain or mods == Qt.KeyboardModifier.ShiftModifier):
            self.cycle_evidence(+1 if plain else -1)
        elif key == Qt.Key.Key_C and plain:
            self.pick_category()
        elif key == Qt.Key.Key_P and plain:
            self.place_parked()
        elif key == Qt.Key.Key_Escape:
            self.canvas.set_current(None)
        else:
            return False
        return True

    def outline(self) -> Outline:
        """The tree the arrow keys follow, over what the canvas shows now."""
        canvas = self.canvas
        labels = canvas.labels
        return Outline(
            canvas.document.graph,
            canvas.kind,
            labels,
            lambda node: labels[node].label.rect.center[1] < 0,  # the spine is at y = 0
        )

    def step(self, arrow: str) -> None:
        """An arrow key: along the outline (see :mod:`~rca_desk.ui.canvas.navigation`)."""
        current = self.canvas.current
        if current is None or current not in self.canvas.labels:
            self._go(HEAD)
            return
        self._go(getattr(self.outline(), arrow)(current))

    def _go(self, node: str | None) -> None:
        if node is not None and node in self.canvas.labels:
            self.canvas.set_current(node)

    def cycle_evidence(self, step: int = 1) -> None:
        """E: the selected cause's next evidence status (Shift+E: the previous one)."""
        ref = parse_node(self.canvas.current)
        if not isinstance(ref, CauseRef):
            return
        document = self.canvas.document
        order = list(Evidence)
        now = document.graph.cause(ref.cause_id).evidence
        evidence = order[(order.index(now) + step) % len(order)]
        document.execute(EditCause(document, ref.cause_id, evidence=evidence))

    def place_parked(self) -> None:
        """P: the parking lot's first idea onto the diagram at the selection, so the room
        can sort its ideas bone by bone without leaving the keyboard (or the slide)."""
        canvas = self.canvas
        parking = canvas.document.incident.parking
        if not parking:
            canvas.message.emit("The parking lot is empty: I or the capture box parks an idea.")
            return
        self.place_idea(parking[0].id, canvas.current)

    def place_idea(self, idea_id: str, node: str | None) -> bool:
        """A parked idea onto ``node`` (:func:`~rca_desk.ui.canvas.nodes.placing_target`);
        the selection stays on ``node``, so the next idea can go there too."""
        canvas = self.canvas
        target = placing_target(node)
        if target is None:
            canvas.message.emit(PLACE_HINT)
            return False
        document = canvas.document
        try:
            command = PlaceIdea(document, idea_id, *target)
        except RcaError as error:  # dragged from elsewhere, or placed meanwhile
            canvas.message.emit(str(error))
            return False
        if not document.execute(command):
            return False
        canvas.set_current(node)
        return True

    # ------------------------------------------------- a dropped parked idea
    def drag_enter(self, event: QDragEnterEvent | QDragMoveEvent) -> bool:
        """A parked idea dragged over the diagram: outline the label it would land on."""
        if not event.mimeData().hasFormat(IDEA_MIME):
            return False
        event.acceptProposedAction()
        self._dragging = True
        self._drop_target = self.canvas.node_at(event.position())
        self.canvas.viewport().update()
        return True

    def drag_leave(self) -> None:
        self._dragging = False
        self._drop_target = None
        self.canvas.viewport().update()

    def drop(self, event: QDropEvent) -> bool:
        """A parked idea dropped on a cause or a category's title: placed there. The drop
        is a copy (the list follows the document, not the drag) and is taken only when
        the idea was placed."""
        if not event.mimeData().hasFormat(IDEA_MIME):
            return False
        idea_id = bytes(event.mimeData().data(IDEA_MIME).data()).decode("utf-8")
        node = self.canvas.node_at(event.position())
        self.drag_leave()
        if self.place_idea(idea_id, node):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()
        return True

    def pick_category(self) -> None:
        """C: a menu of the categories at the selected cause; arrows and Enter pick one."""
        canvas = self.canvas
        ref = parse_node(canvas.current)
        if not isinstance(ref, CauseRef):
            return
        now = canvas.document.graph.cause(ref.cause_id).category
        menu = QMenu(canvas)
        menu.setObjectName("categoryPicker")
        for number, name in enumerate(canvas.document.graph.categories, 1):
            act = menu.addAction(f"&{number}  {name}" if number < 10 else name)
            act.setCheckable(True)
            act.setChecked(name == now)
            act.setData(name)
            if name == now:
                menu.setActiveAction(act)
        rect = canvas.mapFromScene(qrect(canvas.labels[ref.cause_id].label.rect)).boundingRect()
        chosen = menu.exec(canvas.viewport().mapToGlobal(rect.bottomLeft()))
        if chosen is not None:
            self.set_category(str(chosen.data()))

    # ---------------------------------------------------------------- mouse
    def mouse_press(self, event: QMouseEvent) -> bool:
        """A press on a label selects it and may start a drag; elsewhere the view pans."""
        canvas = self.canvas
        node = canvas.node_at(event.position())
        if self.editor.widget is not None:
            self.editor.commit()  # a click elsewhere keeps the text, as leaving a field does
            node = canvas.node_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and node is not None:
            canvas.set_current(node, ensure_visible=False)
            self._press = (event.position(), node)
            self._dragging = False
            canvas.setDragMode(QGraphicsView.DragMode.NoDrag)
            return True
        canvas.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        return False

    def mouse_move(self, event: QMouseEvent) -> bool:
        if self._press is None:
            return False
        if not isinstance(parse_node(self._press[1]), CauseRef):
            return False
        start, _node = self._press
        if (event.position() - start).manhattanLength() > DRAG_DISTANCE:
            viewport = self.canvas.viewport()
            self._dragging = True
            viewport.setCursor(Qt.CursorShape.ClosedHandCursor)
            self._drop_target = self.canvas.node_at(event.position())
            viewport.update()
        return True

    def mouse_release(self, event: QMouseEvent) -> bool:
        """The end of a press on a label: a drag drops the cause on what is under the mouse."""
        if self._press is None:
            return False
        _start, node = self._press
        self._press = None
        viewport = self.canvas.viewport()
        viewport.unsetCursor()
        if self._dragging:
            self._dragging = False
            target = self.canvas.node_at(event.position())
            self._drop_target = None
            if target is not None and target != node:
                self.move_cause(node, target)
            viewport.update()
        return True

    def mouse_double_click(self, event: QMouseEvent) -> bool:
        """Double click: rename a cause or the head; on a category or a question, ask why."""
        node = self.canvas.node_at(event.position())
        if node is None:
            return False
        self.canvas.set_current(node)
        if isinstance(parse_node(node), CategoryRef | QuestionRef):
            self.add_child()
        else:
            self.rename()
        return True

    def paint_drop_target(self, painter: QPainter) -> None:
        """While dragging, outline the label the cause would be dropped on."""
        labels = self.canvas.labels
        if self._dragging and self._drop_target in labels:
            target = labels[self._drop_target].label.rect
            painter.setPen(QPen(QColor("#1976D2"), 2, Qt.PenStyle.DashLine))
            painter.setBrush(QColor(25, 118, 210, 40))
            painter.drawRoundedRect(qrect(target).adjusted(-6, -6, 6, 6), 6, 6)


__all__ = ["CANVAS_KEYS", "DRAG_DISTANCE", "CanvasInteractions", "InPlaceEditor"]
