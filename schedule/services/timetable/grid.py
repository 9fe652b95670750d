"""Grids of the timetable: weekday × lesson number."""

from collections import defaultdict
from dataclasses import dataclass

from ...models import (
    Weekday,
)
from .labels import WEEKS_SHORT, Weeks, course_label

# Grids: weekday × lesson number, and dated weeks.


DEFAULT_NUMBERS = range(1, 8)


def lesson_numbers(used) -> list[int]:
    """Rows of a grid: 1–7, widened to any number in use (a zero lesson, an eighth)."""
    used = set(used)
    low = min([1, *used])
    high = max([DEFAULT_NUMBERS[-1], *used])
    return list(range(low, high + 1))


def weekdays_for(used) -> list[int]:
    """Monday to Friday, and Saturday when anything happens on it."""
    return [1, 2, 3, 4, 5, 6] if 6 in set(used) else [1, 2, 3, 4, 5]


@dataclass
class GridItem:
    entry: object
    label: str
    teachers: str
    room: str
    note: str  # parity, dates


def entry_note(entry, year=None) -> str:
    parts = []
    if entry.weeks != Weeks.EVERY:
        parts.append(str(WEEKS_SHORT[entry.weeks]))
    if year is None or (entry.valid_from, entry.valid_to) != (year.start, year.end):
        parts.append(f"{entry.valid_from:%d.%m}–{entry.valid_to:%d.%m}")
    return ", ".join(parts)


def entry_grid(entries, *, year=None, label=course_label, times=None) -> dict:
    """Pivot entries into rows of lesson numbers × weekday cells, in Python (no queries)."""
    entries = list(entries)
    numbers = lesson_numbers(e.number for e in entries)
    weekdays = weekdays_for(e.weekday for e in entries)
    cells = defaultdict(list)
    for entry in entries:
        cells[(entry.number, entry.weekday)].append(
            GridItem(
                entry=entry,
                label=label(entry.course),
                teachers=", ".join(
                    ct.teacher.short_name for ct in entry.course.course_teachers.all()
                ),
                room=entry.room.name if entry.room_id else "",
                note=entry_note(entry, year),
            )
        )
    times = times or {}
    rows = [
        {
            "number": n,
            "time": times.get(n, ""),
            "cells": [{"weekday": d, "items": cells[(n, d)]} for d in weekdays],
        }
        for n in numbers
    ]
    return {
        "weekdays": [{"number": d, "name": Weekday(d).label} for d in weekdays],
        "rows": rows,
    }
