"""seed_demo fills the journal: topics, homework, marks and absences up to today, and the
journal's pages open for the demo users as Russian pages they can work in."""

import os
import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Max, Min
from django_scopes import scopes_disabled

from accounts.models import School, User
from accounts.navigation import school_reverse
from grading.models import FinalMark, Mark
from journal.models import Attendance, Homework, LessonRecord
from schedule.models import Course, Lesson, SchoolYear

pytestmark = pytest.mark.django_db

# Set JOURNAL_DEMO_PAGES=/some/folder to keep the pages for reading.
KEEP = os.environ.get("JOURNAL_DEMO_PAGES")


@pytest.fixture
def demo():
    call_command("seed_demo", pupils=6, classes=1, grades="1,5", stdout=StringIO())
    with scopes_disabled():
        school = School.objects.order_by("pk").first()
        year = SchoolYear.objects.filter(school=school).on(school.today()).get()
    return school, year


def held(school, today):
    return Lesson.objects.filter(school=school, status=Lesson.Status.PLANNED, date__lte=today)


def test_the_demo_fills_the_journal_up_to_today_with_topics_homework_marks_and_absences(demo):
    school, year = demo
    today = school.today()
    # Half a year back, or the whole of the year so far when it began less than that ago.
    since = max(year.start, today - timedelta(days=183))
    with scopes_disabled():
        lessons = held(school, today)
        assert lessons.count() > 100
        with_topic = lessons.exclude(topic="").count()
        assert with_topic / lessons.count() > 0.8
        assert LessonRecord.objects.filter(school=school, plan_topic__isnull=False).exists()
        homework = Homework.objects.filter(school=school)
        assert homework.count() > 50
        assert not homework.filter(course__school_class__no_marks=True).exists()
        assert all(h.due_date > h.lesson.date for h in homework.select_related("lesson")[:200])

        marks = Mark.objects.filter(school=school, deleted_at__isnull=True)
        span = marks.aggregate(first=Min("lesson__date"), last=Max("lesson__date"))
        assert span["first"] <= since + timedelta(days=14)
        assert span["last"] >= today - timedelta(days=7)
        assert span["last"] <= today  # nothing in lessons still to come
        values = set(marks.values_list("value", flat=True))
        assert {"5", "4", "3"} <= values  # realistic: a spread of marks, not one value
        assert not marks.filter(lesson__course__school_class__no_marks=True).exists()
        # Marks are the teacher's, with history.
        assert Mark.history.filter(school=school, history_user__isnull=False).exists()

        absences = Attendance.objects.filter(school=school)
        assert {"absent", "ill", "excused", "late"} <= set(absences.values_list("code", flat=True))
        assert not absences.filter(code="late", minutes_late__isnull=True).exists()
        # Illnesses carry the class teacher's reason.
        ill = absences.filter(code="ill").select_related("lesson__course__school_class").first()
        assert ill.set_by_id == ill.lesson.course.school_class.class_teacher_id
        # An absent pupil got no mark in that lesson.
        missed = set(absences.exclude(code="late").values_list("lesson_id", "pupil_id"))
        marked = set(marks.values_list("lesson_id", "pupil_id"))
        assert missed and not missed & marked


def _pages(school, today):
    """(demo user, page name, url, whether it is the user's to edit) for the journal's pages."""
    with scopes_disabled():
        teacher = User.objects.get(username="teacher")
        course = (
            Course.objects.filter(course_teachers__teacher=teacher, school_class__no_marks=False)
            .order_by("pk")
            .first()
        )
        lesson = held(school, today).filter(course=course).order_by("-date", "-number").first()
        school_class = course.school_class
        final = FinalMark.objects.filter(course=course).first()
    grid = school_reverse(school, "journal:grid", pk=course.pk)
    pages = [
        ("teacher", "today", school_reverse(school, "journal:today"), True),
        ("teacher", "grid", grid, True),
        ("teacher", "lesson", school_reverse(school, "journal:lesson", pk=lesson.pk), True),
        ("teacher", "plan", school_reverse(school, "journal:plan", pk=course.pk), True),
        ("teacher", "plan_fact", school_reverse(school, "journal:plan_fact", pk=course.pk), True),
        ("teacher", "finals", school_reverse(school, "grading:finals", pk=course.pk), True),
        ("teacher", "corrections", school_reverse(school, "grading:corrections"), False),
        ("classteacher", "grid", grid, False),
        (
            "classteacher",
            "absences",
            school_reverse(school, "journal:class_absences", pk=school_class.pk),
            True,
        ),
        ("deputy", "grid", grid, False),
        ("deputy", "plans_missing", school_reverse(school, "journal:plans_missing"), False),
        ("deputy", "corrections", school_reverse(school, "grading:corrections"), False),
        ("director", "grid", grid, False),
        ("director", "finals", school_reverse(school, "grading:finals", pk=course.pk), False),
    ]
    if final is not None:
        pages.append(("teacher", "finals_edit", pages[5][2] + "edit/?kind=year", True))
    return pages, course


LATIN_WORD = re.compile(r">\s*([A-Za-z][a-z]{3,}(?:\s+[a-z]{3,})*)\s*<")


def test_the_journal_pages_open_for_the_demo_users_as_russian_pages(client, demo):
    school, _year = demo
    today = school.today()
    pages, course = _pages(school, today)
    for username, name, url, edits in pages:
        with scopes_disabled():
            client.force_login(User.objects.get(username=username))
        response = client.get(url)
        assert response.status_code == 200, (username, name, response.status_code)
        html = response.content.decode()
        if KEEP:
            Path(KEEP).mkdir(parents=True, exist_ok=True)
            Path(KEEP, f"{username}_{name}.html").write_text(html)
        assert '<html lang="ru' in html, (username, name)
        assert "None" not in re.sub(r"<script.*?</script>", "", html, flags=re.S), (username, name)
        assert "{{" not in html and "{%" not in html, (username, name)
        # Text people read is Russian (subject names of foreign languages aside).
        english = [w for w in LATIN_WORD.findall(html) if w not in ("English",)]
        assert not english, (username, name, english[:5])
        if name == "grid":
            assert str(course.subject) in html
            assert "Темы уроков и домашние задания" in html
            inputs = "<input name=c" in html
            assert inputs == edits, (username, name)
            assert re.search(r'<td class="avg">\d,\d\d</td>', html), "averages are shown"
    with scopes_disabled():
        client.force_login(User.objects.get(username="teacher"))
    today_page = client.get(pages[0][2]).content.decode()
    assert "Мои уроки сегодня" in today_page or "уроков нет" in today_page.lower()
