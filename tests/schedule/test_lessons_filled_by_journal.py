"""Re-building lessons never removes or rewrites one that holds a real mark or absence.

The marks (grading) and the attendance (journal) register themselves as what «fills» a
lesson; here the real rows stand in the lessons, not a test filler.
"""

from datetime import date

import pytest

from grading.models import Mark, WorkType
from journal.models import Attendance
from schedule.models import Lesson
from schedule.services.lessons import materialise

from ..factories import make_pupil
from .timetable_factories import class_in, course_of, entry_of, make_room, make_teacher, make_year

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unscoped")]


def test_lessons_with_a_mark_or_an_absence_stay_and_are_listed(school):
    year = make_year(school)
    six_b = class_in(school, 6, "Б", year=year)
    teacher = make_teacher(school)
    pupil = make_pupil(school, six_b, start=year.start)
    entry = entry_of(course_of(six_b, teachers=[teacher]), weekday=1, room=make_room(school))
    materialise(year, since=year.start)
    marked = Lesson.objects.get(date=date(2025, 12, 1))
    missed = Lesson.objects.get(date=date(2025, 12, 8))
    Mark.objects.create(
        school=school,
        lesson=marked,
        pupil=pupil,
        work_type=WorkType.objects.filter(school=school).first(),
        value=Mark.Value.FIVE,
        author=teacher,
    )
    Attendance.objects.create(
        school=school, lesson=missed, pupil=pupil, code=Attendance.Code.ABSENT, set_by=teacher
    )

    entry.room = make_room(school, "14")
    entry.save()
    moved = materialise(year, since=date(2025, 10, 1))
    assert moved.conflicts == []
    kept = Lesson.objects.filter(pk__in=[marked.pk, missed.pk])
    assert [lesson.room.name for lesson in kept] == ["12", "12"]
    assert Lesson.objects.get(date=date(2025, 12, 15)).room.name == "14"

    entry.delete()
    result = materialise(year, since=date(2025, 10, 1))

    assert [c.lesson.pk for c in result.conflicts] == [marked.pk, missed.pk]
    assert all("тема, отметки или посещаемость" in c.reason for c in result.conflicts)
    assert set(Lesson.objects.filter(date__gte=date(2025, 10, 1))) == {marked, missed}
    assert materialise(year, since=date(2025, 10, 1)).changed is False
