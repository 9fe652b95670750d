"""The diary's figures: a parent's week view (and the marks page) against the bare view.

Generated: a school with a class of 30, twelve subjects, the current week full (six days of
seven lessons) with a mark on most lessons, absences, homework with files and announcements;
the parent has two children (the switcher is on the page).
"""

import random
from datetime import timedelta

from django.test import Client
from django_scopes import scopes_disabled

from accounts.models import ParentLink, Pupil, Role, School
from accounts.navigation import school_reverse
from accounts.services import grant_role
from grading.models import Mark, WorkType
from journal.models import Announcement, Attendance, Homework, HomeworkAttachment
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

from .data import make_user
from .timing import check, count_queries, p50, p95, timed, timed_pair
from .urls import BODY

SUBJECTS = [
    "Математика",
    "Русский язык",
    "Литература",
    "Английский язык",
    "История",
    "Обществознание",
    "География",
    "Биология",
    "Физика",
    "Информатика",
    "Музыка",
    "Физическая культура",
]


@scopes_disabled()
def family_week(pupils=30, seed=2026):
    rng = random.Random(seed)
    school = School.objects.create(
        name="Школа для замеров дневника", short_name="Дневник", slug="bench-diary"
    )
    today = school.today()
    monday = today - timedelta(days=today.weekday())
    year = SchoolYear.objects.create(
        school=school,
        name="замеры дневника",
        start=monday - timedelta(days=60),
        end=monday + timedelta(days=60),
    )
    StudyPeriod.objects.create(
        school=school,
        year=year,
        kind=StudyPeriod.Kind.QUARTER,
        number=1,
        grade_from=1,
        grade_to=11,
        start=year.start,
        end=year.end,
    )
    teacher = make_user("bench_diary_teacher", "Учителева", "Анна")
    grant_role(school, teacher, Role.TEACHER)
    school_class = SchoolClass.objects.create(school=school, year=year, grade=7, letter="А")
    children = Pupil.objects.bulk_create(
        Pupil(school=school, last_name=f"Ученик{n:02d}", first_name="Пётр") for n in range(pupils)
    )
    Enrolment.objects.bulk_create(
        Enrolment(school=school, pupil=p, school_class=school_class, start=year.start)
        for p in children
    )
    parent = make_user("bench_diary_parent", "Родителева", "Мария")
    grant_role(school, parent, Role.PARENT)
    for child in children[:2]:
        ParentLink.objects.create(school=school, parent=parent, pupil=child)
    courses = []
    for name in SUBJECTS:
        subject = Subject.objects.create(school=school, name=name, short_name=name[:4])
        course = Course.objects.create(
            school=school, year=year, school_class=school_class, subject=subject
        )
        CourseTeacher.objects.create(school=school, course=course, teacher=teacher)
        courses.append(course)
    lessons = Lesson.objects.bulk_create(
        Lesson(
            school=school,
            course=courses[(day * 7 + number) % len(courses)],
            date=monday + timedelta(days=day),
            number=number,
            topic=f"Тема урока {day * 7 + number}",
            kind=Lesson.Kind.TEST if (day + number) % 5 == 0 else Lesson.Kind.LESSON,
        )
        for day in range(6)
        for number in range(1, 8)
    )
    kinds = {w.lesson_kind: w for w in WorkType.objects.filter(school=school) if w.lesson_kind}
    marks, absences, homework = [], [], []
    for lesson in lessons:
        for pupil in children:
            roll = rng.random()
            if roll < 0.3:
                value = rng.choice("55443")
                marks.append(
                    Mark(
                        school=school,
                        lesson=lesson,
                        pupil=pupil,
                        work_type=kinds.get(lesson.kind) or kinds[Lesson.Kind.LESSON],
                        value=value,
                        points=int(value),
                        comment="Хорошо отвечал" if roll < 0.05 else "",
                        author=teacher,
                    )
                )
            elif roll > 0.96:
                absences.append(
                    Attendance(
                        school=school, lesson=lesson, pupil=pupil, code="absent", set_by=teacher
                    )
                )
        homework.append(
            Homework(
                school=school,
                lesson=lesson,
                course=lesson.course,
                text=f"§ {lesson.number + 10}, упражнения {lesson.pk % 50}–{lesson.pk % 50 + 3}",
                due_date=lesson.date + timedelta(days=7),
                created_by=teacher,
            )
        )
    Mark.objects.bulk_create(marks)
    Attendance.objects.bulk_create(absences)
    homework = Homework.objects.bulk_create(homework)
    HomeworkAttachment.objects.bulk_create(
        HomeworkAttachment(
            school=school,
            homework=item,
            file=f"homework/bench/{n}.pdf",
            name=f"задание-{n}.pdf",
            size=20480,
            uploaded_by=teacher,
        )
        for n, item in enumerate(homework[::3])
    )
    for n in range(3):
        Announcement.objects.create(
            school=school,
            school_class=school_class if n else None,
            title=f"Объявление {n + 1}",
            body="Текст объявления для родителей.",
            author=teacher,
        )
    return school, parent, children[0], monday, len(lessons)


def diary_week(options):
    """A parent's diary week (42 lessons of 12 subjects) against the bare view."""
    school, parent, pupil, monday, lessons = family_week(pupils=options.pupils)
    client = Client()
    client.force_login(parent)
    url = school_reverse(school, "journal:diary_week", pupil=pupil.pk) + f"?week={monday}"
    page = check(client.get(url))
    shown = page.content.count(b'class="lesson')
    if shown < lessons:
        raise RuntimeError(f"the week shows {shown} lessons, expected {lessons}")
    yield "diary_week_queries", count_queries(lambda: check(client.get(url))), "queries"
    BODY["bytes"] = bytes(page.content)
    bare_url = f"/s/{school.slug}/bench/bare/"
    assert len(check(client.get(bare_url)).content) == len(page.content)
    week_times, bare_times = timed_pair(
        lambda _i: check(client.get(url)),
        lambda _i: check(client.get(bare_url)),
        runs=options.runs,
    )
    yield "diary_week_bytes", len(page.content), "bytes"
    yield "diary_week_ms_p50", round(p50(week_times), 2), "ms"
    yield "diary_week_ms_p95", round(p95(week_times), 2), "ms"
    yield "diary_bare_view_ms_p50", round(p50(bare_times), 2), "ms"
    yield "diary_week_vs_bare_ratio", round(p50(week_times) / p50(bare_times), 2), "x"

    marks_url = school_reverse(school, "journal:diary_marks", pupil=pupil.pk)
    check(client.get(marks_url))
    yield "diary_marks_queries", count_queries(lambda: check(client.get(marks_url))), "queries"
    marks_times = timed(lambda _i: check(client.get(marks_url)), runs=options.runs)
    yield "diary_marks_ms_p50", round(p50(marks_times), 2), "ms"

    # Built anew, as on the first view after a change to one of the pupil's courses, and the
    # signed-in trivial page (the load test's floor) through the same client.
    from schedule.models import Course
    from schedule.versions import courses_changed

    course_ids = list(
        Course.objects.with_scopes_disabled().filter(school=school).values_list("pk", flat=True)[:1]
    )

    def drop():
        courses_changed(course_ids, school_id=school.pk)

    for name, path in (("diary_week", url), ("diary_marks", marks_url)):
        cold = timed(lambda _i, path=path: (drop(), check(client.get(path)))[1], runs=options.runs)
        yield f"{name}_uncached_ms_p50", round(p50(cold), 2), "ms"
    trivial = timed(lambda _i: check(client.get("/account/")), runs=options.runs)
    yield "trivial_page_ms_p50", round(p50(trivial), 2), "ms"
    yield "diary_week_vs_trivial_ratio", round(p50(week_times) / p50(trivial), 2), "x"
    yield "diary_marks_vs_trivial_ratio", round(p50(marks_times) / p50(trivial), 2), "x"
