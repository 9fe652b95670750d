"""Builders for the plan, lesson and homework tests: a course with dated lessons and topics."""

from datetime import date, timedelta

from django_scopes import scopes_disabled

from accounts.models import Role
from journal.models import PlanTopic
from schedule.models import Lesson
from tests.factories import (
    make_class,
    make_course,
    make_member,
    make_pupil,
    make_year,
    set_rules,
)


def year_start(school) -> date:
    return make_year(school).start


def lessons_for(course, count, start=None, step=1):
    """`count` lessons of the course, one a day (every `step` days) from `start`."""
    start = start or course.year.start
    with scopes_disabled():
        return [
            Lesson.objects.create(
                school=course.school,
                course=course,
                date=start + timedelta(days=i * step),
                number=1,
            )
            for i in range(count)
        ]


def teacher_course(school, *, grade=5, letter="А", no_marks=False, hours=0, pupils=0, teacher=None):
    """A teacher's course. The plan's tests write topics of lessons from the start of the year
    on, so the school keeps topics open all year (the locks have tests of their own)."""
    set_rules(school, lock_topics_days=400)
    teacher = teacher or make_member(school, Role.TEACHER, last_name="Иванова")
    school_class = make_class(school, grade, letter, no_marks=no_marks)
    course = make_course(school_class, teachers=[teacher], hours_per_year=hours)
    for i in range(pupils):
        make_pupil(school, school_class, last_name=f"Ученик{i:03d}", start=course.year.start)
    return teacher, course


def topics_for(course, *specs, user):
    """specs: (title, hours[, kind]) in plan order."""
    with scopes_disabled():
        return [
            PlanTopic.objects.create(
                school=course.school,
                course=course,
                position=i,
                title=spec[0],
                hours=spec[1],
                kind=spec[2] if len(spec) > 2 else Lesson.Kind.LESSON,
                created_by=user,
            )
            for i, spec in enumerate(specs, start=1)
        ]
