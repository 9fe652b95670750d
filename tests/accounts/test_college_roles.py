"""The roles of a college: a master of industrial training and a педагог ДО keep the courses
assigned to them as a teacher does, in their own role; a head of department reads the groups
of their department only; the specialist for staff records sees the staff, not the families."""

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import Membership, Role
from accounts.services import end_role
from schedule.departments import Department
from schedule.models import CourseTeacher
from tests.factories import (
    make_class,
    make_course,
    make_member,
    make_parent,
    make_pupil,
    make_school,
)
from tests.journal.grid_builders import build_journal

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def roles(user, school):
    with scopes_disabled():
        return set(
            Membership.objects.active()
            .filter(user=user, school=school)
            .values_list("role", flat=True)
        )


@pytest.mark.parametrize("role", [Role.MASTER, Role.EXTRA_TEACHER])
def test_a_course_assigned_to_a_master_or_an_extra_teacher_is_kept_in_their_own_role(role):
    journal = build_journal(pupils=1, lessons=1, recent=True, school=make_school(kind="college"))
    keeper = make_member(journal.school, role)
    with scopes_disabled():
        CourseTeacher.objects.create(school=journal.school, course=journal.course, teacher=keeper)
    assert roles(keeper, journal.school) == {role}  # no teacher's role added
    page = signed_in(keeper).get(journal.url())
    assert page.status_code == 200
    assert 'class="d ed' in page.content.decode()  # their lesson's column is editable


def test_ending_the_masters_role_ends_the_courses_it_kept():
    journal = build_journal(pupils=1, lessons=1, recent=True)
    master = make_member(journal.school, Role.MASTER)
    with scopes_disabled():
        CourseTeacher.objects.create(school=journal.school, course=journal.course, teacher=master)
        end_role(Membership.objects.get(user=master, role=Role.MASTER))
        assert not CourseTeacher.objects.filter(teacher=master).exists()
    assert signed_in(master).get(journal.url()).status_code == 404


def test_a_head_of_department_reads_the_control_of_their_groups_and_not_of_others():
    college = make_school(kind="college")
    head = make_member(college, Role.HEAD_OF_DEPARTMENT)
    mine, theirs = make_class(college, 1, "ТМ-11"), make_class(college, 1, "ЭК-11")
    for group in (mine, theirs):
        make_course(group, teachers=[make_member(college, Role.TEACHER)])
    with scopes_disabled():
        department = Department.objects.create(school=college, name="Техническое", head=head)
        mine.department = department
        mine.save()
    client = signed_in(head)
    url = reverse("reports:control", kwargs={"school_slug": college.slug})
    assert client.get(url, {"scope": f"class:{mine.pk}"}).status_code == 200
    assert client.get(url, {"scope": f"class:{theirs.pk}"}).status_code == 404
    assert client.get(url, {"scope": "school"}).status_code == 404
    timetable = reverse(
        "schedule:timetable_class", kwargs={"school_slug": college.slug, "pk": theirs.pk}
    )
    assert client.get(timetable).status_code == 403


def test_the_specialist_for_staff_records_sees_the_staff_and_not_the_families():
    school = make_school()
    hr = make_member(school, Role.HR)
    teacher = make_member(school, Role.TEACHER, last_name="Преподавателева")
    group = make_class(school)
    parent = make_parent(school, make_pupil(school, group), "parent-of-someone")
    parent.last_name = "Родителева"
    parent.save()
    client = signed_in(hr)
    people = client.get(reverse("accounts:people", kwargs={"school_slug": school.slug}))
    text = people.content.decode()
    assert "Преподавателева" in text and "Родителева" not in text
    card = "accounts:person"
    assert (
        client.get(reverse(card, kwargs={"school_slug": school.slug, "pk": teacher.pk})).status_code
        == 200
    )
    assert (
        client.get(reverse(card, kwargs={"school_slug": school.slug, "pk": parent.pk})).status_code
        == 404
    )
    grid = reverse("journal:journals", kwargs={"school_slug": school.slug})
    assert client.get(grid).status_code == 403  # nothing of the journal
