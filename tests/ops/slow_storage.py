"""A backup storage that writes slowly and says what it is writing, so that a test can kill
the worker while a backup is half-written (tests/ops/test_worker_killed.py)."""

import os
import time
from pathlib import Path

from django.core.files.storage import FileSystemStorage


class SlowStorage(FileSystemStorage):
    def _save(self, name, content):
        signals = Path(os.environ["BACKUP_SIGNAL_DIR"])
        part = Path(name).name
        (signals / f"saving-{part}-{os.getpid()}").touch()
        time.sleep(float(os.environ.get("BACKUP_SAVE_DELAY", "1")))
        saved = super()._save(name, content)
        (signals / f"saved-{part}-{os.getpid()}").touch()
        return saved
