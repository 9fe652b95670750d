"""Выдача часов and Замены и отмены: who gave which lessons.

Выдача часов (the report accounting asks for by 30 June, regulation 002 §1.7): per teacher and
month, lessons given in each of their courses, substitutions given (lessons of others' courses
they held) and received (lessons of their courses a substitute held), cancelled lessons. For a
month, a row per course; for a longer span, a row per month. A lesson counts once it is held
(its day has come and it was not cancelled or moved).

Замены и отмены: by subject and teacher, lessons of the span cancelled and lessons held by a
substitute, with the list of those lessons.

Each aggregates lessons in SQL with filtered counts (two queries), plus names.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.words import words_for
from lib.dates import MONTHS, as_date
from lib.export import DATE, INTEGER, Column, Report, Row
from schedule.models import Lesson, SchoolClass

from .sums import Sums

Status = Lesson.Status


@dataclass
class Given(Sums):
    given: int = 0  # own lessons held by the teacher
    substituting: int = 0  # others' lessons the teacher held
    substituted: int = 0  # own lessons held by a substitute
    cancelled: int = 0

    @property
    def total(self) -> int:
        return self.given + self.substituting


def course_label(grade, letter, subject, subgroup) -> str:
    name = SchoolClass(grade=grade, letter=letter).name
    return f"{name} {subject}" + (f" ({subgroup})" if subgroup else "")


def given_hours(selection, start: date, end: date, today: date) -> tuple[dict, dict, dict]:
    """({(teacher, course, month): Given}, {course: label}, {teacher: short name}) for the
    span up to the school's day; the selection is the school or one teacher."""
    until = min(end, today)
    lessons = Lesson.objects.filter(date__gte=start, date__lte=end, course__year=selection.year)
    held = Q(status=Status.PLANNED, date__lte=until)
    own = lessons.filter(course__course_teachers__isnull=False)
    substitutions = lessons.filter(held, substitute__isnull=False)
    if selection.kind == "teacher":
        own = own.filter(course__course_teachers__teacher_id=selection.value)
        substitutions = substitutions.filter(substitute_id=selection.value)
    found: dict = {}
    courses: set = set()
    for teacher_id, course_id, month, given, substituted, cancelled in (
        own.annotate(month=TruncMonth("date"))
        .values("course__course_teachers__teacher_id", "course_id", "month")
        .annotate(
            given=Count("id", filter=held & Q(substitute__isnull=True)),
            substituted=Count("id", filter=held & Q(substitute__isnull=False)),
            cancelled=Count("id", filter=Q(status=Status.CANCELLED)),
        )
        .order_by()
        .values_list(
            "course__course_teachers__teacher_id",
            "course_id",
            "month",
            "given",
            "substituted",
            "cancelled",
        )
    ):
        key = (teacher_id, course_id, as_date(month))
        found[key] = Given(given=given, substituted=substituted, cancelled=cancelled)
        courses.add(course_id)
    for teacher_id, course_id, month, n in (
        substitutions.annotate(month=TruncMonth("date"))
        .values("substitute_id", "course_id", "month")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("substitute_id", "course_id", "month", "n")
    ):
        key = (teacher_id, course_id, as_date(month))
        found.setdefault(key, Given()).substituting += n
        courses.add(course_id)
    from schedule.models import Course

    labels = {
        pk: course_label(*rest)
        for pk, *rest in Course.objects.filter(pk__in=courses).values_list(
            "pk", "school_class__grade", "school_class__letter", "subject__name", "subgroup__name"
        )
    }
    names = {u.pk: u.short_name for u in User.objects.filter(pk__in={k[0] for k in found})}
    return found, labels, names


FIGURES = [
    ("given", gettext_lazy("Дано своих уроков"), INTEGER),
    ("substituting", gettext_lazy("Замещал"), INTEGER),
    ("total", gettext_lazy("Всего дано часов"), INTEGER),
    ("substituted", gettext_lazy("Заменён"), INTEGER),
    ("cancelled", gettext_lazy("Отменено"), INTEGER),
]


def _values(item: Given) -> dict:
    return {key: getattr(item, key) for key, _t, _k in FIGURES}


def month_label(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def hours_report(selection, span, today: date) -> Report:
    found, labels, names = given_hours(selection, span.start, span.end, today)
    detailed = span.kind in ("month", "week")
    by_teacher: dict = {}
    for (teacher_id, course_id, month), item in found.items():
        by_teacher.setdefault(teacher_id, []).append((course_id, month, item))
    rows = []
    total = Given()
    for teacher_id in sorted(by_teacher, key=lambda t: names.get(t, "")):
        items = by_teacher[teacher_id]
        heading = len(rows)
        rows.append(Row({"name": names.get(teacher_id, "")}, kind=Row.GROUP))
        teacher_total = Given()
        if detailed:
            lines: dict = {}
            for course_id, _month, item in items:
                lines.setdefault(course_id, Given()).merge(item)
            for course_id, item in sorted(lines.items(), key=lambda kv: labels.get(kv[0], "")):
                if not any(_values(item).values()):
                    continue  # lessons of the span still ahead
                label = labels.get(course_id, "")
                if item.substituting and not (item.given or item.substituted or item.cancelled):
                    label = _("замещение: %(course)s") % {"course": label}
                rows.append(Row({"name": label, **_values(item)}))
                teacher_total.merge(item)
        else:
            lines = {}
            for _course, month, item in items:
                lines.setdefault(month, Given()).merge(item)
            for month, item in sorted(lines.items()):
                if not any(_values(item).values()):
                    continue
                rows.append(Row({"name": month_label(month), **_values(item)}))
                teacher_total.merge(item)
        if not any(_values(teacher_total).values()):
            del rows[heading:]  # nothing given yet in the span
            continue
        rows.append(
            Row(
                {
                    "name": _("Итого: %(who)s") % {"who": names.get(teacher_id, "")},
                    **_values(teacher_total),
                },
                kind=Row.TOTAL,
            )
        )
        total.merge(teacher_total)
    if len(by_teacher) > 1:
        rows.append(Row({"name": _("Итого"), **_values(total)}, kind=Row.TOTAL))
    until = min(span.end, today)
    return Report(
        title=_("Выдача часов"),
        columns=[
            Column("name", _("Курс") if detailed else _("Месяц")),
            *[Column(key, str(title), kind) for key, title, kind in FIGURES],
        ],
        rows=rows,
        slug="hours",
        footnotes=[
            _(
                "Уроки с %(start)s по %(until)s. Дано своих — уроки своих курсов, проведённые "
                "самим %(by_teacher)s; замещал — уроки чужих курсов, проведённые им в замену; "
                "заменён — его уроки, проведённые другим %(by_teacher)s; отменено — отменённые "
                "уроки его курсов. Всего дано часов = свои + замещения."
            )
            % {
                "start": span.start.strftime("%d.%m.%Y"),
                "until": until.strftime("%d.%m.%Y"),
                "by_teacher": words_for(selection.school).by_teacher,
            }
        ],
    )


# --- Замены и отмены ---------------------------------------------------------------------------


def substitutions_report(selection, span, today: date) -> Report:
    """Lessons of the span cancelled or held by a substitute: by subject and teacher, and
    the list of them."""
    words = words_for(selection.school)
    lessons = Lesson.objects.filter(selection.course_filter("course__")).filter(
        date__gte=span.start, date__lte=span.end
    )
    touched = Q(status=Status.CANCELLED) | Q(status=Status.PLANNED, substitute__isnull=False)
    counts = (
        lessons.filter(touched)
        .values("course__subject__name", "course__course_teachers__teacher_id")
        .annotate(
            cancelled=Count("id", filter=Q(status=Status.CANCELLED)),
            substituted=Count("id", filter=Q(status=Status.PLANNED, substitute__isnull=False)),
        )
        .order_by()
        .values_list(
            "course__subject__name",
            "course__course_teachers__teacher_id",
            "cancelled",
            "substituted",
        )
    )
    listing = list(
        lessons.filter(touched)
        .order_by("date", "number", "course__school_class__grade", "course__school_class__letter")
        .values_list(
            "date",
            "number",
            "course__school_class__grade",
            "course__school_class__letter",
            "course__subject__name",
            "course__subgroup__name",
            "status",
            "substitute_id",
            "status_reason",
            "course_id",
        )
    )
    from .documents import teacher_names

    teachers = teacher_names({row[-1] for row in listing})
    counts = list(counts)
    people = {t for _s, t, _c, _n in counts if t} | {row[7] for row in listing if row[7]}
    names = {u.pk: u.short_name for u in User.objects.filter(pk__in=people)}
    by_subject: dict = {}
    for subject, teacher_id, cancelled, substituted in counts:
        by_subject.setdefault(subject, []).append(
            (names.get(teacher_id, _("не назначен")), cancelled, substituted)
        )
    rows = []
    total_cancelled = total_substituted = 0
    for subject in sorted(by_subject):
        items = sorted(by_subject[subject])
        rows.append(Row({"name": subject}, kind=Row.GROUP))
        for teacher, cancelled, substituted in items:
            rows.append(Row({"name": teacher, "cancelled": cancelled, "substituted": substituted}))
            total_cancelled += cancelled
            total_substituted += substituted
    rows.append(
        Row(
            {"name": _("Итого"), "cancelled": total_cancelled, "substituted": total_substituted},
            kind=Row.TOTAL,
        )
    )
    status = dict(Status.choices)
    part = Report(
        title=_("Отменённые и заменённые уроки"),
        columns=[
            Column("date", _("Дата"), DATE),
            Column("number", _("Урок"), INTEGER),
            Column("course", _("%(Class)s, %(subject)s") % words),
            Column("teacher", words.Teacher),
            Column("what", _("Что")),
            Column("substitute", _("Замещал")),
            Column("reason", _("Причина"), width=30),
        ],
        rows=[
            Row(
                {
                    "date": day,
                    "number": number,
                    "course": course_label(grade, letter, subject, subgroup),
                    "teacher": ", ".join(teachers.get(course_id, [])),
                    "what": str(status[state]) if state == Status.CANCELLED else _("замена"),
                    "substitute": names.get(substitute, ""),
                    "reason": reason,
                }
            )
            for (
                day,
                number,
                grade,
                letter,
                subject,
                subgroup,
                state,
                substitute,
                reason,
                course_id,
            ) in listing
        ],
        key_columns=1,
    )
    return Report(
        title=_("Замены и отмены"),
        columns=[
            Column("name", _("%(Subject)s / %(teacher)s") % words),
            Column("cancelled", _("Отменено уроков"), INTEGER),
            Column("substituted", _("Проведено в замену"), INTEGER),
        ],
        rows=rows,
        slug="substitutions",
        parts=[part],
        footnotes=[
            _(
                "%(Teacher)s — ведущий курс; «проведено в замену» — его уроки, которые провёл "
                "другой %(teacher)s. Перенесённые уроки не считаются отменёнными."
            )
            % words
        ],
    )
