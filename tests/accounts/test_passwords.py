"""Password reset by e-mail and the change-password page."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from tests.factories import PASSWORD, make_member

NEW_PASSWORD = "Osen-parol-2026!"
LINK = re.compile(r"https?://testserver(/auth/reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def user(school):
    return make_member(school, Role.PARENT, "mama", email="mama@example.ru")


def sign_in(client, password, username="mama"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_reset_link_arrives_by_email_and_the_new_password_signs_in(client, user):
    response = client.post(reverse("password_reset"), {"email": "mama@example.ru"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mama@example.ru"]
    assert message.subject == "Восстановление пароля в электронном журнале"
    assert "для логина mama." in message.body

    link = LINK.search(message.body)[1]
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("password_reset_complete")

    assert sign_in(Client(), PASSWORD).status_code == 200  # the old one no longer works
    fresh = Client()
    assert sign_in(fresh, NEW_PASSWORD).status_code == 302
    assert "_auth_user_id" in fresh.session


def test_a_reset_link_works_only_once(client, user):
    client.post(reverse("password_reset"), {"email": "mama@example.ru"})
    link = LINK.search(mail.outbox[0].body)[1]
    page = client.get(link, follow=True)
    url = page.redirect_chain[-1][0]
    client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = Client().get(link, follow=True)
    assert again.context["validlink"] is False
    assert "Ссылка недействительна" in again.content.decode()


def test_a_weak_new_password_on_the_reset_page_answers_400(client, user):
    client.post(reverse("password_reset"), {"email": "mama@example.ru"})
    page = client.get(LINK.search(mail.outbox[0].body)[1], follow=True)
    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 400
    assert "Введённый пароль состоит только из цифр." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, user):
    response = client.post(reverse("password_reset"), {"email": "stranger@example.ru"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_reset_ends_the_sessions_signed_in_with_the_old_password(client, user):
    other_device = Client()
    other_device.force_login(user)
    client.post(reverse("password_reset"), {"email": "mama@example.ru"})
    page = client.get(LINK.search(mail.outbox[0].body)[1], follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert other_device.get(reverse("account:profile")).status_code == 302


def test_the_change_password_page_changes_it_and_keeps_this_session(client, user):
    client.force_login(user)
    other_device = Client()
    other_device.force_login(user)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    assert "Смена пароля" in page.content.decode()

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("account:profile")).status_code == 200
    assert other_device.get(reverse("account:profile")).status_code == 302


def test_a_wrong_old_password_answers_400_in_russian_and_changes_nothing(client, user):
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert "Ваш старый пароль введен неправильно" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
