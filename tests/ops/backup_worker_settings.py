"""Settings of the Celery worker of tests/ops/test_worker_killed.py: backups go to a slow
storage, and a message left unacknowledged by a killed worker comes back after 5 s (in
production the visibility timeout is Redis's default hour, longer than any backup)."""

import os

from tests.ops.server_settings import *  # noqa: F403

STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "backups": {
        "BACKEND": "tests.ops.slow_storage.SlowStorage",
        "OPTIONS": {"location": os.environ["BACKUP_DIR"]},
    },
}
BACKUP_STORAGES = ["backups"]
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 5,
    "unacked_restore_interval": 2,  # look for such messages every 2 s (10 × 10 s by default)
    "unacked_restore_throttle": 1,
}
