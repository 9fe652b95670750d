"""Practice of a group: set up by the deputy with its place (bad input refused in Russian),
kept out of the group's timetable while concentrated, marked by its supervisor, and shown
on the group's pages and in the practice report at a fixed cost."""

import io
from datetime import timedelta

import pytest
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from accounts.models import Role
from accounts.navigation import school_reverse
from grading.models import PracticeMark
from schedule.models import Lesson, PracticePeriod, PracticePlace, StudyPeriod
from schedule.services.lessons import materialise
from tests.factories import make_member
from tests.schedule.timetable_factories import class_in, course_of, entry_of
from tests.schedule.timetable_factories import make_year as make_calendar_year

from .practice_builders import add_practice, college

pytestmark = pytest.mark.django_db


def period_form(place, **fields):
    data = {
        "school_class": place.group.pk,
        "kind": "industrial",
        "name": "ПП.01 Производственная практика",
        "start": place.day(40).isoformat(),
        "end": place.day(53).isoformat(),
        "hours": "144",
        "concentrated": "on",
        "supervisor": place.users["supervisor"].pk,
        "place_supervisor": "Сафронов Игорь Петрович",
        "place_name": "АО «Каслинский завод»",
        "place_address": "г. Касли, ул. Лобашова, 134",
        "contract_number": "17/П",
        "contract_date": place.day(10).isoformat(),
    }
    data.update(fields)
    return data


def periods():
    with scopes_disabled():
        return list(PracticePeriod.objects.select_related("place").order_by("pk"))


def test_the_deputy_sets_up_a_practice_with_its_organisation_and_contract(client, school):
    place = college(school)
    client.force_login(place.users["deputy"])
    response = client.post(school_reverse(school, "grading:practice_create"), period_form(place))
    assert response.status_code == 302
    [period] = periods()
    assert (period.year, period.hours, period.concentrated) == (place.year, 144, True)
    assert period.place.name == "АО «Каслинский завод»"
    assert period.place.contract_label == f"№ 17/П от {place.day(10):%d.%m.%Y}"
    page = client.get(response.url)
    assert "АО «Каслинский завод», г. Касли, ул. Лобашова, 134" in page.text
    assert "Сафронов Игорь Петрович" in page.text


def test_a_second_practice_at_the_same_organisation_reuses_the_place(client, school):
    place = college(school)
    client.force_login(place.users["deputy"])
    url = school_reverse(school, "grading:practice_create")
    client.post(url, period_form(place))
    client.post(url, period_form(place, school_class=place.other_group.pk))
    with scopes_disabled():
        assert PracticePlace.objects.count() == 1
    assert len(periods()) == 2


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"end": "2000-01-01"}, "Практика заканчивается раньше, чем начинается."),
        ({"end": "2100-01-01"}, "Даты практики должны быть внутри учебного года"),
        ({"hours": "0"}, "Часов — от 1 до 2000."),
        ({"hours": "много"}, "Введите целое число часов."),
        ({"place_name": ""}, "Укажите организацию."),
        ({"name": ""}, "Укажите название практики."),
        ({"start": "32.13.2026"}, "Введите дату."),
    ],
    ids=[
        "ends-first",
        "outside-the-year",
        "no-hours",
        "words-for-hours",
        "no-place",
        "no-name",
        "no-such-date",
    ],
)
def test_bad_input_is_refused_in_russian_and_nothing_is_saved(client, school, fields, message):
    place = college(school)
    client.force_login(place.users["deputy"])
    response = client.post(
        school_reverse(school, "grading:practice_create"), period_form(place, **fields)
    )
    assert response.status_code == 400
    assert message in response.text
    assert periods() == []


def test_a_practice_overlapping_another_of_the_group_is_refused(client, school):
    place = college(school)
    add_practice(place)
    client.force_login(place.users["deputy"])
    data = period_form(place, start=place.day(50).isoformat(), end=place.day(60).isoformat())
    response = client.post(school_reverse(school, "grading:practice_create"), data)
    assert response.status_code == 400
    assert "У группы уже есть практика в эти дни" in response.text
    assert len(periods()) == 1


def test_a_concentrated_practice_leaves_the_group_without_lessons_and_others_keep_theirs(
    school,
):
    year = make_calendar_year(school)
    group, other = class_in(school, 2, "ТМ-21", year=year), class_in(school, 2, "ТМ-22", year=year)
    for school_class in (group, other):
        entry_of(course_of(school_class), weekday=1, number=1)
    with scopes_disabled():
        PracticePeriod.objects.create(
            school=school,
            year=year,
            school_class=group,
            kind="educational",
            name="УП.01",
            start=year.start + timedelta(days=14),  # Monday 15.09 …
            end=year.start + timedelta(days=27),  # … to Sunday 28.09: two Mondays
            hours=72,
            supervisor=make_member(school, Role.TEACHER),
        )
        materialise(year, since=year.start)
        days = lambda c: set(  # noqa: E731
            Lesson.objects.filter(course__school_class=c).values_list("date", flat=True)
        )
        mondays_off = {year.start + timedelta(days=14), year.start + timedelta(days=21)}
        assert not days(group) & mondays_off
        assert mondays_off <= days(other)
        assert len(days(other)) - len(days(group)) == 2


def _teacher(school):
    from accounts.models import Role
    from tests.factories import make_member

    return make_member(school, Role.TEACHER)


def test_saving_a_concentrated_practice_takes_the_groups_future_lessons_off(client, school):
    place = college(school)
    today = school.today()
    with scopes_disabled():
        StudyPeriod.objects.create(
            school=school,
            year=place.year,
            kind="semester",
            number=1,
            grade_from=1,
            grade_to=11,
            start=place.year.start,
            end=place.year.end,
        )
    entry_of(place.course, weekday=1, number=1)
    with scopes_disabled():
        materialise(place.year)
        before = Lesson.objects.filter(course=place.course).count()
    start, end = today + timedelta(days=1), today + timedelta(days=14)
    client.force_login(place.users["deputy"])
    response = client.post(
        school_reverse(school, "grading:practice_create"),
        period_form(place, start=start.isoformat(), end=end.isoformat()),
        follow=True,
    )
    assert "Уроков группы снято с расписания на время практики: 2." in response.text
    with scopes_disabled():
        left = Lesson.objects.filter(course=place.course)
        assert left.count() == before - 2
        assert not left.filter(date__gte=start, date__lte=end).exists()
    week = client.get(
        school_reverse(school, "schedule:week_class", pk=place.group.pk),
        {"week": start.isoformat()},
    )
    assert "Практика: ПП.01 Производственная практика" in week.text
    assert "занятий у группы нет" in week.text


def marks_form(place, marks):
    return {
        f"mark_{pupil.pk}": str(mark) for pupil, mark in zip(place.students, marks, strict=True)
    }


def test_the_supervisor_sets_the_marks_and_they_are_kept_in_history(client, school):
    place = college(school)
    period = add_practice(place)
    client.force_login(place.users["supervisor"])
    url = school_reverse(school, "grading:practice", pk=period.pk)
    assert client.post(url, marks_form(place, [5, 4, ""])).status_code == 302
    assert client.post(url, marks_form(place, [5, 3, ""])).status_code == 302
    with scopes_disabled():
        marks = {m.pupil_id: m.mark for m in PracticeMark.objects.all()}
        changed = PracticeMark.objects.get(pupil=place.students[1])
        assert [h.mark for h in changed.history.order_by("history_date")] == [4, 3]
        assert changed.history.first().history_user == place.users["supervisor"]
    assert marks == {place.students[0].pk: 5, place.students[1].pk: 3}


@pytest.mark.parametrize("mark", ["6", "1", "отл"])
def test_a_mark_outside_the_scale_is_refused_and_no_mark_is_saved(client, school, mark):
    place = college(school)
    period = add_practice(place)
    client.force_login(place.users["supervisor"])
    response = client.post(
        school_reverse(school, "grading:practice", pk=period.pk), marks_form(place, [5, mark, 4])
    )
    assert response.status_code == 400
    assert "Оценка — одна из «2», «3», «4», «5»." in response.text
    with scopes_disabled():
        assert not PracticeMark.objects.exists()


def test_the_marks_show_on_the_group_pages_for_the_curator_who_cannot_change_them(client, school):
    place = college(school)
    period = add_practice(place)
    client.force_login(place.users["supervisor"])
    url = school_reverse(school, "grading:practice", pk=period.pk)
    client.post(url, marks_form(place, [5, 2, 4]))
    client.force_login(place.users["curator"])
    group_page = client.get(school_reverse(school, "schedule:class", pk=place.group.pk))
    assert "ПП.01 Производственная практика" in group_page.text
    assert url in group_page.text
    journals = client.get(school_reverse(school, "journal:journals"))
    assert f'<a href="{url}">ПП.01 Производственная практика</a>' in journals.text
    journal = client.get(url)
    assert journal.status_code == 200
    assert "<select" not in journal.text
    rows = journal.text.split("practice-marks", 1)[1]
    assert "Студентов000 Пётр</th><td>5" in rows and "Студентов001 Пётр</th><td>2" in rows
    assert client.post(url, marks_form(place, [3, 3, 3])).status_code == 403


def test_the_practice_report_lists_each_students_mark_with_the_place(client, school):
    place = college(school)
    period = add_practice(place)
    with scopes_disabled():
        PracticeMark.objects.create(
            school=school,
            period=period,
            pupil=place.students[0],
            mark=5,
            set_by=place.users["supervisor"],
        )
    client.force_login(place.users["deputy"])
    url = school_reverse(school, "reports:practice")
    page = client.get(url)
    assert page.status_code == 200
    assert "Практик: 1, студентов: 3, оценено: 1, из них «2»: 0." in page.text
    sheet = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    first = next(row for row in rows if row and row[1] == "Студентов000 Пётр")
    assert first[2] == "ПП.01 Производственная практика"
    assert first[6] == 144 and first[7] == "АО «Каслинский завод»"
    assert first[10] == 5
    second = next(row for row in rows if row and row[1] == "Студентов001 Пётр")
    assert second[10] is None


# The session, the years, the form's choices, the periods, the group's stays, the students,
# the marks (…), whatever the number of periods and students.
REPORT_QUERIES = 10
# The session, the years, the periods with their groups, places and supervisors.
LIST_QUERIES = 3


@pytest.mark.parametrize("size", [2, 20])
def test_the_practice_report_and_list_cost_a_fixed_number_of_queries(
    client, school, django_assert_num_queries, size
):
    place = college(school, size)
    for n in range(size // 2 + 1):
        add_practice(place, start=40 + 15 * n)
    client.force_login(place.users["deputy"])
    report = school_reverse(school, "reports:practice")
    client.get(report)
    with django_assert_num_queries(REPORT_QUERIES):
        response = client.get(report)
    assert response.text.count("ПП.01 Производственная практика") == size * (size // 2 + 1)
    listing = school_reverse(school, "grading:practice_list")
    client.get(listing)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(listing)
    assert response.text.count("ПП.01 Производственная практика") == size // 2 + 1


def test_the_deputy_changes_a_practice_and_its_history_keeps_the_old_hours(client, school):
    place = college(school)
    period = add_practice(place)
    client.force_login(place.users["deputy"])
    url = school_reverse(school, "grading:practice_edit", pk=period.pk)
    assert "АО «Каслинский завод»" in client.get(url).text
    data = period_form(place, hours="108", end=place.day(50).isoformat())
    assert client.post(url, data).status_code == 302
    refused = client.post(url, period_form(place, end=place.day(30).isoformat()))
    assert refused.status_code == 400
    with scopes_disabled():
        period.refresh_from_db()
        hours = [h.hours for h in period.history.order_by("history_date")]
    assert (period.hours, period.end) == (108, place.day(50))
    assert hours == [144, 108]
