"""Movement of pupils («движение контингента»): arrival, transfer, departure, history."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Pupil, Role
from schedule.models import Enrolment, Subgroup, SubgroupMembership
from schedule.services import people

from ..factories import make_class, make_member, make_pupil, make_school, make_subject, make_year

pytestmark = pytest.mark.django_db

FIRST = 2026


@pytest.fixture
def school(unscoped):
    return make_school()


@pytest.fixture
def year(school):
    return make_year(school, FIRST)


def url(school, name, **kwargs):
    return reverse(name, kwargs={"school_slug": school.slug, **kwargs})


def test_a_transfer_closes_one_enrolment_and_opens_the_next(school, year):
    fifth_a = make_class(school, 5, "А", year=year)
    fifth_b = make_class(school, 5, "Б", year=year)
    pupil = make_pupil(school, fifth_a, start=year.start)
    old = pupil.enrolments.get()
    new = people.transfer(old, fifth_b, date(FIRST, 11, 9), order_number="45-о")
    old.refresh_from_db()
    assert (old.end, old.end_reason, old.end_order_number) == (
        date(FIRST, 11, 8),
        Enrolment.EndReason.TRANSFER,
        "45-о",
    )
    assert (new.school_class, new.start, new.reason, new.order_number) == (
        fifth_b,
        date(FIRST, 11, 9),
        Enrolment.Reason.TRANSFER,
        "45-о",
    )
    assert list(Enrolment.objects.on(date(FIRST, 11, 8)).filter(pupil=pupil)) == [old]
    assert list(Enrolment.objects.on(date(FIRST, 11, 9)).filter(pupil=pupil)) == [new]


def test_a_failed_transfer_leaves_the_old_enrolment_open(school, year):
    fifth_a = make_class(school, 5, "А", year=year)
    next_year_class = make_class(school, 6, "А", year=make_year(school, FIRST + 1))
    pupil = make_pupil(school, fifth_a, start=year.start)
    with pytest.raises(ValidationError) as refused:
        people.transfer(pupil.enrolments.get(), next_year_class, date(FIRST, 11, 9))
    assert "вне учебного года" in refused.value.messages[0]
    assert pupil.enrolments.get().end is None


def test_a_departure_keeps_the_pupil_and_their_history(school, year):
    fifth_a = make_class(school, 5, "А", year=year)
    pupil = make_pupil(school, fifth_a, start=year.start)
    people.depart(pupil.enrolments.get(), date(FIRST, 12, 1), order_number="77", note="переезд")
    enrolment = pupil.enrolments.get()
    assert enrolment.end == date(FIRST, 11, 30)
    assert enrolment.end_reason == Enrolment.EndReason.DEPARTURE
    assert Pupil.objects.filter(pk=pupil.pk).exists()
    assert not people.pupils_on(fifth_a, date(FIRST, 12, 1)).exists()
    assert list(people.pupils_on(fifth_a, date(FIRST, 11, 30))) == [pupil]
    # History of the enrolment is kept too.
    assert enrolment.history.count() == 2


def test_a_departure_ends_the_pupils_subgroups(school, year):
    fifth_a = make_class(school, 5, "А", year=year)
    pupil = make_pupil(school, fifth_a, start=year.start)
    group = Subgroup.objects.create(
        school=school, school_class=fifth_a, subject=make_subject(school), name="1"
    )
    SubgroupMembership.objects.create(school=school, subgroup=group, pupil=pupil, start=year.start)
    people.depart(pupil.enrolments.get(), date(FIRST, 12, 1))
    assert SubgroupMembership.objects.get(pupil=pupil).end == date(FIRST, 11, 30)


def test_movement_refuses_impossible_dates_and_double_enrolment(school, year):
    fifth_a = make_class(school, 5, "А", year=year)
    fifth_b = make_class(school, 5, "Б", year=year)
    pupil = make_pupil(school, fifth_a, start=date(FIRST, 10, 1))
    enrolment = pupil.enrolments.get()
    with pytest.raises(ValidationError) as refused:
        people.depart(enrolment, date(FIRST, 10, 1))
    assert refused.value.messages == [
        "Дата выбытия должна быть позже даты зачисления в класс 5А (01.10.2026)."
    ]
    with pytest.raises(ValidationError) as refused:
        people.enrol(pupil, fifth_b, date(FIRST, 10, 5))
    assert "уже числится в классе 5А с 01.10.2026" in refused.value.messages[0]
    people.depart(enrolment, date(FIRST, 10, 20))
    with pytest.raises(ValidationError) as refused:
        people.depart(enrolment, date(FIRST, 10, 25))
    assert "уже выбыл" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        people.enrol(pupil, fifth_b, date(FIRST, 10, 19))
    assert "зачислить можно не раньше 20.10.2026" in refused.value.messages[0]
    back = people.enrol(pupil, fifth_b, date(FIRST, 11, 2), order_number="90")
    assert back.reason == Enrolment.Reason.ARRIVAL


def test_the_admin_records_an_arrival_of_a_new_pupil_and_a_transfer(client, school, year):
    fifth_a = make_class(school, 5, "А", year=year)
    fifth_b = make_class(school, 5, "Б", year=year)
    client.force_login(make_member(school, Role.ADMIN))
    response = client.post(
        url(school, "schedule:class_enrol", pk=fifth_a.pk),
        {
            "last_name": "Новикова",
            "first_name": "Ольга",
            "day": "2026-10-12",
            "order_number": "50-о",
            "note": "из школы №3",
        },
    )
    assert response.status_code == 302
    pupil = Pupil.objects.get(last_name="Новикова")
    enrolment = pupil.enrolments.get()
    assert (enrolment.school_class, enrolment.start, enrolment.note) == (
        fifth_a,
        date(FIRST, 10, 12),
        "из школы №3",
    )
    response = client.post(
        url(school, "schedule:enrolment_move", pk=enrolment.pk),
        {"kind": "transfer", "to_class": fifth_b.pk, "day": "2026-12-01", "order_number": "61"},
    )
    assert response.status_code == 302
    history = client.get(url(school, "schedule:pupil_history", pk=pupil.pk)).content.decode()
    assert "5А" in history and "5Б" in history and "перевод в другой класс" in history
    movement = client.get(url(school, "schedule:class_movement", pk=fifth_a.pk)).content.decode()
    assert "Новикова" in movement and "30.11.2026" in movement


def test_a_movement_form_with_a_bad_date_comes_back_in_russian(client, school, year):
    fifth_a = make_class(school, 5, "А", year=year)
    pupil = make_pupil(school, fifth_a, start=year.start)
    client.force_login(make_member(school, Role.DEPUTY))
    page = url(school, "schedule:enrolment_move", pk=pupil.enrolments.get().pk)
    response = client.post(page, {"kind": "transfer", "day": "31.02.2026", "order_number": "1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Введите дату в виде ДД.ММ.ГГГГ." in html
    assert "Выберите класс, в который переводится обучающийся." in html
    response = client.post(page, {"kind": "departure", "day": "2026-09-01", "order_number": "1"})
    assert response.status_code == 400
    assert "позже даты зачисления" in response.content.decode()


def test_the_class_teacher_reads_the_history_of_a_pupil_who_left_their_class(client, school, year):
    teacher = make_member(school, Role.TEACHER)
    fifth_a = make_class(school, 5, "А", year=year, class_teacher=teacher)
    fifth_b = make_class(school, 5, "Б", year=year)
    pupil = make_pupil(school, fifth_a, start=year.start)
    people.transfer(pupil.enrolments.get(), fifth_b, year.start + timedelta(days=30))
    client.force_login(teacher)
    assert client.get(url(school, "schedule:pupil_history", pk=pupil.pk)).status_code == 200
    assert client.get(url(school, "schedule:class_movement", pk=fifth_a.pk)).status_code == 200
    assert client.get(url(school, "schedule:class_movement", pk=fifth_b.pk)).status_code == 403
    stranger = make_pupil(school, fifth_b, start=year.start)
    assert client.get(url(school, "schedule:pupil_history", pk=stranger.pk)).status_code == 403
