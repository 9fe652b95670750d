"""The lesson page: who keeps it (the course's teachers, a substitute for their one lesson)."""

import pytest
from django_scopes import scopes_disabled

from accounts.models import Role
from accounts.navigation import school_reverse
from tests.factories import make_member

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
