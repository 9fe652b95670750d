"""Settings of the real Celery worker started by tests/reports/test_digest_worker.py: the
project's settings, with a retried digest waiting one second instead of a minute."""

from config.settings import *  # noqa: F403

DIGEST_RETRY_SECONDS = 1
