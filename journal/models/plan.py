"""The calendar-thematic plan (КТП) of a course, and what a lesson records beyond the schedule."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from accounts.models import School, User
from schedule.models import Course, Lesson

__all__ = ["LessonRecord", "PlanTopic"]


class PlanTopic(models.Model):
    """One topic of a course's plan: its place, hours and lesson type.

    A topic of N hours is the topic of N lessons in a row; lessons take the plan's topics in
    order (see journal.services.plan.lessons.next_topic).
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="plan_topics")
    position = models.PositiveIntegerField(_("номер"))
    title = models.CharField(_("тема"), max_length=500)
    hours = models.PositiveSmallIntegerField(_("часов"), default=1)
    kind = models.CharField(
        _("тип урока"), max_length=12, choices=Lesson.Kind.choices, default=Lesson.Kind.LESSON
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("тема КТП")
        verbose_name_plural = _("темы КТП")
        ordering = ["course", "position", "pk"]
        indexes = [models.Index(fields=["school", "course", "position"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gte=1), name="plan_topic_has_hours")
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"


class LessonRecord(models.Model):
    """The journal's side of a lesson: the plan topic it follows and the teacher's note.

    The topic text and lesson type themselves live on schedule.Lesson (with its history);
    this row links the lesson to the plan, which schedule may not know about.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    lesson = models.OneToOneField(Lesson, on_delete=models.CASCADE, related_name="record")
    # Denormalised from the lesson, so plan-vs-fact counts stay one indexed query.
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    plan_topic = models.ForeignKey(
        PlanTopic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lesson_records",
        verbose_name=_("тема по КТП"),
    )
    note = models.TextField(_("заметка учителя"), blank=True)
    history = HistoricalRecords()

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("запись урока")
        verbose_name_plural = _("записи уроков")
        indexes = [models.Index(fields=["school", "course", "plan_topic"])]

    def __str__(self):
        return str(self.lesson)
