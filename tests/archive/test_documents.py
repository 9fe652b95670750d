"""The archive's documents: the class journal laid out like the paper one (its text read back
from the PDF), PDF/A with the fonts embedded, the ledgers, and each file's record."""

import io
import re
from datetime import date

import pytest
from django_scopes import scopes_disabled
from pypdf import PdfReader

from archive.models import ArchiveDocument, Retention
from archive.services.documents import archive_class_document, journal_pdf
from archive.services.journal_data import gather
from tests.factories import make_pupil

from .builders import MATH_LESSONS, lesson_days, pdf_text

pytestmark = pytest.mark.django_db
Kind = ArchiveDocument.Kind


def test_the_journal_is_gathered_in_a_fixed_number_of_queries(hand, django_assert_num_queries):
    with scopes_disabled():
        fifth = (
            type(hand.fifth)
            .objects.select_related("school", "year", "class_teacher")
            .get(pk=hand.fifth.pk)
        )
        hand.school.regulation  # noqa: B018  (the school's rules, read once per school)
        fifth.school.regulation = hand.school.regulation
        with django_assert_num_queries(13):
            journal = gather(fifth)
    math = next(c for c in journal.courses if c.subject == "Математика")
    assert len(math.lessons) == MATH_LESSONS  # the cancelled lesson is left out
    english = next(c for c in journal.courses if c.subject == "Английский язык")
    assert {journal.pupil(pk).short_name for pk in english.pupils} == {"Анява А.", "Верава В."}


def test_the_journal_pdf_reads_like_the_paper_journal(hand):
    with scopes_disabled():
        data = journal_pdf(hand.fifth)
    pages = pdf_text(data)
    title = pages[0]
    assert hand.school.name in title and "Классный журнал" in title
    assert "5А класс, 2025/2026 учебный год" in title
    assert "Классова Ирина Отчество" in title  # the class teacher
    pupils = pages[1]
    assert "Список обучающихся" in pupils
    assert "Нинова Нина" in pupils and "прибыл 17.11.2025, приказ № 47-у" in pupils
    assert "Максимва Максим" in pupils and "выбыл 28.11.2025, приказ № 45-у" in pupils
    text = "\n".join(pages)
    # Mathematics: two grid sheets, each followed by its facing sheet.
    sheets = [i for i, page in enumerate(pages) if "Математика" in page and "лист" in page]
    assert len(sheets) == 4  # two sheets, each with its facing sheet
    first_grid = pages[sheets[0]]
    assert "лист 1 из 2" in first_grid and "оборот" not in first_grid
    row = next(line for line in first_grid.splitlines() if "Анява А." in line)
    cells = [c.strip() for c in row.split("│")[1:]]
    assert cells[:3] == ["5", "4", ""]
    row = next(line for line in first_grid.splitlines() if "Борисва Б." in line)
    assert [c.strip() for c in row.split("│")[1:4]] == ["н", "", "б"]
    facing = pages[sheets[1]]
    assert "оборот" in facing and "Что пройдено на уроке" in facing
    assert "Тема урока 1" in facing and "Упражнение 1" in facing
    # Dates of the facing sheets in the lessons' order, each once; the cancelled one absent.
    dates = re.findall(r"^(\d\d\.\d\d) *│", "\n".join(pages[i] for i in sheets[1:4:2]), re.M)
    assert dates == [d.strftime("%d.%m") for d in lesson_days()]
    assert "Отменённая тема" not in text
    assert "Дано часов: 40" in text
    # Final marks of the course: the second quarter's as in the hand school.
    finals = next(p for p in pages if "Математика" in p and "итоговые отметки" in p)
    row = next(line for line in finals.splitlines() if "Иванва Иван" in line)
    assert "н/а" in row
    # The attendance summary: Борис missed two lessons in the first quarter, one for illness.
    summary = next(page for page in pages if "Сводная ведомость посещаемости" in page)
    row = next(line for line in summary.splitlines() if "Борисва Борис" in line)
    assert re.sub(r"\s+", " ", row.split("│")[1]).strip() == "2 1 0"


def test_the_journal_is_pdf_a_with_its_fonts_embedded(hand):
    with scopes_disabled():
        data = journal_pdf(hand.fifth)
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfaid" in xmp and b"3" in xmp.split(b"pdfaid:part")[1][:6]
    assert "/OutputIntents" in root  # the colour profile PDF/A needs
    fonts = set()
    for page in reader.pages[:3]:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/DescendantFonts" in font:  # a Type0 font: its glyphs are its descendant's
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font["/FontDescriptor"]
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add(str(font["/BaseFont"]))
    assert any("DejaVu" in f and "Mono" in f for f in fonts), fonts


def test_a_document_is_filed_with_its_checksum_pages_and_retention(hand):
    with scopes_disabled():
        journal = archive_class_document(hand.fifth, Kind.JOURNAL)
        ledger = archive_class_document(hand.fifth, Kind.PROGRESS_LEDGER)
        again = archive_class_document(hand.fifth, Kind.JOURNAL)
        with journal.file.open("rb") as f:
            data = f.read()
        assert journal.sha256 == __import__("hashlib").sha256(data).hexdigest()
        assert journal.size == len(data) and journal.pages == len(pdf_text(data))
        # 2025/2026 ends in 2026: kept five years from 1 January 2027.
        assert (journal.retention, journal.destroy_after) == (
            Retention.JOURNAL,
            date(2031, 12, 31),
        )
        assert (ledger.retention, ledger.destroy_after) == (Retention.LEDGER, date(2051, 12, 31))
        assert "Сводная ведомость учёта успеваемости" in pdf_text(ledger.file.open("rb").read())[0]
        # A rebuild is a new version; the first stays, its file too.
        assert (again.version, journal.version) == (2, 1)
        assert journal.file.name != again.file.name
        assert ArchiveDocument.objects.filter(kind=Kind.JOURNAL).count() == 2
        assert journal.file.storage.exists(journal.file.name)


def test_a_graduating_class_s_ledger_is_kept_75_years(hand):
    from tests.factories import make_class

    with scopes_disabled():
        ninth = make_class(hand.school, 9, "А", year=hand.year)
        ledger = archive_class_document(ninth, Kind.PROGRESS_LEDGER)
    assert (ledger.retention, ledger.destroy_after) == (Retention.GRADUATION, date(2101, 12, 31))


def test_the_control_s_spravki_about_the_class_close_the_journal(hand):
    from reports.models import ControlCheck, Shortfall

    with scopes_disabled():
        lesson = hand.extra["math_lessons"][3]
        shortfall = Shortfall.objects.create(
            school=hand.school, kind="topic", key="k", course=hand.courses["math"],
            lesson=lesson, teacher=hand.teachers["math"], deadline=lesson.date,
        )  # fmt: skip
        check = ControlCheck.objects.create(
            school=hand.school, checked_on=date(2025, 10, 20), span_label="сентябрь",
            scope_label="5А", query="", findings="Темы уроков записываются не в день урока.",
            fix_by=date(2025, 10, 27), created_by=hand.teachers["class"],
        )  # fmt: skip
        check.shortfalls.add(shortfall)
        ControlCheck.objects.create(
            school=hand.school, checked_on=date(2025, 10, 21), span_label="сентябрь",
            scope_label="10А", query="", findings="О другом классе.",
            fix_by=date(2025, 10, 27), created_by=hand.teachers["class"],
        )  # fmt: skip
        pages = pdf_text(journal_pdf(hand.fifth))
    last = pages[-1]
    assert "Замечания по ведению журнала" in last
    assert "Справка от 20.10.2025" in last and "Темы уроков записываются не в день урока." in last
    assert "Устранить до 27.10.2025" in last and "О другом классе" not in "\n".join(pages)


def test_every_sheet_fits_its_page_and_is_numbered_of_the_whole(hand):
    from archive.services.journal_pdf import LINES_PER_SHEET, journal_sheets

    with scopes_disabled():
        for n in range(LINES_PER_SHEET + 5):  # a long list: the pupils' sheet goes on
            make_pupil(hand.school, hand.fifth, last_name=f"Дополнительнова{n:02d}")
        journal = gather(hand.fifth)
        pages = pdf_text(journal_pdf(hand.fifth))
    assert len(pages) == len(journal_sheets(journal)) + 1  # each planned sheet is one page
    for n, page in enumerate(pages[1:], 2):
        assert f"с. {n} из {len(pages)}" in page
    assert pages[2].startswith("Список обучающихся\nпродолжение — с. 3")
    assert "Дополнительнова44" in pages[2]
