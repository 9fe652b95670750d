"""Opening a school year in late August, college semesters, and bells of several shifts."""

from datetime import date, datetime, time

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import Role, School
from schedule.models import Bell, BellSchedule, SchoolYear, StudyPeriod
from schedule.services import year as services

from ..factories import make_class, make_member, make_school
from .timetable_factories import course_of, entry_of, make_teacher, make_year

pytestmark = pytest.mark.django_db


def url(school, name, **kwargs):
    return reverse(name, kwargs={"school_slug": school.slug, **kwargs})


def on_day(monkeypatch, day):
    # The school's clock: noon of `day` in its time zone.
    monkeypatch.setattr(School, "now", lambda school: datetime.combine(day, time(12), school.zone))


def test_the_form_offers_the_running_year_in_spring_and_the_coming_one_in_august():
    assert services.default_year_for(date(2027, 3, 10)) == (
        "2026/2027",
        date(2026, 9, 1),
        date(2027, 8, 31),
    )
    assert services.default_year_for(date(2027, 8, 26)) == (
        "2027/2028",
        date(2027, 9, 1),
        date(2028, 8, 31),
    )


def test_it_is_time_to_open_the_year_only_in_the_last_week_of_august(unscoped):
    school = make_school()
    assert services.year_to_open(school, date(2027, 8, 24)) is None
    assert services.year_to_open(school, date(2027, 8, 25)) == "2027/2028"
    assert services.year_to_open(school, date(2027, 8, 31)) == "2027/2028"
    assert services.year_to_open(school, date(2027, 9, 1)) is None
    SchoolYear.objects.create(
        school=school, name="2027/2028", start=date(2027, 9, 1), end=date(2028, 8, 31)
    )
    assert services.year_to_open(school, date(2027, 8, 28)) is None


def test_the_admin_is_reminded_to_open_the_year_and_opens_it(client, monkeypatch, unscoped):
    school = make_school()
    admin = make_member(school, Role.ADMIN)
    client.force_login(admin)
    on_day(monkeypatch, date(2027, 8, 26))

    page = client.get(url(school, "schedule:years")).content.decode()
    assert "Пора открыть учебный год 2027/2028" in page
    on_day(monkeypatch, date(2027, 8, 10))
    assert "Пора открыть" not in client.get(url(school, "schedule:years")).content.decode()

    response = client.post(
        url(school, "schedule:year_create"),
        {"name": "2027/2028", "start": "01.09.2027", "end": "31.08.2028"},
    )
    year = SchoolYear.objects.get(school=school)
    assert response.status_code == 302
    assert response["Location"] == url(school, "schedule:year_periods", pk=year.pk)
    assert (year.name, year.start, year.end) == ("2027/2028", date(2027, 9, 1), date(2028, 8, 31))
    on_day(monkeypatch, date(2027, 8, 26))
    assert "Пора открыть" not in client.get(url(school, "schedule:years")).content.decode()


def test_the_director_is_not_asked_to_open_a_year(client, monkeypatch, unscoped):
    school = make_school()
    client.force_login(make_member(school, Role.DIRECTOR))
    on_day(monkeypatch, date(2027, 8, 26))
    page = client.get(url(school, "schedule:years")).content.decode()
    assert "Пора открыть" not in page and "Открыть учебный год" not in page


def test_a_college_fills_its_year_with_semesters_of_its_courses(client, unscoped):
    college = make_school(kind=School.Kind.COLLEGE)
    year = SchoolYear.objects.create(
        school=college, name="2026/2027", start=date(2026, 9, 1), end=date(2027, 8, 31)
    )
    client.force_login(make_member(college, Role.ADMIN))

    page = client.get(url(college, "schedule:year_periods", pk=year.pk) + "?scheme=semesters")

    form = page.context["formset"]
    initial = [(f.initial["kind"], f.initial["grade_from"], f.initial["grade_to"]) for f in form]
    assert initial == [(StudyPeriod.Kind.SEMESTER, 1, 4)] * 2
    periods, holidays = services.standard_calendar(year, "semesters", max_grade=4)
    assert services.period_problems(year, periods, holidays) == []


def test_the_year_page_says_how_many_classes_it_has(client, unscoped):
    school = make_school()
    year = make_year(school)
    for letter in "АБВ":
        make_class(school, 5, letter, year=year)
    client.force_login(make_member(school, Role.DEPUTY))
    page = client.get(url(school, "schedule:year", pk=year.pk)).content.decode()
    assert "классов: 3" in page


def test_classes_of_two_shifts_show_their_own_bell_times(client, school):
    with scopes_disabled():
        shifts = []
        for name, hour in (("1 смена", 8), ("2 смена", 13)):
            shift = BellSchedule.objects.create(school=school, name=name)
            start, end = time(hour, 30), time(hour + 1, 10)
            Bell.objects.create(school=school, schedule=shift, number=1, start=start, end=end)
            shifts.append(shift)
        morning = make_class(school, 5, "А", year=make_year(school), bell_schedule=shifts[0])
        afternoon = make_class(school, 6, "А", year=make_year(school), bell_schedule=shifts[1])
    teacher = make_teacher(school)
    entry_of(course_of(morning, teachers=[teacher]), weekday=1, number=1)
    entry_of(course_of(afternoon, teachers=[teacher]), weekday=1, number=1)
    client.force_login(make_member(school, Role.DEPUTY))

    first = client.get(url(school, "schedule:timetable_class", pk=morning.pk)).content.decode()
    second = client.get(url(school, "schedule:timetable_class", pk=afternoon.pk)).content.decode()

    assert "08:30–09:10" in first and "13:30–14:10" not in first
    assert "13:30–14:10" in second and "08:30–09:10" not in second
