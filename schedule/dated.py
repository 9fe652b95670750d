"""What every dated, tenant-owned model of schedule shares: the scoped manager and the one
date-range rule («start..end inclusive, an open end means still»)."""

from datetime import date

from django.db import models
from django_scopes import ScopedManager


def scoped(queryset_class=models.QuerySet):
    return ScopedManager(
        school="school", _manager_class=models.Manager.from_queryset(queryset_class)
    )


def held_on(day, prefix: str = "") -> models.Q:
    """Rows with `start`..`end` (inclusive; an open end means «still») holding on `day` (a date
    or an expression such as OuterRef("date")); `prefix` reaches them through a relation
    («enrolments__», «year__»). The one date-range rule of the project's dated rows."""
    return models.Q(**{f"{prefix}start__lte": day}) & (
        models.Q(**{f"{prefix}end__isnull": True}) | models.Q(**{f"{prefix}end__gte": day})
    )


def held_between(start, end, prefix: str = "") -> models.Q:
    """Rows holding on some day between `start` and `end` (inclusive)."""
    return models.Q(**{f"{prefix}start__lte": end}) & (
        models.Q(**{f"{prefix}end__isnull": True}) | models.Q(**{f"{prefix}end__gte": start})
    )


class DatedQuerySet(models.QuerySet):
    """Rows that hold between `start` and `end` (inclusive; an open end means «still»)."""

    def on(self, day: date):
        return self.filter(held_on(day))

    def current(self, day: date):
        """Rows that hold on `day` (pass the school's day: school.today())."""
        return self.on(day)

    def overlapping(self, start: date, end: date):
        return self.filter(held_between(start, end))
