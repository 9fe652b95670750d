"""Sessions, assessments with their commissions, and the зачётно-экзаменационная ведомость:
its marks are the course's final marks of the semester; its PDF names the commission."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled
from pypdf import PdfReader

from accounts.models import Regulation
from accounts.navigation import school_reverse
from grading.models import FinalMark, Session
from grading.services import sessions as service
from tests.factories import make_member

from .finals_builders import today
from .session_builders import build_college, exam_mark, fresh

pytestmark = pytest.mark.django_db

LEDGER_QUERIES = 11
LEDGER_READ_QUERIES = 9  # no form: the ledger as the report table


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_session_lies_in_its_semester_and_ends_by_the_final_marks_deadline():
    college = build_college(1)
    semester, deputy = college.semester, college.people["deputy"]
    with scopes_disabled():
        Session.objects.all().delete()  # the builder's, and its assessment
        with pytest.raises(ValidationError, match="в пределах периода"):
            service.do_create_session(
                semester, start=semester.start - timedelta(days=1), end=semester.end, user=deputy
            )
        with pytest.raises(ValidationError, match="к сроку выставления итоговых отметок"):
            service.do_create_session(
                semester, start=semester.end - timedelta(days=5), end=semester.end, user=deputy
            )
        made = service.do_create_session(
            semester, start=today(), end=today() + timedelta(days=3), user=deputy
        )
        assert made.history.first().history_user == deputy
        with pytest.raises(ValidationError, match="уже есть сессия"):
            service.do_create_session(semester, start=today(), end=today(), user=deputy)


def test_an_assessment_is_held_in_the_session_by_an_earlier_order_before_staff_only():
    college = build_college(1)
    session, course, people = college.session, college.course, college.people
    outsider = make_member(college.school, "pupil")
    base = {
        "form": FinalMark.Kind.EXAM,
        "held_on": today(),
        "order_number": "12",
        "order_date": today(),
        "chair": people["chair"],
        "members": [people["member"]],
        "user": people["deputy"],
    }
    with scopes_disabled():
        college.assessment.delete()
        with pytest.raises(ValidationError, match="в дни сессии"):
            service.do_add_assessment(
                session, course, **{**base, "held_on": session.end + timedelta(days=1)}
            )
        with pytest.raises(ValidationError, match="до дня аттестации"):
            service.do_add_assessment(
                session, course, **{**base, "order_date": today() + timedelta(days=1)}
            )
        with pytest.raises(ValidationError, match="только работники"):
            service.do_add_assessment(session, course, **{**base, "members": [outsider]})
        made = service.do_add_assessment(session, course, **base)
        assert made.order_label == f"приказ № 12 от {today():%d.%m.%Y}"
        assert [u.pk for u in service.commission(fresh(made))] == [
            people["chair"].pk,
            people["member"].pk,
        ]


def test_marks_entered_on_the_ledger_are_the_final_marks_of_the_semester(client):
    college = build_college(3)
    teacher = college.people["teacher"]
    client.force_login(teacher)
    url = school_reverse(college.school, "grading:ledger", pk=college.assessment.pk)
    first, second, third = college.students
    response = client.post(url, {f"value_{first.pk}": "5", f"value_{second.pk}": "2"})
    assert response.status_code == 302, response.text[:500]
    with scopes_disabled():
        marks = {
            m.pupil_id: m
            for m in FinalMark.objects.filter(course=college.course, period=college.semester)
        }
        assert {k: (m.kind, m.value) for k, m in marks.items()} == {
            first.pk: ("exam", "5"),
            second.pk: ("exam", "2"),
        }
        assert marks[first.pk].history.first().history_user == teacher
    # The course's final-marks page shows the same column: one mark, two pages.
    finals = client.get(school_reverse(college.school, "grading:finals", pk=college.course.pk))
    assert "экзамен" in finals.text.lower()


def test_a_ledger_mark_off_the_scale_is_refused_and_nothing_is_saved(client):
    college = build_college(2)
    client.force_login(college.people["teacher"])
    url = school_reverse(college.school, "grading:ledger", pk=college.assessment.pk)
    first, second = college.students
    response = client.post(url, {f"value_{first.pk}": "4", f"value_{second.pk}": "pass"})
    assert response.status_code == 400
    assert "Недопустимая отметка" in response.text
    with scopes_disabled():
        assert not FinalMark.objects.filter(course=college.course).exists()


def test_a_credit_is_marked_two_to_five_by_the_colleges_regulation_or_pass_fail():
    college = build_college(1, form=FinalMark.Kind.CREDIT)
    with scopes_disabled():
        ledger = service.build_ledger(fresh(college.assessment))
        # 002 §3.2: «при проведении зачётов … выставляются оценка 2, 3, 4, 5».
        assert college.school.regulation.credit_scale == Regulation.CreditScale.FIVE
        assert ledger.values[:4] == ["5", "4", "3", "2"]
        regulation = Regulation.objects.get(school=college.school)
        regulation.credit_scale = Regulation.CreditScale.PASS_FAIL
        regulation.save()
        ledger = service.build_ledger(fresh(college.assessment))
        assert ledger.values[:2] == ["pass", "fail"]


def test_the_ledger_pdf_names_the_students_their_marks_and_the_commission(client):
    college = build_college(3)
    first, second, _third = college.students
    exam_mark(college, first, "5")
    exam_mark(college, second, "3")
    client.force_login(college.people["deputy"])
    response = client.get(
        school_reverse(college.school, "grading:ledger_pdf", pk=college.assessment.pk)
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Экзаменационная ведомость" in text
    assert "Андреева Мария Ивановна" in text and "Борисов Мария Ивановна" in text
    assert "Васильева Мария Ивановна" in text
    assert "15.02.08 Технология машиностроения" in text
    assert "Процессы формообразования" in text
    assert "приказ № 01-03/45" in text
    assert "Председатель комиссии: ____________________ Председателев О. О." in text
    assert "Член комиссии: ____________________ Членова А. О." in text
    assert "Член комиссии: ____________________ Преподавателева" in text
    lines = text.splitlines()
    assert any("Андреева" in line and "5" in line for line in lines)
    assert any("Борисов" in line and "3" in line for line in lines)
    assert "Выставлено отметок: 2 из 3." in text


@pytest.mark.parametrize("size", [3, 12])
def test_the_ledger_page_costs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    college = build_college(size)
    for pupil in college.students[: size - 1]:
        exam_mark(college, pupil, "4")
    client.force_login(college.people["teacher"])
    url = school_reverse(college.school, "grading:ledger", pk=college.assessment.pk)
    client.get(url)
    with django_assert_num_queries(LEDGER_QUERIES):
        response = client.get(url)
    assert response.text.count('name="value_') == size


@pytest.mark.parametrize("size", [3, 12])
def test_the_ledger_read_by_the_deputy_costs_a_fixed_number_of_queries(
    client, django_assert_num_queries, size
):
    college = build_college(size)
    for pupil in college.students:
        exam_mark(college, pupil, "4")
    client.force_login(college.people["deputy"])
    url = school_reverse(college.school, "grading:ledger", pk=college.assessment.pk)
    client.get(url)
    with django_assert_num_queries(LEDGER_READ_QUERIES):
        response = client.get(url)
    assert response.text.count("Мария Ивановна") == size
