"""The class journal of a closed year as a PDF laid out like the paper journal: a title page,
the list of pupils, for each course sheets of pupils × dated columns (marks and «н») facing
sheets of dates, topics, homework and hours, the course's final marks, the attendance summary
per period, and the control's remarks.

Every sheet is planned here, line by line: a grid row is one line of monospaced text joined
here (never a cell per mark), long lists go on to a continuation sheet, and each sheet fits
one page, so the pages are numbered here too. Such pages need no layout engine: they are
written by lib.text_pdf (fpdf2, PDF/A-3u), a fifteenth of WeasyPrint's time for the same
pages (`make bench`: archive_vs_naive_ratio).
"""

import textwrap
from dataclasses import dataclass

from django.utils.translation import gettext as _

from lib.text_pdf import SheetsPDF

from .journal_data import ClassJournal, CourseJournal

COLUMNS_PER_SHEET = 32  # dated columns on one sheet, as a paper journal's page holds
CELL = 3  # characters of a cell («5/4», «н5»); a rule «│» before each
NAME = 24  # characters of a pupil's short name
MONTHS = ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]
TOPIC, HOMEWORK = 70, 52  # characters of the facing sheet's columns
REMARK = 150  # characters of a line of the control's remarks
# Lines of a sheet's body: an A4 landscape page holds 46 lines of 10.5pt under a sheet's two
# headings and two header lines; the rest is room for a heading that wraps.
LINES_PER_SHEET = 40


@dataclass
class Sheet:
    """One page: its headings (HTML), the bold header lines and the body lines."""

    heading: str
    header: list
    lines: list
    title: str = ""  # the heading's own words (the page number goes after them)


def _fit(text: str, width: int) -> str:
    return (text[: width - 1] + "…" if len(text) > width else text).ljust(width)


def _chunks(items: list, size: int) -> list:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def _sheets(title: str, said: str, header, lines) -> list[Sheet]:
    """A list's sheets: as many as its lines need, the later ones marked as continued."""
    parts = _chunks(lines, LINES_PER_SHEET)
    found = []
    for i, part in enumerate(parts):
        words = said if i == 0 else " — ".join(x for x in (said, _("продолжение")) if x)
        found.append(Sheet(title, list(header), part, words))
    return found


def title_paragraphs(journal: ClassJournal) -> list[tuple[str, int, float]]:
    """The title page's paragraphs: (text, size, space above), centred."""
    found = [
        (journal.school, 11, 0),
        (journal.title, 18, 100),
        (_("%(cls)s, %(span)s") % {"cls": journal.class_label, "span": journal.span}, 11, 14),
    ]
    if journal.class_teacher:
        teacher = _("Классный руководитель: %(name)s") % {"name": journal.class_teacher}
        found.append((teacher, 11, 6))
    if journal.regulation:
        found.append((_("Ведётся по документу: %(doc)s") % {"doc": journal.regulation}, 11, 6))
    return found


def pupils_sheets(journal: ClassJournal) -> list[Sheet]:
    header = [f"{'№':>3} {_fit(_('Фамилия, имя, отчество'), 44)} {_('Отметки о движении')}"]
    lines = [
        f"{n:>3} {_fit(p.full_name, 44)} {p.note}".rstrip() for n, p in enumerate(journal.pupils, 1)
    ]
    return _sheets(_("Список обучающихся"), "", header, lines)


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


def grid_lines(journal, course: CourseJournal, lessons) -> list[str]:
    cells = course.cells
    lines = []
    for n, pk in enumerate(course.pupils, 1):
        name = journal.pupil(pk).short_name
        marks = "│".join(_fit(cells.get((pk, x.pk), ""), CELL) for x in lessons)
        lines.append(f"{n:>3} {_fit(name, NAME)}│{marks}".rstrip())
    return lines


def facing_lines(lessons, first_hour) -> list[str]:
    """The facing sheet's lines, a lesson's wrapped topic and homework side by side."""
    lines = []
    for hour, lesson in enumerate(lessons, first_hour):
        topic = textwrap.wrap(lesson.topic, TOPIC) or [""]
        homework = textwrap.wrap(lesson.homework, HOMEWORK) or [""]
        for i in range(max(len(topic), len(homework))):
            day = lesson.date.strftime("%d.%m") if i == 0 else ""
            number = str(hour) if i == 0 else ""
            lines.append(
                f"{_fit(day, 6)}│{number:>4}│{_fit(topic[i] if i < len(topic) else '', TOPIC)}"
                f"│{homework[i] if i < len(homework) else ''}".rstrip()
            )
    return lines


def _facing_parts(lessons, first_hour) -> list[list[str]]:
    """The facing sheet's lines in pages: a lesson's lines stay on one page."""
    pages, page = [], []
    for n, lesson in enumerate(lessons):
        lines = facing_lines([lesson], first_hour + n)
        if page and len(page) + len(lines) > LINES_PER_SHEET:
            pages.append(page)
            page = []
        page.extend(lines)
    return [*pages, page]


def finals_lines(journal, course: CourseJournal) -> list[str]:
    return [
        f"{n:>3} {_fit(journal.pupil(pk).full_name, 36)}"
        + "".join(f"│{_fit(course.finals.get((pk, k), ''), 7)}" for k, _h in course.final_columns)
        for n, pk in enumerate(course.pupils, 1)
    ]


def _course_said(course: CourseJournal, what: str) -> tuple[str, str]:
    subject = course.subject + (f" ({course.subgroup})" if course.subgroup else "")
    teacher = _("учитель: %(names)s") % {"names": course.teachers} if course.teachers else ""
    return subject, " — ".join(x for x in (what, teacher) if x)


def course_sheets(journal, course: CourseJournal) -> list[Sheet]:
    found = []
    lessons = course.lessons
    columns = _chunks(lessons, COLUMNS_PER_SHEET)
    facing_header = [
        f"{_fit(_('Дата'), 6)}│{_fit(_('Час'), 4)}│{_fit(_('Что пройдено на уроке'), TOPIC)}"
        f"│{_('Домашнее задание')}"
    ]
    for i, chunk in enumerate(columns):
        label = _("лист %(n)s из %(of)s") % {"n": i + 1, "of": len(columns)}
        subject, said = _course_said(course, label)
        found.extend(
            _sheets(subject, said, _date_header(chunk), grid_lines(journal, course, chunk))
        )
        subject, said = _course_said(course, label + ", " + _("оборот"))
        for n, lines in enumerate(_facing_parts(chunk, i * COLUMNS_PER_SHEET + 1)):
            words = said if n == 0 else said + " — " + _("продолжение")
            found.append(Sheet(subject, facing_header, lines, words))
    hours = _("Дано часов: %(given)s") % {"given": len(lessons)}
    if course.hours_planned:
        hours += " " + _("из %(planned)s по учебному плану") % {"planned": course.hours_planned}
    header = [
        f"{'№':>3} {_fit(_('Фамилия, имя, отчество'), 36)}"
        + "".join(f"│{_fit(h, 7)}" for _k, h in course.final_columns)
    ]
    subject, said = _course_said(course, _("итоговые отметки"))
    finals = _sheets(subject, said, header, finals_lines(journal, course))
    if len(finals[-1].lines) + 2 > LINES_PER_SHEET:
        finals.append(Sheet(subject, [], [], said + " — " + _("продолжение")))
    finals[-1].lines = [*finals[-1].lines, "", hours]
    return found + finals


def attendance_sheets(journal: ClassJournal) -> list[Sheet]:
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
    said = _("Пропущено уроков за период: всего, по болезни, по уважительной причине")
    return _sheets(_("Сводная ведомость посещаемости"), said, header, lines)


def remarks_sheets(journal: ClassJournal) -> list[Sheet]:
    if not journal.remarks:
        return []
    lines = []
    for remark in journal.remarks:
        lines.extend([*textwrap.wrap(remark, REMARK), ""])
    return _sheets(_("Замечания по ведению журнала"), "", [], lines[:-1])


def journal_sheets(journal: ClassJournal) -> list[Sheet]:
    """Every sheet after the title page, in the journal's order."""
    sheets = pupils_sheets(journal)
    for course in journal.courses:
        sheets.extend(course_sheets(journal, course))
    sheets.extend(attendance_sheets(journal))
    sheets.extend(remarks_sheets(journal))
    return sheets


def journal_pdf(journal: ClassJournal) -> bytes:
    """The journal as PDF/A: the title page, unnumbered, then every sheet, one a page."""
    sheets = journal_sheets(journal)
    pages = len(sheets) + 1
    document = SheetsPDF(f"{journal.title} {journal.school_class}")
    document.title_page(title_paragraphs(journal))
    for n, sheet in enumerate(sheets, 2):
        number = _("с. %(n)s из %(of)s") % {"n": n, "of": pages}
        said = " — ".join(x for x in (sheet.title, number) if x)
        document.sheet(sheet.heading, said, sheet.header, sheet.lines)
    return document.output()
