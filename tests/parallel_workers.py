"""Each pytest-xdist worker gets a Redis database of its own, as pytest-django gives each a
PostgreSQL test database of its own (``test_<name>_gw0`` …): tests clear the cache, count
rate limits and publish to Celery queues, and two processes on one database would see each
other's keys.

Loaded with ``-p tests.parallel_workers`` (``scripts/test``) rather than from a conftest:
pytest-django sets Django up, and settings read ``REDIS_URL``, before any conftest is
imported. xdist names its workers before that (``PYTEST_XDIST_WORKER``).
"""

import os

REDIS_DATABASES = 16  # Redis's default number of databases


def worker_redis_url(url: str, worker: str) -> str:
    """``redis://host:port/N`` for worker ``gwK`` → database ``(N + K) mod 16``."""
    base, _, database = url.rpartition("/")
    if not database.isdigit():  # no database named: Redis's 0
        base, database = url.rstrip("/"), "0"
    number = (int(database) + int(worker.removeprefix("gw"))) % REDIS_DATABASES
    return f"{base}/{number}"


_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and os.environ.get("REDIS_URL") and "SUITE_REDIS_URL" not in os.environ:
    os.environ["SUITE_REDIS_URL"] = os.environ["REDIS_URL"]
    os.environ["REDIS_URL"] = worker_redis_url(os.environ["REDIS_URL"], _worker)
