"""A plan loaded from a CSV or XLSX file: read, check every row, then save."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lib.tables import Limits, read_upload

from .topics import MAX_TOPIC_HOURS, kind_names, parse_kind

# --- Import from CSV or XLSX ----------------------------------------------------------------------

MAX_IMPORT_ROWS = 1000
# Topics are one line each; the header is one more row.
LIMITS = Limits(max_rows=MAX_IMPORT_ROWS + 1, max_columns=20, max_cell_chars=1000)


@dataclass
class ParsedPlan:
    rows: list = field(default_factory=list)  # [{"line", "title", "hours", "kind"}]
    errors: list = field(default_factory=list)  # [(line or None, message)]
    problems: dict = field(default_factory=dict)  # line -> [message]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def add_error(self, line, message):
        self.errors.append((line, message))
        if line is not None:
            self.problems.setdefault(line, []).append(message)


HEADER_WORDS = {"title": ("тема", "содержание"), "hours": ("час",), "kind": ("тип", "вид", "форма")}


def _columns(first_row: list[str]) -> tuple[dict, bool]:
    """Which column holds what, and whether the first row is a header."""
    lowered = [c.strip().lower() for c in first_row]
    if any(any(w in c for w in HEADER_WORDS["title"]) for c in lowered):
        columns = {}
        for key, words in HEADER_WORDS.items():
            for i, cell in enumerate(lowered):
                if (
                    key not in columns
                    and any(w in cell for w in words)
                    and i not in columns.values()
                ):
                    columns[key] = i
        return columns, True
    # No header: «тема; часы; тип», or «№; тема; часы; тип» when the first cell is a number.
    shift = (
        1 if first_row and first_row[0].strip().rstrip(".").isdigit() and len(first_row) > 1 else 0
    )
    return {"title": shift, "hours": shift + 1, "kind": shift + 2}, False


def parse_plan_table(table: list[list[str]]) -> ParsedPlan:
    parsed = ParsedPlan()
    table = list(table)
    if not any(any(c.strip() for c in row) for row in table):
        parsed.add_error(None, _("В файле нет строк с темами."))
        return parsed
    columns, has_header = _columns(table[0])
    if "title" not in columns:
        parsed.add_error(None, _("В заголовке нет столбца «Тема»."))
        return parsed
    body = table[1:] if has_header else table
    start_line = 2 if has_header else 1
    if len(body) > MAX_IMPORT_ROWS:
        parsed.add_error(None, _("В файле больше %(n)s строк.") % {"n": MAX_IMPORT_ROWS})
        return parsed

    def cell(row, key):
        i = columns.get(key)
        return row[i].strip() if i is not None and i < len(row) and row[i] else ""

    for line, row in enumerate(body, start=start_line):
        if not any((c or "").strip() for c in row):
            continue
        title, hours_raw, kind_raw = cell(row, "title"), cell(row, "hours"), cell(row, "kind")
        problems = []
        if not title:
            problems.append(_("Строка %(line)s: не указана тема.") % {"line": line})
        elif len(title) > 500:
            problems.append(_("Строка %(line)s: тема длиннее 500 знаков.") % {"line": line})
        hours = 1
        if hours_raw:
            text = hours_raw.replace(",", ".")
            try:
                value = float(text)
            except ValueError:
                value = None
            if value is None or not value.is_integer() or not 1 <= value <= MAX_TOPIC_HOURS:
                problems.append(
                    _("Строка %(line)s: часы — целое число от 1 до %(max)s, а не «%(value)s».")
                    % {"line": line, "max": MAX_TOPIC_HOURS, "value": hours_raw}
                )
            else:
                hours = int(value)
        kind = parse_kind(kind_raw)
        if kind is None:
            problems.append(
                _("Строка %(line)s: неизвестный тип урока «%(value)s»; допустимы: %(kinds)s.")
                % {"line": line, "value": kind_raw, "kinds": kind_names()}
            )
        for message in problems:
            parsed.add_error(line, message)
        parsed.rows.append(
            {"line": line, "title": title, "hours": hours, "kind": kind or "", "ok": not problems}
        )
    if not parsed.rows and not parsed.errors:
        parsed.add_error(None, _("В файле нет строк с темами."))
    return parsed


def parse_plan_file(uploaded) -> ParsedPlan:
    try:
        table = read_upload(uploaded, LIMITS)
    except ValidationError as exc:
        parsed = ParsedPlan()
        for message in exc.messages:
            parsed.add_error(None, message)
        return parsed
    return parse_plan_table(table)
