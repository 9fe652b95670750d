"""A user keeps their own phone and e-mail current; a new e-mail counts once its link is opened."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_phone_is_saved_and_a_new_email_waits_for_its_link(client):
    user = make_user(email="old@example.org")
    client.force_login(user)
    response = client.post(
        reverse("account:profile"), {"phone": "+7 900 111-22-33", "email": "new@example.org"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone == "+7 900 111-22-33"
    assert user.email == "old@example.org"  # not until confirmed
    assert mail.outbox[-1].to == ["new@example.org"]
    link = re.search(r"http\S+", mail.outbox[-1].body).group(0)
    # Another user cannot use the link.
    other = make_user()
    client.force_login(other)
    client.get(link)
    other.refresh_from_db()
    assert other.email != "new@example.org"
    client.force_login(user)
    page = client.get(link, follow=True).content.decode()
    assert "подтверждён" in page
    user.refresh_from_db()
    assert user.email == "new@example.org"


def test_a_forged_link_and_a_bad_address_change_nothing(client):
    user = make_user(email="old@example.org")
    client.force_login(user)
    page = client.get(reverse("account:confirm_email") + "?t=forged", follow=True)
    assert "недействительна" in page.content.decode()
    response = client.post(reverse("account:profile"), {"phone": "", "email": "not-an-address"})
    assert response.status_code == 400
    assert "Введите правильный адрес электронной почты" in response.content.decode()
    user.refresh_from_db()
    assert user.email == "old@example.org"
