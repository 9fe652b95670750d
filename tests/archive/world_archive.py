"""The permission World's archive: a build of each school's year with a failed part, and a
document (a small file in the tests' in-memory archive storage)."""

from django.core.files.base import ContentFile
from django_scopes import scopes_disabled

from archive.models import ArchiveBuild, ArchiveDocument, ArchivePart, DestructionAct, Retention


def _archive(school, year, school_class, prefix, user):
    build = ArchiveBuild.objects.create(school=school, year=year)
    part = ArchivePart.objects.create(
        school=school,
        build=build,
        kind=ArchiveDocument.Kind.JOURNAL,
        school_class=school_class,
        state=ArchivePart.State.FAILED,
        error="OSError",
    )
    document = ArchiveDocument(
        school=school,
        year=year,
        school_class=school_class,
        kind=ArchiveDocument.Kind.JOURNAL,
        sha256="0" * 64,
        size=9,
        pages=1,
        retention=Retention.JOURNAL,
    )
    document.file.save(f"{prefix}-journal.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    document.save()
    # An act drawn up with no documents in it: approving it is refused (400), nothing goes.
    act = DestructionAct.objects.create(school=school, number=1, drawn_up_by=user)
    return {
        f"{prefix}_build": build,
        f"{prefix}_part": part,
        f"{prefix}_document": document,
        f"{prefix}_act": act,
    }


def build(school, other_school, users, objects):
    with scopes_disabled():
        objects.update(
            _archive(school, objects["year"], objects["own_class"], "own", users["deputy"])
        )
        objects.update(
            _archive(
                other_school,
                objects["foreign_year"],
                objects["foreign_class"],
                "foreign",
                users["foreign_admin"],
            )
        )
