"""The control of journal keeping: the nightly check of a whole school and the deputy's
dashboard over it.

The school is the demo's large one (bench/reports.py builds it with seed_demo's builders:
some 1,300 pupils, a year of lessons, marks, absences and final marks kept up to 20 May);
when the reports' figure has run before, its school is reused rather than generated again.
The clock stands at 20 May, 21:00 of the school (time_machine), the day the journal is kept
to. `control_check_s`: the first check of the school (every row inserted) and
`control_recheck_s` the next (every row updated); the dashboard is the third quarter for the
whole school as the deputy opens it, viewed again (kept in the cache per version of the
school's records, its day and the check's run) against the bare view of the same bytes
(bench/urls.py), and built anew.
"""

import time
from datetime import date, datetime
from datetime import time as day_time

import time_machine
from django.test import Client
from django_scopes import scopes_disabled

from accounts.models import School, User
from accounts.navigation import school_reverse
from reports.models import Shortfall
from reports.services.control import do_check_school
from schedule.models import Enrolment, SchoolYear, StudyPeriod
from schedule.versions import everything_changed

from .data import analyze
from .reports import GRADES
from .timing import check, count_queries, p50, timed, timed_pair
from .urls import BODY


def _school(today):
    from accounts.management.commands.seed_demo import seed

    with scopes_disabled():
        school = School.objects.filter(slug="school1").first()
    if school is None:
        seed(pupils=30, classes=4, grades=GRADES, seed_value=2026, today=today)
        analyze()
        with scopes_disabled():
            school = School.objects.get(slug="school1")
    return school


def control(options):
    first_year = SchoolYear.first_year_for(School(timezone="Europe/Moscow").today())
    today = date(first_year + 1, 5, 20)
    school = _school(today)
    evening = datetime.combine(today, day_time(21, 0), school.zone)
    with time_machine.travel(evening, tick=True):
        with scopes_disabled():
            pupils = Enrolment.objects.filter(school=school).on(today).count()
        yield "control_school_pupils", pupils, "pupils"
        start = time.perf_counter()
        result = do_check_school(school.pk)
        yield "control_check_s", round(time.perf_counter() - start, 2), "s"
        yield "control_shortfalls_open", result.open, "rows"
        start = time.perf_counter()
        do_check_school(school.pk)
        yield "control_recheck_s", round(time.perf_counter() - start, 2), "s"
        with scopes_disabled():
            yield "control_shortfalls_rows", Shortfall.objects.filter(school=school).count(), "rows"
            # The current year's (the demo keeps a closed year before it).
            quarter = StudyPeriod.objects.get(
                school=school, kind="quarter", number=3, year__closed_at__isnull=True
            )
        analyze()
        client = Client()
        client.force_login(User.objects.get(username="deputy"))
        url = school_reverse(school, "reports:control")
        query = {"year": quarter.year_id, "span": f"period:{quarter.pk}", "scope": "school"}
        page = check(client.get(url, query))
        yield (
            "control_dashboard_queries",
            count_queries(lambda: check(client.get(url, query))),
            "queries",
        )
        BODY["bytes"] = bytes(page.content)
        bare_url = f"/s/{school.slug}/bench/bare/"
        assert len(check(client.get(bare_url)).content) == len(page.content)
        times, bare_times = timed_pair(
            lambda _i: check(client.get(url, query)),
            lambda _i: check(client.get(bare_url)),
            runs=max(5, options.runs // 4),
            warmup=2,
        )
        yield "control_dashboard_bytes", len(page.content), "bytes"
        yield "control_dashboard_ms_p50", round(p50(times), 2), "ms"
        yield "control_dashboard_vs_bare_ratio", round(p50(times) / p50(bare_times), 2), "x"

        # Built anew, as on the first view after the evening's check or any change to the
        # school's records (the table is kept per version, school day and check).
        def uncached(_i):
            everything_changed()
            return check(client.get(url, query))

        yield "control_dashboard_uncached_queries", count_queries(lambda: uncached(0)), "queries"
        cold = timed(uncached, runs=max(5, options.runs // 6), warmup=1)
        yield "control_dashboard_uncached_ms_p50", round(p50(cold), 2), "ms"
