"""A year's archive built part by part (tasks run eagerly here; tests/archive/
test_build_worker.py runs them in real workers): the progress counts, a failed part and its
retry from the page, the manifest written once, a rebuild's new versions beside the old."""

import json

import pytest
from django_scopes import scopes_disabled

from accounts.models import Role
from accounts.navigation import school_reverse
from archive.models import ArchiveBuild, ArchiveDocument, ArchivePart
from archive.services import build as builds
from tests.factories import make_member

pytestmark = pytest.mark.django_db(transaction=True)
Kind = ArchiveDocument.Kind


def closed(hand):
    from django.utils import timezone

    with scopes_disabled():
        hand.year.closed_at = timezone.now()
        hand.year.save()
    return hand.year


def test_a_build_files_every_class_s_three_documents_and_one_manifest(hand):
    with scopes_disabled():
        build = builds.do_start_build(closed(hand))
        build.refresh_from_db()
        assert builds.progress(build) == {"total": 9, "done": 9, "failed": 0, "pending": 0}
        assert build.finished_at is not None
        manifest = json.loads(build.manifest.file.open("rb").read())
        listed = {(d["class"], d["kind"]) for d in manifest["documents"]}
        # A school's three kinds (a college's exam ledgers are not a school's).
        three = (Kind.JOURNAL, Kind.PROGRESS_LEDGER, Kind.ATTENDANCE_LEDGER)
        assert listed == {(c, k) for c in ("1А", "5А", "10А") for k in three}
        journal = ArchiveDocument.objects.get(kind=Kind.JOURNAL, school_class=hand.fifth)
        entry = next(d for d in manifest["documents"] if d["file"] == journal.file.name)
        assert (entry["sha256"], entry["pages"]) == (journal.sha256, journal.pages)


def test_a_rebuild_makes_new_versions_and_keeps_the_old(hand):
    with scopes_disabled():
        year = closed(hand)
        builds.do_start_build(year)
        builds.do_start_build(year)
        versions = sorted(
            ArchiveDocument.objects.filter(kind=Kind.JOURNAL, school_class=hand.fifth).values_list(
                "version", flat=True
            )
        )
        assert versions == [1, 2]
        assert ArchiveDocument.objects.filter(kind=Kind.MANIFEST).count() == 2
        # The second manifest lists both versions of every document.
        last = ArchiveBuild.objects.order_by("-started_at").first()
        assert len(json.loads(last.manifest.file.open("rb").read())["documents"]) == 18


def test_a_part_run_again_is_not_redone(hand):
    with scopes_disabled():
        build = builds.do_start_build(closed(hand))
        part = ArchivePart.objects.filter(build=build).first()
        assert builds.run_part(part.pk) == "done already"
        assert (
            ArchiveDocument.objects.filter(kind=part.kind, school_class=part.school_class).count()
            == 1
        )


def test_a_failed_part_is_shown_and_retried_from_the_progress_page(hand, client, monkeypatch):
    from archive.services import documents

    real = documents.render
    broken = {"on": True}

    def render(school_class, kind, period=None):
        if broken["on"] and school_class == hand.fifth and kind == Kind.JOURNAL:
            raise OSError("диск переполнен")
        return real(school_class, kind, period)

    monkeypatch.setattr(documents, "render", render)
    deputy = make_member(hand.school, Role.DEPUTY)
    client.force_login(deputy)
    with scopes_disabled():
        year = closed(hand)
    response = client.post(school_reverse(hand.school, "archive:start_build", pk=year.pk))
    with scopes_disabled():
        build = ArchiveBuild.objects.get()
        assert response.url == school_reverse(hand.school, "archive:build", pk=build.pk)
        assert builds.progress(build) == {"total": 9, "done": 8, "failed": 1, "pending": 0}
        assert build.finished_at is None  # no manifest while a part is missing
        failed = ArchivePart.objects.get(state=ArchivePart.State.FAILED)
    page = client.get(response.url).content.decode()
    assert "Готово 8 из 9, ошибок: 1." in page and "диск переполнен" in page
    assert "Повторить" in page
    broken["on"] = False
    client.post(school_reverse(hand.school, "archive:retry_part", pk=failed.pk))
    with scopes_disabled():
        build.refresh_from_db()
        assert builds.progress(build)["done"] == 9 and build.finished_at is not None
        failed.refresh_from_db()
        assert (failed.state, failed.attempts) == (ArchivePart.State.DONE, 2)
    page = client.get(response.url).content.decode()
    assert "Готово 9 из 9, ошибок: 0." in page and "опись документов составлена" in page
    # A part that did not fail is not queued again.
    with scopes_disabled():
        assert not builds.do_retry_part(failed)


def test_an_open_year_is_not_archived_and_a_running_build_is_not_doubled(hand, client):
    deputy = make_member(hand.school, Role.DEPUTY)
    client.force_login(deputy)
    url = school_reverse(hand.school, "archive:start_build", pk=hand.year.pk)
    response = client.post(url, follow=True)
    assert "Архив собирается только за закрытый учебный год." in response.content.decode()
    with scopes_disabled():
        assert not ArchiveBuild.objects.exists()
        year = closed(hand)
        running = ArchiveBuild.objects.create(school=hand.school, year=year)
    response = client.post(url)
    assert response.url == school_reverse(hand.school, "archive:build", pk=running.pk)
    with scopes_disabled():
        assert ArchiveBuild.objects.count() == 1


def test_the_archive_page_lists_versions_and_the_file_downloads(hand, client):
    with scopes_disabled():
        year = closed(hand)
        builds.do_start_build(year)
        builds.do_start_build(year)
        journal = ArchiveDocument.objects.get(kind=Kind.JOURNAL, school_class=hand.fifth, version=1)
    client.force_login(make_member(hand.school, Role.DIRECTOR))
    page = client.get(school_reverse(hand.school, "archive:index"), {"year": year.pk})
    text = page.content.decode()
    assert text.count("классный журнал") >= 6 and "(прежняя)" in text
    assert "Собрать архив заново" not in text  # the director reads; the deputy builds
    response = client.get(school_reverse(hand.school, "archive:document", pk=journal.pk))
    body = response.content
    assert response["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")
    import hashlib

    assert hashlib.sha256(body).hexdigest() == journal.sha256


def test_the_archive_pages_cost_the_same_queries_at_two_sizes(hand, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_class

    with scopes_disabled():
        year = closed(hand)
    client.force_login(make_member(hand.school, Role.DEPUTY))
    index = school_reverse(hand.school, "archive:index")

    def cost(url, **query):
        client.get(url, query)  # the session and the school's roles read and cached once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, query).status_code == 200
        return len(queries)

    with scopes_disabled():
        first = builds.do_start_build(year)
    small = (
        cost(index, year=year.pk),
        cost(school_reverse(hand.school, "archive:build", pk=first.pk)),
    )
    with scopes_disabled():
        make_class(hand.school, 7, "Б", year=year)
        builds.do_start_build(year)
        last = builds.do_start_build(year)
    large = (
        cost(index, year=year.pk),
        cost(school_reverse(hand.school, "archive:build", pk=last.pk)),
    )
    assert small == large
