"""Signs of life of the Celery worker and of beat, for /readyz.

The worker: a thread started when the worker is ready writes the time every few seconds
(and empties the outbox of tasks the web could not queue while the broker was down, see
ops.outbox). Beat: its scheduler writes the time of every tick; beat wakes at least once a
CELERY_BEAT_MAX_LOOP_INTERVAL. Both go to the cache, which is Redis in production: with
Redis down there is no heartbeat to read, and /readyz says so.
"""

import logging
import threading
import time

from celery import signals
from celery.beat import PersistentScheduler
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)

WORKER_KEY = "ops:heartbeat:worker"
BEAT_KEY = "ops:heartbeat:beat"
WORKER_INTERVAL = 10  # seconds between two heartbeats of a worker
KEPT = 24 * 60 * 60  # a heartbeat older than /readyz accepts still says when it was


def beat_seen(at: float | None = None) -> None:
    cache.set(BEAT_KEY, at or time.time(), KEPT)


def worker_seen(hostname: str, at: float | None = None) -> None:
    cache.set(WORKER_KEY, {"at": at or time.time(), "host": hostname}, KEPT)


def last_worker_heartbeat() -> float | None:
    found = cache.get(WORKER_KEY)
    return found["at"] if found else None


def last_beat_tick() -> float | None:
    return cache.get(BEAT_KEY)


class Scheduler(PersistentScheduler):
    """celery beat's default scheduler, writing the time of each tick (CELERY_BEAT_SCHEDULER)."""

    def tick(self, *args, **kwargs):
        try:
            beat_seen()
        except Exception:  # the heartbeat must never stop the schedule
            logger.exception("beat heartbeat not written")
        return super().tick(*args, **kwargs)


class _WorkerHeartbeat(threading.Thread):
    def __init__(self, hostname: str):
        super().__init__(name="ops-heartbeat", daemon=True)
        self.hostname = hostname
        self.stopping = threading.Event()

    def run(self):
        from .outbox import drain

        while not self.stopping.is_set():
            try:
                worker_seen(self.hostname)
                drain()
            except Exception:  # a broken round must not end the heartbeat
                logger.exception("worker heartbeat round failed")
            finally:
                connection.close()  # this thread's own connection: not held between rounds
            self.stopping.wait(WORKER_INTERVAL)


_running: list[_WorkerHeartbeat] = []


@signals.worker_ready.connect(dispatch_uid="ops.heartbeat.start")
def start_heartbeat(sender=None, **kwargs):
    hostname = getattr(sender, "hostname", "") or "worker"
    thread = _WorkerHeartbeat(hostname)
    thread.start()
    _running.append(thread)


@signals.worker_shutdown.connect(dispatch_uid="ops.heartbeat.stop")
def stop_heartbeat(**kwargs):
    while _running:
        _running.pop().stopping.set()
