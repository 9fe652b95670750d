from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import Role
from accounts.rules import permission_checker
from schedule.models import Course, CourseTeacher, Lesson, Subgroup, Subject
from schedule.services import people
from schedule.views import courses as courses_views
from schedule.views.courses import CLASSES_PER_PAGE

from ..factories import make_class, make_course, make_member, make_school, make_subject

pytestmark = pytest.mark.django_db


def url(school, name, **kwargs):
    return reverse(name, kwargs={"school_slug": school.slug, **kwargs})


def teaches(user, course) -> bool:
    user.__dict__.pop("_perm_checker", None)
    return permission_checker(user).has_perm("schedule.teach_course", course)


def test_assigning_a_teacher_grants_the_course_and_removing_takes_it_away(unscoped):
    school = make_school()
    first, second = make_member(school, Role.TEACHER), make_member(school, Role.TEACHER)
    course = make_course(make_class(school), make_subject(school))
    people.set_course_teachers(course, [first])
    assert teaches(first, course) and not teaches(second, course)
    people.set_course_teachers(course, [first, second])
    assert teaches(first, course) and teaches(second, course)
    people.set_course_teachers(course, [second])
    assert not teaches(first, course) and teaches(second, course)
    people.set_course_teachers(course, [])
    assert not teaches(second, course)
    assert not CourseTeacher.objects.filter(course=course).exists()


def test_a_teacher_of_one_course_does_not_reach_another(unscoped):
    school = make_school()
    teacher = make_member(school, Role.TEACHER)
    school_class = make_class(school)
    mine = make_course(school_class, make_subject(school, "Математика"), teachers=[teacher])
    other = make_course(school_class, make_subject(school, "Физика"))
    assert teaches(teacher, mine) and not teaches(teacher, other)


def test_yearly_hours_follow_the_weekly_ones(unscoped):
    school = make_school()
    maths = make_subject(school)
    first = people.save_course(
        Course(school_class=make_class(school, 1, "А"), subject=maths, hours_per_week=4)
    )
    fifth = people.save_course(
        Course(
            school_class=make_class(school, 5, "А"), subject=maths, hours_per_week=Decimal("1.5")
        )
    )
    assert (first.hours_per_year, fifth.hours_per_year) == (132, 51)


def test_a_second_course_of_a_subject_in_a_class_is_refused(unscoped):
    school = make_school()
    school_class = make_class(school)
    maths = make_subject(school)
    make_course(school_class, maths)
    with pytest.raises(ValidationError) as refused:
        people.save_course(Course(school_class=school_class, subject=maths))
    assert refused.value.messages == ["У класса 5А курс «Математика» уже есть."]


def test_a_subgroup_course_must_be_of_its_class_and_subject(unscoped):
    school = make_school()
    fifth, sixth = make_class(school, 5, "А"), make_class(school, 6, "А")
    english, maths = make_subject(school, "Английский язык"), make_subject(school, "Математика")
    group = Subgroup.objects.create(school=school, school_class=fifth, subject=english, name="1")
    with pytest.raises(ValidationError) as refused:
        people.save_course(Course(school_class=sixth, subject=maths, subgroup=group))
    assert len(refused.value.messages) == 2
    course = people.save_course(Course(school_class=fifth, subject=english, subgroup=group))
    assert str(course) == "5А Английский язык (1)"


def test_the_deputy_assigns_teachers_through_the_form(client, unscoped):
    school = make_school()
    school_class = make_class(school)
    maths = make_subject(school)
    first, second = make_member(school, Role.TEACHER), make_member(school, Role.TEACHER)
    client.force_login(make_member(school, Role.DEPUTY))
    response = client.post(
        url(school, "schedule:course_create"),
        {
            "school_class": school_class.pk,
            "subject": maths.pk,
            "teachers": [first.pk, second.pk],
            "hours_per_week": "5",
            "hours_per_year": "0",
            "scale": "five",
        },
    )
    assert response.status_code == 302
    course = Course.objects.get(school_class=school_class, subject=maths)
    assert course.hours_per_year == 170
    assert teaches(first, course) and teaches(second, course)
    response = client.post(
        url(school, "schedule:course_edit", pk=course.pk),
        {"teachers": [second.pk], "hours_per_week": "5", "hours_per_year": "170", "scale": "five"},
    )
    assert response.status_code == 302
    assert not teaches(first, course) and teaches(second, course)


def test_a_course_with_lessons_cannot_be_deleted(client, unscoped):
    school = make_school()
    course = make_course(make_class(school), make_subject(school))
    Lesson.objects.create(school=school, course=course, date=date(2026, 9, 2), number=1)
    client.force_login(make_member(school, Role.ADMIN))
    response = client.post(url(school, "schedule:course_delete", pk=course.pk), follow=True)
    assert "По курсу уже есть уроки: его нельзя удалить." in response.content.decode()
    assert Course.objects.filter(pk=course.pk).exists()


def test_a_teacher_sees_their_courses(client, unscoped):
    school = make_school()
    teacher = make_member(school, Role.TEACHER)
    maths = make_subject(school)
    make_course(make_class(school, 5, "А"), maths, teachers=[teacher])
    make_course(make_class(school, 6, "Б"), maths, teachers=[teacher])
    make_course(make_class(school, 7, "В"), maths, teachers=[make_member(school, Role.TEACHER)])
    client.force_login(teacher)
    html = client.get(url(school, "schedule:my_courses")).content.decode()
    assert "5А" in html and "6Б" in html and "7В" not in html


def fill_school(school, classes):
    teachers = [make_member(school, Role.TEACHER) for _ in range(3)]
    subjects = [make_subject(school, name) for name in ("Математика", "Физика", "История")]
    for n in range(classes):
        school_class = make_class(school, 5 + n % 6, "АБВГДЕ"[n // 6])
        for i, subject in enumerate(subjects):
            make_course(school_class, subject, teachers=teachers[i : i + 2], hours_per_year=68)


@pytest.mark.parametrize("classes", [1, 12])
def test_the_course_list_costs_the_same_queries_whatever_its_size(
    client, django_assert_num_queries, classes
):
    with scopes_disabled():
        school = make_school()
        fill_school(school, classes)
    client.force_login(make_member(school, Role.DEPUTY))
    page = url(school, "schedule:courses")
    client.get(page)
    # user; years; classes for the filter; the page's count and classes; courses; teachers.
    with django_assert_num_queries(QUERIES_COURSE_LIST):
        response = client.get(page)
    shown = min(classes, CLASSES_PER_PAGE)
    assert response.content.decode().count("68</td>") == shown * 3
    with scopes_disabled():
        assert Subject.objects.filter(school=school).count() == 3


# The school and the user's roles come from the cache (accounts.tenancy), not queries.
QUERIES_COURSE_LIST = 7


def test_the_course_list_comes_a_page_of_classes_at_a_time(client, monkeypatch):
    monkeypatch.setattr(courses_views, "CLASSES_PER_PAGE", 2)
    with scopes_disabled():
        school = make_school()
        fill_school(school, 5)
    client.force_login(make_member(school, Role.DEPUTY))
    pages = [
        client.get(url(school, "schedule:courses"), {"page": n}).content.decode()
        for n in (1, 2, 3, 4)
    ]
    assert [p.count("68</td>") for p in pages] == [6, 6, 3, 3]  # past the end: the last
    assert "страница 1 из 3" in pages[0] and "дальше" in pages[0]
    assert "страница 3 из 3" in pages[2] and "назад" in pages[2]
    # The pager keeps the chosen year.
    with scopes_disabled():
        year = school.years.get()
    html = client.get(url(school, "schedule:courses"), {"year": year.pk}).content.decode()
    assert f"year={year.pk}&amp;page=2" in html
