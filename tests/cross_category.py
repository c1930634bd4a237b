"""One incident that has a cause of one category in another category's chain.

The case of docs/categories.md: a Methods sub-cause (and a Methods root cause below it)
in a Machines chain. Every view and export must place them on the Machines branch, draw
them in the Methods colour, note them on the Methods title ("(+2 on other bones)") and
count them for Methods.

* ``press`` "Press stopped mid-batch" (Machines, first level)

  * ``lube`` "Lubrication skipped at changeover" (Methods)

    * ``checklist`` "Changeover checklist has no lubrication step" (Methods, root cause)

* ``instruction`` "Work instruction not updated after the retrofit" (Methods, first level)
* ``operator`` "Operator was new on the line" (People, first level, root cause)
"""

from __future__ import annotations

from rca_desk.layout.palette import category_color
from rca_desk.model import HEAD, CauseGraph, Evidence, Incident

CATEGORIES = ["Machines", "Methods", "People"]
MACHINES, METHODS, PEOPLE = CATEGORIES
#: The Methods causes in the Machines chain, and the rest.
IN_MACHINES_CHAIN = ("lube", "checklist")
METHODS_TITLE = "Methods (+2 on other bones)"


def color(category: str) -> str:
    return category_color(CATEGORIES, category)


def cross_category_incident() -> Incident:
    graph = CauseGraph(problem="Batch 4411 scrapped", categories=list(CATEGORIES))
    graph.add_cause(HEAD, text="Press stopped mid-batch", category=MACHINES, cause_id="press")
    graph.add_cause(
        "press",
        text="Lubrication skipped at changeover",
        category=METHODS,
        cause_id="lube",
        evidence=Evidence.SUPPORTED,
    )
    graph.add_cause(
        "lube",
        text="Changeover checklist has no lubrication step",
        category=METHODS,
        cause_id="checklist",
        root_cause=True,
        evidence=Evidence.VERIFIED,
    )
    graph.add_cause(
        HEAD,
        text="Work instruction not updated after the retrofit",
        category=METHODS,
        cause_id="instruction",
    )
    graph.add_cause(
        HEAD,
        text="Operator was new on the line",
        category=PEOPLE,
        cause_id="operator",
        root_cause=True,
    )
    return Incident(title="Scrapped batch on press 3", graph=graph)
