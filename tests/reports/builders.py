"""A family to test the diary, messages and digests with: a school year with its periods, a
class, courses, a pupil (with an account) and their parent, and a week of lessons in the
first period with marks, absences and homework. Sizes are parameters (query-count tests)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django_scopes import scopes_disabled

from accounts.models import Role
from grading.models import Mark, WorkType
from journal.models import Attendance, Homework, HomeworkAttachment
from schedule.models import Lesson, StudyPeriod
from schedule.services.year import standard_calendar

from ..factories import (
    make_class,
    make_course,
    make_member,
    make_parent,
    make_pupil,
    make_school,
    make_subject,
    make_user,
)


@dataclass
class Family:
    school: object
    school_class: object
    period: object
    monday: date
    pupil: object
    pupil_user: object
    parent: object
    teacher: object
    class_teacher: object
    courses: list
    lessons: list = field(default_factory=list)

    @property
    def year(self):
        return self.school_class.year


def calendar(year):
    periods, holidays = standard_calendar(year)
    for item in (*periods, *holidays):
        item.save()


def first_period(school_class) -> StudyPeriod:
    return (
        StudyPeriod.objects.filter(year=school_class.year)
        .for_grade(school_class.grade)
        .order_by("start")
        .first()
    )


def build_family(school=None, grade=5, letter="А", subjects=2, **week) -> Family:
    school = school or make_school()
    class_teacher = make_member(school, Role.TEACHER, last_name="Классова")
    teacher = make_member(school, Role.TEACHER, last_name="Учителева", email="t@example.org")
    school_class = make_class(school, grade, letter, class_teacher=class_teacher)
    pupil_user = make_user(last_name="Смирнов", first_name="Пётр")
    pupil = make_pupil(
        school, school_class, user=pupil_user, last_name="Смирнов", first_name="Пётр"
    )
    parent = make_parent(school, pupil)
    with scopes_disabled():
        parent.email = f"{parent.username}@example.org"
        parent.save(update_fields=["email"])
        if not StudyPeriod.objects.filter(year=school_class.year).exists():
            calendar(school_class.year)
        period = first_period(school_class)
        # The third week of the first period: a full school week inside it.
        monday = period.start - timedelta(days=period.start.weekday()) + timedelta(days=14)
        courses = [
            make_course(school_class, make_subject(school, f"Предмет {n + 1}"), teachers=[teacher])
            for n in range(subjects)
        ]
    family = Family(
        school=school,
        school_class=school_class,
        period=period,
        monday=monday,
        pupil=pupil,
        pupil_user=pupil_user,
        parent=parent,
        teacher=teacher,
        class_teacher=class_teacher,
        courses=courses,
    )
    if week:
        fill_week(family, **week)
    return family


def work_type(school, kind=Lesson.Kind.LESSON) -> WorkType:
    with scopes_disabled():
        return WorkType.objects.get(school=school, lesson_kind=kind)


def add_mark(lesson, pupil, value="5", kind=Lesson.Kind.LESSON, comment="", author=None):
    with scopes_disabled():
        return Mark.objects.create(
            school=lesson.school,
            lesson=lesson,
            pupil=pupil,
            work_type=work_type(lesson.school, kind),
            value=value,
            points=Mark.POINTS.get(value),
            comment=comment,
            author=author or lesson.course.teachers.first(),
        )


def add_absence(lesson, pupil, code="absent", minutes=None):
    with scopes_disabled():
        return Attendance.objects.create(
            school=lesson.school,
            lesson=lesson,
            pupil=pupil,
            code=code,
            minutes_late=minutes,
            set_by=lesson.course.teachers.first(),
        )


def add_homework(lesson, text="№ 12, 14", files=0):
    with scopes_disabled():
        homework = Homework.objects.create(
            school=lesson.school,
            lesson=lesson,
            course=lesson.course,
            text=text,
            due_date=lesson.date + timedelta(days=7),
            created_by=lesson.course.teachers.first(),
        )
        for n in range(files):
            attachment = HomeworkAttachment(
                school=lesson.school,
                homework=homework,
                name=f"задание-{n + 1}.pdf",
                size=2048,
                uploaded_by=homework.created_by,
            )
            attachment.file.save(f"task{n}.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
            attachment.save()
        return homework


def fill_week(family, days=5, per_day=2, marks=True, absences=True, homework=True, files=0):
    """Lessons Monday.. of the family's week, `per_day` a day across its courses, each with
    a mark (a test every third lesson, with a comment), an absence every fourth and homework
    with `files` attachments."""
    lessons = []
    with scopes_disabled():
        for day in range(days):
            for number in range(1, per_day + 1):
                course = family.courses[(day * per_day + number) % len(family.courses)]
                n = len(lessons)
                kind = Lesson.Kind.TEST if n % 3 == 2 else Lesson.Kind.LESSON
                lesson = Lesson.objects.create(
                    school=family.school,
                    course=course,
                    date=family.monday + timedelta(days=day),
                    number=number,
                    topic=f"Тема {n + 1}",
                    kind=kind,
                )
                lessons.append(lesson)
                if marks:
                    add_mark(
                        lesson,
                        family.pupil,
                        "54"[n % 2],
                        kind=kind,
                        comment="Молодец" if kind == Lesson.Kind.TEST else "",
                    )
                if absences and n % 4 == 3:
                    add_absence(lesson, family.pupil)
                if homework:
                    add_homework(lesson, files=files)
    family.lessons.extend(lessons)
    return lessons
