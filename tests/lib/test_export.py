"""The export layer: one report rendered as XLSX, CSV, PDF and an HTML table."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from lib.export import (
    DATE,
    DECIMAL,
    INTEGER,
    PERCENT,
    Column,
    CsvExporter,
    PdfExporter,
    Report,
    Row,
    XlsxExporter,
    display,
    export_response,
    to_html,
)


def sample() -> Report:
    columns = [
        Column("name", "Класс"),
        Column("pupils", "Обучающихся", INTEGER, group="Состав"),
        Column("quality", "Качество", PERCENT, group="Итоги", places=1),
        Column("average", "Средний балл", DECIMAL),
        Column("date", "На дату", DATE),
    ]
    rows = [
        Row(
            {
                "name": "5А",
                "pupils": 1204,
                "quality": Decimal("52.35"),
                "average": Decimal("4.2"),
                "date": date(2026, 12, 25),
            },
            links={"pupils": "/s/school1/reports/pupils/?class=5"},
        ),
        Row({"name": '=HYPERLINK("http://evil")', "pupils": 3, "average": None}),
        Row({"name": "+7 (900) 123", "pupils": 0}),
        Row({"name": "Итого", "pupils": 1207, "quality": 50}, kind=Row.TOTAL),
    ]
    return Report(
        title="Итоги успеваемости",
        columns=columns,
        rows=rows,
        school="Школа №1",
        parameters=[("Период", "II четверть")],
        footnotes=["Качество — доля обучающихся только на «4» и «5»."],
        slug="progress",
    )


def test_values_read_the_russian_way():
    report = sample()
    columns = {c.key: c for c in report.columns}
    assert display(1204, columns["pupils"]) == "1\u00a0204"
    assert display(Decimal("52.35"), columns["quality"]) == "52,4\u00a0%"
    assert display(Decimal("4.2"), columns["average"]) == "4,20"
    assert display(date(2026, 12, 25), columns["date"]) == "25.12.2026"
    assert display(None, columns["average"]) == ""


def test_the_xlsx_keeps_numbers_as_numbers_dates_as_dates_and_text_never_a_formula():
    book = load_workbook(io.BytesIO(XlsxExporter().render(sample())))
    sheet = book.active
    assert sheet["A1"].value == "Итоги успеваемости"
    assert sheet["A2"].value == "Организация: Школа №1"
    assert sheet["A3"].value == "Период: II четверть"
    assert [c.value for c in sheet[5]][:3] == [None, "Состав", "Итоги"]
    assert [c.value for c in sheet[6]] == [
        "Класс",
        "Обучающихся",
        "Качество",
        "Средний балл",
        "На дату",
    ]
    assert sheet.freeze_panes == "A7"
    first = sheet[7]
    assert first[1].value == 1204 and first[1].data_type == "n"
    assert first[2].value == pytest.approx(52.35) and first[2].number_format == '0.0" %"'
    assert first[3].value == pytest.approx(4.2) and first[3].number_format == "0.00"
    assert first[4].value.date() == date(2026, 12, 25) and first[4].is_date
    injected = sheet[8][0]
    assert injected.value == '=HYPERLINK("http://evil")' and injected.data_type == "s"
    assert sheet[9][0].data_type == "s"
    assert sheet[10][0].font.b  # the total line is bold
    notes = [row[0].value for row in sheet.iter_rows(min_row=11)]
    assert "Качество — доля обучающихся только на «4» и «5»." in notes
    assert sheet.column_dimensions["A"].width >= 6


def test_the_csv_is_for_excel_in_russia_and_neutralises_formulas():
    raw = CsvExporter().render(sample())
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[:2] == [
        "Класс;Обучающихся;Качество;Средний балл;На дату",
        "5А;1204;52,4;4,20;25.12.2026",
    ]
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[2][0] == '\'=HYPERLINK("http://evil")'
    assert rows[3][0] == "'+7 (900) 123"


def test_the_pdf_holds_the_table_as_text_in_few_boxes():
    exporter = PdfExporter()
    html = exporter.html(sample())
    assert "<td" not in html and html.count('<div class="r') == 4
    text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(exporter.render(sample()))).pages
    )
    for expected in ("Итоги успеваемости", "Период: II четверть", "5А", "1 204", "52,4 %", "4,20"):
        assert expected in text.replace("\u00a0", " ")


def test_the_html_table_escapes_links_and_sorts_by_typed_values():
    html = to_html(sample())
    assert '<th scope="colgroup" colspan="1">Состав</th>' in html
    assert '<a href="/s/school1/reports/pupils/?class=5">1\u00a0204</a>' in html
    assert 'data-v="1204"' in html and 'data-v="2026-12-25"' in html
    assert "=HYPERLINK(&quot;http://evil&quot;)" in html
    assert '<tr class="total">' in html


def test_a_download_is_named_after_the_report_and_an_unknown_format_is_none():
    response = export_response(sample(), "xlsx")
    assert response["Content-Disposition"].startswith('attachment; filename="progress-')
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert export_response(sample(), "docx") is None
