"""Subgroups: the class divided at the start of the year; moves only at a period boundary or on
a parent's recorded request."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from schedule.models import Holiday, StudyPeriod, Subgroup, SubgroupMembership
from schedule.services import people
from schedule.services.year import standard_calendar

from ..factories import (
    make_class,
    make_course,
    make_member,
    make_pupil,
    make_school,
    make_subject,
    make_year,
)

pytestmark = pytest.mark.django_db

FIRST = 2026
SECOND_QUARTER = date(2026, 11, 9)  # the standard calendar's 2nd quarter starts here


@pytest.fixture
def setup(unscoped):
    school = make_school()
    year = make_year(school, FIRST)
    periods, holidays = standard_calendar(year)
    StudyPeriod.objects.bulk_create(periods)
    Holiday.objects.bulk_create(holidays)
    lead = make_member(school, Role.TEACHER)
    school_class = make_class(school, 5, "А", year=year, class_teacher=lead)
    pupils = [make_pupil(school, school_class, start=year.start) for _ in range(4)]
    english = make_subject(school, "Английский язык", "Англ.")
    return school, school_class, pupils, english, lead


def url(school, name, **kwargs):
    return reverse(name, kwargs={"school_slug": school.slug, **kwargs})


def groups_of(school_class, english, day):
    groups = list(Subgroup.objects.filter(school_class=school_class, subject=english))
    members = people.subgroup_members_on(groups, day)
    return {g.name: sorted(p.pk for p in members[g.pk]) for g in groups}


def test_a_class_is_split_into_two_groups_in_one_go(setup):
    school, school_class, pupils, english, _lead = setup
    a, b, c, d = pupils
    changed = people.split_class(
        school_class,
        english,
        {a: "1 группа", b: "1 группа", c: "2 группа", d: "2 группа"},
        date(FIRST, 9, 1),
    )
    assert changed == 4
    assert groups_of(school_class, english, date(FIRST, 9, 1)) == {
        "1 группа": sorted([a.pk, b.pk]),
        "2 группа": sorted([c.pk, d.pk]),
    }


def test_a_move_is_allowed_on_the_first_day_of_a_period(setup):
    school, school_class, pupils, english, _lead = setup
    a, b, *_ = pupils
    people.split_class(school_class, english, {a: "1", b: "2"}, date(FIRST, 9, 1))
    second = Subgroup.objects.get(school_class=school_class, name="2")
    people.transfer_between_subgroups(a, second, SECOND_QUARTER)
    places = list(SubgroupMembership.objects.filter(pupil=a).order_by("start"))
    assert [(p.subgroup.name, p.start, p.end) for p in places] == [
        ("1", date(FIRST, 9, 1), date(FIRST, 11, 8)),
        ("2", SECOND_QUARTER, None),
    ]


def test_a_move_during_a_period_without_a_parent_request_is_refused(setup):
    school, school_class, pupils, english, _lead = setup
    a, b, *_ = pupils
    people.split_class(school_class, english, {a: "1", b: "2"}, date(FIRST, 9, 1))
    second = Subgroup.objects.get(school_class=school_class, name="2")
    with pytest.raises(ValidationError) as refused:
        people.transfer_between_subgroups(a, second, date(FIRST, 10, 5))
    message = refused.value.messages[0]
    assert message.startswith("Перевести из подгруппы в подгруппу 05.10.2026 нельзя")
    assert "ближайшее начало периода — 09.11.2026" in message
    assert "по письменному заявлению родителя" in message
    assert SubgroupMembership.objects.get(pupil=a).end is None


def test_a_move_on_a_parent_request_is_recorded(setup):
    school, school_class, pupils, english, _lead = setup
    a, b, *_ = pupils
    people.split_class(school_class, english, {a: "1", b: "2"}, date(FIRST, 9, 1))
    second = Subgroup.objects.get(school_class=school_class, name="2")
    with pytest.raises(ValidationError) as refused:
        people.transfer_between_subgroups(
            a, second, date(FIRST, 10, 5), parent_request="№ 12", parent_request_date=None
        )
    assert "нельзя" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        people.transfer_between_subgroups(
            a,
            second,
            date(FIRST, 10, 5),
            parent_request="№ 12",
            parent_request_date=date(FIRST, 10, 6),
        )
    assert "не может быть позже даты перевода" in refused.value.messages[0]
    place = people.transfer_between_subgroups(
        a,
        second,
        date(FIRST, 10, 5),
        parent_request="№ 12 о переводе в группу 2",
        parent_request_date=date(FIRST, 10, 2),
    )
    assert (place.parent_request, place.parent_request_date) == (
        "№ 12 о переводе в группу 2",
        date(FIRST, 10, 2),
    )
    assert groups_of(school_class, english, date(FIRST, 10, 5))["2"] == sorted([a.pk, b.pk])
    assert groups_of(school_class, english, date(FIRST, 10, 4))["1"] == [a.pk]


def test_resplitting_mid_period_names_the_pupils_who_cannot_move(setup):
    school, school_class, pupils, english, _lead = setup
    a, b, c, d = pupils
    people.split_class(school_class, english, {a: "1", b: "1", c: "2"}, date(FIRST, 9, 1))
    with pytest.raises(ValidationError) as refused:
        people.split_class(school_class, english, {a: "2", d: "1"}, date(FIRST, 10, 5))
    assert len(refused.value.messages) == 1
    assert refused.value.messages[0].startswith(a.full_name)
    # Nothing of the refused split is saved — not even the new pupil's first placement.
    assert groups_of(school_class, english, date(FIRST, 10, 5)) == {
        "1": sorted([a.pk, b.pk]),
        "2": [c.pk],
    }


def test_a_pupil_outside_the_class_cannot_be_placed(setup):
    school, school_class, _pupils, english, _lead = setup
    other = make_pupil(school, make_class(school, 6, "А", year=school_class.year))
    group = Subgroup.objects.create(
        school=school, school_class=school_class, subject=english, name="1"
    )
    with pytest.raises(ValidationError) as refused:
        people.transfer_between_subgroups(other, group, date(FIRST, 9, 1))
    assert "не числится в классе 5А" in refused.value.messages[0]


def test_the_class_teacher_splits_the_class_through_the_form(client, setup):
    school, school_class, pupils, english, lead = setup
    a, b, c, d = pupils
    client.force_login(lead)
    page = url(school, "schedule:subgroup_split", pk=school_class.pk)
    assert client.get(page, {"subject": english.pk}).status_code == 200
    data = {
        "subject": english.pk,
        "names": "Группа А, Группа Б",
        "day": "2026-09-01",
        f"pupil_{a.pk}": "Группа А",
        f"pupil_{b.pk}": "Группа А",
        f"pupil_{c.pk}": "Группа Б",
    }
    assert client.post(page, data).status_code == 302
    assert groups_of(school_class, english, date(FIRST, 9, 1)) == {
        "Группа А": sorted([a.pk, b.pk]),
        "Группа Б": [c.pk],
    }
    moved = data | {f"pupil_{a.pk}": "Группа Б", "day": "2026-10-05"}
    response = client.post(page, moved)
    assert response.status_code == 400
    assert "Перевести из подгруппы в подгруппу 05.10.2026 нельзя" in response.content.decode()


def test_a_subject_teacher_of_the_class_splits_only_their_subject(client, setup):
    school, school_class, pupils, english, _lead = setup
    teacher = make_member(school, Role.TEACHER)
    make_course(school_class, english, teachers=[teacher])
    maths = make_subject(school, "Математика")
    client.force_login(teacher)
    page = url(school, "schedule:subgroup_split", pk=school_class.pk)
    assert client.get(page, {"subject": english.pk}).context["form"] is not None
    assert client.get(page, {"subject": maths.pk}).context["form"] is None
    data = {"subject": maths.pk, "names": "1, 2", "day": "2026-09-01"}
    assert client.post(page, data).status_code == 400
    assert not Subgroup.objects.filter(subject=maths).exists()
    other_class = make_class(school, 6, "А", year=school_class.year)
    response = client.get(url(school, "schedule:subgroup_split", pk=other_class.pk))
    assert response.status_code == 403


def test_a_transfer_on_a_parent_request_through_the_form(client, setup):
    school, school_class, pupils, english, lead = setup
    a, b, *_ = pupils
    people.split_class(school_class, english, {a: "1", b: "2"}, date(FIRST, 9, 1))
    second = Subgroup.objects.get(school_class=school_class, name="2")
    client.force_login(lead)
    page = url(school, "schedule:subgroup_transfer", pk=school_class.pk)
    data = {"pupil": a.pk, "subgroup": second.pk, "day": "2026-10-05"}
    response = client.post(page, data)
    assert response.status_code == 400
    assert "по письменному заявлению родителя" in response.content.decode()
    data |= {"parent_request": "№ 7", "parent_request_date": "2026-10-01"}
    assert client.post(page, data).status_code == 302
    assert SubgroupMembership.objects.get(pupil=a, subgroup=second).parent_request == "№ 7"
