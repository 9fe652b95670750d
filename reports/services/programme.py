"""Выполнение программы: plan versus fact hours per course, teacher, class and school for a
span, with the lag and the courses behind.

Per course: the curriculum's hours for the year, the plan (КТП) hours; in the span, up to the
school's day: lessons by the timetable (held or cancelled; a moved lesson counts where it
moved to), the plan hours due on them — the plan laid over the lessons in date order, as the
course's plan page lays it (journal.services.plan.fact.due_hours), or the timetable's lessons
where there is no plan —, the lessons held, cancelled, and the lag (due less held).

Five queries whatever the size: courses, lessons counted per course with filtered counts,
plan hours per course, their teachers and the teachers' names.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.words import words_for
from journal.models import PlanTopic
from journal.services.plan.fact import due_hours
from lib.export import INTEGER, PERCENT, Column, Report, Row
from schedule.models import Lesson, SchoolClass

from .documents import teacher_names
from .sums import Sums

Status = Lesson.Status


@dataclass
class Hours(Sums):
    curriculum: int = 0
    plan_total: int = 0
    scheduled: int = 0
    plan: int = 0
    held: int = 0
    cancelled: int = 0
    without_plan: int = 0  # courses without a plan (their plan is the timetable)

    @property
    def lag(self) -> int:
        return max(0, self.plan - self.held)

    @property
    def done(self) -> Decimal | None:
        if not self.plan:
            return None
        return (Decimal(100 * self.held) / self.plan).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class CourseHours:
    course_id: int
    school_class: str
    grade: int
    subject: str
    teachers: list
    hours: Hours


def programme(selection, start: date, end: date, today: date) -> list[CourseHours]:
    until = min(end, today)
    courses = list(
        selection.courses()
        .order_by("school_class__grade", "school_class__letter", "subject__name", "pk")
        .values_list(
            "pk",
            "school_class__grade",
            "school_class__letter",
            "subject__name",
            "subgroup__name",
            "hours_per_year",
        )
    )
    ids = [c[0] for c in courses]
    if not ids:
        return []
    not_moved = ~Q(status=Status.MOVED)
    within = Q(date__gte=start, date__lte=until)
    counted = {
        row[0]: row[1:]
        for row in Lesson.objects.filter(course_id__in=ids)
        .values("course_id")
        .annotate(
            before=Count("id", filter=not_moved & Q(date__lt=start)),
            scheduled=Count("id", filter=not_moved & within),
            held=Count("id", filter=Q(status=Status.PLANNED) & within),
            cancelled=Count("id", filter=Q(status=Status.CANCELLED) & within),
        )
        .order_by()
        .values_list("course_id", "before", "scheduled", "held", "cancelled")
    }
    plans = dict(
        PlanTopic.objects.filter(course_id__in=ids)
        .values("course_id")
        .annotate(hours=Sum("hours"))
        .order_by()
        .values_list("course_id", "hours")
    )
    teachers = teacher_names(ids)
    found = []
    for course_id, grade, letter, subject, subgroup, curriculum in courses:
        before, scheduled, held, cancelled = counted.get(course_id, (0, 0, 0, 0))
        plan_total = plans.get(course_id) or 0
        hours = Hours(
            curriculum=curriculum,
            plan_total=plan_total,
            scheduled=scheduled,
            plan=due_hours(plan_total, before, scheduled) if plan_total else scheduled,
            held=held,
            cancelled=cancelled,
            without_plan=0 if plan_total else 1,
        )
        name = SchoolClass(grade=grade, letter=letter).name
        label = f"{subject} ({subgroup})" if subgroup else subject
        found.append(CourseHours(course_id, name, grade, label, teachers.get(course_id, []), hours))
    return found


FIGURES = [
    ("curriculum", gettext_lazy("По учебному плану (год)"), INTEGER),
    ("plan_total", gettext_lazy("В КТП"), INTEGER),
    ("scheduled", gettext_lazy("По расписанию"), INTEGER),
    ("plan", gettext_lazy("По плану"), INTEGER),
    ("held", gettext_lazy("Дано"), INTEGER),
    ("cancelled", gettext_lazy("Отменено"), INTEGER),
    ("lag", gettext_lazy("Отставание"), INTEGER),
    ("done", gettext_lazy("Выполнено"), PERCENT),
]


def _values(hours: Hours) -> dict:
    return {key: getattr(hours, key) for key, _t, _k in FIGURES}


def programme_report(selection, span, today: date) -> Report:
    courses = programme(selection, span.start, span.end, today)
    rows = []
    total = Hours()
    by_class: dict = {}
    for item in courses:
        by_class.setdefault(item.school_class, []).append(item)
    for name, items in by_class.items():
        class_total = Hours()
        for item in items:
            class_total.merge(item.hours)
            rows.append(
                Row(
                    {
                        "name": name,
                        "subject": item.subject,
                        "teacher": ", ".join(item.teachers),
                        **_values(item.hours),
                    }
                )
            )
        total.merge(class_total)
        if len(items) > 1 and selection.kind in ("school", "parallel", "class"):
            rows.append(
                Row(
                    {"name": _("Итого %(cls)s") % {"cls": name}, **_values(class_total)},
                    kind=Row.TOTAL,
                )
            )
    if len(courses) > 1:
        rows.append(Row({"name": _("Итого"), **_values(total)}, kind=Row.TOTAL))
    words = words_for(selection.school)
    columns = [
        Column("name", words.Class),
        Column("subject", words.Subject),
        Column("teacher", words.Teacher),
        *[Column(key, str(title), kind, places=1) for key, title, kind in FIGURES],
    ]
    behind = [c for c in courses if c.hours.lag]
    behind_part = Report(
        title=_("Курсы с отставанием"),
        columns=columns,
        rows=[
            Row(
                {
                    "name": c.school_class,
                    "subject": c.subject,
                    "teacher": ", ".join(c.teachers),
                    **_values(c.hours),
                }
            )
            for c in sorted(behind, key=lambda c: -c.hours.lag)
        ],
        key_columns=2,
    )
    per_teacher: dict = {}
    for item in courses:
        for teacher in item.teachers or [_("учитель не назначен")]:
            per_teacher.setdefault(teacher, Hours()).merge(item.hours)
    teacher_part = Report(
        title=_("По учителям"),
        columns=[Column("teacher", words.Teacher), *columns[3:]],
        rows=[
            Row({"teacher": teacher, **_values(hours)})
            for teacher, hours in sorted(per_teacher.items())
        ],
    )
    parts = [behind_part]
    if selection.kind != "teacher" and len(per_teacher) > 1:
        parts.append(teacher_part)
    until = min(span.end, today)
    notes = [
        _(
            "Считаются уроки с %(start)s по %(until)s. По плану — часы КТП, приходящиеся на "
            "уроки по расписанию за этот срок (темы КТП ложатся на уроки курса по порядку); "
            "у курса без КТП — уроки по расписанию. Перенесённый урок считается там, куда "
            "перенесён; отставание — запланированные, но не данные часы."
        )
        % {"start": span.start.strftime("%d.%m.%Y"), "until": until.strftime("%d.%m.%Y")}
    ]
    if total.without_plan:
        notes.append(_("Курсов без КТП: %(n)s.") % {"n": total.without_plan})
    return Report(
        title=_("Выполнение программы"),
        columns=columns,
        rows=rows,
        slug="programme",
        key_columns=2,
        parts=parts,
        footnotes=notes,
        notices=[
            _("Курсов с отставанием: %(n)s, всего на %(hours)s ч.")
            % {"n": len(behind), "hours": sum(c.hours.lag for c in behind)}
        ]
        if behind
        else [],
    )
