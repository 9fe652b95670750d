from celery import shared_task

from .backups import services


@shared_task(name="ops.nightly_backup", acks_late=True, reject_on_worker_lost=True)
def nightly_backup() -> str:
    """CELERY_BEAT_SCHEDULE, nightly. Acknowledged only when done: a worker killed half-way
    leaves the message to be delivered again, and the run that follows makes the night's
    backup once (services.nightly), deleting what the killed one left unfinished."""
    return services.nightly()
