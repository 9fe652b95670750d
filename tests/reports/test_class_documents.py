"""Documents of one class: the summary ledger of progress, the class teacher's report, and
the movement of pupils (hand_school: Максим left on 28.11, Нина arrived on 17.11)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import Role
from accounts.navigation import school_reverse
from reports.params import period_span
from reports.services.ledger import progress_ledger
from reports.services.movement import movement, movement_report
from reports.services.scope import Selection
from schedule.models import Enrolment
from schedule.services.people import transfer
from tests.factories import make_class, make_member

from .counting import queries_of

pytestmark = pytest.mark.django_db
PERIODS = ["1 ч.", "2 ч.", "3 ч.", "4 ч."]


def test_the_ledger_is_pupils_by_subjects_by_periods(hand):
    with scopes_disabled():
        report = progress_ledger(hand.school, hand.fifth)
    groups = []
    for column in report.columns[2:]:
        if column.group not in groups:
            groups.append(column.group)
    assert groups == ["Английский язык", "Математика", "Русский язык", "Физическая культура"]
    assert [c.title for c in report.columns[2:7]] == ["1 ч.", "2 ч.", "3 ч.", "4 ч.", "год"]
    rows = {r.values["pupil"]: r.values for r in report.rows}
    assert "Максимва Максим (выбыл 28.11.2025)" in rows
    assert "Нинова Нина (прибыл 17.11.2025)" in rows
    maths = hand.courses["math"].subject_id
    ivan = rows["Иванва Иван"]
    assert ivan[f"{maths}-period-{hand.q1.pk}"] == "4"
    assert ivan[f"{maths}-period-{hand.q2.pk}"] == "н/а"
    kirill = rows["Кириллва Кирилл"]
    assert kirill[f"{maths}-period-{hand.q2.pk}"] == "осв."
    english = hand.courses["english"].subject_id
    assert rows["Анява Аня"][f"{english}-period-{hand.q2.pk}"] == "5"
    assert f"{english}-period-{hand.q2.pk}" not in rows["Борисва Борис"]
    assert [r.values["n"] for r in report.rows] == list(range(1, 14))
    assert any("Срок хранения сводной ведомости — 25 лет" in n for n in report.footnotes)


def test_the_ledger_prints_as_the_paper_form(client, hand, deputy):
    client.force_login(deputy)
    url = school_reverse(hand.school, "reports:ledger")
    query = {"year": hand.year.pk, "scope": f"class:{hand.fifth.pk}"}
    book = load_workbook(io.BytesIO(client.get(url, {**query, "format": "xlsx"}).content))
    sheet = book.active
    assert sheet["A1"].value == "Сводная ведомость учёта успеваемости обучающихся 5А класса"
    # The school, year, period, scope and class above; then the subjects over their columns.
    assert sheet["A6"].value == "Класс: 5А"
    groups = [c.value for c in sheet[8]]
    heads = [c.value for c in sheet[9]]
    assert groups[2] == "Английский язык" and groups[3] is None and groups[7] == "Математика"
    assert sheet.cell(8, 3).alignment.horizontal == "centerContinuous"
    assert heads[:8] == ["№", "Фамилия, имя, отчество", *PERIODS, "год", "1 ч."]
    ivan = next(r for r in sheet.iter_rows(min_row=10) if r[1].value == "Иванва Иван")
    assert ivan[0].value == 9 and ivan[0].data_type == "n"  # the ninth by the alphabet
    assert (ivan[7].value, ivan[8].value) == ("4", "н/а")  # Математика: 1 ч., 2 ч.
    assert sheet.freeze_panes == "C10"
    pdf = client.get(url, {**query, "format": "pdf"})
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Сводная ведомость учёта успеваемости обучающихся 5А класса" in text
    assert "Физическая культура" in text and "Иванва Иван" in text and "осв." in text


def test_the_class_teachers_report_lists_pupils_by_category_and_holds_the_class_tables(
    client, hand
):
    lead = hand.teachers["class"]
    client.force_login(lead)
    url = school_reverse(hand.school, "reports:class_report")
    query = {"year": hand.year.pk, "span": f"period:{hand.q2.pk}"}
    response = client.get(url, query)
    assert response.status_code == 200
    report = response.context["document"]
    lists = {r.values["category"]: (r.values["count"], r.values["pupils"]) for r in report.rows}
    assert lists["Отличники"] == (2, "Анява Аня; Ленава Лена")
    assert lists["С одной «4»"] == (
        2,
        "Борисва Борис (Русский язык — 4); Нинова Нина (Математика — 4)",
    )
    assert (
        lists["Не аттестованы"][1]
        == "Иванва Иван (Математика — н/а, Русский язык — 2, Физическая культура — 4)"
    )
    assert lists["Освобождены"] == (1, "Кириллва Кирилл")
    assert [p.title for p in report.parts] == [
        "Итоги успеваемости",
        "Посещаемость",
        "Движение обучающихся",
        "Прибывшие и выбывшие",
    ]
    pdf = client.get(url, {**query, "format": "pdf"})
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Отчёт классного руководителя: 5А, 2 четверть (1–9 кл.)" in text
    assert "Прибывшие и выбывшие" in text and "в МБОУ СОШ № 3" in text
    book = load_workbook(io.BytesIO(client.get(url, {**query, "format": "xlsx"}).content))
    assert book.sheetnames[0].startswith("Отчёт классного руководителя")
    assert book.sheetnames[1:] == [
        "Итоги успеваемости",
        "Посещаемость",
        "Движение обучающихся",
        "Прибывшие и выбывшие",
    ]


def test_movement_balances_and_names_where_from_and_to(hand):
    with scopes_disabled():
        fifth_b = make_class(hand.school, 5, "Б", year=hand.year)
        stay = Enrolment.objects.get(pupil=hand.pupils["Дина"], end__isnull=True)
        transfer(stay, fifth_b, date(2025, 12, 1), order_number="50-у")
        found = movement(Selection(hand.school, hand.year), hand.q2.start, hand.q2.end)
        report = movement_report(Selection(hand.school, hand.year), period_span(hand.q2))
    flows = {c.name: f for c, f in found.classes}
    fifth = flows["5А"]
    assert (fifth.at_start, fifth.arrived, fifth.left, fifth.left_transfer, fifth.at_end) == (
        12,
        1,
        2,
        1,
        11,
    )
    assert (flows["5Б"].arrived, flows["5Б"].arrived_transfer, flows["5Б"].at_end) == (1, 1, 1)
    for flow in flows.values():
        assert flow.at_start + flow.arrived - flow.left == flow.at_end
    total = report.rows[-1].values
    # The school: transfers between its classes are no movement of the school.
    assert (total["at_start"], total["arrived"], total["left"], total["at_end"]) == (17, 1, 1, 17)
    assert total["size"] == Decimal("4.3")  # 17 pupils in 4 classes
    moves = [
        (r.values["pupil"], r.values["what"], r.values["where"], r.values["order"])
        for r in report.parts[0].rows
    ]
    assert moves == [
        ("Нинова Нина", "прибыл", "из гимназии № 2", "47-у"),
        ("Максимва Максим", "выбыл", "в МБОУ СОШ № 3", "45-у"),
        ("Динава Дина", "выбыл переводом", "", "50-у"),
        ("Динава Дина", "прибыл переводом", "из класса 5А", "50-у"),
    ]
    assert report.parts[0].rows[1].values["day"] == date(2025, 11, 28)


def test_documents_of_one_class_cost_the_same_queries_whatever_the_class_size(client, hand):
    from .hand_school import grow

    deputy = make_member(hand.school, Role.DEPUTY)
    client.force_login(deputy)

    def count(name, **query):
        return queries_of(client, school_reverse(hand.school, f"reports:{name}"), query)

    pages = [
        ("ledger", {"scope": f"class:{hand.fifth.pk}"}),
        ("attendance_ledger", {"scope": f"class:{hand.fifth.pk}"}),
        ("movement", {"scope": "school", "span": "year"}),
    ]
    for name, query in pages:
        count(name, year=hand.year.pk, **query)
    before = [count(name, year=hand.year.pk, **query) for name, query in pages]
    grow(hand, 3)
    with scopes_disabled():
        for pupil in list(hand.pupils.values())[:3]:
            Enrolment.objects.filter(pupil=pupil).update(order_number="1-у")
    assert [count(name, year=hand.year.pk, **query) for name, query in pages] == before
