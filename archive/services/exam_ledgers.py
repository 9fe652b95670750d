"""The college's зачётно-экзаменационные ведомости in the year's archive: one PDF/A per group
and semester holding the ledger of every assessment of that group's session, retakes beside
the session's marks, each with the commission's signature lines.

One document per group and semester, not one per assessment: the paper archive stitches the
ledgers (002 §8, item 6.2: «выводятся на печать…, прошиваются, подписываются директором»), and
a semester's session is what the regulation files together (§3.2). The ledgers themselves are
grading's (build_ledger, ledger_report), so the archive shows what the live ledger shows.
"""

from django.utils.translation import gettext as _

from accounts.models import School
from grading.models import Assessment
from grading.services import sessions
from lib.export import INTEGER, TEXT, Column, PdfExporter, Report, Row
from lib.pdf import PDF_A, render_pdf

from ..models import ArchiveDocument
from . import kinds

Kind = ArchiveDocument.Kind

# Each ledger begins a sheet of its own, as the paper ledgers are separate sheets.
SHEET_PER_LEDGER = "<style>h2 { break-before: page; }</style></head>"


def college_semesters(periods, school_class):
    """A college group's semesters; a school's class files no exam ledgers."""
    if school_class.school.kind != School.Kind.COLLEGE:
        return []
    return [p for p in kinds.semesters_of_a_college(periods, school_class) if p is not None]


def semesters_with_assessments(periods, classes) -> set:
    """(class pk, period pk) of every group and semester that held an assessment (one query)."""
    return set(
        Assessment.objects.filter(
            course__school_class__in=[c.pk for c in classes],
            session__period__in=[p.pk for p in periods],
        ).values_list("course__school_class_id", "session__period_id")
    )


def exam_ledgers_report(school_class, period) -> Report:
    """A list of the semester's assessments, then each one's ledger as a part."""
    assessments = sessions.assessments_of(school_class, period)
    ledgers = [sessions.ledger_report(sessions.build_ledger(a)) for a in assessments]
    rows = [
        Row(
            {
                "n": number,
                "discipline": a.course.subject.name,
                "form": a.get_form_display(),
                "date": sessions.fmt(a.held_on),
            }
        )
        for number, a in enumerate(assessments, 1)
    ]
    return Report(
        title=_("Зачётно-экзаменационные ведомости"),
        columns=[
            Column("n", "№", INTEGER, width=3),
            Column("discipline", _("Дисциплина"), TEXT, width=40),
            Column("form", _("Форма аттестации"), TEXT, width=24),
            Column("date", _("Дата"), TEXT, width=10),
        ],
        rows=rows,
        school=school_class.school.name,
        parameters=[(_("Группа"), school_class.name), (_("Семестр"), str(period))],
        parts=ledgers,
        slug=f"vedomosti-{school_class.pk}-{period.pk}",
    )


def exam_ledgers_pdf(school_class, period) -> bytes:
    report = exam_ledgers_report(school_class, period)
    html = PdfExporter().html(report).replace("</head>", SHEET_PER_LEDGER, 1)
    title = f"{report.title} {school_class.name}, {period}"
    return render_pdf(html, variant=PDF_A, metadata={"title": title})


kinds.register(
    kinds.DocumentKind(
        Kind.EXAM_LEDGERS, college_semesters, exam_ledgers_pdf, filed=semesters_with_assessments
    )
)
