"""One cell of the journal: what was typed, who may write it, and writing it.

A cell is a lesson × a pupil × a work type. The lesson's main column (the work type its lesson
type calls for) also holds attendance, so a teacher types «5», «н», «о» or «о 5» (late, and
a mark) in one place. The lesson page lists a lesson's cells (`lesson_cells`).
"""

import functools
from contextlib import nullcontext
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.utils.translation import gettext as _
from django_scopes import ScopeError, get_scope

from accounts.regulation import RecordKind
from grading.models import Mark, WorkType
from grading.policy import lesson_verdict, rights_for
from grading.rules import lesson_grants_sql, set_lesson_grants
from grading.services import marks as mark_service
from grading.services.averages import Average, score_sql, sums
from grading.services.entry import Outcome, check, check_expected, set_mark
from schedule.models import (
    Course,
    Enrolment,
    Lesson,
    SchoolClass,
    SchoolYear,
    Subgroup,
    SubgroupMembership,
)
from schedule.services.roster import GridPupil, pupil_rows

from ..models import Attendance
from ..models.attendance import token_of
from . import attendance as attendance_service

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
            mark = mark_service.parse_mark(token, course)
    return mark, seen or (None, None)


def display(mark: str | None, seen: tuple) -> str:
    text = Mark.SHORT[mark] if mark else ""
    token = token_of(*seen)
    return f"{token} {text}".strip() if token else text


def load_cell(lesson_pk: int, pupil_pk: int, work_type_id: int, user, span=None):
    """The lesson of a cell with everything a save needs, in one query (None: no such lesson
    in the active school's scope).

    The lesson comes with its course, the course's class, subgroup and year, and carries the
    user's grants (as `grading.rules.with_user_perms` sets them), whether the pupil is in the
    lesson's class or subgroup on its date (`_in_class`, `_in_subgroup`), and the cell's current
    mark and attendance rows (`cell_mark`, `cell_seen`); with `span` (the page's period: start,
    end) the pupil's marks of the course in it summed (`cell_average`), so the save answers the
    row's new average without another query.

    Written out in SQL, compiled once per process (`_cell_sql`), because every typed cell asks
    it: built by the ORM (thirty-odd annotations, filtered relations, subqueries) it cost about
    8 ms of CPU to compile, more than half of a save, for a query the database answers in a
    fraction of a millisecond.
    """
    school = _scoped_school()
    alias = router.db_for_read(Lesson)
    params = {
        "lesson": lesson_pk,
        "pupil": pupil_pk,
        "work_type": work_type_id,
        "user": user.pk,
        "school": school,
    }
    if span is not None:
        params.update(start=span[0], end=span[1], held=Lesson.Status.PLANNED)
    with connections[alias].cursor() as cursor:
        cursor.execute(_cell_sql(school is not None, span is not None), params)
        row = cursor.fetchone()
    if row is None:
        return None
    row = _convert(alias, row)
    lesson, values = _related_rows(alias, row)
    set_lesson_grants(lesson, user, *values[:3])
    lesson._in_class, lesson._in_subgroup = bool(values[3]), bool(values[4])
    marks, values = values[5 : 5 + len(MARK_FIELDS)], values[5 + len(MARK_FIELDS) :]
    seen, values = values[: len(SEEN_FIELDS)], values[len(SEEN_FIELDS) :]
    lesson.cell_mark = _row_from(alias, Mark, MARK_FIELDS, marks)
    lesson.cell_seen = _row_from(alias, Attendance, SEEN_FIELDS, seen)
    lesson.cell_span = span
    lesson.cell_average = Average.of(dict(zip(sums(), values, strict=True))) if span else None
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
    "makeup",  # a cleared make-up keeps saying it was one (its history row too)
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

# The lesson and the rows select_related used to bring with it, in this order, each with every
# concrete column (so a new field comes along by itself): (model, SQL alias, the relation that
# holds it — on the lesson, or on the course — or None for the lesson itself).
CELL_ROWS = (
    (Lesson, "l", None),
    (Course, "c", (Lesson, "course")),
    (SchoolClass, "k", (Course, "school_class")),
    (Subgroup, "s", (Course, "subgroup")),
    (SchoolYear, "y", (Course, "year")),
)

CELL_SQL = """
SELECT {columns},{grants},
  EXISTS (SELECT 1 FROM {enrolment} e WHERE e.pupil_id = %(pupil)s
          AND e.school_class_id = c.school_class_id
          AND e."start" <= l."date" AND (e."end" IS NULL OR e."end" >= l."date")),
  EXISTS (SELECT 1 FROM {membership} e WHERE e.pupil_id = %(pupil)s
          AND e.subgroup_id = c.subgroup_id
          AND e."start" <= l."date" AND (e."end" IS NULL OR e."end" >= l."date")),
  {cell_columns}{sums}
FROM {lesson} l
JOIN {course} c ON c.id = l.course_id
JOIN {school_class} k ON k.id = c.school_class_id
LEFT JOIN {subgroup} s ON s.id = c.subgroup_id
JOIN {year} y ON y.id = c.year_id
LEFT JOIN {mark} m ON m.lesson_id = l.id AND m.pupil_id = %(pupil)s
  AND m.work_type_id = %(work_type)s
LEFT JOIN {attendance} a ON a.lesson_id = l.id AND a.pupil_id = %(pupil)s{sums_join}
WHERE l.id = %(lesson)s{school}
"""

# The pupil's live marks of the lesson's course in held lessons of the span (held_marks), summed
# as `grading.services.averages.sums` sums them. An aggregate without GROUP BY is always one
# row, so the join keeps the lesson's. A mark's school is its lesson's: the lesson's school
# filter covers them.
SUMS_JOIN = """
CROSS JOIN (SELECT SUM(({score}) * w.weight), SUM(w.weight), COUNT(m2.id), SUM({score})
  FROM {mark} m2 JOIN {lesson} l2 ON l2.id = m2.lesson_id
  JOIN {work_type} w ON w.id = m2.work_type_id
  WHERE m2.pupil_id = %(pupil)s AND m2.deleted_at IS NULL AND l2.status = %(held)s
    AND l2."date" >= %(start)s AND l2."date" <= %(end)s
    AND l2.course_id = (SELECT course_id FROM {lesson} WHERE id = %(lesson)s)) t"""


@functools.cache
def _cell_sql(by_school: bool, with_sums: bool) -> str:
    def columns(alias, model, names=None):
        if names is None:
            fields = model._meta.concrete_fields
        else:
            fields = [model._meta.get_field(name) for name in names]
        return ", ".join(f'{alias}."{field.column}"' for field in fields)

    table = {
        "lesson": Lesson,
        "course": Course,
        "school_class": SchoolClass,
        "subgroup": Subgroup,
        "year": SchoolYear,
        "enrolment": Enrolment,
        "membership": SubgroupMembership,
        "mark": Mark,
        "attendance": Attendance,
        "work_type": WorkType,
    }
    tables = {name: model._meta.db_table for name, model in table.items()}
    sums_join = SUMS_JOIN.format(score=score_sql("m2"), **tables) if with_sums else ""
    return CELL_SQL.format(
        columns=",\n  ".join(columns(alias, model) for model, alias, _holder in CELL_ROWS),
        grants=lesson_grants_sql("l", "c"),
        cell_columns=",\n  ".join(
            (columns("m", Mark, MARK_FIELDS), columns("a", Attendance, SEEN_FIELDS))
        ),
        sums=", t.*" if with_sums else "",
        sums_join=sums_join,
        school=" AND l.school_id = %(school)s" if by_school else "",
        **tables,
    )


def _scoped_school():
    """The school the scoped Lesson manager would filter by (None: scopes disabled), raising
    ScopeError outside a scope as the manager does: the SQL keeps the tenant's filter."""
    current = get_scope()
    if not current.get("_enabled", True):
        return None
    if "school" not in current:
        raise ScopeError("A scope on dimension(s) school needs to be active for this query.")
    school = current["school"]
    if isinstance(school, (list, tuple)):
        raise ScopeError("load_cell reads a lesson of one school.")
    return getattr(school, "pk", school)


@functools.cache
def _converters(alias) -> tuple:
    """(position, [converter]) of the model columns that the database's values need converted
    (none on PostgreSQL; dates, decimals and booleans on SQLite), as the ORM would."""
    connection = connections[alias]
    found, position = [], 0
    for model, table_alias, _holder in CELL_ROWS:
        for field in model._meta.concrete_fields:
            col = field.get_col(table_alias)
            functions = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
            if functions:
                found.append((position, col, functions))
            position += 1
    return tuple(found)


def _convert(alias, row):
    converters = _converters(alias)
    if not converters:
        return row
    row, connection = list(row), connections[alias]
    for position, col, functions in converters:
        for function in functions:
            row[position] = function(row[position], col, connection)
    return row


def _related_rows(alias, row):
    """The lesson with its course, class, subgroup and year cached as select_related caches
    them, and what follows them in the row."""
    found = {}
    for model, _alias, holder in CELL_ROWS:
        width = len(model._meta.concrete_fields)
        values, row = row[:width], row[width:]
        obj = None if values[0] is None else model.from_db(alias, None, values)
        if holder is not None:
            owner, name = holder
            getattr(owner, name).field.set_cached_value(found[owner], obj)
        found[model] = obj
    return found[Lesson], row


def _row_from(alias, model, names, values):
    if values[0] is None:
        return None
    row = model(**dict(zip(names, values, strict=True)))
    row._state.adding = False
    row._state.db = alias
    return row


class NotInLesson(Exception):
    """The pupil is not in the lesson's class or subgroup on its date."""


@dataclass
class CellResult:
    status: str
    text: str  # what the cell shows now
    message: str = ""
    average: str | None = None  # the row's average in the page's period, when it changed


def new_average(lesson, work_type, old: str | None, value: str | None) -> str | None:
    """The pupil's average on the page once the cell holds `value` instead of `old` (the
    live values, read before the write)."""
    average = lesson.cell_average
    start, end = lesson.cell_span or (None, None)
    if average is None or not start <= lesson.date <= end:
        return None
    if old is not None:
        average.remove(old, Mark.POINTS.get(old), work_type.weight)
    if value is not None:
        average.add(value, Mark.POINTS.get(value), work_type.weight)
    return average.text(lesson.course.scale == lesson.course.Scale.PASS_FAIL)


def save_cell(
    lesson, pupil_id: int, work_type, raw: str, *, user, reason="", types=None, expected=None
):
    """Write what was typed into one cell (a lesson from `load_cell`).

    `expected` is the cell's text as the user saw it; if the cell changed since, nothing is
    written (ChangedMeanwhile). Raises ValidationError (LockedError when a reason is needed)
    with a message for the cell, and NotInLesson for a pupil outside the lesson's class or
    subgroup on its date.
    """
    course = lesson.course
    active = lesson._in_subgroup if course.subgroup_id else lesson._in_class
    if not active:
        raise NotInLesson
    types = types or mark_service.work_types(lesson.school)
    main = types.main_for(lesson.kind).id == work_type.id
    mark, seen = parse_cell(raw, main=main, course=course)
    old_mark = mark_service.live_value(lesson.cell_mark)
    old_seen = attendance_service.live_state(lesson.cell_seen) if main else (None, None)
    now_text = display(old_mark, old_seen)
    if expected is not None:
        check_expected(" ".join(expected.split()), now_text, lambda text: text)
    change_mark = mark != old_mark
    change_seen = main and seen != old_seen
    if not (change_mark or change_seen):
        return CellResult(Outcome.UNCHANGED, now_text)
    rights = rights_for(user, lesson)
    now = lesson.school.now()
    verdicts = {}
    if change_seen:
        verdicts[RecordKind.ATTENDANCE] = lesson_verdict(
            user, lesson, RecordKind.ATTENDANCE, rights=rights, now=now
        )
    if change_mark:
        verdicts[RecordKind.MARK] = lesson_verdict(
            user, lesson, RecordKind.MARK, rights=rights, now=now
        )
    # Refusals first, then the attendance codes, then a reason for anything locked: a cell
    # is written whole or not at all.
    for verdict in verdicts.values():
        if verdict.refused:
            raise ValidationError(verdict.reason, code="refused")
    if change_seen:
        attendance_service.check_change(rights, old_seen, seen)
    for verdict in verdicts.values():
        check(verdict, reason)
    outcomes = []
    # Each write is one statement (lib.history.save_with_history): a transaction only when
    # the cell changes both its attendance and its mark, written whole or not at all.
    with transaction.atomic() if change_seen and change_mark else nullcontext():
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
                    verdict=verdicts[RecordKind.ATTENDANCE],
                )
            )
        if change_mark:
            outcomes.append(
                set_mark(
                    lesson,
                    pupil_id,
                    work_type.id,
                    mark,
                    by=user,
                    current=lesson.cell_mark,
                    reason=reason,
                    verdict=verdicts[RecordKind.MARK],
                )
            )
    if any(o.status == Outcome.REQUESTED for o in outcomes):
        return CellResult(
            Outcome.REQUESTED,
            now_text,
            _("Исправление отправлено на согласование заместителю директора."),
        )
    average = new_average(lesson, work_type, old_mark, mark) if change_mark else None
    return CellResult(Outcome.SAVED, display(mark, seen), average=average)
