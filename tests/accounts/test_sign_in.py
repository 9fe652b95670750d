"""Sign-in: django-axes locks a login for untrusted clients after repeated failures, with a
cool-off, in Russian; a device that signed in with the login before still gets in (OWASP's
device cookies, accounts/security.py)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F
from django.test import Client
from django.urls import reverse

from accounts.models import LoginEvent, Role
from accounts.security import DEVICE_COOKIE
from tests.factories import PASSWORD, make_member

WRONG = "not-the-password"


def sign_in(client, username, password, ip="10.0.0.5"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT="Тестовый браузер",
    )


def is_signed_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def ivanova(school):
    return make_member(school, Role.TEACHER, "ivanova")


@pytest.fixture
def petrov(school):
    return make_member(school, Role.TEACHER, "petrov")


def fail_until_locked(client, username, ip="10.0.0.5"):
    """Fail as many times as the limit allows; return the last response (the lockout)."""
    limit = django_settings.AXES_FAILURE_LIMIT
    for _attempt in range(limit - 1):
        response = sign_in(client, username, WRONG, ip)
        assert response.status_code == 200  # the form again, with its error
    return sign_in(client, username, WRONG, ip)


def test_the_right_password_signs_in_and_lands_on_the_only_school(client, school, ivanova):
    response = sign_in(client, "ivanova", PASSWORD)
    assert response.status_code == 302
    assert is_signed_in(client)
    assert client.get(response["Location"])["Location"].endswith(f"/s/{school.slug}/")


def test_a_wrong_password_shows_a_russian_error_and_no_lockout_yet(client, ivanova):
    response = sign_in(client, "ivanova", WRONG)
    assert response.status_code == 200
    assert "Пожалуйста, введите правильные" in response.content.decode()
    assert not is_signed_in(client)


def test_the_limit_of_failures_locks_that_login_for_untrusted_clients(client, ivanova):
    assert django_settings.AXES_FAILURE_LIMIT == 5
    locked = fail_until_locked(client, "ivanova")
    assert locked.status_code == 429
    # Even the right password is refused now.
    refused = sign_in(client, "ivanova", PASSWORD)
    assert refused.status_code == 429
    assert not is_signed_in(client)
    # Axes keeps its attempts in its own table, on PostgreSQL like the rest.
    attempt = AccessAttempt.objects.get(username="ivanova")
    assert attempt.ip_address == "10.0.0.5"
    assert attempt.failures_since_start >= django_settings.AXES_FAILURE_LIMIT


def test_the_lockout_page_is_russian_and_says_how_long_to_wait(client, ivanova):
    page = fail_until_locked(client, "ivanova").content.decode()
    assert "Вход временно заблокирован" in page
    assert "Попробуйте снова через 15 мин." in page
    assert "PT15M" not in page
    assert reverse("password_reset") in page


def test_a_locked_login_does_not_lock_another_login_from_the_same_address(client, ivanova, petrov):
    fail_until_locked(client, "ivanova")
    response = sign_in(client, "petrov", PASSWORD)
    assert response.status_code == 302
    assert is_signed_in(client)


def test_a_locked_login_is_locked_for_a_new_device_anywhere(client, ivanova):
    fail_until_locked(client, "ivanova", ip="10.0.0.5")
    assert sign_in(Client(), "ivanova", PASSWORD, ip="10.0.0.6").status_code == 429


def teachers_computer(username, ip="10.0.0.5") -> Client:
    """A browser that has signed in with the login before (and signed out since)."""
    computer = Client()
    assert sign_in(computer, username, PASSWORD, ip).status_code == 302
    assert DEVICE_COOKIE in computer.cookies
    computer.post(reverse("logout"))
    return computer


def test_a_teacher_on_a_device_that_signed_in_before_gets_in_while_a_pupil_locks_the_login(
    ivanova,
):
    computer = teachers_computer("ivanova")
    pupil = Client()  # on the same school network
    assert fail_until_locked(pupil, "ivanova").status_code == 429
    assert sign_in(computer, "ivanova", PASSWORD).status_code == 302
    assert is_signed_in(computer)
    # The teacher's success does not unlock the login for the others.
    assert sign_in(pupil, "ivanova", PASSWORD).status_code == 429


def test_guessing_on_a_trusted_device_is_stopped_too(ivanova):
    computer = teachers_computer("ivanova")
    limit = django_settings.AXES_FAILURE_LIMIT
    for _attempt in range(limit):
        assert sign_in(computer, "ivanova", WRONG).status_code == 200
    # The device is untrusted now: its next failures count like anyone's, up to the lockout.
    assert fail_until_locked(computer, "ivanova").status_code == 429
    assert sign_in(computer, "ivanova", PASSWORD).status_code == 429


def test_a_device_cookie_is_trusted_for_its_own_login_only_and_never_when_forged(ivanova, petrov):
    computer = teachers_computer("ivanova")
    assert fail_until_locked(Client(), "petrov").status_code == 429
    assert sign_in(computer, "petrov", PASSWORD).status_code == 429
    forged = Client()
    forged.cookies[DEVICE_COOKIE] = computer.cookies[DEVICE_COOKIE].value[:-2] + "xx"
    assert fail_until_locked(Client(), "ivanova").status_code == 429
    assert sign_in(forged, "ivanova", PASSWORD).status_code == 429
    assert sign_in(computer, "ivanova", PASSWORD).status_code == 302


def test_after_the_cool_off_the_login_works_again(client, ivanova):
    fail_until_locked(client, "ivanova")
    assert sign_in(client, "ivanova", PASSWORD).status_code == 429
    cool_off = django_settings.AXES_COOLOFF_TIME
    assert cool_off == timedelta(minutes=15)
    # Almost the whole cool-off later: still locked.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - cool_off + timedelta(minutes=1))
    assert sign_in(client, "ivanova", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - cool_off)
    response = sign_in(client, "ivanova", PASSWORD)
    assert response.status_code == 302
    assert is_signed_in(client)


def test_a_success_before_the_limit_resets_the_count(client, ivanova):
    limit = django_settings.AXES_FAILURE_LIMIT
    for _attempt in range(limit - 1):
        sign_in(client, "ivanova", WRONG)
    assert sign_in(client, "ivanova", PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(limit - 1):
        assert sign_in(client, "ivanova", WRONG).status_code == 200
    assert sign_in(client, "ivanova", PASSWORD).status_code == 302


def test_behind_a_trusted_proxy_a_forged_forwarded_address_does_not_escape_the_lockout(
    client, settings, ivanova
):
    settings.TRUSTED_PROXY_COUNT = 1
    limit = django_settings.AXES_FAILURE_LIMIT
    statuses = [
        client.post(
            reverse("login"),
            {"username": "ivanova", "password": WRONG},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 203.0.113.9",
        ).status_code
        for n in range(limit)
    ]
    assert statuses[-1] == 429
    assert AccessAttempt.objects.get(username="ivanova").ip_address == "203.0.113.9"


# Login history --------------------------------------------------------------------------------


def test_a_sign_in_and_a_failed_one_are_recorded_with_address_and_browser(client, ivanova):
    sign_in(client, "ivanova", WRONG, ip="10.0.0.7")
    sign_in(client, "ivanova", PASSWORD, ip="10.0.0.8")
    events = list(LoginEvent.objects.filter(user=ivanova).order_by("at", "pk"))
    assert [(e.succeeded, e.ip_address, e.user_agent) for e in events] == [
        (False, "10.0.0.7", "Тестовый браузер"),
        (True, "10.0.0.8", "Тестовый браузер"),
    ]


def test_a_failed_sign_in_with_an_unknown_login_records_nothing(client, ivanova):
    sign_in(client, "nobody", WRONG)
    assert not LoginEvent.objects.exists()


def test_every_axes_migration_is_applied_to_the_database(db):
    executor = MigrationExecutor(connection)
    axes_leaves = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "axes"]
    assert axes_leaves, "axes has no migrations"
    assert executor.migration_plan(axes_leaves) == []
    assert connection.vendor == "postgresql"
    tables = set(connection.introspection.table_names())
    assert {"axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"} <= tables
