"""The figures of the control of journal keeping, per course, for a span: aggregated in SQL.

Per course, for the lessons held from the span's start up to the school's day:

- lessons held, and those past the regulation's day for the topic and attendance (`due`);
- topic, attendance and homework not on time: lessons with a shortfall of that kind found by
  the nightly check (open or since fixed: the check records that the deadline was missed);
  homework is counted for the classes that get marks, entered late or not entered;
- marks («накопляемость»): marks per pupil per week, pupils of the course with no mark and
  with one mark in the span (the course's pupils on the span's last day);
- written works not marked in time (shortfalls);
- plan versus fact (reports.services.programme): the plan's hours due on the span's lessons
  and the lessons held;
- final marks missing: open shortfalls of the course.

A fixed number of queries whatever the size of the school (tests/reports/test_control_page).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from grading.models import Mark
from schedule.models import Lesson

from ..models import Shortfall
from .control_kinds import roster
from .programme import programme
from .sums import Sums

Kind = Shortfall.Kind
LESSON_KINDS = (Kind.TOPIC, Kind.ATTENDANCE, Kind.HOMEWORK, Kind.HOMEWORK_LATE, Kind.WRITTEN_WORK)


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class Figures(Sums):
    held: int = 0
    due: int = 0  # held lessons past the topic and attendance deadline
    homework_due: int = 0  # held lessons of marking classes before today
    topic_late: int = 0
    attendance_late: int = 0
    homework_late: int = 0
    written_late: int = 0
    marks: int = 0
    pupil_weeks: Decimal = Decimal(0)  # pupils × weeks of the span: the accumulation's base
    pupils: int = 0
    no_marks: int = 0
    one_mark: int = 0
    plan: int = 0
    plan_held: int = 0
    finals_missing: int = 0
    open: int = 0  # open shortfalls of any kind

    @property
    def topic_on_time(self):
        return percent(self.due - self.topic_late, self.due)

    @property
    def attendance_on_time(self):
        return percent(self.due - self.attendance_late, self.due)

    @property
    def homework_on_time(self):
        return percent(self.homework_due - self.homework_late, self.homework_due)

    @property
    def on_time(self):
        """All three together: the figure a trend compares."""
        whole = 2 * self.due + self.homework_due
        late = self.topic_late + self.attendance_late + self.homework_late
        return percent(whole - late, whole)

    @property
    def accumulation(self) -> Decimal | None:
        if not self.pupil_weeks:
            return None
        return (Decimal(self.marks) / self.pupil_weeks).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def lag(self) -> int:
        return max(0, self.plan - self.plan_held)


@dataclass
class CourseInfo:
    pk: int
    class_id: int
    class_name: str
    grade: int
    subject: str
    marking: bool
    teacher_id: int | None
    teacher: str
    school_id: int = 0


def courses_of(selection) -> list[CourseInfo]:
    """The selection's courses with their first teacher (two queries)."""
    from accounts.models import User
    from schedule.models import CourseTeacher, SchoolClass

    rows = list(
        selection.courses()
        .order_by("school_class__grade", "school_class__letter", "subject__name", "pk")
        .values_list(
            "pk",
            "school_class_id",
            "school_class__grade",
            "school_class__letter",
            "subject__name",
            "subgroup__name",
            "school_class__no_marks",
            "school_id",
        )
    )
    first = {}
    for course_id, teacher_id, last, first_name, patronymic in (
        CourseTeacher.objects.filter(course_id__in=[r[0] for r in rows])
        .order_by("pk")
        .values_list(
            "course_id",
            "teacher_id",
            "teacher__last_name",
            "teacher__first_name",
            "teacher__patronymic",
        )
    ):
        if course_id not in first:
            user = User(last_name=last, first_name=first_name, patronymic=patronymic)
            first[course_id] = (teacher_id, user.short_name)
    found = []
    for pk, class_id, grade, letter, subject, subgroup, no_marks, school_id in rows:
        teacher_id, teacher = first.get(pk, (None, ""))
        found.append(
            CourseInfo(
                pk,
                class_id,
                SchoolClass(grade=grade, letter=letter).name,
                grade,
                f"{subject} ({subgroup})" if subgroup else subject,
                not no_marks,
                teacher_id,
                teacher,
                school_id,
            )
        )
    return found


def due_filter(today: date, regulation) -> Q:
    """Lessons past the regulation's day for the topic and attendance. `regulation` is one
    school's, or {school_id: regulation} for a roll-up: one condition per distinct rule, so
    the query stays one whatever the number of schools."""
    if not isinstance(regulation, dict):
        return Q(date__lte=today - timedelta(days=regulation.records_days + 1))
    schools_by_days: dict = {}
    for school_id, rules in regulation.items():
        schools_by_days.setdefault(rules.records_days, []).append(school_id)
    q = Q(date__lt=date.min)  # no school: nothing is due
    for days, school_ids in schools_by_days.items():
        q |= Q(school_id__in=school_ids, date__lte=today - timedelta(days=days + 1))
    return q


def lesson_figures(courses, start: date, end: date, today: date, regulation) -> dict:
    """{course: Figures} of the lessons and their shortfalls in the span (two queries);
    `regulation` as `due_filter` takes it."""
    until = min(end, today)
    ids = [c.pk for c in courses]
    marking = {c.pk for c in courses if c.marking}
    figures = {pk: Figures() for pk in ids}
    if until < start:
        return figures
    for course_id, held, due, before_today in (
        Lesson.objects.filter(
            course_id__in=ids, status=Lesson.Status.PLANNED, date__gte=start, date__lte=until
        )
        .values("course_id")
        .annotate(
            held=Count("id"),
            due=Count("id", filter=due_filter(today, regulation)),
            before=Count("id", filter=Q(date__lt=today)),
        )
        .order_by()
        .values_list("course_id", "held", "due", "before")
    ):
        f = figures[course_id]
        f.held, f.due = held, due
        f.homework_due = before_today if course_id in marking else 0
    for course_id, kind, n in (
        Shortfall.objects.filter(
            course_id__in=ids,
            kind__in=LESSON_KINDS,
            lesson__date__gte=start,
            lesson__date__lte=until,
        )
        .values("course_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("course_id", "kind", "n")
    ):
        f = figures[course_id]
        if kind == Kind.TOPIC:
            f.topic_late += n
        elif kind == Kind.ATTENDANCE:
            f.attendance_late += n
        elif kind in (Kind.HOMEWORK, Kind.HOMEWORK_LATE):
            f.homework_late += n
        else:
            f.written_late += n
    return figures


def mark_figures(selection, courses, figures, start: date, end: date, today: date) -> None:
    """Marks, accumulation and pupils with no and one mark (three queries)."""
    until = min(end, today)
    if until < start:
        return
    marking = [c for c in courses if c.marking]
    weeks = Decimal((until - start).days + 1) / 7
    counts = {
        (course, pupil): n
        for course, pupil, n in Mark.objects.filter(
            deleted_at__isnull=True,
            lesson__course_id__in=[c.pk for c in marking],
            lesson__status=Lesson.Status.PLANNED,
            lesson__date__gte=start,
            lesson__date__lte=until,
        )
        .values("lesson__course_id", "pupil_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("lesson__course_id", "pupil_id", "n")
    }
    pairs = roster(selection.year, until, {c.class_id for c in marking}) if marking else []
    wanted = {c.pk for c in marking}
    for course_id, pupil_id in pairs:
        if course_id not in wanted:
            continue
        f = figures[course_id]
        n = counts.get((course_id, pupil_id), 0)
        f.pupils += 1
        f.marks += n
        f.no_marks += n == 0
        f.one_mark += n == 1
    for course_id in wanted:
        figures[course_id].pupil_weeks = figures[course_id].pupils * weeks


def plan_and_finals(selection, figures, start: date, end: date, today: date) -> None:
    """Plan versus fact (programme's five queries) and open shortfalls (one query)."""
    for item in programme(selection, start, end, today):
        if item.course_id in figures:
            figures[item.course_id].plan = item.hours.plan
            figures[item.course_id].plan_held = item.hours.held
    for course_id, finals, opened in (
        Shortfall.objects.filter(course_id__in=list(figures), fixed_at__isnull=True)
        .values("course_id")
        .annotate(
            finals=Count("id", filter=Q(kind=Kind.FINAL_MARK)),
            opened=Count("id"),
        )
        .order_by()
        .values_list("course_id", "finals", "opened")
    ):
        figures[course_id].finals_missing = finals
        figures[course_id].open = opened


def figures_of(selection, courses, start: date, end: date, today: date, regulation=None) -> dict:
    """{course: Figures}; `regulation` for a roll-up ({school_id: regulation}), else the
    selection's school's."""
    regulation = regulation if regulation is not None else selection.school.regulation
    figures = lesson_figures(courses, start, end, today, regulation)
    mark_figures(selection, courses, figures, start, end, today)
    plan_and_finals(selection, figures, start, end, today)
    return figures
