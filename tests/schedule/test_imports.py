"""Loading classes and pupils from CSV and XLSX: preview with per-row errors, then saving."""

import io
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Pupil, Role
from schedule.models import BellSchedule, Enrolment, ImportBatch, SchoolClass
from schedule.services import imports

from ..factories import make_class, make_member, make_pupil, make_school, make_year

pytestmark = pytest.mark.django_db

FIRST = 2026

HEADER = ["Фамилия", "Имя", "Отчество", "Дата рождения", "Пол", "Класс", "Номер приказа"]
GOOD = [
    ["Смирнова", "Анна", "Сергеевна", "14.03.2015", "ж", "5А", "112-о"],
    ["Орлов", "Илья", "", "02.11.2014", "м", "5 б", "112-о"],
]
BAD = [
    ["Петров", "Пётр", "", "31.02.2015", "м", "5А", ""],  # no such date
    ["Иванов", "Иван", "", "01.01.2015", "м", "5Д", ""],  # no such class
    ["Смирнова", "Анна", "Сергеевна", "14.03.2015", "ж", "5А", ""],  # repeats line 2
    ["", "Олег", "", "", "", "5А", ""],  # no last name
    ["Старый", "Ученик", "", "05.05.2014", "", "5А", ""],  # already in the school
]


@pytest.fixture
def setup(unscoped):
    school = make_school()
    year = make_year(school, FIRST)
    make_class(school, 5, "А", year=year)
    make_class(school, 5, "Б", year=year)
    make_pupil(school, last_name="Старый", first_name="Ученик", birth_date=date(2014, 5, 5))
    admin = make_member(school, Role.ADMIN)
    return school, year, admin


def url(school, name, **kwargs):
    return reverse(name, kwargs={"school_slug": school.slug, **kwargs})


def csv_bytes(rows, encoding="utf-8-sig", delimiter=";"):
    return "\n".join(delimiter.join(row) for row in rows).encode(encoding)


def xlsx_bytes(rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, school, year, name, content, kind="pupils"):
    return client.post(
        url(school, "schedule:import_upload"),
        {"kind": kind, "year": year.pk, "file": SimpleUploadedFile(name, content)},
    )


def errors_by_line(batch):
    return {r.line: r.errors for r in imports.check_batch(batch) if r.errors}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_with_bad_rows_is_previewed_with_russian_errors_and_saves_nothing(
    client, setup, fmt
):
    school, year, admin = setup
    rows = [HEADER, *GOOD, *BAD]
    content = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    client.force_login(admin)
    response = upload(client, school, year, f"pupils.{fmt}", content)
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    errors = errors_by_line(batch)
    assert set(errors) == {4, 5, 6, 7, 8}
    assert errors[4] == ["Неверная дата рождения «31.02.2015»: нужна дата в виде ДД.ММ.ГГГГ."]
    assert errors[5] == ["Класса «5Д» нет в учебном году 2026/2027."]
    assert errors[6] == ["Повтор: тот же обучающийся в строке 2."]
    assert errors[7] == ["Не указана фамилия."]
    assert errors[8] == ["Старый Ученик уже есть в списке обучающихся школы."]
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert "верных строк: 2, с ошибками: 5" in html
    assert "Сохранить только верные строки" in html
    before = Pupil.objects.count()
    refused = client.post(response["Location"], {"mode": "all"})
    assert refused.status_code == 400
    assert "Ничего не сохранено" in refused.content.decode()
    assert Pupil.objects.count() == before
    assert Enrolment.objects.count() == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_only_the_good_rows_are_saved_when_the_user_asks(client, setup, fmt):
    school, year, admin = setup
    rows = [HEADER, *GOOD, *BAD]
    content = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    client.force_login(admin)
    preview = upload(client, school, year, f"pupils.{fmt}", content)["Location"]
    response = client.post(preview, {"mode": "valid_only"})
    assert response.status_code == 302
    anna = Pupil.objects.get(last_name="Смирнова")
    assert (anna.patronymic, anna.birth_date, anna.sex) == ("Сергеевна", date(2015, 3, 14), "f")
    enrolment = anna.enrolments.get()
    assert (enrolment.school_class.name, enrolment.start, enrolment.order_number) == (
        "5А",
        year.start,
        "112-о",
    )
    assert Pupil.objects.get(last_name="Орлов").enrolments.get().school_class.name == "5Б"
    assert not Pupil.objects.filter(last_name__in=["Петров", "Иванов"]).exists()
    batch = ImportBatch.objects.get()
    assert batch.saved_count == 2
    # The same file cannot be saved twice.
    assert client.post(preview, {"mode": "valid_only"}).status_code == 400
    assert Pupil.objects.filter(last_name="Смирнова").count() == 1


def test_a_clean_file_is_saved_whole(client, setup):
    school, year, admin = setup
    client.force_login(admin)
    preview = upload(client, school, year, "p.csv", csv_bytes([HEADER, *GOOD]))["Location"]
    assert "Сохранить всё" in client.get(preview).content.decode()
    assert client.post(preview, {"mode": "all"}).status_code == 302
    assert Enrolment.objects.filter(school_class__year=year).count() == 2


def test_a_windows_csv_with_commas_and_dates_from_excel_is_read(setup):
    school, year, admin = setup
    rows = [["ФИО", "Дата рождения", "Класс"], ["Смирнова Анна Сергеевна", "2015-03-14", "5А"]]
    read = imports.read_table("pupils", "x.csv", csv_bytes(rows, "cp1251", ","))
    assert read == [
        {
            "line": 2,
            "values": {
                "full_name": "Смирнова Анна Сергеевна",
                "birth_date": "2015-03-14",
                "class": "5А",
            },
        }
    ]
    xlsx = imports.read_table(
        "pupils",
        "x.xlsx",
        xlsx_bytes(
            [["Фамилия", "Имя", "Класс", "Дата рождения"], ["А", "Б", 5, datetime(2015, 3, 14)]]
        ),
    )
    assert xlsx[0]["values"]["birth_date"] == "14.03.2015"
    assert xlsx[0]["values"]["class"] == "5"


def test_a_file_without_the_needed_columns_is_refused_at_upload(client, setup):
    school, year, admin = setup
    client.force_login(admin)
    response = upload(client, school, year, "p.csv", csv_bytes([["Имя", "Пол"], ["Анна", "ж"]]))
    assert response.status_code == 400
    assert "В файле нет столбцов: Класс, Фамилия." in response.content.decode()
    with pytest.raises(ValidationError):
        imports.read_table("pupils", "broken.xlsx", b"not a workbook")
    response = upload(client, school, year, "p.docx", b"x")
    assert response.status_code == 400
    assert "Загрузите файл CSV или XLSX." in response.content.decode()


def test_classes_are_loaded_with_their_teachers_and_shifts(client, setup):
    school, year, admin = setup
    teacher = make_member(school, Role.TEACHER, last_name="Иванова", first_name="Мария")
    BellSchedule.objects.create(school=school, name="1 смена")
    rows = [
        ["Класс", "Параллель", "Классный руководитель", "Смена", "Без отметок"],
        ["1А", "", teacher.full_name, "1 смена", ""],
        ["ТМ-21", "2", teacher.username, "", "нет"],
        ["5А", "", "", "", ""],  # exists already
        ["7Г", "", "Никто Такой", "3 смена", "может быть"],
        ["Группа", "", "", "", ""],
    ]
    client.force_login(admin)
    preview = upload(client, school, year, "c.xlsx", xlsx_bytes(rows), kind="classes")["Location"]
    errors = errors_by_line(ImportBatch.objects.get())
    assert errors[4] == ["Класс 5А в учебном году 2026/2027 уже есть."]
    assert errors[5] == [
        "Учителя «Никто Такой» нет среди учителей школы.",
        "Смены «3 смена» нет в расписаниях звонков.",
        "В столбце «Без отметок» пишите «да» или «нет».",
    ]
    assert errors[6][0].startswith("Не понятно, какой это класс: «Группа».")
    assert client.post(preview, {"mode": "valid_only"}).status_code == 302
    first = SchoolClass.objects.get(year=year, grade=1, letter="А")
    assert first.no_marks and first.class_teacher == teacher
    assert first.bell_schedule.name == "1 смена"
    group = SchoolClass.objects.get(year=year, letter="ТМ-21")
    assert (group.grade, group.name, group.no_marks) == (2, "ТМ-21", False)


def test_another_users_upload_is_not_found(client, setup):
    school, year, admin = setup
    client.force_login(admin)
    preview = upload(client, school, year, "p.csv", csv_bytes([HEADER, *GOOD]))["Location"]
    client.force_login(make_member(school, Role.DEPUTY))
    assert client.get(preview).status_code == 404


def test_the_sample_file_reads_back(client, setup):
    school, year, admin = setup
    client.force_login(admin)
    response = client.get(url(school, "schedule:import_sample"), {"kind": "pupils"})
    rows = imports.read_table("pupils", "sample.csv", response.content)
    assert rows[0]["values"]["last_name"] == "Смирнова"


# Rows kept with «только верные строки» — even when the database itself refuses one row at
# saving (a constraint added here, in PostgreSQL, refuses one name: a real refusal, no mock).


def refuse_in_the_database(table, condition):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no checks pending before ALTER
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT test_refused CHECK ({condition})")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_a_name_over_150_and_an_email_over_254_are_row_errors_and_the_rest_is_saved(client, setup):
    school, year, admin = setup
    header = [*HEADER, "Электронная почта"]
    long_name = ["Ф" * 151, "Анна", "", "14.03.2015", "ж", "5А", "", ""]
    long_mail = [
        "Орлова",
        "Вера",
        "",
        "14.03.2015",
        "ж",
        "5А",
        "",
        "a" * 64 + "@" + "b" * 200 + ".ru",
    ]
    rows = [header, *(r + [""] for r in GOOD), long_name, long_mail]
    client.force_login(admin)
    response = upload(client, school, year, "pupils.csv", csv_bytes(rows))
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    errors = {r.line: r.errors for r in imports.check_batch(ImportBatch.objects.get()) if r.errors}
    assert errors[4] == ["«фамилия» длиннее 150 знаков."]
    assert any("почты" in e or "длиннее 254" in e for e in errors[5])
    saved = client.post(response["Location"], {"mode": "valid_only"})
    assert saved.status_code == 302
    assert set(Pupil.objects.values_list("last_name", flat=True)) >= {"Смирнова", "Орлов"}
    assert not Pupil.objects.filter(first_name="Вера").exists()


def test_a_pupil_row_the_database_refuses_costs_only_that_row(client, setup):
    school, year, admin = setup
    refuse_in_the_database("accounts_pupil", "last_name <> 'Отказова'")
    rows = [HEADER, GOOD[0], ["Отказова", "Ольга", "", "14.03.2015", "ж", "5А", ""], GOOD[1]]
    client.force_login(admin)
    response = upload(client, school, year, "pupils.csv", csv_bytes(rows))
    saved = client.post(response["Location"], {"mode": "valid_only"}, follow=True)
    assert saved.status_code == 200
    assert "Не сохранены строки: 3" in saved.content.decode()
    assert set(Pupil.objects.values_list("last_name", flat=True)) >= {"Смирнова", "Орлов"}
    assert not Pupil.objects.filter(last_name="Отказова").exists()


def test_a_class_row_the_database_refuses_costs_only_that_row(client, setup):
    school, year, admin = setup
    refuse_in_the_database("schedule_schoolclass", "letter <> 'Ж'")
    rows = [["Класс"], ["6А"], ["6Ж"], ["6В"]]
    client.force_login(admin)
    response = upload(client, school, year, "classes.csv", csv_bytes(rows), kind="classes")
    assert client.post(response["Location"], {"mode": "valid_only"}).status_code == 302
    names = set(SchoolClass.objects.filter(grade=6).values_list("letter", flat=True))
    assert names == {"А", "В"}
    # And the same file all or nothing: nothing, with the line named.
    batch = ImportBatch.objects.create(
        school=school,
        kind="classes",
        year=year,
        filename="x.csv",
        created_by=admin,
        rows=[{"line": 2, "values": {"class": "7А"}}, {"line": 3, "values": {"class": "7Ж"}}],
    )
    with pytest.raises(imports.FileHasErrors, match="Строка 3"):
        imports.save_batch(batch, only_valid=False)
    assert not SchoolClass.objects.filter(grade=7).exists()
