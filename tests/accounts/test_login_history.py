"""Login history: a user's own page and the school administrator's page."""

import pytest
from django.urls import reverse

from accounts.models import LoginEvent, Role
from accounts.navigation import school_reverse
from accounts.services import grant_role
from tests.factories import make_member, make_school, make_user


def event(user, agent, succeeded=True):
    return LoginEvent.objects.create(
        user=user, ip_address="192.0.2.1", user_agent=agent, succeeded=succeeded
    )


@pytest.fixture
def people(school, admin):
    other_school = make_school()
    teacher = make_member(school, Role.TEACHER, last_name="Учителева")
    both = make_member(other_school, Role.TEACHER, last_name="Совместителев")
    make_member(school, Role.TEACHER, username=None)  # someone with no sign-ins
    grant_role(school, both, Role.TEACHER)
    stranger = make_member(other_school, Role.ADMIN, last_name="Чужаков")
    nobody = make_user(last_name="Безролев")
    event(teacher, "Браузер-учителя")
    event(teacher, "Браузер-подборщика", succeeded=False)
    event(both, "Браузер-совместителя")
    event(stranger, "Браузер-чужой-школы")
    event(nobody, "Браузер-без-школы")
    return {"teacher": teacher, "both": both, "stranger": stranger, "other_school": other_school}


def test_a_user_sees_only_their_own_sign_ins(client, people):
    client.force_login(people["teacher"])
    page = client.get(reverse("account:my_logins")).content.decode()
    assert "Браузер-учителя" in page
    assert "Браузер-подборщика" in page and "неверный пароль" in page
    for agent in ("Браузер-совместителя", "Браузер-чужой-школы", "Браузер-без-школы"):
        assert agent not in page


def test_the_administrator_sees_the_sign_ins_of_the_schools_people_only(
    client, school, admin, people
):
    client.force_login(admin)
    response = client.get(school_reverse(school, "accounts:logins"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Браузер-учителя" in page and people["teacher"].short_name in page
    assert "Браузер-совместителя" in page  # works in both schools
    assert "Браузер-чужой-школы" not in page
    assert people["stranger"].short_name not in page
    assert "Браузер-без-школы" not in page
    # (The test client's force_login is a sign-in too, with no browser name.)
    shown = {e.user_agent for e in response.context["object_list"]} - {""}
    assert shown == {"Браузер-учителя", "Браузер-подборщика", "Браузер-совместителя"}


def test_the_other_schools_administrator_does_not_see_this_schools_people(client, school, people):
    client.force_login(people["stranger"])
    response = client.get(school_reverse(people["other_school"], "accounts:logins"))
    # (The test client's force_login is a sign-in too, with no browser name.)
    shown = {e.user_agent for e in response.context["object_list"]} - {""}
    assert shown == {"Браузер-совместителя", "Браузер-чужой-школы"}
    assert client.get(school_reverse(school, "accounts:logins")).status_code == 404


def test_a_director_may_not_open_the_schools_login_history(client, school, people):
    client.force_login(make_member(school, Role.DIRECTOR))
    assert client.get(school_reverse(school, "accounts:logins")).status_code == 403
