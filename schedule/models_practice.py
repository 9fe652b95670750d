"""Practice of a college group (учебная, производственная практика): where, when, with whom.

A practice period sits in the group's calendar like a holiday sits in a grade's: while a
concentrated practice runs, the timetable makes no lessons for the group
(schedule.services.lessons.planned_lessons); a distributed one runs beside the lessons. The
marks of each student are grading's (grading.models.practice).

The college's supervisor is a teacher of the school today; the regulation's мастер
производственного обучения (002 §1.8) supervises practice too — when that role exists,
`supervisor_roles` below is the one place that names who may be chosen.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import TEACHING_ROLES, Role, School, User

from .dated import DatedQuerySet, scoped

# Who may supervise a practice for the college. The мастер п/о role (issue 18, org18) joins
# this tuple when it exists.
# Whoever keeps courses (a teacher, a master of industrial training, a педагог ДО) or a
# group's curator supervises a course work or a practice.
SUPERVISOR_ROLES = (*TEACHING_ROLES, Role.CLASS_TEACHER)


class PracticePlace(models.Model):
    """An organisation that takes students on practice, by a contract with the college."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("организация"), max_length=200)
    address = models.CharField(_("адрес"), max_length=300, blank=True)
    contract_number = models.CharField(_("номер договора"), max_length=50, blank=True)
    contract_date = models.DateField(_("дата договора"), null=True, blank=True)
    history = HistoricalRecords()

    objects = scoped()

    class Meta:
        verbose_name = _("место практики")
        verbose_name_plural = _("места практики")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="unique_practice_place")
        ]

    def __str__(self):
        return self.name

    @property
    def contract_label(self) -> str:
        if not self.contract_number:
            return ""
        if self.contract_date is None:
            return _("№ %(number)s") % {"number": self.contract_number}
        return _("№ %(number)s от %(date)s") % {
            "number": self.contract_number,
            "date": self.contract_date.strftime("%d.%m.%Y"),
        }


class PracticePeriod(models.Model):
    class Kind(models.TextChoices):
        EDUCATIONAL = "educational", _("учебная практика")
        INDUSTRIAL = "industrial", _("производственная практика")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    year = models.ForeignKey(
        "schedule.SchoolYear", on_delete=models.PROTECT, related_name="practice_periods"
    )
    school_class = models.ForeignKey(
        "schedule.SchoolClass",
        on_delete=models.PROTECT,
        related_name="practice_periods",
        verbose_name=_("группа"),
    )
    kind = models.CharField(_("вид практики"), max_length=12, choices=Kind.choices)
    name = models.CharField(
        _("название"), max_length=200, help_text=_("Например, «УП.01 Слесарная практика»")
    )
    start = models.DateField(_("с"))
    end = models.DateField(_("по"))
    hours = models.PositiveSmallIntegerField(_("часов"))
    # Concentrated: the group studies nothing else then (no lessons are made over it).
    concentrated = models.BooleanField(
        _("концентрированная"),
        default=True,
        help_text=_("Занятия группы в эти дни не проводятся (не создаются по расписанию)"),
    )
    place = models.ForeignKey(
        PracticePlace,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="periods",
        verbose_name=_("место практики"),
    )
    supervisor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="supervised_practice",
        verbose_name=_("руководитель от техникума"),
    )
    place_supervisor = models.CharField(
        _("руководитель от организации"), max_length=200, blank=True
    )
    history = HistoricalRecords()

    objects = scoped(DatedQuerySet)

    class Meta:
        verbose_name = _("практика")
        verbose_name_plural = _("практика")
        ordering = ["start", "school_class"]
        indexes = [models.Index(fields=["school", "year", "school_class"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="practice_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.school_class})"

    @property
    def dates_label(self) -> str:
        return f"{self.start:%d.%m.%Y}–{self.end:%d.%m.%Y}"

    def covers(self, day) -> bool:
        return self.start <= day <= self.end
