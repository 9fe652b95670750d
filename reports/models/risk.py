"""Pupils at risk («группа риска») and the control's e-mails, as the check keeps them.

A RiskEntry is one stay of a pupil on the list for one reason (marks: a period forecast or
average below 3 in some course; absences: more unexcused absences in seven days than the
regulation allows). The nightly check (reports.services.risk) opens a row when the pupil
enters the list and closes it (`left_on`) when they leave: at most one open row per pupil
and reason (a partial unique constraint), so the notice of an entry (`notified_at`, claimed
before sending) goes once, not again while the pupil stays, and again on a new entry.

A ControlMail is one e-mail of the control to one person: the weekly summary to the deputy
and the director (`on` = the Monday of its week) or a teacher's reminder of their open
shortfalls (`on` = the day). Unique per (school, user, kind, on) and claimed before sending:
exactly once per week or day and recipient, however many workers try.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Pupil, School, User
from schedule.models import SchoolClass

__all__ = ["ControlMail", "RiskEntry"]


class RiskEntry(models.Model):
    class Reason(models.TextChoices):
        MARKS = "marks", _("успеваемость ниже 3")
        ABSENCES = "absences", _("пропуски без уважительной причины")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="risk_entries")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("причина"), max_length=10, choices=Reason.choices)
    detail = models.CharField(_("подробности"), max_length=300, blank=True)
    entered_on = models.DateField(_("в списке с"))
    left_on = models.DateField(_("вышел из списка"), null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("обучающийся в группе риска")
        verbose_name_plural = _("группа риска")
        ordering = ["-entered_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "pupil", "reason"],
                condition=models.Q(left_on__isnull=True),
                name="one_open_risk_entry_per_pupil_reason",
            )
        ]
        indexes = [models.Index(fields=["school", "school_class", "left_on"])]

    def __str__(self):
        return f"{self.pupil}: {self.get_reason_display()}"


class ControlMail(models.Model):
    class Kind(models.TextChoices):
        SUMMARY = "summary", _("еженедельная сводка контроля")
        REMINDER = "reminder", _("напоминание о недочётах")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    on = models.DateField()  # the day of a reminder, the Monday of a summary's week
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("письмо контроля ведения журнала")
        verbose_name_plural = _("письма контроля ведения журнала")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "user", "kind", "on"], name="one_control_mail_per_day"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.user} {self.on:%d.%m.%Y}"
