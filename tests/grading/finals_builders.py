"""Builders for the final-marks tests: a course with pupils, periods, lessons and marks."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Pupil, Role
from grading.models import Mark, WorkType
from schedule.models import Lesson, StudyPeriod
from tests.factories import make_class, make_course, make_member, make_pupil


def today():
    return timezone.localdate()


def period(course, number, start, end, kind=StudyPeriod.Kind.QUARTER):
    with scopes_disabled():
        return StudyPeriod.objects.create(
            school=course.school,
            year=course.year,
            kind=kind,
            number=number,
            start=start,
            end=end,
        )


def work_type(school, name, weight):
    with scopes_disabled():
        return WorkType.objects.get_or_create(
            school=school,
            name=name,
            defaults={"short_name": name[:3], "weight": Decimal(weight)},
        )[0]


def course_with_pupils(school, count=3, *, grade=5, letter="А", scale="five", teacher=None):
    teacher = teacher or make_member(school, Role.TEACHER, last_name="Иванова")
    school_class = make_class(school, grade, letter)
    course = make_course(school_class, teachers=[teacher], scale=scale)
    start = course.year.start
    pupils = [
        make_pupil(school, school_class, last_name=f"Ученик{i:03d}", start=start)
        for i in range(count)
    ]
    return teacher, course, pupils


def open_period(course, number=1):
    """A period that holds today and ends in a month: its final marks are not locked."""
    return period(course, number, today() - timedelta(days=30), today() + timedelta(days=30))


def closed_period(course, number=1):
    return period(course, number, today() - timedelta(days=120), today() - timedelta(days=40))


def lesson_in(course, day, number=1):
    with scopes_disabled():
        return Lesson.objects.get_or_create(
            school=course.school, course=course, date=day, number=number
        )[0]


def give(course, pupil, values, work, author, start):
    """Marks `values` of one work type, one lesson a day from `start`."""
    with scopes_disabled():
        for i, value in enumerate(values):
            mark = Mark(
                school=course.school,
                lesson=lesson_in(course, start + timedelta(days=i)),
                pupil=pupil,
                work_type=work,
                author=author,
            )
            mark.set_value(value)
            mark.save()


def refreshed(pupil):
    with scopes_disabled():
        return Pupil.objects.get(pk=pupil.pk)
