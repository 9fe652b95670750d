"""The school keeps who reads a pupil's diary: one code per parent (two parents of one pupil
each redeem their own, and the code names who they are), the administrator or the class
teacher ends a parent's or the pupil's access with a reason (kept: who, when, why; the access
ends at once) and issues a new code; the class teacher keeps the parents' contacts current,
with history."""

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from accounts.models import (
    AccessCode,
    FamilyAccessEnd,
    Membership,
    ParentLink,
    Pupil,
    Role,
    User,
)
from accounts.navigation import school_reverse
from accounts.services import find_usable_code, redeem_code
from tests.factories import make_member, make_parent, make_pupil, make_user

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def diary(world, pupil):
    return school_reverse(world.school, "journal:diary_week", pupil=pupil.pk)


def end_access(client, world, pupil, whose, reason="Код попал к постороннему", **extra):
    url = school_reverse(world.school, "accounts:end_family_access", pk=pupil.pk)
    return client.post(url, {"whose": str(whose.pk), "reason": reason, **extra})


# One code per parent -------------------------------------------------------------------------


def test_two_parents_of_one_pupil_each_redeem_their_own_code_and_their_link_says_who_they_are(
    world,
):
    pupil = make_pupil(world.school, world.own_class, last_name="Двоеродов")
    teacher = signed_in(world.users["class_teacher"])
    url = school_reverse(world.school, "schedule:class_codes", pk=world.own_class.pk)
    data = {"roles": ["parent"], "parent_kinds": ["mother", "father"], "output": "html"}
    response = teacher.post(url, {**data, "only_missing": "on"})
    assert response.status_code == 200
    slips = [s for s in response.context["slips"] if s["pupil"].pk == pupil.pk]
    assert sorted(s["code"].parent_kind for s in slips) == ["father", "mother"]
    page = response.content.decode()
    assert "Двоеродов Пётр: мать" in page and "Двоеродов Пётр: отец" in page

    mother, father = make_user(last_name="Мамина"), make_user(last_name="Папин")
    for slip, user in zip(
        sorted(slips, key=lambda s: s["code"].parent_kind), (father, mother), strict=True
    ):
        redeem_code(find_usable_code(slip["raw"]).pk, user)
    with scopes_disabled():
        links = dict(ParentLink.objects.filter(pupil=pupil).values_list("parent_id", "kind"))
    assert links == {mother.pk: "mother", father.pk: "father"}
    assert signed_in(mother).get(diary(world, pupil)).status_code == 200
    assert signed_in(father).get(diary(world, pupil)).status_code == 200

    # Both seats are taken now: «only those without a code» issues none of them again.
    again = teacher.post(url, {**data, "only_missing": "on"})
    with scopes_disabled():
        assert not AccessCode.objects.usable().filter(pupil=pupil).exists()
    assert again.status_code in (200, 302)
    if again.status_code == 200:
        assert all(s["pupil"].pk != pupil.pk for s in again.context["slips"])


def test_a_single_code_redeemed_keeps_the_second_parent_s_code_usable(world):
    pupil = make_pupil(world.school, world.own_class)
    admin = signed_in(world.users["admin"])
    url = school_reverse(world.school, "accounts:family_code", pk=pupil.pk)
    raws = []
    for kind, name in (("mother", "Иванова Мария Петровна"), ("father", "Иванов Пётр Ильич")):
        response = admin.post(url, {"role": "parent", "parent_kind": kind, "intended_for": name})
        assert response.status_code == 200
        [slip] = response.context["slips"]
        assert name in response.content.decode()
        raws.append(slip["raw"])
    redeem_code(find_usable_code(raws[0]).pk, make_user())
    # The other parent's code is their own: the first redemption did not use it up.
    assert find_usable_code(raws[1]).parent_kind == "father"


# Ending access -------------------------------------------------------------------------------


def test_the_class_teacher_ends_a_parent_s_access_with_a_reason_and_it_ends_at_once(world):
    parent = world.users["parent"]
    as_parent = signed_in(parent)
    assert as_parent.get(diary(world, world.own_pupil)).status_code == 200

    response = end_access(signed_in(world.users["class_teacher"]), world, world.own_pupil, parent)
    assert response.status_code == 302

    # The very next page is refused; the parent's other child (another link) stays open.
    assert as_parent.get(diary(world, world.own_pupil)).status_code == 404
    assert as_parent.get(diary(world, world.own_second_pupil)).status_code == 200
    with scopes_disabled():
        assert not ParentLink.objects.filter(parent=parent, pupil=world.own_pupil).exists()
        assert Membership.objects.active().filter(user=parent, role=Role.PARENT).exists()
        [ended] = FamilyAccessEnd.objects.all()
        # The link's history keeps it, with who took it.
        deleted = ParentLink.history.filter(parent_id=parent.pk, history_type="-").get()
    assert (ended.user, ended.pupil_id, ended.role) == (parent, world.own_pupil.pk, Role.PARENT)
    assert ended.ended_by == world.users["class_teacher"]
    assert ended.reason == "Код попал к постороннему"
    assert deleted.history_user == world.users["class_teacher"]

    page = signed_in(world.users["admin"]).get(
        school_reverse(world.school, "accounts:family_access", pk=world.own_pupil.pk)
    )
    assert "Код попал к постороннему" in page.content.decode()


def test_a_parent_with_no_other_child_loses_the_parent_role(world):
    pupil = make_pupil(world.school, world.own_class)
    parent = make_parent(world.school, pupil)
    as_parent = signed_in(parent)
    assert as_parent.get(diary(world, pupil)).status_code == 200
    assert end_access(signed_in(world.users["admin"]), world, pupil, parent).status_code == 302
    with scopes_disabled():
        membership = Membership.objects.get(user=parent, role=Role.PARENT)
        assert membership.ended_at is not None
        assert membership.history.first().history_user == world.users["admin"]
        assert not ParentLink.objects.filter(parent=parent).exists()
    assert as_parent.get(diary(world, pupil)).status_code == 404
    # Without a role in the school, the school itself is not theirs any more.
    assert as_parent.get(school_reverse(world.school, "accounts:dashboard")).status_code == 404


def test_ending_the_pupil_s_own_access_ends_their_role_and_detaches_their_account(world):
    pupil_user = world.users["pupil"]
    as_pupil = signed_in(pupil_user)
    assert as_pupil.get(diary(world, world.own_pupil)).status_code == 200
    response = end_access(
        signed_in(world.users["class_teacher"]), world, world.own_pupil, pupil_user
    )
    assert response.status_code == 302
    assert as_pupil.get(diary(world, world.own_pupil)).status_code == 404
    with scopes_disabled():
        assert Pupil.objects.get(pk=world.own_pupil.pk).user_id is None
        assert not Membership.objects.active().filter(user=pupil_user, role=Role.PUPIL).exists()
        assert FamilyAccessEnd.objects.get().role == Role.PUPIL


def test_a_new_code_follows_the_ending_and_makes_the_same_parent_s_link(world):
    parent = world.users["parent"]
    with scopes_disabled():
        ParentLink.objects.filter(parent=parent, pupil=world.own_pupil).update(kind="mother")
    response = end_access(
        signed_in(world.users["class_teacher"]), world, world.own_pupil, parent, new_code="on"
    )
    assert response.status_code == 200
    [slip] = response.context["slips"]
    assert slip["code"].parent_kind == "mother"
    assert slip["code"].intended_for == parent.full_name
    assert slip["raw"] in response.content.decode()
    newcomer = make_user(last_name="Новая")
    redeem_code(find_usable_code(slip["raw"]).pk, newcomer)
    with scopes_disabled():
        assert ParentLink.objects.get(parent=newcomer, pupil=world.own_pupil).kind == "mother"


def test_an_ending_without_a_reason_is_refused_in_russian_and_ends_nothing(world):
    parent = world.users["parent"]
    response = end_access(signed_in(world.users["admin"]), world, world.own_pupil, parent, "")
    assert response.status_code == 400
    assert "Обязательное поле" in response.content.decode()
    with scopes_disabled():
        assert ParentLink.objects.filter(parent=parent, pupil=world.own_pupil).exists()
        assert not FamilyAccessEnd.objects.exists()


def test_someone_without_access_to_this_pupil_cannot_be_named(world):
    """Another pupil's parent is not among the choices: refused, nothing ended."""
    other_parent = world.users["other_parent"]
    response = end_access(signed_in(world.users["admin"]), world, world.own_pupil, other_parent)
    assert response.status_code == 400
    with scopes_disabled():
        assert ParentLink.objects.filter(parent=other_parent).exists()


def test_a_pupil_code_is_refused_while_the_pupil_s_account_is_linked(world):
    url = school_reverse(world.school, "accounts:family_code", pk=world.own_pupil.pk)
    response = signed_in(world.users["admin"]).post(url, {"role": "pupil"})
    assert response.status_code == 400
    assert "сначала закройте её доступ" in response.content.decode()
    with scopes_disabled():
        assert not AccessCode.objects.filter(pupil=world.own_pupil, role=Role.PUPIL).exists()


# The parents' contacts -----------------------------------------------------------------------


def test_the_class_teacher_keeps_a_parent_s_contacts_current_with_history(world):
    parent = world.users["parent"]
    url = school_reverse(
        world.school, "accounts:parent_contacts", pk=world.own_pupil.pk, parent_pk=parent.pk
    )
    teacher = signed_in(world.users["class_teacher"])
    response = teacher.post(url, {"phone": "+7 900 123-45-67", "email": "mama@example.ru"})
    assert response.status_code == 302
    parent = User.objects.get(pk=parent.pk)
    assert (parent.phone, parent.email) == ("+7 900 123-45-67", "mama@example.ru")
    change = parent.history.first()
    assert change.history_user == world.users["class_teacher"]
    assert change.phone == "+7 900 123-45-67"
    card = teacher.get(school_reverse(world.school, "accounts:pupil", pk=world.own_pupil.pk))
    assert "+7 900 123-45-67" in card.content.decode()

    bad = teacher.post(url, {"phone": "", "email": "не почта"})
    assert bad.status_code == 400
    assert "электронной почты" in bad.content.decode() or "адрес" in bad.content.decode()


def test_a_parent_of_another_pupil_is_not_found_through_this_pupil(world):
    url = school_reverse(
        world.school,
        "accounts:parent_contacts",
        pk=world.own_pupil.pk,
        parent_pk=world.users["other_parent"].pk,
    )
    assert signed_in(world.users["admin"]).get(url).status_code == 404


def test_signing_in_adds_no_row_to_a_person_s_history(world, client):
    user = make_member(world.school, Role.TEACHER)
    rows = user.history.count()
    client.force_login(user)  # stamps last_login
    user.end_all_sessions()
    user.refresh_from_db()
    assert user.last_login is not None
    assert User.objects.get(pk=user.pk).history.count() == rows


def test_the_pupil_s_card_lists_the_changes_of_the_record_and_of_the_parents_contacts(world):
    parent, teacher = world.users["parent"], world.users["class_teacher"]
    client = signed_in(teacher)
    pupil = world.own_pupil
    contacts = school_reverse(
        world.school, "accounts:parent_contacts", pk=pupil.pk, parent_pk=parent.pk
    )
    client.post(contacts, {"phone": "+7 900 123-45-67", "email": ""})
    edit = school_reverse(world.school, "accounts:pupil_edit", pk=pupil.pk)
    client.post(
        edit,
        {"last_name": pupil.last_name, "first_name": pupil.first_name, "address": "ул. Ленина, 1"},
    )
    page = client.get(school_reverse(world.school, "accounts:pupil", pk=pupil.pk))
    changes = page.context["changes"]
    assert [c["fields"] for c in changes[:2]] == [["адрес"], ["телефон"]]
    assert all(c["by"] == teacher for c in changes[:2])
    assert f"контакты: {parent.full_name}" in changes[1]["whose"]
    assert "запись обучающегося: адрес" in page.content.decode()


def queries_of(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("page", ["accounts:pupil", "accounts:family_access"])
def test_a_pupil_s_card_and_family_page_cost_the_same_queries_with_more_parents_and_changes(
    world, page, django_assert_num_queries
):
    pupil = make_pupil(world.school, world.own_class)
    client = signed_in(world.users["class_teacher"])
    url = school_reverse(world.school, page, pk=pupil.pk)
    make_parent(world.school, pupil)
    client.get(url)  # the session, the caches: warm
    few = queries_of(client, url)
    for n in range(3):
        other = make_parent(world.school, pupil)
        contacts = school_reverse(
            world.school, "accounts:parent_contacts", pk=pupil.pk, parent_pk=other.pk
        )
        client.post(contacts, {"phone": f"+7 900 000-00-0{n}", "email": ""})
    with scopes_disabled():
        AccessCode.issue(
            school=world.school, role=Role.PARENT, created_by=world.users["admin"], pupil=pupil
        )
    with django_assert_num_queries(few):
        assert client.get(url).status_code == 200
