"""Retention on a fixed clock: nothing is due before its destroy-after date; the deputy's act
lists what is due; the director's approval files the act for good and only then removes the
files; a document not yet due is never removed, even when put in an act."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django_scopes import scopes_disabled

from accounts.models import Role
from accounts.navigation import school_reverse
from archive.models import ArchiveDocument, Retention
from archive.services.documents import archive_class_document
from archive.services.retention import do_approve_act, do_draw_up_act, due_documents
from tests.factories import make_member

from .builders import pdf_text

pytestmark = pytest.mark.django_db
MOSCOW = ZoneInfo("Europe/Moscow")
Kind = ArchiveDocument.Kind


def at(*args):
    return time_machine.travel(datetime(*args, tzinfo=MOSCOW), tick=False)


@pytest.fixture
def filed(hand):
    with scopes_disabled():
        return {
            "journal": archive_class_document(hand.fifth, Kind.JOURNAL),  # until 31.12.2031
            "ledger": archive_class_document(hand.fifth, Kind.PROGRESS_LEDGER),  # 31.12.2051
        }


def test_nothing_is_due_on_its_last_day_and_the_act_is_refused(hand, filed):
    deputy = make_member(hand.school, Role.DEPUTY)
    with at(2031, 12, 31, 23, 30), scopes_disabled():
        assert list(due_documents(hand.school)) == []
        with pytest.raises(ValidationError, match="Документов с истёкшим сроком хранения нет"):
            do_draw_up_act(hand.school, deputy)


def test_the_act_removes_files_only_when_approved_and_is_kept_for_good(hand, filed, capsys):
    deputy = make_member(hand.school, Role.DEPUTY, last_name="Завучева")
    director = make_member(hand.school, Role.DIRECTOR, last_name="Директорова")
    journal, ledger = filed["journal"], filed["ledger"]
    with at(2032, 1, 1, 9, 0), scopes_disabled():
        assert list(due_documents(hand.school)) == [journal]
        act = do_draw_up_act(hand.school, deputy)
        journal.refresh_from_db()
        assert journal.act == act and journal.destroyed_at is None
        assert journal.file.storage.exists(journal.file.name)  # drawn up, not yet approved
        do_approve_act(act, director)
        journal.refresh_from_db()
        ledger.refresh_from_db()
        act.refresh_from_db()
    assert journal.destroyed_at is not None and not journal.file.storage.exists(journal.file.name)
    assert ledger.destroyed_at is None and ledger.file.storage.exists(ledger.file.name)
    with scopes_disabled():
        pdf = act.pdf
        assert (pdf.kind, pdf.retention, pdf.destroy_after) == (Kind.ACT, Retention.PERMANENT, None)
        text = "\n".join(pdf_text(pdf.file.open("rb").read()))
    assert "Акт № 1 о выделении к уничтожению документов, не подлежащих хранению" in text
    assert "классный журнал 5А" in text and "2025/2026" in text and "31.12.2031" in text
    assert "Директорова" in text and "Завучева" in text
    # The destroyed file is no longer verified; the act's own is.
    call_command("archive_verify")
    assert "с ошибками: 0" in capsys.readouterr().out
    with at(2032, 1, 2), scopes_disabled(), pytest.raises(ValidationError, match="уже утверждён"):
        do_approve_act(act, director)


def test_a_document_not_yet_due_is_never_removed_even_in_an_act(hand, filed):
    deputy = make_member(hand.school, Role.DEPUTY)
    director = make_member(hand.school, Role.DIRECTOR)
    ledger = filed["ledger"]
    with at(2032, 1, 1), scopes_disabled():
        act = do_draw_up_act(hand.school, deputy)
        ArchiveDocument.objects.filter(pk=ledger.pk).update(act=act)  # forged into the act
        with pytest.raises(ValidationError, match="не истёк: хранить до 31.12.2051"):
            do_approve_act(act, director)
        ledger.refresh_from_db()
        act.refresh_from_db()
    assert ledger.destroyed_at is None and ledger.file.storage.exists(ledger.file.name)
    assert act.approved_at is None and filed["journal"].file.storage.exists(
        filed["journal"].file.name
    )


def test_the_deputy_draws_up_and_the_director_approves_on_the_page(hand, filed, client):
    deputy = make_member(hand.school, Role.DEPUTY)
    director = make_member(hand.school, Role.DIRECTOR)
    page = school_reverse(hand.school, "archive:retention")
    with at(2032, 1, 1, 10, 0):
        client.force_login(deputy)
        text = client.get(page).content.decode()
        assert "классный журнал 5А" in text and "Составить акт" in text
        response = client.post(school_reverse(hand.school, "archive:draw_up_act"))
        assert response.status_code == 302
        assert "Ждёт утверждения директором." in client.get(page).content.decode()
        with scopes_disabled():
            act = filed["journal"].__class__.objects.get(pk=filed["journal"].pk).act
        assert (
            client.post(school_reverse(hand.school, "archive:approve_act", pk=act.pk)).status_code
            == 403
        )  # the deputy does not approve
        client.force_login(director)
        client.post(school_reverse(hand.school, "archive:approve_act", pk=act.pk))
        text = client.get(page).content.decode()
    assert "файлы удалены" in text and "Акт (PDF)" in text
