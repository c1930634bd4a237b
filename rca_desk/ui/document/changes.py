"""What one change to an incident touched, so each view refreshes only that.

After Anki's ``OpChanges``: the document sends one :class:`Changes` notice per change
(and one per batch of changes), naming the incident fields, causes and actions it touched
and who started it. A view skips a notice it started itself (the inspector does not
reload the box the person is typing in) and ignores notices about parts it does not
show.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Incident "fields" that change the diagrams as well as the form.
DRAWN_FIELDS = frozenset({"problem", "categories", "whys_depth"})
#: Record kinds that findings read: the check-ins and the client's recovery.
FINDING_RECORDS = ("check_ins", "restitution", "measures", "measure_values", "confidence")


@dataclass(frozen=True)
class Changes:
    """One change notice. Empty sets mean "not touched"; ``everything`` means reload."""

    #: Names of the incident's own fields that changed (``Incident.FIELDS``, plus
    #: ``"problem"`` and ``"categories"``).
    incident: frozenset[str] = field(default_factory=frozenset)
    #: Cause ids added, changed, moved or removed; for a removal, also the parent that
    #: lost it, so a view can keep that place in sight.
    causes: frozenset[str] = field(default_factory=frozenset)
    #: Uids of actions added, changed or removed.
    actions: frozenset[str] = field(default_factory=frozenset)
    #: Ids of parked ideas added or taken out of the parking lot (not drawn).
    ideas: frozenset[str] = field(default_factory=frozenset)
    #: Records added, changed or removed, as (kind, id): timeline events, participants,
    #: check-ins (see ``Incident.RECORD_KINDS``). Not drawn; check-ins have findings.
    records: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    #: The whole incident was read again (another window or process changed it).
    everything: bool = False
    #: Who asked for the change (a widget), or ``None`` for undo, redo and reloads.
    initiator: object | None = None
    #: The node where the change happened (a new cause, a removed cause's parent, the
    #: problem), for a diagram to select and keep in sight; ``None`` leaves it alone.
    focus: str | None = None

    @property
    def drawing(self) -> bool:
        """Whether the fishbone or five-whys drawing may look different now."""
        # Actions change a root cause's badge and warning marks, so they count too.
        return bool(self.everything or self.causes or self.actions or self.incident & DRAWN_FIELDS)

    @property
    def graph(self) -> bool:
        """Whether the cause graph itself (causes, links, problem, categories) changed."""
        return bool(self.everything or self.causes or self.incident & {"problem", "categories"})

    @property
    def beside_the_diagram(self) -> bool:
        """Only the parking lot, the timeline or the participants changed: nothing drawn,
        no finding, no action moved. (A check-in can be due or missed, and the client's
        recovery records can put the client at risk: findings.)"""
        quiet = (self.ideas or self.records) and not any(map(self.touches, FINDING_RECORDS))
        return bool(quiet and not (self.everything or self.causes or self.actions or self.incident))

    def touches(self, kind: str) -> bool:
        """Whether records of ``kind`` may look different now."""
        return self.everything or any(k == kind for k, _ in self.records)

    def merged(self, other: Changes) -> Changes:
        """Both notices as one (a batch of changes sends one notice)."""
        return Changes(
            incident=self.incident | other.incident,
            causes=self.causes | other.causes,
            actions=self.actions | other.actions,
            ideas=self.ideas | other.ideas,
            records=self.records | other.records,
            everything=self.everything or other.everything,
            initiator=self.initiator if self.initiator is other.initiator else None,
            focus=other.focus or self.focus,
        )

    def started_by(self, who: object) -> bool:
        return who is not None and self.initiator is who


def cause_changes(*ids: str, initiator: object | None = None) -> Changes:
    return Changes(causes=frozenset(ids), initiator=initiator)


def incident_changes(*names: str, initiator: object | None = None) -> Changes:
    return Changes(incident=frozenset(names), initiator=initiator)


def action_changes(*uids: str, initiator: object | None = None) -> Changes:
    return Changes(actions=frozenset(uids), initiator=initiator)


EVERYTHING = Changes(everything=True)
