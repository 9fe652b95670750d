"""The archive storage of the worker test: a folder, which refuses the first save of a file
whose name holds ARCHIVE_FAIL_ONCE (as a full disk or a bucket's outage would), once."""

import os
from pathlib import Path

from django.core.files.storage import FileSystemStorage


class FlakyStorage(FileSystemStorage):
    def _save(self, name, content):
        wanted = os.environ.get("ARCHIVE_FAIL_ONCE", "")
        marker = Path(os.environ.get("ARCHIVE_FAIL_MARKER_DIR", "/nonexistent")) / "failed"
        if wanted and wanted in name and not marker.exists():
            marker.write_text(name)
            raise OSError(f"storage unavailable for {name}")
        return super()._save(name, content)
