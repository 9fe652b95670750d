"""The journal grid's part of the permission world: today's lessons and corrections.

Called from tests/world.py after the timetable's part. Lessons dated today (in the school's
time zone) take marks at once; the world's other lessons may be locked or in the future.
Adds a course of the other class nobody in the world reaches but the leadership.
"""

from django_scopes import scopes_disabled

from grading.models import CorrectionRequest, FinalMarkCorrection
from grading.services.marks import work_types
from schedule.models import Lesson

from ..factories import make_course


def today_lesson(course, number, **kwargs):
    return Lesson.objects.create(
        school=course.school,
        course=course,
        date=course.school.today(),
        number=number,
        **kwargs,
    )


def correction(lesson, pupil, user):
    return CorrectionRequest.objects.create(
        school=lesson.school,
        lesson=lesson,
        pupil=pupil,
        kind=CorrectionRequest.Kind.MARK,
        work_type_id=work_types(lesson.school).main_for(lesson.kind).id,
        old_value="",
        new_value="5",
        reason="Отметка не была выставлена по ошибке",
        requested_by=user,
    )


def final_correction(final_mark, user):
    return FinalMarkCorrection.objects.create(
        school=final_mark.school,
        course=final_mark.course,
        pupil=final_mark.pupil,
        kind=final_mark.kind,
        period=final_mark.period,
        old_value=final_mark.value,
        new_value="3",
        reason="Пересдача по протоколу не была учтена",
        requested_by=user,
    )


def build(school, other_school, users, objects):
    with scopes_disabled():
        own_course, other_course = objects["own_course"], objects["other_course"]
        foreign_course = objects["foreign_course"]
        other_teacher = objects["other_class"].class_teacher
        unrelated_course = make_course(
            objects["other_class"], objects["english"], teachers=[other_teacher]
        )
        objects.update(
            unrelated_course=unrelated_course,
            today_lesson=today_lesson(own_course, 7),
            today_other_lesson=today_lesson(unrelated_course, 7),
            # The «teacher» stands in for the other class's teacher today.
            today_sub_lesson=today_lesson(
                other_course, 8, substitute=users["teacher"], held_by=users["teacher"]
            ),
            today_foreign_lesson=today_lesson(foreign_course, 7),
        )
        objects.update(
            own_correction=correction(
                objects["today_lesson"], objects["own_pupil"], users["teacher"]
            ),
            foreign_correction=correction(
                objects["today_foreign_lesson"],
                objects["foreign_pupil"],
                users["foreign_admin"],
            ),
        )
        objects.update(
            own_final_correction=final_correction(objects["own_final"], users["teacher"]),
            foreign_final_correction=final_correction(
                objects["foreign_final"], users["foreign_admin"]
            ),
        )
