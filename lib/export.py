"""The export layer: a report as typed rows and columns, rendered as an HTML table, XLSX, CSV
or PDF by one set of renderers (exporters as classes, as pretix has them).

A report says what it is (title, the school, its parameters, footnotes) and what it holds:
columns with a kind (text, integer, decimal, percent, date) and rows of values. Renderers
never compute: figures come aggregated from SQL. Values stay typed to the end — XLSX gets
numbers as numbers and dates as dates, the screen and the PDF get Russian formatting (decimal
comma, 01.09.2026) — and no text ever becomes a formula in a spreadsheet.

The PDF lays each row out as one line of monospaced text instead of a <td> per cell: the
cost of a PDF grows with its layout boxes (DESIGN.md), so a school's report stays cheap. A
table too wide for the page (a summary ledger: pupils × subjects × periods) is cut into bands
of whole column groups, each repeating the columns that name a row (`Report.key_columns`).

A report may say something before its table (`notices`: «итоговые отметки выставлены не
все») and carry further tables (`parts`: the lists behind the figures), which every renderer
shows after the main one: on the screen, in the PDF, and as further sheets of the XLSX.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .dates import fmt

TEXT, INTEGER, DECIMAL, PERCENT, DATE = "text", "int", "decimal", "percent", "date"
# Cells that would start a formula in Excel or LibreOffice (OWASP «CSV injection»).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str = TEXT
    width: int = 0  # characters; 0: from the title and the values
    group: str = ""  # a heading over several columns («I четверть»)
    places: int = 2  # decimal places of a DECIMAL or PERCENT
    secondary: bool = False  # a figure beside another (the previous period's): muted on screen

    @property
    def numeric(self) -> bool:
        return self.kind in (INTEGER, DECIMAL, PERCENT)


@dataclass
class Row:
    values: dict
    links: dict = field(default_factory=dict)  # column key → URL (the screen only)
    kind: str = "data"  # "data", "total" (a line of totals) or "group" (a section heading)
    # column key → a class of its cell on the screen («good», «warn», «bad»): a colour beside
    # the figure, which says the same in words and numbers (screen readers, print, XLSX).
    classes: dict = field(default_factory=dict)

    TOTAL, GROUP = "total", "group"


@dataclass
class Report:
    title: str
    columns: list[Column]
    rows: list[Row]
    school: str = ""
    parameters: list[tuple[str, str]] = field(default_factory=list)  # («Период», «I четверть»)
    footnotes: list[str] = field(default_factory=list)
    generated_at: datetime = field(default_factory=timezone.now)
    slug: str = "report"  # the file's name
    notices: list[str] = field(default_factory=list)  # said before the table
    parts: list["Report"] = field(default_factory=list)  # further tables of the same document
    key_columns: int = 1  # leading columns naming a row: frozen, repeated on each PDF band

    def value(self, row: Row, column: Column):
        return row.values.get(column.key)

    def about(self) -> list[tuple[str, str]]:
        """The lines above the table: the school, then the parameters."""
        return ([(_("Организация"), self.school)] if self.school else []) + list(self.parameters)


def group_runs(columns) -> list[tuple[str, list[int]]]:
    """Consecutive columns under one heading: [(heading, [column indexes])]."""
    runs: list[tuple[str, list[int]]] = []
    for index, column in enumerate(columns):
        if runs and runs[-1][0] == column.group:
            runs[-1][1].append(index)
        else:
            runs.append((column.group, [index]))
    return runs


def display(value, column: Column) -> str:
    """A value as a person reads it (Russian conventions)."""
    if value is None or value == "":
        return ""
    if column.kind == DATE and isinstance(value, date):
        return fmt(value.date() if isinstance(value, datetime) else value)
    if column.kind == INTEGER:
        return f"{int(value):,}".replace(",", "\u00a0")
    if column.kind in (DECIMAL, PERCENT):
        text = f"{Decimal(str(value)):.{column.places}f}".replace(".", ",")
        return f"{text}\u00a0%" if column.kind == PERCENT else text
    return str(value)


def safe_text(text: str) -> str:
    """Text that a spreadsheet shows as text, never evaluates."""
    return "'" + text if text.startswith(FORMULA_START) else text


# --- Exporters -----------------------------------------------------------------------------------


class Exporter:
    identifier = ""
    extension = ""
    content_type = ""
    label = ""

    def render(self, report: Report) -> bytes:
        raise NotImplementedError

    def response(self, report: Report) -> HttpResponse:
        response = HttpResponse(self.render(report), content_type=self.content_type)
        stamp = timezone.localtime(report.generated_at).strftime("%Y-%m-%d")
        response["Content-Disposition"] = (
            f'attachment; filename="{report.slug}-{stamp}.{self.extension}"'
        )
        return response


class XlsxExporter(Exporter):
    """Numbers as numbers, dates as dates, a frozen header, widths, the school and the
    parameters above the table, footnotes below."""

    identifier, extension, label = "xlsx", "xlsx", "XLSX"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    FORMATS = {INTEGER: "0", DATE: "DD.MM.YYYY"}

    def render(self, report: Report) -> bytes:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        names: set[str] = set()
        for part in [report, *report.parts]:
            self.write_sheet(book, part, names, generated=report)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    def write_sheet(self, book, report: Report, names: set, *, generated: Report) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter

        title = "".join(ch for ch in report.title if ch not in "[]:*?/\\")[:31] or _("Отчёт")
        while title in names:  # sheet names are unique in a workbook
            title = f"{title[:28]} {len(names) + 1}"
        names.add(title)
        sheet = book.create_sheet(title=title)
        bold = Font(bold=True)
        head_fill = PatternFill("solid", fgColor="EEF2F6")
        across = Alignment(horizontal="centerContinuous")

        def text(value, font=None):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # whatever it begins with, never a formula
            if font is not None:
                cell.font = font
            return cell

        for index, column in enumerate(report.columns, 1):
            sheet.column_dimensions[get_column_letter(index)].width = width_of(report, column) + 2
        about = report.about()
        grouped = any(c.group for c in report.columns)
        notices = len(report.notices)
        # A write-only sheet takes its frozen rows before any row: the title, the lines about
        # the report, the notices, a blank line, the group headings and the header; and the
        # columns that name a row.
        header_row = 1 + len(about) + notices + 1 + grouped + 1
        key = get_column_letter(min(report.key_columns, len(report.columns) - 1) + 1)
        sheet.freeze_panes = f"{key}{header_row + 1}"
        sheet.append([text(report.title, Font(bold=True, size=13))])
        for label, value in about:
            sheet.append([text(f"{label}: {value}")])
        for notice in report.notices:
            sheet.append([text(notice, bold)])
        sheet.append([])
        if grouped:
            # A heading over several columns: written once, centred across them (a write-only
            # sheet cannot merge cells; «centre across selection» reads the same).
            cells = []
            for heading, indexes in group_runs(report.columns):
                for n, _index in enumerate(indexes):
                    cell = text(heading if n == 0 else "", bold)
                    if len(indexes) > 1:
                        cell.alignment = across
                    cells.append(cell)
            sheet.append(cells)
        header = []
        for column in report.columns:
            cell = text(column.title, bold)
            cell.fill = head_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            header.append(cell)
        sheet.append(header)
        for row in report.rows:
            font = bold if row.kind in (Row.TOTAL, Row.GROUP) else None
            cells = []
            for column in report.columns:
                value = row.values.get(column.key)
                if value is None or value == "":
                    cells.append(None)
                    continue
                if column.numeric or column.kind == DATE:
                    cell = WriteOnlyCell(sheet, value=_number(value, column))
                    cell.number_format = self.FORMATS.get(
                        column.kind, "0." + "0" * column.places if column.places else "0"
                    )
                    if column.kind == PERCENT:
                        cell.number_format += '" %"'
                    if font is not None:
                        cell.font = font
                else:
                    cell = text(str(value), font)
                cells.append(cell)
            sheet.append(cells)
        if report.footnotes:
            sheet.append([])
            for note in report.footnotes:
                sheet.append([text(note)])
        sheet.append([text(_("Сформировано: %(when)s") % {"when": _stamp(generated)})])


def _number(value, column: Column):
    if column.kind == DATE:
        return value
    if column.kind == INTEGER:
        return int(value)
    return float(Decimal(str(value)))


def _stamp(report: Report) -> str:
    return timezone.localtime(report.generated_at).strftime("%d.%m.%Y %H:%M")


class CsvExporter(Exporter):
    """For Excel in Russia: UTF-8 with a byte-order mark, «;» between cells, decimal comma."""

    identifier, extension, label = "csv", "csv", "CSV"
    content_type = "text/csv; charset=utf-8"

    def render(self, report: Report) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        for n, part in enumerate([report, *report.parts]):
            if n:  # a further table: a blank line, its title, its own header
                writer.writerow([])
                writer.writerow([safe_text(part.title)])
            # One header line: a column under a heading reads «heading: title».
            writer.writerow(
                [safe_text(f"{c.group}: {c.title}" if c.group else c.title) for c in part.columns]
            )
            for row in part.rows:
                writer.writerow(
                    [safe_text(csv_value(row.values.get(c.key), c)) for c in part.columns]
                )
        return ("\ufeff" + out.getvalue()).encode("utf-8")


def csv_value(value, column: Column) -> str:
    """As Excel in Russia reads a number: no thousands separator, a decimal comma."""
    if value is None or value == "":
        return ""
    if column.kind == INTEGER:
        return str(int(value))
    if column.kind in (DECIMAL, PERCENT):
        return f"{Decimal(str(value)):.{column.places}f}".replace(".", ",")
    return display(value, column)


def width_of(report: Report, column: Column) -> int:
    if column.width:
        return column.width
    longest = max(
        (len(display(row.values.get(column.key), column)) for row in report.rows), default=0
    )
    return max(4, min(40, max(longest, min(len(column.title), 16))))


def _fit(text: str, width: int, right: bool) -> str:
    if len(text) > width:
        text = text[: max(1, width - 1)] + "…"
    return text.rjust(width) if right else text.ljust(width)


# A4 landscape holds about 277 mm of text; a monospaced glyph is 0.6 em wide. Below 5.5 pt a
# printed figure is not read: a wider table is cut into bands.
PAGE_MM, GLYPH_EM, MIN_PT, MAX_PT = 277, 0.6, 5.5, 10.0
MAX_CHARS = int(PAGE_MM / (GLYPH_EM * MIN_PT * 0.3528))


def bands(report: Report, widths: list[int], max_chars: int = MAX_CHARS) -> list[list[int]]:
    """The columns of each band of a wide table: the key columns, then as many whole column
    groups as fit in `max_chars` (a group wider than a band is cut)."""
    keys = list(range(min(report.key_columns, len(report.columns))))
    room = max_chars - sum(widths[i] + 1 for i in keys)
    result: list[list[int]] = []
    current: list[int] = []
    used = 0
    runs = group_runs(report.columns[len(keys) :])
    for _heading, indexes in runs:
        indexes = [i + len(keys) for i in indexes]
        size = sum(widths[i] + 1 for i in indexes)
        if current and used + size > room:
            result.append(current)
            current, used = [], 0
        for i in indexes:
            if current and used + widths[i] + 1 > room:
                result.append(current)
                current, used = [], 0
            current.append(i)
            used += widths[i] + 1
    if current or not result:
        result.append(current)
    return [keys + band for band in result]


def monospaced_lines(
    report: Report, columns: list[int] | None = None, widths: list[int] | None = None
) -> tuple[list[str], list[tuple[str, str]]]:
    """(header lines, [(kind, line)]): the table (or some of its columns) as fixed-width
    lines of text; a group heading is written once over the columns it spans."""
    widths = widths or [width_of(report, c) for c in report.columns]
    indexes = list(range(len(report.columns))) if columns is None else columns
    chosen = [report.columns[i] for i in indexes]
    chosen_widths = [widths[i] for i in indexes]
    header = []
    if any(c.group for c in chosen):
        pieces = []
        for heading, run in group_runs(chosen):
            span = sum(chosen_widths[i] for i in run) + len(run) - 1
            pieces.append(_fit(heading, span, False))
        header.append(" ".join(pieces))
    header.append(
        " ".join(_fit(c.title, w, c.numeric) for c, w in zip(chosen, chosen_widths, strict=True))
    )
    body = [
        (
            row.kind,
            " ".join(
                _fit(display(row.values.get(c.key), c), w, c.numeric)
                for c, w in zip(chosen, chosen_widths, strict=True)
            ),
        )
        for row in report.rows
    ]
    return header, body


class PdfExporter(Exporter):
    """A4 landscape; each row one line of monospaced text (one layout box per row)."""

    identifier, extension, label = "pdf", "pdf", "PDF"
    content_type = "application/pdf"

    def table(self, report: Report) -> str:
        """The table's bands as blocks of lines, each sized to fit the page."""
        widths = [width_of(report, c) for c in report.columns]
        blocks = []
        parts = bands(report, widths)
        for number, columns in enumerate(parts, 1):
            header, body = monospaced_lines(report, columns, widths)
            chars = max((len(line) for line in header + [line for _k, line in body]), default=80)
            size = max(MIN_PT, min(MAX_PT, PAGE_MM / (chars * GLYPH_EM) * 2.83))
            caption = ""
            if len(parts) > 1:
                label = _("Часть %(n)s из %(of)s") % {"n": number, "of": len(parts)}
                caption = f'<p class="band">{escape(label)}</p>'
            rows = "\n".join(f'<div class="r {kind}">{escape(line)}</div>' for kind, line in body)
            heads = "".join(f'<div class="h">{escape(line)}</div>' for line in header)
            blocks.append(
                f'{caption}<div class="t" style="font-size: {size:.2f}pt">{heads}\n{rows}</div>'
            )
        return "".join(blocks)

    def section(self, report: Report, *, heading: str) -> str:
        params = "".join(
            f"<p>{escape(label)}: {escape(value)}</p>" for label, value in report.about()
        )
        notices = "".join(f'<p class="notice">{escape(n)}</p>' for n in report.notices)
        notes = "".join(f"<p>{escape(note)}</p>" for note in report.footnotes)
        return (
            f"<{heading}>{escape(report.title)}</{heading}>{params}{notices}"
            f'{self.table(report)}<div class="notes">{notes}</div>'
        )

    def html(self, report: Report) -> str:
        parts = "".join(self.section(part, heading="h2") for part in report.parts)
        made = escape(_("Сформировано: %(when)s") % {"when": _stamp(report)})
        return f"""<!doctype html><html lang="ru"><head><meta charset="utf-8"><style>
@page {{ size: A4 landscape; margin: 10mm 10mm 12mm;
  @bottom-right {{ content: counter(page) " / " counter(pages); font: 8pt sans-serif; }} }}
body {{ font-family: "DejaVu Sans", sans-serif; font-size: 9pt; }}
h1 {{ font-size: 13pt; margin: 0 0 2mm; }} h2 {{ font-size: 11pt; margin: 5mm 0 2mm; }}
p {{ margin: 0 0 1mm; }} .notice {{ font-weight: bold; }}
.band {{ margin-top: 3mm; font-size: 8pt; }}
.t {{ font-family: "DejaVu Sans Mono", monospace; white-space: pre; margin-top: 3mm; }}
.r {{ line-height: 1.35; }} .r:nth-child(even) {{ background: #f2f4f7; }}
.h {{ font-weight: bold; border-bottom: 0.5pt solid #333; }}
.total, .group {{ font-weight: bold; }}
.notes {{ margin-top: 3mm; font-size: 8pt; }}
</style></head><body>
{self.section(report, heading="h1")}{parts}
<div class="notes"><p>{made}</p></div>
</body></html>"""

    def render(self, report: Report) -> bytes:
        from .pdf import render_pdf

        return render_pdf(self.html(report), metadata={"title": report.title})


EXPORTERS = {e.identifier: e for e in (XlsxExporter(), CsvExporter(), PdfExporter())}


def export_response(report: Report, identifier: str) -> HttpResponse | None:
    """The report as a download in the asked format, or None for an unknown one."""
    exporter = EXPORTERS.get(identifier)
    return exporter.response(report) if exporter else None


# --- The screen ------------------------------------------------------------------------------


def to_html(report: Report, *, caption: bool = True) -> str:
    """The report as an HTML table: a sticky header, numbers right-aligned, each row sortable
    by its typed value (data-v, read by static/js/report.js), links where a row has them;
    then its further tables (`parts`), each under its title.
    Joined as strings (a school's report has thousands of cells): everything is escaped."""
    out = [_table(report, caption=caption)]
    for part in report.parts:
        out.append(f'<h2 class="report-part">{escape(part.title)}</h2>')
        out.extend(f'<p class="notice">{escape(n)}</p>' for n in part.notices)
        out.append(_table(part, caption=False))
    return mark_safe("".join(out))


def _table(report: Report, *, caption: bool) -> str:
    out = ['<div class="report-wrap"><table class="report" data-sortable>']
    add = out.append
    if caption:
        add(f"<caption>{escape(report.title)}</caption>")
    add("<thead>")
    if any(c.group for c in report.columns):
        add("<tr>")
        for title, indexes in group_runs(report.columns):
            add(f'<th scope="colgroup" colspan="{len(indexes)}">{escape(title)}</th>')
        add("</tr>")
    add("<tr>")
    for column in report.columns:
        classes = ("n " if column.numeric else "") + ("prev" if column.secondary else "")
        kind = f' data-kind="{column.kind}"' if column.numeric else ""
        cls = f' class="{classes.strip()}"' if classes.strip() else ""
        add(f'<th scope="col"{cls}{kind}>{escape(column.title)}</th>')
    add("</tr></thead><tbody>")
    cell_class = [
        ("n " if c.numeric else "") + ("prev" if c.secondary else "") for c in report.columns
    ]
    for row in report.rows:
        add(f'<tr class="{row.kind}">' if row.kind != "data" else "<tr>")
        for index, column in enumerate(report.columns):
            value = row.values.get(column.key)
            text = escape(display(value, column))
            link = row.links.get(column.key)
            if link and text:
                text = f'<a href="{escape(link)}">{text}</a>'
            sort = _sort_key(value, column)
            attrs = f' data-v="{escape(sort)}"' if sort is not None else ""
            css = " ".join(filter(None, (cell_class[index].strip(), row.classes.get(column.key))))
            if css:
                attrs += f' class="{escape(css)}"'
            tag = "th" if index == 0 else "td"
            scope = ' scope="row"' if tag == "th" else ""
            add(f"<{tag}{scope}{attrs}>{text}</{tag}>")
        add("</tr>")
    add("</tbody></table></div>")
    if report.footnotes:
        add('<div class="footnotes">')
        for note in report.footnotes:
            add(f"<p>{escape(note)}</p>")
        add("</div>")
    return "".join(out)


def _sort_key(value, column: Column):
    if value is None or value == "":
        return None
    if column.kind == DATE:
        return value.isoformat()
    if column.numeric:
        return str(value)
    return None
