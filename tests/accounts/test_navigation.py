"""The navigation bar: its entries follow the user's roles, and only the roles.

accounts.navigation keeps the visible entries per set of roles, which is right only while
every entry's permission, asked of the school, is a rule about roles. These tests hold every
registered entry to that, with users who hold object grants of every kind besides roles.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django_scopes import scopes_disabled

from accounts.models import Membership, Role, User
from accounts.navigation import _entries, _visible_memo, entries_for
from accounts.services import grant_role
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db


def request_for(user, school, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    request.school = school
    with scopes_disabled():
        request.school_roles = Membership.objects.roles_of(user.pk, school.pk)
    return request


def shown(user, school) -> list[str]:
    _visible_memo.clear()
    return [item["url"] for item in entries_for(request_for(user, school))]


def asked_one_by_one(user, school) -> list[str]:
    from accounts.navigation import school_reverse

    return [
        school_reverse(school, entry.url_name)
        for entry in _entries
        if user.has_perm(entry.permission, school)
    ]


def test_every_actor_sees_what_each_entrys_permission_allows(world):
    for name, user in world.users.items():
        if user is None:
            continue
        with scopes_disabled():
            assert shown(user, world.school) == asked_one_by_one(user, world.school), name


def test_users_with_the_same_roles_see_the_same_entries_whatever_they_hold(world):
    """The class teacher leads a class and the teacher teaches courses; a plain teacher and a
    parent of no child hold nothing. Same roles, same entries."""
    school = world.school
    bare_teacher = make_member(school, Role.TEACHER, "bare_teacher")
    bare_class_teacher = make_member(school, Role.TEACHER, "bare_class_teacher")
    grant_role(school, bare_class_teacher, Role.CLASS_TEACHER)  # leads no class
    with scopes_disabled():
        assert shown(world.users["teacher"], school) == shown(bare_teacher, school)
        assert shown(world.users["class_teacher"], school) == shown(bare_class_teacher, school)
    bare_parent = make_user("bare_parent")
    grant_role(school, bare_parent, Role.PARENT)
    with scopes_disabled():
        assert shown(world.users["parent"], school) == shown(bare_parent, school)


def test_the_kept_entries_change_with_the_roles(world):
    school, user = world.school, make_member(world.school, Role.TEACHER, "promoted")
    _visible_memo.clear()
    with scopes_disabled():
        before = [item["url"] for item in entries_for(request_for(user, school))]
        grant_role(school, user, Role.DEPUTY)
        user = User.objects.get(pk=user.pk)  # the next request's user
        after = [item["url"] for item in entries_for(request_for(user, school))]
    assert set(before) < set(after)


def test_the_current_section_is_marked_on_each_request(world):
    school, user = world.school, world.users["teacher"]
    with scopes_disabled():
        items = entries_for(request_for(user, school))
        target = items[-1]["url"]
        again = entries_for(request_for(user, school, path=target))
    assert not any(item["active"] for item in items if item["url"] == target)
    assert [item["url"] for item in again if item["active"]] == [target]


def test_nobody_signed_out_sees_entries(world):
    assert entries_for(request_for(AnonymousUser(), world.school)) == []
