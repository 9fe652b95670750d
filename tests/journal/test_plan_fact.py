"""Plan versus fact: planned hours by today, lessons held, plan hours covered, behind or ahead."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.navigation import school_reverse
from journal.services.plan.fact import plan_fact
from schedule.models import Lesson

from .plan_builders import lessons_for, teacher_course, topics_for
from .test_plan import take

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_with_plan(school):
    teacher, course = teacher_course(school, hours=6)
    topics = topics_for(
        course, ("Числа", 2), ("Дроби", 2), ("Контрольная", 1, "test"), user=teacher
    )
    lessons = lessons_for(course, 6)
    return teacher, course, topics, lessons


def fact_on(course, day):
    with scopes_disabled():
        return plan_fact(course, today=day)


def test_the_plan_is_laid_over_the_lessons_in_order(course_with_plan):
    _teacher, course, (numbers, fractions, test), lessons = course_with_plan
    fact = fact_on(course, lessons[0].date - timedelta(days=1))
    planned = {f.topic: f.planned_dates for f in fact.topics}
    assert planned[numbers] == [lessons[0].date, lessons[1].date]
    assert planned[fractions] == [lessons[2].date, lessons[3].date]
    assert planned[test] == [lessons[4].date]
    assert (fact.plan_hours, fact.curriculum_hours, fact.lessons_total) == (5, 6, 6)
    assert (fact.planned, fact.held, fact.state) == (0, 0, "on_plan")


def test_lessons_without_plan_topics_put_the_course_behind(course_with_plan):
    teacher, course, (numbers, _fractions, _test), lessons = course_with_plan
    take(lessons[0], numbers, teacher)
    fact = fact_on(course, lessons[2].date)
    assert (fact.planned, fact.held, fact.covered, fact.without_topic) == (3, 3, 1, 2)
    assert fact.state == "behind" and fact.state_label == "отставание на 2 ч"
    statuses = [f.status for f in fact.topics]
    assert statuses == ["overdue", "overdue", "waiting"]


def test_a_cancelled_lesson_is_planned_but_not_held(course_with_plan):
    teacher, course, (numbers, _f, _t), lessons = course_with_plan
    take(lessons[0], numbers, teacher)
    with scopes_disabled():
        lessons[1].status = Lesson.Status.CANCELLED
        lessons[1].save()
    fact = fact_on(course, lessons[1].date)
    assert (fact.planned, fact.held, fact.covered) == (2, 1, 1)
    assert fact.state == "behind"


def test_a_teacher_going_faster_than_the_plan_is_ahead(course_with_plan):
    teacher, course, (numbers, fractions, _test), lessons = course_with_plan
    take(lessons[0], numbers, teacher)
    take(lessons[1], numbers, teacher)
    take(lessons[2], fractions, teacher)
    take(lessons[3], fractions, teacher)
    # Judge on the 2nd lesson's day as if the later lessons had been held early: the plan is
    # due 2 hours, 2 were held so far.
    fact = fact_on(course, lessons[1].date)
    assert (fact.planned, fact.covered, fact.state) == (2, 2, "on_plan")
    fact = fact_on(course, lessons[3].date)
    assert fact.state == "on_plan" and [f.status for f in fact.topics][:2] == ["done", "done"]


def test_the_page_shows_the_state_and_the_teacher_fills_topics_from_it(client, school):
    teacher, course = teacher_course(school, hours=3)
    topics_for(course, ("Числа", 2), ("Дроби", 1), user=teacher)
    lessons_for(course, 3, start=timezone.localdate() - timedelta(days=10))
    client.force_login(teacher)
    page = client.get(school_reverse(school, "journal:plan_fact", pk=course.pk)).text
    assert "отставание на 3 ч" in page
    assert "Записать темы КТП в проведённые уроки без темы" in page

    response = client.post(school_reverse(school, "journal:plan_fill", pk=course.pk))
    assert response.status_code == 302
    page = client.get(school_reverse(school, "journal:plan_fact", pk=course.pk)).text
    assert "по плану" in page
    with scopes_disabled():
        assert list(
            Lesson.objects.filter(course=course).order_by("date").values_list("topic", flat=True)
        ) == ["Числа", "Числа", "Дроби"]
