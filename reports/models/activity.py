"""The weekly report of users' activity (002 §7.1) to each branch's head and the college's
deputy: one row per recipient and week, created before any e-mail, sent at most once."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class ActivityReportDelivery(models.Model):
    """One recipient's activity report of one week: the schools they receive it for (a
    branch's head their branch, the organisation's deputy every branch) and what was sent."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(_("неделя с"))  # the Monday of the week it covers
    school_ids = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("отправлен"), null=True, blank=True)
    emailed_to = models.EmailField(_("на адрес"), blank=True)
    # The table as sent: [[school, staff, entered, …], …] (reports.services.activity_mail).
    content = models.JSONField(default=dict, blank=True)

    class Meta:
        app_label = "reports"
        verbose_name = _("отчёт об активности пользователей")
        verbose_name_plural = _("отчёты об активности пользователей")
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="one_activity_report_per_week")
        ]

    def __str__(self):
        return f"{self.user} {self.week:%d.%m.%Y}"
