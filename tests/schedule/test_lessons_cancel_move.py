"""Cancelled and moved lessons are recorded with a reason; a move is clash-checked."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from accounts.models import Role
from accounts.navigation import school_reverse
from schedule.models import Lesson
from schedule.services.lessons import cancel_lesson, move_lesson, restore_lesson
from tests.factories import make_member

from .timetable_factories import AUTUMN, class_in, course_of, make_room, make_teacher

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
def six_b(school):
    return class_in(school, 6, "Б")


@pytest.fixture
def maths(six_b, ivanova):
    return course_of(six_b, teachers=[ivanova])


def test_a_cancelled_lesson_keeps_its_reason(maths):
    lesson = lesson_of(maths, 1)
    with scopes_disabled():
        cancel_lesson(lesson, "Карантин по гриппу")
        lesson.refresh_from_db()
    assert (lesson.status, lesson.status_reason) == ("cancelled", "Карантин по гриппу")


def test_a_lesson_is_not_cancelled_without_a_reason_or_twice(maths):
    lesson = lesson_of(maths, 1)
    with scopes_disabled():
        with pytest.raises(ValidationError):
            cancel_lesson(lesson, "  ")
        cancel_lesson(lesson, "Карантин")
        with pytest.raises(ValidationError):
            cancel_lesson(lesson, "Снова")
        restore_lesson(lesson)
        lesson.refresh_from_db()
    assert (lesson.status, lesson.status_reason) == ("planned", "")


def test_a_moved_lesson_links_to_the_new_one(school, maths):
    lesson = lesson_of(maths, 1, room=make_room(school, "12"))
    room = make_room(school, "14")
    with scopes_disabled():
        new = move_lesson(lesson, date(2025, 12, 3), 5, room, "Учитель на курсах")
        lesson.refresh_from_db()
    assert (new.date, new.number, new.room, new.course) == (date(2025, 12, 3), 5, room, maths)
    assert not new.from_timetable
    assert (lesson.status, lesson.status_reason, lesson.moved_to) == (
        "moved",
        "Учитель на курсах",
        new,
    )


def test_a_move_onto_the_teachers_other_lesson_is_refused(school, maths, ivanova):
    physics = course_of(class_in(school, 7, "А"), "Физика", [ivanova])
    lesson_of(physics, 5, day=date(2025, 12, 3), room=make_room(school, "31"))
    lesson = lesson_of(maths, 1)

    with scopes_disabled(), pytest.raises(ValidationError) as error:
        move_lesson(lesson, date(2025, 12, 3), 5, None, "Причина")
    assert error.value.messages == [
        "Учитель Иванова М. П. уже ведёт 7А Физика 03.12.2025, 5-й урок (каб. 31)."
    ]
    with scopes_disabled():
        assert Lesson.objects.count() == 2


def test_a_move_into_a_busy_room_or_a_busy_class_is_refused(school, six_b, maths):
    room = make_room(school, "12")
    history = course_of(six_b, "История", [make_teacher(school, "Петров")])
    lesson_of(history, 5, day=date(2025, 12, 3), room=room)
    lesson = lesson_of(maths, 1)

    with scopes_disabled(), pytest.raises(ValidationError) as error:
        move_lesson(lesson, date(2025, 12, 3), 5, room, "Причина")
    assert [m.split(":")[0].split(" уже")[0] for m in error.value.messages] == [
        "Кабинет 12",
        "У класса 6Б",
    ]


def test_a_move_onto_a_holiday_or_out_of_the_year_is_refused(maths):
    lesson = lesson_of(maths, 1)
    with scopes_disabled():
        with pytest.raises(ValidationError) as holiday:
            move_lesson(lesson, AUTUMN[0], 1, None, "Причина")
        with pytest.raises(ValidationError) as outside:
            move_lesson(lesson, date(2026, 9, 2), 1, None, "Причина")
    assert "Осенние каникулы" in holiday.value.messages[0]
    assert "вне учебного года" in outside.value.messages[0]


def test_the_deputy_moves_a_lesson_and_lands_on_the_new_one(client, school, maths):
    lesson = lesson_of(maths, 1)
    client.force_login(make_member(school, Role.DEPUTY))

    response = client.post(
        school_reverse(school, "schedule:lesson_move", pk=lesson.pk),
        {"date": "2025-12-04", "number": "2", "reason": "Олимпиада"},
    )

    with scopes_disabled():
        new = Lesson.objects.get(date=date(2025, 12, 4))
    assert response.status_code == 302
    assert response["Location"] == school_reverse(school, "schedule:lesson", pk=new.pk)


def test_a_clashing_move_is_shown_back_with_the_reason(client, school, maths, ivanova):
    physics = course_of(class_in(school, 7, "А"), "Физика", [ivanova])
    lesson_of(physics, 2, day=date(2025, 12, 4))
    lesson = lesson_of(maths, 1)
    client.force_login(make_member(school, Role.DEPUTY))

    response = client.post(
        school_reverse(school, "schedule:lesson_move", pk=lesson.pk),
        {"date": "2025-12-04", "number": "2", "reason": "Олимпиада"},
    )

    assert response.status_code == 400
    assert "Учитель Иванова М. П. уже ведёт 7А Физика 04.12.2025, 2-й урок." in (
        response.content.decode()
    )
