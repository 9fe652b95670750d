"""Substitutions (regulation 000 §3.2): the substitute keeps exactly the lessons given to them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled
from guardian.shortcuts import get_objects_for_user

from accounts.models import Role
from accounts.navigation import school_reverse
from schedule.models import Lesson
from schedule.services.lessons import assign_substitute, substitute_day
from tests.factories import make_member

from .timetable_factories import class_in, course_of, make_room, make_teacher

pytestmark = pytest.mark.django_db

DAY = date(2025, 12, 1)


def lesson_of(course, number, day=DAY, room=None):
    with scopes_disabled():
        return Lesson.objects.create(
            school=course.school, course=course, date=day, number=number, room=room
        )


@pytest.fixture
def ivanova(school):
    return make_teacher(school)


@pytest.fixture
def petrov(school):
    return make_teacher(school, "Петров", "Пётр", "Петрович")


@pytest.fixture
def maths(school, ivanova):
    return course_of(class_in(school, 6, "Б"), teachers=[ivanova])


def fresh(user):
    """The same user without cached permissions."""
    return type(user).objects.get(pk=user.pk)


def test_a_substitute_may_keep_exactly_the_one_lesson_given(maths, petrov):
    first, second = lesson_of(maths, 1), lesson_of(maths, 2)

    with scopes_disabled():
        assign_substitute(first, petrov)
        first.refresh_from_db()
        given = get_objects_for_user(
            petrov, "schedule.substitute_lesson", Lesson.objects.all(), accept_global_perms=False
        )
        assert list(given) == [first]
        petrov = fresh(petrov)
        assert petrov.has_perm("journal.edit_lesson", first)
        assert not petrov.has_perm("journal.edit_lesson", second)
        assert not petrov.has_perm("schedule.view_lesson", second)
    assert first.is_substitution and first.substitute == petrov and first.held_by == petrov


def test_taking_the_substitution_back_takes_the_permission_back(maths, petrov):
    lesson = lesson_of(maths, 1)
    with scopes_disabled():
        assign_substitute(lesson, petrov)
        assign_substitute(lesson, None)
        lesson.refresh_from_db()
        assert not fresh(petrov).has_perm("journal.edit_lesson", lesson)
    assert lesson.substitute is None and lesson.held_by is None


def test_another_substitute_replaces_the_first_one(school, maths, petrov):
    lesson = lesson_of(maths, 1)
    sidorova = make_teacher(school, "Сидорова", "Анна", "Ивановна")
    with scopes_disabled():
        assign_substitute(lesson, petrov)
        assign_substitute(lesson, sidorova)
        assert not fresh(petrov).has_perm("journal.edit_lesson", lesson)
        assert fresh(sidorova).has_perm("journal.edit_lesson", lesson)


def test_a_busy_substitute_is_refused_with_the_other_lesson_named(school, maths, petrov):
    physics = course_of(class_in(school, 7, "А"), "Физика", [petrov])
    lesson_of(physics, 1, room=make_room(school, "31"))
    lesson = lesson_of(maths, 1)

    with scopes_disabled(), pytest.raises(ValidationError) as error:
        assign_substitute(lesson, petrov)
    assert error.value.messages == [
        "Учитель Петров П. П. уже ведёт 7А Физика 01.12.2025, 1-й урок (каб. 31)."
    ]


def test_a_teacher_already_substituting_elsewhere_is_busy(school, maths, petrov):
    other = course_of(class_in(school, 7, "А"), "Физика", [make_teacher(school, "Сидорова")])
    with scopes_disabled():
        assign_substitute(lesson_of(other, 1), petrov)
        with pytest.raises(ValidationError):
            assign_substitute(lesson_of(maths, 1), petrov)


def test_the_courses_own_teacher_is_no_substitute(maths, ivanova):
    with scopes_disabled(), pytest.raises(ValidationError) as error:
        assign_substitute(lesson_of(maths, 1), ivanova)
    assert "это не замена" in error.value.messages[0]


def test_a_day_of_lessons_goes_to_one_substitute_except_where_they_are_busy(
    school, ivanova, maths, petrov
):
    physics = course_of(class_in(school, 7, "А"), "Физика", [ivanova])
    own_of_petrov = course_of(class_in(school, 8, "В"), "Химия", [petrov])
    lessons = [lesson_of(maths, 1), lesson_of(physics, 2), lesson_of(maths, 3)]
    lesson_of(own_of_petrov, 3)
    lesson_of(maths, 1, day=date(2025, 12, 2))  # another day: not touched

    with scopes_disabled():
        result = substitute_day(ivanova, DAY, petrov)
        assert [lesson.pk for lesson in result.assigned] == [lessons[0].pk, lessons[1].pk]
        assert [(lesson.pk, "Химия" in message) for lesson, message in result.refused] == [
            (lessons[2].pk, True)
        ]
        assert Lesson.objects.filter(substitute=petrov).count() == 2
        assert fresh(petrov).has_perm("journal.edit_lesson", lessons[1])
        assert not fresh(petrov).has_perm("journal.edit_lesson", lessons[2])


def test_the_substitute_opens_the_lesson_they_hold_and_no_other(client, school, maths, petrov):
    given, other = lesson_of(maths, 1), lesson_of(maths, 2)
    with scopes_disabled():
        assign_substitute(given, petrov)
    client.force_login(petrov)

    page = client.get(school_reverse(school, "schedule:lesson", pk=given.pk))
    refused = client.get(school_reverse(school, "schedule:lesson", pk=other.pk))

    assert page.status_code == 200
    assert "Петров Пётр Петрович" in page.content.decode()
    assert refused.status_code == 403


def test_the_deputy_assigns_a_substitute_from_the_lesson_page(client, school, maths, petrov):
    lesson = lesson_of(maths, 1)
    client.force_login(make_member(school, Role.DEPUTY))

    response = client.post(
        school_reverse(school, "schedule:lesson_substitute", pk=lesson.pk),
        {"substitute": petrov.pk},
    )

    assert response.status_code == 302
    with scopes_disabled():
        lesson.refresh_from_db()
        assert lesson.substitute == petrov
        assert fresh(petrov).has_perm("journal.edit_lesson", lesson)


def test_the_deputy_gives_a_teachers_day_to_a_substitute(client, school, ivanova, maths, petrov):
    lessons = [lesson_of(maths, 1), lesson_of(maths, 2)]
    client.force_login(make_member(school, Role.DEPUTY))

    response = client.post(
        school_reverse(school, "schedule:substitute_day"),
        {"teacher": ivanova.pk, "day": "2025-12-01", "substitute": petrov.pk},
    )

    assert response.status_code == 200
    with scopes_disabled():
        assert set(Lesson.objects.filter(substitute=petrov)) == set(lessons)
