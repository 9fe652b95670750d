"""The whole journal page as a plain form, for browsers without JavaScript."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from accounts.regulation import RecordKind
from grading.models import Mark
from grading.policy import lesson_verdict, rights_for
from grading.services import marks as mark_service
from grading.services.entry import changed_meanwhile, check, set_mark

from ..models import Attendance
from . import attendance as attendance_service
from .cells import display, parse_cell
from .grid import Column, Grid

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


def changed_since(row, shown_at, user) -> bool:
    """Someone else wrote this cell after the page was shown."""
    return (
        row is not None
        and shown_at is not None
        and row.updated_at > shown_at
        and getattr(row, "author_id", getattr(row, "set_by_id", None)) != user.pk
    )


def save_grid_form(grid: Grid, data, *, user, shown_at=None) -> FormResult:
    """Save every changed cell of a posted grid; the rest is kept as typed, with errors.

    `shown_at` is when the page was rendered: a cell someone else wrote since is not
    overwritten (the user is told, and what they typed stays in the form).
    """
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
    now = grid.course.school.now()
    verdicts: dict = {}

    def verdict(lesson, kind):
        key = (lesson.pk, kind)
        if key not in verdicts:
            verdicts[key] = lesson_verdict(
                user, lesson, kind, rights=rights_for(user, lesson), now=now
            )
        return verdicts[key]

    mark_writes, seen_writes = [], []
    for name, raw, column, pupil_id, mark, seen in wanted:
        lesson = column.lesson
        current_mark = marks.get((lesson.pk, pupil_id, column.work_type.id))
        current_seen = seen_rows.get((lesson.pk, pupil_id))
        old_mark = mark_service.live_value(current_mark)
        old_seen = attendance_service.live_state(current_seen)
        change_mark = mark != old_mark
        change_seen = column.main and seen != old_seen
        kinds = [RecordKind.MARK] * change_mark + [RecordKind.ATTENDANCE] * change_seen
        try:
            if changed_since(current_mark, shown_at, user) or changed_since(
                current_seen, shown_at, user
            ):
                raise changed_meanwhile(display(old_mark, old_seen))
            for kind in kinds:
                if verdict(lesson, kind).refused:
                    raise ValidationError(verdict(lesson, kind).reason, code="refused")
            if change_seen:
                attendance_service.check_change(rights_for(user, lesson), old_seen, seen)
            for kind in kinds:
                check(verdict(lesson, kind), reason)
            if any(verdict(lesson, kind).needs_correction for kind in kinds):
                if change_seen:
                    attendance_service.set_attendance(
                        lesson,
                        pupil_id,
                        *seen,
                        by=user,
                        rights=rights_for(user, lesson),
                        current=current_seen,
                        reason=reason,
                        verdict=verdict(lesson, RecordKind.ATTENDANCE),
                    )
                    result.requested += 1
                if change_mark:
                    set_mark(
                        lesson,
                        pupil_id,
                        column.work_type.id,
                        mark,
                        by=user,
                        current=current_mark,
                        reason=reason,
                        verdict=verdict(lesson, RecordKind.MARK),
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
