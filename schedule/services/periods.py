"""Study periods as spans of dates, and the choice of one for a page.

A course's periods are those of its year that cover its class's grade; a school that has set
no periods studies the whole year as one span.
"""

from dataclasses import dataclass
from datetime import date

from ..models import StudyPeriod


@dataclass
class Span:
    """A study period, or the whole year when the school has set no periods."""

    pk: int | None
    name: str
    start: date
    end: date


def periods_of(course) -> list[Span]:
    grade = course.school_class.grade
    spans = [
        Span(pk, StudyPeriod(number=number, kind=kind).name, start, end)
        for pk, number, kind, start, end in StudyPeriod.objects.filter(year_id=course.year_id)
        .for_grade(grade)
        .order_by("start")
        .values_list("pk", "number", "kind", "start", "end")
    ]
    return spans or [Span(None, str(course.year), course.year.start, course.year.end)]


def choose_period(periods, *, pk=None, on: date | None = None, today: date):
    """The period a page shows, of `periods` in date order (StudyPeriods or Spans).

    The one asked for by `pk` (None if it is not among them: the page answers 404); else the
    one holding `on`, or today; else the last one begun; else the first. None for no periods.
    """
    if pk not in (None, ""):
        return next((p for p in periods if str(p.pk) == str(pk)), None)
    day = on or today
    holding = next((p for p in periods if p.start <= day <= p.end), None)
    if holding:
        return holding
    begun = [p for p in periods if p.start <= day]
    if begun:
        return begun[-1]
    return periods[0] if periods else None
