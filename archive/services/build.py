"""Building a year's archive: one part per class and per ledger, each a Celery task (primary
keys, queued after commit) running in parallel with the others; the last part to finish
writes the year's manifest. The join is a counter of parts left, read under the build's row
lock — not a chord — so a part retried by Celery or from the progress page joins the same
build. Idempotent: a part already done is not redone; a new build makes new versions and
the old ones stay listed.
"""

import json

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schedule.models import SchoolClass

from ..models import ArchiveBuild, ArchiveDocument, ArchivePart
from . import kinds
from .documents import archive_class_document
from .store import save_document

Kind = ArchiveDocument.Kind
State = ArchivePart.State


def _queue(part_ids) -> None:
    # The task by its name (archive.tasks imports this module; the app registers the task).
    from celery import current_app

    build_part = current_app.tasks["archive.build_part"]
    ids = list(part_ids)
    transaction.on_commit(lambda: [build_part.delay(pk) for pk in ids], robust=True)


@transaction.atomic
def do_start_build(year, user=None, classes=None) -> ArchiveBuild:
    """A new build of the year's archive: its parts are queued once this commits."""
    build = ArchiveBuild.objects.create(school=year.school, year=year, started_by=user)
    classes = classes if classes is not None else SchoolClass.objects.filter(year=year)
    classes = classes.select_related("school").order_by("grade", "letter")
    parts = ArchivePart.objects.bulk_create(
        ArchivePart(
            school=year.school, build=build, kind=kind, school_class=school_class, period=period
        )
        for kind, school_class, period in kinds.parts_of(year, classes)
    )
    _queue(p.pk for p in parts)
    if not parts:
        transaction.on_commit(lambda: finish_if_complete(build.pk))
    return build


@transaction.atomic
def do_retry_part(part) -> bool:
    """Queue a failed part again (the progress page's «Повторить»)."""
    part = ArchivePart.objects.select_for_update().get(pk=part.pk)
    if part.state != State.FAILED:
        return False
    part.state, part.error = State.PENDING, ""
    part.save(update_fields=["state", "error"])
    _queue([part.pk])
    return True


def run_part(part_id: int) -> str:
    """Render and file one part's document; its state says so. Raises on failure (the task
    decides whether Celery retries it)."""
    part = ArchivePart.objects.select_related(
        "school",
        "school_class__year",
        "school_class__school",
        "school_class__class_teacher",
        "period",
    ).get(pk=part_id)
    if part.state == State.DONE:
        return "done already"
    ArchivePart.objects.filter(pk=part.pk).update(attempts=part.attempts + 1)
    document = archive_class_document(part.school_class, part.kind, part.period)
    ArchivePart.objects.filter(pk=part.pk).update(state=State.DONE, document=document, error="")
    finish_if_complete(part.build_id)
    return "done"


def fail_part(part_id: int, error: BaseException) -> None:
    text = f"{type(error).__name__}: {error}"[:500]
    ArchivePart.objects.filter(pk=part_id).exclude(state=State.DONE).update(
        state=State.FAILED, error=text
    )


def progress(build) -> dict:
    counts = dict.fromkeys(State.values, 0)
    for state in build.parts.values_list("state", flat=True):
        counts[state] += 1
    return {
        "total": sum(counts.values()),
        "done": counts[State.DONE],
        "failed": counts[State.FAILED],
        "pending": counts[State.PENDING],
    }


@transaction.atomic
def finish_if_complete(build_id: int) -> bool:
    """When every part is done, write the year's manifest, once (under the build's lock)."""
    build = (
        ArchiveBuild.objects.select_for_update().select_related("school", "year").get(pk=build_id)
    )
    if build.finished_at is not None:
        return False
    if build.parts.exclude(state=State.DONE).exists():
        return False
    build.manifest = write_manifest(build.school, build.year)
    build.finished_at = timezone.now()
    build.save(update_fields=["manifest", "finished_at"])
    return True


def manifest_rows(year):
    return (
        ArchiveDocument.objects.filter(year=year)
        .exclude(kind=Kind.MANIFEST)
        .select_related("school_class", "period")
        .order_by("school_class__grade", "school_class__letter", "kind", "period__start", "version")
    )


def write_manifest(school, year) -> ArchiveDocument:
    """The year's опись: every document of the year (every version) with its checksum."""
    listed = [
        {
            "document": d.get_kind_display(),
            "kind": d.kind,
            "class": d.school_class.name if d.school_class_id else "",
            "period": str(d.period) if d.period_id else "",
            "version": d.version,
            "file": d.file.name,
            "sha256": d.sha256,
            "size": d.size,
            "pages": d.pages,
            "signed_by": d.signed_by,
            "retention": d.retention,
            "destroy_after": d.destroy_after.isoformat() if d.destroy_after else None,
            "created_at": d.created_at.isoformat(),
            "destroyed_at": d.destroyed_at.isoformat() if d.destroyed_at else None,
        }
        for d in manifest_rows(year)
    ]
    data = json.dumps(
        {
            "title": _("Опись документов архива"),
            "school": school.name,
            "year": year.name,
            "made_at": timezone.now().isoformat(),
            "documents": listed,
        },
        ensure_ascii=False,
        indent=1,
    ).encode()
    return save_document(school, year, None, Kind.MANIFEST, data, pages=0)
