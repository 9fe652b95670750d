"""A student's mark for a practice period (schedule.models_practice.PracticePeriod)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from accounts.models import Pupil, School, User
from schedule.models import PracticePeriod

from .course_works import mark_field, mark_in_scale

__all__ = ["PracticeMark"]


class PracticeMark(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(PracticePeriod, on_delete=models.PROTECT, related_name="marks")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="practice_marks")
    mark = mark_field()
    set_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("оценка за практику")
        verbose_name_plural = _("оценки за практику")
        constraints = [
            models.UniqueConstraint(fields=["period", "pupil"], name="one_practice_mark"),
            mark_in_scale("practice_mark_in_scale"),
        ]

    def __str__(self):
        return f"{self.pupil} — {self.period}: {self.mark}"
