"""What /readyz checks: each check answers "ok", "fail" or "off" (not used here)."""

import shutil
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from . import heartbeat

_migrations_applied = False  # once true, true until the next deploy restarts the process


def database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def redis() -> str:
    if not settings.REDIS_URL:
        return "off"
    import redis as redis_lib

    client = redis_lib.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5
    )
    try:
        return "ok" if client.ping() else "fail"
    finally:
        client.close()


def migrations() -> str:
    global _migrations_applied
    if not _migrations_applied:
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        _migrations_applied = not plan
    return "ok" if _migrations_applied else "fail"


def _fresh(at, max_age) -> str:
    return "ok" if at is not None and time.time() - at <= max_age else "fail"


def worker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "off"  # tasks run in the web process: there is no worker to wait for
    return _fresh(heartbeat.last_worker_heartbeat(), settings.READYZ_WORKER_MAX_AGE)


def beat() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "off"
    return _fresh(heartbeat.last_beat_tick(), settings.READYZ_BEAT_MAX_AGE)


def disk() -> str:
    """Free space where media files are written (homework attachments, archives)."""
    path = Path(settings.MEDIA_ROOT)
    while not path.exists() and path != path.parent:
        path = path.parent
    free_mb = shutil.disk_usage(path).free // (1024 * 1024)
    return "ok" if free_mb >= settings.READYZ_MIN_FREE_MB else "fail"


CHECKS = {
    "database": database,
    "redis": redis,
    "migrations": migrations,
    "worker": worker,
    "beat": beat,
    "disk": disk,
}


def run_checks() -> dict[str, str]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception:  # whatever went wrong, the answer is «not ready», never a 500
            results[name] = "fail"
    return results
