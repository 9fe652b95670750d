"""Marks for a practice period: the group's students during it, and saving their marks."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Pupil
from schedule.models import Enrolment

from ..models import PracticeMark
from ..models.course_works import MARK_HIGH, MARK_LOW


def practice_students(period) -> list[Pupil]:
    """The students of the group at some time during the practice, by name (one query)."""
    enrolled = (
        Enrolment.objects.filter(school_class_id=period.school_class_id)
        .overlapping(period.start, period.end)
        .values("pupil_id")
    )
    return list(Pupil.objects.filter(pk__in=enrolled).order_by("last_name", "first_name", "pk"))


def marks_of(period) -> dict[int, PracticeMark]:
    return {m.pupil_id: m for m in PracticeMark.objects.filter(period=period)}


@transaction.atomic
def do_save_practice_marks(period, marks: dict[int, int | None], *, by) -> int:
    """Set the marks ({pupil id: mark or None to clear}); returns how many changed.

    Only the group's students during the practice; a mark on the regulation's scale (2–5)."""
    if period.year.closed_at is not None:
        raise ValidationError(_("Учебный год %(year)s закрыт.") % {"year": period.year.name})
    students = {p.pk for p in practice_students(period)}
    problems = []
    for pupil_id, mark in marks.items():
        if pupil_id not in students:
            problems.append(_("Студент не из этой группы или не учился в ней во время практики."))
        elif mark is not None and not MARK_LOW <= mark <= MARK_HIGH:
            problems.append(
                _("Оценка за практику — от %(low)s до %(high)s.")
                % {"low": MARK_LOW, "high": MARK_HIGH}
            )
    if problems:
        raise ValidationError(sorted(set(problems)))
    existing = {
        m.pupil_id: m for m in PracticeMark.objects.select_for_update().filter(period=period)
    }
    changed = 0
    for pupil_id, mark in marks.items():
        row = existing.get(pupil_id)
        if row is None and mark is None:
            continue
        if row is not None and row.mark == mark:
            continue
        if row is None:
            row = PracticeMark(school_id=period.school_id, period=period, pupil_id=pupil_id)
        row.mark, row.set_by = mark, by
        row._history_user = by
        row.save()
        changed += 1
    return changed
