"""Dates typed by people or carried in links: parsed once, within a sane range, weeks.

A date in a link (`?week=`, `?day=`) or a form is refused outside MIN_DATE..MAX_DATE: nothing
in a school's journal happens before 2000 or after 2100, and dates near the ends of Python's
range overflow as soon as a page adds a week to them.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Months as a report names them («сентябрь 2026»).
MONTHS = [
    gettext_lazy("январь"),
    gettext_lazy("февраль"),
    gettext_lazy("март"),
    gettext_lazy("апрель"),
    gettext_lazy("май"),
    gettext_lazy("июнь"),
    gettext_lazy("июль"),
    gettext_lazy("август"),
    gettext_lazy("сентябрь"),
    gettext_lazy("октябрь"),
    gettext_lazy("ноябрь"),
    gettext_lazy("декабрь"),
]

MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2100, 12, 31)


class BadDate(ValidationError, ValueError):
    """A date that cannot be read, or lies outside the sane range. Its message is Russian.

    A view that lets it escape answers 400 with that message (lib.middleware.BadInputMiddleware).
    """


def check_sane(day: date) -> date:
    if not MIN_DATE <= day <= MAX_DATE:
        raise BadDate(
            _("Дата %(date)s вне допустимого диапазона (%(min)s — %(max)s).")
            % {"date": day.strftime("%d.%m.%Y"), "min": MIN_DATE.year, "max": MAX_DATE.year},
            code="date_range",
        )
    return day


def parse_day(value: str | None, default: date | None = None) -> date | None:
    """An ISO date («2026-09-01») from a link, or `default` when empty. BadDate if malformed."""
    if value is None or not str(value).strip():
        return default
    try:
        day = date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise BadDate(
            _("«%(value)s» — не дата: ожидается ГГГГ-ММ-ДД.") % {"value": str(value)[:20]},
            code="date",
        ) from None
    return check_sane(day)


TYPED_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y")


def read_day(text: str) -> date | None:
    """A date as people type it in a table («01.09.2026», «1.9.26», «2026-09-01»), or None
    when it is not one or lies outside the sane range."""
    for pattern in TYPED_FORMATS:
        try:
            day = datetime.strptime(str(text or "").strip(), pattern).date()
        except ValueError:
            continue
        return day if MIN_DATE <= day <= MAX_DATE else None
    return None


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_of(day: date) -> tuple[date, date]:
    """(Monday, Sunday) of the week holding `day`."""
    monday = monday_of(day)
    return monday, monday + timedelta(days=6)


def parse_week(value: str | None, today: date) -> date:
    """The Monday of the week holding `value` (ISO date), or of `today` when empty."""
    return monday_of(parse_day(value, today))


def as_date(value) -> date:
    """A date from a date, a datetime or ISO text (SQLite returns dates of a UNION as text)."""
    if hasattr(value, "date") and callable(value.date):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def fmt(day: date | None) -> str:
    """«01.09.2026», the form every page and document uses; empty for none."""
    return day.strftime("%d.%m.%Y") if day else ""
