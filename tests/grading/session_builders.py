"""Builders for the session tests: a college's group of a speciality on its 2nd course, a
course with its teacher, a semester holding today, its session and an exam with a commission."""

from dataclasses import dataclass
from datetime import timedelta

from django_scopes import scopes_disabled

from accounts.models import Role
from grading.models import Assessment, FinalMark, Session
from grading.services import sessions as service
from schedule.models import Speciality, StudyPeriod
from tests.factories import (
    make_class,
    make_course,
    make_member,
    make_pupil,
    make_school,
    make_subject,
    make_user,
)

from .finals_builders import period, today


@dataclass
class College:
    school: object
    speciality: object
    group: object
    course: object
    semester: object
    session: object
    assessment: object
    students: list
    student_user: object
    people: dict  # teacher, curator, deputy, director, chair, member


def build_college(students=3, *, form=FinalMark.Kind.EXAM, group="ТМ-21") -> College:
    school = make_school(kind="college")
    people = {
        "teacher": make_member(school, Role.TEACHER, last_name="Преподавателева"),
        "curator": make_member(school, Role.TEACHER, last_name="Кураторова"),
        "deputy": make_member(school, Role.DEPUTY, last_name="Заместителева"),
        "director": make_member(school, Role.DIRECTOR, last_name="Директорова"),
        "chair": make_member(school, Role.TEACHER, last_name="Председателев", first_name="Олег"),
        "member": make_member(school, Role.TEACHER, last_name="Членова", first_name="Анна"),
    }
    with scopes_disabled():
        speciality = Speciality.objects.create(
            school=school, code="15.02.08", name="Технология машиностроения"
        )
    school_class = make_class(
        school, 2, group, class_teacher=people["curator"], speciality=speciality
    )
    subject = make_subject(school, "Процессы формообразования", "ПФ")
    course = make_course(school_class, subject, teachers=[people["teacher"]])
    semester = period(
        course, 1, today() - timedelta(days=60), today() + timedelta(days=30),
        kind=StudyPeriod.Kind.SEMESTER,
    )  # fmt: skip
    student_user = make_user(last_name="Студентова")
    names = ["Андреева", "Борисов", "Васильева", "Григорьев", "Давыдова", "Егоров"]
    pupils = [
        make_pupil(
            school, school_class, start=course.year.start,
            user=student_user if i == 0 else None,
            last_name=names[i % len(names)] + ("" if i < len(names) else str(i)),
            first_name="Мария", patronymic="Ивановна",
        )
        for i in range(students)
    ]  # fmt: skip
    with scopes_disabled():
        semester = StudyPeriod.objects.select_related("year__school").get(pk=semester.pk)
        session = service.do_create_session(
            semester,
            start=today() - timedelta(days=10),
            end=today() + timedelta(days=5),
            user=people["deputy"],
        )
        assessment = service.do_add_assessment(
            session,
            course,
            form=form,
            held_on=today() - timedelta(days=1),
            order_number="01-03/45",
            order_date=today() - timedelta(days=20),
            chair=people["chair"],
            members=[people["member"], people["teacher"]],
            user=people["deputy"],
        )
    return College(
        school, speciality, school_class, course, semester, session, assessment, pupils,
        student_user, people,
    )  # fmt: skip


def exam_mark(college, pupil, value="2"):
    with scopes_disabled():
        return FinalMark.objects.create(
            school=college.school,
            pupil=pupil,
            course=college.course,
            period=college.semester,
            kind=college.assessment.form,
            value=value,
            set_by=college.people["teacher"],
        )


def fresh(assessment):
    with scopes_disabled():
        return service.assessment_for_page(assessment.pk)


__all__ = ["Assessment", "College", "Session", "build_college", "exam_mark", "fresh"]
