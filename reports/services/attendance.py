"""Посещаемость (сводная ведомость учёта посещаемости): per pupil, missed lessons and missed
days, split into by illness, excused and unexcused, and lates; totals per class and school.

A day counts as missed when every lesson of the pupil's day was missed: the lessons held
that day for the whole class and for the pupil's subgroups, against the pupil's absences of
that day. A missed day is «по болезни» when every lesson was missed for illness, «без
уважительной причины» when any was missed without one, otherwise «по уважительной».

Aggregated in SQL — absences per pupil and day, lessons per class and day, lessons per
subgroup and day — and combined per pupil in Python: five queries whatever the size.
`attendance_ledger(school, school_class)` is the year's form per class by months, which the
year's archive (issue 14) renders too.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.words import words_for
from journal.models import Attendance
from lib.dates import MONTHS
from lib.export import INTEGER, Column, Report, Row
from schedule.models import Enrolment, Lesson, SubgroupMembership

from .documents import parallel_label
from .ledger import class_ledger, class_pupils
from .sums import Sums

MISSED = Attendance.MISSED


@dataclass
class Absences(Sums):
    lessons: int = 0  # missed lessons
    lessons_ill: int = 0
    lessons_excused: int = 0
    lessons_unexcused: int = 0
    days: int = 0  # missed days (every lesson of the day)
    days_ill: int = 0
    days_excused: int = 0
    days_unexcused: int = 0
    late: int = 0


FIGURES = [
    ("lessons", gettext_lazy("всего"), gettext_lazy("Пропущено уроков")),
    ("lessons_ill", gettext_lazy("по болезни"), gettext_lazy("Пропущено уроков")),
    ("lessons_excused", gettext_lazy("по уважит."), gettext_lazy("Пропущено уроков")),
    ("lessons_unexcused", gettext_lazy("без уважит."), gettext_lazy("Пропущено уроков")),
    ("days", gettext_lazy("всего"), gettext_lazy("Пропущено дней")),
    ("days_ill", gettext_lazy("по болезни"), gettext_lazy("Пропущено дней")),
    ("days_excused", gettext_lazy("по уважит."), gettext_lazy("Пропущено дней")),
    ("days_unexcused", gettext_lazy("без уважит."), gettext_lazy("Пропущено дней")),
    ("late", gettext_lazy("Опозданий"), ""),
]


def absences(class_ids, start: date, end: date, *, by_month: bool = False) -> dict:
    """{(pupil_id, class_id[, month]): Absences} between two days, for the classes."""
    class_ids = list(class_ids)
    if not class_ids:
        return {}
    held = Q(lesson__status=Lesson.Status.PLANNED, lesson__date__gte=start, lesson__date__lte=end)
    per_day = (
        Attendance.objects.filter(held, lesson__course__school_class_id__in=class_ids)
        .filter(deleted_at__isnull=True)
        .values("pupil_id", "lesson__course__school_class_id", "lesson__date")
        .annotate(
            missed=Count("id", filter=Q(code__in=MISSED)),
            ill=Count("id", filter=Q(code=Attendance.Code.ILL)),
            excused=Count("id", filter=Q(code=Attendance.Code.EXCUSED)),
            unexcused=Count("id", filter=Q(code=Attendance.Code.ABSENT)),
            late=Count("id", filter=Q(code=Attendance.Code.LATE)),
        )
        .order_by()
        .values_list(
            "pupil_id",
            "lesson__course__school_class_id",
            "lesson__date",
            "missed",
            "ill",
            "excused",
            "unexcused",
            "late",
        )
    )
    lessons = Lesson.objects.filter(
        status=Lesson.Status.PLANNED, date__gte=start, date__lte=end
    ).order_by()
    class_day = {
        (class_id, day): n
        for class_id, day, n in lessons.filter(
            course__school_class_id__in=class_ids, course__subgroup__isnull=True
        )
        .values("course__school_class_id", "date")
        .annotate(n=Count("id"))
        .values_list("course__school_class_id", "date", "n")
    }
    group_day: dict = {}
    for subgroup_id, day, n in (
        lessons.filter(course__school_class_id__in=class_ids, course__subgroup__isnull=False)
        .values("course__subgroup_id", "date")
        .annotate(n=Count("id"))
        .values_list("course__subgroup_id", "date", "n")
    ):
        group_day[(subgroup_id, day)] = n
    places: dict = {}
    if group_day:
        for pupil_id, subgroup_id, first, last in (
            SubgroupMembership.objects.filter(subgroup__school_class_id__in=class_ids)
            .overlapping(start, end)
            .values_list("pupil_id", "subgroup_id", "start", "end")
        ):
            places.setdefault(pupil_id, []).append((subgroup_id, first, last))
    found: dict = {}
    for pupil_id, class_id, day, missed, ill, excused, unexcused, late in per_day:
        key = (pupil_id, class_id, (day.year, day.month)) if by_month else (pupil_id, class_id)
        item = found.get(key)
        if item is None:
            item = found[key] = Absences()
        item.lessons += missed
        item.lessons_ill += ill
        item.lessons_excused += excused
        item.lessons_unexcused += unexcused
        item.late += late
        if not missed:
            continue
        due = class_day.get((class_id, day), 0) + sum(
            group_day.get((subgroup_id, day), 0)
            for subgroup_id, first, last in places.get(pupil_id, [])
            if first <= day and (last is None or day <= last)
        )
        if missed >= due:  # every lesson of the pupil's day
            item.days += 1
            if ill == missed:
                item.days_ill += 1
            elif unexcused:
                item.days_unexcused += 1
            else:
                item.days_excused += 1
    return found


def _columns(first):
    return [
        *first,
        *[Column(key, str(title), INTEGER, group=str(group)) for key, title, group in FIGURES],
    ]


def _values(item: Absences | None) -> dict:
    item = item or Absences()
    return {key: getattr(item, key) for key, _t, _g in FIGURES}


FOOTNOTES = [
    gettext_lazy(
        "День считается пропущенным, если пропущены все уроки этого дня у обучающегося (его "
        "класса и его подгрупп). День — по болезни, если все его уроки пропущены по болезни; "
        "без уважительной причины, если хотя бы один урок пропущен без неё."
    ),
]


def attendance_report(selection, span, *, at_least: int | None = None, link=None) -> Report:
    """Per pupil of a class, or per class of a parallel or the school (with the pupils who
    missed at least `at_least` lessons listed under their class); totals."""
    words = words_for(selection.school)
    classes = list(selection.classes().only("pk", "grade", "letter"))
    class_ids = [c.pk for c in classes]
    figures = absences(class_ids, span.start, span.end)
    per_pupil = selection.kind == "class" or at_least is not None
    rows = []
    total = Absences()
    if per_pupil:
        names = _pupils_of(class_ids, span.start, span.end)
        for school_class in classes:
            pupils = names.get(school_class.pk, [])
            shown = []
            class_total = Absences()
            for pupil_id, name in pupils:
                item = figures.get((pupil_id, school_class.pk)) or Absences()
                class_total.merge(item)
                if at_least is not None and item.lessons < at_least:
                    continue
                shown.append((name, item))
            total.merge(class_total)
            if selection.kind != "class":
                if not shown:
                    continue
                rows.append(Row({"name": school_class.name}, kind=Row.GROUP))
            for n, (name, item) in enumerate(shown, 1):
                rows.append(Row({"n": n, "name": name, **_values(item)}))
            rows.append(
                Row(
                    {
                        "name": _("Итого %(to_class)s %(cls)s")
                        % {"to_class": words.to_class, "cls": school_class.name},
                        **_values(class_total),
                    },
                    kind=Row.TOTAL,
                )
            )
        columns = _columns([Column("n", "№", INTEGER), Column("name", _("Обучающийся"))])
        key_columns = 2
    else:
        counts = _pupil_counts(class_ids, span.end)
        grade = None
        grade_total = Absences()
        grade_pupils = grade_classes = 0
        for school_class in classes:
            if grade is not None and school_class.grade != grade and selection.kind == "school":
                if grade_classes > 1:
                    rows.append(_grade_row(grade, grade_pupils, grade_total))
                grade_total, grade_pupils, grade_classes = Absences(), 0, 0
            grade = school_class.grade
            grade_classes += 1
            item = Absences()
            for (_pupil, class_id), found in figures.items():
                if class_id == school_class.pk:
                    item.merge(found)
            total.merge(item)
            grade_total.merge(item)
            pupils = counts.get(school_class.pk, 0)
            grade_pupils += pupils
            rows.append(
                Row(
                    {"name": school_class.name, "pupils": pupils, **_values(item)},
                    links={"name": link(f"class:{school_class.pk}")} if link else {},
                )
            )
        if grade is not None and selection.kind == "school" and grade_classes > 1:
            rows.append(_grade_row(grade, grade_pupils, grade_total))
        columns = _columns(
            [Column("name", words.Class), Column("pupils", _("Обучающихся"), INTEGER)]
        )
        key_columns = 1
    if selection.kind != "class":
        rows.append(Row({"name": _("Итого"), **_values(total)}, kind=Row.TOTAL))
    notes = [str(n) for n in FOOTNOTES]
    if at_least is not None:
        notes.append(
            _("Показаны обучающиеся, пропустившие не меньше %(n)s уроков; итоги — по всем.")
            % {"n": at_least}
        )
    return Report(
        title=_("Сводная ведомость учёта посещаемости"),
        columns=columns,
        rows=rows,
        slug="attendance",
        key_columns=key_columns,
        footnotes=notes,
    )


def _grade_row(grade, pupils, item) -> Row:
    return Row({"name": parallel_label(grade), "pupils": pupils, **_values(item)}, kind=Row.TOTAL)


def _pupils_of(class_ids, start, end) -> dict:
    """{class_id: [(pupil_id, full name)]} of everyone in the classes between two days."""
    found: dict = {}
    seen = set()
    for pupil_id, class_id, *names in (
        Enrolment.objects.filter(school_class_id__in=class_ids)
        .overlapping(start, end)
        .order_by("pupil__last_name", "pupil__first_name", "pupil__patronymic", "pupil_id")
        .values_list(
            "pupil_id",
            "school_class_id",
            "pupil__last_name",
            "pupil__first_name",
            "pupil__patronymic",
        )
    ):
        if (pupil_id, class_id) in seen:
            continue
        seen.add((pupil_id, class_id))
        found.setdefault(class_id, []).append((pupil_id, " ".join(n for n in names if n)))
    return found


def _pupil_counts(class_ids, day) -> dict:
    return dict(
        Enrolment.objects.filter(school_class_id__in=class_ids)
        .on(day)
        .values("school_class_id")
        .annotate(n=Count("id"))
        .values_list("school_class_id", "n")
    )


# --- The year's ledger of a class, by months -----------------------------------------------------

LEDGER_FIGURES = [
    ("days", gettext_lazy("дн.")),
    ("days_ill", gettext_lazy("б.")),
    ("lessons", gettext_lazy("ур.")),
]


def attendance_ledger(school, school_class) -> Report:
    """Per pupil of the class and per month of its year: missed days, of them by illness,
    and missed lessons; the year's totals."""
    year = school_class.year
    pupils = class_pupils(school_class, year.start, year.end)
    figures = absences([school_class.pk], year.start, year.end, by_month=True)
    # The months of the year up to the school's day (a running year's form stops there),
    # and any month with absences.
    shown = _months(year.start, min(year.end, school.today()))
    months = sorted({key[2] for key in figures} | shown)
    columns = [Column("n", "№", INTEGER), Column("pupil", _("Фамилия, имя, отчество"))]
    for y, m in months:
        for key, title in LEDGER_FIGURES:
            columns.append(
                Column(f"{y}-{m}-{key}", str(title), INTEGER, group=str(MONTHS[m - 1]), width=4)
            )
    for key, title in LEDGER_FIGURES:
        columns.append(Column(f"year-{key}", str(title), INTEGER, group=_("За год"), width=5))
    rows = []
    total_row = {}
    for n, (pupil_id, name, _first, _last) in enumerate(pupils, 1):
        values = {"n": n, "pupil": name}
        year_total = Absences()
        for y, m in months:
            item = figures.get((pupil_id, school_class.pk, (y, m)))
            if item is None:
                continue
            year_total.merge(item)
            for key, _title in LEDGER_FIGURES:
                values[f"{y}-{m}-{key}"] = getattr(item, key) or None
        for key, _title in LEDGER_FIGURES:
            values[f"year-{key}"] = getattr(year_total, key)
        for name_, value in values.items():
            if name_ not in ("n", "pupil"):
                total_row[name_] = (total_row.get(name_) or 0) + (value or 0)
        rows.append(Row(values))
    words = words_for(school)
    rows.append(Row({"pupil": _("Итого %(to_class)s") % words, **total_row}, kind=Row.TOTAL))
    return class_ledger(
        school,
        school_class,
        title=(
            _("Сводная ведомость учёта посещаемости обучающихся группы %(cls)s")
            if words.college
            else _("Сводная ведомость учёта посещаемости обучающихся %(cls)s класса")
        )
        % {"cls": school_class.name},
        slug=f"attendance-ledger-{school_class.name}",
        columns=columns,
        rows=rows,
        notes=[
            _("дн. — пропущено дней, б. — из них по болезни, ур. — пропущено уроков."),
            str(FOOTNOTES[0]),
        ],
    )


def _months(start: date, end: date) -> set:
    found, day = set(), date(start.year, start.month, 1)
    while day <= end:
        found.add((day.year, day.month))
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return found
