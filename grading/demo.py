"""Demo marks and absences: the year's, up to today, for every held lesson.

Runs after schedule's demo, which made the lessons. Each pupil has a level they mostly keep
to, so averages differ the way they do in a real class; written works (tests, dictations,
independent work) mark nearly everyone present, an ordinary lesson a few. Illnesses last
several school days and carry the class teacher's «б»; there are some «н», «у» and lates.
1st grade (no marks) gets attendance only.

Marks are written in bulk with their history (simple-history's bulk helper), dated on the
lesson's day and by the lesson's teacher, so a cell's history reads naturally. Attendance
belongs to journal, which grading does not import: the absences planned here (no marks for
an absent pupil) are left on `ctx.demo_absences` for journal/demo_attendance.py to write.
"""

from collections import defaultdict
from datetime import datetime, time

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from schedule.models import CourseTeacher, Enrolment, Lesson, SubgroupMembership

from .models import Mark
from .services.marks import forget_work_types, work_types

WRITTEN = {
    Lesson.Kind.TEST,
    Lesson.Kind.INDEPENDENT,
    Lesson.Kind.DICTATION,
    Lesson.Kind.LAB,
    Lesson.Kind.PRACTICE,
    Lesson.Kind.CREDIT,
}


def build(ctx) -> None:
    for school in ctx.schools:
        build_school(ctx, school)
    # The demo college's session, its ledgers and a retake (grading/demo_college.py).
    from .demo_college import build as build_college

    build_college(ctx)

    # The college's course works and practice (issue 18).
    from .demo_practice import build as build_practice

    build_practice(ctx)


def _stays(rows):
    found = defaultdict(list)
    for key, pupil_id, start, end in rows:
        found[key].append((pupil_id, start, end))
    return found


def _present(stays, day):
    return [p for p, start, end in stays if start <= day and (end is None or day <= end)]


def build_school(ctx, school) -> None:
    rng, today = ctx.rng, ctx.today
    forget_work_types(school.pk)
    types = work_types(school)
    lessons = list(
        Lesson.objects.filter(
            school=school,
            status=Lesson.Status.PLANNED,
            date__lte=today,
        )
        .select_related("course__school_class", "substitute")
        .order_by("date", "number")
    )
    if not lessons:
        return
    enrolled = _stays(
        Enrolment.objects.filter(school=school).values_list(
            "school_class_id", "pupil_id", "start", "end"
        )
    )
    grouped = _stays(
        SubgroupMembership.objects.filter(school=school).values_list(
            "subgroup_id", "pupil_id", "start", "end"
        )
    )
    teacher_of = {}
    for course_id, teacher_id in CourseTeacher.objects.filter(school=school).values_list(
        "course_id", "teacher_id"
    ):
        teacher_of.setdefault(course_id, teacher_id)
    class_teacher_of = {}

    # Each pupil's level (their usual mark) and how often they miss lessons.
    level, frailty = {}, {}
    pupils = {p for stays in enrolled.values() for p, _s, _e in stays}
    for pupil_id in sorted(pupils):
        level[pupil_id] = rng.choice([3.1, 3.5, 3.8, 4.0, 4.2, 4.4, 4.6, 4.8])
        frailty[pupil_id] = rng.random()

    # Whole days away: illnesses of a few school days, and a few single days.
    days = sorted({lesson.date for lesson in lessons})
    away = {}  # (pupil, day) -> code
    for pupil_id in sorted(pupils):
        for _ in range(rng.choice([0, 0, 1, 1, 2]) if frailty[pupil_id] > 0.3 else 0):
            first = rng.randrange(len(days))
            for day in days[first : first + rng.randint(2, 6)]:
                away[(pupil_id, day)] = "ill"
        for _ in range(rng.randint(0, 3)):
            away.setdefault((pupil_id, rng.choice(days)), rng.choice(["absent", "excused"]))

    # An ordinary lesson marks a few pupils; a course of one or two hours a week marks more
    # of them, so that each pupil has the marks a period mark needs (at least three).
    often = {}
    for lesson in lessons:
        hours = float(lesson.course.hours_per_week) or 1.0
        often.setdefault(lesson.course_id, min(0.9, 0.22 * max(1.0, 4.0 / hours)))
    marks, seen = [], ctx.__dict__.setdefault("demo_absences", [])
    for lesson in lessons:
        course = lesson.course
        author = lesson.substitute_id or teacher_of.get(course.pk)
        if author is None:
            continue
        school_class = course.school_class
        stays = grouped[course.subgroup_id] if course.subgroup_id else enrolled[school_class.pk]
        when = timezone.make_aware(datetime.combine(lesson.date, time(8 + lesson.number, 30)))
        main = types.main_for(lesson.kind)
        written = lesson.kind in WRITTEN
        for pupil_id in _present(stays, lesson.date):
            code = away.get((pupil_id, lesson.date))
            if code is None and rng.random() < 0.01:
                code = "late"
            if code is not None:
                seen.append(
                    {
                        "school": school,
                        "lesson": lesson,
                        "pupil_id": pupil_id,
                        "code": code,
                        "minutes_late": rng.randint(3, 15) if code == "late" else None,
                        # Reasons are the class teacher's; the lesson's teacher marks «н», «о».
                        "set_by_id": (
                            class_teacher_of.setdefault(
                                school_class.pk, school_class.class_teacher_id or author
                            )
                            if code in ("ill", "excused")
                            else author
                        ),
                        "when": when,
                    }
                )
                if code != "late":
                    continue
            if not course.gives_marks or rng.random() > (0.9 if written else often[course.pk]):
                continue
            value = _value(rng, level[pupil_id], course.scale == course.Scale.PASS_FAIL)
            mark = Mark(
                school=school,
                lesson=lesson,
                pupil_id=pupil_id,
                work_type_id=main.id,
                author_id=author,
                updated_at=when,
            )
            mark.set_value(value)
            mark._history_date = when
            marks.append(mark)
    _write(marks, Mark)


def _value(rng, level: float, pass_fail: bool) -> str:
    if pass_fail:
        return "pass" if rng.random() < 0.93 else "fail"
    points = round(rng.gauss(level, 0.7))
    return str(min(5, max(2, points)))


def _write(rows, model) -> None:
    """Bulk rows with their history, each named for its author at its own time."""
    if not rows:
        return
    from accounts.models import User

    authors = {getattr(row, "author_id", None) or row.set_by_id for row in rows}
    users = User.objects.in_bulk(authors)
    for row in rows:
        row._history_user = users.get(getattr(row, "author_id", None) or row.set_by_id)
    bulk_create_with_history(rows, model, batch_size=2000)
