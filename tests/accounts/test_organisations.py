"""Organisations above schools: their people read every member school and write nothing in
it; a school outside the organisation, or one that has left it, answers 404 at once."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import OrganisationMembership, Role
from accounts.organisations import ORG_READER
from accounts.tenancy import school_and_roles
from grading.policy import lesson_verdict
from schedule.models import Lesson
from tests.factories import (
    make_class,
    make_course,
    make_member,
    make_org_member,
    make_organisation,
    make_school,
    make_subject,
)

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def college():
    kasli, ufaley, elsewhere = make_school(), make_school(), make_school()
    organisation = make_organisation([kasli, ufaley])
    deputy = make_org_member(organisation, "deputy")
    return organisation, kasli, ufaley, elsewhere, deputy


def dashboard(school):
    return reverse("accounts:dashboard", kwargs={"school_slug": school.slug})


def test_the_organisations_deputy_reads_each_branch_and_is_told_it_is_read_only(college):
    _, kasli, ufaley, _, deputy = college
    client = signed_in(deputy)
    for school in (kasli, ufaley):
        response = client.get(dashboard(school))
        assert response.status_code == 200
        assert "только чтение" in response.content.decode()


def test_a_school_outside_the_organisation_answers_its_deputy_404(college):
    *_, elsewhere, deputy = college
    assert signed_in(deputy).get(dashboard(elsewhere)).status_code == 404


def test_a_branchs_own_staff_get_404_in_the_other_branch(college):
    _, kasli, ufaley, _, _ = college
    teacher = make_member(kasli, Role.TEACHER)
    assert signed_in(teacher).get(dashboard(ufaley)).status_code == 404


def test_the_write_policy_refuses_the_organisations_deputy_a_lesson_it_reads(college):
    _, kasli, _, _, deputy = college
    course = make_course(make_class(kasli), make_subject(kasli))
    with scopes_disabled():
        lesson = Lesson.objects.create(
            school=kasli, course=course, date=kasli.today(), number=1, topic="Тема"
        )
        lesson = Lesson.objects.select_related("course__year", "school__regulation").get(
            pk=lesson.pk
        )
    # What the middleware gives the request's user in the branch (accounts.tenancy).
    _school, roles = school_and_roles(kasli.slug, deputy)
    assert ORG_READER in roles
    deputy.__dict__["_school_roles"] = {kasli.pk: roles}
    for kind in ("mark", "attendance", "topic", "homework"):
        verdict = lesson_verdict(deputy, lesson, kind)
        assert verdict.refused
        assert "ничего в нём не изменяет" in str(verdict.reason)


def test_every_write_request_of_the_organisations_deputy_is_refused_before_the_view(college):
    _, kasli, _, _, deputy = college
    url = reverse("accounts:settings", kwargs={"school_slug": kasli.slug})
    assert signed_in(deputy).post(url, {"name": "Захвачено"}).status_code == 403
    kasli.refresh_from_db()
    assert kasli.name != "Захвачено"


def test_a_role_ended_in_the_organisation_closes_its_schools_at_once(college):
    _, kasli, _, _, deputy = college
    client = signed_in(deputy)
    assert client.get(dashboard(kasli)).status_code == 200
    membership = OrganisationMembership.objects.get(user=deputy)
    membership.ended_at = timezone.now()
    membership.save()
    assert client.get(dashboard(kasli)).status_code == 404


def test_a_school_that_leaves_the_organisation_closes_to_its_people_at_once(college):
    organisation, kasli, ufaley, _, deputy = college
    client = signed_in(deputy)
    assert client.get(dashboard(ufaley)).status_code == 200
    organisation.schools.remove(ufaley)
    assert client.get(dashboard(ufaley)).status_code == 404
    assert client.get(dashboard(kasli)).status_code == 200


def test_a_person_of_one_organisation_only_starts_at_its_roll_up(college):
    organisation, *_, deputy = college
    response = signed_in(deputy).get(reverse("account:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("org:home", kwargs={"org_slug": organisation.slug})


def test_someone_with_a_school_and_an_organisation_chooses_between_them(college):
    organisation, kasli, *_ = college
    teacher = make_member(kasli, Role.TEACHER)
    OrganisationMembership.objects.create(organisation=organisation, user=teacher, role="admin")
    page = signed_in(teacher).get(reverse("account:home")).content.decode()
    assert organisation.name in page and kasli.name in page


def test_own_roles_in_a_branch_are_kept_there_rather_than_the_organisations_reading(college):
    organisation, kasli, *_ = college
    teacher = make_member(kasli, Role.TEACHER)
    OrganisationMembership.objects.create(organisation=organisation, user=teacher, role="deputy")
    url = reverse("reports:control", kwargs={"school_slug": kasli.slug})
    # A teacher has no control dashboard of the school, even while also the college's deputy:
    # in a school where they work they act in their own role.
    assert signed_in(teacher).get(url).status_code == 403
