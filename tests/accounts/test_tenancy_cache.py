"""The school and the user's roles are read through the cache: changes must show at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from accounts.models import Membership, Role
from accounts.services import end_role, grant_role
from tests.factories import make_member, make_school, make_user

pytestmark = pytest.mark.django_db


def dashboard(client, school):
    return client.get(f"/s/{school.slug}/")


def test_a_second_page_reads_the_school_and_roles_without_queries(client):
    school = make_school()
    teacher = make_member(school, Role.TEACHER)
    client.force_login(teacher)
    assert dashboard(client, school).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert dashboard(client, school).status_code == 200
    sql = " ".join(q["sql"] for q in queries)
    assert '"accounts_school"."slug" =' not in sql
    assert 'SELECT "accounts_membership"."role"' not in sql


def test_an_ended_role_closes_the_school_at_once(client):
    school = make_school()
    teacher = make_member(school, Role.TEACHER)
    client.force_login(teacher)
    assert dashboard(client, school).status_code == 200
    with scopes_disabled():
        end_role(Membership.objects.get(user=teacher, school=school))
    assert dashboard(client, school).status_code == 404


def test_a_granted_role_opens_the_school_at_once(client):
    school = make_school()
    user = make_user()
    client.force_login(user)
    assert dashboard(client, school).status_code == 404
    with scopes_disabled():
        grant_role(school, user, Role.TEACHER)
    assert dashboard(client, school).status_code == 200


def test_a_renamed_school_shows_its_new_name(client):
    school = make_school()
    client.force_login(make_member(school, Role.TEACHER))
    assert dashboard(client, school).status_code == 200
    school.short_name = "Гимназия №7"
    school.save()
    assert "Гимназия №7" in dashboard(client, school).content.decode()
