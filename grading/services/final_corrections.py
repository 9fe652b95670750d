"""Corrections of final marks after their column's deadline: a reason, then a deputy decides.

Before the deadline the teacher sets a column at once (grading.services.finals). After it the
same column, posted with a reason, becomes one request per changed pupil; nothing changes until
the deputy approves. An approved request writes the mark with its history (the deputy as the
acting user, the request as the change reason); the teacher stays the one who set it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import FinalMark, FinalMarkCorrection
from ..policy import decision_verdict
from . import finals
from .corrections import check_may_decide

Status = FinalMarkCorrection.Status


def pending_for_cell(course_id, pupil_id, kind, period):
    return FinalMarkCorrection.objects.filter(
        course_id=course_id,
        pupil_id=pupil_id,
        kind=kind,
        period=period,
        status=Status.PENDING,
    )


def pending_for_column(course, column):
    return FinalMarkCorrection.objects.filter(
        course=course, kind=column.kind, period=column.period, status=Status.PENDING
    ).select_related("requested_by")


@transaction.atomic
def request_corrections(
    course, column, entries: dict, *, reason: str, user
) -> tuple[dict, list[FinalMarkCorrection]]:
    """Ask to change a locked column. Returns ({pupil_id: error}, the requests made).

    The rows are checked as for an open column; nothing is requested when any is wrong. An
    earlier pending request for the same cell gives way to the new one.
    """
    reason = (reason or "").strip()
    if not reason:
        message = _("%(locked)s Укажите причину исправления.")
        raise ValidationError(message % {"locked": finals.locked_message(column)}, code="reason")
    errors, changes = finals.check_entries(course, column, entries)
    if errors:
        return errors, []
    made = []
    for row, value, confirm in changes:
        for earlier in pending_for_cell(course.pk, row.pupil.pk, column.kind, column.period):
            earlier.supersede(by=user)
        correction = FinalMarkCorrection(
            school_id=course.school_id,
            course=course,
            pupil=row.pupil,
            period=column.period,
            kind=column.kind,
            old_value=row.current.value if row.current else "",
            new_value=value,
            confirmed_few_marks=confirm,
            average=row.average,
            marks_count=row.count,
            reason=reason,
            requested_by=user,
        )
        correction._history_user = user
        correction.save()
        made.append(correction)
    return {}, made


def _locked_for_decision(correction, by) -> FinalMarkCorrection:
    correction = (
        FinalMarkCorrection.objects.select_for_update(of=("self",))
        .select_related("course__year", "pupil", "period", "requested_by")
        .get(pk=correction.pk)
    )
    correction.check_undecided()
    check_may_decide(by, correction)
    verdict = decision_verdict(correction.course.year)
    if verdict.refused:
        raise ValidationError(verdict.reason, code="refused")
    return correction


def _current_mark(correction) -> FinalMark | None:
    return (
        FinalMark.objects.select_for_update()
        .filter(
            course_id=correction.course_id,
            pupil_id=correction.pupil_id,
            kind=correction.kind,
            period_id=correction.period_id,
        )
        .first()
    )


def change_reason(correction) -> str:
    return _("Исправление итоговой №%(pk)s: %(reason)s") % {
        "pk": correction.pk,
        "reason": correction.reason,
    }


@transaction.atomic
def approve(correction, *, by, note: str = "") -> FinalMarkCorrection:
    """Apply a pending correction. Refused if the mark changed since it was requested."""
    correction = _locked_for_decision(correction, by)
    mark = _current_mark(correction)
    now_value = mark.value if mark else ""
    if now_value != correction.old_value:
        raise ValidationError(
            _(
                "Отметка изменилась после запроса (было «%(old)s», сейчас «%(now)s»): "
                "отклоните исправление, учитель запросит новое."
            )
            % {
                "old": correction.old_label,
                "now": FinalMarkCorrection.value_label(now_value),
            },
            code="stale",
        )
    if mark is None:
        mark = FinalMark(
            school_id=correction.school_id,
            pupil_id=correction.pupil_id,
            course_id=correction.course_id,
            period_id=correction.period_id,
            kind=correction.kind,
        )
    mark.value = correction.new_value
    mark.confirmed_few_marks = correction.confirmed_few_marks
    mark.average, mark.marks_count = correction.average, correction.marks_count
    mark.set_by = correction.requested_by
    mark._history_user = by
    mark._change_reason = change_reason(correction)[:100]
    mark.save()
    return correction.decide(Status.APPROVED, by=by, note=note)


@transaction.atomic
def reject(correction, *, by, note: str = "") -> FinalMarkCorrection:
    correction = _locked_for_decision(correction, by)
    return correction.decide(Status.REJECTED, by=by, note=note)
