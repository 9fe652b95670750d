"""Settings of the real Celery worker of tests/archive/test_build_worker.py: the project's,
with the flaky archive storage and a retry after one second."""

from config.settings import *  # noqa: F403

STORAGES = {**STORAGES, "archive": {"BACKEND": "tests.archive.flaky_storage.FlakyStorage"}}  # noqa: F405
ARCHIVE_RETRY_SECONDS = 1
