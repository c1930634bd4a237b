"""An incident's RCA report as a file: PDF, HTML or Markdown, for the team or the client.

:func:`report_bytes` builds it (:mod:`~rca_desk.render.report_content` decides what goes
in; :mod:`~rca_desk.render.report_pdf`, :mod:`~rca_desk.render.report_html` and
:mod:`~rca_desk.render.report_markdown` draw it); :func:`write_report` writes it.

Both can run on a worker QThread and be cancelled: ``cancelled`` is asked between
sections and pages, and when it says so the build stops with
:class:`~rca_desk.render.report_content.ReportCancelled`. The report is built in memory
and only then written, whole or not at all (:func:`atomic_write_bytes`: a hidden
temporary file beside the target, renamed into place, removed again if writing fails).
So a report cancelled or failed at any point leaves neither the file nor a temporary one.

PDF and HTML need a QGuiApplication (text is measured with Qt's fonts); the offscreen
platform is enough.
"""

from __future__ import annotations

import os
from datetime import date
from enum import StrEnum
from pathlib import Path

from rca_desk.interchange.files import atomic_write_bytes
from rca_desk.model import Incident
from rca_desk.render.pages import Page
from rca_desk.render.report_content import (
    Cancelled,
    Variant,
    check_cancelled,
    never,
    report_content,
)

__all__ = ["ReportFormat", "report_bytes", "write_report"]


class ReportFormat(StrEnum):
    """The formats of a report (``rca-desk report --format``)."""

    PDF = "pdf"
    HTML = "html"
    MD = "md"

    @classmethod
    def from_path(cls, path: str | os.PathLike[str]) -> ReportFormat | None:
        """The format a file's extension names (``.htm``, ``.markdown`` too), or None."""
        suffix = Path(path).suffix.lower().lstrip(".")
        suffix = {"htm": "html", "markdown": "md"}.get(suffix, suffix)
        return cls(suffix) if suffix in cls._value2member_map_ else None


def report_bytes(
    incident: Incident,
    fmt: ReportFormat,
    *,
    variant: Variant,
    today: date,
    page: Page = Page.A4,
    cancelled: Cancelled = never,
) -> bytes:
    """The report of ``incident`` for ``variant`` as ``fmt``, on ``page`` paper (the PDF's
    pages; the HTML's diagrams are laid out for it), as of ``today``."""
    if not page.is_paper:
        raise ValueError(f"A report is laid out for A4 or Letter, not {page.value}.")
    content = report_content(incident, variant=variant, today=today, cancelled=cancelled)
    if fmt is ReportFormat.PDF:
        from rca_desk.render.report_pdf import report_pdf

        return report_pdf(content, page=page, cancelled=cancelled)
    if fmt is ReportFormat.HTML:
        from rca_desk.render.report_html import report_html

        text = report_html(content, page=page, cancelled=cancelled)
    else:
        from rca_desk.render.report_markdown import report_markdown

        text = report_markdown(content, cancelled=cancelled)
    return text.encode("utf-8")


def write_report(
    incident: Incident,
    path: str | os.PathLike[str],
    fmt: ReportFormat,
    *,
    variant: Variant,
    today: date,
    page: Page = Page.A4,
    cancelled: Cancelled = never,
) -> int:
    """Write :func:`report_bytes` (same options) to ``path``, whole or not at all; return
    the number of bytes written. A cancel (or any error) leaves no file and no temporary
    file; a refused target raises :class:`~rca_desk.interchange.files.ExportError`."""
    data = report_bytes(incident, fmt, variant=variant, today=today, page=page, cancelled=cancelled)
    check_cancelled(cancelled)
    atomic_write_bytes(path, data)
    return len(data)
