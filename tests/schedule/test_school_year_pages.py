"""The pages around the year: the deputy's navigation, the class page's links and hours, and
the week of a pupil who left the class."""

from datetime import timedelta

import pytest
from django_scopes import scopes_disabled

from accounts.models import Role
from accounts.navigation import school_reverse
from schedule.models import Course, Lesson
from schedule.services import people
from schedule.services.lessons import materialise, pupil_week

from ..factories import make_member, make_pupil
from .timetable_factories import MONDAY, class_in, course_of, entry_of, make_teacher, subgroup_of

pytestmark = pytest.mark.django_db

SCHEDULE_NAV = ["Учебный год", "Классы", "Учебный план", "Расписание", "Замены"]


def nav_labels(client, school, user) -> list[str]:
    """The schedule entries of the navigation bar the user sees, in their order."""
    client.force_login(user)
    page = client.get(school_reverse(school, "schedule:my_timetable"))
    mine = {*SCHEDULE_NAV, "Моё расписание", "Мои курсы"}
    return [str(item["label"]) for item in page.context["nav_entries"] if item["label"] in mine]


def test_the_deputy_finds_every_page_of_the_year_in_the_navigation(client, school):
    labels = nav_labels(client, school, make_member(school, Role.DEPUTY))
    assert labels == ["Моё расписание", *SCHEDULE_NAV]


def test_a_teacher_and_a_pupil_find_only_their_own_timetable(client, school):
    assert nav_labels(client, school, make_teacher(school)) == ["Моё расписание", "Мои курсы"]
    six_b = class_in(school, 6, "Б")
    pupil = make_pupil(school, six_b, user=make_member(school, Role.PUPIL))
    assert nav_labels(client, school, pupil.user) == ["Моё расписание"]


def test_the_class_page_leads_to_the_class_timetable(client, school):
    lead = make_teacher(school, "Петрова")
    six_b = class_in(school, 6, "Б", class_teacher=lead)
    client.force_login(lead)
    page = client.get(school_reverse(school, "schedule:class", pk=six_b.pk)).content.decode()
    assert school_reverse(school, "schedule:timetable_class", pk=six_b.pk) in page
    assert school_reverse(school, "schedule:week_class", pk=six_b.pk) in page


def test_the_class_hours_count_a_subject_of_subgroups_once(client, school):
    six_b = class_in(school, 6, "Б")
    teacher = make_teacher(school)
    maths = course_of(six_b, teachers=[teacher])
    groups = [subgroup_of(six_b, name=f"Группа {n}") for n in (1, 2)]
    english = [course_of(six_b, "Английский язык", [teacher], g) for g in groups]
    with scopes_disabled():
        Course.objects.filter(pk=maths.pk).update(hours_per_year=170)
        Course.objects.filter(pk__in=[c.pk for c in english]).update(hours_per_year=102)
        courses = list(Course.objects.filter(school_class=six_b))
    assert people.curriculum_hours(courses) == 272

    client.force_login(make_member(school, Role.DEPUTY))
    page = client.get(school_reverse(school, "schedule:class", pk=six_b.pk)).content.decode()
    assert "<th>272</th>" in page
    plan = client.get(school_reverse(school, "schedule:courses")).content.decode()
    assert "272 ч в год" in plan


def test_a_pupil_who_leaves_sees_the_class_lessons_only_until_the_departure(school):
    six_b = class_in(school, 6, "Б")
    with scopes_disabled():
        year = six_b.year
        pupil = make_pupil(school, six_b, start=year.start)
        course = course_of(six_b, teachers=[make_teacher(school)])
        for weekday in range(1, 6):
            entry_of(course, weekday=weekday, number=1)
        materialise(year, since=year.start)
        wednesday = MONDAY + timedelta(days=2)
        people.depart(pupil.enrolments.get(), wednesday, order_number="12-о")

        days = [lesson.date for lesson in pupil_week(pupil, MONDAY)]
        assert days == [MONDAY, MONDAY + timedelta(days=1)]
        # The class keeps every lesson of the week; the pupil keeps their old enrolment.
        week = (MONDAY, MONDAY + timedelta(days=4))
        assert Lesson.objects.filter(course=course, date__range=week).count() == 5
        assert list(people.pupils_on(six_b, MONDAY)) == [pupil]
        assert pupil_week(pupil, MONDAY + timedelta(days=7)) == []
