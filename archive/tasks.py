"""Background work of the archive: one task per part of a year's build (archive.services.
build). Tasks take primary keys and are queued after commit; a failed part is retried by
Celery (ARCHIVE_RETRIES times, ARCHIVE_RETRY_SECONDS apart), then marked failed for the
progress page's retry."""

from celery import shared_task
from django.conf import settings
from django_scopes import scopes_disabled

from .services import build


@shared_task(bind=True, name="archive.build_part", acks_late=True, reject_on_worker_lost=True)
def build_part(self, part_id: int) -> str:
    with scopes_disabled():
        try:
            return build.run_part(part_id)
        except Exception as error:
            retries = getattr(settings, "ARCHIVE_RETRIES", 2)
            if not self.request.is_eager and self.request.retries < retries:
                countdown = getattr(settings, "ARCHIVE_RETRY_SECONDS", 30)
                raise self.retry(exc=error, countdown=countdown, max_retries=retries) from error
            build.fail_part(part_id, error)
            return "failed"
