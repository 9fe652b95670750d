from celery import shared_task

from . import access_log


@shared_task(name="accounts.forget_old_access_records")
def forget_old_access_records() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): records of access to personal data past retention."""
    return access_log.forget_old()
