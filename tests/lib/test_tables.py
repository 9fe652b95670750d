"""The one table reader: its limits hold for hostile files, with memory bounded."""

import contextlib
import io
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from lib.tables import Column, Limits, TableError, read_cells, read_rows


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite_sheet(raw: bytes, change) -> bytes:
    """The same workbook with its first sheet's XML changed by `change(xml) -> xml`."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()
            target.writestr(info, data)
    return out.getvalue()


def peak_memory(call) -> int:
    tracemalloc.start()
    with contextlib.suppress(TableError):
        call()
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def test_a_sheet_that_declares_a_million_rows_and_columns_is_read_within_bounded_memory():
    # A few kilobytes that declare A1:XFD1048576 and put one cell in its far corner: read
    # naively, openpyxl pads every row to 16,384 cells and every missing row up to a million.
    raw = rewrite_sheet(
        xlsx([["Класс", "Предмет"], ["5А", "Математика"]]),
        lambda xml: xml.replace(
            '<dimension ref="A1:B2"/>', '<dimension ref="A1:XFD1048576"/>'
        ).replace(
            "</sheetData>",
            '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
            "</sheetData>",
        ),
    )
    assert len(raw) < 10_000
    with pytest.raises(TableError) as refused:
        read_cells("hostile.xlsx", raw)
    assert "больше 4999 строк" in refused.value.messages[0]
    assert peak_memory(lambda: read_cells("hostile.xlsx", raw)) < 20 * 1024 * 1024


def test_a_row_wider_than_the_limit_is_refused_naming_its_line():
    raw = rewrite_sheet(
        xlsx([["a", "b"]]),
        lambda xml: xml.replace(
            "</sheetData>",
            '<row r="2"><c r="AO2" t="inlineStr"><is><t>far</t></is></c></row></sheetData>',
        ),
    )
    with pytest.raises(TableError) as refused:
        read_cells("wide.xlsx", raw, Limits(max_columns=40))
    assert refused.value.messages == ["Строка 2: больше 40 столбцов. Уберите лишние столбцы."]


def test_a_zip_that_unpacks_to_more_than_the_limit_is_refused_before_it_is_parsed():
    huge = "<x>" + "a" * (5 * 1024 * 1024) + "</x>"
    raw = rewrite_sheet(xlsx([["a"]]), lambda xml: xml.replace("</worksheet>", "") + huge)
    assert len(raw) < 100_000
    with pytest.raises(TableError) as refused:
        read_cells("bomb.xlsx", raw, Limits(max_unpacked_bytes=1024 * 1024))
    assert "распаковывается в слишком большой объём" in refused.value.messages[0]


def test_a_damaged_xlsx_and_a_damaged_sheet_get_one_clear_message():
    for raw in (b"not a zip", rewrite_sheet(xlsx([["a"]]), lambda xml: xml[: len(xml) // 2])):
        with pytest.raises(TableError) as refused:
            read_cells("broken.xlsx", raw)
        assert refused.value.messages == [
            "Не удалось прочитать файл XLSX: он повреждён или это не таблица Excel."
        ]


def test_a_csv_cell_longer_than_the_limit_is_refused_naming_line_and_column():
    raw = ("Класс;Предмет\n5А;" + "ы" * 200_000 + "\n").encode()
    with pytest.raises(TableError) as refused:
        read_cells("big.csv", raw, Limits(max_bytes=10**6, max_cell_chars=300))
    assert refused.value.messages == ["Строка 2, столбец 2: в ячейке больше 300 знаков."]


def test_nul_bytes_and_control_characters_are_refused():
    with pytest.raises(TableError) as refused:
        read_cells("nul.csv", b"a;b\n1;\x00\n")
    assert "нулевые байты" in refused.value.messages[0]
    with pytest.raises(TableError) as refused:
        read_cells("ctl.csv", b"a;b\nx\x07y;2\n")
    assert "Строка 2, столбец 1: недопустимый управляющий символ" in refused.value.messages[0]


def test_rows_past_the_limit_are_refused_and_blank_rows_do_not_count():
    rows = "\n".join(["a;b"] + ["1;2"] * 10).encode()
    with pytest.raises(TableError) as refused:
        read_cells("many.csv", rows, Limits(max_rows=10))
    assert refused.value.messages == ["В файле больше 9 строк: разделите его."]
    spaced = "\n".join(["a;b"] + ["1;2", ""] * 9).encode()
    assert len([r for r in read_cells("spaced.csv", spaced, Limits(max_rows=10)) if r]) == 10


def test_a_file_over_the_size_limit_or_of_another_type_is_refused():
    with pytest.raises(TableError) as refused:
        read_cells("big.csv", b"a" * 2000, Limits(max_bytes=1024))
    assert refused.value.messages == ["Файл больше 1 КБ: разделите его на части."]
    with pytest.raises(TableError) as refused:
        read_cells("x.docx", b"a")
    assert refused.value.messages == ["Загрузите файл CSV или XLSX."]


def test_csv_in_windows_1251_with_commas_is_read_and_dates_of_xlsx_read_as_russian_dates():
    from datetime import date

    assert read_cells("w.csv", "Класс,Предмет\n5А,Физика\n".encode("cp1251")) == [
        ["Класс", "Предмет"],
        ["5А", "Физика"],
    ]
    assert read_cells("d.xlsx", xlsx([["С"], [date(2026, 9, 1)], [5.0]])) == [
        ["С"],
        ["01.09.2026"],
        ["5"],
    ]


def test_rows_are_mapped_by_header_alias_with_their_lines_and_missing_columns_named():
    columns = [Column("class", "Класс", ("группа",), True), Column("room", "Кабинет")]
    table = [[], ["Группа", "Кабинет", "лишний"], ["5А", "12", "x"], [], ["6Б"]]
    mapped = read_rows(table, columns)
    assert mapped.present == {"class", "room"}
    assert mapped.rows == [
        {"line": 3, "values": {"class": "5А", "room": "12"}},
        {"line": 5, "values": {"class": "6Б"}},
    ]
    with pytest.raises(TableError) as refused:
        read_rows([["Кабинет"]], columns, lambda present: ["Учитель"])
    assert "В файле нет столбцов: Класс, Учитель." in refused.value.messages[0]
