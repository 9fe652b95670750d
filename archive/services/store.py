"""Writing the archive's documents: each PDF/A through the archive storage, with its
SHA-256, size, page count, retention class and the last day it must be kept.

Retention is counted as archives count it: from 1 January of the year after the school year
ends, for the regulation's number of years (a journal of 2025/2026, kept 5 years, is kept
until 31.12.2031 and may be destroyed from 01.01.2032).
"""

import hashlib
import io
from datetime import date

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max

from ..models import ArchiveDocument, Retention
from . import signing

Kind = ArchiveDocument.Kind


def retention_of(kind: str, school_class, school) -> str:
    if kind == Kind.JOURNAL:
        return Retention.JOURNAL
    if kind == Kind.PROGRESS_LEDGER:
        # The classes whose pupils finish with the year (a college's last course, 002 §6.3):
        # their summary ledger is the graduation ledger, kept 75 years (Росархив № 236, ст. 696).
        if school_class is not None and school_class.graduates(school.kind):
            return Retention.GRADUATION
        return Retention.LEDGER
    if kind in (Kind.ATTENDANCE_LEDGER, Kind.EXAM_LEDGERS):
        # 002 §8 names no term for the зачётно-экзаменационные ведомости (§6.2 speaks of the
        # summary ledgers): they are kept as the summary ledger is, by the school's setting.
        return Retention.LEDGER
    return Retention.PERMANENT


def destroy_after(school, year, retention: str) -> date | None:
    if retention == Retention.PERMANENT:
        return None
    years = school.regulation.retention_years(retention)
    return date(year.end.year + years, 12, 31)


def page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_name(kind: str, school_class, version: int, period=None) -> str:
    who = f"-{school_class.grade}{school_class.letter}" if school_class is not None else ""
    if period is not None:
        who += f"-{period.kind}{period.number}"
    if kind == Kind.MANIFEST:
        return f"manifest-v{version}.json"
    return f"{kind}{who}-v{version}.pdf"


def save_document(school, year, school_class, kind: str, data: bytes, *, pages=None, period=None):
    """A new version of the document (the old ones stay listed). The version is the next
    free number: two builds saving at once both succeed, one after the other. A PDF is
    signed first when signing is configured (signing.sign): checksum, size and pages are
    the signed file's."""
    signed_by = ""
    if kind != Kind.MANIFEST:
        data, signed_by = signing.sign(data, school)
    retention = retention_of(kind, school_class, school)
    pages = page_count(data) if pages is None else pages
    for _attempt in range(5):
        last = ArchiveDocument.objects.filter(
            school=school, year=year, kind=kind, school_class=school_class, period=period
        ).aggregate(v=Max("version"))["v"]
        version = (last or 0) + 1
        document = ArchiveDocument(
            school=school,
            year=year,
            school_class=school_class,
            kind=kind,
            period=period,
            version=version,
            sha256=sha256(data),
            size=len(data),
            pages=pages,
            signed_by=signed_by,
            retention=retention,
            destroy_after=destroy_after(school, year, retention),
        )
        name = file_name(kind, school_class, version, period)
        document.file.save(name, ContentFile(data), save=False)
        try:
            with transaction.atomic():
                document.save()
            return document
        except IntegrityError:
            document.file.delete(save=False)  # another build took the number: try the next
    raise RuntimeError("no free version number for an archive document")


def latest(documents):
    """The newest version of each document of a list (ordered as the model orders them)."""
    found = {}
    for document in documents:
        key = (document.year_id, document.kind, document.school_class_id, document.period_id)
        if key not in found or found[key].version < document.version:
            found[key] = document
    return list(found.values())
