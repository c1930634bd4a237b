"""The canvas: a QGraphicsView that shows one view (fishbone or five whys) of a document.

It observes the document: after every change it lays the graph out again (fast enough to
do on each edit) and updates its items in place, keyed by node id, so the view never jumps.
Every edit it makes goes through an undoable command. Keyboard first:

========================  =====================================================
Enter                     add a sibling cause (on a category or the head: a first-level cause)
Tab                       ask why: add a cause under the selected one
F2 / double click         rename in place (Enter keeps, Escape cancels)
Delete                    delete the cause with its sub-causes (undoable)
arrow keys                move the selection to the nearest label that way
Ctrl+R                    mark or unmark as root cause
drag a cause              drop it on another cause, a category bone or the head to move it
Ctrl+wheel, Ctrl +/-      zoom; Ctrl+0 fits; drag the background to pan
========================  =====================================================
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QLineF, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsScene,
    QGraphicsView,
    QPlainTextEdit,
    QStyleOptionGraphicsItem,
    QWidget,
)

from rca_desk.layout.geometry import Bone, Label, category_node
from rca_desk.layout.text import TextCache
from rca_desk.model import HEAD
from rca_desk.render.diagram import Decor, Diagram, View, build_diagram
from rca_desk.render.metrics import QtMetrics
from rca_desk.render.paint import bone_pen, paint_label, qrect
from rca_desk.ui.common.plain import tooltip
from rca_desk.ui.document.cause_commands import AddCause, EditCause, MoveCause, RemoveCause
from rca_desk.ui.document.changes import Changes
from rca_desk.ui.document.incident_document import IncidentDocument

LABEL_Z = 10.0
BONE_Z = 0.0
MIN_ZOOM, MAX_ZOOM = 0.05, 6.0
DRAG_DISTANCE = 6.0


def is_cause(node: str | None) -> bool:
    return node is not None and node != HEAD and not node.startswith(("category:", "?"))


class LabelItem(QGraphicsItem):
    """One label; paints itself with the same code the exports use."""

    def __init__(self, label: Label, decor: Decor) -> None:
        super().__init__()
        self.label = label
        self.decor = decor
        self.setZValue(LABEL_Z)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setAcceptHoverEvents(True)
        self._update_tooltip()

    @property
    def node(self) -> str:
        return self.label.node

    def set(self, label: Label, decor: Decor) -> None:
        if label == self.label and decor == self.decor:
            return
        if label.rect != self.label.rect:
            self.prepareGeometryChange()
        self.label, self.decor = label, decor
        self._update_tooltip()
        self.update()

    def _update_tooltip(self) -> None:
        parts = ["\n".join(self.label.block.lines).replace("\n", " ")]
        d = self.decor
        if d.evidence is not None:
            parts.append(f"Evidence: {d.evidence.label}")
        if d.root_cause:
            parts.append("Root cause")
        if d.actions:
            parts.append(f"{d.actions} preventive action(s); worst: {d.health}")
        elif d.uncovered:
            parts.append("Root cause with no committed preventive action")
        if d.blame:
            parts.append("Blames a person: ask what let the slip happen")
        self.setToolTip(tooltip("\n".join(parts)))

    def boundingRect(self) -> QRectF:
        return qrect(self.label.rect).adjusted(-8, -9, 9, 4)

    def shape(self) -> Any:
        from PySide6.QtGui import QPainterPath

        path = QPainterPath()
        path.addRect(qrect(self.label.rect))
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        paint_label(painter, self.label, self.decor, selected=self.isSelected())


class BoneItem(QGraphicsLineItem):
    def __init__(self, bone: Bone, color: str) -> None:
        super().__init__()
        self.setZValue(BONE_Z)
        self.set(bone, color)

    def set(self, bone: Bone, color: str) -> None:
        if getattr(self, "bone", None) == bone and getattr(self, "color", None) == color:
            return
        self.bone, self.color = bone, color
        s = bone.segment
        self.setLine(QLineF(s.x1, s.y1, s.x2, s.y2))
        self.setPen(bone_pen(bone, color))


class DiagramCanvas(QGraphicsView):
    """Shows and edits one document in one view."""

    #: The selected node changed (a cause id, the head, a category node, or "").
    currentChanged = Signal(str)
    #: A message for the status bar.
    message = Signal(str)

    def __init__(
        self,
        document: IncidentDocument,
        view: View,
        *,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.kind = view
        self.today = today
        self.metrics = QtMetrics()
        self.cache = TextCache()
        self.diagram: Diagram | None = None
        self.labels: dict[str, LabelItem] = {}
        self.bones: list[BoneItem] = []
        self.current: str | None = None
        self.editor: QPlainTextEdit | None = None
        self._edit_commit: Callable[[str], object] | None = None
        self._press: tuple[QPointF, str] | None = None
        self._dragging = False
        self._drop_target: str | None = None

        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setBackgroundBrush(QBrush(QColor("#fbfbfb")))
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.scene().selectionChanged.connect(self._scene_selection_changed)
        document.changed.connect(self._document_changed)
        self.rebuild()

    # ------------------------------------------------------------ building
    def rebuild(self) -> None:
        """Lay out again and update items in place (added, changed, removed by node id)."""
        incident = self.document.incident
        diagram = build_diagram(
            incident, self.kind, self.metrics, today=self.today(), cache=self.cache
        )
        self.diagram = diagram
        scene = self.scene()
        seen: set[str] = set()
        for node, label in diagram.labels.items():
            decor = diagram.decor[node]
            item = self.labels.get(node)
            if item is None:
                item = LabelItem(label, decor)
                self.labels[node] = item
                scene.addItem(item)
            else:
                item.set(label, decor)
            seen.add(node)
        for node in set(self.labels) - seen:
            scene.removeItem(self.labels.pop(node))
        for i, bone in enumerate(diagram.bones):
            owner = diagram.decor.get(bone.owner)
            color = owner.color if owner else "#222222"
            if i < len(self.bones):
                self.bones[i].set(bone, color)
            else:
                item_b = BoneItem(bone, color)
                self.bones.append(item_b)
                scene.addItem(item_b)
        for extra in self.bones[len(diagram.bones) :]:
            scene.removeItem(extra)
        del self.bones[len(diagram.bones) :]
        self._legend_changed()
        b = diagram.bounds.adjusted(200)
        scene.setSceneRect(QRectF(b.x, b.y, b.w, b.h))
        if self.current is not None and self.current not in self.labels:
            self.current = None
        self._sync_selection()

    def _legend_changed(self) -> None:
        self.scene().update()

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        from rca_desk.render.paint import paint_legend

        if self.diagram is not None:
            paint_legend(painter, self.diagram)

    def _document_changed(self, changes: Changes) -> None:
        """Redraw only when the drawing may differ; select where the change happened."""
        if not changes.drawing:
            return
        self.rebuild()
        if changes.focus is not None and changes.focus in self.labels:
            self.set_current(changes.focus)

    # ----------------------------------------------------------- selection
    def set_current(self, node: str | None, *, ensure_visible: bool = True) -> None:
        if node is not None and node not in self.labels:
            node = None
        self.current = node
        self._sync_selection()
        if node is not None and ensure_visible:
            self.ensureVisible(self.labels[node], 40, 40)
        self.currentChanged.emit(node or "")

    def _sync_selection(self) -> None:
        scene = self.scene()
        scene.blockSignals(True)
        try:
            for item in scene.selectedItems():
                if not isinstance(item, LabelItem) or item.node != self.current:
                    item.setSelected(False)
            if self.current is not None:
                self.labels[self.current].setSelected(True)
        finally:
            scene.blockSignals(False)
        scene.update()

    def _scene_selection_changed(self) -> None:
        selected = [i for i in self.scene().selectedItems() if isinstance(i, LabelItem)]
        node = selected[0].node if selected else None
        if node != self.current:
            self.current = node
            self.currentChanged.emit(node or "")

    # -------------------------------------------------------------- editing
    def _category_of(self, node: str) -> str | None:
        graph = self.document.graph
        if node.startswith("category:"):
            return node.removeprefix("category:")
        if is_cause(node):
            return graph.cause(node).category
        return None

    def add_sibling(self) -> None:
        """Enter: another answer to the same "why?" as the selected cause."""
        node = self.current or HEAD
        graph = self.document.graph
        category: str | None
        if is_cause(node):
            parent = graph.parent(node)
            index: int | None = graph.index_of(node) + 1
            category = graph.cause(node).category
        else:
            parent, index, category = HEAD, None, self._category_of(node)
        self._ask_text(node, "", lambda text: self._add(parent, text, category, index))

    def add_child(self) -> None:
        """Tab ("ask why"): a cause of the selected cause."""
        node = self.current or HEAD
        if node.startswith("?"):
            node = node[1:]
        if is_cause(node):
            self._ask_text(node, "", lambda text: self._add(node, text, None, None))
        else:
            category = self._category_of(node)
            self._ask_text(node, "", lambda text: self._add(HEAD, text, category, None))

    def _add(self, parent: str, text: str, category: str | None, index: int | None) -> None:
        self.document.execute(AddCause(self.document, parent, text, category=category, index=index))

    def rename(self) -> None:
        """F2: edit the selected cause's text (or the problem statement) in place."""
        node = self.current
        if node is None:
            return
        if node == HEAD:
            from rca_desk.ui.document.cause_commands import SetProblem

            self._ask_text(
                node,
                self.document.graph.problem,
                lambda text: self.document.execute(SetProblem(self.document, text)),
            )
        elif is_cause(node):
            old = self.document.graph.cause(node).text
            self._ask_text(
                node,
                old,
                lambda text: (
                    None
                    if text == old
                    else self.document.execute(EditCause(self.document, node, text=text))
                ),
            )

    def delete_current(self) -> None:
        node = self.current
        if not is_cause(node):
            return
        assert node is not None
        graph = self.document.graph
        parent = graph.parent(node)
        siblings = list(graph.children(parent))
        i = siblings.index(node)
        after = siblings[i + 1] if i + 1 < len(siblings) else siblings[i - 1] if i else parent
        if self.document.execute(RemoveCause(self.document, node)):
            if after == HEAD and self.kind is View.FISHBONE:
                self.set_current(HEAD)
            else:
                self.set_current(after)

    def toggle_root_cause(self) -> None:
        node = self.current
        if is_cause(node):
            assert node is not None
            flag = not self.document.graph.cause(node).root_cause
            self.document.execute(EditCause(self.document, node, root_cause=flag))

    def set_category(self, category: str) -> None:
        node = self.current
        if is_cause(node):
            assert node is not None
            if self.document.graph.cause(node).category != category:
                self.document.execute(EditCause(self.document, node, category=category))

    def move_cause(self, cause: str, target: str) -> bool:
        """Drop ``cause`` on ``target`` (a cause, a category or the head)."""
        graph = self.document.graph
        if target == cause:
            return False
        if target.startswith("category:"):
            category = target.removeprefix("category:")
            return self.document.execute(MoveCause(self.document, cause, HEAD, category=category))
        if target.startswith("?"):
            target = target[1:]
        if target == HEAD or is_cause(target):
            if target == graph.parent(cause):
                return False
            return self.document.execute(MoveCause(self.document, cause, target))
        return False

    # ------------------------------------------------------- in-place editor
    def _ask_text(self, anchor: str, text: str, commit: Callable[[str], object]) -> None:
        """Open a small editor over (or next to) ``anchor``; Enter commits, Escape cancels."""
        if self.editor is not None:  # keep what was typed in the previous one
            self.commit_editor()
            if anchor not in self.labels and not anchor.startswith("category:"):
                anchor = self.current or HEAD
        editor = QPlainTextEdit(self.viewport())
        editor.setObjectName("inPlaceEditor")
        editor.setPlainText(text)
        editor.selectAll()
        editor.setTabChangesFocus(True)
        editor.setPlaceholderText("Why? Type the cause, Enter to keep, Escape to cancel")
        item = self.labels.get(anchor)
        if item is not None:
            rect = self.mapFromScene(qrect(item.label.rect)).boundingRect()
            top_left = rect.topLeft() if text else rect.bottomLeft()
            width = max(rect.width(), 260)
        else:
            top_left, width = self.viewport().rect().center(), 260
        editor.setGeometry(top_left.x(), top_left.y() + (0 if text else 6), int(width), 64)
        editor.installEventFilter(self)
        editor.show()
        editor.setFocus(Qt.FocusReason.OtherFocusReason)
        self.editor = editor
        self._edit_commit = commit

    def commit_editor(self) -> None:
        editor, commit = self.editor, self._edit_commit
        self.close_editor()
        if editor is not None and commit is not None:
            text = editor.toPlainText().strip()
            if text:
                commit(text)
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def close_editor(self) -> None:
        if self.editor is not None:
            editor = self.editor
            self.editor = None
            self._edit_commit = None
            editor.removeEventFilter(self)
            editor.hide()
            editor.deleteLater()

    def eventFilter(self, watched: Any, event: QEvent) -> bool:
        if watched is self.editor and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            ):
                self.commit_editor()
                return True
            if key == Qt.Key.Key_Escape:
                self.close_editor()
                self.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        if watched is self.editor and event.type() == QEvent.Type.FocusOut:
            QTimer.singleShot(0, self._commit_if_still_open)
        return super().eventFilter(watched, event)

    def _commit_if_still_open(self) -> None:
        if self.editor is not None and not self.editor.hasFocus():
            self.commit_editor()

    # ------------------------------------------------------------- keyboard
    def focusNextPrevChild(self, forward: bool) -> bool:
        return False  # Tab belongs to "ask why", not to focus movement

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        plain = mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            self.add_sibling()
        elif key == Qt.Key.Key_Tab and plain:
            self.add_child()
        elif key == Qt.Key.Key_F2:
            self.rename()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and plain:
            self.delete_current()
        elif key in _DIRECTIONS and plain:
            self.step(key)
        elif key == Qt.Key.Key_Escape:
            self.set_current(None)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def step(self, key: int) -> None:
        """Move the selection to the nearest label in the arrow's direction."""
        if self.current is None:
            self.set_current(HEAD)
            return
        dx, dy = _DIRECTIONS[key]
        here = self.labels[self.current].label.rect
        cx, cy = here.center
        best: tuple[float, str] | None = None
        for node, item in self.labels.items():
            if node == self.current:
                continue
            x, y = item.label.rect.center
            along = (x - cx) * dx + (y - cy) * dy
            if along <= 1:
                continue
            across = abs((x - cx) * dy - (y - cy) * dx)
            score = along + 2.5 * across
            if best is None or score < best[0]:
                best = (score, node)
        if best is not None:
            self.set_current(best[1])

    # ---------------------------------------------------------------- mouse
    def node_at(self, pos: QPointF) -> str | None:
        for item in self.items(pos.toPoint()):
            if isinstance(item, LabelItem):
                return item.node
            if isinstance(item, BoneItem) and item.bone.kind == "category":
                return item.bone.owner
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        node = self.node_at(event.position())
        if self.editor is not None:
            self.commit_editor()  # a click elsewhere keeps the text, as leaving a field does
            node = self.node_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and node is not None:
            self.set_current(node, ensure_visible=False)
            self._press = (event.position(), node)
            self._dragging = False
            self.setDragMode(QGraphicsView.DragMode.NoDrag)
            event.accept()
            return
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is not None and is_cause(self._press[1]):
            start, _node = self._press
            if (event.position() - start).manhattanLength() > DRAG_DISTANCE:
                self._dragging = True
                self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
                self._drop_target = self.node_at(event.position())
                self.viewport().update()
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._press is not None:
            _start, node = self._press
            self._press = None
            self.viewport().unsetCursor()
            if self._dragging:
                self._dragging = False
                target = self.node_at(event.position())
                self._drop_target = None
                if target is not None and target != node:
                    self.move_cause(node, target)
                self.viewport().update()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        node = self.node_at(event.position())
        if node is not None:
            self.set_current(node)
            if node.startswith(("category:", "?")):
                self.add_child()
            else:
                self.rename()
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        super().drawBackground(painter, rect)
        if self._dragging and self._drop_target in self.labels:
            target = self.labels[self._drop_target].label.rect
            painter.setPen(QPen(QColor("#1976D2"), 2, Qt.PenStyle.DashLine))
            painter.setBrush(QColor(25, 118, 210, 40))
            painter.drawRoundedRect(qrect(target).adjusted(-6, -6, 6, 6), 6, 6)

    # ----------------------------------------------------------------- zoom
    def zoom_by(self, factor: float) -> None:
        current = self.transform().m11()
        factor = max(MIN_ZOOM / current, min(MAX_ZOOM / current, factor))
        self.scale(factor, factor)

    def zoom(self) -> float:
        return float(self.transform().m11())

    def fit(self) -> None:
        if self.diagram is None:
            return
        b = self.diagram.bounds
        self.fitInView(QRectF(b.x, b.y, b.w, b.h), Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom() > 1.5:
            self.resetTransform()
            self.scale(1.5, 1.5)
            self.centerOn(QPointF(*b.center))

    def reset_zoom(self) -> None:
        self.resetTransform()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            self.zoom_by(math.pow(1.15, steps))
            event.accept()
            return
        super().wheelEvent(event)


_DIRECTIONS: dict[int, tuple[int, int]] = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}

__all__ = ["BoneItem", "DiagramCanvas", "LabelItem", "category_node", "is_cause"]
