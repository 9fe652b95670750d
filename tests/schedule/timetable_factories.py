"""Builders for the timetable tests: a year with its calendar, rooms, courses and entries."""

from datetime import date

from django_scopes import scopes_disabled

from accounts.models import Role
from schedule.models import (
    Holiday,
    Room,
    SchoolYear,
    StudyPeriod,
    Subgroup,
    SubgroupMembership,
    TimetableEntry,
)

from ..factories import make_class, make_course, make_member, make_subject

YEAR_START, YEAR_END = date(2025, 9, 1), date(2026, 8, 31)
# Two semesters with winter holidays between them; the autumn holiday lies inside the first.
FIRST = (date(2025, 9, 1), date(2025, 12, 28))
SECOND = (date(2026, 1, 12), date(2026, 5, 31))
AUTUMN = (date(2025, 11, 3), date(2025, 11, 9))
MONDAY = date(2025, 9, 15)  # ISO week 38: even


def make_year(school, *, calendar=True):
    with scopes_disabled():
        year, _created = SchoolYear.objects.get_or_create(
            school=school, name="2025/2026", defaults={"start": YEAR_START, "end": YEAR_END}
        )
        if calendar and not StudyPeriod.objects.filter(year=year).exists():
            for number, (start, end) in enumerate((FIRST, SECOND), 1):
                StudyPeriod.objects.create(
                    school=school,
                    year=year,
                    kind=StudyPeriod.Kind.SEMESTER,
                    number=number,
                    start=start,
                    end=end,
                )
            Holiday.objects.create(
                school=school, year=year, name="Осенние каникулы", start=AUTUMN[0], end=AUTUMN[1]
            )
    return year


def make_teacher(school, last_name="Иванова", first_name="Мария", patronymic="Петровна"):
    return make_member(
        school, Role.TEACHER, last_name=last_name, first_name=first_name, patronymic=patronymic
    )


def make_room(school, name="12"):
    with scopes_disabled():
        return Room.objects.get_or_create(school=school, name=name)[0]


def class_in(school, grade=6, letter="Б", year=None, **kwargs):
    return make_class(school, grade, letter, year=year or make_year(school), **kwargs)


def course_of(school_class, subject="Математика", teachers=(), subgroup=None):
    with scopes_disabled():
        subject_obj = make_subject(school_class.school, subject)
    return make_course(school_class, subject_obj, teachers=teachers, subgroup=subgroup)


def subgroup_of(school_class, subject="Английский язык", name="Группа 1", pupils=()):
    with scopes_disabled():
        subgroup = Subgroup.objects.create(
            school=school_class.school,
            school_class=school_class,
            subject=make_subject(school_class.school, subject),
            name=name,
        )
        for pupil in pupils:
            SubgroupMembership.objects.create(
                school=school_class.school, subgroup=subgroup, pupil=pupil, start=YEAR_START
            )
    return subgroup


def entry_of(course, weekday=1, number=3, room=None, weeks="every", valid=None, save=True):
    year = course.year
    valid_from, valid_to = valid or (year.start, year.end)
    entry = TimetableEntry(
        school=course.school,
        course=course,
        weekday=weekday,
        number=number,
        room=room,
        valid_from=valid_from,
        valid_to=valid_to,
        weeks=weeks,
    )
    if save:
        with scopes_disabled():
            entry.save()
    return entry
