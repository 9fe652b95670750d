"""A final mark set or changed: its notice goes to the parents after commit."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from grading.models import FinalMark


@receiver(post_save, sender=FinalMark, dispatch_uid="reports.final_mark_notice")
def final_mark_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from .tasks import notify_final_mark

    final_mark_id = instance.pk
    # robust: a broker outage must not fail the teacher's save; the hourly tick catches up.
    transaction.on_commit(lambda: notify_final_mark.delay(final_mark_id), robust=True)
