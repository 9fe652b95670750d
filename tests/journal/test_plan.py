"""The calendar-thematic plan (КТП): order, editing before use, hours, the next topic."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Role
from accounts.navigation import school_reverse
from journal.models import LessonRecord, PlanTopic
from journal.services.plan.lessons import fill_topics_from_plan, next_topic, save_lesson_topic
from journal.services.plan.statuses import plan_statuses
from journal.services.plan.topics import (
    add_topic,
    delete_topic,
    hours_check,
    move_topic,
)
from schedule.models import Lesson
from tests.factories import make_member

from .plan_builders import lessons_for, teacher_course, topics_for

pytestmark = pytest.mark.django_db


def titles(course):
    with scopes_disabled():
        return list(
            PlanTopic.objects.filter(course=course)
            .order_by("position", "pk")
            .values_list("title", flat=True)
        )


def take(lesson, topic, user):
    with scopes_disabled():
        save_lesson_topic(lesson, plan_topic=topic, topic="", kind=topic.kind, note="", user=user)


def test_topics_are_added_at_the_end_and_move_up_and_down(school):
    teacher, course = teacher_course(school)
    with scopes_disabled():
        for title in ("Числа", "Дроби", "Проценты"):
            add_topic(course, title=title, hours=1, kind="lesson", user=teacher)
        third = PlanTopic.objects.get(title="Проценты")
        move_topic(third, "up", teacher)
        assert titles(course) == ["Числа", "Проценты", "Дроби"]
        first = PlanTopic.objects.get(title="Числа")
        move_topic(first, "down", teacher)
        assert titles(course) == ["Проценты", "Числа", "Дроби"]
        # At the edge there is nowhere to go.
        assert move_topic(PlanTopic.objects.get(title="Проценты"), "up", teacher) is False


def test_a_topic_taken_by_a_lesson_neither_moves_nor_is_deleted(school):
    teacher, course = teacher_course(school)
    used, free = topics_for(course, ("Числа", 1), ("Дроби", 1), user=teacher)
    take(lessons_for(course, 1)[0], used, teacher)
    with scopes_disabled():
        with pytest.raises(ValidationError, match="не переставляются"):
            move_topic(free, "up", teacher)
        with pytest.raises(ValidationError, match="удалить её нельзя"):
            delete_topic(used, teacher)
        delete_topic(free, teacher)
    assert titles(course) == ["Числа"]


def test_the_teacher_edits_the_plan_in_the_browser(client, school):
    teacher, course = teacher_course(school)
    client.force_login(teacher)
    add = school_reverse(school, "journal:plan_topic_add", pk=course.pk)

    response = client.post(add, {"title": "Натуральные числа", "hours": "3", "kind": "test"})
    assert response.status_code == 302
    with scopes_disabled():
        topic = PlanTopic.objects.get(course=course)
    assert (topic.hours, topic.kind) == (3, Lesson.Kind.TEST)
    assert topic.history.first().history_user == teacher

    response = client.post(add, {"title": "", "hours": "abc", "kind": "lesson"})
    assert response.status_code == 400
    assert "Укажите тему." in response.text
    assert "Часы — целое число." in response.text

    edit = school_reverse(school, "journal:plan_topic_edit", pk=topic.pk)
    response = client.post(edit, {"title": "Числа", "hours": "2", "kind": "lesson"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.title, topic.hours) == ("Числа", 2)


def test_the_plan_hours_are_checked_against_the_curriculum(client, school):
    teacher, course = teacher_course(school, hours=34)
    topics = topics_for(course, ("Числа", 20), ("Дроби", 10), user=teacher)
    check = hours_check(course, topics)
    assert (check.planned, check.curriculum, check.difference) == (30, 34, -4)
    assert check.message == "В КТП на 4 ч меньше, чем по учебному плану (34 ч)."
    assert hours_check(course, [*topics, *topics]).message == (
        "В КТП на 26 ч больше, чем по учебному плану (34 ч)."
    )

    client.force_login(teacher)
    page = client.get(school_reverse(school, "journal:plan", pk=course.pk)).text
    assert "В КТП на 4 ч меньше, чем по учебному плану (34 ч)." in page


def test_a_lesson_takes_the_first_topic_its_earlier_lessons_have_not_used_up(school):
    teacher, course = teacher_course(school)
    numbers, fractions, test = topics_for(
        course, ("Числа", 2), ("Дроби", 1), ("Контрольная работа", 1, "test"), user=teacher
    )
    first, second, third, fourth, fifth = lessons_for(course, 5)
    with scopes_disabled():
        assert next_topic(first) == numbers
        take(first, numbers, teacher)
        # A two-hour topic is the topic of two lessons.
        assert next_topic(second) == numbers
        take(second, numbers, teacher)
        assert next_topic(third) == fractions
        # The teacher chose another topic for the 3rd lesson: the 4th still gets «Дроби».
        take(third, test, teacher)
        assert next_topic(fourth) == fractions
        take(fourth, fractions, teacher)
        # Later lessons do not count for an earlier one.
        assert next_topic(first) == numbers
        # Everything is used: nothing more to offer.
        assert next_topic(fifth) is None


def test_a_cancelled_lesson_leaves_its_topic_to_the_next(school):
    teacher, course = teacher_course(school)
    numbers, fractions = topics_for(course, ("Числа", 1), ("Дроби", 1), user=teacher)
    first, second = lessons_for(course, 2)
    take(first, numbers, teacher)
    with scopes_disabled():
        first.status = Lesson.Status.CANCELLED
        first.save()
        assert next_topic(second) == numbers


def test_the_lesson_page_offers_the_next_topic_and_the_teacher_may_change_it(client, school):
    teacher, course = teacher_course(school)
    numbers, fractions = topics_for(course, ("Числа", 1), ("Дроби", 1), user=teacher)
    first, second = lessons_for(course, 2)
    client.force_login(teacher)
    url = school_reverse(school, "journal:lesson_edit", pk=first.pk)

    page = client.get(url).text
    assert "Следующая тема по КТП: «Числа»." in page
    assert f'<option value="{numbers.pk}" selected>' in page

    # The teacher keeps the plan's topic but words it their own way.
    response = client.post(
        url,
        {"plan_topic": numbers.pk, "topic": "Натуральные числа и шкалы", "kind": "lesson"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        first.refresh_from_db()
        assert first.topic == "Натуральные числа и шкалы"
        assert LessonRecord.objects.get(lesson=first).plan_topic == numbers
        assert first.history.first().history_user == teacher
    page = client.get(school_reverse(school, "journal:lesson_edit", pk=second.pk)).text
    assert "Следующая тема по КТП: «Дроби»." in page


def test_an_empty_topic_takes_the_title_of_the_chosen_plan_topic(client, school):
    teacher, course = teacher_course(school)
    (numbers,) = topics_for(course, ("Числа", 1, "test"), user=teacher)
    (lesson,) = lessons_for(course, 1)
    client.force_login(teacher)
    url = school_reverse(school, "journal:lesson_edit", pk=lesson.pk)
    client.post(url, {"plan_topic": numbers.pk, "topic": "", "kind": "test", "note": "Класс шумел"})
    with scopes_disabled():
        lesson.refresh_from_db()
        assert (lesson.topic, lesson.kind) == ("Числа", Lesson.Kind.TEST)
        assert lesson.record.note == "Класс шумел"
        assert lesson.record.history.first().history_user == teacher


def test_a_topic_of_another_course_is_refused(client, school):
    teacher, course = teacher_course(school)
    _other_teacher, other = teacher_course(school, grade=6)
    (foreign_topic,) = topics_for(other, ("Чужая тема", 1), user=teacher)
    (lesson,) = lessons_for(course, 1)
    client.force_login(teacher)
    response = client.post(
        school_reverse(school, "journal:lesson_edit", pk=lesson.pk),
        {"plan_topic": foreign_topic.pk, "topic": "x", "kind": "lesson"},
    )
    assert response.status_code == 400
    assert "Такой темы нет в КТП этого курса." in response.text


def test_held_lessons_without_a_topic_are_filled_from_the_plan_in_order(school):
    teacher, course = teacher_course(school)
    numbers, fractions, test = topics_for(
        course, ("Числа", 2), ("Дроби", 1), ("Контрольная", 1, "test"), user=teacher
    )
    lessons = lessons_for(course, 5)
    with scopes_disabled():
        lessons[1].topic = "Своя тема"  # a topic the teacher wrote: left alone
        lessons[1].save()
        filled = fill_topics_from_plan(course, until=lessons[3].date, user=teacher)
        assert filled == 3
        got = [
            (lesson.topic, lesson.kind)
            for lesson in Lesson.objects.filter(course=course).order_by("date")
        ]
        assert got == [
            ("Числа", "lesson"),
            ("Своя тема", "lesson"),
            ("Числа", "lesson"),
            ("Дроби", "lesson"),
            ("", "lesson"),  # after `until`
        ]
        assert Lesson.history.filter(topic="Дроби").first().history_user == teacher


def test_the_deadline_is_five_days_before_the_year(client, school):
    teacher, course = teacher_course(school)
    assert school.regulation.plan_deadline(course.year.start) == course.year.start - timedelta(5)
    client.force_login(teacher)
    page = client.get(school_reverse(school, "journal:plans")).text
    deadline = (course.year.start - timedelta(days=5)).strftime("%d.%m.%Y")
    assert deadline in page
    assert str(course) in page


def test_the_deputy_sees_courses_without_a_plan_or_with_a_late_one(client, school):
    teacher, on_time = teacher_course(school, grade=5)
    _t2, late = teacher_course(school, grade=6, teacher=teacher)
    _t3, missing = teacher_course(school, grade=7, teacher=teacher)
    topics_for(on_time, ("Числа", 1), user=teacher)
    (late_topic,) = topics_for(late, ("Числа", 1), user=teacher)
    year = on_time.year
    with scopes_disabled():
        PlanTopic.objects.filter(course=on_time).update(
            created_at=timezone.make_aware(
                timezone.datetime.combine(
                    year.start - timedelta(days=10), timezone.datetime.min.time()
                )
            )
        )
        PlanTopic.objects.filter(pk=late_topic.pk).update(
            created_at=timezone.make_aware(
                timezone.datetime.combine(
                    year.start - timedelta(days=1), timezone.datetime.min.time()
                )
            )
        )
        statuses = {
            s.course: s for s in plan_statuses(late.school.courses.all(), year, late.school)
        }
    assert not statuses[on_time].needs_attention
    assert statuses[late].late and statuses[late].label == "введён с опозданием"
    assert not statuses[missing].has_plan

    deputy = make_member(school, Role.DEPUTY)
    client.force_login(deputy)
    page = client.get(school_reverse(school, "journal:plans_missing")).text
    assert str(late) in page and str(missing) in page
    assert str(on_time) not in page
    assert "Иванова" in page  # whose courses they are
