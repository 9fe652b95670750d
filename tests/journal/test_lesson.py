"""The lesson page: who keeps it (the course's teachers, a substitute for their one lesson)."""

import re
from datetime import timedelta

import pytest
from django_scopes import scopes_disabled

from accounts.models import Role
from accounts.navigation import school_reverse
from grading.models import Mark
from grading.services.marks import work_types
from journal.models import Attendance
from schedule.models import Enrolment
from tests.factories import make_member

from .grid_builders import build_journal
from .plan_builders import lessons_for, teacher_course

pytestmark = pytest.mark.django_db


def test_a_substitute_keeps_the_lesson_they_held_and_no_other(client, school):
    _teacher, course = teacher_course(school)
    held, other = lessons_for(course, 2)
    substitute = make_member(school, Role.TEACHER, last_name="Петров")
    with scopes_disabled():
        held.substitute = held.held_by = substitute
        held.save()
    client.force_login(substitute)
    data = {"topic": "Повторение", "kind": "lesson", "note": "Замена", "homework_text": ""}

    response = client.post(school_reverse(school, "journal:lesson_edit", pk=held.pk), data)
    assert response.status_code == 302
    with scopes_disabled():
        held.refresh_from_db()
        assert held.topic == "Повторение"
        assert held.history.first().history_user == substitute
    assert (
        client.post(school_reverse(school, "journal:lesson_edit", pk=other.pk), data).status_code
        == 403
    )
    # The substitute does not keep the course's plan either.
    assert client.get(school_reverse(school, "journal:plan", pk=course.pk)).status_code == 403


def test_readers_see_the_lesson_without_a_form(client, school):
    teacher, course = teacher_course(school)
    (lesson,) = lessons_for(course, 1)
    with scopes_disabled():
        lesson.topic = "Дроби"
        lesson.save()
    director = make_member(school, Role.DIRECTOR)
    client.force_login(director)
    page = client.get(school_reverse(school, "journal:lesson", pk=lesson.pk)).text
    assert "Дроби" in page
    assert 'name="topic"' not in page
    client.force_login(teacher)
    page = client.get(school_reverse(school, "journal:lesson", pk=lesson.pk)).text
    assert 'name="topic"' in page


def test_the_lesson_page_lists_the_pupils_cells_each_with_a_link_to_its_history(client):
    """Without JavaScript a cell's history is reached from the lesson page."""
    journal = build_journal(3, 2, recent=True)
    lesson = journal.lessons[-1]
    first, second, gone = journal.pupils
    extra = next(t for t in work_types(journal.school).active if t.id != journal.main_type().id)
    with scopes_disabled():
        for pupil, type_id, value in (
            (first, journal.main_type(lesson).id, "5"),
            (first, extra.id, "4"),
        ):
            Mark.objects.create(
                school=journal.school,
                lesson=lesson,
                pupil=pupil,
                work_type_id=type_id,
                value=value,
                points=int(value),
                author=journal.teacher,
            )
        Attendance.objects.create(
            school=journal.school,
            lesson=lesson,
            pupil=second,
            code="late",
            minutes_late=10,
            set_by=journal.teacher,
        )
        stay = Enrolment.objects.get(pupil=gone)
        stay.end = lesson.date - timedelta(days=1)
        stay.save()
    client.force_login(journal.class_teacher)  # a reader of the course
    html = client.get(school_reverse(journal.school, "journal:lesson", pk=lesson.pk)).text
    rows = re.findall(r"<tr><td>\d+</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td>", html)
    assert rows == [
        (first.last_name + " " + first.first_name, "5", f"{extra.name}: 4"),
        (second.last_name + " " + second.first_name, "о10", "—"),
    ]
    link = re.search(rf'href="([^"]+/lessons/{lesson.pk}/pupils/{second.pk}/history/)"', html)
    history = client.get(link.group(1))
    assert history.status_code == 200
    assert "10 мин" in history.text
