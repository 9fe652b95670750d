"""Corrections of locked records: requested with a reason, applied when a deputy approves.

A correction names a cell (lesson × pupil, and a work type for a mark) and the value it should
hold. Grading applies marks itself; apps above it register how to read and apply theirs
(journal: attendance) with `register_kind`, so grading never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import CorrectionRequest, Mark
from ..policy import decision_verdict
from ..rules import decides_correction
from .marks import live_value, write_mark

Status = CorrectionRequest.Status


@dataclass(frozen=True)
class CorrectionKind:
    # The cell's value now, as a token («5», «н», «» for none).
    current: Callable[[CorrectionRequest], str]
    # Write the requested value: (request, approving user, change reason).
    apply: Callable[[CorrectionRequest, object, str], None]


KINDS: dict[str, CorrectionKind] = {}


def register_kind(kind: str, current, apply) -> None:
    KINDS[kind] = CorrectionKind(current=current, apply=apply)


def _mark_row(request):
    return Mark.objects.filter(
        lesson_id=request.lesson_id, pupil_id=request.pupil_id, work_type_id=request.work_type_id
    ).first()


def _current_mark(request) -> str:
    return live_value(_mark_row(request)) or ""


def _apply_mark(request, by, change_reason: str) -> None:
    write_mark(
        request.lesson,
        request.pupil_id,
        request.work_type_id,
        request.new_value or None,
        current=_mark_row(request),
        by=by,
        author=request.requested_by,
        change_reason=change_reason,
    )


register_kind(CorrectionRequest.Kind.MARK, _current_mark, _apply_mark)


def pending_for_cell(lesson_id, pupil_id, kind, work_type_id=None):
    return CorrectionRequest.objects.filter(
        lesson_id=lesson_id,
        pupil_id=pupil_id,
        kind=kind,
        work_type_id=work_type_id,
        status=Status.PENDING,
    )


@transaction.atomic
def request_correction(
    lesson, pupil_id, *, kind, old_value, new_value, reason, by, work_type_id=None
) -> CorrectionRequest:
    """Ask to change a locked cell. An earlier pending request for the cell gives way."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Укажите причину исправления."), code="reason")
    for earlier in pending_for_cell(lesson.pk, pupil_id, kind, work_type_id):
        earlier.supersede(by=by)
    correction = CorrectionRequest(
        school_id=lesson.school_id,
        lesson=lesson,
        pupil_id=pupil_id,
        kind=kind,
        work_type_id=work_type_id,
        old_value=old_value,
        new_value=new_value,
        reason=reason,
        requested_by=by,
    )
    correction._history_user = by
    correction.save()
    return correction


def check_may_decide(user, request) -> None:
    """The rule of who decides (grading.rules.decides_correction), with the reason why not."""
    if decides_correction(user, request):
        return
    if request.requested_by_id == user.pk:
        raise ValidationError(
            _("Своё исправление согласовать нельзя: его решает другой заместитель или директор."),
            code="own_request",
        )
    raise ValidationError(
        _(
            "Исправления согласует заместитель директора; директор — когда запросил "
            "единственный заместитель."
        ),
        code="rights",
    )


def _locked_for_decision(correction, by) -> CorrectionRequest:
    correction = (
        CorrectionRequest.objects.select_for_update()
        .select_related(
            "lesson__course__school_class",
            "lesson__course__year",
            "lesson__school",
            "requested_by",
        )
        .get(pk=correction.pk)
    )
    correction.check_undecided()
    check_may_decide(by, correction)
    verdict = decision_verdict(correction.lesson.course.year)
    if verdict.refused:
        raise ValidationError(verdict.reason, code="refused")
    return correction


def change_reason(correction) -> str:
    return _("Исправление №%(pk)s: %(reason)s") % {"pk": correction.pk, "reason": correction.reason}


@transaction.atomic
def approve(correction, *, by, note: str = "") -> CorrectionRequest:
    """Apply a pending correction. Refused if the cell changed since it was requested."""
    correction = _locked_for_decision(correction, by)
    kind = KINDS[correction.kind]
    if kind.current(correction) != correction.old_value:
        raise ValidationError(
            _(
                "Запись изменилась после запроса (было «%(old)s», сейчас «%(now)s»): "
                "отклоните исправление, учитель запросит новое."
            )
            % {
                "old": correction.old_label,
                "now": CorrectionRequest.token_label(kind.current(correction)),
            },
            code="stale",
        )
    kind.apply(correction, by, change_reason(correction))
    return correction.decide(Status.APPROVED, by=by, note=note)


@transaction.atomic
def reject(correction, *, by, note: str = "") -> CorrectionRequest:
    correction = _locked_for_decision(correction, by)
    return correction.decide(Status.REJECTED, by=by, note=note)
