"""Lessons are made from the timetable for the year; re-running keeps filled lessons."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q
from django_scopes import scopes_disabled

from schedule.models import LESSON_FILLERS, Holiday, Lesson, register_lesson_filler
from schedule.services.lessons import lesson_is_filled, materialise

from .timetable_factories import (
    AUTUMN,
    FIRST,
    SECOND,
    class_in,
    course_of,
    entry_of,
    make_room,
    make_teacher,
    make_year,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unscoped")]

START = date(2025, 9, 1)


@pytest.fixture
def year(school):
    return make_year(school)


@pytest.fixture
def course(school, year):
    return course_of(class_in(school, 6, "Б", year=year), teachers=[make_teacher(school)])


def lesson_dates(course):
    return list(Lesson.objects.filter(course=course).values_list("date", flat=True))


def mondays(start, end):
    day = start + timedelta(days=(7 - start.weekday()) % 7)
    while day <= end:
        yield day
        day += timedelta(days=7)


def test_lessons_fall_on_study_days_of_the_grade_only(year, course):
    entry_of(course, weekday=1, number=2)

    result = materialise(year, since=START)

    expected = [d for d in [*mondays(*FIRST), *mondays(*SECOND)] if not AUTUMN[0] <= d <= AUTUMN[1]]
    assert lesson_dates(course) == expected
    assert result.added == len(expected)
    assert date(2025, 11, 3) not in expected  # the autumn holiday
    assert date(2026, 1, 5) not in expected  # winter: between the two semesters
    assert all(lesson.number == 2 for lesson in Lesson.objects.filter(course=course))


def test_a_holiday_of_other_grades_does_not_stop_lessons(school, year, course):
    Holiday.objects.create(
        school=school,
        year=year,
        name="Дополнительные каникулы 1 класса",
        start=date(2026, 2, 16),
        end=date(2026, 2, 22),
        grade_from=1,
        grade_to=1,
    )
    entry_of(course, weekday=1)

    materialise(year, since=START)

    assert date(2026, 2, 16) in lesson_dates(course)


def test_alternating_weeks_and_dates_of_an_entry_are_kept(year, course):
    entry_of(course, weekday=3, weeks="odd", valid=(date(2025, 9, 1), date(2025, 10, 31)))

    materialise(year, since=START)

    days = lesson_dates(course)
    assert days and all(d.isocalendar().week % 2 == 1 for d in days)
    assert all(d.isoweekday() == 3 and d <= date(2025, 10, 31) for d in days)


def test_a_second_run_changes_nothing(year, course):
    entry_of(course, weekday=1)
    entry_of(course, weekday=4, number=5)
    materialise(year, since=START)
    before = set(Lesson.objects.values_list("pk", "date", "number", "room_id"))

    again = materialise(year, since=START)

    assert (again.added, again.removed, again.updated, again.conflicts) == (0, 0, 0, [])
    assert set(Lesson.objects.values_list("pk", "date", "number", "room_id")) == before


def test_a_changed_timetable_moves_future_lessons_and_leaves_past_ones(year, course):
    entry = entry_of(course, weekday=1)
    materialise(year, since=START)
    past = set(Lesson.objects.filter(date__lt=date(2025, 10, 1)).values_list("pk", flat=True))

    entry.weekday = 2
    entry.save()
    result = materialise(year, since=date(2025, 10, 1))

    assert past == set(
        Lesson.objects.filter(date__lt=date(2025, 10, 1)).values_list("pk", flat=True)
    )
    later = Lesson.objects.filter(date__gte=date(2025, 10, 1))
    assert {d.isoweekday() for d in later.values_list("date", flat=True)} == {2}
    assert result.removed == result.added == later.count()
    assert not result.conflicts


def test_a_lesson_with_a_topic_is_never_removed_but_listed(year, course):
    entry = entry_of(course, weekday=1)
    materialise(year, since=START)
    planned = Lesson.objects.get(course=course, date=date(2025, 12, 1))
    planned.topic = "Деление дробей"
    planned.save()

    entry.delete()
    result = materialise(year, since=date(2025, 10, 1))

    assert Lesson.objects.filter(date__gte=date(2025, 10, 1)).count() == 1
    planned.refresh_from_db()
    assert planned.topic == "Деление дробей"
    [conflict] = result.conflicts
    assert conflict.lesson == planned
    assert "тема" in conflict.reason
    assert conflict.label == "6Б Математика, 01.12.2025, 3-й урок"


def test_a_filled_lesson_keeps_its_room_when_the_timetable_changes_it(school, year, course):
    entry = entry_of(course, weekday=1, room=make_room(school, "12"))
    materialise(year, since=START)
    Lesson.objects.filter(date=date(2025, 12, 1)).update(topic="Проценты")

    entry.room = make_room(school, "14")
    entry.save()
    result = materialise(year, since=date(2025, 10, 1))

    rooms = dict(
        Lesson.objects.filter(date__gte=date(2025, 10, 1)).values_list("date", "room__name")
    )
    assert rooms.pop(date(2025, 12, 1)) == "12"
    assert set(rooms.values()) == {"14"}
    assert result.updated == len(rooms)


def test_cancelled_and_substituted_lessons_are_not_removed(school, year, course):
    entry = entry_of(course, weekday=1)
    materialise(year, since=START)
    Lesson.objects.filter(date=date(2025, 12, 1)).update(status="cancelled", status_reason="ОРВИ")
    Lesson.objects.filter(date=date(2025, 12, 8)).update(substitute=make_teacher(school, "Петров"))

    entry.delete()
    result = materialise(year, since=date(2025, 10, 1))

    assert sorted(c.lesson.date for c in result.conflicts) == [date(2025, 12, 1), date(2025, 12, 8)]
    assert "отменён (ОРВИ)" in result.conflicts[0].reason
    assert "замена" in result.conflicts[1].reason


def test_a_lesson_moved_in_by_hand_stays(year, course):
    entry = entry_of(course, weekday=1)
    materialise(year, since=START)
    Lesson.objects.create(school=course.school, course=course, date=date(2025, 12, 6), number=1)

    entry.delete()
    materialise(year, since=date(2025, 10, 1))

    assert lesson_dates(course)[-1] == date(2025, 12, 6)


@pytest.fixture
def marks_filler():
    """What grading will do: count a lesson with (here) a kind other than «урок» as filled."""

    def filler():
        return ~Q(kind=Lesson.Kind.LESSON)

    register_lesson_filler(filler)
    yield filler
    LESSON_FILLERS.remove(filler)


def test_higher_apps_register_what_else_fills_a_lesson(year, course, marks_filler):
    entry = entry_of(course, weekday=1)
    materialise(year, since=START)
    Lesson.objects.filter(date=date(2025, 12, 1)).update(kind=Lesson.Kind.TEST)
    test_lesson = Lesson.objects.get(date=date(2025, 12, 1))

    entry.delete()
    result = materialise(year, since=date(2025, 10, 1))

    assert lesson_is_filled(test_lesson)
    assert [c.lesson for c in result.conflicts] == [test_lesson]
    assert Lesson.objects.filled().count() == 1
    assert Lesson.objects.unfilled().count() == Lesson.objects.count() - 1


def test_lesson_is_filled_checks_the_topic(year, course):
    lesson = Lesson(school=course.school, course=course, date=START, number=1)

    assert not lesson_is_filled(lesson)
    lesson.topic = "Введение"
    assert lesson_is_filled(lesson)


def test_the_command_builds_the_lessons_of_a_school(school, year, course):
    entry_of(course, weekday=1)
    out = StringIO()

    call_command(
        "build_lessons", school.slug, "--year", "2025/2026", "--from", "2025-09-01", stdout=out
    )

    assert (
        f"{school.slug} 2025/2026: добавлено {Lesson.objects.count()}, убрано 0" in out.getvalue()
    )
    with scopes_disabled():
        assert Lesson.objects.filter(from_timetable=True).exists()
