"""Parents' weekly digests, notices of final marks, and the digest's bookkeeping."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Pupil, School, User
from grading.models import FinalMark

__all__ = ["DigestDelivery", "DigestSettings", "FinalMarkNotice"]


class DigestSettings(models.Model):
    """The digest's bookkeeping for a school: the last week planned. When the digest goes out
    is the school's regulation (accounts.Regulation.digest_*)."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="digest_settings")
    # The last week whose deliveries were created: the hourly tick plans each week once.
    planned_week = models.DateField(null=True, blank=True, editable=False)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("состояние сводки")
        verbose_name_plural = _("состояния сводок")

    def __str__(self):
        return f"{self.school}: {self.planned_week}"


class DigestDelivery(models.Model):
    """One parent's digest of one school week: the unit of «exactly once».

    The row is created (PENDING) before any e-mail is sent, unique per (school, parent, week).
    The sending task locks the row, sends, and sets SENT in the same transaction; a SENT row
    is never sent again. See reports.services.digest.deliver for the whole argument.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("ожидает отправки")
        SENT = "sent", _("отправлена")
        FAILED = "failed", _("не отправлена")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey(User, on_delete=models.CASCADE, related_name="digests")
    week = models.DateField(_("неделя с"))  # the Monday of the school week it covers
    state = models.CharField(
        _("состояние"), max_length=10, choices=State.choices, default=State.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(null=True, blank=True)  # last handed to the broker
    sent_at = models.DateTimeField(_("отправлена"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    emailed_to = models.EmailField(_("на адрес"), blank=True)
    error = models.CharField(_("ошибка"), max_length=500, blank=True)
    # What the parent got, kept in the app: {"children": [...]} (reports.services.digest).
    content = models.JSONField(default=dict, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("еженедельная сводка")
        verbose_name_plural = _("еженедельные сводки")
        ordering = ["-week", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "parent", "week"], name="one_digest_per_parent_school_week"
            )
        ]
        indexes = [
            models.Index(fields=["school", "week", "state"]),
            models.Index(fields=["school", "parent", "-week"]),
        ]

    def __str__(self):
        return f"{self.parent} {self.week:%d.%m.%Y}: {self.get_state_display()}"


class FinalMarkNotice(models.Model):
    """A notice to a parent that a period, year or exam mark was set (kept in the app,
    e-mailed once). One per parent and value of the mark: a changed mark is a new notice."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey(User, on_delete=models.CASCADE, related_name="final_mark_notices")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    final_mark = models.ForeignKey(FinalMark, on_delete=models.CASCADE, related_name="+")
    value = models.CharField(_("отметка"), max_length=4)
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("уведомление об итоговой отметке")
        verbose_name_plural = _("уведомления об итоговых отметках")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["final_mark", "parent", "value"], name="one_notice_per_final_mark_value"
            )
        ]
        indexes = [models.Index(fields=["school", "parent", "-created_at"])]

    def __str__(self):
        return f"{self.parent}: {self.final_mark}"
