"""The scene's items for one diagram, kept by node id so an edit updates them in place.

A relayout after every edit hands over a whole new :class:`~rca_desk.render.diagram.Diagram`;
:class:`DiagramItems` turns it into added, changed and removed items instead of rebuilding
the scene, so selection, focus and the scroll position survive and nothing flickers. The
items only paint (with the same code the exports use); they never change the model.
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QPainter, QPainterPath
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsScene,
    QStyleOptionGraphicsItem,
    QWidget,
)

from rca_desk.layout.geometry import Bone, Label
from rca_desk.render.diagram import Decor, Diagram
from rca_desk.render.paint import bone_pen, paint_label, qrect
from rca_desk.ui.common.plain import tooltip

LABEL_Z = 10.0
BONE_Z = 0.0
#: The colour of a bone whose owner has no decoration.
BONE_INK = "#222222"


class LabelItem(QGraphicsItem):
    """One label; paints itself with the same code the exports use, so screen and file match."""

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
        """Show ``label`` with ``decor``; repaints only when something changed."""
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

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(qrect(self.label.rect))
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        paint_label(painter, self.label, self.decor, selected=self.isSelected())


class BoneItem(QGraphicsLineItem):
    """One line of the diagram (spine, category bone, rib, connector); a drop target by owner."""

    def __init__(self, bone: Bone, color: str) -> None:
        super().__init__()
        self.setZValue(BONE_Z)
        self.set(bone, color)

    def set(self, bone: Bone, color: str) -> None:
        """Show ``bone`` in ``color``; does nothing when both are unchanged."""
        if getattr(self, "bone", None) == bone and getattr(self, "color", None) == color:
            return
        self.bone, self.color = bone, color
        s = bone.segment
        self.setLine(QLineF(s.x1, s.y1, s.x2, s.y2))
        self.setPen(bone_pen(bone, color))


class DiagramItems:
    """The label items (by node id) and bone items (by position) of one scene.

    Labels are matched by node id so an edited cause keeps its item (and its selection);
    bones have no identity of their own and are reused in order.
    """

    def __init__(self, scene: QGraphicsScene) -> None:
        self.scene = scene
        self.labels: dict[str, LabelItem] = {}
        self.bones: list[BoneItem] = []

    def update(self, diagram: Diagram) -> None:
        """Make the scene show ``diagram``: add, change and remove items by node id."""
        scene = self.scene
        labels = self.labels
        seen: set[str] = set()
        for node, label in diagram.labels.items():
            decor = diagram.decor[node]
            item = labels.get(node)
            if item is None:
                item = LabelItem(label, decor)
                labels[node] = item
                scene.addItem(item)
            else:
                item.set(label, decor)
            seen.add(node)
        for node in set(labels) - seen:
            scene.removeItem(labels.pop(node))
        bones = self.bones
        for i, bone in enumerate(diagram.bones):
            owner = diagram.decor.get(bone.owner)
            color = owner.color if owner else BONE_INK
            if i < len(bones):
                bones[i].set(bone, color)
            else:
                item_b = BoneItem(bone, color)
                bones.append(item_b)
                scene.addItem(item_b)
        for extra in bones[len(diagram.bones) :]:
            scene.removeItem(extra)
        del bones[len(diagram.bones) :]


def node_of(item: QGraphicsItem) -> str | None:
    """The node a click or a drop on ``item`` means: a label's node or a category bone's."""
    if isinstance(item, LabelItem):
        return item.node
    if isinstance(item, BoneItem) and item.bone.kind == "category":
        return item.bone.owner
    return None


__all__ = ["BONE_Z", "LABEL_Z", "BoneItem", "DiagramItems", "LabelItem", "node_of"]
