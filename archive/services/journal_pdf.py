"""The class journal of a closed year as a PDF laid out like the paper journal: a title page,
the list of pupils, for each course sheets of pupils × dated columns (marks and «н») facing
sheets of dates, topics, homework and hours, the course's final marks, the attendance summary
per period, and the control's remarks.

Laid out for WeasyPrint's speed (DESIGN.md: cost grows with the number of layout boxes): a
grid row is one block of monospaced text joined here, never a <td> per cell; a lesson on a
facing sheet is one block whose columns are wrapped here. A sheet of 30 pupils is some forty
boxes, where a table of the same cells is a thousand: the rows of a sheet are one block of
lines, striped by its background.
"""

import textwrap
from html import escape

from django.utils.translation import gettext as _

from .journal_data import ClassJournal, CourseJournal

COLUMNS_PER_SHEET = 32  # dated columns on one sheet, as a paper journal's page holds
CELL = 3  # characters of a cell («5/4», «н5»); a rule «│» before each
NAME = 24  # characters of a pupil's short name
MONTHS = ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]
TOPIC, HOMEWORK = 70, 52  # characters of the facing sheet's columns

STYLE = """
@page { size: A4 landscape; margin: 9mm 9mm 11mm;
  @bottom-right { content: counter(page) " / " counter(pages); font: 7pt "DejaVu Sans"; }
  @bottom-left { content: string(sheet); font: 7pt "DejaVu Sans"; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; margin: 0; }
h1 { font-size: 18pt; margin: 40mm 0 6mm; text-align: center; }
h2 { font-size: 12pt; margin: 0 0 2mm; string-set: sheet content(); }
h3 { font-size: 9pt; margin: 0 0 1.5mm; font-weight: normal; }
.title p { text-align: center; margin: 0 0 3mm; font-size: 11pt; }
.sheet { break-before: page; }
.t { font-family: "DejaVu Sans Mono", monospace; white-space: pre; font-size: 7.4pt;
  line-height: 10.5pt; }
.t .h { font-weight: bold; border-bottom: 0.6pt solid #333; }
/* Stripes every other line: a background of the block, not a box per row. */
.t .b { background: repeating-linear-gradient(to bottom, #fff 0, #fff 10.5pt, #eef1f5 10.5pt,
  #eef1f5 21pt); }
.f { font-size: 7.4pt; }
.n { margin-top: 2mm; font-size: 8pt; }
"""


def _fit(text: str, width: int) -> str:
    return (text[: width - 1] + "…" if len(text) > width else text).ljust(width)


def _rows(lines, header=()) -> str:
    """Lines of monospaced text: the header's block in bold, then one block of every line
    (joined here: two boxes and their lines, however many rows)."""
    head = f'<div class="h">{escape(chr(10).join(header))}</div>' if header else ""
    return f'<div class="t">{head}<div class="b">{escape(chr(10).join(lines))}</div></div>'


def title_page(journal: ClassJournal) -> str:
    lines = [
        f"<p>{escape(journal.school)}</p>",
        f"<h1>{escape(_('Классный журнал'))}</h1>",
        "<p>"
        + escape(_("%(cls)s класс, %(year)s учебный год"))
        % {"cls": escape(journal.school_class), "year": escape(journal.year)}
        + "</p>",
    ]
    if journal.class_teacher:
        teacher = _("Классный руководитель: %(name)s") % {"name": journal.class_teacher}
        lines.append(f"<p>{escape(teacher)}</p>")
    if journal.regulation:
        lines.append(
            f"<p>{escape(_('Ведётся по документу: %(doc)s') % {'doc': journal.regulation})}</p>"
        )
    return f'<section class="title">{"".join(lines)}</section>'


def pupils_page(journal: ClassJournal) -> str:
    header = [f"{'№':>3} {_fit(_('Фамилия, имя, отчество'), 44)} {_('Отметки о движении')}"]
    lines = [f"{n:>3} {_fit(p.full_name, 44)} {p.note}" for n, p in enumerate(journal.pupils, 1)]
    return (
        f'<section class="sheet"><h2>{escape(_("Список обучающихся"))}</h2>'
        f"{_rows(lines, header)}</section>"
    )


def _date_header(lessons) -> list[str]:
    months, days = [], []
    last_month = None
    for lesson in lessons:
        month = lesson.date.month
        months.append(_fit(MONTHS[month - 1] if month != last_month else "", CELL))
        days.append(f"{lesson.date.day:>{CELL}}")
        last_month = month
    blank = " " * (4 + NAME)
    return [blank + "│" + "│".join(months), f"{'№':>3} {_fit(_('Дата'), NAME)}│" + "│".join(days)]


def grid_sheet(journal, course: CourseJournal, lessons, heading) -> str:
    lines = []
    cells = course.cells
    for n, pk in enumerate(course.pupils, 1):
        name = journal.pupil(pk).short_name
        marks = "│".join(f"{_fit(cells.get((pk, x.pk), ''), CELL)}" for x in lessons)
        lines.append(f"{n:>3} {_fit(name, NAME)}│{marks}")
    return f'<section class="sheet">{heading}{_rows(lines, _date_header(lessons))}</section>'


def facing_sheet(course: CourseJournal, lessons, heading, first_hour) -> str:
    header = [
        f"{_fit(_('Дата'), 6)}│{_fit(_('Час'), 4)}│{_fit(_('Что пройдено на уроке'), TOPIC)}"
        f"│{_('Домашнее задание')}"
    ]
    blocks = []
    for hour, lesson in enumerate(lessons, first_hour):
        topic = textwrap.wrap(lesson.topic, TOPIC) or [""]
        homework = textwrap.wrap(lesson.homework, HOMEWORK) or [""]
        height = max(len(topic), len(homework))
        rows = []
        for i in range(height):
            day = lesson.date.strftime("%d.%m") if i == 0 else ""
            number = str(hour) if i == 0 else ""
            rows.append(
                f"{_fit(day, 6)}│{number:>4}│{_fit(topic[i] if i < len(topic) else '', TOPIC)}"
                f"│{homework[i] if i < len(homework) else ''}"
            )
        blocks.append("\n".join(rows))
    return f'<section class="sheet">{heading}{_rows(blocks, header)}</section>'


def finals_sheet(journal, course: CourseJournal, heading, tail: str = "") -> str:
    header = [
        f"{'№':>3} {_fit(_('Фамилия, имя, отчество'), 36)}"
        + "".join(f"│{_fit(h, 7)}" for _k, h in course.final_columns)
    ]
    lines = [
        f"{n:>3} {_fit(journal.pupil(pk).full_name, 36)}"
        + "".join(f"│{_fit(course.finals.get((pk, k), ''), 7)}" for k, _h in course.final_columns)
        for n, pk in enumerate(course.pupils, 1)
    ]
    return f'<section class="sheet">{heading}{_rows(lines, header)}{tail}</section>'


def _course_heading(course: CourseJournal, what: str) -> str:
    subject = course.subject + (f" ({course.subgroup})" if course.subgroup else "")
    teacher = _("учитель: %(names)s") % {"names": course.teachers} if course.teachers else ""
    said = " — ".join(x for x in (what, teacher) if x)
    return f"<h2>{escape(subject)}</h2><h3>{escape(said)}</h3>"


def course_pages(journal, course: CourseJournal) -> str:
    parts = []
    lessons = course.lessons
    sheets = max(1, -(-len(lessons) // COLUMNS_PER_SHEET))
    for i in range(sheets):
        chunk = lessons[i * COLUMNS_PER_SHEET : (i + 1) * COLUMNS_PER_SHEET]
        label = _("лист %(n)s из %(of)s") % {"n": i + 1, "of": sheets}
        parts.append(grid_sheet(journal, course, chunk, _course_heading(course, label)))
        parts.append(
            facing_sheet(
                course,
                chunk,
                _course_heading(course, label + ", " + _("оборот")),
                i * COLUMNS_PER_SHEET + 1,
            )
        )
    given = len(lessons)
    hours = _("Дано часов: %(given)s") % {"given": given}
    if course.hours_planned:
        hours += " " + _("из %(planned)s по учебному плану") % {"planned": course.hours_planned}
    heading = _course_heading(course, _("итоговые отметки"))
    parts.append(finals_sheet(journal, course, heading, f'<p class="n">{escape(hours)}</p>'))
    return "".join(parts)


def attendance_page(journal: ClassJournal) -> str:
    periods = journal.periods
    header = [
        f"{'№':>3} {_fit(_('Фамилия, имя, отчество'), 36)}"
        + "".join(f"│{_fit(p.label, 17)}" for p in periods),
        f"{'':>3} {'':36}" + "".join(f"│{_fit(_('проп. бол. уваж.'), 17)}" for _p in periods),
    ]
    lines = []
    for n, pupil in enumerate(journal.pupils, 1):
        counts = journal.attendance.get(pupil.pk, {})
        cells = "".join(
            "│{:>5} {:>5} {:>5}".format(*counts.get(p.pk, (0, 0, 0, 0))[:3]) for p in periods
        )
        lines.append(f"{n:>3} {_fit(pupil.full_name, 36)}{cells}")
    return (
        f'<section class="sheet"><h2>{escape(_("Сводная ведомость посещаемости"))}</h2>'
        f"<h3>{escape(_('Пропущено уроков за период: всего, по болезни, по уважительной причине'))}"
        f"</h3>{_rows(lines, header)}</section>"
    )


def remarks_page(journal: ClassJournal) -> str:
    if not journal.remarks:
        return ""
    items = "".join(f"<p>{escape(r)}</p>" for r in journal.remarks)
    return (
        f'<section class="sheet"><h2>{escape(_("Замечания по ведению журнала"))}</h2>'
        f'<div class="f">{items}</div></section>'
    )


def journal_html(journal: ClassJournal) -> str:
    body = [title_page(journal), pupils_page(journal)]
    body.extend(course_pages(journal, course) for course in journal.courses)
    body.append(attendance_page(journal))
    body.append(remarks_page(journal))
    return (
        f'<!doctype html><html lang="ru"><head><meta charset="utf-8">'
        f"<title>{escape(_('Классный журнал'))} {escape(journal.school_class)}</title>"
        f"<style>{STYLE}</style></head><body>{''.join(body)}</body></html>"
    )
