"""Make-up of a missed topic (regulation 002 §3.2): «в случае пропуска обучающимся урока по
болезни или иным уважительным причинам зачёт пропущенных тем проводится педагогическим
работником с оформлением протокола, и на основании протокола сдачи оценка выставляется в
Электронный журнал в соответствующую тему».

The protocol names the lesson the pupil missed; its mark sits in that lesson's column, marked
as a make-up (grading.Mark.makeup), whatever the lock window says: the protocol is its ground.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from accounts.models import Pupil, School, User
from grading.models import Mark
from schedule.models import Lesson

__all__ = ["MakeupProtocol"]


class MakeupProtocol(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="makeups")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="makeups")
    number = models.CharField(_("номер протокола"), max_length=50)
    held_on = models.DateField(_("дата сдачи"))
    mark = models.OneToOneField(Mark, on_delete=models.PROTECT, related_name="makeup_protocol")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("протокол сдачи пропущенной темы")
        verbose_name_plural = _("протоколы сдачи пропущенных тем")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "pupil"], name="one_makeup_per_lesson")
        ]

    def __str__(self):
        return f"№{self.number}: {self.pupil} {self.lesson}"
