"""Nobody decides their own correction; the director decides when the only deputy asked; an
administrator does not give themselves a deciding role."""

from datetime import timedelta

import pytest
from django_scopes import scopes_disabled

from accounts.models import Membership, Role
from accounts.navigation import school_reverse
from grading.models import CorrectionRequest, Mark
from tests.factories import make_member, set_rules
from tests.journal.grid_builders import add_lesson, build_journal

pytestmark = pytest.mark.django_db


def request_by(journal, user):
    """`user` (a deputy who also teaches the course) asks to change a locked mark."""
    with scopes_disabled():
        from accounts.services import grant_role
        from schedule.models import CourseTeacher

        CourseTeacher.objects.create(school=journal.school, course=journal.course, teacher=user)
        grant_role(journal.school, user, Role.TEACHER)
    set_rules(journal.school, lock_marks_days=0)
    lesson = add_lesson(journal.course, journal.today - timedelta(days=2))
    pupil = journal.pupils[0]
    response = journal.client_for(user).post(
        journal.cell_url(lesson, pupil),
        {"value": "5", "column": journal.main_type(lesson).id, "reason": "Пропущена"},
    )
    assert response.status_code == 202, response.content
    with scopes_disabled():
        return CorrectionRequest.objects.get(requested_by=user)


def decide(journal, user, request):
    url = school_reverse(journal.school, "grading:correction_decide", pk=request.pk)
    return journal.client_for(user).post(url, {"decision": "approve"})


def test_a_deputy_who_asked_cannot_approve_and_another_deputy_can():
    journal = build_journal(1, 0, recent=True)
    asking = make_member(journal.school, Role.DEPUTY, last_name="Спрашивающая")
    other = make_member(journal.school, Role.DEPUTY, last_name="Другая")
    director = make_member(journal.school, Role.DIRECTOR)
    request = request_by(journal, asking)
    assert decide(journal, asking, request).status_code == 403
    assert decide(journal, director, request).status_code == 403  # a deputy is there
    decide_url = school_reverse(journal.school, "grading:correction_decide", pk=request.pk)
    listing = school_reverse(journal.school, "grading:corrections")
    # The list offers the decision to the other deputy only.
    assert decide_url not in journal.client_for(asking).get(listing).content.decode()
    assert decide_url in journal.client_for(other).get(listing).content.decode()
    assert decide(journal, other, request).status_code == 302
    with scopes_disabled():
        request.refresh_from_db()
        assert (request.status, request.decided_by) == ("approved", other)
        assert Mark.objects.get().value == "5"


def test_the_director_decides_when_the_only_deputy_asked():
    journal = build_journal(1, 0, recent=True)
    only = make_member(journal.school, Role.DEPUTY)
    director = make_member(journal.school, Role.DIRECTOR)
    request = request_by(journal, only)
    assert decide(journal, only, request).status_code == 403
    assert decide(journal, director, request).status_code == 302
    with scopes_disabled():
        request.refresh_from_db()
        assert request.decided_by == director


def test_an_administrator_does_not_give_themselves_a_deciding_role():
    journal = build_journal(1, 0)
    admin = make_member(journal.school, Role.ADMIN)
    other_admin = make_member(journal.school, Role.ADMIN)
    client = journal.client_for(admin)
    for role in (Role.DEPUTY, Role.DIRECTOR):
        url = school_reverse(journal.school, "accounts:grant_role", pk=admin.pk)
        response = client.post(url, {"role": role}, follow=True)
        assert "нельзя назначить себе" in response.content.decode()
    with scopes_disabled():
        assert set(
            Membership.objects.active().filter(user=admin).values_list("role", flat=True)
        ) == {Role.ADMIN}
    url = school_reverse(journal.school, "accounts:grant_role", pk=admin.pk)
    journal.client_for(other_admin).post(url, {"role": Role.DEPUTY})
    with scopes_disabled():
        assert Membership.objects.active().filter(user=admin, role=Role.DEPUTY).exists()
    # Giving oneself a teacher's role is no decision over others: allowed.
    client.post(url, {"role": Role.TEACHER})
    with scopes_disabled():
        assert Membership.objects.active().filter(user=admin, role=Role.TEACHER).exists()


def test_the_final_mark_correction_follows_the_same_rule():
    from grading.models import FinalMark, FinalMarkCorrection
    from grading.services import final_corrections
    from tests.grading.finals_builders import closed_period, course_with_pupils

    journal = build_journal(1, 0)
    school = journal.school
    only = make_member(school, Role.DEPUTY)
    director = make_member(school, Role.DIRECTOR)
    teacher, course, (pupil,) = course_with_pupils(school, 1, letter="Б", teacher=only)
    with scopes_disabled():
        from accounts.services import grant_role

        grant_role(school, only, Role.TEACHER)
        past = closed_period(course)
        column = final_corrections.finals.column_for(course, FinalMark.Kind.PERIOD, past.pk)
        _errors, (correction,) = final_corrections.request_corrections(
            course, column, {pupil.pk: ("4", True)}, reason="Ошибка", user=only
        )
    url = school_reverse(school, "grading:final_correction_decide", pk=correction.pk)
    assert journal.client_for(only).post(url, {"decision": "approve"}).status_code == 403
    assert journal.client_for(director).post(url, {"decision": "approve"}).status_code == 302
    with scopes_disabled():
        assert FinalMarkCorrection.objects.get().status == "approved"
        assert FinalMark.objects.get().value == "4"
