"""Homework of a lesson: text, due date (the next lesson by default) and attached files.

Files go through Django's storage API (a local folder by default, S3-compatible storage in
production). Classes without marks (1st grade) take no homework (regulation 001 §3.6).
"""

from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.regulation import RecordKind
from grading.policy import lesson_verdict
from lib.uploads import content_matches
from schedule.models import Lesson

from ..models import Homework, HomeworkAttachment

# Documents, tables, presentations, pictures, sound and video a teacher hands out; never
# anything a browser or an OS would run.
ALLOWED_EXTENSIONS = frozenset(
    {
        ".pdf", ".doc", ".docx", ".odt", ".rtf", ".txt",
        ".xls", ".xlsx", ".ods", ".csv",
        ".ppt", ".pptx", ".odp",
        ".jpg", ".jpeg", ".png", ".gif", ".webp",
        ".mp3", ".ogg", ".mp4", ".webm",
        ".zip",
    }
)  # fmt: skip
MAX_ATTACHMENT_BYTES = getattr(settings, "HOMEWORK_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
MAX_ATTACHMENTS = 10
# Without a next lesson in the timetable, homework is due in a week.
FALLBACK_DUE_DAYS = 7


def takes_homework(course) -> bool:
    """Courses of classes without marks (1st grade) take no homework."""
    return course.gives_marks


def next_lesson_date(lesson):
    """The date of the course's next lesson after this one's day, or None."""
    return (
        Lesson.objects.filter(
            course_id=lesson.course_id, date__gt=lesson.date, status=Lesson.Status.PLANNED
        )
        .order_by("date", "number")
        .values_list("date", flat=True)
        .first()
    )


def default_due_date(lesson):
    return next_lesson_date(lesson) or lesson.date + timedelta(days=FALLBACK_DUE_DAYS)


def validate_attachment(uploaded) -> None:
    """Refuse a file of a type not allowed, too large, empty, or whose content is not what
    its extension says (lib.uploads.content_matches), with a Russian message."""
    name = uploaded.name or ""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("Файл «%(name)s»: такой тип файлов не принимается. Можно: %(types)s.")
            % {"name": name, "types": ", ".join(sorted(e.lstrip(".") for e in ALLOWED_EXTENSIONS))}
        )
    if uploaded.size == 0:
        raise ValidationError(_("Файл «%(name)s» пуст.") % {"name": name})
    if uploaded.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("Файл «%(name)s» больше %(limit)s.")
            % {"name": name, "limit": filesizeformat(MAX_ATTACHMENT_BYTES)}
        )
    if not content_matches(uploaded, suffix):
        raise ValidationError(
            _(
                "Файл «%(name)s»: содержимое не соответствует расширению «%(ext)s». "
                "Сохраните файл заново в этом формате."
            )
            % {"name": name, "ext": suffix.lstrip(".")}
        )


def homework_of(lesson) -> Homework | None:
    try:
        return lesson.homework
    except Homework.DoesNotExist:
        return None


def live_attachments(homework):
    if homework is None:
        return HomeworkAttachment.objects.none()
    return homework.attachments.filter(removed_at__isnull=True)


@transaction.atomic
def save_homework(lesson, *, text: str, due_date, files=(), user) -> Homework | None:
    """Create or change the lesson's homework and add files; history records who did it.

    The write policy says whether homework may be written (not in a class without marks,
    nor by someone who does not keep the lesson) and when it was due in the journal: homework
    first entered after that is accepted and recorded as late.
    """
    verdict = lesson_verdict(user, lesson, RecordKind.HOMEWORK)
    if verdict.refused:
        raise ValidationError(verdict.reason, code="refused")
    text = (text or "").strip()
    files = list(files)
    homework = homework_of(lesson)
    if homework is None and not text and not files:
        return None
    due_date = due_date or default_due_date(lesson)
    if due_date <= lesson.date:
        raise ValidationError(_("Срок выполнения должен быть позже дня урока."))
    for uploaded in files:
        validate_attachment(uploaded)
    if homework is not None:
        if len(files) + live_attachments(homework).count() > MAX_ATTACHMENTS:
            raise ValidationError(
                _("К заданию можно приложить не больше %(n)s файлов.") % {"n": MAX_ATTACHMENTS}
            )
    elif len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            _("К заданию можно приложить не больше %(n)s файлов.") % {"n": MAX_ATTACHMENTS}
        )
    if homework is None:
        homework = Homework(
            school_id=lesson.school_id,
            lesson=lesson,
            course_id=lesson.course_id,
            created_by=user,
            entered_late=verdict.late,
            due_in_journal=verdict.deadline,
        )
    if homework.pk is None or (homework.text, homework.due_date) != (text, due_date):
        homework.text, homework.due_date = text, due_date
        homework._history_user = user
        homework.save()
    for uploaded in files:
        attachment = HomeworkAttachment(
            school_id=lesson.school_id,
            homework=homework,
            name=PurePosixPath(uploaded.name).name[:255],
            size=uploaded.size,
            uploaded_by=user,
        )
        attachment.file.save(uploaded.name, uploaded, save=False)
        attachment.save()
    lesson.homework = homework
    return homework


def remove_attachment(attachment: HomeworkAttachment, user) -> None:
    """Hide a file from the homework; the file and its row stay (nothing is hard-deleted)."""
    if attachment.removed_at is None:
        attachment.removed_at = timezone.now()
        attachment.removed_by = user
        attachment.save(update_fields=["removed_at", "removed_by"])
