"""Every upload of a table meets the same limits (lib.tables): a hostile spreadsheet is
refused with a Russian message, memory stays bounded and nothing is created — on the
import of pupils and classes, of the timetable, and of a plan."""

import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from accounts.models import Role
from accounts.navigation import school_reverse
from journal.models import PlanTopic
from schedule.models import ImportBatch, TimetableEntry
from tests.factories import make_class, make_course, make_member, make_year
from tests.lib.test_tables import rewrite_sheet, xlsx

pytestmark = pytest.mark.django_db


def hostile_xlsx() -> bytes:
    """A few KB that declare a sheet of a million rows by 16,384 columns."""
    return rewrite_sheet(
        xlsx([["Класс", "Предмет"], ["5А", "Математика"]]),
        lambda xml: xml.replace(
            '<dimension ref="A1:B2"/>', '<dimension ref="A1:XFD1048576"/>'
        ).replace(
            "</sheetData>",
            '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
            "</sheetData>",
        ),
    )


@pytest.fixture
def place(school):
    with scopes_disabled():
        year = make_year(school)
        school_class = make_class(school, 5, "А", year=year)
        teacher = make_member(school, Role.TEACHER)
        course = make_course(school_class, teachers=[teacher])
    return {
        "year": year,
        "course": course,
        "teacher": teacher,
        "deputy": make_member(school, Role.DEPUTY),
    }


def post_pupils(client, school, place, file):
    client.force_login(place["deputy"])
    return client.post(
        school_reverse(school, "schedule:import_upload"),
        {"kind": "pupils", "year": place["year"].pk, "file": file},
    )


def post_timetable(client, school, place, file):
    client.force_login(place["deputy"])
    return client.post(
        school_reverse(school, "schedule:timetable_import"),
        {"year": place["year"].pk, "file": file},
    )


def post_plan(client, school, place, file):
    client.force_login(place["teacher"])
    return client.post(
        school_reverse(school, "journal:plan_import", pk=place["course"].pk), {"file": file}
    )


UPLOADS = [post_pupils, post_timetable, post_plan]


def created():
    with scopes_disabled():
        return (
            ImportBatch.objects.count(),
            TimetableEntry.objects.count(),
            PlanTopic.objects.count(),
        )


@pytest.mark.parametrize("post", UPLOADS, ids=lambda f: f.__name__)
def test_a_sheet_declaring_a_million_rows_is_refused_with_memory_bounded(
    client, school, place, post
):
    tracemalloc.start()
    response = post(client, school, place, SimpleUploadedFile("h.xlsx", hostile_xlsx()))
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.status_code == 400
    assert "строк: разделите его" in response.text
    assert peak < 40 * 1024 * 1024
    assert created() == (0, 0, 0)


@pytest.mark.parametrize("post", UPLOADS, ids=lambda f: f.__name__)
def test_a_file_too_large_is_refused_before_it_is_read(client, school, place, post):
    big = SimpleUploadedFile("big.csv", b"a;b\n" + b"1;2\n" * 1_500_000)
    response = post(client, school, place, big)
    assert response.status_code == 400
    assert "Файл больше" in response.text
    assert created() == (0, 0, 0)


@pytest.mark.parametrize("post", UPLOADS, ids=lambda f: f.__name__)
def test_nul_bytes_a_huge_cell_and_a_damaged_sheet_get_russian_messages(
    client, school, place, post
):
    files = [
        (b"\xd0\x9a\xd0\xbb\xd0\xb0\xd1\x81\xd1\x81;x\n5\x00;1\n", "nul.csv", "нулевые байты"),
        (("Класс;Тема\n5А;" + "ы" * 200_000).encode(), "cell.csv", "в ячейке больше"),
        (
            rewrite_sheet(xlsx([["a"]]), lambda xml: xml[: len(xml) // 2]),
            "damaged.xlsx",
            "Не удалось прочитать файл XLSX",
        ),
    ]
    for raw, name, message in files:
        response = post(client, school, place, SimpleUploadedFile(name, raw))
        assert response.status_code == 400, name
        assert message in response.text, name
    assert created() == (0, 0, 0)
