"""The RCA report on paper: A4 or Letter pages painted with QPainter (issue 15).

:func:`paint_report` paints the report onto any paged device, a :class:`QPdfWriter` or
a :class:`QPrinter` alike, so the PDF, a print and a print preview are the same pages;
:func:`report_pdf` is it on a PDF writer in memory.

The sections' text is laid out by a :class:`QTextDocument` from the HTML of
:func:`~rca_desk.render.report_html.blocks_html` (the same markup the HTML report uses,
every piece of user text escaped there), paginated into the room below each page's
header: no heading is left at a page's foot without what it heads, no table row is split
over two pages. The diagrams take pages of their own, as the page modes draw them
(:func:`~rca_desk.render.export.diagram_pages`): the fishbone on a landscape page laid
out for it, the five whys on as many portrait pages as keep their text legible. Every
page carries the incident's title and "Page k of N"; the first opens with the title block.

Coordinates are page pixels (96 per inch, as :mod:`rca_desk.render.pages`); the painter
is scaled to the device's resolution, so a 1200 dpi printer gets the same pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QPointF,
    QRectF,
    QSizeF,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextTable,
    QTextTableCell,
)

from rca_desk.layout.palette import INK
from rca_desk.layout.text import FONT_FAMILY, shortened
from rca_desk.render.diagram import Diagram, View
from rca_desk.render.export import diagram_pages
from rca_desk.render.metrics import QtMetrics
from rca_desk.render.pages import (
    DETAIL_SIZE,
    PAPER_MARGIN,
    TITLE_SIZE,
    Fit,
    Page,
    TextLine,
    page_size,
)
from rca_desk.render.paint import paint_diagram, paint_title_block
from rca_desk.render.report_content import (
    Cancelled,
    Figure,
    Paragraph,
    ReportContent,
    Section,
    check_cancelled,
    never,
)
from rca_desk.render.report_html import blocks_html, html_text, title_block_html

__all__ = ["BODY_SIZE", "paint_report", "report_pdf"]

#: The body text's size in page pixels (10 pt); tables a little smaller.
BODY_SIZE = 13.3
#: The band at the top of every page: the incident's title and the page number.
HEADER_HEIGHT = 26.0
#: Where a text page's body starts, and how far a diagram page's header reaches (the page
#: modes' room for the diagram starts below their title block, at the same place).
_BODY_TOP = PAPER_MARGIN + HEADER_HEIGHT

#: Below this a fishbone page says that its text is too small to read on paper (the
#: sample's fishbone, 22 causes on A4, is drawn at 7.4 pt).
FISHBONE_LEGIBLE_PT = 6.0

_STYLE = f"""
body {{ color: {INK}; }}
h1 {{ font-size: 22px; margin-top: 0; margin-bottom: 6px; }}
h2 {{ font-size: 17px; margin-top: 20px; margin-bottom: 6px; }}
h3 {{ font-size: 14px; margin-top: 12px; margin-bottom: 4px; }}
p {{ margin-top: 0; margin-bottom: 6px; }}
p.kind {{ font-size: 11px; color: #555; }}
table.details {{ margin-top: 2px; margin-bottom: 4px; font-size: 12px; }}
table.details th {{ font-weight: normal; font-size: 11px; color: #666666; text-align: left;
  padding-right: 18px; }}
table.details td {{ padding-right: 18px; }}
p.note {{ color: #666; font-style: italic; }}
table {{ margin-top: 2px; margin-bottom: 8px; font-size: 12px; }}
table.grid {{ border-collapse: collapse; }}
table.grid th {{ background-color: #eeeeee; text-align: left; border: 1px solid #bbbbbb; }}
table.grid td {{ border: 1px solid #bbbbbb; }}
table.fields th {{ text-align: left; color: #444444; font-weight: 600; }}
"""


@dataclass(frozen=True)
class _Sheet:
    """One page to paint: its orientation, the header's words and what it holds."""

    portrait: bool
    heading: str  # a diagram page's section title ("" on a text page)
    note: str  # a diagram page's note under its heading
    draw: Callable[[QPainter], None]


def _document(html: str, width: float, height: float, cancelled: Cancelled) -> QTextDocument:
    """``html`` laid out in pages of ``width`` x ``height`` (page pixels)."""
    document = QTextDocument()
    font = QFont(FONT_FAMILY)
    font.setPixelSize(round(BODY_SIZE))
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    # No "fi" and "ff" ligatures: a reader searching the PDF for "affected" finds it.
    font.setFeature(QFont.Tag("liga"), 0)
    document.setDefaultFont(font)
    document.setDocumentMargin(0)
    document.setDefaultStyleSheet(_STYLE)
    document.setHtml(html)
    document.setPageSize(QSizeF(width, height))
    _keep_together(document, height, cancelled)
    return document


#: What a heading keeps on its page: a table it heads whole when it is shorter than this
#: share of a page (an action's fields), else the table's first rows or the text's
#: first lines (this many page pixels). A table row shorter than that share of a page is
#: never split over two.
_WHOLE_TABLE = 0.4
_FIRST_LINES = 40.0


def _keep_together(document: QTextDocument, height: float, cancelled: Cancelled) -> None:
    """Start a new page before a heading (or a run of headings) that would be left at
    the foot of a page without what it heads, and before a table row that would be split
    over two pages.

    One pass from the top: a page break set moves everything after it, and the layout is
    asked again (Qt lays out again from there, the costly part of a long report:
    ``cancelled`` is asked before each) as the pass goes on.
    """
    layout = document.documentLayout()
    block = document.begin()
    while block.isValid():
        if _is_heading(block) and not _is_heading(block.previous()):
            block = _keep_heading(layout, block, height, cancelled)
            continue
        row = _row_opened_by(block)
        if row is not None:
            _keep_row_whole(layout, *row, height, cancelled)
        block = block.next()


def _keep_heading(
    layout: QAbstractTextDocumentLayout, block: QTextBlock, height: float, cancelled: Cancelled
) -> QTextBlock:
    """A page break before ``block``, the first of a run of headings, if what the run
    heads would not start on its page; returns the first block after the run."""
    headed = block.next()
    while headed.isValid() and _is_heading(headed):
        headed = headed.next()
    if not headed.isValid():
        return headed
    table = QTextCursor(headed).currentTable()
    if table is not None:
        box = layout.frameBoundingRect(table)
        reach = box.height() if box.height() < _WHOLE_TABLE * height else _FIRST_LINES
        start = box.top()
    else:
        box = layout.blockBoundingRect(headed)
        reach, start = min(box.height(), _FIRST_LINES), box.top()
    top = layout.blockBoundingRect(block).top()
    if int(top // height) != int((start + reach - 1) // height):
        check_cancelled(cancelled)
        _break_before(block)
    return headed


def _break_before(block: QTextBlock) -> None:
    form = QTextBlockFormat()
    form.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    QTextCursor(block).mergeBlockFormat(form)


def _row_opened_by(block: QTextBlock) -> tuple[QTextTable, int] | None:
    """The table and the row whose first cell starts with ``block``, if one does."""
    cursor = QTextCursor(block)
    table = cursor.currentTable()
    if table is None:
        return None
    cell = table.cellAt(cursor)
    if cell.column() != 0 or cell.firstPosition() != block.position():
        return None
    return table, cell.row()


def _row_cells(table: QTextTable, row: int) -> list[QTextTableCell]:
    """The cells that start in ``row`` of ``table``, a cell spanning columns once."""
    cells = [table.cellAt(row, column) for column in range(table.columns())]
    return [cell for n, cell in enumerate(cells) if (cell.row(), cell.column()) == (row, n)]


def _cell_blocks(cell: QTextTableCell) -> Iterator[QTextBlock]:
    block, last = cell.firstCursorPosition().block(), cell.lastCursorPosition().block()
    while block.isValid():
        yield block
        if block == last:
            return
        block = block.next()


def _text_box(
    layout: QAbstractTextDocumentLayout, cells: list[QTextTableCell]
) -> tuple[float, float]:
    """Where the text of ``cells`` starts and ends, in the document."""
    boxes = [layout.blockBoundingRect(block) for cell in cells for block in _cell_blocks(cell)]
    return min(box.top() for box in boxes), max(box.bottom() for box in boxes)


def _text_height(cell: QTextTableCell) -> float:
    """How tall the lines of ``cell`` are, however a page break spreads them."""
    return sum(
        block.layout().lineAt(number).height()
        for block in _cell_blocks(cell)
        for number in range(block.layout().lineCount())
    )


def _keep_row_whole(
    layout: QAbstractTextDocumentLayout,
    table: QTextTable,
    row: int,
    height: float,
    cancelled: Cancelled,
) -> None:
    """Take ``row`` of ``table`` to the next page whole if it would be split over two.

    Qt splits a row between its lines, so a cell's last lines would go on alone, without
    the row's other cells; it moves a row whole only when no cell's first line fits on
    the page. So the row above is made taller (its cells' bottom padding), near enough to
    the page's foot that none does: the row then opens the next page under the repeated
    header, as a row Qt moves itself. A split first row takes its table, and the headings
    right above it, to the next page. A row taller than ``_WHOLE_TABLE`` of a page is
    split as Qt splits it.
    """
    cells = _row_cells(table, row)
    if not cells:
        return
    top, bottom = _text_box(layout, cells)
    page = int(top // height)
    tallest = max(_text_height(cell) for cell in cells)
    if page == int((bottom - 1) // height) or tallest > _WHOLE_TABLE * height:
        return
    check_cancelled(cancelled)
    header = table.format().headerRowCount()
    if row <= header:
        _break_before_table(table)
        return
    # The row above reaches down until this row's first line would start half a line
    # above the page's foot, where it fits no more.
    line = cells[0].firstCursorPosition().block().layout().lineAt(0).height()
    extra = (page + 1) * height - top - line / 2
    # Where the row is then to be: under the repeated header, as far below the page's top
    # as the first body row is below the table's (give or take the table's margin).
    under_header = (
        _text_box(layout, _row_cells(table, header))[0] - layout.frameBoundingRect(table).top()
    )
    above = _row_cells(table, row - 1)
    formats = [cell.format() for cell in above]
    padded: list[QTextCharFormat] = []
    for cell in above:
        form = cell.format().toTableCellFormat()
        padding = (
            form.bottomPadding()
            if form.hasProperty(QTextFormat.Property.TableCellBottomPadding)
            else table.format().cellPadding()
        )
        form.setBottomPadding(padding + extra)
        padded.append(form)
    _set_formats(table, above, padded)
    moved_top, moved_bottom = _text_box(layout, cells)
    opens_next = int(moved_top // height) == int((moved_bottom - 1) // height) == page + 1
    if not opens_next or moved_top - (page + 1) * height > under_header + line:
        _set_formats(table, above, formats)  # Qt moved it otherwise: back as it was


def _set_formats(
    table: QTextTable, cells: list[QTextTableCell], formats: list[QTextCharFormat]
) -> None:
    """Each cell its format, in one edit: Qt lays the document out again once, not per cell."""
    cursor = table.firstCursorPosition()
    cursor.beginEditBlock()
    for cell, form in zip(cells, formats, strict=True):
        cell.setFormat(form)
    cursor.endEditBlock()


def _break_before_table(table: QTextTable) -> None:
    """A page break before ``table``, or before the run of headings right above it."""
    above = table.firstCursorPosition().block().previous()
    if _is_heading(above):
        while _is_heading(above.previous()):
            above = above.previous()
        _break_before(above)
        return
    form = table.format()
    form.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    table.setFormat(form)


def _is_heading(block: QTextBlock) -> bool:
    return block.isValid() and block.blockFormat().headingLevel() > 0


def _text_sheets(document: QTextDocument, width: float, height: float) -> list[_Sheet]:
    """One sheet per page of ``document``: its slice of the text."""
    sheets = []
    for number in range(document.pageCount()):

        def draw(painter: QPainter, number: int = number) -> None:
            painter.translate(PAPER_MARGIN, _BODY_TOP - number * height)
            clip = QRectF(0, number * height, width, height)
            painter.setClipRect(clip)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.clip = clip
            context.palette.setColor(QPalette.ColorRole.Text, QColor(INK))
            document.documentLayout().draw(painter, context)

        sheets.append(_Sheet(True, "", "", draw))
    return sheets


def _diagram_sheets(
    content: ReportContent, section: Section, page: Page, cancelled: Cancelled
) -> list[_Sheet]:
    """The pages of a diagram's section: the page modes' pages under the report's header."""
    [figure] = [b for b in section.blocks if isinstance(b, Figure)]
    notes = [b.text for b in section.blocks if isinstance(b, Paragraph)]
    parts = diagram_pages(
        content.drawing, figure.view, page, today=content.today, guidance=content.guidance
    )
    sheets = []
    for number, part in enumerate(parts, 1):
        check_cancelled(cancelled)
        heading = section.title if len(parts) == 1 else f"{section.title} ({number}/{len(parts)})"
        said = list(notes)
        # The fishbone takes one page however big it is (the five whys are the pages
        # that split); say so when that leaves its text too small to read on paper.
        smallest = min(label.block.size for label in part.diagram.labels.values())
        points = smallest * part.fit.scale * 0.75
        if figure.view is View.FISHBONE and points < FISHBONE_LEGIBLE_PT - 1e-6:
            said.append(f"Text at {points:.1f} pt: every cause is legible in the five whys.")

        def draw(painter: QPainter, diagram: Diagram = part.diagram, fit: Fit = part.fit) -> None:
            painter.translate(fit.dx, fit.dy)
            painter.scale(fit.scale, fit.scale)
            paint_diagram(painter, diagram)

        sheets.append(_Sheet(part.portrait, heading, " ".join(said), draw))
    return sheets


def _html(content: ReportContent, sections: list[Section], first: bool) -> str:
    """The HTML Qt lays out for a run of text sections (the title block first, on the
    report's first page)."""
    out = ["<html><body>"]
    if first:
        out += title_block_html(content)
    for section in sections:
        out.append(f"<h2>{html_text(section.title)}</h2>")
        out += blocks_html(section.blocks, lambda figure: [])
    out.append("</body></html>")
    return "\n".join(out)


def _sheets(content: ReportContent, page: Page, cancelled: Cancelled) -> list[_Sheet]:
    """Every page of the report, in order, each ready to paint."""
    width, height = page_size(page, portrait=True)
    body_w, body_h = width - 2 * PAPER_MARGIN, height - _BODY_TOP - PAPER_MARGIN
    sheets: list[_Sheet] = []
    run: list[Section] = []

    def flush() -> None:
        if run or not sheets:
            document = _document(_html(content, run, not sheets), body_w, body_h, cancelled)
            sheets.extend(_text_sheets(document, body_w, body_h))
            run.clear()

    for section in content.sections:
        check_cancelled(cancelled)
        if any(isinstance(block, Figure) for block in section.blocks):
            flush()
            sheets += _diagram_sheets(content, section, page, cancelled)
        else:
            run.append(section)
    flush()
    return sheets


def _header_lines(
    content: ReportContent, sheet: _Sheet, page: Page, number: int, count: int
) -> list[TextLine]:
    """The words at the top of a page: the incident's title and "Page k of N"; on a
    diagram page the section's title (and its note) below them."""
    width, _ = page_size(page, portrait=sheet.portrait)
    left, right = PAPER_MARGIN, width - PAPER_MARGIN
    top = PAPER_MARGIN + DETAIL_SIZE
    metrics = QtMetrics()
    number_text = f"Page {number} of {count}"
    room = right - left - metrics.width(number_text, DETAIL_SIZE) - 24
    title = content.title
    while len(title) > 8 and metrics.width(title, DETAIL_SIZE) > room:
        title = shortened(content.title, len(title) - 4)
    lines = [TextLine(number_text, right, top, DETAIL_SIZE, right=True)]
    if number > 1:  # the first page opens with the title block
        lines.append(TextLine(title, left, top, DETAIL_SIZE))
    if sheet.heading:
        lines.append(TextLine(sheet.heading, left, top + 12 + TITLE_SIZE, TITLE_SIZE, True))
    if sheet.note:
        x = left + metrics.width(sheet.heading, TITLE_SIZE) * 1.15 + 16
        lines.append(TextLine(sheet.note, x, top + 12 + TITLE_SIZE, DETAIL_SIZE))
    return lines


def _page_layout(page: Page, portrait: bool) -> QPageLayout:
    size = QPageSize(QPageSize.PageSizeId.A4 if page is Page.A4 else QPageSize.PageSizeId.Letter)
    orientation = (
        QPageLayout.Orientation.Portrait if portrait else QPageLayout.Orientation.Landscape
    )
    layout = QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0))
    layout.setMode(QPageLayout.Mode.FullPageMode)
    return layout


def _paint_sheet(
    painter: QPainter, content: ReportContent, sheet: _Sheet, page: Page, number: int, count: int
) -> None:
    """One page, in page pixels: the header, its rule, and what the page holds."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    paint_title_block(painter, _header_lines(content, sheet, page, number, count))
    width, _ = page_size(page, portrait=sheet.portrait)
    painter.setPen(QPen(QColor("#999999"), 0.8))
    rule = PAPER_MARGIN + DETAIL_SIZE + 6
    painter.drawLine(QPointF(PAPER_MARGIN, rule), QPointF(width - PAPER_MARGIN, rule))
    sheet.draw(painter)


def report_images(
    content: ReportContent, *, page: Page, dpi: float = 110, cancelled: Cancelled = never
) -> list[QImage]:
    """The report's pages as images at ``dpi`` (the Report tab's preview): the same
    painting as the PDF's, each page in its own orientation. Runs on a worker QThread:
    the text is laid out and drawn on the same thread (a layout made on one thread must
    not be painted on another, whose font caches it does not know)."""
    if not page.is_paper:
        raise ValueError(f"A report is printed on A4 or Letter pages, not {page.value}.")
    sheets = _sheets(content, page, cancelled)
    scale = dpi / 96.0
    images = []
    for number, sheet in enumerate(sheets, 1):
        check_cancelled(cancelled)
        width, height = page_size(page, portrait=sheet.portrait)
        image = QImage(round(width * scale), round(height * scale), QImage.Format.Format_RGB32)
        image.fill(QColor("white"))  # a QImage starts uninitialised
        painter = QPainter(image)
        try:
            painter.scale(scale, scale)
            _paint_sheet(painter, content, sheet, page, number, len(sheets))
        finally:
            painter.end()
        images.append(image)
    return images


def paint_report(
    device: QPagedPaintDevice,
    content: ReportContent,
    *,
    page: Page,
    cancelled: Cancelled = never,
) -> int:
    """Paint ``content`` onto ``device`` (a :class:`QPdfWriter`, a :class:`QPrinter`) as
    ``page`` (A4 or Letter) pages, setting each page's layout (the fishbone's is
    landscape); return how many pages were painted.

    Raises :class:`~rca_desk.render.report_content.ReportCancelled` when ``cancelled()``
    turns true between sections or pages: the device then holds the pages painted so far
    (the caller throws it away). Needs a QGuiApplication, and runs on a worker QThread as
    well as on the GUI thread (a plain Python thread has no Qt event dispatcher, and Qt's
    text layout warns there).
    """
    if not page.is_paper:
        raise ValueError(f"A report is printed on A4 or Letter pages, not {page.value}.")
    sheets = _sheets(content, page, cancelled)
    count = len(sheets)
    portraits = [sheet.portrait for sheet in sheets]

    def paint_one(painter: QPainter, number: int) -> None:
        _paint_sheet(painter, content, sheets[number - 1], page, number, count)

    first = portraits[0]
    device.setPageLayout(_page_layout(page, first))
    # A PDF writer takes a new layout for each page; a printer (and the print preview)
    # keeps the job's, so a sheet of the other orientation is turned onto its page.
    turns = not isinstance(device, QPdfWriter)
    painter = QPainter()
    if not painter.begin(device):
        raise RuntimeError("Qt could not start painting the report.")
    try:
        scale = device.logicalDpiX() / 96.0
        for number, portrait in enumerate(portraits, 1):
            check_cancelled(cancelled)
            if number > 1:
                if not turns:
                    device.setPageLayout(_page_layout(page, portrait))
                device.newPage()
            painter.save()
            try:
                painter.scale(scale, scale)
                if turns and portrait != first:
                    width, height = page_size(page, portrait=first)
                    painter.translate(width, 0) if first else painter.translate(0, height)
                    painter.rotate(90 if first else -90)
                paint_one(painter, number)
            finally:
                painter.restore()
    finally:
        painter.end()
    return count


def report_pdf(content: ReportContent, *, page: Page, cancelled: Cancelled = never) -> bytes:
    """The report as a PDF (see :func:`paint_report`), in memory."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(content.title)
    writer.setCreator("rca_desk")
    writer.setResolution(96)
    try:
        paint_report(writer, content, page=page, cancelled=cancelled)
    finally:
        buffer.close()
    return bytes(data.data())
