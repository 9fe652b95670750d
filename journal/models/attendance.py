"""Attendance: who missed a lesson or came late, and why.

The lesson's teacher marks an absence («н») or a late arrival («о», with minutes); the class
teacher sets or corrects the reason — ill («б») or excused («у»). Who may set what is one
function: journal.services.attendance.check_change. A present pupil has no row (or a row
whose `deleted_at` is set: nothing is hard-deleted, and the history keeps every change).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from accounts.models import Pupil, School, User
from schedule.models import Lesson

__all__ = ["Attendance"]


class Attendance(models.Model):
    class Code(models.TextChoices):
        ABSENT = "absent", _("н — отсутствовал")
        ILL = "ill", _("б — по болезни")
        EXCUSED = "excused", _("у — по уважительной причине")
        LATE = "late", _("о — опоздал")

    # The letter a code reads as in the grid, and back.
    LETTER = {"absent": "н", "ill": "б", "excused": "у", "late": "о"}
    CODE_OF = {letter: code for code, letter in LETTER.items()}
    # Absences proper (a late pupil was present).
    MISSED = ("absent", "ill", "excused")
    REASONS = ("ill", "excused")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="attendance")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="attendance")
    code = models.CharField(_("отметка посещаемости"), max_length=8, choices=Code.choices)
    minutes_late = models.PositiveSmallIntegerField(_("опоздание, минут"), null=True, blank=True)
    set_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("изменена"), default=timezone.now)
    deleted_at = models.DateTimeField(_("снята"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("посещаемость")
        verbose_name_plural = _("посещаемость")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "pupil"], name="one_attendance_per_cell"),
            models.CheckConstraint(
                condition=models.Q(code__in=["absent", "ill", "excused", "late"]),
                name="attendance_code_known",
            ),
            models.CheckConstraint(
                condition=models.Q(minutes_late__isnull=True) | models.Q(code="late"),
                name="minutes_only_when_late",
            ),
        ]
        indexes = [models.Index(fields=["school", "pupil"])]

    def __str__(self):
        return f"{self.pupil} {self.lesson}: {self.token}"

    @property
    def letter(self) -> str:
        return self.LETTER[self.code]

    @property
    def token(self) -> str:
        """The journal's token: «н», «б», «у», «о» or «о10» (late ten minutes)."""
        return token_of(self.code, self.minutes_late)

    @property
    def is_live(self) -> bool:
        return self.deleted_at is None


def token_of(code: str | None, minutes: int | None = None) -> str:
    if not code:
        return ""
    letter = Attendance.LETTER[code]
    return f"{letter}{minutes}" if code == "late" and minutes else letter
