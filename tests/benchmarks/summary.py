"""The side-by-side table ``test_backends_bench.py`` prints at the end of the run.

Each benchmark there records its median here (:func:`record`); the benchmarks' conftest
prints :func:`table` in the terminal summary when anything was recorded. pytest-benchmark's
own tables give every statistic; this one gives the two backends on one line per measure
and the ratio server / file.
"""

from __future__ import annotations

from dataclasses import dataclass

BACKENDS = ("file", "server")


@dataclass(frozen=True)
class Median:
    value: float
    #: "s" for a time (less is better), or a rate such as "edits/s" (more is better).
    unit: str


#: measure -> backend -> median, in the order the measures were recorded.
MEDIANS: dict[str, dict[str, Median]] = {}


def record(measure: str, backend: str, value: float, unit: str = "s") -> None:
    MEDIANS.setdefault(measure, {})[backend] = Median(value, unit)


def shown(median: Median) -> str:
    if median.unit != "s":
        return f"{median.value:,.0f} {median.unit}"
    if median.value >= 1:
        return f"{median.value:,.2f} s"
    if median.value >= 0.01:
        return f"{median.value * 1000:,.0f} ms"
    return f"{median.value * 1000:,.2f} ms"


def table() -> list[str]:
    """The Markdown table: measure | file | server | server / file."""
    lines = ["| measure | file | server | server / file |", "|---|---|---|---|"]
    for measure, by_backend in MEDIANS.items():
        cells = [shown(by_backend[b]) if b in by_backend else "-" for b in BACKENDS]
        ratio = "-"
        if all(b in by_backend for b in BACKENDS) and by_backend["file"].value:
            ratio = f"{by_backend['server'].value / by_backend['file'].value:.2f}x"
        lines.append(f"| {measure} | {cells[0]} | {cells[1]} | {ratio} |")
    return lines
