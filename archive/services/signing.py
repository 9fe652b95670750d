"""The school's signature on the archive's PDFs: PAdES baseline B (pyHanko), made with the
certificate in ARCHIVE_SIGNING_PKCS12 (its password in ARCHIVE_SIGNING_PASSWORD). Unset, the
documents are filed unsigned.

The signature is an incremental update of the PDF/A, which PDF/A allows: the first revision
stays byte for byte, and pyHanko updates the XMP metadata it finds (so `pdfaid` stays)."""

import io
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

FIELD = "Подпись"


class SigningError(RuntimeError):
    """The signing certificate cannot be used; the message is for the administrator."""


def configured() -> bool:
    return bool(settings.ARCHIVE_SIGNING_PKCS12)


def signer():
    """The loaded signer, or None when signing is not configured. Raises SigningError."""
    if not configured():
        return None
    path = Path(settings.ARCHIVE_SIGNING_PKCS12)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        raise SigningError(
            _("Файл сертификата подписи архива ARCHIVE_SIGNING_PKCS12 «%(path)s» не найден.")
            % {"path": path}
        ) from None
    return _load(str(path), stamp, settings.ARCHIVE_SIGNING_PASSWORD)


@lru_cache(maxsize=4)
def _load(path: str, _stamp: int, password: str):
    # Keyed by the file's mtime too: a renewed certificate is read again without a restart.
    from pyhanko.sign import signers

    try:
        return signers.SimpleSigner.load_pkcs12_data(
            Path(path).read_bytes(), other_certs=None, passphrase=password.encode() or None
        )
    except (ValueError, TypeError):
        raise SigningError(
            _(
                "Не удалось открыть сертификат подписи архива «%(path)s»: неверный пароль "
                "ARCHIVE_SIGNING_PASSWORD или повреждённый файл PKCS#12."
            )
            % {"path": path}
        ) from None


def subject_name(certificate) -> str:
    """Whose certificate: its subject's common name (the whole subject when it has none)."""
    subject = certificate.subject.native
    return subject.get("common_name") or certificate.subject.human_friendly


def sign(data: bytes, school) -> tuple[bytes, str]:
    """(the signed PDF, the certificate's subject CN); the bytes unchanged and "" when
    signing is not configured."""
    loaded = signer()
    if loaded is None:
        return data, ""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(
        field_name=FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=_("Архивный экземпляр документа: %(school)s") % {"school": school.name},
        location=school.name,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    signed = signers.sign_pdf(writer, meta, signer=loaded)
    return signed.getvalue(), subject_name(loaded.signing_cert)


def validates(data: bytes) -> bool:
    """Whether the file's signature is intact, made by the configured certificate and covers
    the whole file. Anything that cannot be read as a signature does not validate."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    loaded = signer()
    context = ValidationContext(trust_roots=[loaded.signing_cert])
    try:
        signatures = PdfFileReader(io.BytesIO(data)).embedded_signatures
        if len(signatures) != 1:
            return False
        status = validate_pdf_signature(signatures[0], context)
    except Exception:  # a damaged file fails in many ways (xref, ASN.1, digest): all say «no»
        return False
    return status.bottom_line and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
