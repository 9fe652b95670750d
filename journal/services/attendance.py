"""Attendance: marking absences and late arrivals, and the reasons for absences.

`check_change` is the one place that says who may set what:

- the lesson's teacher (a teacher of the course, or the lesson's substitute) marks a pupil
  absent («н») or late («о», with minutes), or present again;
- the class teacher sets or corrects the reason of an absence: ill («б») or excused («у»),
  or back to «н» — but does not mark absences or late arrivals themselves;
- someone who is both may do both.

Whether attendance of a lesson may be written now, or is locked and needs a correction, is
the write policy's (grading.policy); after the regulation's window a change becomes a
correction request for the deputy.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.regulation import RecordKind
from grading.policy import Rights, Verdict, lesson_verdict
from grading.services.corrections import request_correction
from grading.services.entry import UNKNOWN, Outcome, check, check_expected, moment
from lib.history import save_with_history
from schedule.versions import courses_changed

from ..models import Attendance
from ..models.attendance import token_of

Code = Attendance.Code
KEEPER_CODES = frozenset({None, Code.ABSENT, Code.LATE})
REASON_CODES = frozenset({Code.ABSENT, Code.ILL, Code.EXCUSED})
# Latin look-alikes typed without switching the keyboard layout.
LOOK_ALIKES = str.maketrans({"h": "н", "y": "у", "o": "о"})
TOKEN = re.compile(r"^([нбуо])(\d{1,3})?$")


def parse_token(raw: str) -> tuple[str | None, int | None]:
    """«н» → ("absent", None); «о10» → ("late", 10); «» → (None, None)."""
    text = (raw or "").strip().lower().translate(LOOK_ALIKES).replace(" ", "")
    if not text:
        return None, None
    found = TOKEN.match(text)
    if not found or (found.group(2) and found.group(1) != "о"):
        raise ValidationError(
            _("«%(raw)s» — не отметка посещаемости: н, б, у, о или о10 (опоздание на 10 минут).")
            % {"raw": raw.strip()},
            code="attendance",
        )
    minutes = int(found.group(2)) if found.group(2) else None
    if minutes is not None and not 1 <= minutes <= 90:
        raise ValidationError(_("Опоздание — от 1 до 90 минут."), code="minutes")
    return Attendance.CODE_OF[found.group(1)], minutes


def is_token(raw: str) -> bool:
    text = (raw or "").strip().lower().translate(LOOK_ALIKES)
    return bool(text) and text[0] in "нбуо" and not text.startswith(("нз", "незач"))


def live_state(row: Attendance | None) -> tuple[str | None, int | None]:
    if row is None or row.deleted_at is not None:
        return None, None
    return row.code, row.minutes_late


def check_change(rights: Rights, old: tuple, new: tuple) -> None:
    """Refuse a change of attendance the user may not make (with the reason why)."""
    if old == new:
        return
    old_code, new_code = old[0], new[0]
    if rights.keeps and old_code in KEEPER_CODES and new_code in KEEPER_CODES:
        return
    if rights.leads and old_code in REASON_CODES and new_code in REASON_CODES:
        return
    if new_code in (Code.ILL, Code.EXCUSED) and not rights.leads:
        message = _(
            "Причину пропуска («б», «у») указывает классный руководитель; учитель ставит «н»."
        )
    elif old_code in (Code.ILL, Code.EXCUSED) and rights.keeps:
        message = _("Причину пропуска указал классный руководитель: изменить её может только он.")
    elif rights.leads:
        message = _(
            "Классный руководитель указывает причину пропуска («н» → «б» или «у»); отмечает "
            "пропуск и опоздание учитель урока."
        )
    else:
        message = _("Нет права изменять посещаемость этого урока.")
    raise ValidationError(message, code="rights")


def set_attendance(
    lesson,
    pupil_id: int,
    code: str | None,
    minutes: int | None = None,
    *,
    by,
    rights: Rights,
    current=UNKNOWN,
    reason: str = "",
    today: date | None = None,
    verdict: Verdict | None = None,
    expected=UNKNOWN,
) -> Outcome:
    """Mark a pupil in a lesson (code None: present). Outcome as for marks; `expected` is the
    token the user saw («н», «» for none), when the page knows it."""
    if code != Code.LATE:
        minutes = None
    verdict = verdict or lesson_verdict(
        by, lesson, RecordKind.ATTENDANCE, rights=rights, now=moment(lesson, today)
    )
    if verdict.refused:
        raise ValidationError(verdict.reason, code="refused")
    if current is UNKNOWN:
        current = Attendance.objects.filter(lesson=lesson, pupil_id=pupil_id).first()
    old = live_state(current)
    check_expected(expected, token_of(*old), lambda token: token)
    new = (code, minutes)
    if old == new:
        return Outcome(Outcome.UNCHANGED, current)
    check_change(rights, old, new)
    check(verdict, reason)
    if verdict.needs_correction:
        correction = request_correction(
            lesson,
            pupil_id,
            kind="attendance",
            old_value=token_of(*old),
            new_value=token_of(*new),
            reason=reason,
            by=by,
        )
        return Outcome(Outcome.REQUESTED, current, correction)
    row = write_attendance(lesson, pupil_id, code, minutes, current=current, by=by)
    return Outcome(Outcome.SAVED, row)


def write_attendance(lesson, pupil_id, code, minutes, *, current, by, change_reason=""):
    """Write one attendance cell with its history, in one statement
    (lib.history.save_with_history). No checks here."""
    now = timezone.now()
    if current is None:
        if code is None:
            return None
        row = Attendance(school_id=lesson.school_id, lesson=lesson, pupil_id=pupil_id)
    else:
        row = current
        row.lesson = lesson  # at hand: the versions follower needs its course (no query)
    if code is None:
        row.deleted_at = now
    else:
        row.code, row.minutes_late, row.deleted_at = code, minutes, None
    row.set_by, row.updated_at = by, now
    row._history_user = by
    if change_reason:
        row._change_reason = change_reason[:100]
    save_with_history(row)
    return row


def write_attendance_rows(changes, *, by) -> int:
    """Many cells at once: [(lesson, pupil_id, code, minutes, current row or None)]."""
    now = timezone.now()
    new, changed = [], []
    for lesson, pupil_id, code, minutes, current in changes:
        if current is None:
            if code is None:
                continue
            new.append(
                Attendance(
                    school_id=lesson.school_id,
                    lesson_id=lesson.pk,
                    pupil_id=pupil_id,
                    code=code,
                    minutes_late=minutes,
                    set_by=by,
                    updated_at=now,
                )
            )
        else:
            if code is None:
                current.deleted_at = now
            else:
                current.code, current.minutes_late, current.deleted_at = code, minutes, None
            current.set_by, current.updated_at = by, now
            changed.append(current)
    with transaction.atomic():
        # Bulk writes send no signals: the journal pages of these courses change here.
        courses_changed(
            {lesson.course_id for lesson, *_rest in changes},
            school_id=changes[0][0].school_id if changes else None,
        )
        if new:
            bulk_create_with_history(new, Attendance, default_user=by)
        if changed:
            bulk_update_with_history(
                changed,
                Attendance,
                ["code", "minutes_late", "set_by", "updated_at", "deleted_at"],
                default_user=by,
            )
    return len(new) + len(changed)


# --- Registration with schedule (filled lessons) and grading (corrections) ----------------------


def lesson_has_attendance():
    # Cleared rows count too: an attendance row's lesson is never removed (PROTECT).
    return Exists(Attendance.objects.with_scopes_disabled().filter(lesson_id=OuterRef("pk")))


def _row(correction):
    return Attendance.objects.filter(
        lesson_id=correction.lesson_id, pupil_id=correction.pupil_id
    ).first()


def _current_token(correction) -> str:
    return token_of(*live_state(_row(correction)))


def _apply(correction, by, change_reason: str) -> None:
    code, minutes = parse_token(correction.new_value)
    write_attendance(
        correction.lesson,
        correction.pupil_id,
        code,
        minutes,
        current=_row(correction),
        by=by,
        change_reason=change_reason,
    )


def register_attendance() -> None:
    from grading.services.corrections import register_kind
    from schedule.models import register_lesson_filler

    register_lesson_filler(lesson_has_attendance)
    register_kind("attendance", _current_token, _apply)


@dataclass
class SpanResult:
    saved: int = 0
    requested: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)  # (lesson, message)


def set_reason_for_span(
    school_class,
    pupil_id: int,
    start: date,
    end: date,
    code: str,
    *,
    by,
    rights: Rights,
    reason: str = "",
    school=None,
) -> SpanResult:
    """«Болел с … по …»: every absence of one pupil in the class's lessons between two dates
    gets the reason `code` (ill or excused), each through `set_attendance` — so a locked one
    becomes a correction with `reason`, as when it is set alone."""
    result = SpanResult()
    absences = (
        Attendance.objects.filter(
            pupil_id=pupil_id,
            lesson__course__school_class=school_class,
            lesson__date__gte=start,
            lesson__date__lte=end,
            deleted_at__isnull=True,
            code__in=Attendance.MISSED,
        )
        .select_related("lesson__course__school_class", "lesson__course__year")
        .order_by("lesson__date", "lesson__number")
    )
    for row in absences:
        if school is not None:
            row.lesson.school = school
        try:
            outcome = set_attendance(
                row.lesson, pupil_id, code, by=by, rights=rights, current=row, reason=reason
            )
        except ValidationError as error:
            result.errors.append((row.lesson, error.messages[0]))
            continue
        if outcome.status == Outcome.SAVED:
            result.saved += 1
        elif outcome.status == Outcome.REQUESTED:
            result.requested += 1
        else:
            result.unchanged += 1
    return result
