"""Посещаемость against three school days of 5А worked out by hand.

Mon 10.11.2025: математика, русский, физкультура, and English for its group (Аня, Вера).
Tue 11.11: математика, русский, физкультура. Wed 12.11: математика, русский; PE cancelled.

  Аня    Mon: all four lessons ill                 → a day, by illness; 4 lessons ill
  Вера   Mon: maths, Russian, PE «н»; at English   → no day (she had a lesson); 3 unexcused
  Борис  Mon: two «у», one «б» (all his three)     → a day, excused; 1 ill, 2 excused
  Глеб   Tue: «б», «н», «б» (all three)            → a day, unexcused; 2 ill, 1 unexcused
  Дина   Wed: maths and Russian «б» (PE cancelled) → a day, by illness; 2 ill
  Егор   late on Mon and Tue                       → 2 lates
  Жанна  an «н» taken back (cleared)               → nothing

5А: 15 lessons (9 ill, 2 excused, 4 unexcused), 4 days (2 ill, 1 excused, 1 unexcused), 2 late.
"""

import io
from datetime import date

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from accounts.models import Role
from accounts.navigation import school_reverse
from journal.models import Attendance
from reports.params import month_span
from reports.services.attendance import absences, attendance_ledger, attendance_report
from reports.services.scope import Selection
from schedule.models import Lesson
from tests.factories import make_member

from .counting import queries_of
from .hand_school import build, grow, lesson

pytestmark = pytest.mark.django_db

MON, TUE, WED = date(2025, 11, 10), date(2025, 11, 11), date(2025, 11, 12)


@pytest.fixture
def hand():
    hand = build()
    days = {
        MON: ["math", "russian", "pe", "english"],
        TUE: ["math", "russian", "pe"],
        WED: ["math", "russian"],
    }
    lessons = {}
    for day, keys in days.items():
        for number, key in enumerate(keys, 1):
            lessons[(day, key)] = lesson(hand, key, day, number)
    lesson(hand, "pe", WED, 3, status=Lesson.Status.CANCELLED)
    marks = [
        ("Аня", MON, ["math", "russian", "pe", "english"], ["ill"] * 4),
        ("Вера", MON, ["math", "russian", "pe"], ["absent"] * 3),
        ("Борис", MON, ["math", "russian", "pe"], ["excused", "excused", "ill"]),
        ("Глеб", TUE, ["math", "russian", "pe"], ["ill", "absent", "ill"]),
        ("Дина", WED, ["math", "russian"], ["ill", "ill"]),
        ("Егор", MON, ["math"], ["late"]),
        ("Егор", TUE, ["russian"], ["late"]),
        ("Жанна", TUE, ["math"], ["absent"]),
    ]
    with scopes_disabled():
        for name, day, keys, codes in marks:
            for key, code in zip(keys, codes, strict=True):
                Attendance.objects.create(
                    school=hand.school,
                    lesson=lessons[(day, key)],
                    pupil=hand.pupils[name],
                    code=code,
                    minutes_late=5 if code == "late" else None,
                    set_by=hand.teachers["math"],
                )
        Attendance.objects.filter(pupil=hand.pupils["Жанна"]).update(deleted_at=timezone.now())
    return hand


NOVEMBER = month_span(date(2025, 11, 1))


def figures_of(hand, name):
    with scopes_disabled():
        found = absences([hand.fifth.pk], NOVEMBER.start, NOVEMBER.end)
    item = found.get((hand.pupils[name].pk, hand.fifth.pk))
    if item is None:
        return None
    return (
        (item.lessons, item.lessons_ill, item.lessons_excused, item.lessons_unexcused),
        (item.days, item.days_ill, item.days_excused, item.days_unexcused),
        item.late,
    )


@pytest.mark.parametrize(
    "name,expected",
    [
        ("Аня", ((4, 4, 0, 0), (1, 1, 0, 0), 0)),
        ("Вера", ((3, 0, 0, 3), (0, 0, 0, 0), 0)),
        ("Борис", ((3, 1, 2, 0), (1, 0, 1, 0), 0)),
        ("Глеб", ((3, 2, 0, 1), (1, 0, 0, 1), 0)),
        ("Дина", ((2, 2, 0, 0), (1, 1, 0, 0), 0)),
        ("Егор", ((0, 0, 0, 0), (0, 0, 0, 0), 2)),
        ("Жанна", None),
    ],
)
def test_each_pupil_is_counted_as_worked_out_by_hand(hand, name, expected):
    assert figures_of(hand, name) == expected


def test_the_class_ledger_lists_every_pupil_with_the_class_total(hand):
    with scopes_disabled():
        report = attendance_report(
            Selection(hand.school, hand.year, "class", hand.fifth.pk), NOVEMBER
        )
    names = [r.values.get("name") for r in report.rows]
    assert len(names) == 13 + 1  # 12 now, Максим (left 28.11), and the total
    assert "Максимва Максим" in names and names[-1] == "Итого по классу 5А"
    total = report.rows[-1].values
    assert [
        total[k] for k in ("lessons", "lessons_ill", "lessons_excused", "lessons_unexcused")
    ] == [
        15,
        9,
        2,
        4,
    ]
    assert [total[k] for k in ("days", "days_ill", "days_excused", "days_unexcused")] == [
        4,
        2,
        1,
        1,
    ]
    assert total["late"] == 2


def test_the_school_has_a_row_per_class_and_a_filter_lists_those_who_missed_most(hand):
    with scopes_disabled():
        whole = attendance_report(Selection(hand.school, hand.year), NOVEMBER)
        filtered = attendance_report(Selection(hand.school, hand.year), NOVEMBER, at_least=3)
    rows = {r.values["name"]: r.values for r in whole.rows}
    assert set(rows) == {"1А", "5А", "10А", "Итого"}
    assert (rows["5А"]["pupils"], rows["5А"]["lessons"], rows["5А"]["days"]) == (12, 15, 4)
    assert rows["Итого"]["lessons"] == 15 and rows["1А"]["lessons"] == 0
    listed = [r.values["name"] for r in filtered.rows if r.kind == "data"]
    assert listed == ["Анява Аня", "Борисва Борис", "Верава Вера", "Глебва Глеб"]
    assert [r.values["name"] for r in filtered.rows if r.kind == "group"] == ["5А"]
    # The totals still count everyone.
    assert filtered.rows[-1].values["lessons"] == 15
    assert any("не меньше 3 уроков" in note for note in filtered.footnotes)


def test_the_years_ledger_goes_by_months(hand):
    with scopes_disabled():
        report = attendance_ledger(hand.school, hand.fifth)
    groups = [c.group for c in report.columns[2:]]
    assert groups[:3] == ["сентябрь"] * 3 and groups[-3:] == ["За год"] * 3
    row = next(r for r in report.rows if r.values.get("pupil") == "Анява Аня").values
    assert (row["2025-11-days"], row["2025-11-days_ill"], row["2025-11-lessons"]) == (1, 1, 4)
    assert (row["year-days"], row["year-lessons"]) == (1, 4)
    assert row.get("2025-10-days") is None  # nothing missed: an empty cell
    total = report.rows[-1].values
    assert (total["year-lessons"], total["year-days"], total["year-days_ill"]) == (15, 4, 2)


def test_the_xlsx_of_the_ledger_keeps_numbers_and_headings(client, hand):
    deputy = make_member(hand.school, Role.DEPUTY)
    client.force_login(deputy)
    response = client.get(
        school_reverse(hand.school, "reports:attendance"),
        {
            "year": hand.year.pk,
            "span": "month:2025-11",
            "scope": f"class:{hand.fifth.pk}",
            "format": "xlsx",
        },
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Сводная ведомость учёта посещаемости"
    heads = [c.value for c in sheet[8]]
    assert heads == [
        "№",
        "Обучающийся",
        "всего",
        "по болезни",
        "по уважит.",
        "без уважит.",
        "всего",
        "по болезни",
        "по уважит.",
        "без уважит.",
        "Опозданий",
    ]
    assert [c.value for c in sheet[7]][2] == "Пропущено уроков"
    assert [c.value for c in sheet[7]][6] == "Пропущено дней"
    anya = next(r for r in sheet.iter_rows(min_row=9) if r[1].value == "Анява Аня")
    assert [c.value for c in anya[2:]] == [4, 4, 0, 0, 1, 1, 0, 0, 0]
    assert all(c.data_type == "n" for c in anya[2:])
    assert sheet.freeze_panes == "C9"


def test_the_attendance_page_costs_the_same_queries_at_two_sizes(client, hand):
    deputy = make_member(hand.school, Role.DEPUTY)
    client.force_login(deputy)
    url = school_reverse(hand.school, "reports:attendance")
    query = {"year": hand.year.pk, "span": "month:2025-11", "scope": "school"}

    def count(**extra):
        return queries_of(client, url, {**query, **extra})

    count()
    small, small_filtered = count(), count(min=1)
    grow(hand, 4)
    assert (count(), count(min=1)) == (small, small_filtered)
