"""Reports' figures: «Итоги успеваемости» and «Посещаемость» of a whole generated school.

The school is the demo's (seed_demo's builders): four classes in each grade 1–11 of thirty
pupils — some 1,300 pupils with their parents, sixty-odd teachers — its journal kept up to
20 May of the school year: a year of lessons, marks, absences, and the final marks of the
three quarters over. The reports are those of the third quarter for the whole school, as the
deputy opens them: viewed again (kept in the cache per version of the school's records), and
built anew after a change; the XLSX of the whole school; each against the bare view of the
same bytes (bench/urls.py).
"""

from datetime import date

from django.test import Client
from django_scopes import scopes_disabled

from accounts.management.commands.seed_demo import seed
from accounts.models import School, User
from accounts.navigation import school_reverse
from schedule.models import Enrolment, SchoolYear, StudyPeriod
from schedule.versions import everything_changed

from .data import analyze
from .timing import check, count_queries, p50, timed, timed_pair
from .urls import BODY

GRADES = list(range(1, 12))


def school_reports(options):
    first_year = SchoolYear.first_year_for(School(timezone="Europe/Moscow").today())
    seed(pupils=30, classes=4, grades=GRADES, seed_value=2026, today=date(first_year + 1, 5, 20))
    analyze()
    with scopes_disabled():
        school = School.objects.get(slug="school1")
        quarter = StudyPeriod.objects.get(
            school=school, kind="quarter", number=3, year__closed_at__isnull=True
        )
        pupils = Enrolment.objects.filter(school=school).on(quarter.end).count()
    yield "report_school_pupils", pupils, "pupils"
    client = Client()
    client.force_login(User.objects.get(username="deputy"))
    query = {"year": quarter.year_id, "span": f"period:{quarter.pk}", "scope": "school"}
    yield from _page(client, school, "reports:progress", query, "report_progress_school", options)
    url = school_reverse(school, "reports:progress")
    xlsx = timed(lambda _i: check(client.get(url, {**query, "format": "xlsx"})), runs=5, warmup=1)
    yield "report_progress_school_xlsx_s", round(p50(xlsx) / 1000, 3), "s"
    yield from _page(
        client, school, "reports:attendance", query, "report_attendance_school", options
    )


def _page(client, school, name, query, figure, options):
    url = school_reverse(school, name)
    page = check(client.get(url, query))
    yield f"{figure}_queries", count_queries(lambda: check(client.get(url, query))), "queries"
    BODY["bytes"] = bytes(page.content)
    bare_url = f"/s/{school.slug}/bench/bare/"
    assert len(check(client.get(bare_url)).content) == len(page.content)
    times, bare_times = timed_pair(
        lambda _i: check(client.get(url, query)),
        lambda _i: check(client.get(bare_url)),
        runs=options.runs,
    )
    yield f"{figure}_bytes", len(page.content), "bytes"
    yield f"{figure}_ms_p50", round(p50(times), 2), "ms"
    yield f"{figure}_vs_bare_ratio", round(p50(times) / p50(bare_times), 2), "x"

    # Built anew, as on the first view after any change to the school's records.
    def uncached(_i):
        everything_changed()
        return check(client.get(url, query))

    yield f"{figure}_uncached_queries", count_queries(lambda: uncached(0)), "queries"
    cold = timed(uncached, runs=max(5, options.runs // 6), warmup=1)
    yield f"{figure}_uncached_ms_p50", round(p50(cold), 2), "ms"
