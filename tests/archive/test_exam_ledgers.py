"""A college's closed year files its зачётно-экзаменационные ведомости: one PDF/A per group and
semester with the ledger of every assessment of the session, the retake's protocol beside the
session's mark and the commission's signature lines; archive_verify checks them; a school's
year files none."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled
from pypdf import PdfReader

from archive.models import ArchiveDocument, Retention
from archive.services import build as builds
from archive.services import kinds
from archive.services.exam_ledgers import exam_ledgers_pdf
from grading.models import FinalMark
from grading.services import finals
from grading.services import sessions as service
from tests.factories import make_class, make_course, make_pupil, make_school, make_subject
from tests.grading.finals_builders import today
from tests.grading.session_builders import build_college, exam_mark

from .builders import pdf_text

pytestmark = pytest.mark.django_db
Kind = ArchiveDocument.Kind


@pytest.fixture
def college_year():
    """A group with an exam (one student failed it and passed on retake, protocol № 14) and a
    зачёт in another discipline, in a year that is then closed."""
    college = build_college(3)
    first, second, third = college.students
    people = college.people
    with scopes_disabled():
        exam_mark(college, first, "5")
        failed = exam_mark(college, second, "2")
        exam_mark(college, third, "3")
        finals.record_retake(
            failed,
            held_on=today(),
            protocol_number="14",
            commission=service.commission(service.assessment_for_page(college.assessment.pk)),
            result="4",
            user=people["deputy"],
        )
        other = make_course(
            college.group, make_subject(college.school, "Материаловедение", "МВ"),
            teachers=[people["teacher"]],
        )  # fmt: skip
        credit = service.do_add_assessment(
            college.session, other, form=FinalMark.Kind.DIFF_CREDIT,
            held_on=today() - timedelta(days=2), order_number="01-03/46",
            order_date=today() - timedelta(days=20), chair=people["member"],
            members=[people["chair"]], user=people["deputy"],
        )  # fmt: skip
        FinalMark.objects.create(
            school=college.school, pupil=first, course=other, period=college.semester,
            kind=credit.form, value="4", set_by=people["teacher"],
        )  # fmt: skip
        year = college.course.year
        year.closed_at = timezone.now()
        year.save()
    return college


def test_the_closed_college_year_files_one_exam_ledgers_document_per_group_and_semester(
    college_year, django_capture_on_commit_callbacks
):
    college = college_year
    year = college.course.year
    with scopes_disabled():
        parts = kinds.parts_of(year, [college.group])
        assert (Kind.EXAM_LEDGERS, college.group, college.semester) in parts
        with django_capture_on_commit_callbacks(execute=True):
            build = builds.do_start_build(year)
        build.refresh_from_db()
        progress = builds.progress(build)
        assert progress["failed"] == 0 and progress["done"] == len(parts)
        filed = ArchiveDocument.objects.get(kind=Kind.EXAM_LEDGERS)
    assert (filed.school_class_id, filed.period_id, filed.version) == (
        college.group.pk,
        college.semester.pk,
        1,
    )
    assert filed.retention == Retention.LEDGER
    kept = college.school.regulation.retention_ledger_years
    assert filed.destroy_after.year == year.end.year + kept
    assert "exam_ledgers-" in filed.file.name and "-semester1-" in filed.file.name
    with filed.file.open("rb") as f:
        data = f.read()
    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert b"pdfaid" in root["/Metadata"].get_object().get_data()  # PDF/A
    assert "/OutputIntents" in root
    assert filed.pages == len(pdf_text(data)) == 3  # the list, then a sheet per ledger


def test_the_filed_ledgers_show_the_group_disciplines_students_marks_retake_and_signatures(
    college_year,
):
    college = college_year
    with scopes_disabled():
        pages = pdf_text(exam_ledgers_pdf(college.group, college.semester))
    listing, credit, exam = pages  # in the order they were held: the credit came first
    assert "Зачётно-экзаменационные ведомости" in listing
    assert "Группа: ТМ-21" in listing and f"Семестр: {college.semester}" in listing
    assert listing.index("Материаловедение") < listing.index("Процессы формообразования")
    assert "экзамен" in exam and "дифференцированный зачёт" in credit
    assert "Процессы формообразования" in exam and "Технология машиностроения" in exam
    for name in ("Андреева", "Борисов", "Васильева"):
        assert name in exam
    assert f"{today():%d.%m.%Y}: 4 (протокол № 14)" in exam
    assert "приказ № 01-03/45" in exam
    assert "Председатель комиссии: ____________________ Председателев О." in exam
    assert "Член комиссии: ____________________ Членова А." in exam
    assert "Материаловедение" in credit and "Процессы формообразования" not in credit
    assert "Председатель комиссии: ____________________ Членова А." in credit


def test_archive_verify_covers_the_exam_ledgers(college_year, capsys):
    college = college_year
    with scopes_disabled():
        from archive.services.documents import archive_class_document

        filed = archive_class_document(college.group, Kind.EXAM_LEDGERS, college.semester)
    call_command("archive_verify")
    assert "с ошибками: 0" in capsys.readouterr().out
    filed.file.storage.delete(filed.file.name)
    with pytest.raises(SystemExit) as stop:
        call_command("archive_verify")
    assert stop.value.code != 0
    assert filed.file.name in capsys.readouterr().err


def test_a_school_files_no_exam_ledgers_and_a_semester_without_a_session_none_either(
    college_year,
):
    school = make_school()
    group = make_class(school, 9, "А")
    make_pupil(school, group)
    with scopes_disabled():
        parts = kinds.parts_of(group.year, [group])
        assert parts and all(kind != Kind.EXAM_LEDGERS for kind, _c, _p in parts)
        # Another group of the college, with no assessment in the session, files none.
        quiet = make_class(college_year.school, 2, "ТМ-22", year=college_year.course.year)
        parts = kinds.parts_of(quiet.year, [college_year.group, quiet])
    ledgers = [(c.pk, p.pk) for kind, c, p in parts if kind == Kind.EXAM_LEDGERS]
    assert ledgers == [(college_year.group.pk, college_year.semester.pk)]


@pytest.mark.parametrize("groups", [1, 4])
def test_finding_the_year_s_parts_costs_two_queries_whatever_the_number_of_groups(
    college_year, groups, django_assert_num_queries
):
    college = college_year
    year = college.course.year
    classes = [college.group] + [
        make_class(college.school, 2, f"ТМ-3{n}", year=year) for n in range(groups - 1)
    ]
    with scopes_disabled():
        for group in classes:
            group.school  # noqa: B018  (loaded, as the build's select_related does)
        with django_assert_num_queries(2):  # the periods, the groups' assessments
            parts = kinds.parts_of(year, classes)
    assert sum(kind == Kind.EXAM_LEDGERS for kind, _c, _p in parts) == 1
