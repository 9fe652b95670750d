"""The figures the benchmark prints. Each function takes the run's options and yields
(name, value, unit); add a page's function to FIGURES (the diary's figures go here too)."""

from django.test import Client

from accounts.navigation import school_reverse
from schedule.versions import courses_changed

from . import data
from .timing import check, count_queries, p50, p95, timed, timed_pair
from .urls import BODY


def journal_grid(options):
    """The teacher's journal page of 30 pupils × 60 lessons, against the bare view: as it is
    viewed again (kept in the cache per version of the course's records) and as it is built
    after a change."""
    generated = data.journal(pupils=options.pupils, lessons=options.lessons)
    data.analyze()
    client = Client()
    client.force_login(generated.teacher)
    url = school_reverse(generated.school, "journal:grid", pk=generated.course.pk)
    page = check(client.get(url))
    cells = page.content.count(b"<input name=c")
    if cells < options.pupils * options.lessons:
        raise RuntimeError(
            f"the grid has {cells} inputs, expected {options.pupils * options.lessons}+"
        )
    yield "journal_grid_queries", count_queries(lambda: check(client.get(url))), "queries"
    # The floor: the same stack answering the same number of bytes, rendered beforehand.
    BODY["bytes"] = bytes(page.content)
    bare_url = f"/s/{generated.school.slug}/bench/bare/"
    bare = check(client.get(bare_url))
    assert len(bare.content) == len(page.content)
    grid_times, bare_times = timed_pair(
        lambda _i: check(client.get(url)),
        lambda _i: check(client.get(bare_url)),
        runs=options.runs,
    )
    yield "journal_grid_bytes", len(page.content), "bytes"
    yield "journal_grid_ms_p50", round(p50(grid_times), 2), "ms"
    yield "journal_grid_ms_p95", round(p95(grid_times), 2), "ms"
    yield "bare_view_ms_p50", round(p50(bare_times), 2), "ms"
    yield "journal_grid_vs_bare_ratio", round(p50(grid_times) / p50(bare_times), 2), "x"

    # The same page built anew, as on the first view after any change to the course's records
    # (schedule.versions): the course's version is dropped before each request, which adds
    # one Redis DEL to the timed call.
    def uncached(_i):
        courses_changed([generated.course.pk], school_id=generated.school.pk)
        return check(client.get(url))

    yield "journal_grid_uncached_queries", count_queries(lambda: uncached(0)), "queries"
    cold_times, cold_bare_times = timed_pair(
        uncached, lambda _i: check(client.get(bare_url)), runs=options.runs
    )
    yield "journal_grid_uncached_ms_p50", round(p50(cold_times), 2), "ms"
    yield "journal_grid_uncached_ms_p95", round(p95(cold_times), 2), "ms"
    ratio = round(p50(cold_times) / p50(cold_bare_times), 2)
    yield "journal_grid_uncached_vs_bare_ratio", ratio, "x"

    # After a mark or an absence (what a cell save drops: the page, not its frame — the
    # course's lessons, pupils and periods, kept apart), the commonest change by far.
    def after_mark(_i):
        courses_changed([generated.course.pk], school_id=generated.school.pk, marks_only=True)
        return check(client.get(url))

    yield "journal_grid_after_mark_queries", count_queries(lambda: after_mark(0)), "queries"
    mark_times, mark_bare_times = timed_pair(
        after_mark, lambda _i: check(client.get(bare_url)), runs=options.runs
    )
    yield "journal_grid_after_mark_ms_p50", round(p50(mark_times), 2), "ms"
    ratio = round(p50(mark_times) / p50(mark_bare_times), 2)
    yield "journal_grid_after_mark_vs_bare_ratio", ratio, "x"

    # Saving a mark as the teacher types it: one cell a request, each a real change.
    lesson = generated.today_lesson
    column = str(_main_column(generated, lesson))
    pupils = generated.pupils

    def save(i):
        pupil = pupils[i % len(pupils)]
        value = "54"[(i // len(pupils)) % 2]
        url = school_reverse(generated.school, "journal:cell", pk=lesson.pk, pupil_pk=pupil.pk)
        response = check(client.post(url, {"value": value, "column": column}))
        return response

    counter = iter(range(10**6, 2 * 10**6))
    yield "mark_save_queries", count_queries(lambda: save(next(counter))), "queries"
    save_times = timed(save, runs=options.runs * 2)
    yield "mark_save_ms_p50", round(p50(save_times), 2), "ms"
    yield "mark_save_ms_p95", round(p95(save_times), 2), "ms"


def _main_column(generated, lesson):
    from grading.services.marks import work_types

    return work_types(generated.school).main_for(lesson.kind).id


FIGURES = [journal_grid]

# The parents' diary (issue 5): its figures live in bench/diary.py.
from .diary import diary_week  # noqa: E402

FIGURES.append(diary_week)

# The school's reports (issue 13): bench/reports.py builds the demo's large school.
from .reports import school_reports  # noqa: E402

FIGURES.append(school_reports)

# The control of journal keeping (issue 12): the nightly check and the deputy's dashboard.
from .control import control  # noqa: E402

FIGURES.append(control)

# The year's archive (issue 14): bench/archive.py.
from .archive import archive_figures  # noqa: E402

FIGURES.append(archive_figures)

# Pages at a small and a large school (issue 16): bench/region.py.
from .region import region  # noqa: E402

FIGURES.append(region)
