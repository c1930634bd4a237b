"""A report can be cancelled between sections and pages, and a cancelled or failed report
leaves nothing behind: no file, no temporary file, the old file as it was (issue 15)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QThread

from rca_desk.interchange.files import ExportError
from rca_desk.interchange.sample import sample_incidents
from rca_desk.render import report_pdf
from rca_desk.render.report import ReportFormat, write_report
from rca_desk.render.report_content import ReportCancelled, Variant, never
from tests.conftest import TODAY


class Asked:
    """A ``cancelled`` that counts how often it is asked and says yes on the ``at``-th."""

    def __init__(self, at: int | None = None) -> None:
        self.at = at
        self.times = 0

    def __call__(self) -> bool:
        self.times += 1
        return self.times == self.at


def write(path: Path, fmt: ReportFormat, cancelled: Asked | None = None) -> None:
    """The sample's client report, written to ``path``."""
    write_report(
        sample_incidents(TODAY)[0],
        path,
        fmt,
        variant=Variant.CLIENT,
        today=TODAY,
        cancelled=cancelled or never,
    )


def times_asked(fmt: ReportFormat, tmp_path: Path) -> int:
    asked = Asked()
    write(tmp_path / f"whole.{fmt.value}", fmt, asked)
    return asked.times


@pytest.mark.parametrize("fmt", list(ReportFormat))
def test_a_cancelled_report_leaves_no_file_and_no_temporary_file(
    qapp: object, tmp_path: Path, fmt: ReportFormat
) -> None:
    total = times_asked(fmt, tmp_path)
    # Asked between the ten sections at least, and for a PDF between its six pages.
    assert total >= {ReportFormat.PDF: 10 + 6, ReportFormat.HTML: 10, ReportFormat.MD: 10}[fmt]
    folder = tmp_path / "out"
    folder.mkdir()
    kept = folder / f"kept.{fmt.value}"
    kept.write_bytes(b"the report of last week")
    for at in (1, total // 2, total):  # at the start, mid-way, just before writing
        for target in (folder / f"report.{fmt.value}", kept):
            asked = Asked(at)
            with pytest.raises(ReportCancelled):
                write(target, fmt, asked)
            assert asked.times == at  # it stopped when told
            assert sorted(p.name for p in folder.iterdir()) == [kept.name]
            assert kept.read_bytes() == b"the report of last week"


def test_a_report_failing_mid_way_leaves_nothing_behind(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("the painter broke on the fishbone")

    monkeypatch.setattr(report_pdf, "paint_diagram", broken)
    with pytest.raises(RuntimeError, match="broke on the fishbone"):
        write(tmp_path / "report.pdf", ReportFormat.PDF)
    assert list(tmp_path.iterdir()) == []


def test_a_refused_target_leaves_no_temporary_file(qapp: object, tmp_path: Path) -> None:
    (tmp_path / "report.html").mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        write(tmp_path / "report.html", ReportFormat.HTML)
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
    assert list((tmp_path / "report.html").iterdir()) == []


def test_a_report_builds_on_a_worker_thread_and_stops_when_the_gui_says(
    qapp: object, tmp_path: Path
) -> None:
    """As the app's progress dialog will run it: a QThread builds the report, the GUI
    thread cancels it mid-way; nothing is written, and Qt warns about nothing (the test
    run fails on any Qt warning)."""
    asked, stop = threading.Event(), threading.Event()

    def cancelled() -> bool:
        asked.set()
        return stop.is_set()

    class Worker(QThread):
        outcome: BaseException | None = None

        def run(self) -> None:
            try:
                write_report(
                    sample_incidents(TODAY)[0],
                    tmp_path / "report.pdf",
                    ReportFormat.PDF,
                    variant=Variant.CLIENT,
                    today=TODAY,
                    cancelled=cancelled,
                )
            except BaseException as error:  # handed to the GUI thread, as a dialog would
                self.outcome = error

    worker = Worker()
    worker.start()
    assert asked.wait(10)
    stop.set()
    assert worker.wait(30_000)
    assert isinstance(worker.outcome, ReportCancelled)
    assert list(tmp_path.iterdir()) == []

    whole = Worker()
    stop.clear()
    whole.start()
    assert whole.wait(30_000)
    assert whole.outcome is None
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF-")
