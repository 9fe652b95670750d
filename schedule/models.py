from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from accounts.models import Pupil, School, User


class SchoolClass(models.Model):
    """A class («5А») of a school, or a group («ТМ-21») of a college."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classes")
    grade = models.PositiveSmallIntegerField(_("параллель (год обучения)"))
    letter = models.CharField(_("литера или название группы"), max_length=20)
    class_teacher = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_classes",
        verbose_name=_("классный руководитель"),
    )
    history = HistoricalRecords()

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("класс")
        verbose_name_plural = _("классы")
        ordering = ["grade", "letter"]
        permissions = [("manage_class", _("Классное руководство"))]
        constraints = [
            models.UniqueConstraint(fields=["school", "grade", "letter"], name="unique_class_name")
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        # A school class reads «5А»; a college group already carries its full name («ТМ-21»).
        return f"{self.grade}{self.letter}" if len(self.letter) <= 2 else self.letter


class SchoolClassUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(SchoolClass, on_delete=models.CASCADE)


class EnrolmentQuerySet(models.QuerySet):
    def on(self, day):
        return self.filter(start__lte=day).filter(
            models.Q(end__isnull=True) | models.Q(end__gte=day)
        )

    def current(self):
        return self.on(timezone.localdate())


class Enrolment(models.Model):
    """A pupil's stay in a class, from arrival to departure or transfer."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="enrolments")
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, related_name="enrolments"
    )
    start = models.DateField(_("зачислен"))
    end = models.DateField(_("выбыл"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedManager(
        school="school", _manager_class=models.Manager.from_queryset(EnrolmentQuerySet)
    )

    class Meta:
        verbose_name = _("зачисление")
        verbose_name_plural = _("зачисления")
        ordering = ["start"]
        indexes = [models.Index(fields=["school", "school_class", "start"])]

    def __str__(self):
        return f"{self.pupil} — {self.school_class}"
