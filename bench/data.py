"""Generated data for the benchmarks: a school, a class of 30 and a course of 60 lessons.

The lessons fall on the school days up to today, so the last one takes marks at once and
most are locked, as in a real journal late in a period; marks (with a few extra columns),
absences and lates are realistic in number.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django_scopes import scopes_disabled

from accounts.models import Pupil, Role, School, User
from accounts.services import grant_role
from grading.models import Mark
from grading.services.marks import work_types
from journal.models import Attendance
from schedule.models import (
    Course,
    CourseTeacher,
    Enrolment,
    Lesson,
    SchoolClass,
    SchoolYear,
    StudyPeriod,
    Subject,
)


@dataclass
class JournalData:
    school: School
    teacher: User
    course: Course
    pupils: list
    lessons: list

    @property
    def today_lesson(self) -> Lesson:
        return self.lessons[-1]


def school_days_back(today: date, count: int) -> list[date]:
    days, day = [], today
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= timedelta(days=1)
    return days[::-1]


def make_user(username, last_name, first_name="Имя"):
    user = User(username=username, last_name=last_name, first_name=first_name)
    user.set_unusable_password()
    user.save()
    return user


@scopes_disabled()
def journal(pupils=30, lessons=60, seed=2026) -> JournalData:
    rng = random.Random(seed)
    school = School.objects.create(name="Школа для замеров", short_name="Замеры", slug="bench")
    today = school.today()
    days = school_days_back(today, lessons)
    year = SchoolYear.objects.create(
        school=school,
        name="замеры",
        start=days[0] - timedelta(days=7),
        end=today + timedelta(days=60),
    )
    StudyPeriod.objects.create(
        school=school,
        year=year,
        kind=StudyPeriod.Kind.SEMESTER,
        number=1,
        start=year.start,
        end=year.end,
    )
    teacher = make_user("bench_teacher", "Учителева", "Анна")
    grant_role(school, teacher, Role.TEACHER)
    school_class = SchoolClass.objects.create(school=school, year=year, grade=5, letter="А")
    subject = Subject.objects.create(school=school, name="Математика", short_name="Мат.")
    course = Course.objects.create(
        school=school, year=year, school_class=school_class, subject=subject
    )
    CourseTeacher.objects.create(school=school, course=course, teacher=teacher)
    people = Pupil.objects.bulk_create(
        Pupil(school=school, last_name=f"Ученик{i:02d}", first_name="Пётр") for i in range(pupils)
    )
    Enrolment.objects.bulk_create(
        Enrolment(school=school, pupil=p, school_class=school_class, start=year.start)
        for p in people
    )
    kinds = [Lesson.Kind.LESSON] * 8 + [Lesson.Kind.INDEPENDENT, Lesson.Kind.TEST]
    made = Lesson.objects.bulk_create(
        Lesson(
            school=school,
            course=course,
            date=day,
            number=2,
            kind=kinds[i % len(kinds)],
            topic=f"Тема урока {i + 1}: дроби и проценты",
        )
        for i, day in enumerate(days)
    )
    types = work_types(school)
    home = next(w for w in types.items if w.name == "Домашняя работа")
    marks, seen = [], []
    for i, lesson in enumerate(made):
        main = types.main_for(lesson.kind)
        written = lesson.kind != Lesson.Kind.LESSON
        for pupil in people:
            if lesson.pk == made[-1].pk:
                continue  # today's lesson is empty: the benchmark types into it
            draw = rng.random()
            if draw < 0.05:
                code = rng.choice(["absent", "ill", "ill", "excused"])
                seen.append(
                    Attendance(school=school, lesson=lesson, pupil=pupil, code=code, set_by=teacher)
                )
                continue
            if draw < 0.06:
                seen.append(
                    Attendance(
                        school=school,
                        lesson=lesson,
                        pupil=pupil,
                        code="late",
                        minutes_late=rng.randint(3, 15),
                        set_by=teacher,
                    )
                )
            if rng.random() < (0.9 if written else 0.3):
                marks.append(_mark(school, lesson, pupil, main.id, teacher, rng))
            if i % 7 == 3 and rng.random() < 0.3:
                marks.append(_mark(school, lesson, pupil, home.id, teacher, rng))
    Mark.objects.bulk_create(marks, batch_size=2000)
    Attendance.objects.bulk_create(seen, batch_size=2000)
    return JournalData(school, teacher, course, people, made)


def _mark(school, lesson, pupil, work_type_id, author, rng):
    mark = Mark(school=school, lesson=lesson, pupil=pupil, work_type_id=work_type_id, author=author)
    mark.set_value(rng.choice("55544443332"))
    return mark


def analyze() -> None:
    """Fresh planner statistics after the bulk inserts, as a live database has them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
