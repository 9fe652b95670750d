"""seed_demo prints one account per role, each is what it claims to be, and the README agrees."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from accounts.models import Membership, Organisation, ParentLink, Pupil, Role, School, User
from schedule.models import Enrolment, SchoolClass

pytestmark = pytest.mark.django_db

README_ROW = re.compile(r"^\| `([^`]+)` \| (.+?) \|$", re.M)


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """Seed once for the module inside an outer transaction; each test runs in a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", pupils=4, classes=2, grades="1,5,9", stdout=out)
        with scopes_disabled():
            # The two schools (the demo college's branches are schools of their own).
            first, second = School.objects.filter(kind=School.Kind.SCHOOL).order_by("slug")
        yield out.getvalue(), first, second
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once


def roles(username, school):
    with scopes_disabled():
        return set(
            Membership.objects.active()
            .filter(user__username=username, school=school)
            .values_list("role", flat=True)
        )


def classes_of_children(username):
    """{(school slug, class name)} of the children linked to a parent, this year (the demo's
    previous year is closed and archived: archive/demo.py)."""
    with scopes_disabled():
        pupils = ParentLink.objects.filter(parent__username=username).values("pupil_id")
        return {
            (e.school.slug, e.school_class.name)
            for e in Enrolment.objects.filter(
                pupil_id__in=pupils, school_class__year__closed_at__isnull=True
            ).select_related("school", "school_class")
        }


def test_the_run_command_prints_the_shared_password_and_one_account_per_role(seeded):
    output, _first, _second = seeded
    assert f"Пароль всех демо-учётных записей: {DEMO_PASSWORD}" in output
    for username, label in DEMO_ACCOUNTS:
        assert re.search(rf"^\s+{username}\s+{re.escape(str(label))}$", output, re.M), username


def test_every_printed_account_signs_in_with_the_demo_password(seeded):
    for username, _label in DEMO_ACCOUNTS:
        client = Client()
        response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert "_auth_user_id" in client.session, username


def test_each_demo_account_holds_the_role_it_is_printed_with(seeded):
    _output, first, second = seeded
    with scopes_disabled():
        kasli = School.objects.get(slug="college-kasli")
    expected = {
        "admin": (first, {Role.ADMIN}),
        "director": (first, {Role.DIRECTOR}),
        "deputy": (first, {Role.DEPUTY}),
        "teacher": (first, {Role.TEACHER}),
        "classteacher": (first, {Role.TEACHER, Role.CLASS_TEACHER}),
        "parent": (first, {Role.PARENT}),
        "parent2": (first, {Role.PARENT}),
        "pupil": (first, {Role.PUPIL}),
        "admin2": (second, {Role.ADMIN}),
        "teacher2": (second, {Role.TEACHER}),
        "parent3": (second, {Role.PARENT}),
        "c_deputy": (kasli, {Role.DEPUTY}),
        "c_teacher": (kasli, {Role.TEACHER}),
        "c_curator": (kasli, {Role.TEACHER, Role.CLASS_TEACHER}),
        "c_student": (kasli, {Role.PUPIL}),
        "c_parent": (kasli, {Role.PARENT}),
        "headofdept": (kasli, {Role.HEAD_OF_DEPARTMENT}),
        "orgdeputy": (None, set()),  # no school's role: the college's (test below)
    }
    assert set(expected) == {username for username, _label in DEMO_ACCOUNTS}
    for username, (school, held) in expected.items():
        # The school-2 teacher also leads its only class; nobody else holds a role not printed.
        if school is None:
            continue
        if username == "teacher2":
            assert held <= roles(username, school), username
        else:
            assert roles(username, school) == held, username
    assert roles("parent2", second) == {Role.PARENT}
    with scopes_disabled():
        assert SchoolClass.objects.get(school=first, grade=5, letter="А").class_teacher == (
            User.objects.get(username="classteacher")
        )
        assert Pupil.objects.get(user__username="pupil").school == first


def test_the_two_parents_of_the_first_school_have_children_in_different_classes(seeded):
    _output, first, second = seeded
    assert classes_of_children("parent") == {(first.slug, "5А")}
    assert classes_of_children("parent2") == {(first.slug, "9Б"), (second.slug, "3А")}
    assert {slug for slug, _name in classes_of_children("parent3")} == {second.slug}


def test_the_first_school_has_classes_of_several_grades_with_pupils_and_their_parents(seeded):
    _output, first, _second = seeded
    with scopes_disabled():
        grades = set(
            SchoolClass.objects.filter(school=first, year__closed_at__isnull=True).values_list(
                "grade", flat=True
            )
        )
        pupils = Pupil.objects.filter(school=first)
        assert grades == {1, 5, 9}
        assert pupils.count() >= 4 * 6
        assert not pupils.filter(parent_links__isnull=True).exists()


def test_seeding_twice_changes_nothing_and_says_so(seeded):
    out, err = StringIO(), StringIO()
    with scopes_disabled():
        before = User.objects.count()
    call_command("seed_demo", stdout=out, stderr=err)
    assert "демо создаётся только в пустой базе" in err.getvalue()
    call_command("seed_demo", if_empty=True, stdout=out)
    assert "Демо-данные уже есть." in out.getvalue()
    with scopes_disabled():
        assert User.objects.count() == before


def test_the_readme_lists_exactly_the_printed_accounts_and_the_password():
    readme = (settings.BASE_DIR / "README.md").read_text()
    assert f"**`{DEMO_PASSWORD}`**" in readme
    listed = README_ROW.findall(readme)
    assert listed == [(username, str(label)) for username, label in DEMO_ACCOUNTS]


def test_the_colleges_deputy_reads_both_branches_of_the_technical_college_and_writes_in_neither(
    seeded,
):
    client = Client()
    client.post(reverse("login"), {"username": "orgdeputy", "password": DEMO_PASSWORD})
    with scopes_disabled():
        organisation = Organisation.objects.get(slug="kpgt")
        slugs = set(organisation.schools.values_list("slug", flat=True))
    assert organisation.name == "ГБПОУ «Каслинский промышленно-гуманитарный техникум»"
    assert slugs == {"college-kasli", "college-ufaley"}
    home = client.get(reverse("org:home", kwargs={"org_slug": "kpgt"}))
    assert home.status_code == 200
    for slug in slugs:
        assert (
            client.get(reverse("accounts:dashboard", kwargs={"school_slug": slug})).status_code
            == 200
        )
        settings_url = reverse("accounts:settings", kwargs={"school_slug": slug})
        assert client.post(settings_url, {"name": "x"}).status_code == 403
    school1 = reverse("accounts:dashboard", kwargs={"school_slug": "school1"})
    assert client.get(school1).status_code == 404
