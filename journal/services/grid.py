"""The journal page of a course and a period: pupils × lessons, marks, attendance, averages.

Performance shape (DESIGN.md): the page costs the same few queries for any size — each kind
of row is fetched once (periods, lessons with their homework, pupils' stays, marks with each
pupil's weighted figures, attendance) and pivoted here in Python. Work types come from the
cache. Permissions come with the course (grading.rules.course_with_grants).

A cell is a lesson × a pupil × a work type. The lesson's main column (the work type its lesson
type calls for) also holds attendance, so a teacher types «5», «н», «о» or «о 5» (late, and
a mark) in one place. Extra columns appear where marks of other work types exist, or when the
teacher adds one (?add=<lesson>:<work type>).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Exists, OuterRef, Value
from django.utils import timezone

from accounts.regulation import RecordKind
from grading.models import CorrectionRequest, Mark
from grading.policy import Rights, lesson_verdict
from grading.rules import substitutes, teaches_course
from grading.services import marks as mark_service
from grading.services.averages import Average, score
from schedule.models import (
    Lesson,
    LessonUserObjectPermission,
)
from schedule.services.periods import Span, choose_period, periods_of
from schedule.services.roster import PupilRow, pupil_rows

from ..models import Attendance
from ..models.attendance import token_of

PLANNED = Lesson.Status.PLANNED


# --- Columns ------------------------------------------------------------------------------------


@dataclass
class Column:
    lesson: Lesson
    work_type: object  # grading.services.marks.WorkTypeInfo
    main: bool

    @property
    def key(self) -> tuple[int, int]:
        return self.lesson.pk, self.work_type.id


def homework_is_one_to_one() -> bool:
    """journal.Homework (another part of the journal) hangs one-to-one from a lesson."""
    try:
        return Lesson._meta.get_field("homework").one_to_one
    except FieldDoesNotExist:
        return False


def period_lessons(course, span: Span, user=None):
    lessons = (
        Lesson.objects.filter(
            course=course, date__gte=span.start, date__lte=span.end, status=PLANNED
        )
        # The substitute's name for the page, not their password hash: the lessons are kept
        # in the cache with the page's frame (journal.views.grid).
        .select_related("substitute")
        .defer("substitute__password")
        .annotate(
            _pending=Exists(
                CorrectionRequest.objects.filter(
                    lesson_id=OuterRef("pk"), status=CorrectionRequest.Status.PENDING
                )
            )
        )
        .order_by("date", "number", "pk")
    )
    if homework_is_one_to_one():
        lessons = lessons.select_related("homework")
    if user is not None:
        # Whether the user substituted in each lesson (only asked of non-teachers).
        lessons = lessons.annotate(
            _perm_user=Value(user.pk),
            _perm_sub=Exists(
                LessonUserObjectPermission.objects.filter(
                    user_id=user.pk,
                    permission__codename="substitute_lesson",
                    content_object_id=OuterRef("pk"),
                )
            ),
        )
    return lessons


# --- The grid -----------------------------------------------------------------------------------


@dataclass
class Grid:
    course: object
    period: Span
    periods: list[Span]
    lessons: list[Lesson]
    columns: list[Column]
    rows: list[PupilRow]
    marks: dict  # (lesson_id, pupil_id, work_type_id) -> (value, comment, make-up)
    attendance: dict  # (lesson_id, pupil_id) -> (code, minutes)
    averages: dict  # pupil_id -> text
    editable: set  # lesson ids the user may write in
    today: date
    work_types: object
    gives_marks: bool = True
    # When the page was built: a plain-form post does not overwrite what others wrote since.
    built_at: datetime = field(default_factory=timezone.now)

    @property
    def can_edit(self) -> bool:
        return bool(self.editable)

    def is_locked(self, lesson) -> bool:
        """Marks of the lesson are locked: a change needs a correction (the regulation)."""
        return self.today >= self.course.school.regulation.lock_day(RecordKind.MARK, lesson.date)

    def is_future(self, lesson) -> bool:
        return lesson.date > self.today

    def cell_text(self, column: Column, pupil_id: int) -> str:
        lesson_id, work_type_id = column.key
        mark = self.marks.get((lesson_id, pupil_id, work_type_id))
        value = Mark.SHORT[mark[0]] if mark else ""
        if column.main:
            seen = self.attendance.get((lesson_id, pupil_id))
            if seen:
                token = token_of(*seen)
                return f"{token} {value}" if value else token
        return value

    def main_column(self, lesson) -> Column:
        return next(c for c in self.columns if c.lesson.pk == lesson.pk and c.main)

    def column(self, lesson_id: int, work_type_id: int) -> Column | None:
        return self._by_key.get((lesson_id, work_type_id))

    def __post_init__(self):
        self._by_key = {c.key: c for c in self.columns}
        self._rows = {r.pupil.pk: r for r in self.rows}
        self._lessons = {lesson.pk: lesson for lesson in self.lessons}

    def lesson(self, lesson_id: int):
        return self._lessons.get(lesson_id)

    def row(self, pupil_id: int) -> PupilRow | None:
        return self._rows.get(pupil_id)


@dataclass
class Frame:
    """What a journal page shows besides its marks and attendance: kept apart (the page's
    frame, journal.views.grid), since a mark typed changes none of it."""

    period: Span
    periods: list[Span]
    lessons: list[Lesson]
    rows: list[PupilRow]
    editable: set
    today: date
    types: object  # the school's work types (grading.services.marks.work_types)
    # fill_grid's two queries (marks, attendance), compiled once for the frame's course and
    # period (grading.services.marks.compiled).
    queries: tuple = ()

    def detach(self) -> "Frame":
        """Without the school and course each lesson points to, to be kept: `attach` puts
        them back (the viewer's course, with their grants)."""
        for lesson in self.lessons:
            for name in ("school", "course"):
                lesson._state.fields_cache.pop(name, None)
        return self

    def attach(self, course, school) -> "Frame":
        for lesson in self.lessons:
            lesson.school = school
            lesson.course = course
        return self


def grid_frame(course, user, *, period_pk=None, on=None, school=None) -> Frame:
    """The page's periods, lessons, pupils and the lessons the user may write in: four
    queries. LookupError for a period that is not the course's."""
    school = school or course.school
    today = school.today()
    periods = periods_of(course)
    period = choose_period(periods, pk=period_pk, on=on, today=today)
    if period is None:
        raise LookupError(period_pk)
    keeps_all = teaches_course(user, course)
    lessons = list(period_lessons(course, period, None if keeps_all else user))
    for lesson in lessons:
        lesson.school = school
        lesson.course = course
    rows = pupil_rows(course, period.start, period.end)
    # Lessons the user may write in now, by the write policy: all of a course they teach,
    # or the ones they substituted in; none before they happen, none of a closed year.
    now = school.now()
    editable = {
        lesson.pk
        for lesson in lessons
        if not lesson_verdict(
            user,
            lesson,
            RecordKind.ATTENDANCE,
            rights=Rights(keeps=keeps_all or bool(substitutes(user, lesson)), leads=False),
            now=now,
        ).refused
    }
    return Frame(
        period,
        periods,
        lessons,
        rows,
        editable,
        today,
        mark_service.work_types(school),
        queries=fill_queries(course, period),
    )


def fill_queries(course, period: Span) -> tuple:
    """The queries of a page's marks (with what each pupil's average needs) and attendance,
    compiled (kept with the frame)."""
    marks = mark_service.grid_marks(course, period.start, period.end)
    seen = Attendance.objects.filter(
        lesson__course=course,
        lesson__date__gte=period.start,
        lesson__date__lte=period.end,
        lesson__status=PLANNED,
        deleted_at__isnull=True,
    ).values_list("lesson_id", "pupil_id", "code", "minutes_late")
    return mark_service.compiled(marks), mark_service.compiled(seen)


def build_grid(course, user, *, period_pk=None, on=None, extra=(), school=None) -> Grid:
    """The journal page's data. `course` comes with its class, subject, subgroup and year,
    and with the user's grants (grading.rules.course_with_grants)."""
    school = school or course.school
    frame = grid_frame(course, user, period_pk=period_pk, on=on, school=school)
    return fill_grid(frame, course, extra=extra)


def _weight(work_type) -> object:
    return work_type.weight if work_type else 1


def fill_grid(frame: Frame, course, *, extra=()) -> Grid:
    """The page's marks (with each pupil's average) and attendance in its frame: two
    queries, sent together."""
    period, lessons, types = frame.period, frame.lessons, frame.types

    marks = {}
    # Each pupil's marks counted by work type ([how many, Σ score]): their average is summed
    # once per work type (Average.summed), not once per mark.
    tallies: dict[tuple[int, int], list] = {}
    kinds = set()  # (lesson, work type) of the marks: the columns they need
    pass_fail = course.scale == course.Scale.PASS_FAIL
    mark_rows, seen_rows = mark_service.fetch_compiled(
        *(frame.queries or fill_queries(course, period))
    )
    for lesson_id, pupil_id, type_id, value, comment, points, makeup in mark_rows:
        marks[(lesson_id, pupil_id, type_id)] = (value, comment, makeup)
        kinds.add((lesson_id, type_id))
        tally = tallies.get((pupil_id, type_id))
        if tally is None:
            tallies[(pupil_id, type_id)] = [1, score(value, points)]
        else:
            tally[0] += 1
            tally[1] += score(value, points)
    by_pupil: dict[int, list] = {}
    for (pupil_id, type_id), (count, scores) in tallies.items():
        by_pupil.setdefault(pupil_id, []).append((_weight(types.get(type_id)), count, scores))
    averages = {
        pupil_id: Average.summed(groups).text(pass_fail) for pupil_id, groups in by_pupil.items()
    }
    seen = {
        (lesson_id, pupil_id): (code, minutes) for lesson_id, pupil_id, code, minutes in seen_rows
    }
    extra_types: dict[int, set] = {}
    for lesson_id, type_id in (*kinds, *extra):
        extra_types.setdefault(lesson_id, set()).add(type_id)

    columns = []
    for lesson in lessons:
        main = types.main_for(lesson.kind)
        columns.append(Column(lesson, main, True))
        others = [types.get(t) for t in extra_types.get(lesson.pk, ()) if t != main.id]
        for work_type in sorted(filter(None, others), key=lambda w: (w.name, w.id)):
            columns.append(Column(lesson, work_type, False))
    return Grid(
        course=course,
        period=period,
        periods=frame.periods,
        lessons=lessons,
        columns=columns,
        rows=frame.rows,
        marks=marks,
        attendance=seen,
        averages=averages,
        editable=frame.editable,
        today=frame.today,
        work_types=types,
        gives_marks=course.gives_marks,
    )
