"""Nobody reaches another pupil's diary: by any URL, with any parameter, another pupil is 404.

The intruders are real neighbours of the pupil: a classmate's parent, a parent and a pupil of
another class, the pupil's own sibling (a pupil reads only themselves), a teacher of the class
who does not lead it, and a parent of another school — by this school's address and by their
own. Each first opens their own diary (200), so a 404 is the rule at work, not a broken setup;
no 404 page names the pupil.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import ParentLink
from tests.factories import make_parent, make_pupil, make_school, make_user
from tests.reports.builders import build_family

pytestmark = pytest.mark.django_db

DIARY_URLS = [
    "journal:diary_week",
    "journal:diary_marks",
    "journal:diary_attendance",
    "journal:diary_timetable",
]


@dataclass
class Intruder:
    name: str
    user: object
    school: object  # the school of their own page
    own_pupil: object  # a pupil whose diary they do read (None: they read none)


@pytest.fixture
def neighbourhood():
    family = build_family(subjects=2, days=2, per_day=2)
    other_class = build_family(school=family.school, grade=6, letter="Б", days=1, per_day=1)
    other_school = build_family(school=make_school(), days=1, per_day=1)
    classmate = make_pupil(family.school, family.school_class, last_name="Соседов")
    classmate_parent = make_parent(family.school, classmate)
    sibling_user = make_user(last_name="Смирнова", first_name="Анна")
    sibling = make_pupil(
        family.school, family.school_class, user=sibling_user, last_name="Смирнова"
    )
    with scopes_disabled():
        ParentLink.objects.create(school=family.school, parent=family.parent, pupil=sibling)
    intruders = [
        Intruder("a classmate's parent", classmate_parent, family.school, classmate),
        Intruder("a parent of another class", other_class.parent, family.school, other_class.pupil),
        Intruder(
            "a pupil of another class", other_class.pupil_user, family.school, other_class.pupil
        ),
        Intruder("the pupil's sibling", sibling_user, family.school, sibling),
        Intruder("a teacher of the class", family.teacher, family.school, None),
        Intruder(
            "another class's class teacher",
            other_class.class_teacher,
            family.school,
            other_class.pupil,
        ),
        Intruder("a parent of another school", other_school.parent, other_school.school, None),
    ]
    return family, other_school, intruders


def diary_path(school, name, pupil_pk, query=""):
    return reverse(name, kwargs={"school_slug": school.slug, "pupil": pupil_pk}) + query


def queries(family, other_school, intruder):
    own = intruder.own_pupil.pk if intruder.own_pupil else family.pupil.pk
    return [
        "",
        f"?week={family.monday.isoformat()}",
        "?week=junk",
        f"?period={family.period.pk}",
        f"?period={other_school.period.pk}",
        "?period=junk",
        f"?pupil={own}",  # a parameter naming their own child changes nothing
        f"?week={family.monday.isoformat()}&period={family.period.pk}&html=1",
    ]


@pytest.mark.parametrize("name", DIARY_URLS)
def test_every_neighbour_gets_404_for_the_pupil_whatever_the_parameters(
    client, neighbourhood, name
):
    family, other_school, intruders = neighbourhood
    for intruder in intruders:
        client.force_login(intruder.user)
        if intruder.own_pupil is not None:
            own = client.get(diary_path(intruder.school, name, intruder.own_pupil.pk))
            assert own.status_code == 200, intruder.name
        for query in queries(family, other_school, intruder):
            for school in {family.school, intruder.school}:
                response = client.get(diary_path(school, name, family.pupil.pk, query))
                assert response.status_code == 404, (intruder.name, school.slug, query)
                # The page's own part (the layout's header names the viewer, who may share
                # the pupil's surname).
                main = response.content.decode().partition("<main>")[2]
                assert main and family.pupil.last_name not in main, intruder.name


def test_the_family_itself_reads_the_diary_with_the_same_parameters(client, neighbourhood):
    family, other_school, _intruders = neighbourhood
    for user in (family.parent, family.pupil_user, family.class_teacher):
        client.force_login(user)
        for name in DIARY_URLS:
            assert client.get(diary_path(family.school, name, family.pupil.pk)).status_code == 200
            # Another school's period is not the pupil's: 404, like a missing one.
            query = f"?period={other_school.period.pk}"
            if name in ("journal:diary_marks", "journal:diary_attendance"):
                response = client.get(diary_path(family.school, name, family.pupil.pk, query))
                assert response.status_code == 404


def test_a_pupil_never_sees_a_siblings_name_or_switch(client, neighbourhood):
    family, _other_school, _intruders = neighbourhood
    client.force_login(family.pupil_user)
    for name in DIARY_URLS:
        page = client.get(diary_path(family.school, name, family.pupil.pk)).content.decode()
        assert "Смирнова" not in page and 'aria-label="Дети"' not in page


def test_the_diary_entry_of_a_parent_of_another_school_is_404_here(client, neighbourhood):
    family, other_school, _intruders = neighbourhood
    client.force_login(other_school.parent)
    entry = reverse("journal:diary", kwargs={"school_slug": family.school.slug})
    assert client.get(entry).status_code == 404
    own_entry = reverse("journal:diary", kwargs={"school_slug": other_school.school.slug})
    response = client.get(own_entry)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/diary/{other_school.pupil.pk}/")
