"""archive_verify re-hashes every kept file: silent and 0 when all agree, ≠ 0 and naming
the document when a file is altered or removed."""

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from archive.models import ArchiveDocument
from archive.services.documents import archive_class_document
from tests.archive.verify_command import run_verify

pytestmark = pytest.mark.django_db
Kind = ArchiveDocument.Kind


@pytest.fixture
def filed(hand):
    with scopes_disabled():
        return [
            archive_class_document(hand.fifth, Kind.PROGRESS_LEDGER),
            archive_class_document(hand.fifth, Kind.ATTENDANCE_LEDGER),
        ]


def test_an_intact_archive_verifies(filed, capsys):
    code, out, err = run_verify(capsys)
    assert (code, err) == (0, "")
    assert "Проверено документов: 2, с ошибками: 0" in out


def test_an_altered_file_is_a_mismatch(filed, capsys):
    from pathlib import Path

    path = Path(filed[0].file.path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit
    path.write_bytes(bytes(data))
    code, out, err = run_verify(capsys)
    assert code == 1
    assert f"MISMATCH {filed[0].file.name}" in err and filed[1].file.name not in err
    assert "с ошибками: 1" in out


def test_a_removed_file_is_missing(filed, capsys):
    filed[1].file.storage.delete(filed[1].file.name)
    code, _out, err = run_verify(capsys)
    assert code == 1 and f"MISSING {filed[1].file.name}" in err


def test_another_school_is_left_out_when_asked(filed, capsys):
    from tests.factories import make_school

    other = make_school()
    filed[1].file.storage.delete(filed[1].file.name)
    assert run_verify(capsys, "--school", other.slug)[0] == 0
    assert run_verify(capsys, "--school", filed[1].school.slug)[0] == 1
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("archive_verify", "--school", "nope")
