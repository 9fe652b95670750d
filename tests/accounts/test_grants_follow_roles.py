"""Grants follow the roles and assignments that gave them (issue 10, item 1).

The matrix: every kind of guardian grant (a course taught, a lesson substituted, a class
led, a child of a parent, a pupil's own record) × every way it ends (the role ends — through
«Снять роль» for staff roles, accounts.services.end_role for family ones —, the assignment or
link ends, the membership is deleted) × the other role the user still holds, so that they
still enter the school. Before the ending each probe of the grant succeeds; after it each is
refused, no guardian row of the grant is left, and the other role still works.

Then the second line: a grant left behind with its role ended (written around the services,
as before this fix) opens nothing; and the data migration removes such grants.
"""

from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled
from guardian.shortcuts import assign_perm

from accounts.models import Membership, ParentLink, PupilUserObjectPermission, Role
from accounts.navigation import school_reverse
from accounts.services import end_role, grant_role
from accounts.tenancy import forget_roles
from schedule.models import (
    CourseTeacher,
    CourseUserObjectPermission,
    LessonUserObjectPermission,
    SchoolClassUserObjectPermission,
)
from schedule.services.lessons import assign_substitute
from schedule.services.people import save_class, set_course_teachers
from tests.factories import (
    make_class,
    make_course,
    make_member,
    make_pupil,
    make_school,
    make_subject,
    make_user,
    make_year,
)
from tests.journal.grid_builders import add_lesson

pytestmark = pytest.mark.django_db


@dataclass
class Place:
    """One school: the user `who` holds one grant (`kind`) and one other role (`other`)."""

    kind: str
    other: str
    school: object = None
    admin: object = None
    who: object = None
    objects: dict = field(default_factory=dict)

    def url(self, name, **kwargs):
        return school_reverse(self.school, name, **kwargs)

    def client(self, user=None):
        client = Client()
        client.force_login(user or self.who)
        return client


GIVING_ROLE = {
    "teach": Role.TEACHER,
    "substitute": Role.TEACHER,
    "lead": Role.CLASS_TEACHER,
    "parent": Role.PARENT,
    "pupil": Role.PUPIL,
}


def build(kind: str, other: str) -> Place:
    place = Place(kind, other)
    school = place.school = make_school()
    make_year(school)
    place.admin = make_member(school, Role.ADMIN)
    o = place.objects
    someone = make_member(school, Role.TEACHER)
    o["class"] = make_class(school, 5, "А", class_teacher=someone)
    o["pupil"] = make_pupil(school, o["class"])
    o["course"] = make_course(o["class"], teachers=[someone])
    o["lesson"] = add_lesson(o["course"], school.today())
    # Where the other role lives: a class of its own, with a course and a pupil.
    o["side_class"] = make_class(school, 7, "В", class_teacher=make_member(school, Role.TEACHER))
    o["side_pupil"] = make_pupil(school, o["side_class"])
    o["side_course"] = make_course(
        o["side_class"], make_subject(school, "Музыка"), teachers=[someone]
    )
    who = place.who = make_user()
    with scopes_disabled():
        if kind == "teach":
            set_course_teachers(o["course"], [someone, who])
        elif kind == "substitute":
            assign_substitute(o["lesson"], who)
        elif kind == "lead":
            o["class"].class_teacher = who
            save_class(o["class"])
        elif kind == "parent":
            ParentLink.objects.create(school=school, parent=who, pupil=o["pupil"])
            grant_role(school, who, Role.PARENT)
        elif kind == "pupil":
            o["pupil"].user = who
            o["pupil"].save()
            grant_role(school, who, Role.PUPIL)
        if other == "teacher":
            set_course_teachers(o["side_course"], [someone, who])
        elif other == "class_teacher":
            o["side_class"].class_teacher = who
            save_class(o["side_class"])
        elif other == "parent":
            ParentLink.objects.create(school=school, parent=who, pupil=o["side_pupil"])
            grant_role(school, who, Role.PARENT)
    return place


# --- Probes: what each grant opens, as (method, url, data, status when held) -------------------


def probes(place: Place):
    o, url = place.objects, place.url
    cell = url("journal:cell", pk=o["lesson"].pk, pupil_pk=o["pupil"].pk)
    lesson_edit = url("journal:lesson_edit", pk=o["lesson"].pk)
    return {
        "teach": [
            ("post", cell, {"value": "5"}, 200),
            ("get", url("journal:grid", pk=o["course"].pk), {}, 200),
            ("post", lesson_edit, {"topic": "Дроби", "kind": "lesson"}, 302),
            (
                "post",
                url("journal:plan_topic_add", pk=o["course"].pk),
                {"title": "Дроби", "hours": 1, "kind": "lesson"},
                302,
            ),
            ("get", url("journal:plans"), {}, ("contains", str(o["course"].school_class))),
        ],
        "substitute": [
            ("post", cell, {"value": "н"}, 200),
            ("get", url("journal:lesson", pk=o["lesson"].pk), {}, 200),
            ("post", lesson_edit, {"topic": "Замена", "kind": "lesson"}, 302),
        ],
        "lead": [
            ("get", url("schedule:class", pk=o["class"].pk), {}, 200),
            ("get", url("accounts:pupil", pk=o["pupil"].pk), {}, 200),
            ("get", url("schedule:pupil_history", pk=o["pupil"].pk), {}, 200),
            ("get", url("journal:class_absences", pk=o["class"].pk), {}, 200),
            ("post", url("journal:absence_reasons", pk=o["class"].pk), {}, 302),
            (
                "post",
                url("schedule:class_codes", pk=o["class"].pk),
                {"roles": ["parent"], "output": "html"},
                200,
            ),
            ("get", url("schedule:class_subgroups", pk=o["class"].pk), {}, 200),
            ("get", url("journal:grid", pk=o["course"].pk), {}, 200),
        ],
        "parent": [
            ("get", url("journal:diary_week", pupil=o["pupil"].pk), {}, 200),
            ("get", url("journal:diary_marks", pupil=o["pupil"].pk), {}, 200),
        ],
        "pupil": [
            ("get", url("journal:diary_week", pupil=o["pupil"].pk), {}, 200),
            ("get", url("journal:diary_timetable", pupil=o["pupil"].pk), {}, 200),
        ],
    }[place.kind]


def other_probe(place: Place):
    o, url = place.objects, place.url
    return {
        "teacher": ("get", url("journal:grid", pk=o["side_course"].pk)),
        "class_teacher": ("get", url("schedule:class", pk=o["side_class"].pk)),
        "parent": ("get", url("journal:diary_week", pupil=o["side_pupil"].pk)),
    }[place.other]


def allowed(response, expected) -> bool:
    if isinstance(expected, tuple):
        return response.status_code == 200 and expected[1] in response.content.decode()
    return response.status_code == expected


def grant_rows(place: Place) -> int:
    """Guardian rows of the user on the object of the grant kind."""
    o, who = place.objects, place.who
    with scopes_disabled():
        return {
            "teach": CourseUserObjectPermission.objects.filter(
                user=who, content_object=o["course"]
            ),
            "substitute": LessonUserObjectPermission.objects.filter(
                user=who, content_object=o["lesson"]
            ),
            "lead": SchoolClassUserObjectPermission.objects.filter(
                user=who, content_object=o["class"]
            ),
            "parent": PupilUserObjectPermission.objects.filter(user=who, content_object=o["pupil"]),
            "pupil": PupilUserObjectPermission.objects.filter(user=who, content_object=o["pupil"]),
        }[place.kind].count()


# --- How each grant ends --------------------------------------------------------------------


def giving_membership(place: Place):
    with scopes_disabled():
        return Membership.objects.active().get(
            school=place.school, user=place.who, role=GIVING_ROLE[place.kind]
        )


def end_by_role(place: Place):
    membership = giving_membership(place)
    if place.kind in ("parent", "pupil"):
        # «Снять роль» refuses family roles (they change through the pupil's card): the
        # service is what any other path calls.
        with scopes_disabled():
            end_role(membership)
        return
    response = place.client(place.admin).post(place.url("accounts:end_role", pk=membership.pk))
    assert response.status_code == 302


def end_by_assignment(place: Place):
    o = place.objects
    with scopes_disabled():
        if place.kind == "teach":
            set_course_teachers(
                o["course"], [t for t in o["course"].teachers.all() if t != place.who]
            )
        elif place.kind == "substitute":
            assign_substitute(o["lesson"], None)
        elif place.kind == "lead":
            o["class"].class_teacher = make_member(place.school, Role.TEACHER)
            save_class(o["class"])
        elif place.kind == "parent":
            ParentLink.objects.get(parent=place.who, pupil=o["pupil"]).delete()
        elif place.kind == "pupil":
            o["pupil"].user = None
            o["pupil"].save()


def end_by_deleting_membership(place: Place):
    with scopes_disabled():
        giving_membership(place).delete()


ENDINGS = {
    "role": end_by_role,
    "assignment": end_by_assignment,
    "membership_deleted": end_by_deleting_membership,
}
OTHERS = {
    "teach": ["class_teacher", "parent"],
    "substitute": ["class_teacher", "parent"],
    "lead": ["teacher", "parent"],
    "parent": ["teacher", "class_teacher"],
    "pupil": ["parent", "teacher"],
}
CASES = [
    (kind, ending, other)
    for kind, others in OTHERS.items()
    for ending in ENDINGS
    for other in others
]


def request(client, method, url, data):
    return getattr(client, method)(url, data)


@pytest.mark.parametrize("kind,ending,other", CASES, ids=["-".join(c) for c in CASES])
def test_a_grant_ends_with_its_role_or_assignment_while_another_role_is_kept(kind, ending, other):
    place = build(kind, other)
    client = place.client()
    for method, url, data, expected in probes(place):
        response = request(client, method, url, data)
        assert allowed(response, expected), f"before: {method} {url} → {response.status_code}"
    assert grant_rows(place) == 1

    ENDINGS[ending](place)

    assert grant_rows(place) == 0
    for method, url, data, expected in probes(place):
        response = request(client, method, url, data)
        assert not allowed(response, expected), f"after: {method} {url} → {response.status_code}"
        assert response.status_code in (200, 403, 404), response.status_code
    method, url = other_probe(place)
    assert request(client, method, url, {}).status_code == 200


def leave_grant_behind(place: Place):
    """End the role the way data was written before this fix: nothing follows it."""
    with scopes_disabled():
        Membership.objects.filter(pk=giving_membership(place).pk).update(ended_at=timezone.now())
    forget_roles(place.who.pk, place.school.pk)


DEFENCE = [(kind, other) for kind, others in OTHERS.items() for other in others]


@pytest.mark.parametrize("kind,other", DEFENCE, ids=["-".join(c) for c in DEFENCE])
def test_a_grant_left_behind_by_an_ended_role_opens_nothing(kind, other):
    place = build(kind, other)
    leave_grant_behind(place)
    assert grant_rows(place) == 1  # the stale grant is there...
    client = place.client()
    for method, url, data, expected in probes(place):
        response = request(client, method, url, data)
        # ...and opens nothing.
        assert not allowed(response, expected), f"{method} {url} → {response.status_code}"
    method, url = other_probe(place)
    assert request(client, method, url, {}).status_code == 200


def test_ending_the_teacher_role_keeps_past_years_and_today_as_the_record(unscoped):
    """A past year's assignment and a lesson held today stay, without access; tomorrow's
    substitution is taken back, and the assignment's history keeps who taught."""
    from datetime import timedelta

    school = make_school()
    teacher = make_member(school, Role.TEACHER)
    make_member(school, Role.CLASS_TEACHER)
    today = school.today()
    first = make_year(school).start.year
    past_class = make_class(school, 5, "А", year=make_year(school, first - 1))
    past_course = make_course(past_class, teachers=[teacher])
    current_class = make_class(school, 5, "А")
    current_course = make_course(current_class, teachers=[teacher])
    other_course = make_course(
        make_class(school, 6, "Б"), teachers=[make_member(school, Role.TEACHER)]
    )
    held_today = add_lesson(other_course, today, 1)
    tomorrow = add_lesson(other_course, today + timedelta(days=1), 2)
    assign_substitute(held_today, teacher)
    assign_substitute(tomorrow, teacher)

    end_role(Membership.objects.get(school=school, user=teacher, role=Role.TEACHER))

    assert CourseTeacher.objects.filter(course=past_course, teacher=teacher).exists()
    assert not CourseTeacher.objects.filter(course=current_course, teacher=teacher).exists()
    assert CourseTeacher.history.filter(course_id=current_course.pk, history_type="-").exists()
    held_today.refresh_from_db()
    tomorrow.refresh_from_db()
    assert held_today.substitute_id == teacher.pk
    assert tomorrow.substitute_id is None
    assert not CourseUserObjectPermission.objects.filter(user=teacher).exists()
    assert not LessonUserObjectPermission.objects.filter(user=teacher).exists()


def test_ending_the_class_teacher_role_keeps_past_classes_named(unscoped):
    school = make_school()
    leader = make_member(school, Role.TEACHER)
    first = make_year(school).start.year
    past = make_class(school, 4, "А", class_teacher=leader, year=make_year(school, first - 1))
    current = make_class(school, 5, "А", class_teacher=leader)

    end_role(Membership.objects.get(school=school, user=leader, role=Role.CLASS_TEACHER))

    past.refresh_from_db()
    current.refresh_from_db()
    assert past.class_teacher_id == leader.pk
    assert current.class_teacher_id is None
    assert not SchoolClassUserObjectPermission.objects.filter(user=leader).exists()
    assert Membership.objects.active().filter(user=leader, role=Role.TEACHER).exists()


def test_an_assignment_gives_the_teacher_role(unscoped):
    school = make_school()
    leader = make_user()
    school_class = make_class(school, class_teacher=leader)
    make_course(school_class, teachers=[leader])
    assert Membership.objects.roles_of(leader.pk, school.pk) == {
        Role.CLASS_TEACHER,
        Role.TEACHER,
    }


def test_deleting_a_user_with_roles_and_grants_works(unscoped):
    place = build("teach", "parent")
    place.who.delete()
    assert not Membership.objects.filter(user_id=place.who.pk).exists()


# --- The data migration ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_removes_what_roles_ended_before_it_still_gave():
    places = [build(kind, OTHERS[kind][0]) for kind in OTHERS]
    for place in places:
        leave_grant_behind(place)
    # A teacher assigned before an assignment gave its role keeps teaching: it gets the role.
    unroled = make_user()
    keeper = build("teach", "parent")
    with scopes_disabled():
        CourseTeacher.objects.bulk_create(  # as before an assignment gave its role: no signal
            [
                CourseTeacher(
                    school=keeper.school, course=keeper.objects["side_course"], teacher=unroled
                )
            ]
        )
        assign_perm("schedule.teach_course", unroled, keeper.objects["side_course"])
    assert all(grant_rows(place) == 1 for place in places)

    executor = MigrationExecutor(connection)
    executor.migrate([("schedule", "0005_course_teacher_history")])
    executor.loader.build_graph()
    executor.migrate([("schedule", "0006_remove_grants_of_ended_roles")])
    # Back to the latest schema: later migrations change no grants, and the tests after this
    # one need their columns.
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert [grant_rows(place) for place in places] == [0] * len(places)
    with scopes_disabled():
        teach, lead = places[0], places[2]
        assert not CourseTeacher.objects.filter(teacher=teach.who).exists()
        lead.objects["class"].refresh_from_db()
        assert lead.objects["class"].class_teacher_id is None
        assert not ParentLink.objects.filter(
            parent=places[3].who, pupil=places[3].objects["pupil"]
        ).exists()
        places[4].objects["pupil"].refresh_from_db()
        assert places[4].objects["pupil"].user_id is None
        # What the other roles give stays.
        assert SchoolClassUserObjectPermission.objects.filter(
            user=teach.who, content_object=teach.objects["side_class"]
        ).exists()
        assert CourseTeacher.objects.filter(teacher=lead.who).exists()
        assert Membership.objects.roles_of(unroled.pk, keeper.school.pk) == {Role.TEACHER}
        assert CourseUserObjectPermission.objects.filter(
            user=unroled, content_object=keeper.objects["side_course"]
        ).exists()
