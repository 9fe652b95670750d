"""«Сегодня»: the teacher's open shortfalls, grouped by course, each linking to what fixes it;
their count beside the navigation (from the cache); another teacher sees none of them."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django_scopes import scopes_disabled

from accounts.models import Role
from accounts.navigation import school_reverse
from reports.models import Shortfall
from tests.factories import make_course, make_member, make_subject

from .builders import add_homework
from .control_builders import check, desk, lesson

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def shortfall_desk():
    d = desk(homework_rule="by_time")
    monday = d.family.monday
    bare = lesson(d, monday, topic="")
    add_homework(bare)
    no_homework = lesson(d, monday + timedelta(days=1))
    other = make_course(d.family.school_class, make_subject(d.school, "Физика"), [d.teacher])
    with scopes_disabled():
        from schedule.models import Lesson

        physics = Lesson.objects.create(
            school=d.school, course=other, date=monday, number=3, topic=""
        )
    check(d, monday + timedelta(days=7), 21)
    return d, bare, no_homework, other, physics


def test_today_lists_the_teachers_shortfalls_by_course_with_links_that_fix_them():
    d, bare, no_homework, other, physics = shortfall_desk()
    cache.clear()
    response = client_for(d.teacher).get(school_reverse(d.school, "journal:today"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Недочёты в журнале" in html
    assert html.index(str(d.course.subject.name)) < html.rindex("Физика")
    lesson_page = school_reverse(d.school, "journal:lesson", pk=bare.pk)
    assert f'href="{lesson_page}"' in html  # the topic is written on the lesson page
    homework_page = school_reverse(d.school, "journal:lesson", pk=no_homework.pk)
    assert f'href="{homework_page}"' in html
    grid = school_reverse(d.school, "journal:grid", pk=other.pk)
    assert f"{grid}?on={physics.date.isoformat()}#l{physics.pk}" in html  # attendance
    assert "не записана тема урока" in html and "не записано домашнее задание" in html
    with scopes_disabled():
        count = Shortfall.objects.filter(teacher=d.teacher, fixed_at__isnull=True).count()
    # The page set the count: the next page shows it beside the navigation.
    again = client_for(d.teacher).get(school_reverse(d.school, "accounts:dashboard"))
    assert f"⚑ {count}</a>" in again.content.decode()


def test_the_check_sets_the_count_in_the_navigation():
    cache.clear()
    d, *_rest = shortfall_desk()
    with scopes_disabled():
        count = Shortfall.objects.filter(teacher=d.teacher, fixed_at__isnull=True).count()
    html = client_for(d.teacher).get(school_reverse(d.school, "accounts:dashboard")).content
    assert f"⚑ {count}</a>" in html.decode() and count >= 4


def test_another_teacher_sees_none_of_them():
    d, *_rest = shortfall_desk()
    stranger = make_member(d.school, Role.TEACHER, last_name="Чужова")
    html = client_for(stranger).get(school_reverse(d.school, "journal:today")).content.decode()
    assert "Недочётов нет" in html
    assert "не записана тема урока" not in html
    assert "⚑" not in html
