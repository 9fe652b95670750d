"""A retake's way (regulation 002 §3.2), each step a record in history and a document:

1. the student's application («личное заявление обучающегося»), filed by the student or by
   the curator for them, for a failed or missed («н/а») mark of a session;
2. signed by the director or a deputy («подписанного директором или зам. директора по учебной
   работе») — never by whoever filed it (grading.rules.signs_application);
3. the referral («направление») with the day of the sitting and the commission appointed by
   the director's order for the group and discipline (the assessment's);
4. the protocol of the sitting: a Retake (grading.services.finals.record_retake), whose result
   becomes the mark in the journal's final column and shows on the ledger.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Assessment, FinalMark, RetakeApplication
from ..policy import decision_verdict, year_closed_reason
from ..rules import signs_application
from . import finals

Status, Stage = RetakeApplication.Status, RetakeApplication.Stage


def assessment_of(final_mark) -> Assessment | None:
    """The session's assessment a final mark is the mark of (its course, form and semester)."""
    return (
        Assessment.objects.filter(
            course_id=final_mark.course_id,
            form=final_mark.kind,
            session__period_id=final_mark.period_id,
        )
        .select_related("session")
        .first()
    )


def _locked(application) -> RetakeApplication:
    return (
        RetakeApplication.objects.select_for_update()
        .select_related("final_mark__course__year", "assessment__session", "requested_by")
        .get(pk=application.pk)
    )


def _check_open_year(year) -> None:
    verdict = decision_verdict(year)
    if verdict.refused:
        raise ValidationError(verdict.reason, code="refused")


@transaction.atomic
def do_apply(final_mark: FinalMark, *, reason: str, by, today: date | None = None):
    """File the student's application to sit a failed or missed assessment again."""
    final_mark = (
        FinalMark.objects.select_for_update().select_related("course__year").get(pk=final_mark.pk)
    )
    closed = year_closed_reason(final_mark.course.year)
    if closed:
        raise ValidationError(closed, code="refused")
    if not final_mark.is_failing:
        raise ValidationError(_("Заявление подаётся на неудовлетворительную отметку или «н/а»."))
    assessment = assessment_of(final_mark)
    if assessment is None:
        raise ValidationError(_("Эта отметка не относится к аттестации сессии."))
    if final_mark.retakes.count() >= finals.MAX_RETAKES:
        raise ValidationError(_("Пересдать можно не более двух раз."))
    open_ones = RetakeApplication.objects.filter(
        final_mark=final_mark, status__in=(Status.PENDING, Status.APPROVED), retake__isnull=True
    )
    if open_ones.exists():
        raise ValidationError(_("По этой отметке уже есть заявление в работе."))
    if not (reason or "").strip():
        raise ValidationError(_("Укажите причину (например, «по болезни»)."))
    application = RetakeApplication(
        school_id=final_mark.school_id,
        final_mark=final_mark,
        assessment=assessment,
        reason=reason.strip(),
        requested_by=by,
    )
    application._history_user = by
    application.save()
    return application


@transaction.atomic
def do_decide(application, *, approve: bool, by, note: str = "") -> RetakeApplication:
    """The director's or a deputy's signature (or refusal) on the application."""
    application = _locked(application)
    application.check_undecided()
    if not signs_application(by, application):
        if application.requested_by_id == by.pk:
            raise ValidationError(
                _("Своё заявление подписать нельзя: его подписывает директор или заместитель."),
                code="own_request",
            )
        raise ValidationError(
            _("Заявление подписывает директор или заместитель директора."), code="rights"
        )
    _check_open_year(application.final_mark.course.year)
    return application.decide(Status.APPROVED if approve else Status.REJECTED, by=by, note=note)


@transaction.atomic
def do_refer(
    application, *, number: str, issued_on: date, sitting_on: date, by
) -> RetakeApplication:
    """The referral on a signed application: its number, the day it is issued, the day of
    the sitting before the assessment's commission."""
    application = _locked(application)
    _check_open_year(application.final_mark.course.year)
    if application.status != Status.APPROVED:
        raise ValidationError(_("Направление выдаётся по подписанному заявлению."))
    if application.referral_issued_on:
        raise ValidationError(_("Направление по этому заявлению уже выдано."))
    if not (number or "").strip():
        raise ValidationError(_("Укажите номер направления."))
    if sitting_on < issued_on:
        raise ValidationError(_("Дата сдачи не может быть раньше выдачи направления."))
    application.referral_number = number.strip()
    application.referral_issued_on = issued_on
    application.sitting_on = sitting_on
    application.referred_by = by
    application._history_user = by
    application.save()
    return application


@transaction.atomic
def do_protocol(
    application, *, protocol_number: str, result: str, by, today: date | None = None
) -> RetakeApplication:
    """The protocol of the sitting: the retake is recorded before the referral's commission on
    its day, and its result becomes the mark."""
    application = _locked(application)
    if application.stage != Stage.REFERRED:
        raise ValidationError(_("Протокол оформляется по выданному направлению."))
    assessment = application.assessment
    retake = finals.record_retake(
        application.final_mark,
        held_on=application.sitting_on,
        protocol_number=protocol_number,
        commission=[assessment.chair, *assessment.members.all()],
        result=result,
        user=by,
        order_number=assessment.order_label,
        today=today,
    )
    application.retake = retake
    application._history_user = by
    application.save()
    return application


def application_for_page(pk) -> RetakeApplication:
    return RetakeApplication.objects.select_related(
        "final_mark__pupil",
        "final_mark__period",
        "final_mark__course__school_class__speciality",
        "final_mark__course__subject",
        "final_mark__course__school",
        "final_mark__course__year",
        "assessment__chair",
        "assessment__session__period",
        "requested_by",
        "decided_by",
        "referred_by",
        "retake",
    ).get(pk=pk)
