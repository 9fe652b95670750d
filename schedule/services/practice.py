"""Practice periods of a group: saved with their place, checked against the year and the
group's other practice, and the group's lessons brought in line (no lessons over a
concentrated practice: schedule.services.lessons.planned_lessons)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Membership

from ..models import SUPERVISOR_ROLES, PracticePeriod, PracticePlace
from .lessons import materialise
from .timetable.labels import fmt


@dataclass
class PlaceData:
    """The organisation as the form names it: found by its name, or made."""

    name: str
    address: str = ""
    contract_number: str = ""
    contract_date: date | None = None


def place_for(school, data: PlaceData | None) -> PracticePlace | None:
    if data is None or not data.name.strip():
        return None
    place, _made = PracticePlace.objects.get_or_create(
        school=school, name=data.name.strip(), defaults={"address": data.address}
    )
    changed = False
    for field in ("address", "contract_number", "contract_date"):
        value = getattr(data, field)
        if value and getattr(place, field) != value:
            setattr(place, field, value)
            changed = True
    if changed:
        place.save()
    return place


def practice_problems(period) -> list[str]:
    """Why the period cannot be saved (Russian), or nothing."""
    problems = []
    year = period.school_class.year
    if period.end < period.start:
        problems.append(_("Практика заканчивается раньше, чем начинается."))
    elif not (year.contains(period.start) and year.contains(period.end)):
        problems.append(
            _("Даты практики должны быть внутри учебного года %(year)s (%(start)s–%(end)s).")
            % {"year": year.name, "start": fmt(year.start), "end": fmt(year.end)}
        )
    if year.closed_at is not None:
        problems.append(_("Учебный год %(year)s закрыт.") % {"year": year.name})
    is_supervisor = (
        Membership.objects.active()
        .filter(school_id=period.school_class.school_id, user_id=period.supervisor_id)
        .filter(role__in=SUPERVISOR_ROLES)
        .exists()
    )
    if not is_supervisor:
        problems.append(_("Руководитель практики от техникума должен быть его преподавателем."))
    if period.end >= period.start:
        clash = (
            PracticePeriod.objects.filter(school_class=period.school_class)
            .overlapping(period.start, period.end)
            .exclude(pk=period.pk)
            .first()
        )
        if clash is not None:
            problems.append(
                _("У группы уже есть практика в эти дни: %(name)s, %(dates)s.")
                % {"name": clash.name, "dates": clash.dates_label}
            )
    return problems


@transaction.atomic
def do_save_practice_period(period, place: PlaceData | None = None, *, by=None):
    """Save the period (new or changed) with its place; the group's future lessons follow.

    Returns the timetable's MaterialiseResult for the group (conflicts: lessons already
    filled in over the practice, which the deputy decides about)."""
    problems = practice_problems(period)
    if problems:
        raise ValidationError(problems)
    school_class = period.school_class
    period.school_id = school_class.school_id
    period.year_id = school_class.year_id
    period.place = place_for(school_class.school, place) if place is not None else period.place
    if by is not None:
        period._history_user = by
    period.save()
    return materialise(school_class.year, classes=[school_class], by=by)
