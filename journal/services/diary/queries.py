"""SQL pieces the diary's pages share: dated rows, bell times, UNION parts, times as text."""

from datetime import date

from django.db import models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Cast

from schedule.models import Bell, held_between, held_on


def overlapping(queryset, start: date, end: date):
    return queryset.filter(held_between(start, end))


def on_outer_date(queryset, outer="date"):
    """Rows holding on the outer query's date (a lesson's)."""
    return queryset.filter(held_on(OuterRef(outer)))


def bell_time(field_name):
    return Subquery(
        Bell.objects.filter(
            schedule=OuterRef("course__school_class__bell_schedule"), number=OuterRef("number")
        ).values(field_name)[:1]
    )


def union_part(queryset, kind: str, **columns):
    """One part of a UNION ALL: the row's kind letter, then `columns` in the order given.

    No ORDER BY: SQLite refuses one inside a compound statement (the union orders itself).
    """
    return (
        queryset.annotate(k=Value(kind, output_field=models.TextField()), **columns)
        .values_list("k", *columns)
        .order_by()
    )


def as_text(value):
    return Cast(value, models.TextField())


def typed_null(output_field):
    return Cast(Value(None), output_field)


def hour_minute(value) -> str:
    if isinstance(value, str):  # SQLite returns times of a subquery as text
        return value[:5]
    return value.strftime("%H:%M")
