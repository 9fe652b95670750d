"""Tasks queued while the broker is down are kept in the database and sent once it is back.

Every task of the project is queued after its transaction commits (`transaction.on_commit(
lambda: task.delay(pk), robust=True)`). With Redis down, `delay` raises, `robust` logs it
and the task was lost: a message's e-mail notice would never go. OutboxTask, the project's
base task class (config/celery.py), writes such a task to OutboxMessage instead; each
worker's heartbeat (ops.heartbeat) sends what is there every few seconds, deleting each row in
the transaction that sent it, rows locked with SKIP LOCKED so that two workers never send
one row twice. A crash between sending and committing sends a task again: every task of the
project is idempotent (they take primary keys and check the state of their row), so a
duplicate is harmless where a loss would not be.
"""

import logging
import uuid

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

BROKER_DOWN = (BrokerError, RedisConnectionError, RedisTimeoutError, ConnectionError)
BATCH = 100
# apply_async options that are plain data and mean the same when sent later.
KEPT_OPTIONS = ("queue", "routing_key", "priority", "expires", "countdown")


class OutboxTask(Task):
    def apply_async(self, args=None, kwargs=None, task_id=None, **options):
        if self.app.conf.task_always_eager:
            return super().apply_async(args, kwargs, task_id=task_id, **options)
        task_id = task_id or str(uuid.uuid4())
        try:
            return super().apply_async(args, kwargs, task_id=task_id, **options)
        except BROKER_DOWN as error:
            keep(self.name, task_id, args, kwargs, options, error)
            return self.AsyncResult(task_id)


def keep(name, task_id, args, kwargs, options, error) -> None:
    from .models import OutboxMessage

    kept = {key: options[key] for key in KEPT_OPTIONS if options.get(key) is not None}
    if hasattr(kept.get("expires"), "isoformat"):
        kept["expires"] = kept["expires"].isoformat()
    OutboxMessage.objects.get_or_create(
        task_id=task_id,
        defaults={
            "name": name,
            "args": list(args or ()),
            "kwargs": dict(kwargs or {}),
            "options": kept,
            "error": str(error)[:300],
        },
    )
    logger.warning("broker unavailable: task %s[%s] kept in the outbox", name, task_id)


def drain(limit: int = 10 * BATCH) -> int:
    """Send what the outbox holds, oldest first; returns how many were sent."""
    from celery import current_app

    from .models import OutboxMessage

    sent = 0
    while sent < limit:
        with transaction.atomic():
            rows = list(
                OutboxMessage.objects.select_for_update(skip_locked=True).order_by(
                    "created_at", "pk"
                )[:BATCH]
            )
            if not rows:
                break
            for row in rows:
                # send_task, not the task class: a row's task needs no import here, and
                # a broker still down raises and rolls the batch back, rows kept.
                current_app.send_task(
                    row.name, args=row.args, kwargs=row.kwargs, task_id=row.task_id, **row.options
                )
            OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]).delete()
            sent += len(rows)
    if sent:
        logger.warning("outbox: %s tasks sent after the broker came back", sent)
    return sent
