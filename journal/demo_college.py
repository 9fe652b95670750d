"""The demo college's make-up: a student ill on a lesson of the exam's discipline passes the
missed topic later; the protocol's mark sits in that lesson's column as a make-up."""

from .models import Attendance
from .services.makeups import do_record_makeup


def build(ctx) -> None:
    college = ctx.college
    lessons = college["lessons"]
    if len(lessons) < 2:
        return
    lesson = lessons[0]
    student = college["exam_group"][1][2]
    teacher = ctx.named["c_teacher"]
    Attendance.objects.create(
        school=lesson.school, lesson=lesson, pupil=student, code="ill", set_by=teacher
    )
    lesson.course = college["exam_course"]
    do_record_makeup(
        lesson, student, number="2", held_on=ctx.today, value="4", by=teacher, today=ctx.today
    )
