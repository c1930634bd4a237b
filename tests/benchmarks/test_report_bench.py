"""How long the RCA report takes per format (issue 15): the sample (22 causes, 6 actions,
its timeline and check-ins) and a synthetic 300-cause incident (40 actions), the
team's report (the longer one) on A4, built in memory: content, layout, drawing, encoding.
Reported, never asserted.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest tests/benchmarks --benchmarks
-k report``.
"""

from __future__ import annotations

import pytest

from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import Incident
from rca_desk.render.report import ReportFormat, report_bytes
from rca_desk.render.report_content import Variant
from tests.conftest import TODAY
from tests.synthetic import big_incidents


@pytest.fixture(scope="module")
def incidents() -> dict[str, Incident]:
    [big] = big_incidents(incidents=1, causes=300, actions=40, seed=3)
    return {"sample": sample_incidents(TODAY)[0], "300 causes": big}


@pytest.mark.parametrize("which", ["sample", "300 causes"])
@pytest.mark.parametrize("fmt", list(ReportFormat))
def test_report(
    benchmark, qapp, incidents: dict[str, Incident], fmt: ReportFormat, which: str
) -> None:
    incident = incidents[which]

    def build() -> bytes:
        return report_bytes(incident, fmt, variant=Variant.TEAM, today=TODAY)

    rounds = 5 if which == "300 causes" and fmt is not ReportFormat.MD else 15
    data = benchmark.pedantic(build, rounds=rounds, warmup_rounds=1)
    assert len(data) > 10_000
