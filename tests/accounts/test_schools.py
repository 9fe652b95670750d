"""Several schools per user: landing after sign-in, switching; the navigation follows the roles."""

import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import Membership, ParentLink, Role
from accounts.navigation import school_reverse
from accounts.services import end_role, grant_role
from tests.factories import PASSWORD, make_member, make_parent, make_pupil, make_school, make_user

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav aria-label="[^"]*">(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"[^>]*>([^<]+)</a>')


def sign_in(client, username):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client.get(response["Location"])


def nav_labels(page) -> list[str]:
    [nav] = NAV.findall(page.content.decode())
    return [label for _url, label in LINK.findall(nav)]


@pytest.fixture
def second_school():
    return make_school("second")


def test_a_parent_with_children_in_two_schools_chooses_one_after_sign_in(
    client, school, second_school
):
    parent = make_parent(school, make_pupil(school, None), "two-schools")
    other_child = make_pupil(second_school, None)
    with scopes_disabled():
        ParentLink.objects.create(school=second_school, parent=parent, pupil=other_child)
        grant_role(second_school, parent, Role.PARENT)

    home = sign_in(client, "two-schools")
    assert home.status_code == 200
    page = home.content.decode()
    assert "Выберите школу" in page
    for each in (school, second_school):
        assert f'href="/s/{each.slug}/"' in page


def test_a_teacher_of_two_schools_switches_between_them_from_the_school_page(
    client, school, second_school
):
    teacher = make_member(school, Role.TEACHER, "two-jobs")

    with scopes_disabled():
        grant_role(second_school, teacher, Role.DEPUTY)
    sign_in(client, "two-jobs")

    first = client.get(school_reverse(school, "accounts:dashboard"))
    assert first.status_code == 200
    assert f'href="/s/{second_school.slug}/"' in first.content.decode()
    # Each school shows the roles held there, and its own navigation.
    second = client.get(school_reverse(second_school, "accounts:dashboard"))
    assert second.status_code == 200
    assert "Заместитель директора" in second.content.decode()
    assert "Люди" in nav_labels(second)
    assert "Люди" not in nav_labels(first)
    assert f'href="/s/{school.slug}/"' in second.content.decode()


def test_a_user_with_one_school_lands_in_it_and_sees_no_other_school(client, school):
    make_member(school, Role.TEACHER, "one-school")
    page = sign_in(client, "one-school")
    assert page.status_code == 302
    assert page["Location"] == school_reverse(school, "accounts:dashboard")
    dashboard = client.get(page["Location"]).content.decode()
    assert "Другие школы" not in dashboard


def test_a_user_with_no_school_is_offered_the_code_page(client):
    make_user("nobody")
    page = sign_in(client, "nobody")
    assert page.status_code == 200
    assert reverse("account:redeem") in page.content.decode()


def test_an_ended_role_no_longer_offers_its_school(client, school, second_school):
    teacher = make_member(school, Role.TEACHER, "moved")

    with scopes_disabled():
        grant_role(second_school, teacher, Role.TEACHER)
        end_role(Membership.objects.get(user=teacher, school=school))
    landing = sign_in(client, "moved")
    assert landing["Location"] == school_reverse(second_school, "accounts:dashboard")
    assert client.get(school_reverse(school, "accounts:dashboard")).status_code == 404


ADMIN_PAGES = ["Люди", "Обучающиеся", "Коды доступа", "Журнал входов", "Настройки"]


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (Role.ADMIN, ADMIN_PAGES),
        (Role.DIRECTOR, ["Люди", "Обучающиеся"]),
        (Role.DEPUTY, ["Люди", "Обучающиеся"]),
        (Role.TEACHER, []),
        (Role.PARENT, []),
    ],
)
def test_the_navigation_shows_only_the_pages_the_role_may_open(client, school, role, shown):
    user = make_member(school, role)
    client.force_login(user)
    page = client.get(school_reverse(school, "accounts:dashboard"))
    labels = nav_labels(page)
    assert labels[0] == "Главная"
    assert [label for label in labels if label in ADMIN_PAGES] == shown
    # Every entry shown opens for this user.
    [nav] = NAV.findall(page.content.decode())
    for url, _label in LINK.findall(nav):
        assert client.get(url).status_code == 200, url


def test_the_school_settings_refuse_an_unknown_time_zone_with_400(client, school):
    client.force_login(make_member(school, Role.ADMIN))
    url = school_reverse(school, "accounts:settings")
    form = {"name": school.name, "short_name": school.short_name}
    response = client.post(url, {**form, "timezone": "Europe/Moskva"})
    assert response.status_code == 400
    assert "Неизвестный часовой пояс «Europe/Moskva»" in response.content.decode()
    school.refresh_from_db()
    assert school.timezone == "Europe/Moscow"

    assert client.post(url, {**form, "timezone": "Asia/Vladivostok"}).status_code == 302
    school.refresh_from_db()
    assert school.timezone == "Asia/Vladivostok"
