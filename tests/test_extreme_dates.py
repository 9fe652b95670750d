"""Dates in links: every page, with dates at and past the ends of any calendar, never 500.

Each page of the permission matrix (its own object, as someone it admits) is opened with
every date parameter a page reads (`?week=`, `?day=`, `?on=`, `?date=`) set to one value: a
date outside lib.dates' range answers 400 with its Russian message, or the page ignores the
parameter; a date inside the range is shown. Nothing answers 500.
"""

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode
from django_scopes import scopes_disabled

from .matrix import all_rows
from .world import World

ACTORS = ["deputy", "admin", "teacher", "class_teacher", "parent", "pupil"]
PARAMETERS = ("week", "day", "on", "date")
EXTREMES = ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01", "2026-02-30", "99999-1-1"]
OUT_OF_RANGE = "вне допустимого диапазона"


def pages():
    found = []
    for row in all_rows():
        if row.method != "get" or row.case in ("foreign", "other", "mismatch"):
            continue
        actor = next((a for a in ACTORS if row.expect.get(a) == 200), None)
        if actor is not None:
            found.append((row, actor))
    return found


PAGES = pages()


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        world = World.build()
        sessions = {}
        for actor in ACTORS:
            signed_in = Client()
            signed_in.force_login(world.users[actor])
            sessions[actor] = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
        yield world, sessions
        transaction.set_rollback(True)


def test_the_walk_covers_the_pages_that_read_dates():
    names = {row.url for row, _actor in PAGES}
    for name in (
        "journal:diary_week",
        "journal:today",
        "journal:grid",
        "journal:class_absences",
        "schedule:my_timetable",
        "schedule:substitute_day",
        "schedule:class_subgroups",
        "reports:weekly_pdf",
    ):
        assert name in names, name
    assert len(PAGES) > 80


@pytest.mark.django_db
@pytest.mark.parametrize("value", EXTREMES)
@pytest.mark.parametrize("row,actor", PAGES, ids=[f"{r.id}-{a}" for r, a in PAGES])
def test_no_page_answers_500_to_a_date_out_of_any_range(client, shared_world, row, actor, value):
    world, sessions = shared_world
    with scopes_disabled():
        kwargs = row.kwargs(world) if row.kwargs else {}
        data = row.query(world)
    if not row.public:
        kwargs["school_slug"] = world.school.slug
    query = {**data, **dict.fromkeys(PARAMETERS, value)}
    client.cookies[settings.SESSION_COOKIE_NAME] = sessions[actor]
    response = client.get(f"{reverse(row.url, kwargs=kwargs)}?{urlencode(query, doseq=True)}")
    assert response.status_code in (200, 302, 400), f"{row.id} as {actor}: {response.status_code}"
    if response.status_code == 400:
        text = response.content.decode()
        assert OUT_OF_RANGE in text or "не дата" in text or "Неверная дата" in text, row.id
