"""``rca-desk copy SRC DST``: move a whole workspace between a file and a server (issue 12).

SRC and DST are each a workspace file or a ``postgresql://`` address, in any combination.
The rows are copied by the store (:func:`rca_desk.store.copying.copy_into`): all or
nothing, ids, uids, action numbers and revisions kept, into a DST that is new or empty.
Then both ends are opened again and every incident is exported with the JSON exporter on
each side; the copy is only reported good when the two exports are the same, byte for byte.

Progress goes to stderr: one line rewritten in place on a terminal, a few plain lines
otherwise (a log, a CI job).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn, TextIO

from rca_desk.cli.main import EXIT_OK
from rca_desk.cli.terminal import SafeStream
from rca_desk.interchange import dumps
from rca_desk.model import RcaError
from rca_desk.store import ServerAddress, WorkspaceError, WorkspaceStore, open_workspace
from rca_desk.store.copying import copy_into
from rca_desk.store.paths import resolve_workspace


class CopyDiffersError(RcaError):
    """The copy was written, but it does not export as the source does."""


class Meter:
    """``done/total`` on stderr: one line rewritten in place on a terminal; else a line
    at the start, at each quarter and at the end, so a log gets a handful of lines."""

    STEPS = 4

    def __init__(self, what: str, unit: str, stream: TextIO | None = None) -> None:
        stream = stream if stream is not None else sys.stderr
        # Only our own words and numbers are written, so the terminal-safe wrapper may be
        # passed by: it would show the carriage return that rewrites the line as U+FFFD.
        self.stream = stream.raw if isinstance(stream, SafeStream) else stream
        self.what = what
        self.unit = unit
        self.tty = _isatty(self.stream)
        self.shown = False  # a line to finish
        self.step = -1

    def __call__(self, done: int, total: int) -> None:
        percent = 100 if total == 0 else done * 100 // total
        # A terminal's line moves with each percent (a hundred writes at most); a log
        # gets a line at each quarter.
        step = percent if self.tty else percent * self.STEPS // 100
        if step == self.step:
            return
        self.step = step
        text = f"rca-desk: {self.what}: {done}/{total} {self.unit} ({percent}%)"
        if self.tty:
            self.stream.write(f"\r{text}")
            self.stream.flush()
            self.shown = True
        else:
            self.stream.write(f"{text}\n")

    def end(self) -> None:
        """Finish the line rewritten in place (nothing to do for plain lines)."""
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method, or closed
        return False


def _location(text: str) -> Path | ServerAddress:
    """A file path or a server address, as given on the command line."""
    if not text.strip():
        # resolve_workspace would take an empty name as "not given" and use the default.
        raise WorkspaceError("an empty name is not a workspace; give a file or an address.")
    return resolve_workspace(text)


def _same(a: Path | ServerAddress, b: Path | ServerAddress) -> bool:
    if isinstance(a, ServerAddress) or isinstance(b, ServerAddress):
        return a == b
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def copy_workspace(args: argparse.Namespace) -> int:
    """Copy SRC into DST, then compare the JSON exports of both ends."""
    source_at, target_at = _location(args.source), _location(args.target)
    if _same(source_at, target_at):
        raise WorkspaceError(f"{source_at}: is both SRC and DST; a copy needs two workspaces.")
    with open_workspace(source_at, create=False) as source:
        rows = Meter("copying", "rows")
        try:
            copied = copy_into(source, target_at, rows)
        finally:
            rows.end()
        with open_workspace(target_at, create=False) as target:
            compare_exports(source, target)
            print(
                f"Copied {copied.incidents} incident{'s' if copied.incidents != 1 else ''} "
                f"({copied.rows} row{'s' if copied.rows != 1 else ''}) from {source.location} "
                f"to {target.location}; the JSON exports of both ends are identical."
            )
    return EXIT_OK


def compare_exports(source: WorkspaceStore, target: WorkspaceStore) -> None:
    """Refuse (CopyDiffersError, one line) unless both ends hold the same incidents under
    the same ids, each exporting the same JSON, and their actions keep their numbers."""
    theirs = target.incidents()
    ours = source.incidents()
    meter = Meter("comparing the JSON exports", "incidents")
    try:
        for done, mine in enumerate(ours):
            meter(done, len(ours))
            other = theirs[done] if done < len(theirs) else None
            if other is None or other.id != mine.id:
                _differs(source, target, mine.id, mine.uid, "is not there under the same id")
            if _export(source, mine.id) != _export(target, mine.id):
                _differs(source, target, mine.id, mine.uid, "exports different JSON")
        meter(len(ours), len(ours))
    finally:
        meter.end()
    if len(theirs) > len(ours):
        extra = theirs[len(ours)]
        _differs(source, target, extra.id, extra.uid, "is there but not in SRC")
    numbers = {(r.incident_id, r.action.uid): r.action.number for r in source.action_rows()}
    copied = {(r.incident_id, r.action.uid): r.action.number for r in target.action_rows()}
    if numbers != copied:
        key = min(k for k in numbers.keys() | copied.keys() if numbers.get(k) != copied.get(k))
        how = f"has action {key[1]} numbered {copied.get(key)}, not {numbers.get(key)}"
        _differs(source, target, key[0], None, how)


def _export(store: WorkspaceStore, incident_id: int) -> str:
    """The incident as ``export-json`` writes it (a broken or damaged one as far as it can
    be read, which is the same on both ends when the copy is faithful)."""
    return dumps([store.readable(incident_id)[0]])


def _differs(
    source: WorkspaceStore, target: WorkspaceStore, incident_id: int, uid: str | None, how: str
) -> NoReturn:
    named = f"incident {incident_id}" + (f" ({uid})" if uid else "")
    raise CopyDiffersError(
        f"{target.location}: the copy differs from {source.location}: {named} {how}; "
        "the copy was written and is kept for a look, do not use it (was SRC changed "
        "while it was copied?)."
    )
