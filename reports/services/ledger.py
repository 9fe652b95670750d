"""Сводная ведомость учёта успеваемости of one class for one year, laid out as the paper form:
pupils down, subjects across, under each subject its periods, the year, the exam and the
final («итоговая») mark.

`progress_ledger(school, school_class)` returns a lib.export.Report; the page shows it and
the year's archive (issue 14) renders the same into its PDF/A. Two queries: the class's
pupils of the year, and its final marks.
"""

from django.utils.translation import gettext as _

from accounts.words import words_for
from grading.models import FinalMark
from lib.dates import fmt
from lib.export import INTEGER, Column, Report, Row
from schedule.models import Course, Enrolment
from schedule.services.roster import stay_rows

from .scope import grade_periods, period_short, year_periods

Kind = FinalMark.Kind
# How a final mark reads in a ledger's narrow cell.
SHORT = {"pass": "зач.", "fail": "незач.", "na": "н/а", "ex": "осв."}


def ledger_columns(periods, extra_kinds) -> list[tuple[str, str | None, str]]:
    """[(kind, period id, heading)]: each period, the year, then exam and final if any."""
    columns = [(Kind.PERIOD, p.pk, period_short(p)) for p in periods]
    columns.append((Kind.YEAR, None, _("год")))
    if Kind.EXAM in extra_kinds:
        columns.append((Kind.EXAM, None, _("экз.")))
    if Kind.FINAL in extra_kinds:
        columns.append((Kind.FINAL, None, _("итог.")))
    return columns


def class_pupils(school_class, start, end) -> list[tuple]:
    """[(pupil id, full name, first day, last day or None)] of everyone in the class between
    two days, in the journal's order (one query)."""
    found = []
    for row in stay_rows(Enrolment.objects.filter(school_class=school_class), start, end):
        last = None if any(e is None for _s, e in row.spans) else max(e for _s, e in row.spans)
        found.append((row.pupil.pk, row.pupil.full_name, min(s for s, _e in row.spans), last))
    return found


def class_ledger(school, school_class, *, title, slug, columns, rows, notices=(), notes=()):
    """A summary ledger of one class for its year: the year and the class above the table,
    how long the school keeps it below (the archive files it by that)."""
    return Report(
        title=title,
        columns=columns,
        rows=rows,
        slug=slug,
        key_columns=2,
        parameters=[
            (_("Учебный год"), school_class.year.name),
            (words_for(school).Class, school_class.name),
        ],
        notices=list(notices),
        footnotes=[
            *notes,
            _("Срок хранения сводной ведомости — %(n)s лет.")
            % {"n": school.regulation.retention_years("ledger")},
        ],
    )


def progress_ledger(school, school_class) -> Report:
    """The summary ledger of one class for its year."""
    year = school_class.year
    periods = grade_periods(year_periods(year), school_class.grade)
    pupils = class_pupils(school_class, year.start, year.end)
    subjects: dict = {}
    for subject_id, name in (
        Course.objects.filter(school_class=school_class)
        .order_by("subject__name")
        .values_list("subject_id", "subject__name")
    ):
        subjects.setdefault(subject_id, name)
    marks: dict = {}
    kinds = set()
    for pupil_id, subject_id, kind, period_id, value in FinalMark.objects.filter(
        course__school_class=school_class
    ).values_list("pupil_id", "course__subject_id", "kind", "period_id", "value"):
        marks[(pupil_id, subject_id, kind, period_id)] = SHORT.get(value, value)
        kinds.add(kind)
    layout = ledger_columns(periods, kinds)
    columns = [Column("n", "№", INTEGER), Column("pupil", _("Фамилия, имя, отчество"))]
    for subject_id, name in subjects.items():
        for kind, period_id, heading in layout:
            columns.append(Column(f"{subject_id}-{kind}-{period_id}", heading, group=name, width=5))
    rows = []
    for n, (pupil_id, name, first, last) in enumerate(pupils, 1):
        label = name
        if first > year.start:
            label += " " + _("(прибыл %(date)s)") % {"date": fmt(first)}
        if last is not None and last < year.end:
            label += " " + _("(выбыл %(date)s)") % {"date": fmt(last)}
        values = {"n": n, "pupil": label}
        for subject_id in subjects:
            for kind, period_id, _heading in layout:
                value = marks.get((pupil_id, subject_id, kind, period_id))
                if value:
                    values[f"{subject_id}-{kind}-{period_id}"] = value
        rows.append(Row(values))
    notices = []
    if school_class.no_marks:
        notices.append(
            _("%(Class)s обучается без отметок: итоговые отметки не выставляются.")
            % words_for(school)
        )
    return class_ledger(
        school,
        school_class,
        title=(
            _("Сводная ведомость учёта успеваемости обучающихся группы %(cls)s")
            if words_for(school).college
            else _("Сводная ведомость учёта успеваемости обучающихся %(cls)s класса")
        )
        % {"cls": school_class.name},
        slug=f"ledger-{school_class.name}",
        columns=columns,
        rows=rows,
        notices=notices,
        notes=[_("зач. — зачтено, незач. — не зачтено, н/а — не аттестован, осв. — освобождён.")],
    )
