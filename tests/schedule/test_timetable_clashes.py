"""One service decides clashes: a teacher, a room or a class in two places at once."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from schedule.services.timetable.entries import check_entry, find_clashes, save_entry

from .timetable_factories import (
    class_in,
    course_of,
    entry_of,
    make_room,
    make_teacher,
    subgroup_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def six_b(school):
    return class_in(school, 6, "Б")


@pytest.fixture
def ivanova(school):
    return make_teacher(school)


def messages_of(entry):
    with scopes_disabled():
        return [c.message for c in find_clashes(entry)]


def test_it_refuses_a_teacher_in_two_classes_at_once_naming_the_other_lesson(
    school, six_b, ivanova
):
    entry_of(course_of(six_b, teachers=[ivanova]), room=make_room(school, "12"))
    seven_a = class_in(school, 7, "А")
    clash = entry_of(course_of(seven_a, "Физика", [ivanova]), save=False)

    assert messages_of(clash) == [
        "Учитель Иванова М. П. уже ведёт 6Б Математика в понедельник, 3-й урок (каб. 12)."
    ]


def test_it_refuses_a_room_taken_by_another_class(school, six_b, ivanova):
    room = make_room(school, "12")
    entry_of(course_of(six_b, teachers=[ivanova]), room=room)
    other = entry_of(
        course_of(class_in(school, 7, "А"), teachers=[make_teacher(school, "Петров")]),
        room=room,
        save=False,
    )

    assert messages_of(other) == [
        "Кабинет 12 уже занят: 6Б Математика в понедельник, 3-й урок (Иванова М. П.)."
    ]


def test_it_refuses_a_class_with_two_lessons_at_once(school, six_b, ivanova):
    entry_of(course_of(six_b, teachers=[ivanova]))
    other = entry_of(course_of(six_b, "Физика", [make_teacher(school, "Петров")]), save=False)

    assert messages_of(other) == ["У класса 6Б уже стоит 6Б Математика в понедельник, 3-й урок."]


def test_sibling_subgroups_of_a_class_run_side_by_side(school, six_b):
    first = subgroup_of(six_b, name="Группа 1")
    second = subgroup_of(six_b, name="Группа 2")
    entry_of(course_of(six_b, "Английский язык", [make_teacher(school)], first))
    beside = entry_of(
        course_of(six_b, "Английский язык", [make_teacher(school, "Петров")], second), save=False
    )

    assert messages_of(beside) == []


def test_a_subgroup_may_not_run_beside_a_lesson_of_the_whole_class(school, six_b, ivanova):
    entry_of(course_of(six_b, teachers=[ivanova]))
    group = subgroup_of(six_b)
    beside = entry_of(
        course_of(six_b, "Английский язык", [make_teacher(school, "Петров")], group), save=False
    )

    [message] = messages_of(beside)
    assert message.startswith("У класса 6Б уже стоит 6Б Математика")
    assert "только с уроком другой подгруппы" in message


def test_one_subgroup_may_not_have_two_lessons_at_once(school, six_b):
    course = course_of(six_b, "Английский язык", [make_teacher(school)], subgroup_of(six_b))
    entry_of(course, room=make_room(school, "21"))
    again = entry_of(course, room=make_room(school, "22"), save=False)

    assert [c.split(" в ")[0] for c in messages_of(again)] == [
        "Учитель Иванова М. П. уже ведёт 6Б Английский язык (Группа 1)",
        "У класса 6Б уже стоит 6Б Английский язык (Группа 1)",
    ]


@pytest.mark.parametrize(
    "first,second,clash",
    [
        ("odd", "even", False),
        ("even", "odd", False),
        ("odd", "odd", True),
        ("every", "even", True),
        ("odd", "every", True),
    ],
)
def test_alternating_weeks_clash_only_when_their_parity_meets(
    school, six_b, ivanova, first, second, clash
):
    entry_of(course_of(six_b, teachers=[ivanova]), weeks=first)
    other = entry_of(
        course_of(class_in(school, 7, "А"), "Физика", [ivanova]), weeks=second, save=False
    )

    assert bool(messages_of(other)) is clash


def test_the_message_says_the_other_lesson_runs_on_odd_weeks(school, six_b, ivanova):
    entry_of(course_of(six_b, teachers=[ivanova]), weeks="odd")
    other = entry_of(course_of(class_in(school, 7, "А"), "Физика", [ivanova]), save=False)

    assert messages_of(other) == [
        "Учитель Иванова М. П. уже ведёт 6Б Математика в понедельник, 3-й урок по нечётным неделям."
    ]


def test_entries_of_separate_date_ranges_do_not_clash(school, six_b, ivanova):
    autumn = (date(2025, 9, 1), date(2025, 12, 31))
    spring = (date(2026, 1, 1), date(2026, 5, 31))
    entry_of(course_of(six_b, teachers=[ivanova]), valid=autumn)
    later = entry_of(
        course_of(class_in(school, 7, "А"), "Физика", [ivanova]), valid=spring, save=False
    )

    assert messages_of(later) == []


def test_overlapping_date_ranges_clash_and_the_message_gives_the_dates(school, six_b, ivanova):
    entry_of(course_of(six_b, teachers=[ivanova]), valid=(date(2025, 9, 1), date(2025, 12, 31)))
    other = entry_of(
        course_of(class_in(school, 7, "А"), "Физика", [ivanova]),
        valid=(date(2025, 12, 1), date(2026, 5, 31)),
        save=False,
    )

    assert messages_of(other) == [
        "Учитель Иванова М. П. уже ведёт 6Б Математика в понедельник, 3-й урок "
        "(с 01.09.2025 по 31.12.2025)."
    ]


def test_ranges_that_share_no_such_weekday_do_not_clash(school, six_b, ivanova):
    # 02.09.2025 is a Tuesday: the two ranges share it and the Wednesday, but no Monday.
    entry_of(course_of(six_b, teachers=[ivanova]), valid=(date(2025, 9, 1), date(2025, 9, 3)))
    other = entry_of(
        course_of(class_in(school, 7, "А"), "Физика", [ivanova]),
        valid=(date(2025, 9, 2), date(2025, 12, 31)),
        save=False,
    )

    assert messages_of(other) == []


def test_an_entry_does_not_clash_with_itself_when_changed(school, six_b, ivanova):
    entry = entry_of(course_of(six_b, teachers=[ivanova]), room=make_room(school))
    entry.number = 3

    assert messages_of(entry) == []


def test_another_schools_timetable_never_clashes(school, six_b, ivanova):
    from tests.factories import make_school

    entry_of(course_of(six_b, teachers=[ivanova]), room=make_room(school, "12"))
    elsewhere = make_school()
    other = entry_of(
        course_of(class_in(elsewhere, 6, "Б"), teachers=[ivanova]),
        room=make_room(elsewhere, "12"),
        save=False,
    )

    assert messages_of(other) == []


def test_saving_refuses_a_clash_and_keeps_nothing(school, six_b, ivanova):
    entry_of(course_of(six_b, teachers=[ivanova]))
    other = entry_of(course_of(class_in(school, 7, "А"), "Физика", [ivanova]), save=False)

    with scopes_disabled(), pytest.raises(ValidationError) as error:
        save_entry(other)
    assert "Иванова М. П." in error.value.messages[0]
    assert other.pk is None


def test_dates_outside_the_year_are_refused(school, six_b, ivanova):
    entry = entry_of(
        course_of(six_b, teachers=[ivanova]),
        valid=(date(2025, 9, 1), date(2026, 9, 30)),
        save=False,
    )

    with scopes_disabled(), pytest.raises(ValidationError) as error:
        check_entry(entry)
    assert "выходят за границы учебного года 2025/2026" in error.value.messages[0]
