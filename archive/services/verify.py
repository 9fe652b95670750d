"""Checking the archive: every kept document's file is re-read and re-hashed; a signed file's
signature is validated too when signing is configured (its certificate is the trust root)."""

import hashlib
from dataclasses import dataclass

from ..models import ArchiveDocument
from . import signing


@dataclass
class Problem:
    document: ArchiveDocument
    what: str  # «missing», «mismatch» or «signature»


def verify(documents=None):
    """(documents checked, [Problem]) over the kept (not destroyed) documents."""
    if documents is None:
        documents = ArchiveDocument.objects.filter(destroyed_at__isnull=True)
    check_signatures = signing.configured()
    if check_signatures:
        signing.signer()  # a certificate that cannot be opened stops the check before it runs
    checked, problems = 0, []
    for document in documents.select_related("school_class").order_by("pk").iterator():
        checked += 1
        storage = document.file.storage
        if not storage.exists(document.file.name):
            problems.append(Problem(document, "missing"))
            continue
        signed = check_signatures and bool(document.signed_by)
        digest, kept = hashlib.sha256(), []
        with storage.open(document.file.name, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
                if signed:
                    kept.append(chunk)
        if digest.hexdigest() != document.sha256:
            problems.append(Problem(document, "mismatch"))
        elif signed and not signing.validates(b"".join(kept)):
            # The checksum agrees (it was recorded again after a change): only the
            # signature tells.
            problems.append(Problem(document, "signature"))
    return checked, problems
