"""Every school lives on its own clock: at one moment a school in Kaliningrad, one in Moscow
and one in Kamchatka may be on different days, and the grid, the diary, the times shown, the
locks and the deadlines all follow each school's own day."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_scopes import scopes_disabled

from accounts.navigation import school_reverse
from journal.services.messaging import start_thread
from tests.factories import make_parent
from tests.journal.grid_builders import add_lesson, build_journal

pytestmark = pytest.mark.django_db

# 21:30 UTC on 17 September: still the 17th in Kaliningrad (23:30), already the 18th in
# Moscow (00:30) and in Kamchatka (09:30).
MOMENT = datetime(2026, 9, 17, 21, 30, tzinfo=ZoneInfo("UTC"))
DAYS = {
    "Europe/Kaliningrad": date(2026, 9, 17),
    "Europe/Moscow": date(2026, 9, 18),
    "Asia/Kamchatka": date(2026, 9, 18),
}


def school_in(zone):
    journal = build_journal(1, 0)
    journal.school.timezone = zone
    journal.school.save()
    return journal


@pytest.mark.parametrize("zone", list(DAYS))
def test_the_grid_opens_the_lessons_of_the_schools_day_and_no_later(zone):
    with time_machine.travel(MOMENT, tick=False):
        journal = school_in(zone)
        assert journal.school.today() == DAYS[zone]
        on_the_18th = add_lesson(journal.course, date(2026, 9, 18))
        html = journal.client_for(journal.teacher).get(journal.url()).content.decode()
    opened = f"<input name=c{on_the_18th.pk}_" in html
    assert opened == (DAYS[zone] == date(2026, 9, 18))


@pytest.mark.parametrize("zone", list(DAYS))
def test_the_diary_marks_the_schools_today(zone):
    with time_machine.travel(MOMENT, tick=False):
        journal = school_in(zone)
        pupil = journal.pupils[0]
        parent = make_parent(journal.school, pupil)
        add_lesson(journal.course, date(2026, 9, 17))
        add_lesson(journal.course, date(2026, 9, 18), number=2)
        client = journal.client_for(parent)
        url = school_reverse(journal.school, "journal:diary_week", pupil=pupil.pk)
        html = client.get(url, {"week": "2026-09-14"}).content.decode()
    today = DAYS[zone].strftime("%d.%m")
    assert f"{today} — сегодня" in html
    assert html.count("— сегодня") == 1


def test_times_are_shown_on_the_schools_clock():
    with time_machine.travel(MOMENT, tick=False):
        journal = school_in("Asia/Kamchatka")
        with scopes_disabled():
            thread = start_thread(
                journal.school,
                journal.teacher,
                f"u{journal.class_teacher.pk}",
                subject="Расписание",
                body="Урок переносится",
            )
        url = school_reverse(journal.school, "journal:thread", pk=thread.pk)
        html = journal.client_for(journal.teacher).get(url).content.decode()
    assert "18.09.2026 09:30" in html  # not Moscow's 00:30


def test_a_record_locks_at_the_schools_midnight():
    # The lesson of the 10th locks after seven days: on the 18th of each school's calendar.
    results = {}
    for zone in DAYS:
        with time_machine.travel(MOMENT, tick=False):
            journal = school_in(zone)
            lesson = add_lesson(journal.course, date(2026, 9, 10))
            response = journal.client_for(journal.teacher).post(
                journal.cell_url(lesson, journal.pupils[0]),
                {"value": "5", "column": journal.main_type(lesson).id},
            )
        results[zone] = response.status_code
    assert results == {"Europe/Kaliningrad": 200, "Europe/Moscow": 409, "Asia/Kamchatka": 409}
