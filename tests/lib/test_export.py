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
    monospaced_lines,
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
    # The header rows and the column that names a row stay in view.
    assert sheet.freeze_panes == "B7"
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
        "Класс;Состав: Обучающихся;Итоги: Качество;Средний балл;На дату",
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


def ledger(subjects=12, pupils=3) -> Report:
    """A summary ledger: pupils × subjects × (four quarters, the year) — wider than a page."""
    columns = [Column("n", "№", INTEGER, places=0), Column("name", "Обучающийся")]
    for s in range(subjects):
        for q in ("I", "II", "III", "IV", "год"):
            columns.append(Column(f"s{s}{q}", q, group=f"Предмет {s + 1}"))
    rows = [
        Row({"n": p + 1, "name": f"Ученик {p + 1}", **{c.key: "5" for c in columns[2:]}})
        for p in range(pupils)
    ]
    return Report(title="Сводная ведомость", columns=columns, rows=rows, key_columns=2)


def test_a_heading_over_several_columns_is_written_once_across_them():
    report = sample()
    report.columns = [
        Column("name", "Класс"),
        Column("a", "II ч.", INTEGER, group="Отличники"),
        Column("b", "I ч.", INTEGER, group="Отличники", secondary=True),
    ]
    report.rows = [Row({"name": "5А", "a": 3, "b": 2})]
    sheet = load_workbook(io.BytesIO(XlsxExporter().render(report))).active
    heads = list(sheet[5])
    assert [c.value for c in heads] == [None, "Отличники", None]
    assert heads[1].alignment.horizontal == "centerContinuous"
    assert heads[2].alignment.horizontal == "centerContinuous"
    html = to_html(report)
    assert '<th scope="colgroup" colspan="2">Отличники</th>' in html
    assert '<th scope="col" class="n prev" data-kind="int">I ч.</th>' in html
    assert '<td data-v="2" class="n prev">2</td>' in html
    header, _body = monospaced_lines(report)
    assert header[0].count("Отличники") == 1


def test_a_table_wider_than_the_page_is_cut_into_bands_of_whole_groups_with_the_names():
    from lib.export import MAX_CHARS, bands, width_of

    report = ledger()
    widths = [width_of(report, c) for c in report.columns]
    parts = bands(report, widths)
    assert len(parts) > 1
    for columns in parts:
        assert columns[:2] == [0, 1]  # every band repeats № and the pupil's name
        assert sum(widths[i] + 1 for i in columns) <= MAX_CHARS
        groups = [report.columns[i].group for i in columns[2:]]
        for group in set(groups):  # a group is never split between bands
            assert groups.count(group) == 5
    covered = sorted(i for columns in parts for i in columns[2:])
    assert covered == list(range(2, len(report.columns)))
    html = PdfExporter().html(report)
    assert html.count('<div class="t"') == len(parts)
    assert f"Часть {len(parts)} из {len(parts)}" in html
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(PdfExporter().render(report))).pages
    )
    assert text.count("Ученик 1") == len(parts) and "Предмет 12" in text


def test_a_narrow_table_is_one_band():
    from lib.export import bands, width_of

    report = sample()
    assert bands(report, [width_of(report, c) for c in report.columns]) == [[0, 1, 2, 3, 4]]


def test_notices_and_further_tables_reach_every_format():
    report = sample()
    report.notices = ["Итоговые отметки выставлены не все: 3 из 40."]
    detail = Report(
        title="Неуспевающие",
        columns=[Column("pupil", "Обучающийся"), Column("subjects", "Предметы")],
        rows=[Row({"pupil": "=cmd|' /C calc'!A0", "subjects": "Физика"})],
    )
    report.parts = [detail]
    book = load_workbook(io.BytesIO(XlsxExporter().render(report)))
    assert book.sheetnames == ["Итоги успеваемости", "Неуспевающие"]
    main = book["Итоги успеваемости"]
    assert main["A4"].value == "Итоговые отметки выставлены не все: 3 из 40."
    assert main["A4"].font.b
    assert main.freeze_panes == "B8"
    part = book["Неуспевающие"]
    assert [c.value for c in part[3]] == ["Обучающийся", "Предметы"]
    assert part["A4"].value == "=cmd|' /C calc'!A0" and part["A4"].data_type == "s"
    lines = CsvExporter().render(report).decode("utf-8-sig").splitlines()
    assert lines[-3:] == ["Неуспевающие", "Обучающийся;Предметы", "'=cmd|' /C calc'!A0;Физика"]
    html = to_html(report)
    assert '<h2 class="report-part">Неуспевающие</h2>' in html
    assert html.index("Итого") < html.index("Неуспевающие")
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(PdfExporter().render(report))).pages
    )
    assert "Итоговые отметки выставлены не все: 3 из 40." in text
    assert "Неуспевающие" in text and "Физика" in text


def test_sheet_names_stay_unique_and_legal():
    report = Report(title="Итоги: 5А/5Б", columns=[Column("a", "A")], rows=[])
    report.parts = [Report(title="Итоги: 5А/5Б", columns=[Column("a", "A")], rows=[])]
    book = load_workbook(io.BytesIO(XlsxExporter().render(report)))
    assert len(set(book.sheetnames)) == 2
    assert all(not set("[]:*?/\\") & set(name) for name in book.sheetnames)
