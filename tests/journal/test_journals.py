"""«Журналы»: every reader finds every journal the regulations give them, with today's state."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from accounts.models import Role
from accounts.navigation import school_reverse
from journal.models import Attendance
from tests.factories import (
    make_class,
    make_course,
    make_member,
    make_pupil,
    make_school,
    make_subject,
)

from .grid_builders import add_lesson

pytestmark = pytest.mark.django_db


def build(school, classes=2, courses=2):
    """Classes, each with its class teacher and courses; «teacher» teaches the first course."""
    teacher = make_member(school, Role.TEACHER, f"t_{school.slug}")
    made = []
    for n in range(classes):
        lead = make_member(school, Role.TEACHER, f"lead_{school.slug}_{n}")
        school_class = make_class(school, 5 + n, "А", class_teacher=lead)
        for m in range(courses):
            subject = make_subject(school, f"Предмет {m}")
            course = make_course(school_class, subject, teachers=[teacher] if m == 0 else [])
            made.append(course)
    return teacher, made


def page(client, school, **params):
    response = client.get(school_reverse(school, "journal:journals"), params)
    assert response.status_code == 200
    return response.content.decode()


def grid(school, course):
    return school_reverse(school, "journal:grid", pk=course.pk)


def test_a_teacher_sees_their_courses_and_a_class_teacher_every_course_of_the_class(client):
    school = make_school()
    teacher, courses = build(school)
    client.force_login(teacher)
    html = page(client, school)
    taught = [c for c in courses if teacher in c.teachers.all()]
    assert taught and all(grid(school, c) in html for c in taught)
    assert not any(grid(school, c) in html for c in courses if c not in taught)

    with scopes_disabled():
        lead = courses[2].school_class.class_teacher
    client.force_login(lead)
    html = page(client, school)
    assert grid(school, courses[2]) in html and grid(school, courses[3]) in html
    assert grid(school, courses[1]) not in html
    assert "ваш класс" in html


def test_the_leadership_sees_every_class_and_each_row_links_every_page(client):
    school = make_school()
    _teacher, courses = build(school)
    deputy = make_member(school, Role.DEPUTY, "deputy")
    client.force_login(deputy)
    html = page(client, school)
    for course in courses:
        for name in ("journal:grid", "grading:finals", "journal:plan", "journal:plan_fact"):
            assert school_reverse(school, name, pk=course.pk) in html
    with scopes_disabled():
        first = courses[0].school_class
    html = page(client, school, **{"class": first.pk})
    assert grid(school, courses[0]) in html and grid(school, courses[2]) not in html


def test_it_shows_whether_today_s_lessons_are_filled(client):
    school = make_school()
    teacher, courses = build(school, classes=1)
    today = school.today()
    pupil = make_pupil(school, courses[0].school_class)
    empty = add_lesson(courses[0], today, 1)
    client.force_login(teacher)
    html = page(client, school)
    assert "сегодня уроков: 1, заполнено: 0" in html
    with scopes_disabled():
        Attendance.objects.create(
            school=school, lesson=empty, pupil=pupil, code="absent", set_by=teacher
        )
    html = page(client, school)
    assert "сегодня 1 урок, заполнен" in html


def test_the_menu_has_journals_for_teachers_and_the_leadership_only(client, world):
    url = school_reverse(world.school, "journal:journals")
    for actor in ("teacher", "class_teacher", "deputy", "director", "admin"):
        client.force_login(world.users[actor])
        assert (
            url in client.get(school_reverse(world.school, "accounts:dashboard")).content.decode()
        )
    client.force_login(world.users["parent"])
    assert client.get(url).status_code == 403


def test_the_list_costs_the_same_queries_for_a_small_and_a_large_school(client):
    counts = []
    for slug, classes, courses in (("small", 1, 1), ("large", 4, 5)):
        school = make_school(slug)
        _teacher, made = build(school, classes, courses)
        for course in made:
            add_lesson(course, school.today(), 1)
        deputy = make_member(school, Role.DEPUTY, f"deputy_{slug}")
        client.force_login(deputy)
        page(client, school)
        with CaptureQueriesContext(connection) as queries:
            html = page(client, school)
        assert html.count("сегодня уроков: 1, заполнено: 0") == classes * courses
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_every_page_of_a_course_links_the_others(client, world):
    school, course = world.school, world.own_course
    client.force_login(world.users["teacher"])
    names = ("journal:grid", "grading:finals", "journal:plan", "journal:plan_fact")
    for name in names:
        html = client.get(school_reverse(school, name, pk=course.pk)).content.decode()
        for other in names:
            assert school_reverse(school, other, pk=course.pk) in html, (name, other)
    lesson = world.today_lesson
    html = client.get(school_reverse(school, "journal:lesson", pk=lesson.pk)).content.decode()
    assert school_reverse(school, "journal:grid", pk=course.pk) + f"?on={lesson.date}" in html


def test_a_substitute_is_not_sent_to_the_course_pages_they_cannot_read(client, world):
    school, course = world.school, world.other_course
    client.force_login(world.users["teacher"])
    html = client.get(school_reverse(school, "journal:grid", pk=course.pk)).content.decode()
    assert school_reverse(school, "grading:finals", pk=course.pk) not in html
    assert client.get(school_reverse(school, "grading:finals", pk=course.pk)).status_code == 403


def test_a_teacher_of_the_class_is_not_sent_back_to_a_class_page_they_cannot_read(client, world):
    school = world.school
    teacher = world.users["teacher"]
    client.force_login(teacher)
    school_class = world.other_class
    make_course(school_class, make_subject(school, "Физика"), teachers=[teacher])
    url = school_reverse(school, "schedule:class_subgroups", pk=school_class.pk)
    html = client.get(url).content.decode()
    class_url = school_reverse(school, "schedule:class", pk=school_class.pk)
    assert f'href="{class_url}"' not in html and "к журналам" in html
    assert client.get(class_url).status_code == 403
