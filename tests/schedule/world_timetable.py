"""The timetable's part of the permission world: rooms, timetable entries and lessons.

Called from tests/world.py after the year's part (which makes `own_course`, taught by the
world's «teacher» in `own_class`, `other_course` of the other class and `foreign_course`).
Adds a lesson of the other course that the «teacher» holds as a substitute.
"""

from datetime import date, timedelta

from django_scopes import scopes_disabled

from accounts.models import Role
from schedule.models import Lesson, Room, SchoolYear, TimetableEntry

from ..factories import make_course, make_member, make_subject


def lesson_day() -> date:
    """A Monday in the second half of September of the current school year (no holidays)."""
    start = date(SchoolYear.first_year_for(date.today()), 9, 15)
    return start + timedelta(days=(7 - start.weekday()) % 7)


def move_day() -> date:
    return lesson_day() + timedelta(days=1)


def entry(course, room, weekday, number):
    year = course.year
    return TimetableEntry.objects.create(
        school=course.school,
        course=course,
        weekday=weekday,
        number=number,
        room=room,
        valid_from=year.start,
        valid_to=year.end,
    )


def lesson(course, room, number, **kwargs):
    return Lesson.objects.create(
        school=course.school,
        course=course,
        date=lesson_day(),
        number=number,
        room=room,
        from_timetable=True,
        **kwargs,
    )


def build(school, other_school, users, objects):
    with scopes_disabled():
        own_course = objects.get("own_course") or make_course(
            objects["own_class"], make_subject(school), teachers=[users["teacher"]]
        )
        other_course = objects.get("other_course") or make_course(
            objects["other_class"],
            make_subject(school),
            teachers=[objects["other_class"].class_teacher],
        )
        foreign_course = objects.get("foreign_course") or make_course(
            objects["foreign_class"], make_subject(other_school)
        )
        room = Room.objects.get_or_create(school=school, name="12")[0]
        other_room = Room.objects.get_or_create(school=school, name="14")[0]
        foreign_room = Room.objects.get_or_create(school=other_school, name="12")[0]
        foreign_teacher = make_member(other_school, Role.TEACHER, "timetable_foreign_teacher")
        objects.update(
            room=room,
            other_room=other_room,
            foreign_room=foreign_room,
            foreign_teacher=foreign_teacher,
            teacher_user=users["teacher"],
            other_teacher=objects["other_class"].class_teacher,
            own_entry=entry(own_course, room, 1, 1),
            other_entry=entry(other_course, other_room, 1, 2),
            foreign_entry=entry(foreign_course, foreign_room, 1, 1),
            own_lesson=lesson(own_course, room, 1),
            other_lesson=lesson(other_course, other_room, 2),
            foreign_lesson=lesson(foreign_course, foreign_room, 1),
        )
        # The «teacher» stands in for the other class's teacher at the 3rd lesson.
        objects["substituted_lesson"] = lesson(
            other_course, other_room, 3, substitute=users["teacher"], held_by=users["teacher"]
        )
