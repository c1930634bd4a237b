"""``rca-desk [--workspace PATH|URL] [SUBCOMMAND]``.

The workspace is a file, or a database on a PostgreSQL server named by its
``postgresql://`` address. With no subcommand the GUI opens on the workspace. Every
subcommand is headless. Errors a user can cause print one line, ``rca-desk: error: ...``,
on stderr and exit with status 2; ``check`` exits with 1 when it has findings. Nothing
here prints a traceback unless ``RCA_DESK_DEBUG=1`` is set.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from rca_desk import __version__
from rca_desk.cli.display_check import check_display_libraries
from rca_desk.cli.terminal import json_safe, safe_streams
from rca_desk.interchange import (
    ImportRefusedError,
    atomic_write_bytes,
    dumps,
    import_incidents,
    read_json_document,
)
from rca_desk.interchange.files import write_files
from rca_desk.interchange.ical import actions_to_ics
from rca_desk.interchange.sample import sample_incidents
from rca_desk.interchange.tables import to_csv, to_table
from rca_desk.model import ActionStatus, Finding, Incident, RcaError, findings
from rca_desk.model.analysis import FindingKind
from rca_desk.model.search_terms import query_terms, words
from rca_desk.store import (
    ENV_VAR,
    ActionRow,
    BrokenIncidentError,
    DamagedIncidentError,
    IncidentSummary,
    Workspace,
    WorkspaceError,
    WorkspaceStore,
    open_workspace,
    resolve_workspace,
    resolve_workspace_path,
)
from rca_desk.store.filesystems import network_filesystem, network_warning
from rca_desk.store.presence import holder

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERNAL = 70
#: The commands that change the workspace (``backup`` only reads it).
WRITING_COMMANDS = frozenset({"demo", "import", "restore", "repair"})


class UsageError(RcaError):
    """A value on the command line is wrong."""


def _iso_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rca-desk",
        description="Root cause analysis workshops: fishbone diagrams, five-whys chains "
        "and tracked preventive actions. With no subcommand, opens the app.",
        epilog=f"The workspace is --workspace, else ${ENV_VAR}, else "
        f"{resolve_workspace_path(None) if not os.environ.get(ENV_VAR) else 'the default'}. "
        "Either may name a workspace file or a PostgreSQL database, "
        "postgresql://[user@]host[:port]/database[?sslmode=...]; the password goes in your "
        "password file (PGPASSFILE, by default ~/.pgpass), never in the address.",
    )
    parser.add_argument(
        "--workspace",
        metavar="PATH|URL",
        help="the workspace to use: a file, or a postgresql://host/database address",
    )
    parser.add_argument("--version", action="version", version=f"rca-desk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="SUBCOMMAND")

    sub.add_parser("demo", help="add the sample incident to the workspace")

    p = sub.add_parser("list", help="list the incidents")
    p.add_argument("--json", action="store_true", help="print a JSON array")

    p = sub.add_parser("import", help="import incidents from an rca-desk JSON file")
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--verbose", action="store_true", help="on refusal, list every problem, one per line"
    )

    p = sub.add_parser("export-json", help="export incidents as rca-desk JSON")
    p.add_argument("--incident", metavar="ID", help="only this incident (id or uid)")
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="file, or - for stdout")

    p = sub.add_parser("export", help="export an incident's diagram (image, DOT, Mermaid, GraphML)")
    p.add_argument("--incident", metavar="ID", required=True, help="the incident (id or uid)")
    p.add_argument("--view", choices=("fishbone", "whys"), default="fishbone")
    p.add_argument(
        "--format",
        choices=("png", "svg", "pdf", "dot", "mmd", "graphml"),
        help="default: from the output file's extension",
    )
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="file, or - for stdout")
    p.add_argument("--scale", type=float, default=2.0, help="PNG scale (default 2)")
    p.add_argument("--dpi", type=float, help="PNG resolution instead of --scale (96 dpi = 1x)")
    p.add_argument("--transparent", action="store_true", help="PNG/SVG without a background")
    p.add_argument(
        "--legend",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="PNG/SVG/PDF: a legend above the diagram (categories, evidence marks, badges, "
        "links); on by default on a slide",
    )
    p.add_argument(
        "--page",
        choices=["none", "slide", "a4", "letter"],
        default="none",
        help="none: the diagram's own size (default); slide: 1920x1080 pages, the fishbone "
        "laid out for 16:9 on one, the five whys on as many as keep their text at 16 px "
        "or more; a4, letter: pages with a title block, the fishbone one landscape page, "
        "the five whys portrait pages (text 8 pt or more; PNG at --dpi, default 150). A "
        "PDF holds every page; an SVG or PNG of several pages is written as NAME-1.svg, "
        "NAME-2.svg ...",
    )
    p.add_argument("--today", type=_iso_day, help="mark overdue actions as of this date")

    p = sub.add_parser(
        "report",
        help="an incident's RCA report as PDF, HTML or Markdown, for the team or the client",
        description="The incident's RCA report: summary, impact, timeline, both diagrams, "
        "root causes, preventive actions, coverage, check-ins, review meeting, the client's "
        "recovery (when one is on record), lessons; "
        "for the team also the participants and the open findings. --for-client leaves "
        "out what is the team's own (docs/client-report.md).",
    )
    p.add_argument("--incident", metavar="ID", required=True, help="the incident (id or uid)")
    p.add_argument(
        "--format",
        choices=("pdf", "html", "md"),
        help="default: from the output file's extension",
    )
    p.add_argument(
        "--for-client",
        action="store_true",
        help="the client's report: without evidence notes, stop reasons, sources, owners, "
        "notes, participants, who spoke, who apologised, the client's words, at-risk reasons, "
        "findings, guidance marks or unexamined hypotheses",
    )
    p.add_argument(
        "--page",
        choices=("a4", "letter"),
        default="a4",
        help="the paper (default a4): the PDF's pages, the HTML's diagram frames",
    )
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="file, or - for stdout")
    p.add_argument("--today", type=_iso_day, help="report as of this date (YYYY-MM-DD)")

    p = sub.add_parser("actions", help="list preventive actions across incidents")
    p.add_argument("--status", metavar="S", help="only actions in this status")
    p.add_argument("--owner", metavar="O", help="only actions whose owner contains O")
    p.add_argument("--incident", metavar="ID", help="only this incident's actions")
    p.add_argument("--overdue", action="store_true", help="only actions past their due date")
    p.add_argument(
        "--format",
        choices=("table", "csv", "json", "ics"),
        default="table",
        help="ics: an iCalendar file of open actions' due and verification dates, with "
        "check-ins not yet held and review meetings (unless --status, --owner or --overdue)",
    )
    p.add_argument("--today", type=_iso_day, help="report as of this date (YYYY-MM-DD)")

    p = sub.add_parser(
        "backup", help="copy the workspace, consistently, while others work, to a file"
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=Path,
        help="the workspace file to write (default: backups/ beside a workspace file; "
        "required for a server workspace)",
    )

    p = sub.add_parser(
        "copy",
        help="copy a whole workspace into a new or empty one (file or postgresql://)",
        description="Copy every incident of SRC into DST (a workspace file or a "
        "postgresql:// address each), keeping ids, uids and action numbers. DST must be "
        "new or empty. Ends by comparing the JSON exports of both ends.",
    )
    p.add_argument("source", metavar="SRC", help="the workspace to copy")
    p.add_argument("target", metavar="DST", help="a new or empty workspace")

    p = sub.add_parser("restore", help="replace the workspace with a backup (backed up first)")
    p.add_argument("file", metavar="FILE", type=Path, help="a workspace file or backup")

    p = sub.add_parser(
        "repair", help="repair incidents that break a rule spanning causes and actions"
    )
    p.add_argument("--incident", metavar="ID", help="only this incident (id or uid)")

    p = sub.add_parser(
        "search",
        help="search past incidents: titles, problems, causes, evidence, actions, lessons",
        description="Search the library of lessons: every incident's title, problem "
        "statement, causes, evidence notes, stop reasons, preventive actions, lessons "
        "learned and timeline. Words are stemmed (restored finds restore); no, not, nobody "
        "and never are kept; owner/owns/nobody, check/verify/review and "
        "train/trained/training find each other. Hits are ranked, best first, those "
        "matching more of the words higher; each shows its text with the matches in "
        "[brackets]. What you type is only ever words, never search syntax.",
    )
    p.add_argument("query", metavar="QUERY", help="what to look for (quote several words)")
    p.add_argument("--json", action="store_true", help="print the hits as a JSON array")
    p.add_argument(
        "--limit", type=_positive, default=20, metavar="N", help="at most N hits (default 20)"
    )

    p = sub.add_parser(
        "recovery",
        help="an incident's client recovery: apology, restitution, measures, confidence",
        description="The client's recovery record: the apology, restored or not and why the "
        "client is at risk, the restitution offers, the trust measures with their targets, "
        "and the values and the client's confidence at each check-in.",
    )
    p.add_argument("--incident", metavar="ID", required=True, help="the incident (id or uid)")
    p.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="csv: one row per measure value and per confidence rating at each check-in",
    )
    p.add_argument("--today", type=_iso_day, help="at risk as of this date (YYYY-MM-DD)")

    p = sub.add_parser("check", help="list analysis findings; exit 1 if there are any")
    p.add_argument("--incident", metavar="ID", help="only this incident (id or uid)")
    p.add_argument("--json", action="store_true", help="print findings as JSON")
    p.add_argument("--today", type=_iso_day, help="check as of this date (YYYY-MM-DD)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    with safe_streams():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        return _dispatch(args)
    except ImportRefusedError as error:
        # One line, however bad the file: the first problem and how many more. The list
        # is asked for (--verbose); it used to follow every refusal, repeating the first.
        print(f"rca-desk: error: {error}", file=sys.stderr)
        if getattr(args, "verbose", False):
            for problem in error.problems:
                print(f"  - {problem}", file=sys.stderr)
        return EXIT_ERROR
    except RcaError as error:
        print(f"rca-desk: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (head, less) went away; nothing is wrong with the workspace.
        sys.stderr.close()
        return EXIT_OK
    except Exception as error:
        if os.environ.get("RCA_DESK_DEBUG") == "1":
            traceback.print_exc()
        print(
            f"rca-desk: internal error: {type(error).__name__}: {error} "
            "(set RCA_DESK_DEBUG=1 for details, and please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "copy":  # two workspaces of its own; --workspace plays no part
        from rca_desk.cli.copy_command import copy_workspace

        return copy_workspace(args)
    location = resolve_workspace(args.workspace)
    if args.command is None:
        # Before Qt loads a platform plugin: missing xcb libraries abort the process.
        refused = check_display_libraries()
        if refused is not None:
            return refused
        from rca_desk.ui.app import run_app

        return run_app(location)
    creates = args.command in ("demo", "import")
    if args.command == "import":
        # The file is read and checked before the workspace is opened, so a refused file
        # does not leave a new, empty workspace behind.
        args.document = read_json_document(args.file, now=utc_now())
    if isinstance(location, Path):
        path = location
        if args.command == "restore" and not _opens(path):
            # A refused or missing workspace file cannot restore itself: replace it from
            # outside. (A server workspace is never replaced: its store refuses restore.)
            workspace, aside = Workspace.replace_refused(path, args.file)
            with workspace:
                moved = f"; the refused file was kept as {aside}" if aside else ""
                print(f"Restored {path} from {args.file}{moved}")
            return EXIT_OK
        if not creates and not path.exists():
            raise WorkspaceError(
                f"{path}: no such workspace (`rca-desk demo` or `rca-desk import FILE` "
                "creates one)."
            )
    with open_workspace(location, create=creates) as store:
        if args.command in WRITING_COMMANDS:
            _before_writing(store)
        handler: Callable[[WorkspaceStore, argparse.Namespace], int] = {
            "demo": _demo,
            "list": _list,
            "import": _import,
            "export-json": _export_json,
            "export": _export,
            "report": _report,
            "actions": _actions,
            "check": _check,
            "search": _search,
            "recovery": _recovery,
            "backup": _backup,
            "restore": _restore,
            "repair": _repair,
        }[args.command]
        return handler(store, args)


def utc_now() -> datetime:
    """The clock presence and imported history times are judged by (tests replace it)."""
    return datetime.now(UTC)


def _before_writing(workspace: WorkspaceStore) -> None:
    """Warn about a network drive, and say who else has the workspace file open.

    The command never takes the presence file itself: it is done in a second, less than
    the app's 20 seconds between looks, so no one would ever see it named; and a command
    killed midway (Ctrl+C, a closed terminal) would leave a file naming someone who is not
    there for a minute. It only reads the file, so the person running it knows whose open
    app will not show the change until they open the incident again.

    A server workspace has no file to be on a network drive or to have a presence file
    beside it: nothing is said.
    """
    path = workspace.file
    if path is None:
        return
    kind = network_filesystem(path)
    if kind is not None:
        print(f"rca-desk: warning: {network_warning(path, kind)}", file=sys.stderr)
    now = utc_now()
    other = holder(path, now)
    if other is not None:
        note = f"{other.describe(now)} also has this workspace open"
        print(f"rca-desk: note: {note}", file=sys.stderr)


def _backup(workspace: WorkspaceStore, args: argparse.Namespace) -> int:
    target = workspace.backup(args.output)
    print(f"Backed up {workspace.location} to {target}")
    return EXIT_OK


def _opens(path: Path) -> bool:
    """Whether the workspace file at ``path`` exists and opens (the reason is not needed)."""
    if not path.exists():
        return False
    try:
        open_workspace(path, create=False).close()
    except WorkspaceError:
        return False
    return True


def _restore(workspace: WorkspaceStore, args: argparse.Namespace) -> int:
    saved = workspace.restore_from(args.file)
    print(f"Restored {workspace.location} from {args.file}; it was backed up first to {saved}")
    return EXIT_OK


def _demo(workspace: WorkspaceStore, args: argparse.Namespace) -> int:
    incidents = sample_incidents(date.today())
    ids = workspace.add_incidents(incidents)
    for incident_id, incident in zip(ids, incidents, strict=True):
        print(f"Added sample incident {incident_id}: {incident.title}")
    print(f"Workspace: {workspace.location}")
    return EXIT_OK


def _list(workspace: WorkspaceStore, args: argparse.Namespace) -> int:
    summaries = workspace.incidents()
    if args.json:
        records = [
            {
                "id": s.id,
                "uid": s.uid,
                "title": s.title,
                "status": s.status.value,
                "severity": s.severity.value,
                "occurred_at": s.occurred_at.isoformat() if s.occurred_at else None,
                "affected": s.affected,
                "causes": s.causes,
                "root_causes": s.root_causes,
                "actions": s.actions,
                "open_actions": s.open_actions,
                "damaged": s.damaged,
            }
            for s in summaries
        ]
        print(json_safe(json.dumps(records, ensure_ascii=False, indent=2)))
        _note_damaged(summaries)
        return EXIT_OK
    if not summaries:
        print(f"No incidents in {workspace.location}. `rca-desk demo` adds a sample.")
        return EXIT_OK
    header = ["ID", "STATUS", "SEVERITY", "OCCURRED", "CAUSES", "ROOTS", "OPEN ACTIONS", "TITLE"]
    rows = [
        [
            str(s.id),
            "DAMAGED" if s.damaged else s.status.label,
            s.severity.label,
            s.occurred_at.date().isoformat() if s.occurred_at else "",
            str(s.causes),
            str(s.root_causes),
            f"{s.open_actions}/{s.actions}",
            s.title,
        ]
        for s in summaries
    ]
    sys.stdout.write(to_table(header, rows))
    _note_damaged(summaries)
    return EXIT_OK


def _note_damaged(summaries: list[IncidentSummary], left_out: str = "") -> None:
    """One note line per damaged incident (the table only marks them, or leaves them out)."""
    for s in summaries:
        if s.damaged:
            print(
                f"rca-desk: note: incident {s.id} is damaged ({s.damaged}){left_out}; "
                "`rca-desk export-json` saves what can still be read.",
                file=sys.stderr,
            )


def _search(workspace: WorkspaceStore, args: argparse.Namespace) -> int:
    if not query_terms(args.query):
        plain = words(args.query)
        raise UsageError(
            f"Nothing to search for in {args.query!r}: "
            + (
                "its words are all too common (the, of, was ...) or numbers."
                if plain
                else "it has no words, only symbols or punctuation."
            )
        )
    hits = workspace.search(args.query, limit=args.limit)
    if args.json:
        records = [
            {
                "incident_id": hit.incident_id,
                "incident_title": hit.incident_title,
                "kind": hit.kind,
                "ref": hit.ref,
                "cause_id": hit.cause_id,
                "root_cause": hit.root,
                "text": hit.text,
                "snippet": hit.snippet,
                "score": round(hit.score, 6),
            }
            for hit in hits
        ]
        print(json_safe(json.dumps(records, ensure_ascii=False, indent=2)))
        return EXIT_OK
    if not hits:
        print(f"Nothing in {workspace.location} matches {args.query!r}.")
        return EXIT_OK
    header = ["INCIDENT", "TITLE", "FOUND IN", "MATCH"]
    rows = [
        [
            str(hit.incident_id),
            hit.incident_title,
            hit.kind_label + (f" {hit.ref}" if hit.cause_id and hit.kind != "problem" else ""),
            hit.snippet,
        ]
        for hit in hits
    ]
    sys.stdout.write(to_table(header, rows, wrap_last=90))
    return EXIT_OK


def _import(workspace: WorkspaceStore, args: argparse.Namespace) -> int:
    ids = import_incidents(workspace, args.document.incidents, source=args.file)
    print(
        f"Imported {len(ids)} incident(s) from {args.file}: ids {', '.join(map(str, ids))}"
        if ids
        else f"{args.file} holds no incidents; nothing imported."
    )
    if args.document.notice:
        # A file of a newer minor version: imported, but say what this version left out.
        print(f"rca-desk: note: {args.document.notice}", file=sys.stderr)
    return EXIT_OK


def _export_json(workspace: WorkspaceStore, args: argparse.Namespace) -> int:
    if args.incident is not None:
        ids = [workspace.incident_id(args.incident)]
    else:
        ids = [s.id for s in workspace.incidents()]
    # Exporting is how a damaged incident is rescued: as far as it can be read, noted.
    text = dumps([_readable(workspace, incident_id) for incident_id in ids])
    if args.output == "-":
        sys.stdout.write(json_safe(text))
    else:
        atomic_write_bytes(Path(args.output), text.encode("utf-8"))
        print(f"Exported {len(ids)} incident(s) to {args.output}", file=sys.stderr)
    return EXIT_OK


def _export(workspace: WorkspaceStore, args: argparse.Namespace) -> int:
    # Drawing needs a QGuiApplication; the CLI never needs a screen for it.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from rca_desk.render.diagram import View
    from rca_desk.render.export import Format, export_pages, gui_application
    from rca_desk.render.pages import Page

    output = Path(args.output) if args.output != "-" else None
    fmt = Format(args.format) if args.format else (Format.from_path(output) if output else None)
    if fmt is None:
        raise UsageError(
            f"Cannot tell the format from {args.output!r}; "
            "add --format png|svg|pdf|dot|mmd|graphml."
        )
    incident = _readable(workspace, workspace.incident_id(args.incident))
    if fmt in (Format.PNG, Format.PDF, Format.SVG):
        gui_application()
    made = export_pages(
        incident,
        View(args.view),
        fmt,
        today=args.today or date.today(),
        scale=args.scale,
        dpi=args.dpi,
        transparent=args.transparent,
        legend=args.legend,
        page=Page(args.page),
    )
    for warning in made.warnings:
        print(f"rca-desk: warning: {warning}", file=sys.stderr)
    if output is None:
        if len(made.files) > 1:
            raise UsageError(
                f"The {args.view} take {made.pages} pages, one {fmt.value.upper()} file each; "
                "name a file with -o (they are written as NAME-1, NAME-2 ...), or use PDF."
            )
        sys.stdout.buffer.write(made.files[0])
        sys.stdout.flush()
        return EXIT_OK
    written = write_files(output, made.files)
    what = f"the {args.view} of incident {incident.id}"
    if len(written) == 1:
        pages = f" ({made.pages} pages)" if made.pages > 1 else ""
        print(f"Exported {what}{pages} to {output}", file=sys.stderr)
    else:
        print(f"Exported {what} to {len(written)} files, one per page:", file=sys.stderr)
        for path in written:
            print(f"  {path}", file=sys.stderr)
    return EXIT_OK


def _report(workspace: WorkspaceStore, args: argparse.Namespace) -> int:
    # PDF and HTML measure text with Qt's fonts; the CLI never needs a screen for it.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from rca_desk.render.export import gui_application
    from rca_desk.render.pages import Page
    from rca_desk.render.report import ReportFormat, report_bytes
    from rca_desk.render.report_content import Variant

    output = Path(args.output) if args.output != "-" else None
    fmt = ReportFormat(args.format) if args.format else None
    if fmt is None and output is not None:
        fmt = ReportFormat.from_path(output)
    if fmt is None:
        raise UsageError(f"Cannot tell the format from {args.output!r}; add --format pdf|html|md.")
    incident = _readable(workspace, workspace.incident_id(args.incident))
    if fmt is not ReportFormat.MD:
        gui_application()
    variant = Variant.CLIENT if args.for_client else Variant.TEAM
    data = report_bytes(
        incident, fmt, variant=variant, today=args.today or date.today(), page=Page(args.page)
    )
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return EXIT_OK
    atomic_write_bytes(output, data)
    print(
        f"Wrote the {variant.value}'s report of incident {incident.id} to {output}", file=sys.stderr
    )
    return EXIT_OK


def _select_actions(
    workspace: WorkspaceStore, args: argparse.Namespace, today: date
) -> list[ActionRow]:
    rows = workspace.action_rows()
    if args.incident is not None:
        incident_id = workspace.incident_id(args.incident)
        rows = [r for r in rows if r.incident_id == incident_id]
    if args.status:
        try:
            status = ActionStatus.parse(args.status)
        except RcaError as error:
            raise UsageError(str(error)) from None
        rows = [r for r in rows if r.action.status == status]
    if args.owner:
        needle = args.owner.casefold()
        rows = [r for r in rows if needle in r.action.owner.casefold()]
    if args.overdue:
        rows = [r for r in rows if r.action.is_overdue(today)]
    return rows


def _actions(workspace: WorkspaceStore, args: argparse.Namespace) -> int:
    today = args.today or date.today()
    rows = _select_actions(workspace, args, today)
    _note_damaged(workspace.incidents(), " and its actions are not listed")

    def due(row: ActionRow) -> str:
        return row.action.due.isoformat() if row.action.due else ""

    if args.format == "json":
        out = [
            {
                "id": r.action.number,
                "uid": r.action.uid,
                "incident": r.incident_id,
                "incident_title": r.incident_title,
                "title": r.action.title,
                "owner": r.action.owner,
                "due": r.action.due.isoformat() if r.action.due else None,
                "verify_on": r.action.verify_on.isoformat() if r.action.verify_on else None,
                "status": r.action.status.value,
                "strength": r.action.strength.value,
                "overdue": r.action.is_overdue(today),
                "root_causes": [
                    {"id": cid, "text": text}
                    for cid, text in zip(r.action.root_causes, r.root_cause_texts, strict=True)
                ],
                "categories": list(r.categories),
                "metric": r.action.metric,
                "target": r.action.target,
            }
            for r in rows
        ]
        print(json_safe(json.dumps(out, ensure_ascii=False, indent=2)))
        return EXIT_OK
    if args.format == "ics":
        # The follow-up with clients comes too, unless the actions were narrowed by what
        # only actions have (a status, an owner, overdue); --incident narrows both.
        follow_ups = []
        if not (args.status or args.owner or args.overdue):
            follow_ups = workspace.follow_up_rows()
            if args.incident is not None:
                incident_id = workspace.incident_id(args.incident)
                follow_ups = [f for f in follow_ups if f.incident_id == incident_id]
        # Bytes, so the CRLF line endings RFC 5545 asks for reach the reader unchanged.
        ics = actions_to_ics(rows, today=today, now=datetime.now(UTC), follow_ups=follow_ups)
        sys.stdout.buffer.write(ics.encode("utf-8"))
        sys.stdout.flush()
        return EXIT_OK
    if args.format == "csv":
        header = ["id", "incident", "incident_title", "title", "owner", "due", "verify_on",
                  "status", "strength", "overdue", "root_causes"]  # fmt: skip
        sys.stdout.write(
            to_csv(
                header,
                [
                    [
                        str(r.action.number),
                        str(r.incident_id),
                        r.incident_title,
                        r.action.title,
                        r.action.owner,
                        due(r),
                        r.action.verify_on.isoformat() if r.action.verify_on else "",
                        r.action.status.value,
                        r.action.strength.value,
                        "yes" if r.action.is_overdue(today) else "no",
                        " | ".join(r.root_cause_texts),
                    ]
                    for r in rows
                ],
            )
        )
        return EXIT_OK
    if not rows:
        print("No actions match.")
        return EXIT_OK
    header = ["ID", "INC", "STATUS", "STRENGTH", "DUE", "OWNER", "TITLE"]
    table = [
        [
            str(r.action.number),
            str(r.incident_id),
            r.action.status.label,
            r.action.strength.label,
            due(r) + (" OVERDUE" if r.action.is_overdue(today) else ""),
            r.action.owner,
            r.action.title,
        ]
        for r in rows
    ]
    sys.stdout.write(to_table(header, table))
    return EXIT_OK


def _recovery(workspace: WorkspaceStore, args: argparse.Namespace) -> int:
    from rca_desk.cli.recovery_command import print_recovery

    incident_id = workspace.incident_id(args.incident)
    incident = _readable(workspace, incident_id)
    print_recovery(incident, incident_id, args.format, args.today or date.today())
    return EXIT_OK


def _readable(workspace: WorkspaceStore, incident_id: int) -> Incident:
    """The incident to export, with a note when it is broken (as repaired) or damaged."""
    incident, note = workspace.readable(incident_id)
    if note:
        print(f"rca-desk: note: {note}", file=sys.stderr)
    return incident


def _repair(workspace: WorkspaceStore, args: argparse.Namespace) -> int:
    if args.incident is not None:
        ids = [workspace.incident_id(args.incident)]
    else:
        ids = [s.id for s in workspace.incidents()]
    done = 0
    for incident_id in ids:
        for repair in workspace.repair(incident_id):
            print(f"incident {incident_id}: {repair.problem}")
            done += 1
    if not done:
        print("Nothing to repair: every incident keeps the rules.")
    return EXIT_OK


def _check(workspace: WorkspaceStore, args: argparse.Namespace) -> int:
    today = args.today or date.today()
    if args.incident is not None:
        ids = [workspace.incident_id(args.incident)]
    else:
        ids = [s.id for s in workspace.incidents()]
    report: list[tuple[int, str, Finding]] = []
    damaged: list[DamagedIncidentError] = []
    for incident_id in ids:
        try:
            incident = workspace.load(incident_id)
        except BrokenIncidentError as broken:
            incident = broken.incident  # checked as the repair would leave it
            report.extend(
                (
                    incident_id,
                    incident.title,
                    Finding(FindingKind.BROKEN_RULE, incident.uid, repair.cause, repair.problem),
                )
                for repair in broken.repairs
            )
        except DamagedIncidentError as error:
            if args.incident is not None:
                raise
            damaged.append(error)  # the others are still checked; the status says it
            continue
        report.extend((incident_id, incident.title, f) for f in findings(incident, today=today))
    if args.json:
        print(
            json_safe(
                json.dumps(
                    [
                        {
                            "incident": iid,
                            "kind": f.kind.value,
                            "level": f.kind.info.level.value,
                            "fails_check": f.kind.info.fails_check,
                            "subject": f.subject,
                            "message": f.message,
                        }
                        for iid, _, f in report
                    ],
                    ensure_ascii=False,
                    indent=2,
                )
            )
        )
    else:
        for incident_id, _title, finding in report:
            print(f"incident {incident_id}: {finding.kind.value}: {finding.message}")
        incidents_hit = len({iid for iid, _, _ in report})
        print(
            f"{len(report)} finding(s) in {incidents_hit} of {len(ids)} incident(s)"
            if report
            else f"No findings in {len(ids)} incident(s)."
        )
    if damaged:
        named = _incidents_named([error.incident_id for error in damaged])
        print(
            f"rca-desk: error: {workspace.location}: {named} damaged and not checked "
            f"({damaged[0].reason}); `rca-desk export-json` saves what can still be read.",
            file=sys.stderr,
        )
        return EXIT_ERROR
    failing = any(finding.kind.info.fails_check for _, _, finding in report)
    return EXIT_FINDINGS if failing else EXIT_OK


def _incidents_named(ids: list[int]) -> str:
    if len(ids) == 1:
        return f"incident {ids[0]} is"
    return f"incidents {', '.join(map(str, ids))} are"
