"""A college's pages say группа, куратор, преподаватель, студент, дисциплина; a school's say
класс, классный руководитель, учитель, ученик, предмет — from one template (accounts.words)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from accounts.models import Role, School
from accounts.words import WORDS, words_for
from tests.factories import make_class, make_course, make_member, make_school
from tests.journal.grid_builders import build_journal

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def page(school, name, **kwargs):
    deputy = make_member(school, Role.DEPUTY)
    return signed_in(deputy).get(reverse(name, kwargs={"school_slug": school.slug, **kwargs}))


@pytest.fixture(params=[School.Kind.SCHOOL, School.Kind.COLLEGE])
def kind(request):
    return request.param


SAYS = {
    School.Kind.SCHOOL: ("Классы", "Классный руководитель", "Ученик", "Предмет"),
    School.Kind.COLLEGE: ("Группы", "Куратор", "Студент", "Дисциплина"),
}


def test_the_list_of_classes_and_the_navigation_use_the_schools_words(kind):
    school = make_school(kind=kind)
    make_class(school, 2, "ТМ-21")
    text = page(school, "schedule:classes").content.decode()
    classes, class_teacher, *_ = SAYS[kind]
    assert f"<h1>{classes}" in text
    assert f">{classes}</a>" in text  # the navigation's entry
    assert class_teacher in text
    other = SAYS[School.Kind.COLLEGE if kind == School.Kind.SCHOOL else School.Kind.SCHOOL]
    assert f"<h1>{other[0]}" not in text and other[1] not in text


def test_a_class_page_names_the_class_its_subjects_and_its_teachers_in_the_schools_words(kind):
    school = make_school(kind=kind)
    group = make_class(school, 2, "ТМ-21")
    make_course(group, teachers=[make_member(school, Role.TEACHER)])
    text = page(school, "schedule:class", pk=group.pk).content.decode()
    word = "Группа" if kind == School.Kind.COLLEGE else "Класс"
    assert f"{word} ТМ-21" in text
    assert SAYS[kind][3] in text


def test_the_journal_grid_heads_its_rows_with_the_schools_word_for_a_pupil(kind):
    journal = build_journal(pupils=1, lessons=2, school=make_school(kind=kind), recent=True)
    text = journal.client_for(journal.teacher).get(journal.url()).content.decode()
    pupil = SAYS[kind][2]
    assert f'class="who">{pupil}</th>' in text


def test_the_control_dashboard_of_a_group_has_its_columns_in_the_colleges_words():
    college = make_school(kind=School.Kind.COLLEGE)
    group = make_class(college, 2, "ТМ-21")
    make_course(group, teachers=[make_member(college, Role.TEACHER)])
    deputy = make_member(college, Role.DEPUTY)
    url = reverse("reports:control", kwargs={"school_slug": college.slug})
    text = signed_in(deputy).get(url, {"scope": f"class:{group.pk}"}).content.decode()
    assert ">Группа</th>" in text and ">Дисциплина</th>" in text
    assert ">Преподаватель</th>" in text and ">Класс</th>" not in text


def test_every_word_has_a_schools_and_a_colleges_form_and_both_are_russian():
    with override("ru"):
        for key in WORDS:
            school_word = words_for(None)[key]
            college_word = words_for(School(kind=School.Kind.COLLEGE))[key]
            assert school_word and college_word and school_word != college_word, key
