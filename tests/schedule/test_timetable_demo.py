"""The demo timetable: clash-free, materialised for the year, with one substitution."""

from datetime import date
from types import SimpleNamespace

import pytest

from schedule import demo_timetable
from schedule.models import Course, Lesson, TimetableEntry
from schedule.services.timetable.entries import find_clashes
from schedule.services.timetable.labels import entries_with_details

from .timetable_factories import class_in, course_of, make_teacher, make_year, subgroup_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unscoped")]


@pytest.fixture
def demo_school(school):
    year = make_year(school)
    teachers = [make_teacher(school, f"Учитель{i}") for i in range(6)]
    for grade, letter in [(5, "А"), (5, "Б"), (6, "А")]:
        school_class = class_in(school, grade, letter, year=year)
        for index, subject in enumerate(["Математика", "Русский язык", "История", "Физика"]):
            course = course_of(school_class, subject, [teachers[index]])
            Course.objects.filter(pk=course.pk).update(hours_per_week=4 - index % 2)
        for number in (1, 2):
            group = subgroup_of(school_class, name=f"{number} группа")
            course = course_of(school_class, "Английский язык", [teachers[3 + number]], group)
            Course.objects.filter(pk=course.pk).update(hours_per_week=3)
    return SimpleNamespace(
        schools=[school], named={"teacher": teachers[0]}, today=date(2025, 10, 6)
    )


def test_the_demo_timetable_is_clash_free_and_complete(demo_school):
    demo_timetable.build(demo_school)

    entries = list(entries_with_details(TimetableEntry.objects.all()))
    assert [str(c) for e in entries for c in find_clashes(e)] == []
    placed = {c.pk: c.timetable_entries.count() for c in Course.objects.all()}
    assert placed == {c.pk: int(c.hours_per_week) for c in Course.objects.all()}
    english = TimetableEntry.objects.filter(course__subgroup__isnull=False)
    by_slot = {(e.course.school_class_id, e.weekday, e.number) for e in english}
    assert len(by_slot) * 2 == english.count()  # the two groups side by side


def test_the_demo_builds_the_years_lessons_and_one_substitution(demo_school):
    demo_timetable.build(demo_school)

    assert Lesson.objects.filter(date__lt=date(2025, 9, 8)).exists()
    assert not Lesson.objects.filter(date__range=(date(2025, 11, 3), date(2025, 11, 9))).exists()
    [substituted] = Lesson.objects.filter(substitute__isnull=False)
    assert substituted.date >= demo_school.today
    assert substituted.held_by == substituted.substitute
    assert substituted.course.course_teachers.get().teacher == demo_school.named["teacher"]
