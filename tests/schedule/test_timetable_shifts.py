"""Several shifts: lessons meet by their bell times, not by their numbers.

The second shift numbers its lessons from its own first bell (13:30): its 1st lesson is not
at the time of the first shift's 1st (08:30), while the first shift's 6th (13:00–13:40)
overlaps it. Timetable entries, imported rows, substitutions and moves all keep to this.
"""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from schedule.models import Bell, BellSchedule, Lesson
from schedule.services.lessons import assign_substitute, move_lesson
from schedule.services.timetable.entries import find_clashes
from schedule.services.timetable.imports import check_import, read_import

from .timetable_factories import (
    MONDAY,
    class_in,
    course_of,
    entry_of,
    make_room,
    make_teacher,
    make_year,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unscoped")]

FIRST_SHIFT = [(8, 30), (9, 20), (10, 20), (11, 20), (12, 10), (13, 0)]
SECOND_SHIFT = [(13, 30), (14, 20), (15, 20), (16, 20)]


def shift(school, name, starts):
    schedule = BellSchedule.objects.create(school=school, name=name)
    for number, (hour, minute) in enumerate(starts, 1):
        start = time(hour, minute)
        end = time(hour + (minute + 40) // 60, (minute + 40) % 60)
        Bell.objects.create(school=school, schedule=schedule, number=number, start=start, end=end)
    return schedule


@pytest.fixture
def classes(school):
    first, second = shift(school, "1 смена", FIRST_SHIFT), shift(school, "2 смена", SECOND_SHIFT)
    return (
        class_in(school, 5, "А", bell_schedule=first),
        class_in(school, 6, "А", bell_schedule=second),
    )


@pytest.fixture
def ivanova(school):
    return make_teacher(school)


def messages_of(entry):
    return [c.message for c in find_clashes(entry)]


def test_first_lessons_of_two_shifts_do_not_clash(classes, ivanova):
    morning, afternoon = classes
    entry_of(course_of(morning, teachers=[ivanova]), weekday=1, number=1)

    second = entry_of(course_of(afternoon, "Физика", [ivanova]), weekday=1, number=1, save=False)

    assert messages_of(second) == []


def test_overlapping_times_of_two_shifts_clash_and_the_message_gives_the_time(
    school, classes, ivanova
):
    morning, afternoon = classes
    room = make_room(school, "12")
    entry_of(course_of(morning, teachers=[ivanova]), weekday=1, number=6, room=room)

    second = entry_of(
        course_of(afternoon, "Физика", [make_teacher(school, "Петров")]),
        weekday=1,
        number=1,
        room=room,
        save=False,
    )
    assert messages_of(second) == [
        "Кабинет 12 уже занят: 5А Математика в понедельник, 6-й урок (13:00–13:40) (Иванова М. П.)."
    ]
    mine = entry_of(course_of(afternoon, "Химия", [ivanova]), weekday=1, number=1, save=False)
    assert messages_of(mine) == [
        "Учитель Иванова М. П. уже ведёт 5А Математика в понедельник, 6-й урок (13:00–13:40) "
        "(каб. 12)."
    ]


def test_an_imported_row_meets_the_other_shift_by_time(school, classes, ivanova):
    morning, afternoon = classes
    course_of(morning, teachers=[ivanova])
    course_of(afternoon, "Физика", [ivanova])
    rows = read_import(
        "timetable.csv",
        "\n".join(
            [
                "Класс;Предмет;День;Урок",
                "5А;Математика;пн;1",
                "6А;Физика;пн;1",
                "5А;Математика;вт;6",
                "6А;Физика;вт;1",
            ]
        ).encode(),
    )

    results = check_import(school, make_year(school), rows)

    assert [r.errors for r in results[:3]] == [[], [], []]
    assert results[3].errors == [
        "Учитель Иванова М. П. уже ведёт 5А Математика во вторник, 6-й урок (13:00–13:40)."
    ]


def lesson_of(course, day, number):
    return Lesson.objects.create(school=course.school, course=course, date=day, number=number)


def test_a_substitute_busy_in_the_other_shift_only_at_another_time_is_free(
    school, classes, ivanova
):
    morning, afternoon = classes
    lesson_of(course_of(morning, teachers=[ivanova]), MONDAY, 1)
    afternoon_lesson = lesson_of(
        course_of(afternoon, "Физика", [make_teacher(school, "Петров")]), MONDAY, 1
    )

    held = assign_substitute(afternoon_lesson, ivanova)

    assert held.substitute == ivanova


def test_a_substitute_busy_at_an_overlapping_time_of_the_other_shift_is_refused(
    school, classes, ivanova
):
    morning, afternoon = classes
    lesson_of(course_of(morning, teachers=[ivanova]), MONDAY, 6)
    afternoon_lesson = lesson_of(
        course_of(afternoon, "Физика", [make_teacher(school, "Петров")]), MONDAY, 1
    )

    with pytest.raises(ValidationError) as refused:
        assign_substitute(afternoon_lesson, ivanova)

    assert refused.value.messages == [
        "Учитель Иванова М. П. уже ведёт 5А Математика 15.09.2025, 6-й урок (13:00–13:40)."
    ]


def test_a_move_onto_an_overlapping_time_of_the_teachers_other_shift_is_refused(
    school, classes, ivanova
):
    morning, afternoon = classes
    tuesday = MONDAY + timedelta(days=1)
    lesson_of(course_of(morning, teachers=[ivanova]), tuesday, 6)
    physics = lesson_of(course_of(afternoon, "Физика", [ivanova]), MONDAY, 3)

    with pytest.raises(ValidationError) as refused:
        move_lesson(physics, tuesday, 1, None, "Экскурсия")
    assert "6-й урок (13:00–13:40)" in refused.value.messages[0]

    moved = move_lesson(physics, tuesday, 2, None, "Экскурсия")
    assert (moved.date, moved.number) == (date(2025, 9, 16), 2)
    with scopes_disabled():
        assert Lesson.objects.get(pk=physics.pk).status == Lesson.Status.MOVED
