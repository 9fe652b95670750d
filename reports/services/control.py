"""The nightly check of journal keeping: `do_check_school` finds the school's shortfalls.

Every evening at the school's hour (Regulation.control_hour; reports.tasks.control_tick
queues it), or when the deputy asks, the check reads the year's records against the
regulation (reports.services.control_kinds) and keeps one Shortfall row per thing to fix:

- a row is unique per (school, kind, key): the rows found are written with one upsert
  (INSERT … ON CONFLICT DO UPDATE), so a re-run updates the same rows — `found_at` stays as
  first found, a row fixed and broken again opens again;
- every row carries the number of the check that last found it; the rows an earlier check
  found and this one did not are closed (`fixed_at`): their record was entered;
- the pupils at risk are kept by the same check (reports.services.risk), each entry's notice
  queued after commit;
- the school's ControlState row is locked (SELECT … FOR UPDATE) for the whole check, in one
  transaction: two checks of a school at once (two workers, a redelivered task) run one after
  the other, and the second finds what the first wrote.
"""

import time as clock
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as day_time

from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import School
from schedule.models import SchoolYear

from ..models import ControlState, Shortfall
from . import control_counts
from .control_kinds import FINDERS, gather
from .risk import do_update_risk
from .scope import Selection

UPDATED = ["course", "lesson", "pupil", "period", "teacher", "deadline", "detail"]
UPDATED += ["checked_at", "fixed_at", "run"]


@dataclass(frozen=True)
class CheckResult:
    school_id: int
    on: date
    run: int
    open: int
    closed: int
    seconds: float


def _locked_state(school) -> ControlState:
    ControlState.objects.get_or_create(school=school)
    return ControlState.objects.select_for_update().get(school=school)


def check_moment(school, on: date) -> datetime:
    """The moment the check stands at: now for the school's today, the day's end for
    another day (a check asked for a past day sees that day's deadlines as passed)."""
    now = timezone.now()
    if on == school.today():
        return now
    return datetime.combine(on, day_time(23, 59, 59), school.zone)


def year_of(school, on: date):
    return SchoolYear.objects.filter(school=school).on(on).order_by("-start").first()


def do_check_school(school_id: int, on: date | None = None, notify: bool = True) -> CheckResult:
    """Check the school on `on` (the school's today by default). Idempotent; safe to run
    twice at once. `notify=False` (the demo) keeps new pupils at risk without notices."""
    started = clock.perf_counter()
    with scopes_disabled(), transaction.atomic():
        school = School.objects.select_related("regulation").get(pk=school_id)
        state = _locked_state(school)
        on = on or school.today()
        moment = check_moment(school, on)
        state.runs += 1
        run = state.runs
        year = year_of(school, on)
        found = []
        if year is not None:
            facts = gather(school, year, on, moment, run)
            for finder in FINDERS:
                found += finder(facts)
        Shortfall.objects.bulk_create(
            found,
            update_conflicts=True,
            unique_fields=["school", "kind", "key"],
            update_fields=UPDATED,
            batch_size=2000,
        )
        closed = (
            Shortfall.objects.filter(school=school, fixed_at__isnull=True)
            .exclude(run=run)
            .update(fixed_at=moment)
        )
        if year is not None:
            # The pupils at risk, kept under the same lock (their notices go after commit).
            do_update_risk(Selection(school, year), on, notify=notify)
        opened = sum(1 for row in found if row.fixed_at is None)
        seconds = clock.perf_counter() - started
        state.checked_at = moment
        state.checked_on = on
        state.seconds = seconds
        state.found = opened
        state.save()
    control_counts.publish(school_id)
    return CheckResult(school_id, on, run, opened, closed, seconds)


def due_checks(now: datetime | None = None) -> list[tuple[int, date]]:
    """(school, day) of the schools whose check hour has come today and whose day is not
    checked yet (the hourly tick; a missed hour is caught up later the same day)."""
    now = now or timezone.now()
    due = []
    with scopes_disabled():
        schools = School.objects.select_related("regulation", "control_state")
        for school in schools:
            local = now.astimezone(school.zone)
            if local.hour < school.regulation.control_hour:
                continue
            state = getattr(school, "control_state", None)
            if state is not None and state.checked_on == local.date():
                continue
            due.append((school.pk, local.date()))
    return due


def open_shortfalls(school, teacher=None):
    rows = Shortfall.objects.filter(school=school, fixed_at__isnull=True)
    if teacher is not None:
        rows = rows.filter(teacher=teacher)
    return rows
