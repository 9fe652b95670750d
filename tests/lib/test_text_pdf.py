"""Sheets of pre-set text as PDF/A-3u: one page a sheet, the text extractable in its order,
the fonts embedded, a missing font said plainly."""

import io

import pytest
from pypdf import PdfReader

from lib.text_pdf import FontMissing, SheetsPDF, font_file


def _pdf(document: SheetsPDF) -> PdfReader:
    return PdfReader(io.BytesIO(document.output()))


def test_each_sheet_is_a_page_whose_text_reads_in_the_order_written():
    document = SheetsPDF("Журнал 5А")
    document.title_page([("Школа № 1", 11, 0), ("Классный журнал", 18, 100)])
    document.sheet("Алгебра", "лист 1 из 2 — с. 2 из 3", ["  № Дата │ 1│ 2"], ["  1 Иванов │5 │н "])
    document.sheet("Алгебра", "лист 2 из 2 — с. 3 из 3", [], ["  1 Иванов │4/5│"])
    reader = _pdf(document)
    assert document.pages == len(reader.pages) == 3
    title, first, second = (page.extract_text() for page in reader.pages)
    assert title.index("Школа № 1") < title.index("Классный журнал")
    assert first.splitlines()[:2] == ["Алгебра", "лист 1 из 2 — с. 2 из 3"]
    assert first.index("№ Дата") < first.index("Иванов │5 │н")
    assert "4/5" in second and "Иванов │5" not in second


def test_the_document_is_pdf_a_3u_with_every_font_embedded():
    document = SheetsPDF("Журнал")
    document.sheet("Заголовок", "", ["шапка"], ["строка"])
    reader = _pdf(document)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"<pdfaid:part>3</pdfaid:part>" in xmp and b"<pdfaid:conformance>U" in xmp
    assert "/OutputIntents" in reader.trailer["/Root"]
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"]
        assert "/ToUnicode" in font.get_object()  # the text can be copied and searched


def test_a_font_the_machine_lacks_is_named_not_substituted():
    assert font_file("DejaVu Sans Mono:style=Book").endswith(".ttf")
    with pytest.raises(FontMissing, match="Не найден шрифт Несуществующий Шрифт"):
        font_file("Несуществующий Шрифт:style=Book")
