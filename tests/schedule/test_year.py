from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from schedule.models import Bell, BellSchedule, Holiday, SchoolYear, StudyPeriod
from schedule.services import year as services

from ..factories import make_member, make_school

pytestmark = pytest.mark.django_db

Q = StudyPeriod.Kind.QUARTER
S = StudyPeriod.Kind.SEMESTER


@pytest.fixture
def year(unscoped):
    school = make_school()
    return SchoolYear.objects.create(
        school=school, name="2026/2027", start=date(2026, 9, 1), end=date(2027, 8, 31)
    )


def period(year, number, start, end, kind=Q, grades=(1, 9)):
    return StudyPeriod(
        school=year.school,
        year=year,
        kind=kind,
        number=number,
        grade_from=grades[0],
        grade_to=grades[1],
        start=start,
        end=end,
    )


def holiday(year, start, end, grades=(1, 11), name="Каникулы"):
    return Holiday(
        school=year.school,
        year=year,
        name=name,
        start=start,
        end=end,
        grade_from=grades[0],
        grade_to=grades[1],
    )


def test_the_standard_calendar_is_valid_for_many_years(unscoped):
    school = make_school()
    for first in range(2024, 2034):
        y = SchoolYear(
            school=school, name=f"{first}", start=date(first, 9, 1), end=date(first + 1, 8, 31)
        )
        for scheme in services.SCHEMES:
            periods, holidays = services.standard_calendar(y, scheme)
            assert services.period_problems(y, periods, holidays) == [], (first, scheme)


def test_it_names_overlapping_periods_and_their_dates(year):
    periods = [
        period(year, 1, date(2026, 9, 1), date(2026, 10, 30)),
        period(year, 2, date(2026, 10, 26), date(2026, 12, 27)),
    ]
    problems = services.period_problems(year, periods, [])
    assert len(problems) == 1
    assert "«2 четверть» (1–9 кл., 26.10.2026–27.12.2026)" in problems[0]
    assert "пересекается с" in problems[0]
    assert "«1 четверть» (1–9 кл., 01.09.2026–30.10.2026)" in problems[0]


def test_it_refuses_a_gap_of_school_days_between_periods(year):
    periods = [
        period(year, 1, date(2026, 9, 1), date(2026, 10, 23)),  # a Friday
        period(year, 2, date(2026, 11, 9), date(2026, 12, 27)),
    ]
    problems = services.period_problems(year, periods, [])
    assert len(problems) == 1
    assert "Между «1 четверть» (до 23.10.2026) и «2 четверть» (с 09.11.2026)" in problems[0]
    assert "26.10.2026–06.11.2026" in problems[0]
    assert "1–9 кл." in problems[0]


def test_a_gap_covered_by_holidays_and_a_weekend_is_fine(year):
    periods = [
        period(year, 1, date(2026, 9, 1), date(2026, 10, 23)),
        period(year, 2, date(2026, 11, 9), date(2026, 12, 27)),
    ]
    # Holidays from Monday to Friday: the weekends around them are days off anyway.
    holidays = [holiday(year, date(2026, 10, 26), date(2026, 11, 6))]
    assert services.period_problems(year, periods, holidays) == []


def test_a_holiday_of_other_grades_does_not_cover_the_gap(year):
    periods = [
        period(year, 1, date(2026, 9, 1), date(2026, 10, 23)),
        period(year, 2, date(2026, 11, 9), date(2026, 12, 27)),
    ]
    holidays = [holiday(year, date(2026, 10, 26), date(2026, 11, 6), grades=(1, 4))]
    problems = services.period_problems(year, periods, holidays)
    assert len(problems) == 1
    assert "у 5–9 кл." in problems[0]


def test_a_period_outside_the_year_is_refused(year):
    problems = services.period_problems(
        year, [period(year, 4, date(2027, 4, 1), date(2027, 9, 3))], []
    )
    assert problems == [
        "«4 четверть» (1–9 кл., 01.04.2027–03.09.2027) выходит за границы учебного года "
        "2026/2027 (01.09.2026–31.08.2027)."
    ]


def test_it_refuses_an_end_before_the_start_and_wrong_grades(year):
    problems = services.period_problems(
        year, [period(year, 1, date(2026, 10, 1), date(2026, 9, 1), grades=(9, 5))], []
    )
    assert any("окончание (01.09.2026) раньше начала (01.10.2026)" in p for p in problems)
    assert any("параллели указаны неверно (с 9 по 5)" in p for p in problems)


def test_periods_of_different_grade_ranges_do_not_clash(year):
    periods = [
        period(year, 1, date(2026, 9, 1), date(2026, 10, 23)),
        period(year, 1, date(2026, 9, 1), date(2026, 12, 25), kind=S, grades=(10, 11)),
    ]
    assert services.period_problems(year, periods, []) == []


def test_it_refuses_numbers_out_of_date_order_and_mixed_kinds(year):
    out_of_order = [
        period(year, 2, date(2026, 9, 1), date(2026, 10, 23)),
        period(year, 1, date(2026, 10, 24), date(2026, 12, 27)),
    ]
    assert "номера периодов должны идти по порядку дат" in " ".join(
        services.period_problems(year, out_of_order, [])
    )
    mixed = [
        period(year, 1, date(2026, 9, 1), date(2026, 10, 23)),
        period(year, 2, date(2026, 10, 24), date(2026, 12, 27), kind=S),
    ]
    assert "разных видов" in " ".join(services.period_problems(year, mixed, []))


def test_removing_a_holiday_that_covers_a_gap_is_refused(year):
    gapped = [
        period(year, 1, date(2026, 9, 1), date(2026, 10, 23)),
        period(year, 2, date(2026, 11, 9), date(2026, 12, 27)),
    ]
    with pytest.raises(ValidationError):
        services.save_periods(year, gapped)
    assert not StudyPeriod.objects.filter(year=year).exists()
    autumn = services.save_holiday(holiday(year, date(2026, 10, 24), date(2026, 11, 8)))
    services.save_periods(year, gapped)
    with pytest.raises(ValidationError) as refused:
        services.delete_holiday(autumn)
    assert "Без этих каникул периоды года разойдутся" in refused.value.messages[0]
    assert Holiday.objects.filter(pk=autumn.pk).exists()


def test_the_current_year_and_periods_for_a_date_and_a_grade(year):
    periods, holidays = services.standard_calendar(year)
    for h in holidays:
        services.save_holiday(h)
    services.save_periods(year, periods)
    assert SchoolYear.objects.current(date(2027, 3, 3)) == year
    assert SchoolYear.objects.current(date(2026, 8, 31)) is None
    day = date(2026, 11, 16)
    assert [str(p) for p in StudyPeriod.objects.for_date(day).for_grade(5)] == ["2 четверть"]
    assert [str(p) for p in StudyPeriod.objects.for_date(day).for_grade(10)] == [
        "1 полугодие (семестр)"
    ]
    assert StudyPeriod.objects.for_grade(11).count() == 2
    assert StudyPeriod.objects.for_grade(3).count() == 4


def test_years_of_a_school_do_not_overlap(year):
    twin = SchoolYear(
        school=year.school, name="2027", start=date(2027, 6, 1), end=date(2028, 5, 31)
    )
    with pytest.raises(ValidationError) as refused:
        services.save_year(twin)
    assert "пересекаются с учебным годом 2026/2027" in refused.value.messages[0]


def test_a_year_cannot_shrink_away_from_its_periods(year):
    services.save_periods(year, [period(year, 1, date(2026, 9, 1), date(2026, 10, 23))])
    year.start = date(2026, 9, 15)
    with pytest.raises(ValidationError) as refused:
        services.save_year(year)
    assert "выходит за границы учебного года" in refused.value.messages[0]


def test_bells_must_not_overlap(unscoped):
    school = make_school()
    schedule = BellSchedule(school=school, name="1 смена")
    bells = [
        Bell(number=1, start=time(8, 30), end=time(9, 15)),
        Bell(number=2, start=time(9, 10), end=time(9, 55)),
        Bell(number=3, start=time(10, 0), end=time(10, 0)),
    ]
    problems = services.bell_problems(bells)
    assert "Урок 2 (09:10–09:55) начинается раньше, чем кончается урок 1 (08:30–09:15)." in problems
    assert any("Урок 3: окончание" in p for p in problems)
    with pytest.raises(ValidationError):
        services.save_bell_schedule(schedule, bells)
    assert services.bell_problems(services.standard_bells(schedule)) == []


def url(school, name, **kwargs):
    return reverse(name, kwargs={"school_slug": school.slug, **kwargs})


def formset_data(periods, prefix="form"):
    data = {f"{prefix}-TOTAL_FORMS": str(len(periods)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, p in enumerate(periods):
        data.update(
            {
                f"{prefix}-{i}-kind": p.kind,
                f"{prefix}-{i}-number": p.number,
                f"{prefix}-{i}-grade_from": p.grade_from,
                f"{prefix}-{i}-grade_to": p.grade_to,
                f"{prefix}-{i}-start": p.start.isoformat(),
                f"{prefix}-{i}-end": p.end.isoformat(),
            }
        )
    return data


def test_the_deputy_saves_the_standard_periods_with_their_holidays(year, client):
    deputy = make_member(year.school, Role.DEPUTY)
    client.force_login(deputy)
    page = url(year.school, "schedule:year_periods", pk=year.pk)
    response = client.get(page, {"scheme": "quarters_semesters"})
    assert response.status_code == 200
    periods, _holidays = services.standard_calendar(year)
    data = formset_data(periods) | {
        "replace": "1",
        "scheme": "quarters_semesters",
        "add_holidays": "1",
    }
    response = client.post(page, data)
    assert response.status_code == 302
    assert StudyPeriod.objects.filter(year=year).count() == 6
    assert Holiday.objects.filter(year=year, name="Осенние каникулы").exists()
    assert client.get(url(year.school, "schedule:year", pk=year.pk)).status_code == 200


def test_overlapping_periods_come_back_with_a_russian_message_and_nothing_saved(year, client):
    client.force_login(make_member(year.school, Role.ADMIN))
    periods = [
        period(year, 1, date(2026, 9, 1), date(2026, 10, 30)),
        period(year, 2, date(2026, 10, 26), date(2026, 12, 27)),
    ]
    response = client.post(
        url(year.school, "schedule:year_periods", pk=year.pk), formset_data(periods)
    )
    assert response.status_code == 400
    assert "пересекается с" in response.content.decode()
    assert not StudyPeriod.objects.filter(year=year).exists()


def test_the_new_year_form_offers_september_to_august(year, client):
    client.force_login(make_member(year.school, Role.ADMIN))
    response = client.get(url(year.school, "schedule:year_create"))
    name, start, end = services.default_year_for(date.today())
    assert start.month == 9 and start.day == 1 and end == date(start.year + 1, 8, 31)
    assert name in response.content.decode()


def test_the_director_reads_the_year_but_does_not_change_it(year, client):
    client.force_login(make_member(year.school, Role.DIRECTOR))
    assert client.get(url(year.school, "schedule:year", pk=year.pk)).status_code == 200
    assert client.get(url(year.school, "schedule:year_edit", pk=year.pk)).status_code == 403


def test_reapplying_a_template_keeps_the_period_rows_and_changes_their_dates(year, client):
    client.force_login(make_member(year.school, Role.ADMIN))
    page = url(year.school, "schedule:year_periods", pk=year.pk)
    periods, holidays = services.standard_calendar(year)
    for h in holidays:
        services.save_holiday(h)
    periods[3].end = date(2027, 5, 20)
    services.save_periods(year, periods)
    rows = set(StudyPeriod.objects.filter(year=year).values_list("pk", flat=True))
    again, _holidays = services.standard_calendar(year)
    data = formset_data(again) | {"replace": "1", "scheme": "quarters_semesters"}
    assert client.post(page, data).status_code == 302
    assert set(StudyPeriod.objects.filter(year=year).values_list("pk", flat=True)) == rows
    assert StudyPeriod.objects.get(year=year, kind=Q, number=4).end == again[3].end
    quarters, _holidays = services.standard_calendar(year, "quarters")
    data = formset_data(quarters) | {"replace": "1", "scheme": "quarters"}
    assert client.post(page, data).status_code == 302
    assert StudyPeriod.objects.filter(year=year).count() == 4
    assert not StudyPeriod.objects.filter(year=year, kind=S).exists()
