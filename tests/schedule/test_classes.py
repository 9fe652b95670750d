from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Membership, Role
from accounts.rules import permission_checker
from schedule.models import SchoolClass, Subgroup, SubgroupMembership
from schedule.services import people

from ..factories import (
    make_class,
    make_course,
    make_member,
    make_parent,
    make_pupil,
    make_school,
    make_subject,
    make_year,
)

pytestmark = pytest.mark.django_db


def url(school, name, **kwargs):
    return reverse(name, kwargs={"school_slug": school.slug, **kwargs})


def leads(user, school_class) -> bool:
    user.__dict__.pop("_perm_checker", None)
    return permission_checker(user).has_perm("schedule.manage_class", school_class)


def test_a_first_grade_is_made_without_marks_unless_told_otherwise(unscoped):
    school = make_school()
    year = make_year(school)
    first = people.save_class(SchoolClass(school=school, year=year, grade=1, letter="А"))
    fifth = people.save_class(SchoolClass(school=school, year=year, grade=5, letter="А"))
    marked_first = people.save_class(
        SchoolClass(school=school, year=year, grade=1, letter="Б"), no_marks=False
    )
    assert first.no_marks and not fifth.no_marks and not marked_first.no_marks


def test_two_classes_of_one_name_in_a_year_are_refused(unscoped):
    school = make_school()
    make_class(school, 5, "А")
    with pytest.raises(ValidationError) as refused:
        people.save_class(SchoolClass(school=school, year=make_year(school), grade=5, letter="А"))
    assert "Класс 5А в этом учебном году уже есть." in refused.value.messages


def test_a_college_group_keeps_its_name(unscoped):
    school = make_school()
    group = make_class(school, 2, "ТМ-21")
    assert group.name == "ТМ-21"


def test_the_class_teacher_gets_the_role_and_the_class_and_a_new_one_takes_them_over(unscoped):
    school = make_school()
    first, second = make_member(school, Role.TEACHER), make_member(school, Role.TEACHER)
    school_class = make_class(school, 5, "А", class_teacher=first)
    assert Membership.objects.active().filter(user=first, role=Role.CLASS_TEACHER).exists()
    assert leads(first, school_class)
    school_class.class_teacher = second
    people.save_class(school_class)
    assert not leads(first, school_class)
    assert leads(second, school_class)
    assert Membership.objects.active().filter(user=second, role=Role.CLASS_TEACHER).exists()
    # Leading no class now, the first one is no longer a class teacher (still a teacher).
    assert not Membership.objects.active().filter(user=first, role=Role.CLASS_TEACHER).exists()
    assert Membership.objects.active().filter(user=first, role=Role.TEACHER).exists()
    other_class = make_class(school, 6, "Б", class_teacher=second)
    school_class.class_teacher = None
    people.save_class(school_class)
    assert not leads(second, school_class) and leads(second, other_class)
    # Still leading 6Б, the second keeps the role.
    assert Membership.objects.active().filter(user=second, role=Role.CLASS_TEACHER).exists()


def test_the_deputy_creates_a_class_through_the_form(client, unscoped):
    school = make_school()
    year = make_year(school)
    teacher = make_member(school, Role.TEACHER)
    client.force_login(make_member(school, Role.DEPUTY))
    response = client.post(
        url(school, "schedule:class_create"),
        {"year": year.pk, "grade": 1, "letter": "В", "class_teacher": teacher.pk, "marks": ""},
    )
    assert response.status_code == 302
    school_class = SchoolClass.objects.get(school=school, grade=1, letter="В")
    assert school_class.no_marks
    assert leads(teacher, school_class)
    again = client.post(
        url(school, "schedule:class_create"), {"year": year.pk, "grade": 1, "letter": "В"}
    )
    assert again.status_code == 400
    assert "Класс 1В в этом учебном году уже есть." in again.content.decode()


def test_the_class_teacher_does_not_edit_the_class(client, unscoped):
    school = make_school()
    teacher = make_member(school, Role.TEACHER)
    school_class = make_class(school, class_teacher=teacher)
    client.force_login(teacher)
    assert client.get(url(school, "schedule:class", pk=school_class.pk)).status_code == 200
    response = client.get(url(school, "schedule:class_edit", pk=school_class.pk))
    assert response.status_code == 403


def fill_class(school, school_class, pupils, subject):
    """A class with `pupils` pupils (each with a parent), two subgroups, three courses."""
    start = school_class.year.start
    made = [make_pupil(school, school_class, start=start) for _ in range(pupils)]
    for pupil in made:
        make_parent(school, pupil)
    groups = [
        Subgroup.objects.create(
            school=school, school_class=school_class, subject=subject, name=f"{n} группа"
        )
        for n in (1, 2)
    ]
    for i, pupil in enumerate(made):
        SubgroupMembership.objects.create(
            school=school, subgroup=groups[i % 2], pupil=pupil, start=start
        )
    teachers = [make_member(school, Role.TEACHER) for _ in range(2)]
    make_course(school_class, make_subject(school, "Математика"), teachers=teachers)
    for group in groups:
        make_course(school_class, subject=subject, subgroup=group, teachers=teachers[:1])


@pytest.mark.parametrize("size", [3, 20])
def test_the_class_page_costs_the_same_queries_whatever_its_size(
    client, django_assert_num_queries, size
):
    with scopes_disabled():
        school = make_school()
        lead = make_member(school, Role.TEACHER)
        school_class = make_class(school, class_teacher=lead)
        fill_class(school, school_class, size, make_subject(school, "Английский язык"))
    client.force_login(lead)
    page = url(school, "schedule:class", pk=school_class.pk)
    client.get(page)  # warm the session
    # user, the class, guardian's user and group permissions, pupils,
    # parents, subgroups, members, courses, teachers; the record of access to personal data.
    with django_assert_num_queries(QUERIES_CLASS_PAGE):
        response = client.get(page)
    assert response.status_code == 200
    assert response.content.decode().count("<tr><td>") >= size


# The school and the user's roles come from the cache (accounts.tenancy), not queries; the
# group's practice is one query more.
QUERIES_CLASS_PAGE = 12


def test_a_past_year_class_shows_its_pupils_as_the_year_ended(client, unscoped):
    school = make_school()
    old_year = make_year(school, timezone.localdate().year - 3)
    old_class = make_class(school, 5, "А", year=old_year)
    pupil = make_pupil(school, old_class, start=old_year.start)
    people.depart(pupil.enrolments.get(), old_year.end - timedelta(days=10), order_number="1")
    stayed = make_pupil(school, old_class, start=old_year.start, last_name="Оставшийся")
    client.force_login(make_member(school, Role.DIRECTOR))
    html = client.get(url(school, "schedule:class", pk=old_class.pk)).content.decode()
    assert stayed.last_name in html and pupil.last_name not in html
    assert date.today() > old_year.end
