"""An organisation's roll-up of its schools: a row per school with the school's own control
figures, linking to the school's page, and a fixed number of queries whatever the number of
schools."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import LoginEvent, Role
from journal.models import Attendance
from reports.services.control import do_check_school
from schedule.models import Lesson
from tests.factories import (
    make_class,
    make_course,
    make_member,
    make_org_member,
    make_organisation,
    make_pupil,
    make_school,
    make_subject,
    make_year,
)

pytestmark = pytest.mark.django_db

WEDNESDAY = date(2026, 10, 14)
MONDAY = date(2026, 10, 12)
NOON = datetime.combine(WEDNESDAY, time(12, 0)).astimezone()


def branch(n: int, lessons: int = 2, without_topic: int = 1):
    """A school with a class of two pupils, a course and `lessons` held this week, of which
    `without_topic` have no topic; checked the evening before."""
    school = make_school(kind="college")
    year = make_year(school, 2026)
    teacher = make_member(school, Role.TEACHER)
    group = make_class(school, 1, f"Т{n}", year=year)
    course = make_course(group, make_subject(school, "Физика"), [teacher])
    pupils = [make_pupil(school, group, last_name=f"Студент{n}-{p}") for p in range(2)]
    with scopes_disabled():
        for k in range(lessons):
            held = Lesson.objects.create(
                school=school,
                course=course,
                date=MONDAY,
                number=k + 1,
                topic="" if k < without_topic else "Тема",
            )
            # The first pupil misses every lesson but the first.
            if k:
                Attendance.objects.create(
                    school=school, lesson=held, pupil=pupils[0], code="absent", set_by=teacher
                )
    with time_machine.travel(datetime(2026, 10, 13, 21, 0).astimezone(), tick=False):
        do_check_school(school.pk)
    return school


def organisation_of(n: int):
    schools = [branch(k, lessons=k + 1) for k in range(n)]
    organisation = make_organisation(schools)
    deputy = make_org_member(organisation, "deputy")
    client = Client()
    client.force_login(deputy)
    return organisation, schools, client


def rollup_queries(n: int, name="org:home") -> tuple[int, object]:
    organisation, schools, client = organisation_of(n)
    url = reverse(name, kwargs={"org_slug": organisation.slug})
    client.get(url)  # the session's first page
    with time_machine.travel(NOON, tick=False), CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("name", ["org:home", "org:attendance", "org:activity"])
def test_a_roll_up_costs_the_same_queries_for_two_and_for_six_schools(name):
    two, _ = rollup_queries(2, name)
    six, response = rollup_queries(6, name)
    assert two == six
    assert response.content.decode().count('<th scope="row">') >= 6


def test_each_school_is_a_row_of_its_own_absences_linking_to_its_attendance_report():
    organisation, schools, client = organisation_of(3)
    url = reverse("org:attendance", kwargs={"org_slug": organisation.slug})
    with time_machine.travel(NOON, tick=False):
        text = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
        page = client.get(url).content.decode()
    lines = {line.split(";")[0].strip('"'): line.split(";") for line in text.splitlines()}
    # Branch k held k + 1 lessons; its first pupil missed k of them, both pupils counted.
    for k, school in enumerate(schools):
        assert lines[school.short_name][1:3] == ["2", str(k)], school.short_name
    assert f"/s/{schools[2].slug}/reports/attendance/" in page


def test_each_school_is_a_row_with_its_own_lessons_and_a_link_to_its_dashboard():
    organisation, schools, client = organisation_of(2)
    with time_machine.travel(NOON, tick=False):
        response = client.get(
            reverse("org:home", kwargs={"org_slug": organisation.slug}), {"format": "csv"}
        )
    text = response.content.decode("utf-8-sig")
    lines = {line.split(";")[0].strip('"'): line for line in text.splitlines()}
    # branch0 has one lesson this week, branch1 two: «Уроков» is each school's own count.
    assert lines[schools[0].short_name].split(";")[1] == "1"
    assert lines[schools[1].short_name].split(";")[1] == "2"
    with time_machine.travel(NOON, tick=False):
        page = client.get(reverse("org:home", kwargs={"org_slug": organisation.slug}))
    assert f"/s/{schools[1].slug}/control/" in page.content.decode()


def test_the_activity_counts_the_staff_who_entered_each_school_this_week():
    organisation, schools, client = organisation_of(2)
    with scopes_disabled():
        teacher = schools[0].memberships.get(role=Role.TEACHER).user
    LoginEvent.objects.create(user=teacher, school=schools[0], at=NOON)
    LoginEvent.objects.create(user=teacher, school=schools[0], at=NOON)
    with time_machine.travel(NOON, tick=False):
        response = client.get(
            reverse("org:activity", kwargs={"org_slug": organisation.slug}), {"format": "csv"}
        )
    lines = {
        line.split(";")[0].strip('"'): line.split(";")
        for line in response.content.decode("utf-8-sig").splitlines()
    }
    staff, entered, _share, *_rest, entries, users = lines[schools[0].short_name][1:]
    assert (staff, entered, entries, users) == ("1", "1", "2", "1")
    assert lines[schools[1].short_name][2] == "0"


def test_a_week_that_is_not_a_date_is_a_russian_400():
    organisation, _, client = organisation_of(1)
    response = client.get(
        reverse("org:home", kwargs={"org_slug": organisation.slug}), {"week": "вчера"}
    )
    assert response.status_code == 400
    assert "не дата" in response.content.decode()
