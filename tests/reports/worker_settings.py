"""Settings of the real Celery worker started by tests/reports/test_digest_worker.py: the
project's settings, with a retried digest waiting one second instead of a minute, and the
tasks a worker queues itself (a check's notices) sent to the test's own queue."""

import os

from config.settings import *  # noqa: F403

DIGEST_RETRY_SECONDS = 1
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("TEST_CELERY_QUEUE", "celery")
