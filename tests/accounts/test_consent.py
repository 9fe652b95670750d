"""People's data kept current: the class teacher edits their pupils' records (with history),
records consent to the processing of personal data (152-ФЗ), sees who has not given it, and
notes the families who asked for a paper diary."""

import pytest
from django_scopes import scopes_disabled

from accounts.models import Consent, Pupil
from accounts.navigation import school_reverse

pytestmark = pytest.mark.django_db


def test_the_class_teacher_edits_their_pupil_s_record_with_history(client, world):
    client.force_login(world.users["class_teacher"])
    pupil = world.own_pupil
    url = school_reverse(world.school, "accounts:pupil_edit", pk=pupil.pk)
    response = client.post(
        url,
        {
            "last_name": pupil.last_name,
            "first_name": pupil.first_name,
            "phone": "+7 900 000-00-01",
            "paper_diary": "on",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        pupil = Pupil.objects.get(pk=pupil.pk)
        assert pupil.phone == "+7 900 000-00-01" and pupil.paper_diary
        assert pupil.history.first().history_user == world.users["class_teacher"]
    other = school_reverse(world.school, "accounts:pupil_edit", pk=world.other_pupil.pk)
    # Another class's pupil: not found for this class teacher, as if it did not exist.
    assert client.get(other).status_code == 404


def test_consent_is_recorded_shown_on_the_card_withdrawn_and_kept(client, world):
    client.force_login(world.users["class_teacher"])
    pupil = world.own_pupil
    with scopes_disabled():
        Consent.objects.filter(pupil=pupil).delete()
    class_page = school_reverse(world.school, "schedule:class", pk=world.own_class.pk)
    card_url = school_reverse(world.school, "accounts:pupil", pk=pupil.pk)
    missing = f'<strong class="bad">нет</strong> <a href="{card_url}">'
    assert missing in client.get(class_page).content.decode()
    response = client.post(
        school_reverse(world.school, "accounts:consent_add", pk=pupil.pk),
        {"whose": "", "given_on": "2026-09-01", "given_by": "Свой Иван Петрович"},
    )
    assert response.status_code == 302
    card = client.get(school_reverse(world.school, "accounts:pupil", pk=pupil.pk)).content
    assert "Свой Иван Петрович" in card.decode() and "01.09.2026" in card.decode()
    assert missing not in client.get(class_page).content.decode()
    with scopes_disabled():
        consent = Consent.objects.get(pupil=pupil)
    client.post(school_reverse(world.school, "accounts:consent_withdraw", pk=consent.pk))
    with scopes_disabled():
        consent.refresh_from_db()
        assert consent.withdrawn_on == world.school.today()
        assert consent.history.count() == 2
        assert consent.history.first().history_user == world.users["class_teacher"]
    assert missing in client.get(class_page).content.decode()


def test_a_consent_without_its_date_is_refused_in_russian(client, world):
    client.force_login(world.users["admin"])
    pupil = world.own_pupil
    with scopes_disabled():
        before = Consent.objects.filter(pupil=pupil).count()
    response = client.post(
        school_reverse(world.school, "accounts:consent_add", pk=pupil.pk),
        {"given_by": "Кто-то"},
        follow=True,
    )
    assert "Обязательное поле" in response.content.decode()
    with scopes_disabled():
        assert Consent.objects.filter(pupil=pupil).count() == before


def test_the_administrator_s_home_shows_codes_people_without_roles_and_the_year(client, world):
    from accounts.services import end_role

    with scopes_disabled():
        end_role(world.users["director"].memberships.get(school=world.school))
    client.force_login(world.users["admin"])
    html = client.get(school_reverse(world.school, "accounts:dashboard")).content.decode()
    assert "Коды сотрудников ждут входа</a>: 1" in html  # the world's one staff code
    assert 'Люди без ролей (все роли завершены)</a>: <strong class="bad">1</strong>' in html
    assert "Учебный год</a>: " in html
    client.force_login(world.users["deputy"])
    html = client.get(school_reverse(world.school, "accounts:dashboard")).content.decode()
    assert "Коды сотрудников ждут входа" not in html
