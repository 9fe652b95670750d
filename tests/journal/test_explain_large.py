"""The per-pupil and per-course pages read marks, lessons and attendance by index, at the
size of a real school: a year of lessons of many classes, marks and absences, with the
planner's statistics fresh (ANALYZE). A sequential scan of those tables is a page whose
cost grows with the school, whatever it shows."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from accounts.navigation import school_reverse
from tests.factories import make_class, make_course, make_pupil, make_subject
from tests.reports.builders import build_family

pytestmark = pytest.mark.django_db

BIG_TABLES = ("schedule_lesson", "grading_mark", "journal_attendance")
SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")
OTHER_CLASSES = 24
PUPILS_PER_CLASS = 6


def grow(family):
    """Other classes with a course each per subject, a lesson every school day of the year
    for every course (the pupil's own too), a mark and an absence for some pupils of each:
    tens of thousands of rows, written in SQL (a test of plans, not of the services)."""
    school, year = family.school, family.school_class.year
    with scopes_disabled():
        subjects = [make_subject(school, f"Предмет {n}") for n in range(10, 15)]
        for n in range(OTHER_CLASSES):
            school_class = make_class(school, grade=1 + n % 11, letter="БВГД"[n // 11], year=year)
            for subject in subjects:
                make_course(school_class, subject, teachers=[family.teacher])
            for _ in range(PUPILS_PER_CLASS):
                make_pupil(school, school_class, start=year.start)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO schedule_lesson (date, number, topic, kind, status, status_reason,
                course_id, school_id, from_timetable)
            SELECT d::date, 1 + c.id %% 6, '', 'lesson', 'planned', '', c.id, c.school_id, false
            FROM schedule_course c, generate_series(%s::date, %s::date, '1 day') d
            WHERE c.school_id = %s AND extract(isodow FROM d) < 6
            ON CONFLICT DO NOTHING
            """,
            [year.start, year.end, school.pk],
        )
        cursor.execute(
            """
            INSERT INTO grading_mark (value, points, comment, updated_at, author_id, lesson_id,
                pupil_id, school_id, work_type_id)
            SELECT '4', 4, '', now(), %s, l.id, e.pupil_id, l.school_id,
                (SELECT id FROM grading_worktype w WHERE w.school_id = l.school_id
                 ORDER BY id LIMIT 1)
            FROM schedule_lesson l
            JOIN schedule_course c ON c.id = l.course_id
            JOIN schedule_enrolment e ON e.school_class_id = c.school_class_id
            WHERE l.school_id = %s AND (l.id + e.pupil_id) %% 3 = 0
            ON CONFLICT DO NOTHING
            """,
            [family.teacher.pk, school.pk],
        )
        cursor.execute(
            """
            INSERT INTO journal_attendance (code, updated_at, lesson_id, pupil_id, school_id,
                set_by_id)
            SELECT 'absent', now(), l.id, e.pupil_id, l.school_id, %s
            FROM schedule_lesson l
            JOIN schedule_course c ON c.id = l.course_id
            JOIN schedule_enrolment e ON e.school_class_id = c.school_class_id
            WHERE l.school_id = %s AND (l.id + e.pupil_id) %% 11 = 0
            ON CONFLICT DO NOTHING
            """,
            [family.teacher.pk, school.pk],
        )
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM schedule_lesson WHERE school_id = %s", [school.pk])
        lessons = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM grading_mark WHERE school_id = %s", [school.pk])
        marks = cursor.fetchone()[0]
    return lessons, marks


def scans(client, path) -> dict[str, list[str]]:
    """The big tables each query of the page scans sequentially, by query."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    found = {}
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            big = [t for t in SEQ_SCAN.findall(plan) if t in BIG_TABLES]
            if big:
                found[sql[:300]] = big
    return found


def test_the_pupils_and_the_courses_pages_scan_no_big_table(client):
    family = build_family(subjects=4, days=5, per_day=4)
    lessons, marks = grow(family)
    assert lessons > 20_000 and marks > 30_000, (lessons, marks)
    school, pupil, course = family.school, family.pupil, family.courses[0]
    week = f"?week={family.monday.isoformat()}"
    period = f"?period={family.period.pk}"
    client.force_login(family.parent)
    pages = {
        "diary week": school_reverse(school, "journal:diary_week", pupil=pupil.pk) + week,
        "diary marks": school_reverse(school, "journal:diary_marks", pupil=pupil.pk) + period,
        "diary attendance": school_reverse(school, "journal:diary_attendance", pupil=pupil.pk)
        + period,
        "diary timetable": school_reverse(school, "journal:diary_timetable", pupil=pupil.pk),
    }
    found = {name: scans(client, path) for name, path in pages.items()}
    client.force_login(family.teacher)
    found["journal grid"] = scans(client, school_reverse(school, "journal:grid", pk=course.pk))
    assert not any(found.values()), {name: f for name, f in found.items() if f}
