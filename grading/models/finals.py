"""Period, year and exam final marks, the school's grading settings, and retakes."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from accounts.models import Pupil, School, User
from schedule.models import Course, StudyPeriod

from .marks import Decision

__all__ = ["FinalMark", "FinalMarkCorrection", "Retake"]


class FinalMark(models.Model):
    """One final mark of a pupil in a course: for a period, the year, an exam or a credit."""

    class Kind(models.TextChoices):
        PERIOD = "period", _("за период")
        YEAR = "year", _("годовая")
        EXAM = "exam", _("экзамен")
        CREDIT = "credit", _("зачёт")
        DIFF_CREDIT = "diff_credit", _("дифференцированный зачёт")
        FINAL = "final", _("итоговая")
        COURSE_WORK = "course_work", _("курсовая работа")

    class Value(models.TextChoices):
        FIVE = "5", "5"
        FOUR = "4", "4"
        THREE = "3", "3"
        TWO = "2", "2"
        PASS = "pass", _("зачтено")
        FAIL = "fail", _("не зачтено")
        NOT_CERTIFIED = "na", _("н/а")
        # Exempt from the subject for the period (physical education on a doctor's
        # certificate, a subject credited from another school): no mark, and the pupil is
        # left out of the subject's figures (reports: N less освобождённые).
        EXEMPT = "ex", _("осв.")

    # Kinds that belong to one study period, that may, and that never do.
    PERIOD_REQUIRED = (Kind.PERIOD,)
    PERIOD_FORBIDDEN = (Kind.YEAR, Kind.FINAL)
    FAILING = (Value.TWO, Value.FAIL, Value.NOT_CERTIFIED)
    # Kinds a pupil may be exempt in (not an exam or a credit: those are sat or not).
    EXEMPTABLE = (Kind.PERIOD, Kind.YEAR, Kind.FINAL)

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="final_marks")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="final_marks")
    period = models.ForeignKey(
        StudyPeriod,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="final_marks",
        verbose_name=_("период"),
    )
    kind = models.CharField(_("вид"), max_length=12, choices=Kind.choices)
    value = models.CharField(_("отметка"), max_length=4, choices=Value.choices)
    # What the journal said when the mark was set: kept to explain the mark later.
    average = models.DecimalField(
        _("средний взвешенный балл"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    marks_count = models.PositiveSmallIntegerField(_("отметок за период"), default=0)
    # Fewer marks than the school requires, and the teacher confirmed the mark anyway.
    confirmed_few_marks = models.BooleanField(
        _("подтверждена при недостатке отметок"), default=False
    )
    set_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("выставлена"), auto_now=True)
    history = HistoricalRecords()

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("итоговая отметка")
        verbose_name_plural = _("итоговые отметки")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "pupil", "kind", "period"],
                condition=models.Q(period__isnull=False),
                name="one_final_mark_per_period",
            ),
            models.UniqueConstraint(
                fields=["course", "pupil", "kind"],
                condition=models.Q(period__isnull=True),
                name="one_final_mark_per_kind",
            ),
        ]
        indexes = [models.Index(fields=["school", "course", "kind"])]

    def __str__(self):
        return f"{self.pupil} {self.course}: {self.get_value_display()}"

    @property
    def is_failing(self) -> bool:
        return self.value in self.FAILING


class Retake(models.Model):
    """A retake of an exam, credit or final mark, recorded with its protocol.

    Regulation 002: a missed or failed attestation is retaken before a commission appointed
    by the director's order; the protocol is the ground for the mark in the journal.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    final_mark = models.ForeignKey(FinalMark, on_delete=models.PROTECT, related_name="retakes")
    attempt = models.PositiveSmallIntegerField(_("попытка"), default=1)
    held_on = models.DateField(_("дата"))
    protocol_number = models.CharField(_("номер протокола"), max_length=50)
    order_number = models.CharField(_("приказ о комиссии"), max_length=100, blank=True)
    commission = models.ManyToManyField(
        User, related_name="retake_commissions", verbose_name=_("члены комиссии")
    )
    previous_value = models.CharField(
        _("отметка до пересдачи"), max_length=4, choices=FinalMark.Value.choices
    )
    result = models.CharField(_("результат"), max_length=4, choices=FinalMark.Value.choices)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[commission])

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("пересдача")
        verbose_name_plural = _("пересдачи")
        ordering = ["final_mark", "attempt"]
        constraints = [
            models.UniqueConstraint(fields=["final_mark", "attempt"], name="unique_retake_attempt")
        ]

    def __str__(self):
        return f"{self.final_mark.pupil} {self.held_on:%d.%m.%Y}: {self.get_result_display()}"


class FinalMarkCorrection(Decision):
    """A change of a final mark after its column's deadline, applied when a deputy approves.

    Regulations: after the deadline («не позднее 2-х дней до окончания учебного периода») a
    final mark changes only with a reason and the deputy's approval, never silently. The
    request names the cell (pupil × course × kind × period) and the value it should hold.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="final_corrections")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(
        StudyPeriod,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("период"),
    )
    kind = models.CharField(_("вид"), max_length=12, choices=FinalMark.Kind.choices)
    old_value = models.CharField(
        _("было"), max_length=4, choices=FinalMark.Value.choices, blank=True
    )
    new_value = models.CharField(_("станет"), max_length=4, choices=FinalMark.Value.choices)
    confirmed_few_marks = models.BooleanField(
        _("подтверждена при недостатке отметок"), default=False
    )
    # What the journal said when the change was asked for (kept on the mark when applied).
    average = models.DecimalField(
        _("средний взвешенный балл"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    marks_count = models.PositiveSmallIntegerField(_("отметок за период"), default=0)
    history = HistoricalRecords()

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("исправление итоговой отметки")
        verbose_name_plural = _("исправления итоговых отметок")
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["school", "status", "requested_at"]),
            models.Index(fields=["school", "course", "pupil"]),
        ]

    def __str__(self):
        return f"№{self.pk}: {self.pupil} {self.course}"

    @property
    def column_label(self) -> str:
        if self.kind == FinalMark.Kind.PERIOD and self.period_id:
            return str(self.period)
        label = str(FinalMark.Kind(self.kind).label)
        return f"{label}, {self.period}" if self.period_id else label

    @staticmethod
    def value_label(value: str) -> str:
        return str(FinalMark.Value(value).label) if value else "—"

    @property
    def old_label(self) -> str:
        return self.value_label(self.old_value)

    @property
    def new_label(self) -> str:
        return self.value_label(self.new_value)
