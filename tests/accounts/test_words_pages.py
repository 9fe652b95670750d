"""The teacher's and the family's pages in the school's words: «Сегодня», the grid's notes,
the final marks and the empty diary say группа, куратор, преподаватель, дисциплина in a
college and класс, классный руководитель, учитель, предмет in a school (accounts.words)."""

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from accounts.models import Role, School
from accounts.navigation import school_reverse
from grading.policy import Rights, lesson_verdict
from journal.services.messaging import allowed_recipients
from tests.factories import make_member, make_school
from tests.journal.grid_builders import build_journal
from tests.reports.builders import build_family

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


def deputys_page(school, name, **kwargs):
    client = Client()
    client.force_login(make_member(school, Role.DEPUTY))
    page = client.get(school_reverse(school, name, **kwargs))
    assert page.status_code == 200
    return page.content.decode()


def test_the_form_of_a_new_group_labels_its_course_and_curator_in_a_college(kind):
    text = deputys_page(make_school(kind=kind), "schedule:class_create")
    says(text, {SCHOOL: "Новый класс", COLLEGE: "Новая группа"}, kind)
    says(text, {SCHOOL: ">Классный руководитель", COLLEGE: ">Куратор"}, kind)
    says(text, {SCHOOL: ">Параллель (год обучения)", COLLEGE: ">Курс:"}, kind)


def test_the_form_of_a_group_and_its_enrolment_name_it_a_group_in_a_college(kind):
    journal = journal_of(kind)
    name = journal.school_class.name
    edit = deputys_page(journal.school, "schedule:class_edit", pk=journal.school_class.pk)
    says(edit, {SCHOOL: f"Класс {name}", COLLEGE: f"Группа {name}"}, kind)
    enrol = deputys_page(journal.school, "schedule:class_enrol", pk=journal.school_class.pk)
    says(
        enrol, {SCHOOL: f"Зачисление в класс {name}", COLLEGE: f"Зачисление в группу {name}"}, kind
    )


def test_the_course_form_labels_its_group_discipline_and_teachers_in_the_schools_words(kind):
    text = deputys_page(make_school(kind=kind), "schedule:course_create")
    says(text, {SCHOOL: ">Класс:", COLLEGE: ">Группа:"}, kind)
    says(text, {SCHOOL: ">Предмет:", COLLEGE: ">Дисциплина:"}, kind)
    says(text, {SCHOOL: "Учителя курса ведут", COLLEGE: "Преподаватели курса ведут"}, kind)


def test_a_diary_without_marks_says_there_are_no_subjects_or_disciplines(kind):
    family = build_family(school=make_school(kind=kind), subjects=0)
    client = Client()
    client.force_login(family.parent)
    page = client.get(
        school_reverse(family.school, "journal:diary_marks", pupil=family.pupil.pk),
        {"period": family.period.pk},
    )
    assert page.status_code == 200
    says(
        page.content.decode(),
        {SCHOOL: "Нет предметов за этот период.", COLLEGE: "Нет дисциплин за этот период."},
        kind,
    )


def test_the_lists_of_courses_and_subjects_head_their_columns_in_the_schools_words(kind):
    journal = journal_of(kind)
    courses = deputys_page(journal.school, "schedule:courses")
    says(
        courses,
        {
            SCHOOL: "<th>Предмет</th><th>Учителя</th>",
            COLLEGE: "<th>Дисциплина</th><th>Преподаватели</th>",
        },
        kind,
    )
    says(courses, {SCHOOL: "все классы", COLLEGE: "все группы"}, kind)
    subjects = deputys_page(journal.school, "schedule:subjects")
    says(subjects, {SCHOOL: "<h1>Предметы</h1>", COLLEGE: "<h1>Дисциплины</h1>"}, kind)
    says(subjects, {SCHOOL: "Добавить предмет", COLLEGE: "Добавить дисциплину"}, kind)
    mine = journal.client_for(journal.teacher).get(
        school_reverse(journal.school, "schedule:my_courses")
    )
    says(
        mine.content.decode(),
        {SCHOOL: "<th>Класс</th><th>Предмет</th>", COLLEGE: "<th>Группа</th><th>Дисциплина</th>"},
        kind,
    )


def test_an_empty_list_of_subjects_says_there_are_no_disciplines_in_a_college(kind):
    text = deputys_page(make_school(kind=kind), "schedule:subjects")
    says(text, {SCHOOL: "Предметов пока нет.", COLLEGE: "Дисциплин пока нет."}, kind)


def test_the_journals_refusals_name_the_teacher_and_the_group_in_the_schools_words(kind):
    journal = journal_of(kind, no_marks=True)
    lesson = journal.lessons[-1]
    someone = make_member(journal.school, Role.TEACHER)
    with scopes_disabled():
        not_theirs = lesson_verdict(someone, lesson, "mark", rights=Rights(False, False))
        no_marks = lesson_verdict(journal.teacher, lesson, "mark", rights=Rights(True, False))
        no_homework = lesson_verdict(
            journal.teacher, lesson, "homework", rights=Rights(True, False)
        )
    teacher = {
        SCHOOL: "Отметки ставит учитель урока.",
        COLLEGE: "Отметки ставит преподаватель урока.",
    }
    says(str(not_theirs.reason), teacher, kind)
    name = journal.school_class.name
    group = {
        SCHOOL: f"Класс {name} учится без отметок",
        COLLEGE: f"Группа {name} учится без отметок",
    }
    says(str(no_marks.reason), group, kind)
    homework = {SCHOOL: "В классах без отметок", COLLEGE: "В группах без отметок"}
    says(str(no_homework.reason), homework, kind)


def test_a_parents_recipients_are_the_curator_and_the_teachers_in_the_schools_words(kind):
    family = build_family(school=make_school(kind=kind), subjects=1)
    with scopes_disabled():
        found = allowed_recipients(family.parent, family.school)
    text = " | ".join(f"{r.group}: {r.label}" for r in found)
    lead = {SCHOOL: "Классный руководитель: ", COLLEGE: "Куратор: "}
    says(text, lead, kind)
    says(text, {SCHOOL: "— классный руководитель", COLLEGE: "— куратор"}, kind)
    teacher = {SCHOOL: "Учителя: ", COLLEGE: "Преподаватели: "}
    says(text, teacher, kind)
    says(text, {SCHOOL: "— учитель: ", COLLEGE: "— преподаватель: "}, kind)


def test_the_announcement_form_labels_its_class_in_the_schools_words(kind):
    text = deputys_page(make_school(kind=kind), "journal:announcement_new")
    says(text, {SCHOOL: ">Класс:", COLLEGE: ">Группа:"}, kind)


def test_a_colleges_staff_list_names_its_teachers_and_curators_by_the_colleges_words(kind):
    school = make_school(kind=kind)
    admin = make_member(school, Role.ADMIN)
    make_member(school, Role.TEACHER)
    make_member(school, Role.CLASS_TEACHER)
    client = Client()
    client.force_login(admin)
    page = client.get(school_reverse(school, "accounts:people")).content.decode()
    says(page, {SCHOOL: "Учитель<", COLLEGE: "Преподаватель<"}, kind)
    says(page, {SCHOOL: "Классный руководитель<", COLLEGE: "Куратор<"}, kind)


def test_every_role_has_a_name_in_a_school_and_in_a_college():
    from accounts.words import COLLEGE_WORDS, SCHOOL_WORDS

    for role in Role:
        assert SCHOOL_WORDS.role(role) == role.label
        expected = {"teacher": "Преподаватель", "class_teacher": "Куратор", "pupil": "Студент"}
        assert COLLEGE_WORDS.role(role) == expected.get(role, role.label)
