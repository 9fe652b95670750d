"""What the nightly check finds: one function per kind of shortfall, each from the regulation.

Each finder takes the `Facts` of one check (the school, its year, the day checked, the
lessons of the year fetched once) and returns unsaved Shortfall rows. Figures come from SQL
(filtered counts, EXISTS, GROUP BY); Python walks lessons, courses and pupils, never marks.

Limits, said plainly: the journal keeps absences only (a present pupil has no row), so a
lesson «without attendance» is one that holds no record at all — no absence, no mark, no
topic, no homework; «written work not marked» is a written work with no mark at all; pupils'
marks are counted in the current period of their class.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext as _

from grading.models import CorrectionRequest, FinalMark, FinalMarkCorrection, Mark
from journal.models import Attendance, Homework, PlanTopic
from schedule.models import Bell, Course, CourseTeacher, Lesson, SchoolClass, StudyPeriod, held_on

from ..models import Shortfall
from .programme import programme
from .scope import Selection, grade_periods

Kind = Shortfall.Kind


@dataclass
class LessonRow:
    pk: int
    course_id: int
    class_id: int
    day: date
    number: int
    kind: str
    topic: str
    substitute_id: int | None
    has_record: bool
    has_homework: bool
    has_marks: bool


@dataclass
class Facts:
    school: object
    regulation: object
    year: object
    on: date
    moment: datetime
    run: int
    lessons: list = field(default_factory=list)  # LessonRow of held lessons up to `on`
    future_days: dict = field(default_factory=dict)  # class → set of lesson days after `on`
    classes: dict = field(default_factory=dict)  # pk → (grade, no_marks, bell_schedule_id)
    course_class: dict = field(default_factory=dict)  # course pk → class pk
    teacher_of: dict = field(default_factory=dict)  # course pk → its first teacher's pk
    periods: list = field(default_factory=list)

    def row(self, kind, key, deadline, **values) -> Shortfall:
        course_id = values.get("course_id")
        values.setdefault("teacher_id", self.teacher_of.get(course_id))
        return Shortfall(
            school_id=self.school.pk,
            kind=kind,
            key=key,
            deadline=deadline,
            run=self.run,
            checked_at=self.moment,
            fixed_at=None,
            **values,
        )

    def gives_marks(self, course_id) -> bool:
        return not self.classes[self.course_class[course_id]][1]


def gather(school, year, on: date, moment: datetime, run: int) -> Facts:
    """The year's lessons and courses, fetched once for every finder (five queries)."""
    facts = Facts(school, school.regulation, year, on, moment, run)
    for pk, grade, no_marks, bells in SchoolClass.objects.filter(year=year).values_list(
        "pk", "grade", "no_marks", "bell_schedule_id"
    ):
        facts.classes[pk] = (grade, no_marks, bells)
    facts.course_class = dict(Course.objects.filter(year=year).values_list("pk", "school_class_id"))
    for course_id, teacher_id in (
        CourseTeacher.objects.filter(course__year=year)
        .order_by("course_id", "pk")
        .values_list("course_id", "teacher_id")
    ):
        facts.teacher_of.setdefault(course_id, teacher_id)
    facts.periods = list(StudyPeriod.objects.filter(year=year).order_by("start", "grade_from"))
    live_marks = Mark.objects.filter(lesson=OuterRef("pk"), deleted_at__isnull=True)
    rows = (
        Lesson.objects.filter(course__year=year, status=Lesson.Status.PLANNED, date__gte=year.start)
        .annotate(
            has_marks=Exists(live_marks),
            has_absence=Exists(Attendance.objects.filter(lesson=OuterRef("pk"))),
            has_homework=Exists(Homework.objects.filter(lesson=OuterRef("pk"))),
        )
        .order_by("course_id", "date", "number")
        .values_list(
            "pk",
            "course_id",
            "course__school_class_id",
            "date",
            "number",
            "kind",
            "topic",
            "substitute_id",
            "has_marks",
            "has_absence",
            "has_homework",
        )
    )
    for pk, course, klass, day, number, kind, topic, sub, marks, absence, homework in rows:
        if day > on:
            facts.future_days.setdefault(klass, set()).add(day)
            continue
        record = bool(marks or absence or topic or homework)
        facts.lessons.append(
            LessonRow(pk, course, klass, day, number, kind, topic, sub, record, homework, marks)
        )
    return facts


def _lesson_row(facts, kind, lesson, deadline, detail=""):
    return facts.row(
        kind,
        f"l:{lesson.pk}",
        deadline,
        course_id=lesson.course_id,
        lesson_id=lesson.pk,
        teacher_id=lesson.substitute_id or facts.teacher_of.get(lesson.course_id),
        detail=detail,
    )


def topics_and_attendance(facts) -> list[Shortfall]:
    """Held lessons past the regulation's day for the topic and attendance (records_days)."""
    found = []
    for lesson in facts.lessons:
        deadline = facts.regulation.records_deadline(lesson.day)
        if deadline >= facts.on:
            continue
        if not lesson.topic:
            found.append(_lesson_row(facts, Kind.TOPIC, lesson, deadline))
        if not lesson.has_record:
            found.append(_lesson_row(facts, Kind.ATTENDANCE, lesson, deadline))
    return found


def _homework_deadlines(facts, lessons) -> dict[int, datetime]:
    """The homework deadline of each lesson, as grading.policy.homework_deadline says, from
    the class's last lesson of the day and the bells fetched once (one query)."""
    regulation = facts.regulation
    rule = regulation.homework_rule
    last_number, bells_end, bells_start = {}, {}, {}
    if rule != regulation.Homework.BY_TIME:
        for schedule_id, number, start, end in Bell.objects.filter(school=facts.school).values_list(
            "schedule_id", "number", "start", "end"
        ):
            bells_end[(schedule_id, number)] = end
            bells_start[(schedule_id, number)] = start
    if rule == regulation.Homework.AFTER_LAST_LESSON:
        for lesson in facts.lessons:
            key = (lesson.class_id, lesson.day)
            last_number[key] = max(last_number.get(key, 0), lesson.number)
    next_of = {}
    if rule == regulation.Homework.BY_NEXT_LESSON:
        previous = None
        for lesson in facts.lessons:  # ordered by course, date, number
            if previous is not None and previous.course_id == lesson.course_id:
                next_of[previous.pk] = lesson
            previous = lesson
    found = {}
    for lesson in lessons:
        bells = facts.classes[lesson.class_id][2]
        last_end, next_start = None, None
        if rule == regulation.Homework.AFTER_LAST_LESSON:
            last_end = bells_end.get((bells, last_number.get((lesson.class_id, lesson.day))))
        elif rule == regulation.Homework.BY_NEXT_LESSON and lesson.pk in next_of:
            following = next_of[lesson.pk]
            starts = bells_start.get((bells, following.number)) or time(8, 0)
            next_start = datetime.combine(following.day, starts, facts.school.zone)
        found[lesson.pk] = regulation.homework_deadline(lesson.day, last_end, next_start)
    return found


def homework(facts) -> list[Shortfall]:
    """Homework not entered by its deadline; homework entered late (a closed record)."""
    missing = [
        lesson
        for lesson in facts.lessons
        if not lesson.has_homework and facts.gives_marks(lesson.course_id)
    ]
    deadlines = _homework_deadlines(facts, missing)
    found = [
        _lesson_row(facts, Kind.HOMEWORK, lesson, deadlines[lesson.pk].date())
        for lesson in missing
        if deadlines[lesson.pk] < facts.moment
    ]
    late = Homework.objects.filter(
        lesson__course__year=facts.year, entered_late=True, lesson__date__lte=facts.on
    ).values_list("lesson_id", "course_id", "lesson__substitute_id", "due_in_journal", "created_at")
    for lesson_id, course_id, substitute_id, due, created in late:
        row = facts.row(
            Kind.HOMEWORK_LATE,
            f"l:{lesson_id}",
            (due or created).astimezone(facts.school.zone).date(),
            course_id=course_id,
            lesson_id=lesson_id,
            teacher_id=substitute_id or facts.teacher_of.get(course_id),
        )
        row.fixed_at = created
        found.append(row)
    return found


def written_works(facts) -> list[Shortfall]:
    """Written works with no mark past the regulation's days (monitoring: its own)."""
    found = []
    for lesson in facts.lessons:
        if lesson.kind not in Lesson.WRITTEN_KINDS or lesson.has_marks:
            continue
        if not facts.gives_marks(lesson.course_id):
            continue
        due = facts.regulation.marks_due(
            lesson.day, monitoring=lesson.kind == Lesson.Kind.MONITORING
        )
        if due < facts.on:
            found.append(_lesson_row(facts, Kind.WRITTEN_WORK, lesson, due))
    return found


def mark_days(facts) -> list[Shortfall]:
    """Courses with fewer days with marks in a finished week than the regulation asks (or
    than the days the course had lessons, when fewer)."""
    needed = facts.regulation.min_mark_days_per_week
    if not needed:
        return []
    this_monday = facts.on - timedelta(days=facts.on.weekday())
    weeks = (
        Lesson.objects.filter(
            course__year=facts.year,
            course__school_class__no_marks=False,
            status=Lesson.Status.PLANNED,
            date__gte=facts.year.start,
            date__lt=this_monday,
        )
        .annotate(week=TruncWeek("date"))
        .values("course_id", "week")
        .annotate(
            days=Count("date", distinct=True),
            marked=Count(
                "date", distinct=True, filter=Q(marks__deleted_at__isnull=True, marks__isnull=False)
            ),
        )
        .order_by()
        .values_list("course_id", "week", "days", "marked")
    )
    found = []
    for course_id, week, days, marked in weeks:
        monday = week.date() if isinstance(week, datetime) else week
        if marked < min(needed, days):
            found.append(
                facts.row(
                    Kind.MARK_DAYS,
                    f"c:{course_id}:w:{monday.isoformat()}",
                    monday + timedelta(days=6),
                    course_id=course_id,
                    detail=_("%(marked)s из %(needed)s за неделю с %(day)s")
                    % {"marked": marked, "needed": min(needed, days), "day": f"{monday:%d.%m}"},
                )
            )
    return found


def roster(year, day: date, class_ids) -> list[tuple[int, int]]:
    """(course, pupil) of the courses of these classes on `day`: the class's pupils for a
    whole-class course, the subgroup's for a subgroup's (two queries)."""
    # The classes name their year; `year` None: the classes of several schools (a roll-up).
    of_year = Q(year=year) if year is not None else Q()
    whole = Course.objects.filter(
        of_year, school_class_id__in=class_ids, subgroup__isnull=True
    ).filter(held_on(day, "school_class__enrolments__"))
    pairs = list(whole.values_list("pk", "school_class__enrolments__pupil_id"))
    groups = Course.objects.filter(
        of_year, school_class_id__in=class_ids, subgroup__isnull=False
    ).filter(held_on(day, "subgroup__memberships__"))
    pairs += list(groups.values_list("pk", "subgroup__memberships__pupil_id"))
    return pairs


def _current_periods(facts) -> dict:
    """The period of each marking class holding the day checked: {period: [class pks]}."""
    found = defaultdict(list)
    for class_id, (grade, no_marks, _bells) in facts.classes.items():
        if no_marks:
            continue
        period = next(
            (p for p in grade_periods(facts.periods, grade) if p.start <= facts.on <= p.end), None
        )
        if period is not None:
            found[period].append(class_id)
    return found


def pupils_marks(facts) -> list[Shortfall]:
    """Pupils with no mark or one mark in a course past the middle of the period; pupils with
    fewer marks than a period mark needs when the period's last school days have come."""
    regulation = facts.regulation
    found = []
    for period, class_ids in _current_periods(facts).items():
        middle = period.start + (period.end - period.start) / 2
        left = {c: len(facts.future_days.get(c, ())) for c in class_ids}
        warn = {c for c, n in left.items() if n <= regulation.few_marks_days_left}
        if facts.on <= middle and not warn:
            continue
        counts = {
            (course, pupil): n
            for course, pupil, n in Mark.objects.filter(
                deleted_at__isnull=True,
                lesson__course__school_class_id__in=class_ids,
                lesson__course__year=facts.year,
                lesson__date__gte=period.start,
                lesson__date__lte=facts.on,
                lesson__status=Lesson.Status.PLANNED,
            )
            .values("lesson__course_id", "pupil_id")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("lesson__course_id", "pupil_id", "n")
        }
        for course_id, pupil_id in roster(facts.year, facts.on, class_ids):
            n = counts.get((course_id, pupil_id), 0)
            key = f"c:{course_id}:p:{pupil_id}:sp:{period.pk}"
            values = {"course_id": course_id, "pupil_id": pupil_id, "period_id": period.pk}
            if facts.on > middle and n < 2:
                kind = Kind.NO_MARKS if n == 0 else Kind.ONE_MARK
                found.append(facts.row(kind, key, middle, **values))
            elif facts.course_class[course_id] in warn and n < regulation.min_marks_for_period:
                found.append(
                    facts.row(
                        Kind.FEW_MARKS,
                        key,
                        period.end,
                        detail=_("%(n)s из %(needed)s")
                        % {"n": n, "needed": regulation.min_marks_for_period},
                        **values,
                    )
                )
    return found


def final_marks(facts) -> list[Shortfall]:
    """Period marks not set by the regulation's deadline, for every period of the year."""
    regulation = facts.regulation
    due = [p for p in facts.periods if regulation.final_marks_deadline(p.end) < facts.on]
    if not due:
        return []
    set_marks = set(
        FinalMark.objects.filter(
            course__year=facts.year, kind=FinalMark.Kind.PERIOD, period__in=due
        ).values_list("course_id", "pupil_id", "period_id")
    )
    found = []
    for period in due:
        class_ids = [
            c
            for c, (grade, no_marks, _b) in facts.classes.items()
            if not no_marks and period.grade_from <= grade <= period.grade_to
        ]
        if not class_ids:
            continue
        deadline = regulation.final_marks_deadline(period.end)
        on_day = min(deadline, period.end)
        for course_id, pupil_id in roster(facts.year, on_day, class_ids):
            if (course_id, pupil_id, period.pk) in set_marks:
                continue
            found.append(
                facts.row(
                    Kind.FINAL_MARK,
                    f"c:{course_id}:p:{pupil_id}:sp:{period.pk}",
                    deadline,
                    course_id=course_id,
                    pupil_id=pupil_id,
                    period_id=period.pk,
                )
            )
    return found


def plans(facts) -> list[Shortfall]:
    """Courses without a plan past the plan's deadline; courses behind the plan by more hours
    than the regulation allows (reports.services.programme's figures)."""
    regulation = facts.regulation
    deadline = regulation.plan_deadline(facts.year.start)
    if deadline >= facts.on:
        return []
    planned = set(
        PlanTopic.objects.filter(course__year=facts.year).values_list("course_id", flat=True)
    )
    found = [
        facts.row(Kind.NO_PLAN, f"c:{course_id}", deadline, course_id=course_id)
        for course_id in facts.course_class
        if course_id not in planned
    ]
    selection = Selection(facts.school, facts.year)
    for course in programme(selection, facts.year.start, facts.year.end, facts.on):
        hours = course.hours
        if hours.plan_total and hours.lag > regulation.plan_lag_hours:
            found.append(
                facts.row(
                    Kind.PLAN_LAG,
                    f"c:{course.course_id}",
                    facts.on,
                    course_id=course.course_id,
                    detail=_("отставание на %(n)s ч") % {"n": hours.lag},
                )
            )
    return found


def corrections(facts) -> list[Shortfall]:
    """Correction requests waiting longer than the regulation's days (the deputy's to-do)."""
    days = facts.regulation.correction_wait_days
    before = facts.moment - timedelta(days=days)
    pending = CorrectionRequest.Status.PENDING
    found = []
    for pk, lesson_id, course_id, asked in CorrectionRequest.objects.filter(
        status=pending, requested_at__lt=before, lesson__course__year=facts.year
    ).values_list("pk", "lesson_id", "lesson__course_id", "requested_at"):
        found.append(
            facts.row(
                Kind.CORRECTION,
                f"cr:{pk}",
                (asked + timedelta(days=days)).astimezone(facts.school.zone).date(),
                course_id=course_id,
                lesson_id=lesson_id,
                teacher_id=None,
            )
        )
    for pk, course_id, pupil_id, asked in FinalMarkCorrection.objects.filter(
        status=pending, requested_at__lt=before, course__year=facts.year
    ).values_list("pk", "course_id", "pupil_id", "requested_at"):
        found.append(
            facts.row(
                Kind.CORRECTION,
                f"fc:{pk}",
                (asked + timedelta(days=days)).astimezone(facts.school.zone).date(),
                course_id=course_id,
                pupil_id=pupil_id,
                teacher_id=None,
            )
        )
    return found


FINDERS = (
    topics_and_attendance,
    homework,
    written_works,
    mark_days,
    pupils_marks,
    final_marks,
    plans,
    corrections,
)
