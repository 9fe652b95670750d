"""Which school year a page or a task is about.

One rule everywhere: the year asked for (?year=<pk>), else the year holding the school's day,
else the next one to start (late August: the coming year is the one being set up), else the
latest.
"""

from datetime import date

from ..models import SchoolYear


def year_for(years, today: date) -> SchoolYear | None:
    """Of `years`: the one holding `today`, else the next to start, else the latest."""
    years = sorted(years, key=lambda y: y.start)
    holding = next((y for y in years if y.start <= today <= y.end), None)
    if holding is not None:
        return holding
    upcoming = [y for y in years if y.start > today]
    if upcoming:
        return upcoming[0]
    return years[-1] if years else None


def school_year(school, today: date | None = None) -> SchoolYear | None:
    """The school's year by the rule above, on its own day (one query)."""
    return year_for(SchoolYear.objects.filter(school=school), today or school.today())


def chosen_year(request) -> tuple[SchoolYear | None, list[SchoolYear]]:
    """(the year a page shows, the school's years newest first) — one query."""
    years = list(SchoolYear.objects.order_by("-start"))
    wanted = request.GET.get("year", "")
    year = next((y for y in years if str(y.pk) == wanted), None)
    return year or year_for(years, request.school.today()), years
