"""The canvas: a QGraphicsView that shows one view (fishbone or five whys) of a document.

It observes the document: after every change it lays the graph out again (fast enough to
do on each edit) and updates its items in place, keyed by node id, so the view never jumps.
The view itself does zoom, fit, pan and selection; the items live in
:mod:`~rca_desk.ui.canvas.items`, the keys, drags and in-place editor that edit the
document in :mod:`~rca_desk.ui.canvas.interactions`, and what a node id refers to in
:mod:`~rca_desk.ui.canvas.nodes`.

========================  =====================================================
Ctrl+wheel, Ctrl +/-      zoom; Ctrl+0 fits; drag the background to pan
Ctrl+Shift+F              slide frame: lay out and fit as the 16:9 slide shows it
========================  =====================================================

In the slide frame the canvas shows what ``--page slide`` exports (and presentation mode
will show): the layout chosen for 16:9 with the legend, fitted to a 16:9 rectangle. The
style is chosen when the frame is turned on and kept while editing, so labels keep their
shape; resizing the window only fits the frame again, it never lays out again.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QPlainTextEdit, QWidget

from rca_desk.layout.fishbone import FishboneStyle
from rca_desk.layout.framing import style_for_frame
from rca_desk.layout.text import TextCache
from rca_desk.render.diagram import Diagram, View, build_diagram
from rca_desk.render.metrics import QtMetrics
from rca_desk.render.pages import SLIDE_FRAME, slide
from rca_desk.render.paint import paint_legend
from rca_desk.ui.canvas.interactions import CanvasInteractions
from rca_desk.ui.canvas.items import BoneItem, DiagramItems, LabelItem, node_of
from rca_desk.ui.document.changes import Changes
from rca_desk.ui.document.incident_document import IncidentDocument

MIN_ZOOM, MAX_ZOOM = 0.05, 6.0
#: How much room the view keeps around the selected label when it scrolls to show it.
VISIBLE_MARGIN = 40


class DiagramCanvas(QGraphicsView):
    """Shows one document in one view and lets a facilitator edit it there.

    One canvas per view of an open incident (the incident tab holds a fishbone and a
    five-whys canvas over the same document), so an edit in either shows in both.

    Signals: ``currentChanged(str)`` with the selected node (a cause id, the head, a
    category or question node, or "" for none), so the inspector and toolbar can follow.
    """

    #: The selected node changed (a cause id, the head, a category node, or "").
    currentChanged = Signal(str)
    #: A hint for the status line (what to select first); refusals come from the document.
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
        self.current: str | None = None
        #: The slide frame's aspect ratio and the fishbone style chosen for it, or None.
        self.frame: float | None = None
        self._frame_style: FishboneStyle | None = None
        self._sized = False  # the scene rect was set once (it only grows from then on)

        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setBackgroundBrush(QBrush(QColor("#fbfbfb")))
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(True)  # parked ideas, dragged from the parking lot
        self.scene().selectionChanged.connect(self._scene_selection_changed)
        self.scene_items = DiagramItems(self.scene())
        self.interactions = CanvasInteractions(self)
        self._observe(document)
        self.rebuild()

    def _observe(self, document: IncidentDocument) -> None:
        """Follow every change of ``document`` (the only place the canvas connects to it)."""
        document.changed.connect(self._document_changed)

    @property
    def labels(self) -> dict[str, LabelItem]:
        """The label items by node id."""
        return self.scene_items.labels

    @property
    def bones(self) -> list[BoneItem]:
        return self.scene_items.bones

    # ------------------------------------------------------------ building
    def rebuild(self) -> None:
        """Lay out again and update items in place (added, changed, removed by node id)."""
        diagram = build_diagram(
            self.document.incident,
            self.kind,
            self.metrics,
            today=self.today(),
            cache=self.cache,
            frame=self.frame,
            style=self._frame_style,
        )
        self.diagram = diagram
        self.scene_items.update(diagram)
        scene = self.scene()
        scene.update()  # the legend is painted in the foreground
        self._update_scene_rect()
        if self.current is not None and self.current not in self.labels:
            self.current = None
        self._sync_selection()

    def _update_scene_rect(self) -> None:
        """Room around the diagram of at least a viewport on every side, never shrinking.

        A scene smaller than the viewport is centred by the view, so each edit that
        grows the diagram would shift the whole picture; a scene that shrinks clamps the
        scroll bars and drags it along. With this much room the scroll bars always have
        range, so a scene point stays where it is on the screen whatever an edit does to
        the diagram's bounds (both layouts keep the head at the scene's origin).
        """
        if self.diagram is None:
            return
        b = self.diagram.bounds
        zoom = self.zoom() or 1.0
        mx = max(200.0, self.viewport().width() / zoom)
        my = max(200.0, self.viewport().height() / zoom)
        room = QRectF(b.x - mx, b.y - my, b.w + 2 * mx, b.h + 2 * my)
        scene = self.scene()
        if not self._sized or not scene.sceneRect().contains(room):
            scene.setSceneRect(room.united(scene.sceneRect()) if self._sized else room)
            self._sized = True

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
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
        """Select ``node`` (``None`` or a node not shown clears the selection)."""
        if node is not None and node not in self.labels:
            node = None
        self.current = node
        self._sync_selection()
        if node is not None and ensure_visible:
            self.ensureVisible(self.labels[node], VISIBLE_MARGIN, VISIBLE_MARGIN)
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

    def node_at(self, pos: QPointF) -> str | None:
        """The node under ``pos`` (viewport pixels): a label, or a category bone's title."""
        for item in self.items(pos.toPoint()):
            node = node_of(item)
            if node is not None:
                return node
        return None

    # ------------------------------------------------ editing (interactions)
    @property
    def editor(self) -> QPlainTextEdit | None:
        """The open in-place editor, or ``None``."""
        return self.interactions.editor.widget

    def commit_editor(self) -> None:
        """Keep what is typed in the in-place editor (if open) and close it."""
        self.interactions.editor.commit()

    def close_editor(self) -> None:
        """Close the in-place editor, dropping what was typed."""
        self.interactions.editor.close()

    def add_sibling(self) -> None:
        self.interactions.add_sibling()

    def add_child(self) -> None:
        self.interactions.add_child()

    def rename(self) -> None:
        self.interactions.rename()

    def delete_current(self) -> None:
        self.interactions.delete_current()

    def toggle_root_cause(self) -> None:
        self.interactions.toggle_root_cause()

    def set_category(self, category: str) -> None:
        self.interactions.set_category(category)

    def move_cause(self, cause: str, target: str) -> bool:
        return self.interactions.move_cause(cause, target)

    def step(self, arrow: str) -> None:
        """Move the selection as an arrow key does: "left", "right", "up" or "down"."""
        self.interactions.step(arrow)

    # ------------------------------------------------------ events (forwarded)
    def focusNextPrevChild(self, forward: bool) -> bool:
        return False  # Tab belongs to "ask why", not to focus movement

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.interactions.key_press(event):
            event.accept()
            return
        super().keyPressEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self.interactions.drag_enter(event):
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if not self.interactions.drag_enter(event):
            super().dragMoveEvent(event)

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self.interactions.drag_leave()
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        if not self.interactions.drop(event):
            super().dropEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.interactions.mouse_press(event):
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self.interactions.mouse_move(event):
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.interactions.mouse_release(event):
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.interactions.mouse_double_click(event):
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        super().drawBackground(painter, rect)
        self.interactions.paint_drop_target(painter)

    # ----------------------------------------------------------------- zoom
    def zoom_by(self, factor: float) -> None:
        current = self.transform().m11()
        factor = max(MIN_ZOOM / current, min(MAX_ZOOM / current, factor))
        self.scale(factor, factor)
        self._update_scene_rect()

    def zoom(self) -> float:
        return float(self.transform().m11())

    def set_slide_frame(self, on: bool) -> None:
        """Lay out and fit as the slide shows it (``on``), or as the tight diagram again."""
        if on == (self.frame is not None):
            return
        self.frame, self._frame_style = None, None
        if on:
            self.frame = SLIDE_FRAME
            if self.kind is View.FISHBONE:
                graph = self.document.incident.graph
                self._frame_style = style_for_frame(
                    graph,
                    self.metrics,
                    SLIDE_FRAME,
                    self.cache,
                    titles=graph.category_titles(sep="\n"),
                )
        self.rebuild()
        self.fit()

    def slide_rect(self) -> QRectF | None:
        """The scene rectangle the slide shows (16:9 around the diagram), in the frame."""
        if self.frame is None or self.diagram is None:
            return None
        page = slide(self.diagram.bounds)
        return QRectF(
            -page.dx / page.scale,
            -page.dy / page.scale,
            page.width / page.scale,
            page.height / page.scale,
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_scene_rect()
        if self.frame is not None:  # fit the frame again; the layout stays as it is
            self.fit()

    def fit(self) -> None:
        """Show the whole diagram, but never larger than 1.5x (a small one stays readable);
        in the slide frame, show exactly the slide."""
        if self.diagram is None:
            return
        frame = self.slide_rect()
        b = self.diagram.bounds
        target = frame if frame is not None else QRectF(b.x, b.y, b.w, b.h)
        self.fitInView(target, Qt.AspectRatioMode.KeepAspectRatio)
        if frame is None and self.zoom() > 1.5:
            self.resetTransform()
            self.scale(1.5, 1.5)
        # The room round the diagram starts again from this zoom (the view moves anyway,
        # so a smaller scene costs no jump); then centre on what was fitted.
        self._sized = False
        self._update_scene_rect()
        self.centerOn(target.center())

    def reset_zoom(self) -> None:
        self.resetTransform()
        self._update_scene_rect()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            self.zoom_by(math.pow(1.15, steps))
            event.accept()
            return
        super().wheelEvent(event)


__all__ = ["DiagramCanvas"]
