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
from datetime import date

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, Value
from django.utils.translation import gettext as _

from grading.models import CorrectionRequest, Mark
from grading.rules import leads_class_of, substitutes, teaches_course, with_user_perms
from grading.services import marks as mark_service
from grading.services.marks import LOCKED, LockedError, Outcome, format_average
from schedule.models import (
    Enrolment,
    Lesson,
    LessonUserObjectPermission,
    StudyPeriod,
    SubgroupMembership,
)

from ..models import Attendance
from ..models.attendance import token_of
from . import attendance as attendance_service
from .attendance import Rights

PLANNED = Lesson.Status.PLANNED


# --- Periods ------------------------------------------------------------------------------------


@dataclass
class Span:
    """A study period, or the whole year when the school has set no periods."""

    pk: int | None
    name: str
    start: date
    end: date


def periods_of(course) -> list[Span]:
    grade = course.school_class.grade
    spans = [
        Span(pk, StudyPeriod(number=number, kind=kind).name, start, end)
        for pk, number, kind, start, end in StudyPeriod.objects.filter(year_id=course.year_id)
        .for_grade(grade)
        .order_by("start")
        .values_list("pk", "number", "kind", "start", "end")
    ]
    return spans or [Span(None, str(course.year), course.year.start, course.year.end)]


def choose_period(spans: list[Span], *, pk=None, on: date | None = None, today: date) -> Span:
    """The asked period; else the one holding `on` (or today); else the nearest before it."""
    if pk is not None:
        found = next((s for s in spans if s.pk == pk), None)
        if found is None:
            raise LookupError(pk)
        return found
    day = on or today
    holding = next((s for s in spans if s.start <= day <= s.end), None)
    if holding:
        return holding
    before = [s for s in spans if s.start <= day]
    return before[-1] if before else spans[0]


# --- Pupils -------------------------------------------------------------------------------------


@dataclass
class PupilRow:
    pupil: object
    spans: list = field(default_factory=list)  # [(start, end or None)] in the class/subgroup

    def covers(self, start: date, end: date) -> bool:
        """In the course for the whole of a span (the usual case: no cell is outside)."""
        return any(s <= start and (e is None or end <= e) for s, e in self.spans)

    def active_on(self, day: date) -> bool:
        return any(start <= day and (end is None or day <= end) for start, end in self.spans)


def course_stays(course):
    """The rows that put a pupil in the course: subgroup places, or class enrolments."""
    if course.subgroup_id:
        return SubgroupMembership.objects.filter(subgroup_id=course.subgroup_id)
    return Enrolment.objects.filter(school_class_id=course.school_class_id)


@dataclass(frozen=True)
class GridPupil:
    """The little of a pupil the journal page shows."""

    pk: int
    last_name: str
    first_name: str
    patronymic: str

    @property
    def short_name(self) -> str:
        return f"{self.last_name} {self.first_name}"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)


def pupil_rows(course, start: date, end: date) -> list[PupilRow]:
    """Everyone in the course at some time in the period, with their spans (one query)."""
    rows: dict[int, PupilRow] = {}
    stays = (
        course_stays(course)
        .overlapping(start, end)
        .values_list(
            "pupil_id",
            "start",
            "end",
            "pupil__last_name",
            "pupil__first_name",
            "pupil__patronymic",
        )
    )
    for pupil_id, stay_start, stay_end, last_name, first_name, patronymic in stays:
        row = rows.get(pupil_id)
        if row is None:
            row = rows[pupil_id] = PupilRow(GridPupil(pupil_id, last_name, first_name, patronymic))
        row.spans.append((stay_start, stay_end))
    return sorted(
        rows.values(),
        key=lambda r: (r.pupil.last_name, r.pupil.first_name, r.pupil.patronymic, r.pupil.pk),
    )


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
        .select_related("substitute")
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
    marks: dict  # (lesson_id, pupil_id, work_type_id) -> (value, comment)
    attendance: dict  # (lesson_id, pupil_id) -> (code, minutes)
    averages: dict  # pupil_id -> text
    editable: set  # lesson ids the user may write in
    today: date
    work_types: object
    gives_marks: bool = True

    @property
    def can_edit(self) -> bool:
        return bool(self.editable)

    def is_locked(self, lesson) -> bool:
        return self.today > lesson.locks_on()

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


def build_grid(course, user, *, period_pk=None, on=None, extra=(), school=None) -> Grid:
    """The journal page's data. `course` comes with its class, subject, subgroup and year,
    and with the user's grants (grading.rules.course_with_grants)."""
    school = school or course.school
    today = mark_service.school_today(school)
    periods = periods_of(course)
    period = choose_period(periods, pk=period_pk, on=on, today=today)
    types = mark_service.work_types(school)
    keeps_all = teaches_course(user, course)
    lessons = list(period_lessons(course, period, None if keeps_all else user))
    for lesson in lessons:
        lesson.school = school
        lesson.course = course
    rows = pupil_rows(course, period.start, period.end)

    marks, figures = {}, {}
    pass_fail = course.scale == course.Scale.PASS_FAIL
    extra_types: dict[int, set] = {}
    for lesson_id, pupil_id, type_id, value, comment, points in mark_service.fetch_rows(
        mark_service.grid_marks(course, period.start, period.end)
    ):
        marks[(lesson_id, pupil_id, type_id)] = (value, comment)
        extra_types.setdefault(lesson_id, set()).add(type_id)
        work_type = types.get(type_id)
        pupil_figures = figures.get(pupil_id) or figures.setdefault(
            pupil_id, mark_service.PupilFigures()
        )
        pupil_figures.add(value, points, work_type.weight if work_type else 1)
    averages = {
        pupil_id: f"{f.scores}/{f.count}" if pass_fail else format_average(f.average())
        for pupil_id, f in figures.items()
    }
    seen = {
        (lesson_id, pupil_id): (code, minutes)
        for lesson_id, pupil_id, code, minutes in mark_service.fetch_rows(
            Attendance.objects.filter(
                lesson__course=course,
                lesson__date__gte=period.start,
                lesson__date__lte=period.end,
                lesson__status=PLANNED,
                deleted_at__isnull=True,
            ).values_list("lesson_id", "pupil_id", "code", "minutes_late")
        )
    }
    for lesson_id, type_id in extra:
        extra_types.setdefault(lesson_id, set()).add(type_id)

    columns = []
    for lesson in lessons:
        main = types.main_for(lesson.kind)
        columns.append(Column(lesson, main, True))
        others = [types.get(t) for t in extra_types.get(lesson.pk, ()) if t != main.id]
        for work_type in sorted(filter(None, others), key=lambda w: (w.name, w.id)):
            columns.append(Column(lesson, work_type, False))

    # Lessons the user keeps: all of a course they teach, or the ones they substituted in;
    # none before they happen.
    editable = {
        lesson.pk
        for lesson in lessons
        if lesson.date <= today and (keeps_all or substitutes(user, lesson))
    }
    return Grid(
        course=course,
        period=period,
        periods=periods,
        lessons=lessons,
        columns=columns,
        rows=rows,
        marks=marks,
        attendance=seen,
        averages=averages,
        editable=editable,
        today=today,
        work_types=types,
        gives_marks=course.gives_marks,
    )


# --- One lesson's cells -------------------------------------------------------------------------


@dataclass
class LessonCell:
    """A pupil's cells in one lesson, as text: the main column first, then other work types."""

    pupil: GridPupil
    main: str
    others: list  # [(work type name, mark text)]


def lesson_cells(lesson, types) -> list[LessonCell]:
    """The pupils in the lesson's class or subgroup on its date with what their cells hold
    (three queries): the lesson page lists them, each with a link to the cell's history."""
    rows = pupil_rows(lesson.course, lesson.date, lesson.date)
    marks: dict[int, dict] = {}
    for pupil_id, type_id, value in Mark.objects.filter(
        lesson=lesson, deleted_at__isnull=True
    ).values_list("pupil_id", "work_type_id", "value"):
        marks.setdefault(pupil_id, {})[type_id] = value
    seen = {
        pupil_id: (code, minutes)
        for pupil_id, code, minutes in Attendance.objects.filter(
            lesson=lesson, deleted_at__isnull=True
        ).values_list("pupil_id", "code", "minutes_late")
    }
    main = types.main_for(lesson.kind)
    cells = []
    for row in rows:
        pupil = row.pupil
        own = marks.get(pupil.pk, {})
        main_text = display(own.pop(main.id, None), seen.get(pupil.pk, (None, None)))
        others = sorted(
            (getattr(types.get(type_id), "name", ""), Mark.SHORT[value])
            for type_id, value in own.items()
        )
        cells.append(LessonCell(pupil, main_text, others))
    return cells


# --- One cell -----------------------------------------------------------------------------------


def parse_cell(raw: str, *, main: bool, course) -> tuple[str | None, tuple]:
    """A typed cell as (mark value or None, (attendance code, minutes)).

    «5», «н», «о 5» (late, and a 5), «о10» (late ten minutes), «» (nothing).
    """
    mark, seen = None, None
    for token in (raw or "").replace(",", " ").replace("/", " ").split():
        if attendance_service.is_token(token):
            if seen is not None:
                raise ValidationError(_("В клетке одна отметка посещаемости."), code="twice")
            if not main:
                raise ValidationError(
                    _("Посещаемость отмечается в основной колонке урока."), code="not_main"
                )
            seen = attendance_service.parse_token(token)
        else:
            if mark is not None:
                raise ValidationError(_("В клетке одна отметка."), code="twice")
            if not course.gives_marks:
                mark_service.check_gives_marks(course)
            mark = mark_service.parse_mark(token, course)
    return mark, seen or (None, None)


def display(mark: str | None, seen: tuple) -> str:
    text = Mark.SHORT[mark] if mark else ""
    token = token_of(*seen)
    return f"{token} {text}".strip() if token else text


def _on_day(model, **match):
    day = OuterRef("date")
    return Exists(
        model.objects.filter(start__lte=day, **match).filter(Q(end__isnull=True) | Q(end__gte=day))
    )


def load_cell(lesson_pk: int, pupil_pk: int, work_type_id: int, user):
    """The lesson of a cell with everything a save needs, in one query.

    Annotated: the user's grants, whether the pupil is in the lesson's class or subgroup on
    its date, and the cell's current mark and attendance rows (as `cell_mark`, `cell_seen`).
    """
    lessons = with_user_perms(
        Lesson.objects.select_related("course__school_class", "course__subgroup"), user
    ).annotate(
        _in_class=_on_day(
            Enrolment, pupil_id=pupil_pk, school_class_id=OuterRef("course__school_class_id")
        ),
        _in_subgroup=_on_day(
            SubgroupMembership, pupil_id=pupil_pk, subgroup_id=OuterRef("course__subgroup_id")
        ),
        m=FilteredRelation(
            "marks", condition=Q(marks__pupil_id=pupil_pk, marks__work_type_id=work_type_id)
        ),
        a=FilteredRelation("attendance", condition=Q(attendance__pupil_id=pupil_pk)),
        **{f"m_{name}": F(f"m__{name}") for name in MARK_FIELDS},
        **{f"a_{name}": F(f"a__{name}") for name in SEEN_FIELDS},
    )
    lesson = lessons.filter(pk=lesson_pk).first()
    if lesson is None:
        return None
    lesson.cell_mark = _row_from(lesson, Mark, "m_", MARK_FIELDS)
    lesson.cell_seen = _row_from(lesson, Attendance, "a_", SEEN_FIELDS)
    return lesson


MARK_FIELDS = (
    "id",
    "school_id",
    "lesson_id",
    "pupil_id",
    "work_type_id",
    "value",
    "points",
    "comment",
    "author_id",
    "updated_at",
    "deleted_at",
)
SEEN_FIELDS = (
    "id",
    "school_id",
    "lesson_id",
    "pupil_id",
    "code",
    "minutes_late",
    "set_by_id",
    "updated_at",
    "deleted_at",
)


def _row_from(lesson, model, prefix, names):
    if getattr(lesson, f"{prefix}id") is None:
        return None
    row = model(**{name: getattr(lesson, prefix + name) for name in names})
    row._state.adding = False
    row._state.db = lesson._state.db
    return row


class NotInLesson(Exception):
    """The pupil is not in the lesson's class or subgroup on its date."""


@dataclass
class CellResult:
    status: str
    text: str  # what the cell shows now
    message: str = ""


def rights_for(user, lesson) -> Rights:
    return Rights(
        keeps=bool(teaches_course(user, lesson) or substitutes(user, lesson)),
        leads=bool(leads_class_of(user, lesson)),
    )


def save_cell(lesson, pupil_id: int, work_type, raw: str, *, user, reason="", types=None):
    """Write what was typed into one cell (a lesson from `load_cell`).

    Raises ValidationError (LockedError when a reason is needed) with a message for the
    cell, and NotInLesson for a pupil outside the lesson's class or subgroup on its date.
    """
    course = lesson.course
    active = lesson._in_subgroup if course.subgroup_id else lesson._in_class
    if not active:
        raise NotInLesson
    types = types or mark_service.work_types(lesson.school)
    main = types.main_for(lesson.kind).id == work_type.id
    mark, seen = parse_cell(raw, main=main, course=course)
    rights = rights_for(user, lesson)
    old_mark = mark_service.live_value(lesson.cell_mark)
    old_seen = attendance_service.live_state(lesson.cell_seen) if main else (None, None)
    change_mark = course.gives_marks and mark != old_mark
    change_seen = main and seen != old_seen
    if change_mark and not rights.keeps:
        raise ValidationError(_("Отметки ставит учитель урока."), code="rights")
    if change_seen:
        attendance_service.check_change(rights, old_seen, seen)
    if not (change_mark or change_seen):
        return CellResult(Outcome.UNCHANGED, display(old_mark, old_seen))
    today = mark_service.school_today(lesson.school)
    if mark_service.lesson_state(lesson, today) == LOCKED and not reason.strip():
        raise LockedError(mark_service.locked_message(lesson), code="locked")
    outcomes = []
    if change_seen:
        outcomes.append(
            attendance_service.set_attendance(
                lesson,
                pupil_id,
                *seen,
                by=user,
                rights=rights,
                current=lesson.cell_seen,
                reason=reason,
                today=today,
            )
        )
    if change_mark:
        outcomes.append(
            mark_service.set_mark(
                lesson,
                pupil_id,
                work_type.id,
                mark,
                by=user,
                current=lesson.cell_mark,
                reason=reason,
                today=today,
            )
        )
    if any(o.status == Outcome.REQUESTED for o in outcomes):
        return CellResult(
            Outcome.REQUESTED,
            display(old_mark, old_seen),
            _("Исправление отправлено на согласование заместителю директора."),
        )
    return CellResult(Outcome.SAVED, display(mark, seen))


# --- The whole grid as a plain form (without JavaScript) ----------------------------------------


@dataclass
class FormResult:
    saved: int = 0
    requested: int = 0
    errors: dict = field(default_factory=dict)  # input name -> (typed, message)


def parse_name(name: str) -> tuple[int, int, int] | None:
    """«c12_34_5» → (lesson 12, pupil 34, work type 5)."""
    if not name.startswith("c"):
        return None
    parts = name[1:].split("_")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    return int(parts[0]), int(parts[1]), int(parts[2])


def current_rows(grid: Grid, lesson_ids, pupil_ids):
    marks = {
        (m.lesson_id, m.pupil_id, m.work_type_id): m
        for m in Mark.objects.filter(lesson_id__in=lesson_ids, pupil_id__in=pupil_ids)
    }
    seen = {
        (a.lesson_id, a.pupil_id): a
        for a in Attendance.objects.filter(lesson_id__in=lesson_ids, pupil_id__in=pupil_ids)
    }
    return marks, seen


def save_grid_form(grid: Grid, data, *, user) -> FormResult:
    """Save every changed cell of a posted grid; the rest is kept as typed, with errors."""
    result = FormResult()
    reason = (data.get("reason") or "").strip()
    wanted = []
    for name, raw in data.items():
        key = parse_name(name)
        if key is None:
            continue
        lesson_id, pupil_id, type_id = key
        column, row = grid.column(lesson_id, type_id), grid.row(pupil_id)
        if column is None and grid.lesson(lesson_id) and grid.work_types.get(type_id):
            # A column the teacher added to the lesson: it exists once a mark is in it.
            column = Column(grid.lesson(lesson_id), grid.work_types.get(type_id), False)
        if column is None or row is None or lesson_id not in grid.editable:
            continue  # not a cell of this page the user may write in: ignored
        lesson = column.lesson
        if not row.active_on(lesson.date):
            continue
        if raw.strip() == grid.cell_text(column, pupil_id):
            continue
        try:
            mark, seen = parse_cell(raw, main=column.main, course=grid.course)
        except ValidationError as error:
            result.errors[name] = (raw, error.messages[0])
            continue
        wanted.append((name, raw, column, pupil_id, mark, seen))
    if not wanted:
        return result
    marks, seen_rows = current_rows(grid, {w[2].lesson.pk for w in wanted}, {w[3] for w in wanted})
    mark_writes, seen_writes = [], []
    for name, raw, column, pupil_id, mark, seen in wanted:
        lesson = column.lesson
        current_mark = marks.get((lesson.pk, pupil_id, column.work_type.id))
        current_seen = seen_rows.get((lesson.pk, pupil_id))
        old_mark = mark_service.live_value(current_mark)
        old_seen = attendance_service.live_state(current_seen)
        change_mark = grid.gives_marks and mark != old_mark
        change_seen = column.main and seen != old_seen
        try:
            if change_seen:
                attendance_service.check_change(rights_for(user, lesson), old_seen, seen)
            if grid.is_locked(lesson):
                if not reason:
                    raise LockedError(mark_service.locked_message(lesson), code="locked")
                if change_seen:
                    attendance_service.set_attendance(
                        lesson,
                        pupil_id,
                        *seen,
                        by=user,
                        rights=rights_for(user, lesson),
                        current=current_seen,
                        reason=reason,
                        today=grid.today,
                    )
                    result.requested += 1
                if change_mark:
                    mark_service.set_mark(
                        lesson,
                        pupil_id,
                        column.work_type.id,
                        mark,
                        by=user,
                        current=current_mark,
                        reason=reason,
                        today=grid.today,
                    )
                    result.requested += 1
                continue
        except ValidationError as error:
            result.errors[name] = (raw, error.messages[0])
            continue
        if change_mark:
            mark_writes.append((lesson, pupil_id, column.work_type.id, mark, current_mark))
        if change_seen:
            seen_writes.append((lesson, pupil_id, *seen, current_seen))
    result.saved += mark_service.write_marks(mark_writes, by=user)
    result.saved += attendance_service.write_attendance_rows(seen_writes, by=user)
    return result
