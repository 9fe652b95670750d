"""The year's archive: its documents (each file's checksum, pages and how long it is kept),
the builds that make them, one part per class and per ledger, and the acts of destruction.

Files go through Django's storage API (the «archive» storage of settings.STORAGES: a local
folder by default, an S3-compatible bucket through django-storages in production). A
document is never changed in place: a rebuild adds a new version beside the old one.
"""

from django.core.files.storage import Storage, storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import School, User
from schedule.models import SchoolClass, SchoolYear, StudyPeriod


class _ArchiveStorage(Storage):
    """The «archive» storage of settings.STORAGES, looked up at each use (a FileField calls
    its storage callable once, at import; this lets settings — and tests — change it)."""

    def __getattribute__(self, name):
        if name.startswith("__"):
            return super().__getattribute__(name)
        return getattr(storages["archive"], name)


_archive = _ArchiveStorage()


def archive_storage():
    return _archive


def document_path(document, filename: str) -> str:
    # One folder per school and year; the version in the name keeps every build's file.
    return f"archive/{document.school_id}/{document.year_id}/{filename}"


class Retention(models.TextChoices):
    # The regulation's names (accounts.regulation.Regulation.retention_years), and «для
    # постоянного хранения» for the acts of destruction (they are kept for good).
    JOURNAL = "journal", _("журнал (5 лет)")
    LEDGER = "ledger", _("сводная ведомость (25 лет)")
    GRADUATION = "graduation", _("ведомость выпускников (75 лет)")
    PERMANENT = "permanent", _("постоянно")


class DestructionAct(models.Model):
    """«Акт о выделении к уничтожению документов, не подлежащих хранению»: drawn up by the
    deputy, approved by the director; only an approved act removes its documents' files. The
    act's own PDF is an ArchiveDocument kept for good."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField(_("номер акта"))
    drawn_up_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    drawn_up_at = models.DateTimeField(_("составлен"), default=timezone.now)
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("утверждён"), null=True, blank=True)
    destroyed_at = models.DateTimeField(_("файлы удалены"), null=True, blank=True)
    # The act's own PDF/A, kept for good (filed when the director approves the act).
    pdf = models.ForeignKey(
        "ArchiveDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("акт о выделении к уничтожению")
        verbose_name_plural = _("акты о выделении к уничтожению")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="unique_destruction_act")
        ]

    def __str__(self):
        return _("Акт № %(n)s") % {"n": self.number}


class ArchiveDocument(models.Model):
    class Kind(models.TextChoices):
        JOURNAL = "journal", _("классный журнал")
        PROGRESS_LEDGER = "progress", _("сводная ведомость учёта успеваемости")
        ATTENDANCE_LEDGER = "attendance", _("сводная ведомость посещаемости")
        EXAM_LEDGERS = "exam_ledgers", _("зачётно-экзаменационные ведомости")
        MANIFEST = "manifest", _("опись документов года")
        ACT = "act", _("акт о выделении к уничтожению")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("документ"), max_length=12, choices=Kind.choices)
    # A document of one study period (a college group's journal of a semester); None: of
    # the whole year.
    period = models.ForeignKey(
        StudyPeriod, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveSmallIntegerField(_("версия"), default=1)
    file = models.FileField(
        _("файл"), storage=archive_storage, upload_to=document_path, max_length=300
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("размер, байт"))
    pages = models.PositiveIntegerField(_("страниц"))
    # Whose certificate signed the file (its subject's CN, archive.services.signing); "":
    # filed unsigned.
    signed_by = models.CharField(_("подписан сертификатом"), max_length=200, blank=True)
    retention = models.CharField(_("срок хранения"), max_length=12, choices=Retention.choices)
    # The last day the document must be kept (None: kept for good); from the next day on it
    # may be put in an act of destruction.
    destroy_after = models.DateField(_("хранить до"), null=True, blank=True)
    created_at = models.DateTimeField(_("сформирован"), default=timezone.now)
    act = models.ForeignKey(
        DestructionAct,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("акт о выделении к уничтожению"),
    )
    destroyed_at = models.DateTimeField(_("уничтожен"), null=True, blank=True)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("документ архива")
        verbose_name_plural = _("документы архива")
        ordering = ["year", "kind", "school_class", "-version"]
        indexes = [models.Index(fields=["school", "year", "kind"])]
        constraints = [
            # Two constraints, not nulls_distinct=False: SQLite (the demo) lacks it.
            models.UniqueConstraint(
                fields=["school", "year", "kind", "school_class", "version"],
                condition=models.Q(school_class__isnull=False, period__isnull=True),
                name="unique_archive_version",
            ),
            models.UniqueConstraint(
                fields=["school", "year", "kind", "school_class", "period", "version"],
                condition=models.Q(school_class__isnull=False, period__isnull=False),
                name="unique_archive_period_version",
            ),
            models.UniqueConstraint(
                fields=["school", "year", "kind", "version"],
                condition=models.Q(school_class__isnull=True),
                name="unique_archive_school_version",
            ),
        ]

    def __str__(self):
        what = self.get_kind_display()
        if self.school_class_id:
            what = f"{what} {self.school_class.name}"
        return f"{what}, {self.period}" if self.period_id else what


class ArchiveBuild(models.Model):
    """One build of a year's archive: its parts run in parallel, the last to finish writes
    the year's manifest (a counter of parts left, not a chord: a retried part joins too)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("начата"), default=timezone.now)
    finished_at = models.DateTimeField(_("завершена"), null=True, blank=True)
    manifest = models.ForeignKey(
        ArchiveDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("сборка архива")
        verbose_name_plural = _("сборки архива")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.year} {self.started_at:%d.%m.%Y %H:%M}"


class ArchivePart(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("ожидает")
        DONE = "done", _("готово")
        FAILED = "failed", _("ошибка")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    build = models.ForeignKey(ArchiveBuild, on_delete=models.CASCADE, related_name="parts")
    kind = models.CharField(_("документ"), max_length=12, choices=ArchiveDocument.Kind.choices)
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(
        StudyPeriod, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    document = models.ForeignKey(
        ArchiveDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(school="school")

    class Meta:
        ordering = ["school_class__grade", "school_class__letter", "kind", "period__start"]
        constraints = [
            models.UniqueConstraint(
                fields=["build", "kind", "school_class"],
                condition=models.Q(period__isnull=True),
                name="unique_archive_part",
            ),
            models.UniqueConstraint(
                fields=["build", "kind", "school_class", "period"],
                condition=models.Q(period__isnull=False),
                name="unique_archive_period_part",
            ),
        ]

    def __str__(self):
        what = f"{self.get_kind_display()} {self.school_class}"
        return f"{what}, {self.period}" if self.period_id else what
