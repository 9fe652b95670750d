"""Loading a plan from CSV or XLSX: a preview with per-row errors, then a confirmation."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from openpyxl import Workbook

from accounts.navigation import school_reverse
from journal.models import PlanTopic
from journal.services.plan.imports import parse_plan_table

from .plan_builders import lessons_for, teacher_course, topics_for
from .test_plan import take, titles

pytestmark = pytest.mark.django_db


def csv_file(text, name="ktp.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows, name="ktp.xlsx"):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def course_and_teacher(school):
    teacher, course = teacher_course(school, hours=4)
    return course, teacher


def upload(client, school, course, file, replace=False):
    data = {"file": file}
    if replace:
        data["replace"] = "on"
    return client.post(school_reverse(school, "journal:plan_import", pk=course.pk), data)


def confirm_data(response):
    form = response.context["confirm"]
    return {"rows": form.initial["rows"], "replace": "on" if form.initial["replace"] else ""}


def test_a_good_csv_is_previewed_then_loaded(client, school, course_and_teacher):
    course, teacher = course_and_teacher
    client.force_login(teacher)
    text = "№;Тема;Часы;Тип урока\n1;Натуральные числа;2;урок\n2;Контрольная работа № 1;1;к/р\n"
    response = upload(client, school, course, csv_file(text))
    assert response.status_code == 200
    assert "Натуральные числа" in response.text
    assert titles(course) == []  # nothing saved before the confirmation

    response = client.post(
        school_reverse(school, "journal:plan_import", pk=course.pk), confirm_data(response)
    )
    assert response.status_code == 302
    with scopes_disabled():
        got = list(
            PlanTopic.objects.filter(course=course)
            .order_by("position")
            .values_list("title", "hours", "kind")
        )
        assert got == [("Натуральные числа", 2, "lesson"), ("Контрольная работа № 1", 1, "test")]
        assert PlanTopic.history.filter(history_user=teacher).count() == 2


def test_bad_rows_are_named_in_russian_and_nothing_is_loaded(client, school, course_and_teacher):
    course, teacher = course_and_teacher
    client.force_login(teacher)
    text = (
        "Тема;Часы;Тип\n"
        "Натуральные числа;2;урок\n"
        ";1;урок\n"
        "Дроби;два;урок\n"
        "Проценты;1;контрольна\n"
        "Уравнения;0,5;\n"
    )
    response = upload(client, school, course, csv_file(text))
    assert response.status_code == 400
    page = response.text
    assert "Строка 3: не указана тема." in page
    assert "Строка 4: часы — целое число от 1 до 99, а не «два»." in page
    assert "Строка 5: неизвестный тип урока «контрольна»" in page
    assert "Строка 6: часы — целое число от 1 до 99, а не «0,5»." in page
    assert "ничего не загружено" in page
    assert response.context["confirm"] is None
    assert titles(course) == []


def test_an_xlsx_without_a_header_and_in_windows_encoding_csv_are_read(
    client, school, course_and_teacher
):
    course, teacher = course_and_teacher
    client.force_login(teacher)
    response = upload(
        client, school, course, xlsx_file([[1, "Числа", 2, "Урок"], [2, "Дроби", 1.0, None]])
    )
    assert response.status_code == 200
    rows = json.loads(response.context["confirm"].initial["rows"])
    assert rows == [
        {"title": "Числа", "hours": 2, "kind": "lesson"},
        {"title": "Дроби", "hours": 1, "kind": "lesson"},
    ]
    response = upload(client, school, course, csv_file("Тема,Часы\nДиктант,1\n", encoding="cp1251"))
    assert response.status_code == 200
    assert json.loads(response.context["confirm"].initial["rows"])[0]["title"] == "Диктант"


def test_a_file_of_another_type_or_a_damaged_one_is_refused(client, school, course_and_teacher):
    course, teacher = course_and_teacher
    client.force_login(teacher)
    response = upload(client, school, course, SimpleUploadedFile("ktp.doc", b"x"))
    assert response.status_code == 400
    assert "Загрузите файл CSV или XLSX." in response.text
    response = upload(client, school, course, SimpleUploadedFile("ktp.xlsx", b"not a zip"))
    assert response.status_code == 400
    assert "Не удалось прочитать файл XLSX: он повреждён" in response.text


def test_a_tampered_confirmation_is_refused(client, school, course_and_teacher):
    course, teacher = course_and_teacher
    client.force_login(teacher)
    url = school_reverse(school, "journal:plan_import", pk=course.pk)
    bad = json.dumps([{"title": "", "hours": 1, "kind": "lesson"}])
    response = client.post(url, {"rows": bad})
    assert response.status_code == 400
    assert "загрузите файл снова" in response.text
    assert titles(course) == []


FORGED = {
    "infinite hours": '[{"title": "Дроби", "hours": Infinity, "kind": "lesson"}]',
    "hours as text": '[{"title": "Дроби", "hours": "1", "kind": "lesson"}]',
    "hours as true": '[{"title": "Дроби", "hours": true, "kind": "lesson"}]',
    "hours as 1.5": '[{"title": "Дроби", "hours": 1.5, "kind": "lesson"}]',
    "a title of 600": json.dumps([{"title": "я" * 600, "hours": 1, "kind": "lesson"}]),
    "a NUL in the title": json.dumps([{"title": "Дро\x00би", "hours": 1, "kind": "lesson"}]),
    "a title as a list": '[{"title": ["Дроби"], "hours": 1, "kind": "lesson"}]',
    "an unknown kind": '[{"title": "Дроби", "hours": 1, "kind": {"x": 1}}]',
    "nested past sense": "[" * 100_000 + "]" * 100_000,
    "an object": '{"title": "Дроби"}',
    "too many rows": json.dumps([{"title": "Т", "hours": 1, "kind": "lesson"}] * 1001),
}


@pytest.mark.parametrize("forged", list(FORGED))
def test_forged_confirmation_data_is_refused_with_a_message(
    client, school, course_and_teacher, forged
):
    course, teacher = course_and_teacher
    client.force_login(teacher)
    url = school_reverse(school, "journal:plan_import", pk=course.pk)
    response = client.post(url, {"rows": FORGED[forged]})
    assert response.status_code == 400
    assert "загрузите файл снова" in response.text or "не более" in response.text
    assert titles(course) == []


def test_a_plan_in_use_is_added_to_but_not_replaced(client, school, course_and_teacher):
    course, teacher = course_and_teacher
    (numbers,) = topics_for(course, ("Числа", 1), user=teacher)
    take(lessons_for(course, 1)[0], numbers, teacher)
    client.force_login(teacher)
    url = school_reverse(school, "journal:plan_import", pk=course.pk)
    rows = json.dumps([{"title": "Дроби", "hours": 1, "kind": "lesson"}])

    response = client.post(url, {"rows": rows, "replace": "on"})
    assert response.status_code == 400
    assert "заменить его нельзя" in response.text
    response = client.post(url, {"rows": rows})
    assert response.status_code == 302
    assert titles(course) == ["Числа", "Дроби"]


def test_a_header_names_its_columns_in_any_order():
    parsed = parse_plan_table(
        [["Тип", "Кол-во часов", "Тема урока"], ["диктант", "1", "Диктант № 1"]]
    )
    assert parsed.ok
    assert parsed.rows[0] | {"ok": True} == {
        "line": 2,
        "title": "Диктант № 1",
        "hours": 1,
        "kind": "dictation",
        "ok": True,
    }
