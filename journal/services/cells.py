"""One cell of the journal: what was typed, who may write it, and writing it.

A cell is a lesson × a pupil × a work type. The lesson's main column (the work type its lesson
type calls for) also holds attendance, so a teacher types «5», «н», «о» or «о 5» (late, and
a mark) in one place. The lesson page lists a lesson's cells (`lesson_cells`).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from accounts.regulation import RecordKind
from grading.models import Mark
from grading.policy import lesson_verdict, rights_for
from grading.rules import with_user_perms
from grading.services import marks as mark_service
from grading.services.averages import Average, sums
from grading.services.entry import Outcome, check, check_expected, set_mark
from grading.services.marks import held_marks
from schedule.models import (
    Enrolment,
    Lesson,
    SubgroupMembership,
    held_on,
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


def _on_day(model, **match):
    day = OuterRef("date")
    return Exists(model.objects.filter(held_on(day), **match))


def load_cell(lesson_pk: int, pupil_pk: int, work_type_id: int, user, span=None):
    """The lesson of a cell with everything a save needs, in one query.

    Annotated: the user's grants, whether the pupil is in the lesson's class or subgroup on
    its date, and the cell's current mark and attendance rows (as `cell_mark`, `cell_seen`);
    with `span` (the page's period: start, end) the pupil's marks of the course in it summed
    (`cell_average`), so the save answers the row's new average without another query.
    """
    lessons = with_user_perms(
        Lesson.objects.select_related("course__school_class", "course__subgroup", "course__year"),
        user,
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
    if span is not None:
        marks = held_marks(*span).filter(pupil_id=pupil_pk, lesson__course_id=OuterRef("course_id"))
        grouped = marks.order_by().values("pupil_id")
        lessons = lessons.annotate(
            **{
                f"s_{name}": Subquery(grouped.annotate(v=figure).values("v")[:1])
                for name, figure in sums().items()
            }
        )
    lesson = lessons.filter(pk=lesson_pk).first()
    if lesson is None:
        return None
    lesson.cell_mark = _row_from(lesson, Mark, "m_", MARK_FIELDS)
    lesson.cell_seen = _row_from(lesson, Attendance, "a_", SEEN_FIELDS)
    lesson.cell_span = span
    lesson.cell_average = (
        Average.of({name: getattr(lesson, f"s_{name}") for name in sums()}) if span else None
    )
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
    with transaction.atomic():
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
