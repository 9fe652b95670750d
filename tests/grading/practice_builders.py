"""A small college for the course-work and practice tests: a group of students with its
curator, a discipline taught by the supervisor, another group, the leadership."""

from dataclasses import dataclass, field
from datetime import timedelta

from django_scopes import scopes_disabled

from accounts.models import Role
from grading.models import CourseWork
from schedule.models import PracticePeriod, PracticePlace

from ..factories import (
    make_class,
    make_course,
    make_member,
    make_parent,
    make_pupil,
    make_subject,
    make_user,
    make_year,
)


@dataclass
class College:
    school: object
    year: object
    users: dict
    group: object
    other_group: object
    course: object
    students: list = field(default_factory=list)

    def day(self, n: int):
        return self.year.start + timedelta(days=n)


def college(school, size: int = 3) -> College:
    year = make_year(school)
    users = {role: make_member(school, Role(role)) for role in ("admin", "director", "deputy")}
    users["supervisor"] = make_member(school, Role.TEACHER)
    users["other_teacher"] = make_member(school, Role.TEACHER)
    users["curator"] = make_member(school, Role.TEACHER)
    group = make_class(school, 2, "ТМ-21", class_teacher=users["curator"], year=year)
    other_group = make_class(school, 2, "ТМ-22", class_teacher=users["other_teacher"], year=year)
    subject = make_subject(school, "Технология машиностроения", "ТМ")
    course = make_course(group, subject, teachers=[users["supervisor"]])
    make_course(other_group, subject, teachers=[users["other_teacher"]])
    users["student"] = make_user()
    students = [
        make_pupil(
            school,
            group,
            start=year.start,
            last_name=f"Студентов{n:03d}",
            user=users["student"] if n == 0 else None,
        )
        for n in range(size)
    ]
    users["parent"] = make_parent(school, students[0])
    return College(school, year, users, group, other_group, course, students)


def add_works(place: College, count: int | None = None) -> list:
    with scopes_disabled():
        return [
            CourseWork.objects.create(
                school=place.school,
                course=place.course,
                pupil=pupil,
                topic=f"Проект участка № {n}",
                supervisor=place.users["supervisor"],
                handed_in=place.day(20),
                defended=place.day(25),
                mark=5 - n % 3,
            )
            for n, pupil in enumerate(place.students[:count])
        ]


def add_practice(place: College, *, group=None, concentrated=True, start=40, days=13):
    with scopes_disabled():
        organisation = PracticePlace.objects.get_or_create(
            school=place.school,
            name="АО «Каслинский завод»",
            defaults={"address": "г. Касли, ул. Лобашова, 134", "contract_number": "17/П"},
        )[0]
        return PracticePeriod.objects.create(
            school=place.school,
            year=place.year,
            school_class=group or place.group,
            kind=PracticePeriod.Kind.INDUSTRIAL,
            name="ПП.01 Производственная практика",
            start=place.day(start),
            end=place.day(start + days),
            hours=144,
            concentrated=concentrated,
            place=organisation,
            supervisor=place.users["supervisor"],
            place_supervisor="Сафронов И. П.",
        )
