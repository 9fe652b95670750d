"""The plan pages cost a fixed number of queries, whatever the size of the plan."""

import pytest

from accounts.models import Role
from accounts.navigation import school_reverse
from tests.factories import make_member

from .plan_builders import lessons_for, teacher_course, topics_for
from .test_plan import take

pytestmark = pytest.mark.django_db

# The session, the user, the school and its roles, the course, guardian's check, the
# navigation's checks, then the page's own rows (topics, use counts).
PLAN_QUERIES = 6
PLAN_FACT_QUERIES = 6
PLANS_LIST_QUERIES = 5  # with the count of the pages
LESSON_QUERIES = 9  # and the lesson's pupils, marks and attendance


def plan_of(school, size):
    teacher, course = teacher_course(school, hours=size * 2)
    topics = topics_for(course, *[(f"Тема {i}", 2) for i in range(size)], user=teacher)
    lessons = lessons_for(course, size * 2)
    for lesson, topic in zip(lessons, [t for t in topics for _ in (1, 2)], strict=False):
        take(lesson, topic, teacher)
    return teacher, course, lessons


@pytest.mark.parametrize("size", [3, 40])
def test_the_plan_page_costs_a_fixed_number_of_queries(
    client, school, django_assert_num_queries, size
):
    teacher, course, _lessons = plan_of(school, size)
    client.force_login(teacher)
    url = school_reverse(school, "journal:plan", pk=course.pk)
    client.get(url)  # the session, once

    with django_assert_num_queries(PLAN_QUERIES):
        response = client.get(url)
    assert response.text.count("Тема ") >= size


@pytest.mark.parametrize("size", [3, 40])
def test_plan_versus_fact_costs_a_fixed_number_of_queries(
    client, school, django_assert_num_queries, size
):
    teacher, course, _lessons = plan_of(school, size)
    client.force_login(teacher)
    url = school_reverse(school, "journal:plan_fact", pk=course.pk)
    client.get(url)

    with django_assert_num_queries(PLAN_FACT_QUERIES):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_the_deputys_list_of_plans_costs_a_fixed_number_of_queries(
    client, school, django_assert_num_queries, size
):
    teacher = make_member(school, Role.TEACHER)
    for grade in range(1, size + 1):
        _t, course = teacher_course(school, grade=grade, teacher=teacher)
        topics_for(course, ("Тема", 1), user=teacher)
    deputy = make_member(school, Role.DEPUTY)
    client.force_login(deputy)
    url = school_reverse(school, "journal:plans")
    client.get(url)

    with django_assert_num_queries(PLANS_LIST_QUERIES):
        response = client.get(url)
    assert response.text.count("план и факт") == size


def test_the_list_of_plans_comes_a_page_at_a_time(client, school, monkeypatch):
    from journal.views import plan as plan_views

    monkeypatch.setattr(plan_views, "PLANS_PER_PAGE", 3)
    teacher = make_member(school, Role.TEACHER)
    for grade in range(1, 8):
        teacher_course(school, grade=grade, teacher=teacher)
    client.force_login(make_member(school, Role.DEPUTY))
    url = school_reverse(school, "journal:plans")
    pages = [client.get(url, {"page": n}).text for n in (1, 2, 3, "x")]
    assert [p.count("план и факт") for p in pages] == [3, 3, 1, 3]  # a bad number: the first
    assert "страница 1 из 3" in pages[0] and 'rel="next"' in pages[0]
    assert "страница 3 из 3" in pages[2] and 'rel="prev"' in pages[2]


@pytest.mark.parametrize("size", [3, 40])
def test_the_lesson_page_costs_a_fixed_number_of_queries(
    client, school, django_assert_num_queries, size
):
    teacher, course, lessons = plan_of(school, size)
    client.force_login(teacher)
    url = school_reverse(school, "journal:lesson_edit", pk=lessons[-1].pk)
    client.get(url)

    with django_assert_num_queries(LESSON_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
