"""People, pupils' records and roles: the school administrator's pages."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from accounts.models import AccessCode, Membership, Pupil, Role
from accounts.navigation import school_reverse
from accounts.services import end_role, grant_role, redeem_code, revoke_code
from tests.factories import make_member, make_parent, make_pupil, make_school, make_user

PUPIL = {
    "last_name": "Новиков",
    "first_name": "Олег",
    "patronymic": "Игоревич",
    "birth_date": "2014-03-15",
    "sex": "m",
    "document": "II-МЮ 123456",
    "address": "ул. Школьная, 1",
    "phone": "+7 900 000-00-00",
    "email": "oleg@example.ru",
}


def memberships(user, school):
    with scopes_disabled():
        return Membership.objects.filter(user=user, school=school)


# Pupils' records ------------------------------------------------------------------------------


def test_the_administrator_creates_a_pupil_record(client, school, admin):
    client.force_login(admin)
    response = client.post(school_reverse(school, "accounts:pupil_create"), PUPIL)
    assert response.status_code == 302
    with scopes_disabled():
        pupil = Pupil.objects.get(last_name="Новиков")
    assert response["Location"] == school_reverse(school, "accounts:pupil", pk=pupil.pk)
    assert pupil.school == school
    assert pupil.birth_date == date(2014, 3, 15)
    assert (pupil.document, pupil.user) == ("II-МЮ 123456", None)
    assert pupil.history.count() == 1
    assert pupil.history.first().history_user == admin


def test_a_pupil_date_in_russian_form_is_accepted(client, school, admin):
    client.force_login(admin)
    response = client.post(
        school_reverse(school, "accounts:pupil_create"), {**PUPIL, "birth_date": "15.03.2014"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert Pupil.objects.get(last_name="Новиков").birth_date == date(2014, 3, 15)


def test_a_bad_birth_date_answers_400_in_russian_and_keeps_the_other_fields(client, school, admin):
    client.force_login(admin)
    response = client.post(
        school_reverse(school, "accounts:pupil_create"), {**PUPIL, "birth_date": "31.02.2014"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Введите правильную дату." in page
    for field in ("last_name", "first_name", "patronymic", "document", "address", "email"):
        assert f'value="{PUPIL[field]}"' in page, field
    with scopes_disabled():
        assert not Pupil.objects.exists()


def test_a_bad_date_when_editing_a_pupil_answers_400_and_changes_nothing(client, school, admin):
    pupil = make_pupil(school, None, last_name="Старый")
    client.force_login(admin)
    response = client.post(
        school_reverse(school, "accounts:pupil_edit", pk=pupil.pk),
        {**PUPIL, "birth_date": "вчера"},
    )
    assert response.status_code == 400
    assert "Введите правильную дату." in response.content.decode()
    assert 'value="Новиков"' in response.content.decode()
    with scopes_disabled():
        assert Pupil.objects.get(pk=pupil.pk).last_name == "Старый"


@pytest.mark.parametrize("role", [Role.TEACHER, Role.PARENT, Role.PUPIL, Role.CLASS_TEACHER])
def test_pupils_personal_data_is_not_shown_to_teachers_or_families(client, school, role):
    pupil = make_pupil(school, None, document="II-МЮ 654321")
    client.force_login(make_member(school, role))
    for page in ("accounts:pupils", "accounts:pupil_create"):
        assert client.get(school_reverse(school, page)).status_code == 403
    # One pupil's card is not found for them, as another class's pupil for a class teacher.
    response = client.get(school_reverse(school, "accounts:pupil", pk=pupil.pk))
    assert response.status_code == 404
    assert "654321" not in response.content.decode()


# Roles ----------------------------------------------------------------------------------------


def test_the_administrator_grants_a_role_and_its_pages_open(client, school, admin):
    teacher = make_member(school, Role.TEACHER)
    as_teacher = client.__class__()
    as_teacher.force_login(teacher)
    people = school_reverse(school, "accounts:people")
    assert as_teacher.get(people).status_code == 403

    client.force_login(admin)
    response = client.post(
        school_reverse(school, "accounts:grant_role", pk=teacher.pk), {"role": Role.DEPUTY}
    )
    assert response.status_code == 302
    assert set(memberships(teacher, school).active().values_list("role", flat=True)) == {
        Role.TEACHER,
        Role.DEPUTY,
    }
    assert as_teacher.get(people).status_code == 200
    deputy = memberships(teacher, school).get(role=Role.DEPUTY)
    assert deputy.history.first().history_user == admin


def test_granting_a_role_twice_keeps_one_membership(client, school, admin):
    teacher = make_member(school, Role.TEACHER)
    client.force_login(admin)
    url = school_reverse(school, "accounts:grant_role", pk=teacher.pk)
    client.post(url, {"role": Role.DEPUTY})
    client.post(url, {"role": Role.DEPUTY})
    assert memberships(teacher, school).active().filter(role=Role.DEPUTY).count() == 1


def test_a_family_role_cannot_be_granted_from_the_person_page(client, school, admin):
    teacher = make_member(school, Role.TEACHER)
    client.force_login(admin)
    client.post(school_reverse(school, "accounts:grant_role", pk=teacher.pk), {"role": Role.PARENT})
    assert not memberships(teacher, school).filter(role=Role.PARENT).exists()


def test_the_administrator_ends_a_role_and_its_pages_close(client, school, admin):
    deputy = make_member(school, Role.DEPUTY)
    deputy_role = memberships(deputy, school).get()
    as_deputy = client.__class__()
    as_deputy.force_login(deputy)
    assert as_deputy.get(school_reverse(school, "accounts:people")).status_code == 200

    client.force_login(admin)
    response = client.post(school_reverse(school, "accounts:end_role", pk=deputy_role.pk))
    assert response.status_code == 302
    deputy_role.refresh_from_db()
    assert deputy_role.ended_at is not None
    # With no role left the school is as if it did not exist for them.
    assert as_deputy.get(school_reverse(school, "accounts:people")).status_code == 404
    # The person and the ended role stay on record.
    page = client.get(school_reverse(school, "accounts:person", pk=deputy.pk)).content.decode()
    assert "снята" in page


def test_the_administrator_cannot_end_their_own_administrator_role(client, school, admin):
    own = memberships(admin, school).get(role=Role.ADMIN)
    client.force_login(admin)
    response = client.post(school_reverse(school, "accounts:end_role", pk=own.pk), follow=True)
    assert response.status_code == 200
    assert "Нельзя снять с себя роль администратора." in response.content.decode()
    own.refresh_from_db()
    assert own.ended_at is None


def test_a_parent_role_is_not_ended_from_the_person_page_and_the_child_stays_visible(
    client, school, admin
):
    pupil = make_pupil(school, None)
    parent = make_parent(school, pupil)
    role = memberships(parent, school).get(role=Role.PARENT)
    client.force_login(admin)
    response = client.post(school_reverse(school, "accounts:end_role", pk=role.pk), follow=True)
    assert "меняются через карточку обучающегося" in response.content.decode()
    role.refresh_from_db()
    assert role.ended_at is None
    assert parent.has_perm("accounts.view_pupil", pupil)


def test_the_people_list_filters_by_a_role_held_in_this_school(client, school, admin):
    other_school = make_school()
    teacher_here_admin_there = make_member(school, Role.TEACHER, last_name="Двойнова")
    with scopes_disabled():
        grant_role(other_school, teacher_here_admin_there, Role.ADMIN)
    former_deputy = make_member(school, Role.TEACHER, last_name="Бывшева")
    with scopes_disabled():
        end_role(grant_role(school, former_deputy, Role.DEPUTY))
    client.force_login(admin)
    url = school_reverse(school, "accounts:people")
    admins = {u.last_name for u in client.get(url, {"role": Role.ADMIN}).context["object_list"]}
    assert admins == {"Админова"}
    deputies = client.get(url, {"role": Role.DEPUTY}).context["object_list"]
    assert list(deputies) == []
    teachers = {u.last_name for u in client.get(url, {"role": Role.TEACHER}).context["object_list"]}
    assert teachers == {"Двойнова", "Бывшева"}
    everyone = client.get(url).context["object_list"]
    roles_of = {u.last_name: [m.role for m in u.school_memberships] for u in everyone}
    assert roles_of["Двойнова"] == [Role.TEACHER]  # the other school's role is not shown


# Query counts ---------------------------------------------------------------------------------


def count_queries(client, url):
    client.get(url)  # warm: session and caches as on any later page
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


def test_the_people_list_costs_the_same_queries_for_5_and_40_people(client, school, admin):
    def add_people(count):
        for n in range(count):
            user = make_member(school, Role.TEACHER)
            if n % 2:
                with scopes_disabled():
                    grant_role(school, user, Role.DEPUTY)

    client.force_login(admin)
    url = school_reverse(school, "accounts:people")
    add_people(5)
    small, small_sql = count_queries(client, url)
    add_people(35)
    large, large_sql = count_queries(client, url)
    assert small == large, "\n".join(large_sql)
    assert large <= 10, "\n".join(large_sql)
    page = client.get(url).content.decode()
    with scopes_disabled():
        roles_held = Membership.objects.active().filter(school=school).count()
    assert roles_held == 1 + 40 + 19
    assert page.count('<span class="badge">') == roles_held


def test_the_staff_codes_page_costs_the_same_queries_for_3_and_30_codes(client, school, admin):
    def add_codes(count):
        with scopes_disabled():
            for n in range(count):
                code, _raw = AccessCode.issue(
                    school=school, role=Role.TEACHER, created_by=admin, intended_for=f"№{n}"
                )
                if n % 3 == 1:
                    redeem_code(code.pk, make_user())
                elif n % 3 == 2:
                    revoke_code(code, admin)

    client.force_login(admin)
    url = school_reverse(school, "accounts:staff_codes")
    add_codes(3)
    small, small_sql = count_queries(client, url)
    add_codes(27)
    large, large_sql = count_queries(client, url)
    assert small == large, "\n".join(large_sql)
    assert large <= 10, "\n".join(large_sql)
    page = client.get(url).content.decode()
    assert page.count('class="badge used"') == 10
    assert page.count('class="badge revoked"') == 10
