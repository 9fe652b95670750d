"""Make-up of a missed topic by protocol (regulation 002 §3.2).

The pupil missed the lesson (an absence is recorded in it); the teacher takes the topic later
and records the protocol; its mark goes into that lesson's main column through the one mark
action (grading.services.entry.set_mark, `makeup=True`), marked as a make-up. The protocol is
the mark's ground, so the lesson's lock window does not send it to the deputy; everything else
the write policy says stands (the teacher of the lesson, a held lesson, an open year, a class
with marks).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grading.services import entry
from grading.services import marks as mark_service

from ..models import Attendance, MakeupProtocol


@transaction.atomic
def do_record_makeup(
    lesson, pupil, *, number: str, held_on: date, value: str, by, today: date | None = None
) -> MakeupProtocol:
    today = today or lesson.school.today()
    missed = Attendance.objects.filter(
        lesson=lesson, pupil=pupil, deleted_at__isnull=True, code__in=MISSED
    ).exists()
    if not missed:
        raise ValidationError(_("Обучающийся не пропускал этот урок: отрабатывать нечего."))
    if MakeupProtocol.objects.filter(lesson=lesson, pupil=pupil).exists():
        raise ValidationError(_("Протокол сдачи этой темы уже оформлен."))
    if held_on < lesson.date:
        raise ValidationError(_("Тему сдают после пропущенного урока."))
    if held_on > today:
        raise ValidationError(_("Дата сдачи ещё не наступила."))
    if not (number or "").strip():
        raise ValidationError(_("Укажите номер протокола."))
    work_type = mark_service.work_types(lesson.school).main_for(lesson.kind)
    comment = _("Отработка: протокол № %(n)s от %(d)s") % {
        "n": number.strip(),
        "d": held_on.strftime("%d.%m.%Y"),
    }
    outcome = entry.set_mark(
        lesson, pupil.pk, work_type.id, value, by=by, comment=comment, makeup=True, today=today
    )
    protocol = MakeupProtocol(
        school_id=lesson.school_id,
        lesson=lesson,
        pupil=pupil,
        number=number.strip(),
        held_on=held_on,
        mark=outcome.mark,
        recorded_by=by,
    )
    protocol._history_user = by
    protocol.save()
    return protocol


MISSED = Attendance.MISSED
