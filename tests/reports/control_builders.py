"""A class with one course and two pupils, lessons made by hand, and the check run at a
moment of the school's own wall clock (time_machine), for tests of the nightly check."""

from dataclasses import dataclass
from datetime import date, datetime, time
from datetime import timedelta as days_
from zoneinfo import ZoneInfo

import time_machine
from django_scopes import scopes_disabled

from reports.models import Shortfall
from reports.services.control import do_check_school
from schedule.models import Lesson

from ..factories import make_pupil, set_rules
from .builders import build_family


@dataclass
class Desk:
    family: object
    course: object
    pupils: list

    @property
    def school(self):
        return self.family.school

    @property
    def period(self):
        return self.family.period

    @property
    def teacher(self):
        return self.family.teacher


def at(zone: str, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), ZoneInfo(zone))


def desk(zone="Europe/Moscow", **rules) -> Desk:
    family = build_family(subjects=1)
    school = family.school
    with scopes_disabled():
        school.timezone = zone
        school.save()
    set_rules(school, **rules)
    second = make_pupil(school, family.school_class, last_name="Яковлев")
    return Desk(family, family.courses[0], [family.pupil, second])


def lesson(d: Desk, day: date, number=1, topic="Тема", **values) -> Lesson:
    with scopes_disabled():
        return Lesson.objects.create(
            school=d.school, course=d.course, date=day, number=number, topic=topic, **values
        )


def check(d: Desk, day: date, hour=21, minute=0):
    """Run the check at `hour` of the school's `day` (its clock decides the day checked)."""
    with time_machine.travel(at(d.school.timezone, day, hour, minute), tick=False):
        return do_check_school(d.school.pk)


def found(d: Desk, kind, open_only=True) -> list[Shortfall]:
    with scopes_disabled():
        rows = Shortfall.objects.filter(school=d.school, kind=kind).order_by("pk")
        if open_only:
            rows = rows.filter(fixed_at__isnull=True)
        return list(rows)


def next_day(day: date, n=1) -> date:
    return day + days_(days=n)
