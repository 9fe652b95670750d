"""The demo college's year: semesters, specialities and professions, groups of two
specialities on courses 1–3 in each branch, their disciplines with teachers, and a few held
lessons of one discipline (a make-up of a missed topic is recorded in one of them).

Sets ctx.college["year"][slug], ["specialities"][slug], ["groups"][slug] = [(group, students)],
["courses"][slug] = [Course]; ["exam_course"]: the course of «c_teacher» in the 2nd-course
group that «c_curator» leads, whose exam the session holds; ["student"]: the Pupil of
«c_student» in it; ["lessons"]: that course's held lessons.
"""

from datetime import timedelta

from accounts.models import Pupil, Role
from accounts.services import grant_role

from .models import (
    Course,
    CourseTeacher,
    Enrolment,
    Holiday,
    Lesson,
    SchoolClass,
    SchoolYear,
    Speciality,
    StudyPeriod,
    Subject,
)
from .services.year import standard_calendar

STUDENTS_PER_GROUP = 6
COURSES = (1, 2, 3)
SPECIALITIES = {
    "college-kasli": [
        ("15.02.08", "Технология машиностроения", "ТМ", Speciality.Kind.SPECIALITY, 3, 10,
         ["Инженерная графика", "Процессы формообразования", "Математика"]),
        ("43.02.15", "Поварское и кондитерское дело", "ПК", Speciality.Kind.SPECIALITY, 3, 10,
         ["Физиология питания", "Организация процессов приготовления", "Математика"]),
    ],
    "college-ufaley": [
        ("15.01.05", "Сварщик (ручной и частично механизированной сварки (наплавки))", "СВ",
         Speciality.Kind.PROFESSION, 2, 10,
         ["Основы материаловедения", "Технология сварочных работ", "Математика"]),
        ("38.02.01", "Экономика и бухгалтерский учёт (по отраслям)", "ЭБ",
         Speciality.Kind.SPECIALITY, 2, 10,
         ["Бухгалтерский учёт", "Финансы, денежное обращение и кредит", "Математика"]),
    ],
}  # fmt: skip
PROGRAMME = {
    Speciality.Kind.SPECIALITY: Speciality.Programme.MIDDLE_LEVEL,
    Speciality.Kind.PROFESSION: Speciality.Programme.SKILLED_WORKERS,
}


def make_year(ctx, school):
    first = SchoolYear.first_year_for(ctx.today)
    start, end = SchoolYear.default_bounds(first)
    year = SchoolYear.objects.create(
        school=school, name=SchoolYear.default_name(first), start=start, end=end
    )
    periods, holidays = standard_calendar(year, "semesters", max_grade=4)
    StudyPeriod.objects.bulk_create(periods)
    Holiday.objects.bulk_create(holidays)
    return year


def build_school(ctx, school, college) -> None:
    year = college["year"][school.slug] = make_year(ctx, school)
    teachers = college["teachers"][school.slug]
    curator_named = ctx.named.get("c_curator")
    subjects: dict[str, Subject] = {}
    groups, courses = [], []
    specialities = []
    for code, name, prefix, kind, years, months, disciplines in SPECIALITIES[school.slug]:
        speciality = Speciality.objects.create(
            school=school, code=code, name=name, kind=kind, programme=PROGRAMME[kind],
            study_years=years, study_months=months,
        )  # fmt: skip
        specialities.append(speciality)
        for course_number in COURSES:
            admitted = year.start.year - (course_number - 1)
            first_lead = curator_named if prefix == "ТМ" and course_number == 2 else None
            group = SchoolClass.objects.create(
                school=school, year=year, grade=course_number,
                letter=f"{prefix}-{admitted % 100:02d}", speciality=speciality,
                class_teacher=first_lead or teachers[2 + len(groups) % (len(teachers) - 2)],
            )  # fmt: skip
            students = Pupil.objects.bulk_create(
                ctx.make_pupil(school) for _ in range(STUDENTS_PER_GROUP)
            )
            Enrolment.objects.bulk_create(
                Enrolment(
                    school=school,
                    pupil=p,
                    school_class=group,
                    start=year.start,
                    reason=Enrolment.Reason.START,
                    order_number=f"{admitted}-{prefix}/к",
                )  # fmt: skip
                for p in students
            )
            groups.append((group, students))
            for index, discipline in enumerate(disciplines):
                subject = subjects.get(discipline)
                if subject is None:
                    subject = subjects[discipline] = Subject.objects.create(
                        school=school, name=discipline, short_name=discipline[:6]
                    )
                course = Course.objects.create(
                    school=school, year=year, school_class=group, subject=subject,
                    hours_per_week=2, hours_per_year=72,
                )  # fmt: skip
                # «c_teacher» (the first) teaches each group's second discipline, whose exam
                # the session holds; «c_curator» (the second) the first one.
                teacher = teachers[(1, 0, 2)[index]]
                CourseTeacher.objects.create(school=school, course=course, teacher=teacher)
                courses.append(course)
                if first_lead is not None and discipline == "Процессы формообразования":
                    college["exam_course"] = course
                    college["exam_group"] = (group, students)
    college["specialities"][school.slug] = specialities
    college["groups"][school.slug] = groups
    college["courses"][school.slug] = courses


def build(ctx) -> None:
    college = ctx.college
    college.update(year={}, specialities={}, groups={}, courses={})
    for school in college["schools"]:
        build_school(ctx, school, college)
    # The named student and parent, in the 2nd-course group the «c_curator» leads.
    kasli = college["schools"][0]
    _group, students = college["exam_group"]
    student = students[0]
    user = ctx.make_user(
        "c_student", names=(student.last_name, student.first_name, student.patronymic)
    )
    student.user = user
    student.save()
    grant_role(kasli, user, Role.PUPIL)
    ctx.named["c_student"] = user
    ctx.named["c_parent"] = ctx.add_parent(kasli, student, username="c_parent")
    college["student"] = student
    # Held lessons of the exam's discipline: the last school days up to today.
    course, day, lessons = college["exam_course"], ctx.today, []
    while len(lessons) < 4 and day >= course.year.start:
        if day.weekday() < 5:
            lessons.append(
                Lesson(school=kasli, course=course, date=day, number=2,
                       topic="Обработка резанием: основные понятия")
            )  # fmt: skip
        day -= timedelta(days=1)
    college["lessons"] = Lesson.objects.bulk_create(lessons[::-1])
