"""Login history: a user's own page and the school administrator's page, per school.

Sign-ins go through the real sign-in page (with a browser's name), and a school records the
first page of it a session opens: what a person shared with another school does there is
never shown here.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import LoginEvent, ParentLink, Role
from accounts.navigation import school_reverse
from accounts.services import grant_role
from tests.factories import PASSWORD, make_member, make_pupil, make_school, make_user


def sign_in(user, agent, password=PASSWORD) -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == (302 if password == PASSWORD else 200)
    return client


def enter(client, school):
    assert client.get(school_reverse(school, "accounts:dashboard")).status_code == 200


def agents_seen_by(admin, school) -> set:
    client = Client()
    client.force_login(admin)
    response = client.get(school_reverse(school, "accounts:logins"))
    assert response.status_code == 200
    # (The administrator's own page view is an entry too, with no browser name.)
    return {e.user_agent for e in response.context["object_list"]} - {""}


@pytest.fixture
def people(school, admin):
    other_school = make_school()
    teacher = make_member(school, Role.TEACHER, last_name="Учителева")
    both = make_member(other_school, Role.TEACHER, last_name="Совместителев")
    grant_role(school, both, Role.TEACHER)
    stranger = make_member(other_school, Role.ADMIN, last_name="Чужаков")
    nobody = make_user(last_name="Безролев")
    make_member(school, Role.TEACHER)  # someone with no sign-ins
    return {
        "teacher": teacher,
        "both": both,
        "stranger": stranger,
        "nobody": nobody,
        "other_school": other_school,
    }


def test_a_user_sees_only_their_own_sign_ins_and_entries(people, school):
    own = sign_in(people["teacher"], "Браузер-учителя")
    enter(own, school)
    sign_in(people["teacher"], "Браузер-подборщика", password="wrong")
    sign_in(people["both"], "Браузер-совместителя")
    sign_in(people["nobody"], "Браузер-без-школы")
    page = own.get(reverse("account:my_logins")).content.decode()
    assert "Браузер-учителя" in page and "вход в систему" in page and school.short_name in page
    assert "Браузер-подборщика" in page and "неверный пароль" in page
    for agent in ("Браузер-совместителя", "Браузер-без-школы"):
        assert agent not in page


def test_the_administrator_sees_entries_into_the_school_and_failed_attempts_of_its_own(
    school, admin, people
):
    enter(sign_in(people["teacher"], "Браузер-учителя"), school)
    sign_in(people["teacher"], "Браузер-подборщика", password="wrong")
    enter(sign_in(people["both"], "Браузер-совместителя"), school)
    enter(sign_in(people["stranger"], "Браузер-чужой-школы"), people["other_school"])
    sign_in(people["nobody"], "Браузер-без-школы")
    assert agents_seen_by(admin, school) == {
        "Браузер-учителя",
        "Браузер-подборщика",
        "Браузер-совместителя",
    }
    # The same person's sign-in, entering this school: the other school sees nothing of it.
    assert agents_seen_by(people["stranger"], people["other_school"]) == {"Браузер-чужой-школы"}


def test_a_shared_parents_sign_ins_are_seen_only_by_the_school_they_were_made_at(school, admin):
    other_school = make_school()
    other_admin = make_member(other_school, Role.ADMIN)
    parent = make_member(school, Role.PARENT)
    grant_role(other_school, parent, Role.PARENT)
    with scopes_disabled():
        for where in (school, other_school):
            ParentLink.objects.create(school=where, parent=parent, pupil=make_pupil(where))
    enter(sign_in(parent, "Браузер-родителя-во-второй-школе"), other_school)
    sign_in(parent, "Браузер-родителя-с-ошибкой", password="wrong")
    assert agents_seen_by(admin, school) == set()
    assert agents_seen_by(other_admin, other_school) == {"Браузер-родителя-во-второй-школе"}
    client = sign_in(parent, "Браузер-родителя-в-первой-школе")
    enter(client, school)
    enter(client, school)  # a second page of the same session records nothing more
    assert agents_seen_by(admin, school) == {"Браузер-родителя-в-первой-школе"}
    with scopes_disabled():
        assert LoginEvent.objects.filter(user=parent, school=school).count() == 1


def test_the_other_schools_administrator_cannot_open_this_schools_history(school, people):
    client = Client()
    client.force_login(people["stranger"])
    assert client.get(school_reverse(school, "accounts:logins")).status_code == 404


def test_a_director_may_not_open_the_schools_login_history(client, school, people):
    client.force_login(make_member(school, Role.DIRECTOR))
    assert client.get(school_reverse(school, "accounts:logins")).status_code == 403
