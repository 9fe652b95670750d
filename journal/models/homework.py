"""Homework set at a lesson: text, due date and attached files."""

import uuid
from pathlib import PurePosixPath

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from accounts.models import School, User
from schedule.models import Course, Lesson

__all__ = ["Homework", "HomeworkAttachment"]


class Homework(models.Model):
    """The homework of one lesson (regulation: «в день проведения занятия»)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    lesson = models.OneToOneField(Lesson, on_delete=models.CASCADE, related_name="homework")
    # Denormalised from the lesson: the diary lists homework by course and due date.
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="homework")
    text = models.TextField(_("задание"), blank=True)
    due_date = models.DateField(_("к какому дню"))
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # First entered after the regulation's deadline (accepted; the control of journal keeping
    # counts it). `due_in_journal` is that deadline, kept as it was when entered.
    entered_late = models.BooleanField(_("внесено с опозданием"), default=False)
    due_in_journal = models.DateTimeField(_("срок внесения"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("домашнее задание")
        verbose_name_plural = _("домашние задания")
        indexes = [models.Index(fields=["school", "course", "due_date"])]

    def __str__(self):
        return f"{self.lesson}: {self.text[:50]}"


def attachment_path(instance, filename: str) -> str:
    # A random name keeps files of different schools and lessons from ever colliding and
    # from being guessed; the original name is kept in the row for downloads.
    suffix = PurePosixPath(filename).suffix.lower()
    return f"homework/{instance.school_id}/{uuid.uuid4().hex}{suffix}"


class HomeworkAttachment(models.Model):
    """A file attached to homework, stored through Django's storage API (local or S3)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    homework = models.ForeignKey(Homework, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("файл"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("имя файла"), max_length=255)
    size = models.PositiveIntegerField(_("размер, байт"))
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Journal data is never hard-deleted: a removed file is hidden, kept in storage.
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("файл задания")
        verbose_name_plural = _("файлы заданий")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.name
