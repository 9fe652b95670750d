"""What a class's year journal holds, gathered in a fixed number of queries (whatever the
number of pupils, courses, lessons or marks): the rows the PDF lays out (journal_pdf) and the
bench's naive table draw from the same data.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from accounts.models import School
from grading.models import FinalMark, Mark
from journal.models import Attendance, Homework
from reports.services.documents import teacher_names
from reports.services.ledger import SHORT as FINAL_SHORT
from reports.services.scope import grade_periods, period_short, year_periods
from schedule.models import Course, Enrolment, Lesson, SubgroupMembership
from schedule.services.roster import stay_rows


@dataclass
class PupilLine:
    pk: int
    full_name: str
    short_name: str
    start: date
    end: date | None
    note: str = ""  # «прибыл 17.11.2025, приказ № 47-у», «выбыл …»


@dataclass
class LessonLine:
    pk: int
    date: date
    number: int
    topic: str
    homework: str
    kind: str


@dataclass
class CourseJournal:
    pk: int
    subject: str
    teachers: str
    subgroup: str
    hours_planned: int
    pupils: list  # [pupil pk] in the journal's order
    lessons: list  # [LessonLine] by date
    cells: dict  # (pupil pk, lesson pk) → «5», «н», «4/5»
    finals: dict  # (pupil pk, column key) → «5», «н/а»
    final_columns: list  # [(key, heading)]


@dataclass
class PeriodLine:
    pk: int
    label: str
    start: date
    end: date


@dataclass
class ClassJournal:
    title: str  # «Классный журнал»; a college group's «Журнал учебной группы»
    class_label: str  # «5А класс»; «группа ИС-21»
    span: str  # «2025/2026 учебный год»; «1 семестр 2025/2026 учебного года»
    school: str
    school_class: str
    grade: int
    year: str
    year_start: date
    year_end: date
    class_teacher: str
    regulation: str
    pupils: list  # [PupilLine]
    periods: list  # [PeriodLine]
    courses: list  # [CourseJournal]
    # pupil pk → period pk → (missed, of which for illness, of which excused, lates)
    attendance: dict = field(default_factory=dict)
    remarks: list = field(default_factory=list)  # the control's справки (issue 12), if any

    def pupil(self, pk) -> PupilLine:
        return self._by_pk[pk]

    def __post_init__(self):
        self._by_pk = {p.pk: p for p in self.pupils}


def short_name(last: str, first: str, patronymic: str) -> str:
    initials = "".join(f" {part[0]}." for part in (first, patronymic) if part)
    return f"{last}{initials}"


def _pupils(school_class, first, last) -> list[PupilLine]:
    rows = stay_rows(Enrolment.objects.filter(school_class=school_class), first, last)
    notes = {}
    for pupil_id, start, end, order, end_order in Enrolment.objects.filter(
        school_class=school_class
    ).values_list("pupil_id", "start", "end", "order_number", "end_order_number"):
        said = []
        if start > first:
            said.append(_("прибыл %(date)s") % {"date": start.strftime("%d.%m.%Y")})
            if order:
                said.append(_("приказ № %(n)s") % {"n": order})
        if end is not None and end < last:
            said.append(_("выбыл %(date)s") % {"date": end.strftime("%d.%m.%Y")})
            if end_order:
                said.append(_("приказ № %(n)s") % {"n": end_order})
        if said:
            notes.setdefault(pupil_id, []).extend(said)
    found = []
    for row in rows:
        p = row.pupil
        ends = [e for _s, e in row.spans]
        found.append(
            PupilLine(
                pk=p.pk,
                full_name=p.full_name,
                short_name=short_name(p.last_name, p.first_name, p.patronymic),
                start=min(s for s, _e in row.spans),
                end=None if any(e is None for e in ends) else max(ends),
                note=", ".join(notes.get(p.pk, [])),
            )
        )
    return found


def gather(school_class, period=None) -> ClassJournal:
    """The class's year journal, or a college group's journal of one semester (`period`):
    its lessons, its pupils, its final marks and the year's if it is the last (thirteen
    queries, a fixed number)."""
    school = school_class.school
    year = school_class.year
    chosen = period  # (the name `period` is the attendance loop's below)
    periods = grade_periods(year_periods(year), school_class.grade)
    last_period = not periods or period is None or period.pk == periods[-1].pk
    first, last = (year.start, year.end) if period is None else (period.start, period.end)
    if period is not None:
        periods = [p for p in periods if p.pk == period.pk] or [period]
    pupils = _pupils(school_class, first, last)
    in_class = [p.pk for p in pupils]
    courses = list(
        Course.objects.filter(school_class=school_class)
        .select_related("subject", "subgroup")
        .order_by("subject__name", "subgroup__name", "pk")
    )
    names = teacher_names([c.pk for c in courses])
    groups: dict = {}
    for subgroup_id, pupil_id in (
        SubgroupMembership.objects.filter(subgroup__school_class=school_class)
        .order_by("start")
        .values_list("subgroup_id", "pupil_id")
    ):
        groups.setdefault(subgroup_id, set()).add(pupil_id)
    lessons: dict = {}
    lesson_date: dict = {}
    homework = dict(
        Homework.objects.filter(course__school_class=school_class).values_list("lesson_id", "text")
    )
    for pk, course_id, day, number, topic, kind in (
        Lesson.objects.filter(
            course__school_class=school_class,
            status=Lesson.Status.PLANNED,
            date__gte=first,
            date__lte=last,
        )
        .order_by("date", "number", "pk")
        .values_list("pk", "course_id", "date", "number", "topic", "kind")
    ):
        lessons.setdefault(course_id, []).append(
            LessonLine(pk, day, number, topic, homework.get(pk, ""), kind)
        )
        lesson_date[pk] = (course_id, day)
    cells: dict = {}
    for lesson_id, pupil_id, value in (
        Mark.objects.filter(lesson__course__school_class=school_class, deleted_at__isnull=True)
        .order_by("lesson_id", "pupil_id", "work_type__position", "pk")
        .values_list("lesson_id", "pupil_id", "value")
    ):
        key = (pupil_id, lesson_id)
        mark = Mark.SHORT.get(value, value)
        cells[key] = f"{cells[key]}/{mark}" if key in cells else mark
    attendance: dict = {}
    for lesson_id, pupil_id, code in Attendance.objects.filter(
        lesson__course__school_class=school_class, deleted_at__isnull=True
    ).values_list("lesson_id", "pupil_id", "code"):
        key = (pupil_id, lesson_id)
        letter = Attendance.LETTER[code]
        cells[key] = letter + cells.get(key, "")
        if lesson_id in lesson_date:
            day = lesson_date[lesson_id][1]
            period = next((p for p in periods if p.start <= day <= p.end), None)
            if period is not None:
                counts = attendance.setdefault(pupil_id, {}).setdefault(period.pk, [0, 0, 0, 0])
                if code in Attendance.MISSED:
                    counts[0] += 1
                    counts[1] += code == "ill"
                    counts[2] += code == "excused"
                else:
                    counts[3] += 1
    finals: dict = {}
    kinds: dict = {}
    for course_id, pupil_id, kind, period_id, value in FinalMark.objects.filter(
        course__school_class=school_class
    ).values_list("course_id", "pupil_id", "kind", "period_id", "value"):
        finals.setdefault(course_id, {})[(pupil_id, f"{kind}-{period_id or ''}")] = FINAL_SHORT.get(
            value, value
        )
        kinds.setdefault(course_id, set()).add(kind)
    journals = []
    for course in courses:
        columns = [(f"period-{p.pk}", period_short(p)) for p in periods]
        if last_period:  # the year's marks close the year's last journal
            columns.append(("year-", _("год")))
            for kind, heading in (("exam", _("экз.")), ("final", _("итог."))):
                if kind in kinds.get(course.pk, ()):
                    columns.append((f"{kind}-", heading))
        members = groups.get(course.subgroup_id) if course.subgroup_id else None
        journals.append(
            CourseJournal(
                pk=course.pk,
                subject=course.subject.name,
                teachers=", ".join(names.get(course.pk, [])),
                subgroup=course.subgroup.name if course.subgroup_id else "",
                hours_planned=course.hours_per_year,
                pupils=[pk for pk in in_class if members is None or pk in members],
                lessons=lessons.get(course.pk, []),
                cells=cells,
                finals=finals.get(course.pk, {}),
                final_columns=columns,
            )
        )
    regulation = school.regulation
    line = regulation.title
    if regulation.order_label:
        line = f"{line}, {regulation.order_label}"
    teacher = school_class.class_teacher
    if school.kind == School.Kind.COLLEGE:
        title = _("Журнал учебной группы")
        label = _("группа %(cls)s") % {"cls": school_class.name}
    else:
        title, label = _("Классный журнал"), _("%(cls)s класс") % {"cls": school_class.name}
    if chosen is None:
        span = _("%(year)s учебный год") % {"year": year.name}
    else:
        span = _("%(n)s семестр %(year)s учебного года") % {"n": chosen.number, "year": year.name}
    return ClassJournal(
        title=title,
        class_label=label,
        span=span,
        school=school.name,
        school_class=school_class.name,
        grade=school_class.grade,
        year=year.name,
        year_start=year.start,
        year_end=year.end,
        class_teacher=teacher.full_name if teacher else "",
        regulation=line,
        pupils=pupils,
        periods=[PeriodLine(p.pk, str(p), p.start, p.end) for p in periods],
        courses=journals,
        attendance={k: {p: tuple(v) for p, v in d.items()} for k, d in attendance.items()},
        remarks=remarks_for(school_class),
    )


def remarks_for(school_class) -> list[str]:
    """The «справки по итогам проверки» of the control (reports) that list a shortfall of
    one of the class's courses, oldest first: printed as the journal's «замечания по
    ведению журнала» (one query)."""
    from reports.models import ControlCheck

    checks = (
        ControlCheck.objects.filter(shortfalls__course__school_class=school_class)
        .distinct()
        .order_by("checked_on", "pk")
    )
    return [
        _("%(check)s (%(span)s, %(scope)s): %(findings)s Устранить до %(fix_by)s.")
        % {
            "check": check,
            "span": check.span_label,
            "scope": check.scope_label,
            "findings": check.findings.strip(),
            "fix_by": check.fix_by.strftime("%d.%m.%Y"),
        }
        for check in checks
    ]
