"""The archive's documents of one class for its year, rendered as PDF/A and registered as the
year's kinds (kinds.register): the class journal (journal_pdf, written by lib.text_pdf) — a
college group's one per semester —, the summary ledger of progress and the attendance ledger
(the same reports the reports' pages show, reports.services, laid out by lib.pdf)."""

from lib.export import PdfExporter
from lib.pdf import PDF_A, render_pdf
from reports.services.attendance import attendance_ledger
from reports.services.documents import stamp
from reports.services.ledger import progress_ledger

from ..models import ArchiveDocument
from . import (
    exam_ledgers,  # noqa: F401  (registers the college's exam ledgers)
    kinds,
)
from . import journal_pdf as journal_layout
from .journal_data import gather
from .store import save_document

Kind = ArchiveDocument.Kind


def journal_pdf(school_class, period=None) -> bytes:
    journal = gather(school_class, period)
    return journal_layout.journal_pdf(journal)


def ledger_pdf(school_class, kind: str) -> bytes:
    school = school_class.school
    build = progress_ledger if kind == Kind.PROGRESS_LEDGER else attendance_ledger
    report = stamp(build(school, school_class), school)
    return render_pdf(PdfExporter().html(report), variant=PDF_A, metadata={"title": report.title})


kinds.register(kinds.DocumentKind(Kind.JOURNAL, kinds.semesters_of_a_college, journal_pdf))
for _ledger in (Kind.PROGRESS_LEDGER, Kind.ATTENDANCE_LEDGER):
    kinds.register(
        kinds.DocumentKind(
            _ledger,
            kinds.whole_year,
            lambda school_class, _period, k=_ledger: ledger_pdf(school_class, k),
        )
    )


def render(school_class, kind: str, period=None) -> bytes:
    return kinds.render(school_class, kind, period)


def archive_class_document(school_class, kind: str, period=None) -> ArchiveDocument:
    """Render one document of the class (of one period, or the year) and file it as a new
    version."""
    data = render(school_class, kind, period)
    return save_document(
        school_class.school, school_class.year, school_class, kind, data, period=period
    )


def archive_class(school_class) -> list[ArchiveDocument]:
    """Every document of the class, one after the other (the demo; the bench's build)."""
    return [
        archive_class_document(school_class, kind, period)
        for kind, _class, period in kinds.parts_of(school_class.year, [school_class])
    ]
