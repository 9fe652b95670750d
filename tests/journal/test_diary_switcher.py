"""The child switcher at the top of the diary: every child, in every school, one tap apart."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import ParentLink, Role
from accounts.services import end_role, grant_role
from tests.factories import make_class, make_pupil, make_school
from tests.reports.builders import build_family

pytestmark = pytest.mark.django_db


def diary(school, pupil, tab="journal:diary_week", week=None):
    path = reverse(tab, kwargs={"school_slug": school.slug, "pupil": pupil.pk})
    return path + (f"?week={week.isoformat()}" if week else "")


def second_school_child(parent):
    school = make_school("beta")
    school.short_name = "Школа №2"
    school.save()
    school_class = make_class(school, 7, "Б")
    child = make_pupil(school, school_class, first_name="Анна", last_name="Смирнова")
    with scopes_disabled():
        grant_role(school, parent, Role.PARENT)
        ParentLink.objects.create(school=school, parent=parent, pupil=child)
    return school, child


def test_a_parent_switches_to_a_child_of_another_school_keeping_the_tab_and_week(client):
    family = build_family(days=1, per_day=1)
    other_school, child = second_school_child(family.parent)
    client.force_login(family.parent)
    page = client.get(diary(family.school, family.pupil, week=family.monday)).content.decode()
    assert diary(other_school, child, week=family.monday) in page
    assert "Анна Смирнова" in page and "7Б" in page and "Школа №2" in page
    assert family.school.short_name in page and family.school_class.name in page
    marks = client.get(diary(family.school, family.pupil, "journal:diary_marks")).content.decode()
    assert diary(other_school, child, "journal:diary_marks") in marks
    assert client.get(diary(other_school, child, week=family.monday)).status_code == 200


def test_a_child_whose_family_role_ended_is_not_offered(client):
    family = build_family(days=1, per_day=1)
    other_school, child = second_school_child(family.parent)
    with scopes_disabled():
        membership = family.parent.memberships.get(school=other_school, role=Role.PARENT)
        end_role(membership)
    client.force_login(family.parent)
    page = client.get(diary(family.school, family.pupil, week=family.monday)).content.decode()
    assert diary(other_school, child) not in page
    assert "Анна Смирнова" not in page


def test_a_single_child_has_no_switcher(client):
    family = build_family(days=1, per_day=1)
    client.force_login(family.parent)
    page = client.get(diary(family.school, family.pupil, week=family.monday)).content.decode()
    assert 'class="switch children"' not in page
