"""Intermediate assessment of a college: sessions, each discipline's form with its commission,
and the retake's way from the student's application to the protocol (regulation 002 §3.2).

- A Session is the examination session of one semester (a study period).
- An Assessment is the curriculum's form of assessment of one discipline (a course) in the
  session: экзамен, дифференцированный зачёт, зачёт or курсовая работа, held on a day before
  a commission appointed by the director's order (number and date). Its marks are the
  course's final marks of that kind and semester (FinalMark): the зачётно-экзаменационная
  ведомость shows and sets them.
- A RetakeApplication is the student's application to sit a missed or failed assessment:
  approved by the director or a deputy (never by whoever filed it), it gives a referral
  («направление») naming the day and the commission; the protocol then is a Retake, whose
  result becomes the mark.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from accounts.models import School, User
from schedule.models import Course, StudyPeriod

from .finals import FinalMark, Retake
from .marks import Decision

__all__ = ["Assessment", "RetakeApplication", "Session"]


class Session(models.Model):
    """The examination session («промежуточная аттестация») of one semester."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    period = models.OneToOneField(
        StudyPeriod, on_delete=models.PROTECT, related_name="session", verbose_name=_("семестр")
    )
    start = models.DateField(_("начало сессии"))
    end = models.DateField(_("окончание сессии"))
    history = HistoricalRecords()

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("сессия")
        verbose_name_plural = _("сессии")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="session_dates"
            )
        ]

    def __str__(self):
        return _("Сессия: %(period)s") % {"period": self.period}


class Assessment(models.Model):
    """One discipline's form of assessment in a session, with its commission."""

    # The forms the curriculum gives a discipline (002 §3.2): each is a final-mark kind.
    FORMS = (
        FinalMark.Kind.EXAM,
        FinalMark.Kind.DIFF_CREDIT,
        FinalMark.Kind.CREDIT,
        FinalMark.Kind.COURSE_WORK,
    )

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="assessments")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="assessments")
    form = models.CharField(
        _("форма аттестации"),
        max_length=12,
        choices=[(k.value, k.label) for k in FORMS],
    )
    held_on = models.DateField(_("дата проведения"))
    # The director's order appointing the commission («о проведении промежуточной аттестации»).
    order_number = models.CharField(_("номер приказа"), max_length=50)
    order_date = models.DateField(_("дата приказа"))
    chair = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("председатель комиссии"),
    )
    members = models.ManyToManyField(
        User, related_name="assessment_commissions", verbose_name=_("члены комиссии")
    )
    history = HistoricalRecords(m2m_fields=[members])

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("форма промежуточной аттестации")
        verbose_name_plural = _("формы промежуточной аттестации")
        ordering = ["held_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "course"], name="one_assessment_per_course")
        ]
        indexes = [models.Index(fields=["school", "session"])]

    def __str__(self):
        return f"{self.course}: {self.get_form_display()}"

    @property
    def order_label(self) -> str:
        return _("приказ № %(n)s от %(d)s") % {
            "n": self.order_number,
            "d": self.order_date.strftime("%d.%m.%Y"),
        }


class RetakeApplication(Decision):
    """A student's application to sit (again) an assessment; `reason` is the student's ground
    («по болезни»). Approved → a referral with the day and the commission → the protocol."""

    class Stage(models.TextChoices):
        APPLIED = "applied", _("заявление подано")
        APPROVED = "approved", _("заявление подписано")
        REFERRED = "referred", _("направление выдано")
        DONE = "done", _("протокол оформлен")
        REJECTED = "rejected", _("отклонено")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    final_mark = models.ForeignKey(
        FinalMark, on_delete=models.PROTECT, related_name="retake_applications"
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="retake_applications"
    )
    # The referral: its number, the day it was issued, the day of the sitting, who issued it.
    referral_number = models.CharField(_("номер направления"), max_length=50, blank=True)
    referral_issued_on = models.DateField(_("направление выдано"), null=True, blank=True)
    sitting_on = models.DateField(_("дата сдачи"), null=True, blank=True)
    referred_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The protocol of the sitting (its result became the mark).
    retake = models.OneToOneField(
        Retake, on_delete=models.PROTECT, null=True, blank=True, related_name="application"
    )
    history = HistoricalRecords()

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("заявление на пересдачу")
        verbose_name_plural = _("заявления на пересдачу")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["school", "status", "requested_at"])]

    def __str__(self):
        return f"№{self.pk}: {self.final_mark.pupil}"

    @property
    def stage(self) -> str:
        if self.status == self.Status.REJECTED:
            return self.Stage.REJECTED
        if self.retake_id:
            return self.Stage.DONE
        if self.referral_issued_on:
            return self.Stage.REFERRED
        if self.status == self.Status.APPROVED:
            return self.Stage.APPROVED
        return self.Stage.APPLIED

    def get_stage_display(self) -> str:
        return str(self.Stage(self.stage).label)
