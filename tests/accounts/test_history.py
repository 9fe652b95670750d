"""simple-history keeps every change of roles, pupils' records and parent links, with its author."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import Membership, ParentLink, Pupil, Role
from accounts.navigation import school_reverse
from tests.factories import make_member, make_pupil

pytestmark = pytest.mark.django_db

NEW_ACCOUNT = {
    "username": "mama",
    "last_name": "Смирнова",
    "first_name": "Ольга",
    "password1": "Vesna-2026-sad",
    "password2": "Vesna-2026-sad",
}


def redeem(client, raw, account=None):
    assert client.post(reverse("account:redeem"), {"code": raw}).status_code == 302
    response = client.post(reverse("account:redeem_confirm"), account or {})
    assert response.status_code == 302
    return response


def authors(records):
    return [(r.history_type, r.history_user) for r in records.order_by("history_date")]


def test_ending_a_role_is_kept_in_its_history_with_the_administrator(client, school, admin):
    deputy = make_member(school, Role.DEPUTY)
    with scopes_disabled():
        role = Membership.objects.get(user=deputy, school=school)
    client.force_login(admin)
    client.post(school_reverse(school, "accounts:end_role", pk=role.pk))
    with scopes_disabled():
        records = role.history.order_by("history_date")
        assert [r.ended_at is None for r in records] == [True, False]
        assert records.last().history_type == "~"
        assert records.last().history_user == admin


def test_editing_a_pupils_record_keeps_the_old_value_and_the_editor(client, school, admin, pupil):
    client.force_login(admin)
    client.post(
        school_reverse(school, "accounts:pupil_edit", pk=pupil.pk),
        {"last_name": "Смирнова-Лебедева", "first_name": "Анна", "document": "II-МЮ 111111"},
    )
    with scopes_disabled():
        records = Pupil.history.filter(id=pupil.pk).order_by("history_date")
        assert [r.last_name for r in records] == ["Смирнова", "Смирнова-Лебедева"]
        assert records.last().history_user == admin


def test_a_new_parent_redeeming_a_code_is_the_author_of_their_link_and_role(
    client, school, pupil, issue
):
    _code, raw = issue(Role.PARENT, pupil=pupil)
    redeem(client, raw, NEW_ACCOUNT)
    with scopes_disabled():
        link = ParentLink.objects.get(pupil=pupil)
        membership = Membership.objects.get(user=link.parent, role=Role.PARENT)
        assert link.parent.username == "mama"
        assert authors(link.history) == [("+", link.parent)]
        assert authors(membership.history) == [("+", link.parent)]


def test_a_new_pupil_redeeming_a_code_is_the_author_of_the_binding_of_their_record(
    client, school, pupil, issue
):
    _code, raw = issue(Role.PUPIL, pupil=pupil)
    redeem(client, raw, {**NEW_ACCOUNT, "username": "anna", "last_name": "Смирнова"})
    with scopes_disabled():
        pupil.refresh_from_db()
        bound = Pupil.history.filter(id=pupil.pk).order_by("history_date").last()
        assert pupil.user.username == "anna"
        assert (bound.user_id, bound.history_user) == (pupil.user_id, pupil.user)


def test_a_signed_in_parent_redeeming_a_code_is_the_author_of_the_new_link(
    client, school, school_class, issue
):
    second_child = make_pupil(school, school_class, last_name="Смирнов", first_name="Иван")
    parent = make_member(school, Role.TEACHER, "teacher-and-parent")
    _code, raw = issue(Role.PARENT, pupil=second_child)
    client.force_login(parent)
    redeem(client, raw)
    with scopes_disabled():
        link = ParentLink.objects.get(pupil=second_child)
        assert authors(link.history) == [("+", parent)]


def test_a_link_removed_by_the_operator_is_kept_in_history(school, pupil):
    parent = make_member(school, Role.PARENT)
    with scopes_disabled():
        link = ParentLink.objects.create(school=school, parent=parent, pupil=pupil)
        link_id = link.pk
        link.delete()
        assert [r.history_type for r in ParentLink.history.filter(id=link_id)] == ["-", "+"]
        assert not parent.has_perm("accounts.view_pupil", pupil)
