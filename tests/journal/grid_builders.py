"""Builders for the journal grid tests: a course with pupils, dated lessons, marks, absences."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.test import Client
from django_scopes import scopes_disabled

from accounts.models import Role
from grading.models import Mark
from grading.services.marks import work_types
from journal.models import Attendance
from schedule.models import Lesson, StudyPeriod
from tests.factories import (
    make_class,
    make_course,
    make_member,
    make_pupil,
    make_school,
    make_year,
)


@dataclass
class Journal:
    school: object
    teacher: object
    class_teacher: object
    school_class: object
    course: object
    pupils: list = field(default_factory=list)
    lessons: list = field(default_factory=list)

    @property
    def today(self) -> date:
        return self.school.today()

    def main_type(self, lesson=None):
        return work_types(self.school).main_for((lesson or self.lessons[0]).kind)

    def url(self, name="journal:grid", **kwargs):
        from accounts.navigation import school_reverse

        kwargs.setdefault("pk", self.course.pk)
        return school_reverse(self.school, name, **kwargs)

    def cell_url(self, lesson, pupil):
        from accounts.navigation import school_reverse

        return school_reverse(self.school, "journal:cell", pk=lesson.pk, pupil_pk=pupil.pk)

    def client_for(self, user) -> Client:
        client = Client()
        client.force_login(user)
        return client


def add_lesson(course, day: date, number=1, **kwargs) -> Lesson:
    with scopes_disabled():
        return Lesson.objects.create(
            school=course.school, course=course, date=day, number=number, **kwargs
        )


def school_days(start: date, count: int) -> list[date]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def build_journal(
    pupils=5,
    lessons=5,
    *,
    school=None,
    past=False,
    recent=False,
    no_marks=False,
    scale=None,
    periods=False,
    letter="А",
) -> Journal:
    """A teacher's course with pupils and lessons.

    Lessons fall on school days from September of the current school year; `past` puts them
    in the previous year (all locked); `recent` dates them today and the days before.
    """
    school = school or make_school()
    teacher = make_member(school, Role.TEACHER, last_name="Учителева")
    class_teacher = make_member(school, Role.TEACHER, last_name="Классова")
    first_year = date.today().year if date.today().month >= 9 else date.today().year - 1
    year = make_year(school, first_year - 1 if past else first_year)
    school_class = make_class(
        school, 5, letter, class_teacher=class_teacher, year=year, no_marks=no_marks
    )
    extra = {"scale": scale} if scale else {}
    course = make_course(school_class, teachers=[teacher], **extra)
    journal = Journal(school, teacher, class_teacher, school_class, course)
    for i in range(pupils):
        journal.pupils.append(
            make_pupil(
                school,
                school_class,
                last_name=f"Ученик{i:03d}",
                first_name="Пётр",
                start=year.start,
            )
        )
    if recent:
        today = school.today()
        days = [today - timedelta(days=i) for i in range(lessons)][::-1]
    else:
        days = school_days(year.start, lessons)
    for n, day in enumerate(days):
        journal.lessons.append(add_lesson(course, day, number=1 + n % 6 if recent else 1))
    if periods:
        with scopes_disabled():
            middle = year.start + (year.end - year.start) / 2
            StudyPeriod.objects.create(
                school=school,
                year=year,
                kind=StudyPeriod.Kind.SEMESTER,
                number=1,
                start=year.start,
                end=middle,
            )
            StudyPeriod.objects.create(
                school=school,
                year=year,
                kind=StudyPeriod.Kind.SEMESTER,
                number=2,
                start=middle + timedelta(days=1),
                end=year.end,
            )
    return journal


def fill(journal, *, marks=0.35, absences=0.05, seed=1):
    """Realistic marks and absences, written in bulk (history is not needed here)."""
    rng = random.Random(seed)
    types = work_types(journal.school)
    rows, seen = [], []
    for lesson in journal.lessons:
        main = types.main_for(lesson.kind)
        for pupil in journal.pupils:
            draw = rng.random()
            if draw < absences:
                seen.append(
                    Attendance(
                        school=journal.school,
                        lesson=lesson,
                        pupil=pupil,
                        code="absent",
                        set_by=journal.teacher,
                    )
                )
            elif draw < absences + marks:
                value = rng.choice("5554443332")
                rows.append(
                    Mark(
                        school=journal.school,
                        lesson=lesson,
                        pupil=pupil,
                        work_type_id=main.id,
                        value=value,
                        points=int(value),
                        author=journal.teacher,
                    )
                )
    with scopes_disabled():
        Mark.objects.bulk_create(rows)
        Attendance.objects.bulk_create(seen)
    return rows, seen
