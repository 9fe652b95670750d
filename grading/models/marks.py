"""Work types with their weights, current marks, and corrections of locked records.

A mark sits in one cell of the journal: a lesson × a pupil × a work type (the lesson's
«column»). Each lesson has one column by default, the work type its lesson type calls for
(a test → «контрольная работа»); a teacher may add more columns to a lesson by giving marks
of other work types. One mark per cell (regulations: «в клетке одна отметка»), on the
course's scale. Marks are never deleted: clearing a cell stamps `deleted_at`, and the history
(django-simple-history, with the acting user) keeps every value the cell ever held.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from accounts.models import Pupil, School, User
from schedule.models import Lesson

__all__ = ["CorrectionRequest", "Mark", "WorkType"]


class WorkType(models.Model):
    """A kind of work a mark is given for, with its weight in the weighted average."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="work_types")
    name = models.CharField(_("вид работы"), max_length=100)
    short_name = models.CharField(_("сокращение"), max_length=8)
    weight = models.DecimalField(
        _("вес"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1"),
        help_text=_("Во сколько раз отметка весомее ответа на уроке при расчёте среднего балла."),
    )
    # The lesson type whose main column this work type is (one per type and school).
    lesson_kind = models.CharField(
        _("основная колонка уроков типа"),
        max_length=12,
        choices=Lesson.Kind.choices,
        blank=True,
    )
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)
    active = models.BooleanField(_("используется"), default=True)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("вид работы")
        verbose_name_plural = _("виды работ")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="unique_work_type_name"),
            models.UniqueConstraint(
                fields=["school", "lesson_kind"],
                condition=~models.Q(lesson_kind=""),
                name="one_work_type_per_lesson_kind",
            ),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="work_type_weight_pos"),
        ]

    def __str__(self):
        return self.name


class Mark(models.Model):
    """One mark in one cell: lesson × pupil × work type."""

    class Value(models.TextChoices):
        FIVE = "5", "5"
        FOUR = "4", "4"
        THREE = "3", "3"
        TWO = "2", "2"
        PASS = "pass", _("зачёт")
        FAIL = "fail", _("незачёт")

    # How a value reads in the grid (one or two characters fit a cell).
    SHORT = {"5": "5", "4": "4", "3": "3", "2": "2", "pass": "зч", "fail": "нз"}
    POINTS = {"5": 5, "4": 4, "3": 3, "2": 2}

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="marks")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="marks")
    work_type = models.ForeignKey(
        WorkType, on_delete=models.PROTECT, related_name="marks", verbose_name=_("вид работы")
    )
    value = models.CharField(_("отметка"), max_length=4, choices=Value.choices)
    # The value as a number for averages (2–5); empty for зачёт/незачёт.
    points = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    comment = models.CharField(_("комментарий"), max_length=300, blank=True)
    # Set for a missed topic passed later by protocol (002 §3.2: «зачёт пропущенных тем»,
    # journal.MakeupProtocol): the grid marks the cell as a make-up.
    makeup = models.BooleanField(_("отработка пропущенной темы"), default=False, db_default=False)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("изменена"), default=timezone.now)
    # Cleared cells keep their row (and its history): nothing is hard-deleted.
    deleted_at = models.DateTimeField(_("удалена"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("отметка")
        verbose_name_plural = _("отметки")
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "pupil", "work_type"],
                name="one_mark_per_cell",
                violation_error_message=_("В этой клетке уже есть отметка."),
            ),
            models.CheckConstraint(
                condition=models.Q(value__in=["5", "4", "3", "2", "pass", "fail"]),
                name="mark_value_on_a_scale",
            ),
        ]
        indexes = [models.Index(fields=["school", "pupil"])]

    def __str__(self):
        return f"{self.pupil} {self.lesson}: {self.short}"

    @property
    def short(self) -> str:
        return self.SHORT.get(self.value, self.value)

    @property
    def is_live(self) -> bool:
        return self.deleted_at is None

    def set_value(self, value: str) -> None:
        """A value typed into the cell (a make-up by protocol sets `makeup` after this)."""
        self.value = value
        self.points = self.POINTS.get(value)
        self.makeup = False


class Decision(models.Model):
    """A change asked for with a reason, waiting for a deputy's decision (abstract).

    The journal's corrections of locked marks and attendance and the corrections of final
    marks after their deadline share these states and who-decided-when fields.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("ожидает решения")
        APPROVED = "approved", _("согласовано")
        REJECTED = "rejected", _("отклонено")
        SUPERSEDED = "superseded", _("заменено новым запросом")

    reason = models.TextField(_("причина исправления"))
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("запрошено"), default=timezone.now)
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("решение принято"), null=True, blank=True)
    decision_note = models.CharField(_("комментарий к решению"), max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def supersede(self, *, by) -> None:
        """Give way to a newer request for the same record."""
        self.status = self.Status.SUPERSEDED
        self.decided_at = timezone.now()
        self._history_user = by
        self.save(update_fields=["status", "decided_at"])

    def check_undecided(self) -> None:
        """Refuse a second decision (the caller holds the row locked)."""
        if self.status != self.Status.PENDING:
            raise ValidationError(
                _("Решение по этому исправлению уже принято: %(status)s.")
                % {"status": self.get_status_display()},
                code="decided",
            )

    def decide(self, status: str, *, by, note: str = ""):
        """Record the deputy's decision (the caller has applied an approved change)."""
        self.status = status
        self.decided_by = by
        self.decided_at = timezone.now()
        self.decision_note = (note or "").strip()[:300]
        self._history_user = by
        self.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        return self


class CorrectionRequest(Decision):
    """A change of a locked record, applied only when a deputy approves it.

    Regulations: «запрещается исправлять оценки и выставлять их задним числом»; after the
    school's lock window a change needs a reason and the deputy's approval. Values are kept
    as the journal's own tokens («5», «зч», «н», «о10»); an empty value removes the record.
    """

    class Kind(models.TextChoices):
        MARK = "mark", _("отметка")
        ATTENDANCE = "attendance", _("посещаемость")
        TOPIC = "topic", _("тема урока")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="corrections")
    # The pupil of a cell; none for the lesson's own topic.
    pupil = models.ForeignKey(
        Pupil, on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    kind = models.CharField(_("что исправляется"), max_length=12, choices=Kind.choices)
    work_type = models.ForeignKey(
        WorkType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A cell's token («5», «н», «о10»), or a topic as «type|topic».
    old_value = models.CharField(_("было"), max_length=520, blank=True)
    new_value = models.CharField(_("станет"), max_length=520, blank=True)
    history = HistoricalRecords()

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("исправление записи")
        verbose_name_plural = _("исправления записей")
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["school", "status", "requested_at"]),
            models.Index(fields=["school", "lesson", "pupil"]),
        ]

    def __str__(self):
        return f"№{self.pk}: {self.pupil} {self.lesson}"

    @staticmethod
    def token_label(value: str) -> str:
        return Mark.SHORT.get(value, value) if value else "—"

    def value_label(self, value: str) -> str:
        if self.kind == self.Kind.TOPIC:
            kind, _sep, topic = value.partition("|")
            label = Lesson.Kind(kind).label if kind in Lesson.Kind.values else kind
            return f"{topic} ({label})" if topic else str(label or "—")
        return self.token_label(value)

    @property
    def old_label(self) -> str:
        return self.value_label(self.old_value)

    @property
    def new_label(self) -> str:
        return self.value_label(self.new_value)
