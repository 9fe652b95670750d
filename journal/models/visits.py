"""Visits to the diary: one row per user, pupil and day (for the deputy's activity report).

Written with INSERT … ON CONFLICT DO NOTHING at most once a day per user and pupil (a cache
key skips the write on the following requests), so reading the diary costs no write.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Pupil, School, User

__all__ = ["DiaryVisit"]


class DiaryVisit(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="diary_visits")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="diary_visits")
    day = models.DateField(_("день"))
    first_at = models.DateTimeField(_("первый вход за день"), default=timezone.now)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("просмотр дневника")
        verbose_name_plural = _("просмотры дневника")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "pupil", "day"], name="one_diary_visit_per_user_pupil_day"
            )
        ]
        indexes = [models.Index(fields=["school", "day"])]

    def __str__(self):
        return f"{self.user} → {self.pupil} {self.day:%d.%m.%Y}"
