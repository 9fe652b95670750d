"""Django admin: the platform operator creates schools and their first administrator."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import Membership, Role, School, User
from tests.factories import PASSWORD, make_member, make_parent, make_pupil, make_user

pytestmark = pytest.mark.django_db

RAW_CODE = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\b")


@pytest.fixture
def operator(client):
    user = User.objects.create_superuser(
        "operator", "op@example.org", PASSWORD, last_name="Операторов", first_name="Олег"
    )
    client.force_login(user)
    return user


def school_form(**extra):
    return {
        "name": "МБОУ «Средняя школа №7»",
        "short_name": "Школа №7",
        "slug": "school7",
        "kind": School.Kind.SCHOOL,
        "timezone": "Asia/Yekaterinburg",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        **extra,
    }


def roles_of(user, school):
    with scopes_disabled():
        return set(
            Membership.objects.active()
            .filter(user=user, school=school)
            .values_list("role", flat=True)
        )


def test_the_operator_creates_a_school_with_an_existing_user_as_its_first_administrator(
    client, operator
):
    head = make_user("zavuch", last_name="Головина")
    response = client.post(
        reverse("admin:accounts_school_add"), school_form(first_admin=str(head.pk))
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    school = School.objects.get(slug="school7")
    assert (school.short_name, school.timezone) == ("Школа №7", "Asia/Yekaterinburg")
    assert roles_of(head, school) == {Role.ADMIN}
    with scopes_disabled():
        granted = Membership.objects.get(user=head, school=school)
        assert granted.history.first().history_user == operator

    # The new administrator signs in, lands in the school and manages its people.
    client.logout()
    landing = client.post(reverse("login"), {"username": "zavuch", "password": PASSWORD})
    assert client.get(landing["Location"])["Location"] == f"/s/{school.slug}/"
    assert client.get(f"/s/{school.slug}/people/").status_code == 200


def test_the_operator_issues_an_administrator_code_shown_once_that_makes_an_administrator(
    client, operator
):
    response = client.post(reverse("admin:accounts_school_add"), school_form(issue_admin_code="on"))
    assert response.status_code == 302
    shown = " ".join(str(m) for m in get_messages(response.wsgi_request))
    [raw] = RAW_CODE.findall(shown)
    school = School.objects.get(slug="school7")
    assert not Membership.objects.with_scopes_disabled().filter(school=school).exists()

    client.logout()
    assert client.post(reverse("account:redeem"), {"code": raw}).status_code == 302
    client.post(
        reverse("account:redeem_confirm"),
        {
            "username": "new-admin",
            "last_name": "Новикова",
            "first_name": "Ольга",
            "password1": "Vesna-2026-admin",
            "password2": "Vesna-2026-admin",
        },
    )
    assert roles_of(User.objects.get(username="new-admin"), school) == {Role.ADMIN}
    # The code was shown once: the school's list of codes has only its hint.
    client.force_login(operator)
    page = client.get(reverse("admin:accounts_school_change", args=[school.pk])).content.decode()
    assert raw not in page


def test_a_school_saved_without_an_administrator_gets_none(client, operator):
    response = client.post(reverse("admin:accounts_school_add"), school_form())
    assert response.status_code == 302
    school = School.objects.get(slug="school7")
    assert not Membership.objects.with_scopes_disabled().filter(school=school).exists()


def test_a_slug_already_taken_is_refused_and_no_school_is_made(client, operator, school):
    response = client.post(
        reverse("admin:accounts_school_add"), school_form(slug=school.slug, issue_admin_code="on")
    )
    assert response.status_code == 200  # the form again, with its error
    assert School.objects.count() == 1


def test_the_operator_creates_a_user_with_russian_name_parts(client, operator):
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "petrova",
            "last_name": "Петрова",
            "first_name": "Мария",
            "patronymic": "Ивановна",
            "email": "petrova@example.org",
            "password1": "Osen-sad-2026",
            "password2": "Osen-sad-2026",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="petrova")
    assert user.short_name == "Петрова М. И."
    assert user.check_password("Osen-sad-2026")


def test_the_operator_adds_another_administrator_on_the_school_page(client, operator, school):
    second = make_user("second-admin")
    url = reverse("admin:accounts_school_change", args=[school.pk])
    form = school_form(
        name=school.name, short_name=school.short_name, slug=school.slug, timezone=school.timezone
    )
    form.update(
        {
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-user": str(second.pk),
            "memberships-0-role": Role.ADMIN,
            "memberships-0-school": str(school.pk),
        }
    )
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert roles_of(second, school) == {Role.ADMIN}


def test_every_admin_page_of_accounts_opens_for_the_operator(client, operator, school):
    pupil = make_pupil(school, None)
    pupil_parent = make_parent(school, pupil)
    models = ("school", "user", "membership", "pupil", "parentlink", "loginevent", "organisation")
    for model in models:
        assert client.get(reverse(f"admin:accounts_{model}_changelist")).status_code == 200, model
    for model in ("school", "user", "membership", "pupil", "parentlink", "organisation"):
        assert client.get(reverse(f"admin:accounts_{model}_add")).status_code == 200, model
    assert client.get(reverse("admin:accounts_school_change", args=[school.pk])).status_code == 200
    user_page = client.get(reverse("admin:accounts_user_change", args=[pupil_parent.pk]))
    assert user_page.status_code == 200
    assert school.short_name in user_page.content.decode()  # the roles, read-only
    with scopes_disabled():
        history = reverse("admin:accounts_pupil_history", args=[pupil.pk])
    assert client.get(history).status_code == 200
    # The «first administrator» field finds people by name.
    make_user("found", last_name="Искомая")
    found = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Искомая",
            "app_label": "accounts",
            "model_name": "membership",
            "field_name": "user",
        },
    )
    assert found.status_code == 200
    assert [r["text"] for r in found.json()["results"]] == ["Искомая Имя Отчество"]


def test_a_school_administrator_cannot_open_django_admin(client, school):
    client.force_login(make_member(school, Role.ADMIN))
    response = client.get(reverse("admin:accounts_school_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_an_unknown_time_zone_is_refused_in_admin(client, operator):
    response = client.post(reverse("admin:accounts_school_add"), school_form(timezone="MSK"))
    assert response.status_code == 200
    assert "Неизвестный часовой пояс «MSK»" in response.content.decode()
    assert not School.objects.exists()
