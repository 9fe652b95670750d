"""The register of course works: records created and changed through their forms (bad input
refused in Russian, nothing saved), kept in history, printed and exported, and read by whom
it concerns at a fixed cost."""

import io

import pytest
from django_scopes import scopes_disabled
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.navigation import school_reverse
from grading.models import CourseWork

from .practice_builders import add_works, college

pytestmark = pytest.mark.django_db


def form(place, **fields):
    data = {
        "course": place.course.pk,
        "pupil": place.students[0].pk,
        "topic": "Разработка технологического процесса изготовления вала",
        "supervisor": place.users["supervisor"].pk,
        "handed_in": place.day(30).isoformat(),
        "defended": place.day(35).isoformat(),
        "mark": "5",
    }
    data.update(fields)
    return data


def works():
    with scopes_disabled():
        return list(CourseWork.objects.order_by("pk"))


def test_the_supervisor_enters_a_course_work_and_the_register_shows_it(client, school):
    place = college(school)
    client.force_login(place.users["supervisor"])
    response = client.post(school_reverse(school, "grading:course_work_new"), form(place))
    assert response.status_code == 302
    [work] = works()
    assert (work.mark, work.defended, work.supervisor_id) == (
        5,
        place.day(35),
        place.users["supervisor"].pk,
    )
    register = client.get(school_reverse(school, "reports:course_works"))
    assert "Разработка технологического процесса изготовления вала" in register.text
    assert place.day(35).strftime("%d.%m.%Y") in register.text


@pytest.mark.parametrize(
    "fields,message",
    [
        (
            {"handed_in": "", "defended": "2000-01-01"},
            "Работа не может быть защищена, пока она не сдана",
        ),
        ({"mark": "7"}, "Оценка — одна из «2», «3», «4», «5»."),
        ({"mark": "1"}, "Оценка — одна из «2», «3», «4», «5»."),
        ({"defended": "", "mark": "4"}, "Оценка ставится по итогам защиты"),
        ({"topic": ""}, "Укажите тему курсовой работы."),
        ({"handed_in": "2100-12-31"}, "вне учебного года"),
        ({"handed_in": "31.02.2027"}, "Введите правильную дату."),
    ],
    ids=[
        "defended-not-handed-in",
        "mark-seven",
        "mark-one",
        "mark-before-defence",
        "no-topic",
        "outside-the-year",
        "no-such-date",
    ],
)
def test_bad_input_is_refused_in_russian_and_nothing_is_saved(client, school, fields, message):
    place = college(school)
    client.force_login(place.users["deputy"])
    response = client.post(school_reverse(school, "grading:course_work_new"), form(place, **fields))
    assert response.status_code == 400
    assert message in response.text
    assert works() == []


def test_a_defence_before_the_hand_in_is_refused_with_both_dates(client, school):
    place = college(school)
    client.force_login(place.users["supervisor"])
    data = form(place, handed_in=place.day(30).isoformat(), defended=place.day(29).isoformat())
    response = client.post(school_reverse(school, "grading:course_work_new"), data)
    assert response.status_code == 400
    expected = f"Дата защиты {place.day(29):%d.%m.%Y} раньше даты сдачи {place.day(30):%d.%m.%Y}."
    assert expected in response.text
    assert works() == []


def test_a_student_of_another_group_is_refused(client, school):
    place = college(school)
    from tests.factories import make_pupil

    stranger = make_pupil(school, place.other_group, start=place.year.start)
    client.force_login(place.users["deputy"])
    response = client.post(
        school_reverse(school, "grading:course_work_new"), form(place, pupil=stranger.pk)
    )
    assert response.status_code == 400
    assert "Студент не учится в группе ТМ-21." in response.text


def test_a_teacher_may_not_name_another_supervisor_or_another_teachers_course(client, school):
    place = college(school)
    client.force_login(place.users["supervisor"])
    response = client.post(
        school_reverse(school, "grading:course_work_new"),
        form(place, supervisor=place.users["other_teacher"].pk),
    )
    assert response.status_code == 400
    assert "Такого варианта нет в списке" in response.text
    assert works() == []


def test_a_second_work_of_the_student_in_the_discipline_is_refused(client, school):
    place = college(school)
    add_works(place, 1)
    client.force_login(place.users["deputy"])
    response = client.post(school_reverse(school, "grading:course_work_new"), form(place))
    assert response.status_code == 400
    assert "курсовая работа по этой дисциплине уже есть" in response.text
    assert len(works()) == 1


def test_a_change_of_the_mark_is_kept_in_history_with_who_made_it(client, school):
    place = college(school)
    [work] = add_works(place, 1)
    client.force_login(place.users["supervisor"])
    url = school_reverse(school, "grading:course_work_edit", pk=work.pk)
    assert client.get(url).status_code == 200
    response = client.post(url, form(place, mark="3"))
    assert response.status_code == 302
    with scopes_disabled():
        work.refresh_from_db()
        history = list(work.history.order_by("history_date"))
    assert work.mark == 3
    assert [h.mark for h in history] == [5, 3]
    assert history[-1].history_user == place.users["supervisor"]


def test_a_bad_change_keeps_the_record_as_it_was(client, school):
    place = college(school)
    [work] = add_works(place, 1)
    client.force_login(place.users["deputy"])
    url = school_reverse(school, "grading:course_work_edit", pk=work.pk)
    response = client.post(url, form(place, defended=place.day(1).isoformat(), mark="2"))
    assert response.status_code == 400
    assert "раньше даты сдачи" in response.text
    with scopes_disabled():
        work.refresh_from_db()
    assert (work.mark, work.defended) == (5, place.day(25))


def test_the_register_prints_as_pdf_with_the_students_topics_and_marks(client, school):
    place = college(school)
    add_works(place, 2)
    client.force_login(place.users["deputy"])
    response = client.get(school_reverse(school, "reports:course_works"), {"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Реестр курсовых работ" in text
    assert "Студентов000 Пётр" in text and "Студентов001 Пётр" in text
    assert "Проект участка № 1" in text
    assert place.day(25).strftime("%d.%m.%Y") in text
    assert "Работ: 2, защищено: 2, оценено: 2." in text


def test_the_register_exports_to_xlsx_with_dates_as_dates_and_marks_as_numbers(client, school):
    place = college(school)
    add_works(place, 2)
    client.force_login(place.users["curator"])
    response = client.get(school_reverse(school, "reports:course_works"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows.index(
        ("Группа", "Студент", "Дисциплина", "Тема", "Руководитель", "Сдана", "Защищена", "Оценка")
    )
    first = rows[header + 1]
    assert first[:4] == (
        "ТМ-21",
        "Студентов000 Пётр",
        "Технология машиностроения",
        "Проект участка № 0",
    )
    assert first[5].date() == place.day(20) and first[6].date() == place.day(25)
    assert first[7] == 5 and isinstance(first[7], int)


def test_the_supervisor_sees_only_their_own_works_and_the_edit_links_of_them(client, school):
    place = college(school)
    add_works(place, 1)
    client.force_login(place.users["other_teacher"])
    mine = client.get(school_reverse(school, "reports:course_works"))
    assert mine.status_code == 200
    assert "Проект участка № 0" not in mine.text
    client.force_login(place.users["supervisor"])
    theirs = client.get(school_reverse(school, "reports:course_works"))
    assert "Проект участка № 0" in theirs.text
    assert "/edit/" in theirs.text


def test_the_curator_reads_the_groups_register_without_edit_links(client, school):
    place = college(school)
    add_works(place, 1)
    client.force_login(place.users["curator"])
    response = client.get(
        school_reverse(school, "reports:course_works"), {"scope": f"class:{place.group.pk}"}
    )
    assert "Проект участка № 0" in response.text
    assert "course-works/" not in response.text.split("<table", 1)[1]


# The session, the user's roles, the years, the choices of the form, the works (one query);
# a group's register looks its group up once more.
REGISTER_QUERIES = {"school": 7, "class": 8}


@pytest.mark.parametrize("size", [2, 20])
@pytest.mark.parametrize("scope", ["school", "class"])
def test_the_register_costs_a_fixed_number_of_queries(
    client, school, django_assert_num_queries, scope, size
):
    place = college(school, size)
    add_works(place)
    client.force_login(place.users["deputy"])
    query = {"scope": "school" if scope == "school" else f"class:{place.group.pk}"}
    url = school_reverse(school, "reports:course_works")
    client.get(url, query)  # the session and the remembered choice settle
    with django_assert_num_queries(REGISTER_QUERIES[scope]):
        response = client.get(url, query)
    assert response.text.count("Проект участка") == size
