"""The demo's college: two branches, groups of two specialities on courses 1–3, a semester with
its session, one retake through every step, a make-up; the run command prints its accounts."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from accounts.models import School, User
from accounts.navigation import school_reverse
from grading.models import Assessment, FinalMark, RetakeApplication, Session
from journal.models import MakeupProtocol
from schedule.models import SchoolClass

pytestmark = pytest.mark.django_db


def test_the_demo_builds_a_college_of_two_branches_with_a_session_and_a_retake(client):
    out = StringIO()
    call_command("seed_demo", pupils=4, classes=1, grades="5", stdout=out)
    printed = out.getvalue()
    for username in ("c_deputy", "c_teacher", "c_curator", "c_student", "c_parent"):
        assert username in printed
    with scopes_disabled():
        kasli = School.objects.get(slug="college-kasli")
        ufaley = School.objects.get(slug="college-ufaley")
        assert {kasli.kind, ufaley.kind} == {"college"}
        for school in (kasli, ufaley):
            groups = SchoolClass.objects.filter(school=school)
            by_speciality = {}
            for group in groups:
                by_speciality.setdefault(group.speciality_id, set()).add(group.grade)
            assert len(by_speciality) == 2
            assert all(courses == {1, 2, 3} for courses in by_speciality.values())
            session = Session.objects.get(school=school)
            assert session.period.kind == "semester"
            assert Assessment.objects.filter(session=session).count() == 3 * groups.count()
        done, waiting = RetakeApplication.objects.order_by("pk")
        assert done.stage == "done" and waiting.stage == "applied"
        assert done.final_mark.value == "4" and done.retake.previous_value == "2"
        assert done.requested_by.username == "c_student"
        makeup = MakeupProtocol.objects.get()
        assert makeup.mark.makeup and makeup.mark.value == "4"
        exam = done.assessment
        assert FinalMark.objects.filter(course=exam.course, kind="exam").count() == 6
    client.force_login(User.objects.get(username="c_deputy"))
    page = client.get(school_reverse(kasli, "grading:ledger", pk=exam.pk))
    assert page.status_code == 200 and "протокол № 14" in page.text
    application = client.get(school_reverse(kasli, "grading:retake_application", pk=waiting.pk))
    assert "Записать решение" in application.text  # the deputy signs what the curator filed
