"""The region's figures: each main page at a small and at a large school, and the ratio.

The demo's schools (seed_demo's builders) twice: small (two classes of eight pupils) and
large (four classes in each grade 1–11 of thirty: some 1,300 pupils, a year of lessons,
marks and absences), each with the demo's second school beside it. Each page is timed as
its first view after a change (every version dropped before each request): what a page
costs to build, which must depend on what it shows — one pupil, course, lesson or class —
not on the size of the school (the ratio large / small, ≤ 1.3 for those pages).
"""

from datetime import date, timedelta

from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django_scopes import scopes_disabled

from accounts.management.commands.seed_demo import seed
from accounts.models import ParentLink, School, User
from accounts.navigation import school_reverse
from schedule.models import CourseTeacher, Enrolment, Lesson, SchoolYear
from schedule.versions import everything_changed

from .data import analyze
from .timing import check, p50, timed

SIZES = {
    "small": {"pupils": 8, "classes": 1, "grades": [5, 9]},
    "large": {"pupils": 30, "classes": 4, "grades": list(range(1, 12))},
}
# Pages about one pupil, course, lesson or class: their ratio is the figure to hold.
ONE_THING = ["diary_week", "diary_marks", "diary_attendance", "grid", "lesson", "class"]


def _pages(today) -> dict[str, tuple[str, str]]:
    """{page: (username, path)} in the seeded school."""
    with scopes_disabled():
        school = School.objects.get(slug="school1")
        child = ParentLink.objects.filter(parent__username="parent").first().pupil
        course = CourseTeacher.objects.filter(teacher__username="teacher").first().course
        held = Lesson.objects.filter(course=course, date__lte=today).order_by("-date").first()
        school_class = Enrolment.objects.filter(pupil=child).order_by("-start").first()
    monday = held.date - timedelta(days=held.date.weekday())
    pupil = child.pk
    return {
        "diary_week": (
            "parent",
            school_reverse(school, "journal:diary_week", pupil=pupil) + f"?week={monday}",
        ),
        "diary_marks": ("parent", school_reverse(school, "journal:diary_marks", pupil=pupil)),
        "diary_attendance": (
            "parent",
            school_reverse(school, "journal:diary_attendance", pupil=pupil),
        ),
        "grid": ("teacher", school_reverse(school, "journal:grid", pk=course.pk)),
        "lesson": ("teacher", school_reverse(school, "journal:lesson_edit", pk=held.pk)),
        "class": (
            "deputy",
            school_reverse(school, "schedule:class", pk=school_class.school_class_id),
        ),
        "plans": ("deputy", school_reverse(school, "journal:plans")),
        "courses": ("deputy", school_reverse(school, "schedule:courses")),
        "pupils": ("deputy", school_reverse(school, "accounts:pupils")),
    }


def _measure(options) -> dict[str, float]:
    clients, times = {}, {}
    today = date(SchoolYear.first_year_for(School(timezone="Europe/Moscow").today()) + 1, 5, 20)
    for page, (username, path) in _pages(today).items():
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        client = clients[username]
        check(client.get(path))

        def first_view(_i, client=client, path=path):
            everything_changed()
            return check(client.get(path))

        times[page] = p50(timed(first_view, runs=max(10, options.runs // 3), warmup=2))
    return times


def region(options):
    first_year = SchoolYear.first_year_for(School(timezone="Europe/Moscow").today())
    measured = {}
    for size, shape in SIZES.items():
        call_command("flush", verbosity=0, interactive=False)
        cache.clear()
        seed(**shape, seed_value=2026, today=date(first_year + 1, 5, 20))
        analyze()
        with scopes_disabled():
            yield f"region_{size}_pupils", Enrolment.objects.count(), "pupils"
            yield f"region_{size}_lessons", Lesson.objects.count(), "lessons"
        measured[size] = _measure(options)
    for page, small in measured["small"].items():
        large = measured["large"][page]
        yield f"region_{page}_small_ms_p50", round(small, 2), "ms"
        yield f"region_{page}_large_ms_p50", round(large, 2), "ms"
        yield f"region_{page}_large_vs_small_ratio", round(large / small, 2), "x"
