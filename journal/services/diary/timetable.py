"""A pupil's weekly timetable, with subgroups applied."""

from datetime import date

from django.db.models import Exists, OuterRef, Q

from schedule.models import (
    SubgroupMembership,
    TimetableEntry,
)

from .queries import bell_time, hour_minute
from .week import WEEKDAY_NAMES


def timetable(pupil, day: date | None = None):
    """The pupil's weekly timetable valid on `day`: rows by lesson number, a cell per weekday
    with subject, subgroup, room and teachers. Two queries."""
    day = day or pupil.school.today()
    school_class = pupil.school_class
    if school_class is None:
        return {"weekdays": [], "rows": [], "days": []}
    member = Exists(
        SubgroupMembership.objects.filter(
            pupil_id=pupil.pk, subgroup=OuterRef("course__subgroup")
        ).on(day)
    )
    entries = list(
        TimetableEntry.objects.filter(
            course__school_class_id=school_class.pk, valid_from__lte=day, valid_to__gte=day
        )
        .filter(Q(course__subgroup__isnull=True) | member)
        .select_related("course__subject", "course__subgroup", "room")
        .prefetch_related("course__teachers")
        .annotate(bell_start=bell_time("start"), bell_end=bell_time("end"))
        .order_by("number", "weekday")
    )
    weekdays = [1, 2, 3, 4, 5] + ([6] if any(e.weekday == 6 for e in entries) else [])
    rows = {}
    for entry in entries:
        row = rows.setdefault(
            entry.number,
            {"number": entry.number, "time": "", "cells": {d: [] for d in weekdays}},
        )
        if entry.bell_start and entry.bell_end and not row["time"]:
            row["time"] = f"{hour_minute(entry.bell_start)}–{hour_minute(entry.bell_end)}"
        row["cells"][entry.weekday].append(entry)
    ordered = [row for _n, row in sorted(rows.items())]
    return {
        "weekdays": [{"number": d, "name": WEEKDAY_NAMES[d]} for d in weekdays],
        "rows": [{**row, "cells": [row["cells"][d] for d in weekdays]} for row in ordered],
        # The same week day by day, for a phone: every day on screen, none off its edge.
        "days": [
            {
                "name": WEEKDAY_NAMES[d],
                "lessons": [
                    {"number": row["number"], "time": row["time"], "entries": row["cells"][d]}
                    for row in ordered
                    if row["cells"][d]
                ],
            }
            for d in weekdays
        ],
    }
