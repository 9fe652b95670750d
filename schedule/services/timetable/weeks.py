"""Dated weeks: a week's days with their lessons, bell times and navigation."""

from collections import defaultdict
from datetime import date, timedelta

from django.utils.translation import gettext as _

from lib.dates import monday_of

from ...models import (
    Bell,
    Weekday,
)
from .labels import with_teachers


def bell_times(schedule_ids) -> dict:
    """{(bell schedule id, number): «08:30–09:10»} for the given schedules: one query."""
    ids = {i for i in schedule_ids if i}
    if not ids:
        return {}
    return {
        (b.schedule_id, b.number): f"{b.start:%H:%M}–{b.end:%H:%M}"
        for b in Bell.objects.filter(schedule_id__in=ids)
    }


def week_days(monday: date, lessons, today: date) -> list[dict]:
    """Days of a week (Monday–Friday, Saturday if used), each with its lessons in order."""
    lessons = list(lessons)
    times = bell_times(lesson.course.school_class.bell_schedule_id for lesson in lessons)
    by_day = defaultdict(list)
    for lesson in lessons:
        lesson.time = times.get((lesson.course.school_class.bell_schedule_id, lesson.number), "")
        by_day[lesson.date].append(lesson)
    count = 6 if any(d.isoweekday() == 6 for d in by_day) else 5
    days = []
    for offset in range(count):
        day = monday + timedelta(days=offset)
        days.append(
            {
                "date": day,
                "name": Weekday(day.isoweekday()).label,
                "today": day == today,
                "lessons": sorted(by_day[day], key=lambda item: (item.number, item.course_id)),
            }
        )
    return days


def week_lessons(queryset, monday: date):
    """The lessons of a week with everything a week page shows: a fixed number of queries."""
    return with_teachers(
        queryset.filter(date__gte=monday, date__lte=monday + timedelta(days=6)).select_related(
            "course__school_class",
            "course__subject",
            "course__subgroup",
            "room",
            "substitute",
            "moved_to",
        )
    ).order_by("date", "number", "course_id")


def week_navigation(monday: date, today: date) -> dict:
    return {
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "previous": (monday - timedelta(days=7)).isoformat(),
        "next": (monday + timedelta(days=7)).isoformat(),
        "this": monday_of(today).isoformat(),
        "parity": _("нечётная неделя") if monday.isocalendar().week % 2 else _("чётная неделя"),
    }
