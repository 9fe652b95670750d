"""Messages between families and staff, announcements («события») and e-mail settings.

A thread has participants; each participant row carries its own unread counter, so the count
in the navigation is one indexed SUM over the user's rows in the school, and marking a thread
read is one UPDATE. Who may start a thread with whom is decided in
journal.services.messaging.allowed_recipients.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Pupil, School, User
from schedule.models import SchoolClass

__all__ = [
    "Announcement",
    "Message",
    "NotificationSettings",
    "Thread",
    "ThreadParticipant",
]


class Thread(models.Model):
    """A conversation. A class mailing goes from the class teacher to all parents of a class;
    the parents read it and answer the author in a private thread."""

    class Kind(models.TextChoices):
        DIRECT = "direct", _("переписка")
        CLASS = "class", _("рассылка родителям класса")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("вид"), max_length=10, choices=Kind.choices, default=Kind.DIRECT)
    subject = models.CharField(_("тема"), max_length=200)
    # The child a family conversation is about (optional), and the class of a mailing.
    pupil = models.ForeignKey(
        Pupil,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("обучающийся"),
    )
    school_class = models.ForeignKey(
        SchoolClass,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("класс"),
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("переписка")
        verbose_name_plural = _("переписки")
        ordering = ["-last_message_at"]

    def __str__(self):
        return self.subject


class ThreadParticipant(models.Model):
    """A user in a thread, with their unread counter and whether they may write in it."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="thread_participations")
    unread = models.PositiveIntegerField(default=0)
    last_read_at = models.DateTimeField(null=True, blank=True)
    # Parents in a class mailing read it; they answer the author in a thread of their own.
    can_write = models.BooleanField(default=True)

    objects = ScopedManager(school="school")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="one_participant_per_thread")
        ]
        indexes = [
            models.Index(fields=["school", "user"], name="participant_school_user"),
        ]

    def __str__(self):
        return _("%(user)s в «%(thread)s»") % {"user": self.user, "thread": self.thread}


class Message(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("сообщение"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when the e-mail notices went out (claimed by the task before sending: at most once).
    notified_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("сообщение")
        verbose_name_plural = _("сообщения")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["school", "thread", "created_at"])]

    def __str__(self):
        return f"{self.author}: {self.body[:40]}"


class AnnouncementQuerySet(models.QuerySet):
    def live(self, day):
        """Published by `day`, not yet expired, not withdrawn."""
        return self.filter(published_on__lte=day, withdrawn_at__isnull=True).filter(
            models.Q(visible_until__isnull=True) | models.Q(visible_until__gte=day)
        )

    def for_classes(self, class_ids):
        """School-wide announcements and those of the given classes."""
        return self.filter(
            models.Q(school_class__isnull=True) | models.Q(school_class_id__in=list(class_ids))
        )


class Announcement(models.Model):
    """An announcement («событие») for the whole school or one class."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    school_class = models.ForeignKey(
        SchoolClass,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("класс"),
        help_text=_("Пусто — для всей школы."),
    )
    title = models.CharField(_("заголовок"), max_length=200)
    body = models.TextField(_("текст"), max_length=5000)
    published_on = models.DateField(_("показывать с"), default=timezone.localdate)
    visible_until = models.DateField(_("показывать по"), null=True, blank=True)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Withdrawn announcements are kept (who said what, when), only hidden.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(
        school="school", _manager_class=models.Manager.from_queryset(AnnouncementQuerySet)
    )

    class Meta:
        verbose_name = _("объявление")
        verbose_name_plural = _("объявления")
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["school", "school_class", "published_on"])]

    def __str__(self):
        return self.title


class NotificationSettings(models.Model):
    """A user's e-mail choices, across all their schools (so keyed by user, not school).

    A user without a row gets every e-mail: the defaults below.
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="notification_settings"
    )
    email_messages = models.BooleanField(_("письмо о новом сообщении"), default=True)
    email_digest = models.BooleanField(_("еженедельная сводка по почте"), default=True)
    email_final_marks = models.BooleanField(_("письмо об итоговой отметке"), default=True)
    # The control of journal keeping (reports.services.control_mail, reports.services.risk).
    email_shortfalls = models.BooleanField(
        _("письмо-напоминание о недочётах в журнале (учителю)"), default=True
    )
    email_control_summary = models.BooleanField(
        _("еженедельная сводка контроля ведения журнала (руководству)"), default=True
    )
    email_risk = models.BooleanField(_("письмо о попадании в группу риска"), default=True)

    class Meta:
        verbose_name = _("настройки уведомлений")
        verbose_name_plural = _("настройки уведомлений")

    def __str__(self):
        return str(self.user)

    @classmethod
    def for_user(cls, user) -> "NotificationSettings":
        found = cls.objects.filter(user=user).first()
        return found or cls(user=user)

    @classmethod
    def opted_out(cls, user_ids, field: str) -> set[int]:
        """The users among `user_ids` who turned the e-mail `field` off: one query."""
        return set(
            cls.objects.filter(user_id__in=list(user_ids), **{field: False}).values_list(
                "user_id", flat=True
            )
        )
