"""Control of journal keeping: the shortfalls the nightly check finds, and its bookkeeping.

A shortfall («недочёт») is one thing to fix: a lesson without its topic, a pupil without
marks in a course, a period's final mark not set. The check (reports.services.control)
finds them from the school's records and its regulation; a row is unique per (school, kind,
key), so a re-run updates the same row, and a row the check no longer finds is closed
(`fixed_at`) — the record was entered.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Pupil, School, User
from schedule.models import Course, Lesson, StudyPeriod

__all__ = ["ControlCheck", "ControlState", "Shortfall"]


class Shortfall(models.Model):
    class Kind(models.TextChoices):
        TOPIC = "topic", _("не записана тема урока")
        ATTENDANCE = "attendance", _("не отмечена посещаемость")
        HOMEWORK = "homework", _("не записано домашнее задание")
        HOMEWORK_LATE = "homework_late", _("домашнее задание внесено с опозданием")
        WRITTEN_WORK = "written_work", _("не выставлены отметки за письменную работу")
        MARK_DAYS = "mark_days", _("мало дней с отметками за неделю")
        NO_MARKS = "no_marks", _("у обучающегося нет отметок")
        ONE_MARK = "one_mark", _("у обучающегося одна отметка")
        FEW_MARKS = "few_marks", _("не хватает отметок для аттестации")
        FINAL_MARK = "final_mark", _("не выставлена итоговая отметка")
        NO_PLAN = "no_plan", _("нет КТП")
        PLAN_LAG = "plan_lag", _("отставание от КТП")
        CORRECTION = "correction", _("запрос на исправление ждёт решения")

    # Kinds that are a record of a fact, not a thing to do: found already closed.
    RECORDS = (Kind.HOMEWORK_LATE,)

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("недочёт"), max_length=16, choices=Kind.choices)
    # What the row is about, as the check names it («l:12», «c:5:p:7:sp:3»): the upsert's key.
    key = models.CharField(max_length=80)
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    period = models.ForeignKey(
        StudyPeriod, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    teacher = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="shortfalls"
    )
    deadline = models.DateField(_("срок"))
    detail = models.CharField(_("подробности"), max_length=200, blank=True)
    found_at = models.DateTimeField(_("обнаружен"), default=timezone.now)
    checked_at = models.DateTimeField(_("проверен"), default=timezone.now)
    fixed_at = models.DateTimeField(_("устранён"), null=True, blank=True)
    # The check that last found it (ControlState.runs): rows an older run found are closed.
    run = models.PositiveIntegerField(default=0)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("недочёт ведения журнала")
        verbose_name_plural = _("недочёты ведения журнала")
        ordering = ["deadline", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "kind", "key"], name="one_shortfall_per_key")
        ]
        indexes = [
            models.Index(fields=["school", "teacher", "fixed_at"]),
            models.Index(fields=["school", "fixed_at", "kind"]),
            models.Index(fields=["school", "course", "kind"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.key}"

    @staticmethod
    def open_filter() -> models.Q:
        """Open rows a teacher is to fix (a late homework is a record, found closed)."""
        return models.Q(fixed_at__isnull=True)

    @property
    def is_open(self) -> bool:
        return self.fixed_at is None


class ControlState(models.Model):
    """The check's bookkeeping for a school. Its row is locked for the length of a check, so
    two checks of one school (the beat's and one asked for) run one after the other."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="control_state")
    checked_at = models.DateTimeField(_("последняя проверка"), null=True, blank=True)
    checked_on = models.DateField(_("день последней проверки"), null=True, blank=True)
    runs = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    found = models.PositiveIntegerField(default=0)  # open shortfalls after the last check
    reminded_on = models.DateField(null=True, blank=True)  # teachers' e-mail reminders sent

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("состояние проверки журнала")
        verbose_name_plural = _("состояния проверки журнала")

    def __str__(self):
        return f"{self.school}: {self.checked_at}"


class ControlCheck(models.Model):
    """«Справка по итогам проверки»: a check of journal keeping the deputy records — its date,
    span and scope, the dashboard's figures as they stood, the findings and what must be fixed
    by when. The named teachers get it as a message; whether it is fixed is followed from the
    shortfalls it lists (those open at the check, of the named teachers in its scope)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    checked_on = models.DateField(_("дата проверки"))
    span_label = models.CharField(_("период"), max_length=200)
    scope_label = models.CharField(_("охват"), max_length=200)
    query = models.CharField(max_length=300)  # the dashboard's parameters, to open it again
    # The dashboard's table as it stood: {"columns": [[key, title, kind]], "rows": [{…}]}.
    figures = models.JSONField(default=dict)
    findings = models.TextField(_("выводы и замечания"))
    fix_by = models.DateField(_("устранить до"))
    teachers = models.ManyToManyField(User, related_name="+", verbose_name=_("учителя"))
    shortfalls = models.ManyToManyField(Shortfall, related_name="checks")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("справка по итогам проверки")
        verbose_name_plural = _("справки по итогам проверки")
        ordering = ["-checked_on", "-pk"]
        indexes = [models.Index(fields=["school", "-checked_on"])]

    def __str__(self):
        return _("Справка от %(day)s") % {"day": self.checked_on.strftime("%d.%m.%Y")}
