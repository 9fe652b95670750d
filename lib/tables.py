"""The one reader of uploaded tables (CSV and XLSX), with limits that hold for any file.

Every import of the project (classes, pupils, the timetable, a plan) reads its file here, so
a hostile file meets the same limits everywhere: the upload's size, the size its XLSX parts
unpack to, the rows and columns read, and the length of a cell. A file past a limit is
refused at the first one with a Russian message; memory stays bounded because an XLSX sheet
is read in openpyxl's streaming mode, only as far as the limits allow (a sheet may declare a
million rows by a million columns in a few bytes: nothing is read past `max_columns`, nor
past the rows a well-formed file of the allowed size could have).

`read_rows` maps the first row (the header) to the importer's columns by their names and
aliases, so each importer only says which columns it knows.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .dates import fmt


class TableError(ValidationError):
    """The file as a whole cannot be read (its message says why, in Russian)."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 2 * 1024 * 1024  # the upload itself
    max_rows: int = 5000  # rows with something in them, the header included
    max_columns: int = 40
    max_cell_chars: int = 2000
    # An XLSX is a zip: what its parts may unpack to in all (a 5 KB file may unpack to GBs).
    max_unpacked_bytes: int = 64 * 1024 * 1024

    @property
    def max_scanned_rows(self) -> int:
        """Rows read at all, empty ones included: a sheet of blank rows is bounded too."""
        return 2 * self.max_rows + 100


DEFAULT_LIMITS = Limits()
# The csv module's own cap on a field (128 KB, process-wide) would refuse a long cell with an
# English message before `max_cell_chars` can name its line and column; the upload's size
# bounds memory anyway.
csv.field_size_limit(64 * 1024 * 1024)
# Tab, line feed and carriage return are whitespace; every other control character (NUL
# first of all) means the file is not a text table.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def cell_text(value) -> str:
    """A cell as the text a person sees: dates as 01.09.2026, 5.0 as 5."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return fmt(value.date())
    if isinstance(value, date):
        return fmt(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _too_big(limits: Limits) -> TableError:
    size = limits.max_bytes
    if size >= 1024 * 1024:
        limit = _("%(n)s МБ") % {"n": f"{size / 1024 / 1024:g}".replace(".", ",")}
    else:
        limit = _("%(n)s КБ") % {"n": f"{size / 1024:g}".replace(".", ",")}
    return TableError(
        _("Файл больше %(limit)s: разделите его на части.") % {"limit": limit},
        code="file_size",
    )


def _too_many_rows(limits: Limits) -> TableError:
    return TableError(
        _("В файле больше %(n)s строк: разделите его.") % {"n": limits.max_rows - 1},
        code="rows",
    )


class _Collector:
    """Rows as they are read, checked against the limits one cell at a time."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.rows: list[list[str]] = []
        self.filled = 0

    def add(self, line: int, values) -> None:
        limits = self.limits
        cells = [cell_text(v) for v in values]
        while cells and not cells[-1]:
            cells.pop()
        if len(cells) > limits.max_columns:
            raise TableError(
                _("Строка %(line)s: больше %(n)s столбцов. Уберите лишние столбцы.")
                % {"line": line, "n": limits.max_columns},
                code="columns",
            )
        for column, text in enumerate(cells, 1):
            if len(text) > limits.max_cell_chars:
                raise TableError(
                    _("Строка %(line)s, столбец %(column)s: в ячейке больше %(n)s знаков.")
                    % {"line": line, "column": column, "n": limits.max_cell_chars},
                    code="cell_length",
                )
            if CONTROL.search(text):
                raise TableError(
                    _(
                        "Строка %(line)s, столбец %(column)s: недопустимый управляющий символ. "
                        "Сохраните таблицу заново как CSV или XLSX."
                    )
                    % {"line": line, "column": column},
                    code="control",
                )
        if cells:
            self.filled += 1
            if self.filled > limits.max_rows:
                raise _too_many_rows(limits)
        self.rows.append(cells)


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError(_("Не удалось прочитать файл: нужна кодировка UTF-8 или Windows-1251."))


def _read_csv(raw: bytes, limits: Limits) -> list[list[str]]:
    text = _decode(raw)
    if "\x00" in text:
        raise TableError(
            _("В файле есть нулевые байты: это не текстовая таблица. Сохраните её как CSV."),
            code="control",
        )
    sample = text[:4096]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        delimiter = max(";,\t", key=sample.count) if sample else ";"
    collector = _Collector(limits)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for values in reader:
            if reader.line_num > limits.max_scanned_rows:
                raise _too_many_rows(limits)
            collector.add(reader.line_num, values)
    except csv.Error as error:
        raise TableError(
            _("Строка %(line)s не читается как CSV (%(error)s).")
            % {"line": reader.line_num, "error": str(error)[:100]},
            code="csv",
        ) from error
    return collector.rows


def _read_xlsx(raw: bytes, limits: Limits) -> list[list[str]]:
    damaged = TableError(
        _("Не удалось прочитать файл XLSX: он повреждён или это не таблица Excel."),
        code="xlsx",
    )
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise damaged from error
    if unpacked > limits.max_unpacked_bytes:
        raise TableError(
            _("Файл XLSX распаковывается в слишком большой объём: сохраните лист отдельно."),
            code="unpacked",
        )
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise damaged from error
    try:
        if not book.worksheets:
            raise damaged
        sheet = book.worksheets[0]
        # The sheet's declared size is not trusted: rows and columns are read only as far
        # as the limits go (a cell right of `max_columns + 1` is never looked at; one in
        # that column refuses the row).
        sheet.reset_dimensions()
        collector = _Collector(limits)
        rows = sheet.iter_rows(
            min_row=1,
            max_row=limits.max_scanned_rows + 1,
            max_col=limits.max_columns + 1,
            values_only=True,
        )
        for line, values in enumerate(rows, 1):
            if line > limits.max_scanned_rows:
                raise _too_many_rows(limits)
            collector.add(line, values)
        return collector.rows
    except TableError:
        raise
    except Exception as error:  # a damaged sheet inside a well-formed zip
        raise damaged from error
    finally:
        book.close()


TABLE_SUFFIXES = (".csv", ".txt", ".xlsx")


def check_table_name(filename: str) -> None:
    if not (filename or "").lower().endswith(TABLE_SUFFIXES):
        raise TableError(_("Загрузите файл CSV или XLSX."), code="file_type")


def check_upload_size(uploaded, limits: Limits) -> None:
    if uploaded.size is not None and uploaded.size > limits.max_bytes:
        raise _too_big(limits)


def read_cells(filename: str, raw: bytes, limits: Limits = DEFAULT_LIMITS) -> list[list[str]]:
    """The cells of the first sheet of an XLSX file, or of a CSV file (UTF-8 or
    Windows-1251; separated by ; , or tab), as stripped strings; rows keep their places
    (an empty row is an empty list), so a row's index + 1 is its line in the file."""
    check_table_name(filename)
    if len(raw) > limits.max_bytes:
        raise _too_big(limits)
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(raw, limits)
    return _read_csv(raw, limits)


def read_upload(uploaded, limits: Limits = DEFAULT_LIMITS) -> list[list[str]]:
    """`read_cells` of an uploaded file, refused by its size before it is read."""
    check_upload_size(uploaded, limits)
    return read_cells(uploaded.name or "", uploaded.read(limits.max_bytes + 1), limits)


@dataclass(frozen=True)
class Column:
    """A column an importer knows: its key, the header it is shown with, other headers."""

    key: str
    label: str
    aliases: tuple = ()
    required: bool = False


def normalize_header(text: str) -> str:
    text = str(text or "").strip().lower().replace("ё", "е").rstrip(":*").strip()
    return re.sub(r"\s+", " ", text)


@dataclass
class Rows:
    rows: list  # [{"line": n, "values": {column key: text}}]
    present: set  # keys of the columns the header named


def read_rows(table: list[list[str]], columns: list[Column], also_missing=None) -> Rows:
    """Map a table's first non-empty row to `columns` (by label or alias) and the rows below
    it to {key: text}, each with its line in the file. A required column missing raises, as
    do the labels `also_missing(present keys)` names (columns needed one way or another)."""
    lines = [(line, cells) for line, cells in enumerate(table, 1) if any(cells)]
    if not lines:
        raise TableError(_("Файл пуст."), code="empty")
    by_alias = {normalize_header(a): c for c in columns for a in (str(c.label), *c.aliases)}
    header = [by_alias.get(normalize_header(h)) for h in lines[0][1]]
    present = {c.key for c in header if c}
    missing = [str(c.label) for c in columns if c.required and c.key not in present]
    missing += also_missing(present) if also_missing else []
    if missing:
        raise missing_columns(missing)
    rows = [
        {
            "line": line,
            "values": {
                column.key: cell
                for column, cell in zip(header, cells, strict=False)
                if column is not None
            },
        }
        for line, cells in lines[1:]
    ]
    return Rows(rows=rows, present=present)


def missing_columns(labels) -> TableError:
    return TableError(
        _(
            "В файле нет столбцов: %(columns)s. Первая строка должна содержать заголовки "
            "(образец — по ссылке на странице загрузки)."
        )
        % {"columns": ", ".join(labels)},
        code="columns_missing",
    )
