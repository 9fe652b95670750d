"""Background work of reports: the hourly tick, weekly digests and final-mark notices.

Tasks take primary keys, are queued after commit and are idempotent (see
reports.services.digest for the exactly-once argument of the digest).
"""

from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction

from accounts.models import School

from .services import activity_mail, control, control_mail, digest, notices, risk


def _queue_digests(ids) -> None:
    ids = list(ids)
    if not ids:
        return
    digest.mark_queued(ids)
    for delivery_id in ids:
        send_digest.delay(delivery_id)


@shared_task(name="reports.tick")
def tick(redispatch_after_seconds: int | None = None) -> dict:
    """Hourly (CELERY_BEAT_SCHEDULE): plan the digests of schools whose moment has come,
    queue again digests left PENDING (a lost message, a dead worker), and send the notices of
    final marks written without a signal (bulk writes)."""
    planned = 0
    for school, week in digest.due_weeks():
        ids = digest.plan_week(school, week)
        planned += len(ids)
        _queue_digests(ids)  # plan_week has committed: the rows exist for the workers
    after = (
        digest.REDISPATCH_AFTER
        if redispatch_after_seconds is None
        else timedelta(seconds=redispatch_after_seconds)
    )
    stale = digest.stale_deliveries(after=after)
    _queue_digests(stale)
    swept = notices.unnoticed_final_marks()
    for final_mark_id in swept:
        notify_final_mark.delay(final_mark_id)
    # The week before's activity reports (002 §7.1), by the platform's day (a new school's
    # zone): planned once, the unsent ones queued.
    activity = activity_mail.plan_week(activity_mail.last_week(School().today()))
    for delivery_id in activity:
        transaction.on_commit(lambda pk=delivery_id: send_activity_report.delay(pk))
    return {
        "planned": planned,
        "requeued": len(stale),
        "final_marks": len(swept),
        "activity_reports": len(activity),
    }


@shared_task(name="reports.send_activity_report", acks_late=True)
def send_activity_report(delivery_id: int) -> bool:
    return activity_mail.send(delivery_id)


@shared_task(
    bind=True,
    name="reports.send_digest",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=digest.MAX_ATTEMPTS,
)
def send_digest(self, delivery_id: int) -> str:
    outcome = digest.deliver(delivery_id)
    if outcome == digest.RETRY:
        # Back off: 1, 2, 4, 8 minutes by default (DIGEST_RETRY_SECONDS is the first wait).
        first = getattr(settings, "DIGEST_RETRY_SECONDS", 60)
        raise self.retry(countdown=first * 2**self.request.retries)
    return outcome


@shared_task(name="reports.notify_final_mark", acks_late=True)
def notify_final_mark(final_mark_id: int) -> int:
    return notices.notify_final_mark(final_mark_id)


@shared_task(name="reports.control_tick")
def control_tick() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): queue the check of each school whose hour has come
    (Regulation.control_hour) and whose day is not checked yet; plan (again) the mails of the
    schools checked today — planning is idempotent and queues only what is still unsent."""
    due = control.due_checks()
    for school_id, day in due:
        check_school.delay(school_id, day.isoformat(), True)
    for school_id, day in control_mail.due_mails():
        control_mail.plan(school_id, day)
    return len(due)


@shared_task(name="reports.check_school", acks_late=True, reject_on_worker_lost=True)
def check_school(school_id: int, on: str | None = None, evening: bool = False) -> dict:
    """The check of one school (reports.services.control): idempotent, safe twice at once.
    The evening's check (queued by the tick at the school's hour) plans the day's mails."""
    result = control.do_check_school(school_id, date.fromisoformat(on) if on else None)
    if evening:
        control_mail.plan(school_id, result.on)
    return {"run": result.run, "open": result.open, "closed": result.closed}


@shared_task(name="reports.notify_risk", acks_late=True)
def notify_risk(entry_id: int) -> int:
    """The notice of a pupil entering the list of pupils at risk: claimed, sent once."""
    return risk.notify_risk(entry_id)


@shared_task(name="reports.send_control_mail", acks_late=True, reject_on_worker_lost=True)
def send_control_mail(mail_id: int) -> str:
    """One weekly summary or teacher's reminder (reports.services.control_mail): once."""
    return control_mail.send(mail_id)
