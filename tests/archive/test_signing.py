"""The school's PAdES signature on the archive's PDFs (archive.services.signing): a key and a
self-signed certificate made here in a PKCS#12; the signed file stays PDF/A, its checksum is
the signed file's, archive_verify validates the signature; unset settings file documents
unsigned; a wrong password is a Russian error at start-up and on the build's part."""

import hashlib
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.management import call_command
from django.core.management.base import CommandError
from django_scopes import scopes_disabled
from pyhanko.pdf_utils.reader import PdfFileReader

from archive.checks import signing_certificate_opens
from archive.models import ArchiveDocument, ArchivePart
from archive.services import signing
from archive.services.documents import archive_class_document, render
from tests.archive.verify_command import run_verify

pytestmark = pytest.mark.django_db
Kind = ArchiveDocument.Kind
PASSWORD = "секрет-123"


def make_pkcs12(folder: Path, common_name: str, password: str = PASSWORD) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "RU"),
        ]
    )
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    path = folder / f"{abs(hash(common_name))}.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"school",
            key,
            certificate,
            None,
            serialization.BestAvailableEncryption(password.encode()),
        )
    )
    return path


@pytest.fixture
def certificate(tmp_path):
    return make_pkcs12(tmp_path, "МБОУ «Школа № 1» (проверка)")


@pytest.fixture
def signing_on(settings, certificate):
    settings.ARCHIVE_SIGNING_PKCS12 = str(certificate)
    settings.ARCHIVE_SIGNING_PASSWORD = PASSWORD
    return certificate


def filed(hand, kind=Kind.PROGRESS_LEDGER):
    with scopes_disabled():
        return archive_class_document(hand.fifth, kind)


def stored(document) -> bytes:
    with document.file.open("rb") as f:
        return f.read()


def test_a_document_is_filed_signed_by_the_school_s_certificate(hand, signing_on):
    document = filed(hand)
    data = stored(document)
    assert document.signed_by == "МБОУ «Школа № 1» (проверка)"
    assert (document.sha256, document.size) == (hashlib.sha256(data).hexdigest(), len(data))
    [signature] = PdfFileReader(io.BytesIO(data)).embedded_signatures
    assert signature.field_name == "Подпись"
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert hand.school.name in str(signature.sig_object["/Reason"])
    assert str(signature.sig_object["/Location"]) == hand.school.name
    assert signing.validates(data)


def test_the_signed_file_stays_pdf_a_with_its_first_revision_untouched(hand, signing_on):
    from pypdf import PdfReader

    with scopes_disabled():
        original = render(hand.fifth, Kind.JOURNAL)
        signed, _who = signing.sign(original, hand.school)
    assert signed.startswith(original) and len(signed) > len(original)
    reader = PdfReader(io.BytesIO(signed))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "pdfaid:part" in xmp and "pdfaid:conformance" in xmp
    assert len(reader.pages) == len(PdfReader(io.BytesIO(original)).pages)


def test_archive_verify_passes_on_signed_files(hand, signing_on, capsys):
    filed(hand)
    filed(hand, Kind.ATTENDANCE_LEDGER)
    code, out, err = run_verify(capsys)
    assert (code, err) == (0, "")
    assert "Проверено документов: 2, с ошибками: 0" in out


def test_an_altered_byte_with_its_checksum_recorded_again_breaks_the_signature(
    hand, signing_on, capsys
):
    document, intact = filed(hand), filed(hand, Kind.ATTENDANCE_LEDGER)
    path = Path(document.file.path)
    data = bytearray(path.read_bytes())
    data[2000] ^= 0x01  # one bit of the signed first revision
    path.write_bytes(bytes(data))
    assert not signing.validates(bytes(data))
    # Without the checksum recorded again it is a mismatch, as for an unsigned file.
    code, _out, err = run_verify(capsys)
    assert code == 1 and f"MISMATCH {document.file.name}" in err
    with scopes_disabled():
        ArchiveDocument.objects.filter(pk=document.pk).update(
            sha256=hashlib.sha256(data).hexdigest()
        )
    code, out, err = run_verify(capsys)
    assert code == 1
    assert f"SIGNATURE {document.file.name}" in err and "подпись недействительна" in err
    assert intact.file.name not in err and "с ошибками: 1" in out


def test_a_file_signed_by_another_certificate_does_not_validate(
    hand, signing_on, settings, tmp_path, capsys
):
    document = filed(hand)
    settings.ARCHIVE_SIGNING_PKCS12 = str(make_pkcs12(tmp_path, "Чужая организация"))
    assert not signing.validates(stored(document))
    code, _out, err = run_verify(capsys)
    assert code == 1 and f"SIGNATURE {document.file.name}" in err


def test_unset_settings_file_documents_unsigned(hand, settings, capsys):
    settings.ARCHIVE_SIGNING_PKCS12 = ""
    document = filed(hand)
    assert document.signed_by == ""
    assert PdfFileReader(io.BytesIO(stored(document))).embedded_signatures == []
    assert signing_certificate_opens() == []
    assert run_verify(capsys)[0] == 0


def test_a_wrong_password_is_a_russian_error_at_start_up(settings, signing_on):
    assert signing_certificate_opens() == []
    settings.ARCHIVE_SIGNING_PASSWORD = "не тот"
    [error] = signing_certificate_opens()
    assert error.id == "archive.E001"
    assert "неверный пароль ARCHIVE_SIGNING_PASSWORD" in error.msg
    with pytest.raises(CommandError, match="неверный пароль"):
        call_command("archive_verify")


def test_a_missing_certificate_file_is_named_at_start_up(settings, tmp_path):
    settings.ARCHIVE_SIGNING_PKCS12 = str(tmp_path / "нет.p12")
    [error] = signing_certificate_opens()
    assert "не найден" in error.msg and "нет.p12" in error.msg


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_fails_the_build_s_parts_with_the_russian_message(
    hand, settings, signing_on
):
    from django.utils import timezone

    from archive.services import build as builds
    from schedule.models import SchoolClass

    settings.ARCHIVE_SIGNING_PASSWORD = "не тот"
    with scopes_disabled():
        hand.year.closed_at = timezone.now()
        hand.year.save()
        build = builds.do_start_build(
            hand.year, classes=SchoolClass.objects.filter(pk=hand.fifth.pk)
        )
        parts = list(ArchivePart.objects.filter(build=build))
        assert parts and {p.state for p in parts} == {ArchivePart.State.FAILED}
        assert all("неверный пароль" in p.error for p in parts)
        assert not ArchiveDocument.objects.filter(school_class=hand.fifth).exists()


@pytest.mark.django_db(transaction=True)
def test_the_manifest_and_the_archive_page_name_whose_certificate_signed(hand, signing_on, client):
    import json

    from django.utils import timezone

    from accounts.models import Role
    from accounts.navigation import school_reverse
    from archive.services import build as builds
    from schedule.models import SchoolClass
    from tests.factories import make_member

    with scopes_disabled():
        hand.year.closed_at = timezone.now()
        hand.year.save()
        build = builds.do_start_build(
            hand.year, classes=SchoolClass.objects.filter(pk=hand.fifth.pk)
        )
        build.refresh_from_db()
        manifest = build.manifest
        listed = json.loads(stored(manifest))["documents"]
    assert manifest.signed_by == ""  # the JSON opis is not a PDF
    assert listed and {d["signed_by"] for d in listed} == {"МБОУ «Школа № 1» (проверка)"}
    client.force_login(make_member(hand.school, Role.DIRECTOR))
    page = client.get(school_reverse(hand.school, "archive:index"), {"year": hand.year.pk})
    assert page.content.decode().count("МБОУ «Школа № 1» (проверка)") == len(listed)
