"""A workspace file and a PostgreSQL workspace side by side (issue 12), in the same run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -p no:randomly \\
        tests/benchmarks/test_backends_bench.py --benchmarks -q

Both hold the same 200 incidents, 20,000 causes and 5,000 actions: the session's synthetic
workspace (``big_workspace``) copied row for row (:func:`rca_desk.store.copying.copy_rows`)
into a new file and into a database of the throwaway server (``tests/postgres.py``, on a
Unix socket of this machine, ``fsync`` off). Each measure is one pytest-benchmark group, so
its ``[file]`` and ``[server]`` rows sit together; the end of the run prints one table of
medians with the ratio server / file (``tests/benchmarks/summary.py``).

The measures: open and list; one edit end to end in a window (command, commit,
relayout, scene); opening the actions review; ``rca-desk check``'s work; 1, 2 and 8 writer
processes making small edits at once (edits per second, and not one acknowledged edit
lost); and how soon another connection notices an edit. Times are reported, never
asserted: the machine's load is not the code's. What each measure did is asserted.
"""

from __future__ import annotations

import io
import itertools
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from rca_desk.cli.main import main
from rca_desk.model import HEAD
from rca_desk.render.diagram import View
from rca_desk.store import open_workspace
from rca_desk.store.copying import copy_rows
from rca_desk.ui.canvas.diagram_canvas import DiagramCanvas
from rca_desk.ui.document.cause_commands import EditCause
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.review.dashboard import Dashboard
from tests.benchmarks import summary
from tests.conftest import TODAY
from tests.postgres import PostgresServer
from tests.synthetic import BigWorkspace

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "rca_desk_bench"
#: Which incidents (by their place in the list) each measure edits, so none sees another's.
ROUND_TRIP_INCIDENT, ECHO_INCIDENT, FIRST_WRITER_INCIDENT = 100, 110, 120
#: Edits per writer process (half cause renames, half action notes: 25 actions each).
EDITS_PER_WRITER = 50
WRITER_ROUNDS = 5
LATENCY_ROUNDS = 21
#: A child that says nothing for this long has hung; the benchmark fails instead.
CHILD_TIMEOUT_S = 120


# ----------------------------------------------------------------------------- workspaces
@pytest.fixture(scope="session")
def bench_file(big_workspace: BigWorkspace, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the synthetic workspace as a file of its own (these benchmarks write)."""
    path = tmp_path_factory.mktemp("backends") / "big.rcadesk"
    with open_workspace(big_workspace.path, create=False) as source, open_workspace(path) as copy:
        copy_rows(source, copy)
    return str(path)


@pytest.fixture(scope="session")
def bench_server(big_workspace: BigWorkspace, postgres_server: PostgresServer) -> Iterator[str]:
    """The same workspace in a database of the throwaway server; its address."""
    postgres_server.create_database(DATABASE)
    url = postgres_server.url(DATABASE)
    begun = time.perf_counter()
    with open_workspace(big_workspace.path, create=False) as source, open_workspace(url) as copy:
        copy_rows(source, copy)
    filled = time.perf_counter()
    print(f"\nserver workspace filled by copy_rows (with its ANALYZE) in {filled - begun:.2f} s")
    try:
        yield url
    finally:
        postgres_server.drop_database(DATABASE)


@pytest.fixture(params=summary.BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def location(backend: str, request: pytest.FixtureRequest) -> str:
    """The benchmark workspace of ``backend``: a file path or a ``postgresql://`` address."""
    return str(request.getfixturevalue(f"bench_{backend}"))


def _incident_ids(location: str) -> list[int]:
    with open_workspace(location, create=False) as store:
        return [s.id for s in store.incidents()]


def _record(benchmark: Any, measure: str, backend: str) -> None:
    """Put this benchmark's median in the side-by-side table (none when disabled)."""
    if benchmark.stats is not None:
        summary.record(measure, backend, benchmark.stats.stats.median)


# ----------------------------------------------------------------------------- one window
def test_open_and_list(benchmark: Any, backend: str, location: str) -> None:
    """What a window does first: open the workspace (checks included) and list incidents."""
    benchmark.group = "backends: open + list incidents"

    def open_and_list() -> int:
        with open_workspace(location, create=False) as store:
            return len(store.incidents())

    assert benchmark.pedantic(open_and_list, rounds=15, warmup_rounds=1) == 200
    _record(benchmark, "open + list incidents", backend)


def test_edit_round_trip(benchmark: Any, qapp: Any, backend: str, location: str) -> None:
    """Rename one cause in an open incident (about 100 causes): undo command, document
    write-through commit with its revision checks, change notice, relayout, scene update."""
    benchmark.group = "backends: edit round trip (command, commit, relayout, scene)"
    store = open_workspace(location, create=False)
    try:
        incident_id = _incident_ids(location)[ROUND_TRIP_INCIDENT]
        document = IncidentDocument(store, store.load(incident_id))
        refused: list[str] = []
        document.refused.connect(refused.append)
        canvas = DiagramCanvas(document, View.FISHBONE, today=lambda: TODAY)
        cause = document.graph.children(HEAD)[0]
        n = itertools.count()
        texts: list[str] = []

        def edit() -> None:
            texts.append(f"Renamed cause number {next(n)} after review")
            document.execute(EditCause(document, cause, text=texts[-1]))

        benchmark.pedantic(edit, rounds=100, warmup_rounds=2)
        assert not refused
        assert canvas.labels[cause].label.block.lines[0].startswith("Renamed")
        with open_workspace(location, create=False) as other:  # committed
            assert other.load(incident_id).graph.cause(cause).text == texts[-1]
        canvas.deleteLater()
    finally:
        store.close()
    _record(benchmark, "edit round trip", backend)


def test_actions_review_open(benchmark: Any, qapp: Any, backend: str, location: str) -> None:
    """Construct the actions review: every action and root cause read, tiles and chart."""
    benchmark.group = "backends: actions review open"
    opened: list[Dashboard] = []
    with open_workspace(location, create=False) as store:

        def open_review() -> Dashboard:
            widget = Dashboard(store, today=lambda: TODAY)
            opened.append(widget)
            return widget

        widget = benchmark.pedantic(open_review, rounds=7, warmup_rounds=1)
        assert widget.model.rowCount() == 5_000
    for each in opened:
        each.deleteLater()
    _record(benchmark, "actions review open", backend)


#: The check's report on the file, which the server's must equal.
_CHECK_REPORTS: dict[str, tuple[int, str]] = {}


def test_check(benchmark: Any, backend: str, location: str) -> None:
    """``rca-desk --workspace LOCATION check``: open the workspace, load and check all
    200 incidents, print the findings (into a buffer)."""
    benchmark.group = "backends: check (all incidents)"
    argv = ["--workspace", location, "check", "--today", TODAY.isoformat()]

    def check() -> tuple[int, str]:
        out = io.StringIO()
        with redirect_stdout(out):
            code = main(argv)
        return code, out.getvalue()

    code, report = benchmark.pedantic(check, rounds=5, warmup_rounds=1)
    assert code in (0, 1)
    assert report.rstrip().endswith("of 200 incident(s)") or "No findings in 200" in report
    _CHECK_REPORTS[backend] = (code, report)
    if len(_CHECK_REPORTS) == 2:
        assert _CHECK_REPORTS["server"] == _CHECK_REPORTS["file"]
    _record(benchmark, "check (all incidents)", backend)


# ----------------------------------------------------------------------------- processes
class Child:
    """One ``backend_writer`` process: orders on its stdin, JSON lines on its stdout."""

    def __init__(self, *args: object) -> None:
        # Kept open as long as the child runs; closed in finish().
        self.err = tempfile.TemporaryFile()  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.benchmarks.backend_writer", *map(str, args)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.err,
            text=True,
            bufsize=1,
        )

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def read(self) -> dict[str, Any]:
        """The next JSON line; a child that ended without one fails with what it said."""
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=CHILD_TIMEOUT_S)
            self.err.seek(0)
            said = self.err.read().decode("utf-8", "replace")[-3000:]
            pytest.fail(f"writer process ended ({self.process.returncode}):\n{said}")
        return dict(json.loads(line))

    def finish(self) -> None:
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=CHILD_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.err.close()


#: The next free incident (place in the list) for writer processes, per backend.
_WRITER_INCIDENTS = {
    backend: itertools.count(FIRST_WRITER_INCIDENT) for backend in summary.BACKENDS
}


@pytest.mark.subprocess
@pytest.mark.parametrize("writers", [1, 2, 8])
def test_concurrent_writers(benchmark: Any, backend: str, location: str, writers: int) -> None:
    """``writers`` processes, each with its own connection and incident, each making
    ``EDITS_PER_WRITER`` edits (one transaction each) as fast as it can, all at once.

    Timed: from the "go" to every writer's report (the processes are started and have
    loaded their incident before). ``extra_info``: edits per second of each round (all
    acknowledged edits over the span from the first writer's start to the last one's end),
    stale-write retries and refusals. Then every acknowledged edit is read back: none lost.
    One writer alone is the baseline the other two are compared with.
    """
    benchmark.group = f"backends: {writers} writer process(es) x {EDITS_PER_WRITER} edits"
    ids = _incident_ids(location)
    rounds: list[list[dict[str, Any]]] = []
    started: list[Child] = []

    def start() -> tuple[tuple[list[Child]], dict[str, Any]]:
        tag = f"{backend} {writers}w r{len(rounds)}"
        children = [
            Child("burst", location, ids[next(_WRITER_INCIDENTS[backend])], EDITS_PER_WRITER, tag)
            for _ in range(writers)
        ]
        started.extend(children)
        for child in children:
            assert child.read()["ready"]
        return (children,), {}

    def run(children: list[Child]) -> None:
        for child in children:
            child.send("go")
        rounds.append([child.read() for child in children])

    try:
        benchmark.pedantic(run, setup=start, rounds=WRITER_ROUNDS, iterations=1)
    finally:
        for child in started:
            child.finish()

    rates = []
    for reports in rounds:
        acked = sum(len(r["acked"]) for r in reports)
        span = max(r["ended"] for r in reports) - min(r["begun"] for r in reports)
        rates.append(acked / span)
    refused = [line for reports in rounds for r in reports for line in r["refused"]]
    benchmark.extra_info.update(
        {
            "edits_per_round": writers * EDITS_PER_WRITER,
            "edits_per_s": [round(rate) for rate in rates],
            "median_edits_per_s": round(statistics.median(rates)),
            "stale_retries": sum(r["retries"] for reports in rounds for r in reports),
            "refused": len(refused),
        }
    )
    summary.record(
        f"{writers} writer process{'es' if writers > 1 else ''}",
        backend,
        statistics.median(rates),
        "edits/s",
    )

    # Not one acknowledged edit lost: each is what the store holds now (every edit wrote a
    # row of its own, and no two writers or rounds shared an incident).
    lost = []
    with open_workspace(location, create=False) as store:
        for reports in rounds:
            for report in reports:
                incident = store.load(report["incident"])
                for kind, row, text in report["acked"]:
                    stored = (
                        incident.graph.cause(row).text
                        if kind == "cause"
                        else incident.action(row).notes
                    )
                    if stored != text:
                        lost.append(f"incident {report['incident']} {kind} {row}: {stored!r}")
    benchmark.extra_info["lost"] = len(lost)
    assert not lost, f"{len(lost)} acknowledged edits lost: {lost[:5]}"
    assert not refused, f"{len(refused)} edits refused: {refused[:5]}"
    assert all(len(r["acked"]) == EDITS_PER_WRITER for reports in rounds for r in reports)


@pytest.mark.subprocess
def test_another_window_sees_an_edit(benchmark: Any, backend: str, location: str) -> None:
    """Another process renames a cause; this connection polls ``data_version()`` every
    millisecond until it moves, then reads ``edited()`` and finds the incident's new revision.

    Timed: from the order to the other process until ``edited()`` here shows the edit (so
    the other side's commit is inside). ``extra_info`` splits it: the writer's own write
    (order received to commit returned) and the rest (commit returned to seen here). The
    app's watcher polls once a second, so a window shows an edit within that second plus
    this, plus its re-read and redraw (``test_canvas_bench``)."""
    benchmark.group = "backends: another connection sees an edit"
    ids = _incident_ids(location)
    incident_id = ids[ECHO_INCIDENT]
    writer = Child("echo", location, incident_id)
    acks: list[dict[str, Any]] = []
    seen_at: list[float] = []
    try:
        ready = writer.read()
        assert ready["ready"]
        with open_workspace(location, create=False) as store:
            state = {"version": store.data_version(), "rev": store.edited()[incident_id]}
            orders = itertools.count()

            def order() -> None:
                if len(acks) < len(seen_at):  # the previous edit's acknowledgement
                    acks.append(writer.read())
                writer.send(f"edit {next(orders)}")

            def see() -> None:
                deadline = time.monotonic() + CHILD_TIMEOUT_S
                while (version := store.data_version()) == state["version"]:
                    if time.monotonic() > deadline:
                        pytest.fail("the other process's edit was never noticed")
                    time.sleep(0.001)
                edited = store.edited()
                seen_at.append(time.monotonic())
                state["version"] = version
                assert edited[incident_id] > state["rev"], "noticed, but the edit is not there"
                state["rev"] = edited[incident_id]

            benchmark.pedantic(see, setup=order, rounds=LATENCY_ROUNDS, warmup_rounds=1)
            acks.append(writer.read())
            writer.send("quit")
            assert len(acks) == len(seen_at) == LATENCY_ROUNDS + 1
            text = store.load(incident_id).graph.cause(ready["cause"]).text
            assert text == f"Seen elsewhere, edit {LATENCY_ROUNDS}"
    finally:
        writer.finish()
    writes = [a["acked"] - a["got"] for a in acks[1:]]
    after = [seen - a["acked"] for seen, a in zip(seen_at[1:], acks[1:], strict=True)]
    benchmark.extra_info.update(
        {
            "median_writer_commit_ms": round(statistics.median(writes) * 1000, 2),
            "median_commit_to_seen_ms": round(statistics.median(after) * 1000, 2),
        }
    )
    _record(benchmark, "another connection sees an edit", backend)
