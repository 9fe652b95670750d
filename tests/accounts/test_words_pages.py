"""The teacher's and the family's pages in the school's words: «Сегодня», the grid's notes,
the final marks and the empty diary say группа, куратор, преподаватель, дисциплина in a
college and класс, классный руководитель, учитель, предмет in a school (accounts.words)."""

import pytest
from django.test import Client

from accounts.models import Role, School
from accounts.navigation import school_reverse
from tests.factories import make_member, make_school
from tests.journal.grid_builders import build_journal

pytestmark = pytest.mark.django_db

COLLEGE, SCHOOL = School.Kind.COLLEGE, School.Kind.SCHOOL


@pytest.fixture(params=[SCHOOL, COLLEGE])
def kind(request):
    return request.param


def other(kind):
    return SCHOOL if kind == COLLEGE else COLLEGE


def says(text, expected, kind):
    assert expected[kind] in text, expected[kind]
    assert expected[other(kind)] not in text, expected[other(kind)]


def journal_of(kind, **kwargs):
    return build_journal(pupils=1, lessons=2, school=make_school(kind=kind), recent=True, **kwargs)


def test_the_today_page_heads_its_course_column_in_the_schools_words(kind):
    journal = journal_of(kind)
    page = journal.client_for(journal.teacher).get(school_reverse(journal.school, "journal:today"))
    says(
        page.content.decode(),
        {SCHOOL: "<th>Класс и предмет</th>", COLLEGE: "<th>Группа и дисциплина</th>"},
        kind,
    )


def test_the_grids_legend_names_who_gives_the_reasons_of_absences_in_the_schools_words(kind):
    journal = journal_of(kind)
    text = journal.client_for(journal.teacher).get(journal.url()).content.decode()
    says(
        text,
        {
            SCHOOL: "Причины пропусков (б, у) указывает классный руководитель.",
            COLLEGE: "Причины пропусков (б, у) указывает куратор.",
        },
        kind,
    )


def test_a_grid_without_marks_says_the_group_learns_without_marks(kind):
    journal = journal_of(kind, no_marks=True)
    text = journal.client_for(journal.teacher).get(journal.url()).content.decode()
    name = journal.school_class.name
    says(
        text,
        {SCHOOL: f"Класс {name} учится без отметок", COLLEGE: f"Группа {name} учится без отметок"},
        kind,
    )


def test_the_final_marks_page_says_who_confirmed_a_mark_in_the_schools_words(kind):
    journal = journal_of(kind)
    page = journal.client_for(journal.teacher).get(journal.url("grading:finals"))
    assert page.status_code == 200
    says(
        page.content.decode(),
        {SCHOOL: "подтверждена учителем при", COLLEGE: "подтверждена преподавателем при"},
        kind,
    )


def test_an_empty_diary_sends_the_family_to_the_class_teacher_or_the_curator(kind):
    school = make_school(kind=kind)
    client = Client()
    client.force_login(make_member(school, Role.PARENT))
    page = client.get(school_reverse(school, "journal:diary"))
    assert page.status_code == 200
    says(
        page.content.decode(),
        {
            SCHOOL: "Код доступа выдаёт классный руководитель.",
            COLLEGE: "Код доступа выдаёт куратор.",
        },
        kind,
    )
