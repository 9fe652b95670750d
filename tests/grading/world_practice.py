"""The permission World's course works and practice: the «teacher» supervises the own
class's (the «class_teacher» curates that class); the other class's are the other class
teacher's; the other school has its own."""

from datetime import timedelta

from django_scopes import scopes_disabled

from accounts.models import Role
from grading.models import CourseWork, PracticeMark
from schedule.models import PracticePeriod, PracticePlace

from ..factories import make_member


def practice(school_class, supervisor, name):
    year = school_class.year
    place = PracticePlace.objects.create(school=school_class.school, name=f"Завод {name}")
    return PracticePeriod.objects.create(
        school=school_class.school,
        year=year,
        school_class=school_class,
        kind=PracticePeriod.Kind.EDUCATIONAL,
        name=f"УП.01 {name}",
        start=year.start + timedelta(days=30),
        end=year.start + timedelta(days=43),
        hours=72,
        place=place,
        supervisor=supervisor,
    )


def build(school, other_school, users, objects):
    foreign_teacher = make_member(other_school, Role.TEACHER, "foreign_supervisor")
    foreign_course = objects["foreign_course"]
    with scopes_disabled():
        foreign_course.course_teachers.create(school=other_school, teacher=foreign_teacher)
        other_teacher = objects["other_class"].class_teacher
        for name, course, pupil, supervisor in (
            ("own", objects["own_course"], objects["own_pupil"], users["teacher"]),
            ("other", objects["other_course"], objects["other_pupil"], other_teacher),
            ("foreign", foreign_course, objects["foreign_pupil"], foreign_teacher),
        ):
            objects[f"{name}_course_work"] = CourseWork.objects.create(
                school=course.school,
                course=course,
                pupil=pupil,
                topic=f"Тема {name}",
                supervisor=supervisor,
            )
        for name, school_class, supervisor in (
            ("own", objects["own_class"], users["teacher"]),
            ("other", objects["other_class"], other_teacher),
            ("foreign", objects["foreign_class"], foreign_teacher),
        ):
            objects[f"{name}_practice"] = period = practice(school_class, supervisor, name)
            pupil = objects[f"{name}_pupil"]
            PracticeMark.objects.create(
                school=period.school, period=period, pupil=pupil, mark=4, set_by=supervisor
            )
