"""Entering a record of a lesson: the one place that asks the write policy and then writes
the record, or files a correction request, or refuses (Zulip's «do_*» actions).

`set_mark` is the mark's action; journal's attendance and topics use `check` and `Outcome`
the same way. A write also checks that the record still holds what the user saw
(`expected`): of two people editing one cell, the second is told, and what they typed is
kept in their cell, instead of the last one silently winning.
"""

from dataclasses import dataclass
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.regulation import RecordKind

from ..models import Mark
from ..policy import Rights, Verdict, lesson_verdict
from .corrections import request_correction
from .marks import live_value, scale_values, write_mark

UNKNOWN = object()


class LockedError(ValidationError):
    """The record is locked: a change needs a reason and becomes a correction request."""


class ChangedMeanwhile(ValidationError):
    """The record changed since the user read it (another person saved it first)."""


@dataclass
class Outcome:
    status: str  # "saved", "unchanged" or "requested"
    row: object = None
    correction: object = None

    SAVED, UNCHANGED, REQUESTED = "saved", "unchanged", "requested"

    @property
    def mark(self):
        return self.row


def moment(lesson, today) -> datetime | None:
    """`today` (a school day, as tests and bulk paths give it) as a moment on its clock."""
    if today is None:
        return None
    return datetime.combine(today, time(12, 0), lesson.school.zone)


def check(verdict: Verdict, reason: str = "") -> None:
    """Refuse what the policy refuses; a locked record needs a reason."""
    if verdict.refused:
        raise ValidationError(verdict.reason, code="refused")
    if verdict.needs_correction and not (reason or "").strip():
        raise LockedError(verdict.reason, code="locked")


def changed_meanwhile(now_label: str) -> ChangedMeanwhile:
    return ChangedMeanwhile(
        _("Пока вы вводили, запись изменили: теперь здесь «%(now)s». Проверьте и сохраните снова.")
        % {"now": now_label or "—"},
        code="changed",
    )


def check_expected(expected, now_value: str, label) -> None:
    """Refuse a write made against a value that is no longer there."""
    if expected is UNKNOWN or expected == now_value:
        return
    raise changed_meanwhile(label(now_value) if now_value else "")


def set_mark(
    lesson,
    pupil_id: int,
    work_type_id: int,
    value: str | None,
    *,
    by,
    current=UNKNOWN,
    comment: str | None = None,
    reason: str = "",
    today=None,
    rights: Rights | None = None,
    verdict: Verdict | None = None,
    expected=UNKNOWN,
    makeup: bool = False,
) -> Outcome:
    """Put `value` (a stored value, or None to clear) into a cell.

    `makeup`: the mark of a missed topic passed later by protocol (journal.services.makeups):
    the protocol is its ground, so a locked cell takes it without a correction request.

    `lesson` comes with its course, class, year and school. `current` is the cell's Mark row
    if the caller already has it (possibly deleted, or None for none); otherwise it is read.
    `expected` is the value the user saw («» for an empty cell), when the page knows it.
    """
    verdict = verdict or lesson_verdict(
        by, lesson, RecordKind.MARK, rights=rights, now=moment(lesson, today)
    )
    if verdict.refused:
        raise ValidationError(verdict.reason, code="refused")
    if value is not None and value not in scale_values(lesson.course):
        raise ValidationError(_("Отметка не на шкале курса."), code="scale")
    if current is UNKNOWN:
        current = Mark.objects.filter(
            lesson=lesson, pupil_id=pupil_id, work_type_id=work_type_id
        ).first()
    old = live_value(current)
    check_expected(expected, old or "", lambda v: Mark.SHORT.get(v, v))
    comment_changes = (
        comment is not None
        and value is not None
        and (current is None or comment != current.comment)
    )
    if old == value and not comment_changes and not makeup:
        return Outcome(Outcome.UNCHANGED, current)
    if not makeup:
        check(verdict, reason)
    if verdict.needs_correction and not makeup:
        correction = request_correction(
            lesson,
            pupil_id,
            kind="mark",
            work_type_id=work_type_id,
            old_value=old or "",
            new_value=value or "",
            reason=reason,
            by=by,
        )
        return Outcome(Outcome.REQUESTED, current, correction)
    mark = write_mark(
        lesson,
        pupil_id,
        work_type_id,
        value,
        current=current,
        by=by,
        comment=comment,
        makeup=makeup or None,
    )
    return Outcome(Outcome.SAVED, mark)
