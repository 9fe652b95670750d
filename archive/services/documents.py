"""The archive's documents of one class for its year, rendered as PDF/A (lib.pdf): the class
journal (journal_pdf), the summary ledger of progress and the attendance ledger (the same
reports the reports' pages show, reports.services)."""

from django.utils.translation import gettext as _

from lib.export import PdfExporter
from lib.pdf import PDF_A, render_pdf
from reports.services.attendance import attendance_ledger
from reports.services.documents import stamp
from reports.services.ledger import progress_ledger

from ..models import ArchiveDocument
from .journal_data import gather
from .journal_pdf import journal_html
from .store import save_document

Kind = ArchiveDocument.Kind


def journal_pdf(school_class) -> bytes:
    return render_pdf(
        journal_html(gather(school_class)),
        variant=PDF_A,
        metadata={"title": _("Классный журнал %(cls)s") % {"cls": school_class.name}},
    )


def ledger_pdf(school_class, kind: str) -> bytes:
    school = school_class.school
    build = progress_ledger if kind == Kind.PROGRESS_LEDGER else attendance_ledger
    report = stamp(build(school, school_class), school)
    return render_pdf(PdfExporter().html(report), variant=PDF_A, metadata={"title": report.title})


def render(school_class, kind: str) -> bytes:
    if kind == Kind.JOURNAL:
        return journal_pdf(school_class)
    if kind in (Kind.PROGRESS_LEDGER, Kind.ATTENDANCE_LEDGER):
        return ledger_pdf(school_class, kind)
    raise ValueError(kind)


def archive_class_document(school_class, kind: str) -> ArchiveDocument:
    """Render one document of the class and file it as a new version."""
    data = render(school_class, kind)
    return save_document(school_class.school, school_class.year, school_class, kind, data)
