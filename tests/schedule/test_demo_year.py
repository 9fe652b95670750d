"""seed_demo builds a full school year: the whole chain from periods to one substitution."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django_scopes import scopes_disabled

from accounts.models import School
from schedule.models import (
    Bell,
    BellSchedule,
    Course,
    Holiday,
    Lesson,
    SchoolYear,
    StudyPeriod,
    Subgroup,
    SubgroupMembership,
    TimetableEntry,
)
from schedule.services.people import pupils_on
from schedule.services.timetable.entries import find_clashes
from schedule.services.timetable.labels import entries_with_details
from schedule.services.year import period_problems

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, built once for the module inside an outer transaction rolled back at the end
    (as the permission matrix does); each test runs in a savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", pupils=4, classes=1, grades="1,5,10", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def first(demo):
    with scopes_disabled():
        school = School.objects.order_by("pk").first()
        yield school, SchoolYear.objects.get(school=school, closed_at__isnull=True)


def test_the_demo_year_has_periods_by_grade_and_holidays(first):
    school, year = first
    periods = list(StudyPeriod.objects.filter(year=year))
    holidays = list(Holiday.objects.filter(year=year))
    kinds = {(p.kind, p.grade_from, p.grade_to) for p in periods}
    assert kinds == {
        (StudyPeriod.Kind.QUARTER, 1, 9),
        (StudyPeriod.Kind.SEMESTER, 10, 11),
    }
    assert len(periods) == 6 and holidays
    assert period_problems(year, periods, holidays) == []


def test_the_demo_has_two_shifts_of_bells(first):
    school, year = first
    shifts = BellSchedule.objects.filter(school=school).order_by("name")
    assert [s.name for s in shifts] == ["1 смена", "2 смена"]
    assert all(Bell.objects.filter(schedule=s).count() >= 6 for s in shifts)


def test_languages_are_taught_in_subgroups_holding_every_pupil(first):
    school, year = first
    for school_class in year.classes.filter(grade__gte=2):
        groups = Subgroup.objects.filter(school_class=school_class)
        assert [g.subject.name for g in groups] == ["Английский язык"] * 2
        placed = SubgroupMembership.objects.on(year.start).filter(subgroup__in=groups)
        assert sorted(m.pupil_id for m in placed) == sorted(
            p.pk for p in pupils_on(school_class, year.start)
        )
        assert Course.objects.filter(subgroup__in=groups).count() == 2


def test_every_course_has_a_teacher_and_curriculum_hours_and_is_in_the_timetable(first):
    school, year = first
    courses = Course.objects.filter(year=year).prefetch_related("course_teachers")
    assert courses.count() > 20
    for course in courses:
        assert course.course_teachers.count() >= 1, course
        assert course.hours_per_year > 0 and course.hours_per_week > 0, course
        assert TimetableEntry.objects.filter(course=course).count() == int(course.hours_per_week)


def test_the_demo_timetable_is_clash_free(first):
    school, year = first
    entries = list(entries_with_details(TimetableEntry.objects.filter(course__year=year)))
    assert [str(c) for e in entries for c in find_clashes(e)] == []


def test_the_years_lessons_skip_holidays_and_one_is_a_substitution(first):
    school, year = first
    lessons = Lesson.objects.filter(course__year=year)
    assert lessons.count() > 1000
    assert lessons.filter(date__lte=year.start + (year.end - year.start) / 12).exists()
    for holiday in Holiday.objects.filter(year=year):
        on_holiday = lessons.filter(
            date__range=(holiday.start, holiday.end),
            course__school_class__grade__gte=holiday.grade_from,
            course__school_class__grade__lte=holiday.grade_to,
        )
        assert not on_holiday.exists(), holiday.name
    [substituted] = Lesson.objects.filter(school=school, substitute__isnull=False)
    assert substituted.held_by == substituted.substitute
    teachers = {ct.teacher_id for ct in substituted.course.course_teachers.all()}
    assert substituted.substitute_id not in teachers
