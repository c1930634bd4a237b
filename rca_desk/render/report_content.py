"""What goes into an incident's RCA report, as plain data (issue 15). No Qt here.

Two variants come from one incident. The **team's** report is the whole analysis. The
**client's** (``--for-client``) follows the table in ``docs/client-report.md``: it keeps
what the client was promised (summary, impact, timeline, the diagrams, the root causes
and their evidence status, the actions and how they will be checked, the check-ins, the
review meeting, the lessons) and leaves out what is the team's own (evidence notes and
stop reasons, the timeline's sources, owners and action notes, who spoke in each
check-in, the participants, the findings, and causes that are still only a hypothesis).
What is left out is never put into the content at all, so no renderer can show it.

The PDF, HTML and Markdown renderers draw the same :class:`ReportContent`, so the three
formats have the same sections under the same titles (:data:`SECTION_TITLES`), and the
builder can run away from the GUI thread: it checks ``cancelled`` between sections.

User text stays as it was typed here; each renderer escapes or draws it as plain text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from rca_desk.model import Evidence, Incident, PreventiveAction, findings
from rca_desk.model.actions import COVERING_STATUSES
from rca_desk.model.follow_ups import CheckIn, CheckInState, check_in_state
from rca_desk.model.incident import IMPACT_FIELDS
from rca_desk.model.recovery_state import Series, has_recovery, recovery_state, series
from rca_desk.render.diagram import View
from rca_desk.render.pagination import part_of

__all__ = [
    "FREE_TEXT_WARNING",
    "SECTION_TITLES",
    "Block",
    "Cancelled",
    "Fields",
    "Figure",
    "Paragraph",
    "ReportCancelled",
    "ReportContent",
    "Section",
    "SectionId",
    "Subheading",
    "Table",
    "Variant",
    "check_cancelled",
    "client_drawing",
    "never",
    "report_content",
    "sections_in",
    "sections_of",
]


#: What the client's report cannot promise, said wherever it is made (docs, the app).
FREE_TEXT_WARNING = (
    "Names written inside free text (a cause, a timeline event, a check-in's summary, a "
    "lesson) are not found: they are shown as written. Read the client's report before "
    "you send it."
)


class Variant(StrEnum):
    """Who the report is for."""

    TEAM = "team"
    CLIENT = "client"


class SectionId(StrEnum):
    """The report's sections, in the order every format shows them."""

    SUMMARY = "summary"
    IMPACT = "impact"
    TIMELINE = "timeline"
    FISHBONE = "fishbone"
    WHYS = "whys"
    ROOT_CAUSES = "root-causes"
    ACTIONS = "actions"
    COVERAGE = "coverage"
    FOLLOW_UP = "follow-up"
    #: Only when the incident has a recovery on record (:func:`sections_in`).
    RECOVERY = "recovery"
    LESSONS = "lessons"
    PARTICIPANTS = "participants"
    FINDINGS = "findings"


#: The one place the sections' titles are written: every format's headings come from here.
SECTION_TITLES: dict[SectionId, str] = {
    SectionId.SUMMARY: "Summary",
    SectionId.IMPACT: "Impact",
    SectionId.TIMELINE: "Timeline",
    SectionId.FISHBONE: "Fishbone diagram",
    SectionId.WHYS: "Five whys",
    SectionId.ROOT_CAUSES: "Root causes",
    SectionId.ACTIONS: "Preventive actions",
    SectionId.COVERAGE: "Coverage",
    SectionId.FOLLOW_UP: "Check-ins and review",
    SectionId.RECOVERY: "Client recovery",
    SectionId.LESSONS: "Lessons learned",
    SectionId.PARTICIPANTS: "Participants",
    SectionId.FINDINGS: "Open findings",
}

#: The team's own sections, which the client's report leaves out whole.
_TEAM_ONLY = frozenset({SectionId.PARTICIPANTS, SectionId.FINDINGS})


def sections_of(variant: Variant) -> tuple[SectionId, ...]:
    """The sections a report of ``variant`` can have, in order."""
    return tuple(s for s in SectionId if variant is Variant.TEAM or s not in _TEAM_ONLY)


def sections_in(incident: Incident, variant: Variant) -> tuple[SectionId, ...]:
    """The sections the report of ``incident`` has: the client's recovery only when
    something of it is on record (an incident that hurt no client says nothing of it)."""
    return tuple(
        s for s in sections_of(variant) if s is not SectionId.RECOVERY or has_recovery(incident)
    )


# ----------------------------------------------------------------- cancelling
#: Asked between sections and pages: True stops the build (:class:`ReportCancelled`).
Cancelled = Callable[[], bool]


class ReportCancelled(Exception):  # noqa: N818 (it is an outcome, not a fault)
    """The person cancelled the report; nothing was written."""


def never() -> bool:
    """The default ``cancelled``: a report built to the end."""
    return False


def check_cancelled(cancelled: Cancelled) -> None:
    """Raise :class:`ReportCancelled` when ``cancelled()`` says so."""
    if cancelled():
        raise ReportCancelled("The report was cancelled; nothing was written.")


# --------------------------------------------------------------------- blocks
@dataclass(frozen=True)
class Paragraph:
    """Text that may run over lines (its line breaks are kept); ``note``: said in
    passing, in smaller or quieter type ("No events recorded yet.")."""

    text: str
    note: bool = False


@dataclass(frozen=True)
class Subheading:
    """A heading inside a section (one preventive action)."""

    text: str


@dataclass(frozen=True)
class Fields:
    """Labelled values, one a line: ``(label, value)``; a value may run over lines."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    """A table with a header row; ``widths`` are the columns' shares of the width
    (relative numbers), for the formats that set them."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]

    def __post_init__(self) -> None:
        assert len(self.widths) == len(self.header)
        assert all(len(row) == len(self.header) for row in self.rows)


@dataclass(frozen=True)
class Figure:
    """One of the two diagrams of :attr:`ReportContent.drawing`, drawn by the renderer."""

    view: View


Block = Paragraph | Subheading | Fields | Table | Figure


@dataclass(frozen=True)
class Section:
    """One section of the report: which one (its title is :data:`SECTION_TITLES`'), and
    what it says."""

    id: SectionId
    blocks: tuple[Block, ...]

    @property
    def title(self) -> str:
        return SECTION_TITLES[self.id]


@dataclass(frozen=True)
class ReportContent:
    """One report: its variant, its title and what is said under it (``subtitle``: what
    report it is; ``details``: the incident's client, when it occurred, its status and
    severity, as labelled values), and its sections.

    ``drawing`` is the incident the diagrams draw: the incident itself for the team; for
    the client a copy without hypothesis-only causes, evidence notes or stop reasons
    (:func:`client_drawing`), drawn without guidance marks (``guidance`` is False).
    """

    variant: Variant
    title: str
    subtitle: str
    details: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    drawing: Incident = field(repr=False)
    today: date

    @property
    def guidance(self) -> bool:
        return self.variant is Variant.TEAM

    def section(self, section_id: SectionId) -> Section:
        for section in self.sections:
            if section.id is section_id:
                return section
        raise KeyError(section_id)


# ---------------------------------------------------------------- formatting
NOT_SET = "not set"


def day(value: date | None, missing: str = NOT_SET) -> str:
    return value.isoformat() if value is not None else missing


def moment(value: datetime | None, missing: str = NOT_SET) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else missing


# -------------------------------------------------------------- the client's copy
def client_drawing(incident: Incident) -> Incident:
    """The incident as the client's diagrams draw it.

    A cause that is still a hypothesis, with nothing but hypotheses below it, is left
    out: it is an idea the team has not yet looked into. A marked root cause stays
    whatever its evidence (the actions address it; the report says its evidence
    status), and so does every cause on the way to a cause that stays. Evidence notes
    and stop reasons are emptied. The copy is for drawing: it holds the actions as they
    are, for the diagrams' action badges.
    """
    graph = incident.graph
    kept: set[str] = set()
    for cause_id in reversed(list(graph.cause_ids())):  # children before parents
        cause = graph.cause(cause_id)
        if (
            cause.evidence is not Evidence.HYPOTHESIS
            or cause.root_cause
            or any(child in kept for child in graph.children(cause_id))
        ):
            kept.add(cause_id)
    part = part_of(graph, kept)
    for cause_id in kept:
        part.update_cause(cause_id, evidence_note="", stop_reason="")
    return Incident(
        title=incident.title,
        graph=part,
        occurred_at=incident.occurred_at,
        affected=incident.affected,
        severity=incident.severity,
        status=incident.status,
        whys_depth=incident.whys_depth,
        actions=list(incident.actions),
        uid=incident.uid,
        id=incident.id,
    )


# ------------------------------------------------------------------ sections
def report_content(
    incident: Incident, *, variant: Variant, today: date, cancelled: Cancelled = never
) -> ReportContent:
    """The report of ``incident`` for ``variant``, as of ``today`` (check-in states,
    findings); raises :class:`ReportCancelled` when ``cancelled()`` turns true."""
    team = variant is Variant.TEAM
    drawing = incident if team else client_drawing(incident)
    sections = []
    for section_id in sections_in(incident, variant):
        check_cancelled(cancelled)
        blocks = _SECTIONS[section_id](incident, drawing, team, today)
        sections.append(Section(section_id, tuple(blocks)))
    who = "internal, for the team" if team else "for the client"
    return ReportContent(
        variant=variant,
        title=incident.title,
        subtitle=f"Root cause analysis report, {who}, as of {today.isoformat()}",
        details=(
            ("Client", incident.affected or NOT_SET),
            ("Occurred", moment(incident.occurred_at)),
            ("Status", incident.status.label),
            ("Severity", incident.severity.label),
        ),
        sections=tuple(sections),
        drawing=drawing,
        today=today,
    )


_Builder = Callable[[Incident, Incident, bool, date], Sequence[Block]]


def _summary(incident: Incident, drawing: Incident, team: bool, today: date) -> list[Block]:
    blocks: list[Block] = [
        # The client, severity and status are in the title block above.
        Fields(
            (
                ("Problem", incident.graph.problem),
                ("Occurred", moment(incident.occurred_at)),
                ("Service restored", day(incident.resolved_at, "not yet")),
            )
        )
    ]
    if incident.description:
        blocks.append(Paragraph(incident.description))
    if incident.containment:
        blocks += [Subheading("Containment"), Paragraph(incident.containment)]
    return blocks


def _impact(incident: Incident, drawing: Incident, team: bool, today: date) -> list[Block]:
    impact = incident.impact
    return [
        Fields(
            tuple(
                (name.capitalize(), getattr(impact, name) or "not recorded")
                for name in IMPACT_FIELDS
            )
        )
    ]


def _timeline(incident: Incident, drawing: Incident, team: bool, today: date) -> list[Block]:
    events = sorted(incident.timeline, key=lambda event: event.at)
    if not events:
        return [Paragraph("No events recorded.", note=True)]
    header: tuple[str, ...]
    widths: tuple[int, ...]
    rows: tuple[tuple[str, ...], ...]
    if team:
        header, widths = ("When", "What happened", "Source"), (2, 6, 3)
        rows = tuple((moment(e.at), e.what, e.source) for e in events)
    else:
        header, widths = ("When", "What happened"), (2, 8)
        rows = tuple((moment(e.at), e.what) for e in events)
    return [Table(header, rows, widths)]


def _figure(view: View) -> _Builder:
    def figure(incident: Incident, drawing: Incident, team: bool, today: date) -> list[Block]:
        blocks: list[Block] = [Figure(view)]
        hidden = len(incident.graph) - len(drawing.graph)
        if hidden:
            blocks.append(
                Paragraph(
                    "Causes that are still only a hypothesis, with nothing established "
                    "below them, are not shown.",
                    note=True,
                )
            )
        return blocks

    return figure


def _root_causes(incident: Incident, drawing: Incident, team: bool, today: date) -> list[Block]:
    """The root causes with their evidence; for the team also the notes and stop
    reasons, and the evidence recorded on the other causes of the chains."""
    graph = incident.graph
    causes = [graph.cause(c) for c in graph.root_causes()]
    blocks: list[Block] = []
    rows: tuple[tuple[str, ...], ...]
    if not causes:
        blocks.append(Paragraph("No root cause has been marked yet.", note=True))
    elif team:
        header = ("Root cause", "Category", "Evidence", "Evidence note", "Stop reason")
        rows = tuple(
            (c.text, c.category, c.evidence.label, c.evidence_note, c.stop_reason) for c in causes
        )
        blocks.append(Table(header, rows, (5, 3, 2, 4, 4)))
    else:
        rows = tuple((c.text, c.category, c.evidence.label) for c in causes)
        blocks.append(Table(("Root cause", "Category", "Evidence"), rows, (7, 2, 2)))
    noted = [c for c in graph.causes() if not c.root_cause and (c.evidence_note or c.stop_reason)]
    if team and noted:
        rows = tuple((c.text, c.evidence.label, c.evidence_note, c.stop_reason) for c in noted)
        blocks += [
            Subheading("Evidence along the chains"),
            Table(("Cause", "Evidence", "Evidence note", "Stop reason"), rows, (5, 2, 5, 4)),
        ]
    return blocks


def _measure(action: PreventiveAction) -> str:
    if not (action.metric or action.target):
        return NOT_SET
    return f"{action.metric or NOT_SET} (target: {action.target or NOT_SET})"


def _actions(incident: Incident, drawing: Incident, team: bool, today: date) -> list[Block]:
    if not incident.actions:
        return [Paragraph("No preventive action has been proposed yet.", note=True)]
    graph = incident.graph
    blocks: list[Block] = []
    for number, action in enumerate(incident.actions, 1):
        rows = [("Addresses", "\n".join(graph.cause(c).text for c in action.root_causes))]
        if team:
            rows.append(("Owner", action.owner or NOT_SET))
        rows += [
            ("Strength", action.strength.label),
            ("Status", action.status.label),
            ("Due", day(action.due)),
            ("Success measure", _measure(action)),
            ("Verification date", day(action.verify_on)),
            ("Measured result", action.measured_result or "not measured yet"),
        ]
        if team and action.notes:
            rows.append(("Notes", action.notes))
        blocks += [Subheading(f"{number}. {action.title}"), Fields(tuple(rows))]
        if team and action.history:
            history = tuple(
                (
                    moment(change.at),
                    change.to_status.label
                    if change.from_status is None
                    else f"{change.from_status.label} to {change.to_status.label}",
                    change.note,
                )
                for change in action.history
            )
            blocks.append(Table(("When", "Status", "Note"), history, (2, 3, 6)))
    return blocks


def _coverage(incident: Incident, drawing: Incident, team: bool, today: date) -> list[Block]:
    graph = incident.graph
    roots = graph.root_causes()
    if not roots:
        return [Paragraph("No root cause has been marked yet.", note=True)]
    rows = []
    for cause_id in roots:
        covering = [
            a.title for a in incident.actions_for(cause_id) if a.status in COVERING_STATUSES
        ]
        rows.append(
            (
                graph.cause(cause_id).text,
                "yes" if covering else "no",
                "\n".join(covering) or "no committed action",
            )
        )
    covered = sum(row[1] == "yes" for row in rows)
    said = (
        f"{covered} of {len(roots)} root causes are covered by a committed preventive "
        "action (committed, in progress, implemented or verified effective)."
    )
    return [Paragraph(said), Table(("Root cause", "Covered", "By"), tuple(rows), (10, 3, 10))]


def next_check_in(check_ins: Sequence[CheckIn], today: date) -> CheckIn | None:
    """The earliest check-in not yet held that is planned or due (see
    :func:`~rca_desk.model.follow_ups.check_in_state`); a missed one is behind us."""
    waiting = [
        c for c in check_ins if check_in_state(c, today) in (CheckInState.PLANNED, CheckInState.DUE)
    ]
    return min(waiting, key=lambda c: c.planned, default=None)


def _follow_up(incident: Incident, drawing: Incident, team: bool, today: date) -> list[Block]:
    check_ins = sorted(incident.check_ins, key=lambda c: c.planned)
    upcoming = next_check_in(check_ins, today)
    following = NOT_SET
    if upcoming is not None:
        following = f"{day(upcoming.planned)} ({check_in_state(upcoming, today).value})"
    held = sum(c.held is not None for c in check_ins)
    blocks: list[Block] = [
        Fields(
            (
                ("Service restored", day(incident.resolved_at, "not yet")),
                ("Check-ins held", f"{held} of {len(check_ins)}"),
                ("Next check-in", following),
                ("Review meeting", day(incident.review_meeting)),
            )
        )
    ]
    if not check_ins:
        blocks.append(Paragraph("No check-ins planned yet.", note=True))
        return blocks
    header: tuple[str, ...]
    widths: tuple[int, ...]
    rows: tuple[tuple[str, ...], ...]
    if team:
        header = ("Planned", "Held", "State", "Channel", "Who spoke", "Summary")
        widths = (2, 2, 2, 2, 3, 6)
        rows = tuple(
            (
                day(c.planned),
                day(c.held, "-"),
                check_in_state(c, today).value,
                c.channel.label,
                "\n".join(
                    f"{side}: {who}" for side, who in (("us", c.ours), ("client", c.theirs)) if who
                ),
                c.summary,
            )
            for c in check_ins
        )
    else:
        header, widths = ("Planned", "Held", "State", "Summary"), (2, 2, 2, 8)
        rows = tuple(
            (day(c.planned), day(c.held, "-"), check_in_state(c, today).value, c.summary)
            for c in check_ins
        )
    blocks += [Subheading("Check-ins"), Table(header, rows, widths)]
    return blocks


def _trend(line: Series) -> str:
    """The last two values compared, or why there is no trend yet."""
    return line.trend or ("first value" if line.points else "no value yet")


def _recovery(incident: Incident, drawing: Incident, team: bool, today: date) -> list[Block]:
    """The apology, restitution, and the agreed measures and confidence over the
    check-ins held. The client sees that the apology was made and when, what was offered
    and where it stands, the measures against their targets and the confidence they gave;
    who apologised to whom and how, the offers' notes, the client's own words and the
    team's judgement that they are at risk are the team's."""
    apology = incident.apology
    state = recovery_state(incident, today)
    lines = series(incident)
    *measures, confidence = lines
    rows: list[tuple[str, str]] = []
    if apology.made:
        said = f"made on {day(apology.on)}"
        if team:
            who = "".join(
                part for part in (f" by {apology.by}" if apology.by else "",
                                  f" to {apology.to}" if apology.to else "") if part
            )  # fmt: skip
            said += f"{who} ({apology.channel.label})"
        rows.append(("Apology", said))
    elif team:
        rows.append(("Apology", "none on record"))
    streak = incident.restore_streak
    rows.append(
        (
            "Trust restored",
            "yes"
            if state.restored
            else f"not yet: every agreed measure on target at "
            f"{streak} check-in{'s' if streak != 1 else ''} held in a row",
        )
    )
    if confidence.points:
        last = confidence.points[-1]
        rows.append(
            (
                "Client confidence",
                f"{last.value:g} of 5 at the check-in of {day(last.held)} ({_trend(confidence)})",
            )
        )
    if team:
        rows.append(("Client at risk", "\n".join(state.risks) or "no"))
    blocks: list[Block] = [Fields(tuple(rows))]
    if incident.restitution:
        offers = tuple(
            (
                offer.kind.label,
                day(offer.offered_on),
                offer.status.value,
                offer.amount_text,
                *((offer.note,) if team else ()),
            )
            for offer in sorted(incident.restitution, key=lambda o: (o.offered_on, o.id))
        )
        header = ("Restitution", "Offered", "Status", "Amount")
        blocks += [
            Subheading("Restitution"),
            Table((*header, "Note") if team else header, offers, (3, 2, 2, 2, 4)[: 4 + team]),
        ]
    if measures:
        blocks += [
            Subheading("Agreed measures"),
            Table(
                ("Measure", "Target", "Latest", "Trend"),
                tuple(
                    (
                        line.name,
                        line.measure.target_text,
                        line.measure.value_text(line.points[-1].value) if line.points else "-",
                        _trend(line),
                    )
                    for line in measures
                    if line.measure is not None
                ),
                (5, 3, 2, 2),
            ),
        ]
    at_check_ins = [
        (day(point.held), line.name, line.measure.value_text(point.value),
         "yes" if line.measure.met(point.value) else "no")
        for line in measures if line.measure is not None
        for point in line.points
    ]  # fmt: skip
    words = {rating.check_in_id: rating.words for rating in incident.confidence}
    at_check_ins += [
        (day(point.held), "Client confidence", f"{point.value:g} of 5"
         + (f": {words[point.check_in_id]}" if team and words.get(point.check_in_id) else ""), "")
        for point in confidence.points
    ]  # fmt: skip
    if at_check_ins:
        at_check_ins.sort(key=lambda row: row[0])  # stable: measures, then confidence
        blocks += [
            Subheading("At each check-in held"),
            Table(("Held", "Measure", "Value", "On target"), tuple(at_check_ins), (2, 5, 4, 2)),
        ]
    return blocks


def _lessons(incident: Incident, drawing: Incident, team: bool, today: date) -> list[Block]:
    if not incident.lessons.strip():
        return [Paragraph("None recorded yet.", note=True)]
    return [Paragraph(incident.lessons.strip())]


def _participants(incident: Incident, drawing: Incident, team: bool, today: date) -> list[Block]:
    if not incident.participants:
        return [Paragraph("No participants recorded.", note=True)]
    rows = tuple((p.name, p.role) for p in incident.participants)
    return [Table(("Name", "Role"), rows, (1, 1))]


def _findings(incident: Incident, drawing: Incident, team: bool, today: date) -> list[Block]:
    found = findings(incident, today=today)
    if not found:
        return [Paragraph("No open findings.", note=True)]
    rows = tuple((f.kind.info.level.value, f.kind.info.name, f.message) for f in found)
    return [Table(("Level", "Finding", "Detail"), rows, (1, 3, 6))]


_SECTIONS: dict[SectionId, _Builder] = {
    SectionId.SUMMARY: _summary,
    SectionId.IMPACT: _impact,
    SectionId.TIMELINE: _timeline,
    SectionId.FISHBONE: _figure(View.FISHBONE),
    SectionId.WHYS: _figure(View.WHYS),
    SectionId.ROOT_CAUSES: _root_causes,
    SectionId.ACTIONS: _actions,
    SectionId.COVERAGE: _coverage,
    SectionId.FOLLOW_UP: _follow_up,
    SectionId.RECOVERY: _recovery,
    SectionId.LESSONS: _lessons,
    SectionId.PARTICIPANTS: _participants,
    SectionId.FINDINGS: _findings,
}
