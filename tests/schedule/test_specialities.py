"""A college's specialities and professions (code, name, programme, length of study), and its
groups, each of a speciality and a course."""

import pytest
from django_scopes import scopes_disabled

from accounts.models import Role
from accounts.navigation import school_reverse
from schedule.models import SchoolClass, Speciality
from tests.factories import make_member, make_school, make_year

pytestmark = pytest.mark.django_db

NEW = {
    "code": "15.02.08",
    "name": "Технология машиностроения",
    "kind": "speciality",
    "programme": "ppssz",
    "study_years": "3",
    "study_months": "10",
}


@pytest.fixture
def college(client):
    school = make_school(kind="college")
    year = make_year(school)
    client.force_login(make_member(school, Role.ADMIN))
    return school, year


def test_the_administrator_adds_a_speciality_and_a_second_of_the_same_code_is_refused(
    client, college
):
    school, _year = college
    url = school_reverse(school, "schedule:specialities")
    assert client.post(url, NEW).status_code == 302
    page = client.get(url).text
    assert "15.02.08" in page and "3 г. 10 мес." in page
    assert "программа подготовки специалистов среднего звена" in page
    response = client.post(url, {**NEW, "name": "Другая"})
    assert response.status_code == 400 and "уже есть" in response.text
    response = client.post(url, {**NEW, "code": "15.02.09", "study_months": "12"})
    assert response.status_code == 400 and "не больше 11" in response.text
    with scopes_disabled():
        assert Speciality.objects.filter(school=school).count() == 1


def test_a_colleges_group_is_made_of_a_speciality_and_a_course(client, college):
    school, year = college
    with scopes_disabled():
        speciality = Speciality.objects.create(school=school, code="15.02.08", name="ТМ")
    url = school_reverse(school, "schedule:class_create")
    assert "Специальность" in client.get(url).text
    data = {"year": year.pk, "grade": "2", "letter": "ТМ-25", "speciality": speciality.pk}
    assert client.post(url, data).status_code == 302
    with scopes_disabled():
        group = SchoolClass.objects.get(school=school)
        assert (group.name, group.grade, group.speciality) == ("ТМ-25", 2, speciality)


def test_a_schools_class_form_asks_no_speciality(client):
    school = make_school()
    make_year(school)
    client.force_login(make_member(school, Role.ADMIN))
    page = client.get(school_reverse(school, "schedule:class_create")).text
    assert 'name="speciality"' not in page
