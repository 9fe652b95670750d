"""The report pages head their columns and titles in the school's words: a college's say
группа, преподаватель, дисциплина, куратор; a school's класс, учитель, предмет, классный
руководитель (accounts.words, asked of the Selection's school)."""

import re

import pytest
from django.test import Client

from accounts.models import Role, School
from accounts.navigation import school_reverse
from tests.factories import make_class, make_course, make_member, make_pupil, make_school

pytestmark = pytest.mark.django_db

COLLEGE, SCHOOL = School.Kind.COLLEGE, School.Kind.SCHOOL


@pytest.fixture(params=[SCHOOL, COLLEGE])
def kind(request):
    return request.param


def other(kind):
    return SCHOOL if kind == COLLEGE else COLLEGE


def report(kind, name, *, scope_class=False):
    """The report page `name` of a school of `kind` with one class, a course and a pupil, as
    its deputy sees it; the page's text."""
    return response_of(kind, name, scope_class=scope_class).content.decode()


def response_of(kind, name, *, scope_class=False):
    school = make_school(kind=kind)
    group = make_class(school, 2, "ТМ-21")
    make_course(group, teachers=[make_member(school, Role.TEACHER)])
    make_pupil(school, group)
    client = Client()
    client.force_login(make_member(school, Role.DEPUTY))
    query = {"scope": f"class:{group.pk}"} if scope_class else {}
    response = client.get(school_reverse(school, f"reports:{name}"), query)
    assert response.status_code == 200
    return response


def headings(text):
    """The texts of the page's column headings."""
    return {
        re.sub(r"<[^>]+>|\s+", " ", h).strip()
        for h in re.findall(r"<th[^>]*>(.*?)</th>", text, re.S)
    }


CLASS = {SCHOOL: "Класс", COLLEGE: "Группа"}
TEACHER = {SCHOOL: "Учитель", COLLEGE: "Преподаватель"}
SUBJECT = {SCHOOL: "Предмет", COLLEGE: "Дисциплина"}


@pytest.mark.parametrize("name", ["progress", "attendance", "movement", "activity"])
def test_a_report_by_class_heads_its_class_column_in_the_schools_word(kind, name):
    shown = headings(report(kind, name))
    assert CLASS[kind] in shown
    assert CLASS[other(kind)] not in shown


def test_the_progress_by_subjects_names_its_teachers_and_title_in_the_schools_words(kind):
    text = report(kind, "progress_subjects")
    assert TEACHER[kind] in headings(text) and CLASS[kind] in headings(text)
    title = {SCHOOL: "Успеваемость по предметам", COLLEGE: "Успеваемость по дисциплинам"}
    assert title[kind] in text and title[other(kind)] not in text


def test_the_progress_by_teachers_names_its_subjects_and_title_in_the_schools_words(kind):
    text = report(kind, "progress_teachers")
    assert SUBJECT[kind] in headings(text)
    title = {SCHOOL: "Успеваемость по учителям", COLLEGE: "Успеваемость по преподавателям"}
    assert title[kind] in text and title[other(kind)] not in text


def test_the_substitutions_report_says_subject_and_teacher_in_the_schools_words(kind):
    shown = headings(report(kind, "substitutions"))
    expected = {SCHOOL: "Предмет / учитель", COLLEGE: "Дисциплина / преподаватель"}
    assert expected[kind] in shown and expected[other(kind)] not in shown


@pytest.mark.parametrize("name", ["ledger", "attendance_ledger"])
def test_a_groups_ledger_is_titled_and_described_in_the_schools_word(kind, name):
    response = response_of(kind, name, scope_class=True)
    title = response.context["document"].title  # the printed ledger's heading
    expected = {SCHOOL: "ТМ-21 класса", COLLEGE: "группы ТМ-21"}
    assert title.endswith(expected[kind]) and expected[other(kind)] not in title
    text = response.content.decode()
    assert f"{CLASS[kind]}: " in text and f"{CLASS[other(kind)]}: " not in text


def test_the_class_teachers_report_is_the_curators_in_a_college(kind):
    text = report(kind, "class_report", scope_class=True)
    expected = {SCHOOL: "Отчёт классного руководителя", COLLEGE: "Отчёт куратора"}
    assert expected[kind] in text and expected[other(kind)] not in text


def test_a_groups_attendance_totals_it_in_the_schools_word(kind):
    text = report(kind, "attendance", scope_class=True)
    expected = {SCHOOL: "Итого по классу", COLLEGE: "Итого по группе"}
    assert expected[kind] in text and expected[other(kind)] not in text


def test_the_list_of_reports_describes_them_in_the_schools_words(kind):
    school = make_school(kind=kind)
    client = Client()
    client.force_login(make_member(school, Role.DEPUTY))
    text = client.get(school_reverse(school, "reports:index")).content.decode()
    expected = {
        SCHOOL: (
            "Отчёт классного руководителя",
            "те же показатели по предметам",
            "класс: обучающиеся × предметы",
        ),
        COLLEGE: (
            "Отчёт куратора",
            "те же показатели по дисциплинам",
            "группа: обучающиеся × дисциплины",
        ),
    }
    for words in expected[kind]:
        assert words in text, words
    for words in expected[other(kind)]:
        assert words not in text, words


@pytest.mark.parametrize(
    "name, school_says, college_says",
    [
        ("hours", "проведённые другим учителем", "проведённые другим преподавателем"),
        ("substitutions", "Учитель — ведущий курс", "Преподаватель — ведущий курс"),
        ("activity", "обучающихся класса на сегодня", "обучающихся группы на сегодня"),
    ],
)
def test_a_reports_footnote_explains_it_in_the_schools_words(kind, name, school_says, college_says):
    text = report(kind, name)
    expected = {SCHOOL: school_says, COLLEGE: college_says}
    assert expected[kind] in text and expected[other(kind)] not in text


def test_the_movement_report_counts_transfers_and_explains_itself_in_the_schools_words(kind):
    text = report(kind, "movement")
    transfers = {SCHOOL: "из др. классов", COLLEGE: "из др. групп"}
    assert transfers[kind] in headings(text) and transfers[other(kind)] not in headings(text)
    enrolled = {SCHOOL: "зачислен в класс", COLLEGE: "зачислен в группу"}
    assert enrolled[kind] in text and enrolled[other(kind)] not in text
    size = {SCHOOL: "в среднем на класс", COLLEGE: "в среднем на группу"}
    assert size[kind] in text and size[other(kind)] not in text


def test_the_risk_list_explains_itself_in_the_schools_words(kind):
    text = report(kind, "risk")
    expected = {SCHOOL: "по какому-либо предмету", COLLEGE: "по какой-либо дисциплине"}
    assert expected[kind] in text and expected[other(kind)] not in text
