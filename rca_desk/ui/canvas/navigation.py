"""Where the arrow keys go: the diagram's outline, so a facilitator learns it in a minute.

"The nearest label that way" made reaching a given bone take three to six presses and a
look at the screen (issue 14). The keys follow the tree the diagram draws instead:

* Left and Right go to the parent and the first child. The fishbone's head is on the
  right, so there Right goes towards the problem; in the five whys, which read from the
  problem on the left, Left does.
* Up and Down go to the previous and next sibling in reading order. In the fishbone's
  upper half siblings run upwards from the spine, so there Up goes to the next one.
* Home is the problem; Ctrl+1..9 are the category bones (in the five whys, the first
  answer filed under that category).

The outline is the view's own tree: the fishbone hangs first-level causes on their
category bone (head -> category -> cause -> ...), the five whys hangs them on the head
and ends an unfinished chain in its open question. Pure logic over the graph and the
node ids the layout drew; no Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Container

from rca_desk.layout.geometry import category_node
from rca_desk.layout.whys import question_node
from rca_desk.model import HEAD, CauseGraph
from rca_desk.render.diagram import View
from rca_desk.ui.canvas.nodes import CategoryRef, CauseRef, ProblemRef, QuestionRef, parse_node

__all__ = ["Outline"]


class Outline:
    """The tree of what one view shows, for keyboard moves.

    ``shown`` holds the node ids the layout drew; ``is_upper(node)`` says whether a node
    sits in the fishbone's upper half (its siblings then run up the screen).
    """

    def __init__(
        self,
        graph: CauseGraph,
        view: View,
        shown: Container[str],
        is_upper: Callable[[str], bool] = lambda _node: False,
    ) -> None:
        self.graph = graph
        self.view = view
        self.shown = shown
        self.is_upper = is_upper

    # ------------------------------------------------------------- the tree
    def parent(self, node: str) -> str | None:
        match parse_node(node):
            case CauseRef(cause_id) if cause_id in self.graph:
                parent = self.graph.parent(cause_id)
                if parent == HEAD and self.view is View.FISHBONE:
                    return category_node(self.graph.cause(cause_id).category)
                return parent
            case CategoryRef():
                return HEAD
            case QuestionRef(cause_id):
                return cause_id
        return None

    def children(self, node: str) -> list[str]:
        graph = self.graph
        match parse_node(node):
            case ProblemRef():
                if self.view is View.FISHBONE:
                    return [category_node(name) for name in graph.categories]
                return list(graph.children(HEAD))
            case CategoryRef(name):
                return [c for c in graph.children(HEAD) if graph.cause(c).category == name]
            case CauseRef(cause_id) if cause_id in graph:
                kids = list(graph.children(cause_id))
                question = question_node(cause_id)
                return [*kids, question] if question in self.shown else kids
        return []

    def siblings(self, node: str) -> list[str]:
        parent = self.parent(node)
        return [node] if parent is None else self.children(parent)

    # ------------------------------------------------------------- the keys
    def left(self, node: str) -> str | None:
        return self._out(node) if self.view is View.FISHBONE else self.parent(node)

    def right(self, node: str) -> str | None:
        return self.parent(node) if self.view is View.FISHBONE else self._out(node)

    def up(self, node: str) -> str | None:
        return self._sibling(node, +1 if self._runs_up(node) else -1)

    def down(self, node: str) -> str | None:
        return self._sibling(node, -1 if self._runs_up(node) else +1)

    def category(self, number: int) -> str | None:
        """Category ``number`` (1-based) as this view shows it, or None."""
        names = self.graph.categories
        if not 1 <= number <= len(names):
            return None
        name = names[number - 1]
        if self.view is View.FISHBONE:
            return category_node(name)
        return next(iter(self.children(category_node(name))), None)

    def _out(self, node: str) -> str | None:
        kids = [kid for kid in self.children(node) if kid in self.shown]
        return kids[0] if kids else None

    def _runs_up(self, node: str) -> bool:
        # Causes in the upper half stack up the screen; category bones stand along the
        # spine, so their order is the reading order whichever half they are in.
        return (
            self.view is View.FISHBONE
            and isinstance(parse_node(node), CauseRef)
            and self.is_upper(node)
        )

    def _sibling(self, node: str, step: int) -> str | None:
        row = [n for n in self.siblings(node) if n in self.shown]
        if node not in row:
            return None
        i = row.index(node) + step
        return row[i] if 0 <= i < len(row) else None
