"""seed_demo closes a previous year with 4А's archive built: the deputy opens the journal."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import User
from archive.models import ArchiveBuild, ArchiveDocument

from .builders import pdf_text

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_closed_year_with_its_archive(client):
    call_command("seed_demo", pupils=4, classes=1, grades="5", stdout=StringIO())
    with scopes_disabled():
        build = ArchiveBuild.objects.get()
        year = build.year
        assert year.closed_at is not None and build.finished_at is not None
        journal = ArchiveDocument.objects.get(kind="journal")
        slug = journal.school.slug
    assert journal.school_class.name == "4А" and journal.pages > 5
    client.force_login(User.objects.get(username="deputy"))
    page = client.get(reverse("archive:index", kwargs={"school_slug": slug}), {"year": year.pk})
    assert "классный журнал" in page.content.decode()
    pdf = client.get(reverse("archive:document", kwargs={"school_slug": slug, "pk": journal.pk}))
    text = "\n".join(pdf_text(pdf.content))
    assert "4А класс" in text and "Сложение многозначных чисел" in text
