"""Checking the archive: every kept document's file is re-read and re-hashed."""

import hashlib
from dataclasses import dataclass

from ..models import ArchiveDocument


@dataclass
class Problem:
    document: ArchiveDocument
    what: str  # «missing» or «mismatch»


def verify(documents=None):
    """(documents checked, [Problem]) over the kept (not destroyed) documents."""
    if documents is None:
        documents = ArchiveDocument.objects.filter(destroyed_at__isnull=True)
    checked, problems = 0, []
    for document in documents.select_related("school_class").order_by("pk").iterator():
        checked += 1
        storage = document.file.storage
        if not storage.exists(document.file.name):
            problems.append(Problem(document, "missing"))
            continue
        digest = hashlib.sha256()
        with storage.open(document.file.name, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        if digest.hexdigest() != document.sha256:
            problems.append(Problem(document, "mismatch"))
    return checked, problems
