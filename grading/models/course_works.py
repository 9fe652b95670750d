"""The register of course works (реестр курсовых работ, regulation 002 §1.7): a student's
course work in a discipline, its topic and supervisor, when it was handed in and defended,
and its mark."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from accounts.models import Pupil, School, User
from schedule.models import Course

__all__ = ["CourseWork", "MARK_LOW", "MARK_HIGH"]

# Regulation 002 §3.2: «в клетках … одна оценка «2», «3», «4», «5»» — a course work's mark and
# a practice's too (grading.models.practice).
MARK_LOW, MARK_HIGH = 2, 5


def mark_field():
    return models.PositiveSmallIntegerField(
        _("оценка"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MARK_LOW), MaxValueValidator(MARK_HIGH)],
    )


def mark_in_scale(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(mark__isnull=True) | models.Q(mark__gte=MARK_LOW, mark__lte=MARK_HIGH),
        name=name,
    )


class CourseWork(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    # The discipline: a course of the student's group (it gives the year and the group).
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="course_works", verbose_name=_("дисциплина")
    )
    pupil = models.ForeignKey(
        Pupil, on_delete=models.PROTECT, related_name="course_works", verbose_name=_("студент")
    )
    topic = models.CharField(_("тема"), max_length=300)
    supervisor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="supervised_course_works",
        verbose_name=_("руководитель"),
    )
    handed_in = models.DateField(_("сдана"), null=True, blank=True)
    defended = models.DateField(_("защищена"), null=True, blank=True)
    mark = mark_field()
    history = HistoricalRecords()

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("курсовая работа")
        verbose_name_plural = _("курсовые работы")
        ordering = ["course", "pupil"]
        indexes = [
            models.Index(fields=["school", "course"]),
            models.Index(fields=["school", "supervisor"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["course", "pupil"], name="one_course_work_per_course"),
            mark_in_scale("course_work_mark_in_scale"),
            models.CheckConstraint(
                condition=models.Q(defended__isnull=True)
                | models.Q(handed_in__isnull=False, defended__gte=models.F("handed_in")),
                name="course_work_defended_after_handed_in",
            ),
        ]

    def __str__(self):
        return f"{self.pupil} — {self.topic}"
