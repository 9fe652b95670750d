"""Families' activity per class: the share of parents and pupils who entered the school and
who opened the diary in the last 7 and 30 days, access codes issued and redeemed — from the
sign-in history and the diary's visits the app keeps; the page, its exports cell by cell, and
a fixed number of queries."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django_scopes import scopes_disabled
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import AccessCode, LoginEvent, Role
from accounts.navigation import school_reverse
from journal.models import DiaryVisit
from tests.factories import make_class, make_member, make_parent, make_pupil

from .builders import build_family
from .control_builders import at
from .counting import queries_of

pytestmark = pytest.mark.django_db


def active_class():
    """5А: Смирнов (with an account) and his parent, Яковлев (no account) and his parent; the
    parent entered the school 3 days ago and opened the diary yesterday, the pupil entered 20
    days ago and opened it 10 days ago, the second parent never; three codes, one redeemed."""
    f = build_family(subjects=1)
    school = f.school
    with scopes_disabled():
        school.timezone = "Asia/Yekaterinburg"
        school.save()
    second = make_pupil(school, f.school_class, last_name="Яковлев")
    other_parent = make_parent(school, second)
    now = at(school.timezone, f.monday + timedelta(days=30), 12)
    today = now.date()
    with scopes_disabled():
        LoginEvent.objects.create(user=f.parent, school=school, at=now - timedelta(days=3))
        LoginEvent.objects.create(user=f.pupil_user, school=school, at=now - timedelta(days=20))
        # A failed attempt and an entry into another school count for nothing here.
        LoginEvent.objects.create(
            user=other_parent, school=school, at=now - timedelta(days=1), succeeded=False
        )
        DiaryVisit.objects.create(
            school=school, user=f.parent, pupil=f.pupil, day=today - timedelta(days=1)
        )
        DiaryVisit.objects.create(
            school=school, user=f.pupil_user, pupil=f.pupil, day=today - timedelta(days=10)
        )
        lead = f.class_teacher
        for pupil, role in ((f.pupil, Role.PARENT), (second, Role.PARENT), (f.pupil, Role.PUPIL)):
            AccessCode.issue(school=school, role=role, created_by=lead, pupil=pupil)
        AccessCode.objects.filter(pupil=second).update(used_at=now - timedelta(days=5))
    return f, now


EXPECTED = {
    "name": "5А",
    "parents_n": 2,
    "pupils_n": 2,
    "pupils_accounts": 1,
    "parents_signed_in_7": Decimal("50.0"),
    "parents_signed_in_30": Decimal("50.0"),
    "parents_diary_7": Decimal("50.0"),
    "parents_diary_30": Decimal("50.0"),
    "pupils_signed_in_7": Decimal("0.0"),
    "pupils_signed_in_30": Decimal("50.0"),
    "pupils_diary_7": Decimal("0.0"),
    "pupils_diary_30": Decimal("50.0"),
    "codes": 3,
    "redeemed": 1,
}


def test_the_class_teacher_sees_their_class_s_shares_of_parents_and_pupils(client):
    f, now = active_class()
    client.force_login(f.class_teacher)
    with time_machine.travel(now, tick=False):
        response = client.get(school_reverse(f.school, "reports:activity"))
    assert response.status_code == 200
    [row] = response.context["document"].rows
    assert row.values == EXPECTED
    html = response.content.decode()
    assert "Активность семей" in html and "50\u00a0%" in html and "<table" in html


def test_the_export_holds_the_same_figures_cell_by_cell(client):
    f, now = active_class()
    client.force_login(f.class_teacher)
    url = school_reverse(f.school, "reports:activity")
    with time_machine.travel(now, tick=False):
        book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
        pdf = client.get(url, {"format": "pdf"})
    sheet = book.active
    header = next(r for r in sheet.iter_rows() if r[0].value == "Класс")
    groups = [c.value for c in sheet[header[0].row - 1]]
    assert groups[1] == "Родители" and groups[6] == "Обучающиеся" and groups[12] == "Коды доступа"
    assert [c.value for c in header] == [
        "Класс",
        "всего",
        "входили за 7 дн.",
        "входили за 30 дн.",
        "открывали дневник за 7 дн.",
        "открывали дневник за 30 дн.",
        "в классе",
        "с учётной записью",
        "входили за 7 дн.",
        "входили за 30 дн.",
        "открывали дневник за 7 дн.",
        "открывали дневник за 30 дн.",
        "выдано",
        "использовано",
    ]
    cells = sheet[header[0].row + 1]
    assert [c.value for c in cells] == ["5А", 2, 50, 50, 50, 50, 2, 1, 0, 50, 0, 50, 3, 1]
    assert cells[1].data_type == "n" and cells[2].number_format.endswith('" %"')
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Активность семей" in text and "5А" in text and "50 %" in text.replace("\u00a0", " ")


def test_the_page_costs_the_same_queries_for_one_class_and_for_four(client):
    sizes = []
    for classes in (1, 4):
        f, now = active_class()
        for n in range(1, classes):
            extra = make_class(f.school, 6 + n, "Б", year=f.year)
            for k in range(3):
                pupil = make_pupil(f.school, extra, last_name=f"Ученик{k}")
                make_parent(f.school, pupil)
        deputy = make_member(f.school, Role.DEPUTY, last_name="Завучева")
        client.force_login(deputy)
        with time_machine.travel(now, tick=False):
            sizes.append(
                queries_of(
                    client, school_reverse(f.school, "reports:activity"), {"scope": "school"}
                )
            )
            report = client.get(school_reverse(f.school, "reports:activity"), {"scope": "school"})
        rows = report.context["document"].rows
        assert len(rows) == classes + (classes > 1)  # and a line of totals
    assert sizes[0] == sizes[1]


def test_a_diary_counts_for_the_class_of_the_child_it_was_opened_for(client):
    f, now = active_class()
    younger = make_class(f.school, 2, "Б", year=f.year)
    sister = make_pupil(f.school, younger, last_name="Смирнова")
    with scopes_disabled():
        from accounts.models import ParentLink

        ParentLink.objects.create(school=f.school, parent=f.parent, pupil=sister)
    deputy = make_member(f.school, Role.DEPUTY)
    client.force_login(deputy)
    with time_machine.travel(now, tick=False):
        response = client.get(school_reverse(f.school, "reports:activity"), {"scope": "school"})
    rows = {r.values["name"]: r.values for r in response.context["document"].rows}
    # The parent entered the school (both classes count it) but opened the elder's diary only.
    assert rows["2Б"]["parents_n"] == 1 and rows["2Б"]["parents_signed_in_7"] == 100
    assert rows["2Б"]["parents_diary_30"] == 0
    assert rows["5А"]["parents_diary_7"] == 50
    assert rows["Итого"]["parents_n"] == 3
