"""The generated school of the load test: the bench's journal (a teacher, a class of pupils,
60 lessons with marks) and the bench's diary family week (twelve subjects, the current week
full), with a parent for every child, a deputy and passwords to sign in with. The journal's
class also has a course for each of TEACHERS more teachers, each with an empty lesson today:
the cell saves measured alone are each teacher's own cells (no two users type into one)."""

import json
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django_scopes import scopes_disabled

from accounts.models import ParentLink, Role, User
from accounts.navigation import school_reverse
from accounts.services import grant_role
from bench import data, diary
from grading.services.marks import work_types
from schedule.models import Course, CourseTeacher, Lesson, SchoolClass, Subject

PASSWORD = "load-test-2026"
TEACHERS = 8  # as many as the load test's connections


def _user(username, last_name, hashed) -> User:
    return User.objects.create(
        username=username, last_name=last_name, first_name="Нагрузка", password=hashed
    )


@scopes_disabled()
def build(pupils: int, path: Path) -> dict:
    """Generate the school and write what the locustfile needs (users, URLs) to `path`."""
    hashed = make_password(PASSWORD)  # one hash for everybody: a real hasher, paid once
    journal = data.journal(pupils=pupils, lessons=60)
    User.objects.filter(pk=journal.teacher.pk).update(password=hashed)
    school, first_parent, _first_child, monday, _lessons = diary.family_week(pupils=pupils)
    User.objects.filter(pk=first_parent.pk).update(password=hashed)
    children = list(school.pupils.order_by("pk"))
    parents = [{"username": first_parent.username, "pupil": children[0].pk}]
    for n, child in enumerate(children[1:], 1):
        parent = _user(f"load_parent_{n:03d}", f"Родитель{n:03d}", hashed)
        grant_role(school, parent, Role.PARENT)
        ParentLink.objects.create(school=school, parent=parent, pupil=child)
        parents.append({"username": parent.username, "pupil": child.pk})
    deputy = _user("load_deputy", "Завучева", hashed)
    grant_role(school, deputy, Role.DEPUTY)
    grant_role(journal.school, deputy, Role.DEPUTY)
    school_class = SchoolClass.objects.filter(school=school).first()
    lesson = journal.today_lesson
    column = work_types(journal.school).main_for(lesson.kind).id
    teachers = [_own_course(journal, n, hashed, column) for n in range(1, TEACHERS + 1)]
    plan = {
        "password": PASSWORD,
        "monday": monday.isoformat(),
        "parents": [
            {
                **p,
                "week": school_reverse(school, "journal:diary_week", pupil=p["pupil"])
                + f"?week={monday.isoformat()}",
                "marks": school_reverse(school, "journal:diary_marks", pupil=p["pupil"]),
            }
            for p in parents
        ],
        "teacher": {
            "username": journal.teacher.username,
            "grid": school_reverse(journal.school, "journal:grid", pk=journal.course.pk),
            "cells": [
                school_reverse(journal.school, "journal:cell", pk=lesson.pk, pupil_pk=p.pk)
                for p in journal.pupils
            ],
            "column": column,
        },
        "teachers": teachers,
        "leader": {
            "username": deputy.username,
            "pages": [
                school_reverse(school, "accounts:pupils"),
                school_reverse(school, "schedule:class", pk=school_class.pk),
                school_reverse(school, "accounts:people"),
                school_reverse(journal.school, "journal:grid", pk=journal.course.pk),
            ],
        },
        "trivial": "/account/",
    }
    data.analyze()
    path.write_text(json.dumps(plan, ensure_ascii=False, indent=1))
    return plan


def _own_course(journal, n: int, hashed: str, column: int) -> dict:
    """Teacher n's course in the journal's class, with an empty lesson today (of the lesson
    type whose main column is `column`) and the URLs of its cells."""
    school = journal.school
    teacher = _user(f"load_teacher_{n:02d}", f"Учитель{n:02d}", hashed)
    grant_role(school, teacher, Role.TEACHER)
    subject = Subject.objects.create(school=school, name=f"Предмет {n}", short_name=f"П{n}")
    course = Course.objects.create(
        school=school, year=journal.course.year, school_class=journal.course.school_class,
        subject=subject,
    )  # fmt: skip
    CourseTeacher.objects.create(school=school, course=course, teacher=teacher)
    today = journal.today_lesson
    lesson = Lesson.objects.create(
        school=school, course=course, date=today.date, number=today.number + n, kind=today.kind
    )
    return {
        "username": teacher.username,
        "grid": school_reverse(school, "journal:grid", pk=course.pk),
        "cells": [
            school_reverse(school, "journal:cell", pk=lesson.pk, pupil_pk=p.pk)
            for p in journal.pupils
        ],
        "column": column,
    }
