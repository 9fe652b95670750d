"""Sessions: «выйти на всех устройствах», 30 idle minutes, 12 hours after sign-in."""

import time

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from accounts.middleware import SessionLifetimeMiddleware
from accounts.models import Role
from tests.factories import PASSWORD, make_member

PROFILE = reverse("account:profile")


@pytest.fixture
def user(school):
    return make_member(school, Role.TEACHER, "ivanova")


def signed_in_client(user):
    client = Client()
    client.force_login(user)
    return client


def shift_stamp(client, key, seconds_ago):
    session = client.session
    session[key] = int(time.time()) - seconds_ago
    session.save()


def test_ending_all_sessions_ends_the_other_devices_and_keeps_this_one(user):
    laptop, phone = signed_in_client(user), signed_in_client(user)
    assert phone.get(PROFILE).status_code == 200

    response = laptop.post(reverse("account:end_sessions"), follow=True)
    assert response.status_code == 200
    assert "Все остальные сеансы завершены" in response.content.decode()

    assert laptop.get(PROFILE).status_code == 200
    ended = phone.get(PROFILE)
    assert ended.status_code == 302
    assert ended["Location"].startswith(reverse("login"))
    user.refresh_from_db()
    assert user.session_generation == 1


def test_ending_all_sessions_does_not_touch_another_users_session(school, user):
    colleague = make_member(school, Role.TEACHER, "petrov")
    mine, theirs = signed_in_client(user), signed_in_client(colleague)
    mine.post(reverse("account:end_sessions"))
    assert theirs.get(PROFILE).status_code == 200


def test_the_password_still_signs_in_after_ending_all_sessions(client, user):
    signed_in_client(user).post(reverse("account:end_sessions"))
    response = client.post(reverse("login"), {"username": "ivanova", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(PROFILE).status_code == 200


def test_ending_all_sessions_needs_a_post(user):
    client = signed_in_client(user)
    assert client.get(reverse("account:end_sessions")).status_code == 405
    user.refresh_from_db()
    assert user.session_generation == 0


def test_the_session_lives_twelve_hours_and_idles_out_after_thirty_minutes():
    assert django_settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    assert django_settings.SESSION_IDLE_TIMEOUT == 30 * 60


def test_a_session_idle_for_29_minutes_goes_on(user):
    client = signed_in_client(user)
    shift_stamp(client, SessionLifetimeMiddleware.STAMP, 29 * 60)
    assert client.get(PROFILE).status_code == 200
    # ...and the request renewed the idle stamp.
    assert int(time.time()) - client.session[SessionLifetimeMiddleware.STAMP] < 5


def test_a_session_idle_for_31_minutes_is_ended(user):
    client = signed_in_client(user)
    assert client.get(PROFILE).status_code == 200
    shift_stamp(client, SessionLifetimeMiddleware.STAMP, 31 * 60)
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_an_active_session_still_ends_twelve_hours_after_sign_in(user):
    client = signed_in_client(user)
    shift_stamp(client, SessionLifetimeMiddleware.SIGNED_IN, 12 * 60 * 60 - 60)
    assert client.get(PROFILE).status_code == 200
    shift_stamp(client, SessionLifetimeMiddleware.SIGNED_IN, 12 * 60 * 60 + 60)
    shift_stamp(client, SessionLifetimeMiddleware.STAMP, 10)  # active a moment ago
    assert client.get(PROFILE).status_code == 302
    assert "_auth_user_id" not in client.session


def test_signing_in_stamps_the_session(client, user):
    client.post(reverse("login"), {"username": "ivanova", "password": PASSWORD})
    session = client.session
    now = int(time.time())
    assert now - session[SessionLifetimeMiddleware.SIGNED_IN] < 5
    assert now - session[SessionLifetimeMiddleware.STAMP] < 5


def test_the_session_cookie_is_http_only_and_its_age_is_twelve_hours(client, user):
    response = client.post(reverse("login"), {"username": "ivanova", "password": PASSWORD})
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert int(cookie["max-age"]) == 12 * 60 * 60
