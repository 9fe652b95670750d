"""The timetable from a CSV or XLSX file: a preview with per-row errors, then all or the good."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from accounts.models import Role
from accounts.navigation import school_reverse
from schedule.models import TimetableEntry
from schedule.services.timetable.imports import check_import, read_import, save_import
from tests.factories import make_member

from .timetable_factories import (
    class_in,
    course_of,
    entry_of,
    make_room,
    make_teacher,
    subgroup_of,
)

pytestmark = pytest.mark.django_db

HEADER = "Класс;Предмет;Подгруппа;День;Урок;Кабинет;Учитель;Недели"


@pytest.fixture
def setup(school):
    six_b = class_in(school, 6, "Б")
    ivanova = make_teacher(school)
    petrov = make_teacher(school, "Петров", "Пётр", "Петрович")
    course_of(six_b, teachers=[ivanova])
    course_of(six_b, "Физика", [petrov])
    course_of(six_b, "Английский язык", [make_teacher(school, "Смит")], subgroup_of(six_b))
    course_of(
        six_b,
        "Английский язык",
        [make_teacher(school, "Браун")],
        subgroup_of(six_b, name="Группа 2"),
    )
    for name in ("12", "14", "21", "22"):
        make_room(school, name)
    return six_b


def csv_rows(*lines):
    return read_import("timetable.csv", "\n".join([HEADER, *lines]).encode("utf-8"))


def check(school, year, rows, **kwargs):
    with scopes_disabled():
        return check_import(school, year, rows, **kwargs)


def test_each_bad_row_says_what_is_wrong_in_russian(school, setup):
    rows = csv_rows(
        "6Б;Математика;;пн;1;12;Иванова М. П.;",
        "6Я;Математика;;пн;2;12;;",
        "6Б;Астрономия;;пн;2;12;;",
        "6Б;Физика;;пн;2;99;;",
        "6Б;Физика;;понедельничек;2;12;;",
        "6Б;Физика;;вс;2;12;;",
        "6Б;Физика;;вт;2;12;Сидоров;",
        "6Б;Физика;;вт;2;12;Иванова М. П.;",
        "6Б;Физика;;вт;х;12;;",
        "6Б;Физика;;пн;1;14;;",
        "6Б;Английский язык;;ср;1;21;;",
    )

    results = check(school, setup.year, rows)

    assert [r.errors for r in results] == [
        [],
        ["Неизвестный класс «6Я» в учебном году 2025/2026."],
        ["Неизвестный предмет «Астрономия»."],
        ["Неизвестный кабинет «99»."],
        [
            "Неверный день недели «понедельничек»: нужен день с понедельника по субботу "
            "(пн … сб или 1–6)."
        ],
        ["Неверный день недели «вс»: нужен день с понедельника по субботу (пн … сб или 1–6)."],
        ["Неизвестный учитель «Сидоров»."],
        ["Иванова М. П. не ведёт курс 6Б Физика."],
        ["Неверный номер урока «х»: нужно число от 0 до 12."],
        ["У класса 6Б уже стоит 6Б Математика в понедельник, 1-й урок (каб. 12)."],
        ["У класса 6Б несколько курсов «Английский язык»: укажите подгруппу."],
    ]
    assert [r.line for r in results][:2] == [2, 3]


def test_a_clash_with_the_saved_timetable_is_found(school, setup):
    with scopes_disabled():
        from schedule.models import Course

        maths = Course.objects.get(subject__name="Математика")
    entry_of(maths, weekday=2, number=5)

    [result] = check(school, setup.year, csv_rows("6Б;Физика;;вт;5;14;;"))

    assert result.errors == ["У класса 6Б уже стоит 6Б Математика во вторник, 5-й урок."]


def test_subgroups_of_the_class_may_share_a_slot(school, setup):
    results = check(
        school,
        setup.year,
        csv_rows(
            "6Б;Английский язык;Группа 1;ср;1;21;;",
            "6Б;Английский язык;Группа 2;ср;1;22;;нечётные",
        ),
    )

    assert [r.errors for r in results] == [[], []]


def test_nothing_is_saved_from_a_file_with_errors(school, setup):
    rows = csv_rows("6Б;Математика;;пн;1;12;;", "6Б;Астрономия;;пн;2;12;;")

    with scopes_disabled():
        with pytest.raises(ValidationError) as error:
            save_import(school, setup.year, rows)
        assert TimetableEntry.objects.count() == 0
    assert "ничего не сохранено" in error.value.messages[0]


def test_the_good_rows_are_saved_when_asked(school, setup):
    rows = csv_rows("6Б;Математика;;пн;1;12;;", "6Б;Астрономия;;пн;2;12;;", "6Б;Физика;;вт;2;;;")

    with scopes_disabled():
        saved = save_import(school, setup.year, rows, only_good=True)
        assert list(
            TimetableEntry.objects.order_by("weekday").values_list(
                "course__subject__name", "weekday", "number"
            )
        ) == [("Математика", 1, 1), ("Физика", 2, 2)]
    assert saved.created == 2


def test_replacing_drops_the_classes_old_entries_and_ignores_their_clashes(school, setup):
    with scopes_disabled():
        from schedule.models import Course

        maths = Course.objects.get(subject__name="Математика")
    entry_of(maths, weekday=1, number=1)

    with scopes_disabled():
        saved = save_import(school, setup.year, csv_rows("6Б;Физика;;пн;1;12;;"), replace=True)
        assert list(TimetableEntry.objects.values_list("course__subject__name", flat=True)) == [
            "Физика"
        ]
    assert (saved.created, saved.removed) == (1, 1)


def test_an_xlsx_file_is_read_like_a_csv(school, setup):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    sheet.append(["6Б", "Математика", None, "Понедельник", 1, 12, None, "каждую"])
    buffer = io.BytesIO()
    book.save(buffer)

    rows = read_import("timetable.xlsx", buffer.getvalue())

    assert rows[0]["values"]["number"] == "1" and rows[0]["values"]["room"] == "12"
    assert check(school, setup.year, rows)[0].errors == []


def test_a_file_without_the_needed_columns_is_refused(school, setup):
    with pytest.raises(ValidationError) as error:
        read_import("t.csv", "Класс;Предмет\n6Б;Математика".encode())
    assert "В файле нет столбцов: День, Урок." in error.value.messages[0]


def test_the_deputy_previews_then_saves_the_good_rows(client, school, setup):
    client.force_login(make_member(school, Role.DEPUTY))
    content = "\n".join([HEADER, "6Б;Математика;;пн;1;12;;", "6Б;Астрономия;;пн;2;12;;"])
    upload = SimpleUploadedFile("timetable.csv", content.encode("cp1251"), "text/csv")

    preview = client.post(
        school_reverse(school, "schedule:timetable_import"),
        {"year": setup.year_id, "file": upload},
    )
    token = preview.context["pending"]["token"]
    refused = client.post(
        school_reverse(school, "schedule:timetable_import_confirm"),
        {"token": token, "mode": "all"},
    )
    with scopes_disabled():
        assert TimetableEntry.objects.count() == 0
    saved = client.post(
        school_reverse(school, "schedule:timetable_import_confirm"),
        {"token": token, "mode": "good"},
    )

    assert preview.status_code == 200
    assert "Неизвестный предмет «Астрономия»." in preview.content.decode()
    assert refused.status_code == 400
    assert saved.status_code == 302
    with scopes_disabled():
        assert TimetableEntry.objects.count() == 1
    assert "timetable_import" not in client.session


def test_a_row_the_database_refuses_costs_only_that_row(school, setup):
    from .test_imports import refuse_in_the_database

    refuse_in_the_database("schedule_timetableentry", "number <> 5")
    rows = csv_rows("6Б;Математика;;пн;1;12;;", "6Б;Физика;;пн;5;14;;", "6Б;Физика;;вт;2;;;")
    with scopes_disabled():
        saved = save_import(school, setup.year, rows, only_good=True)
        assert saved.created == 2 and saved.refused == [3]
        assert sorted(TimetableEntry.objects.values_list("number", flat=True)) == [1, 2]
        with pytest.raises(ValidationError, match="ничего не сохранено"):
            save_import(school, setup.year, rows, replace=True)
        assert TimetableEntry.objects.count() == 2
