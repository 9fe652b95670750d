"""The school year: its study periods, holidays and bells, and the rules they keep.

Periods of one grade must not overlap, must lie inside the year, and must not leave school
days between them: a gap between two periods is allowed only where every day of it is a
Saturday, a Sunday or covered by a holiday of that grade (каникулы between quarters).
One function, `period_problems`, says what is wrong, in Russian, naming the periods and
dates; every change of periods, holidays or the year's dates goes through it.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from ..models import Bell, BellSchedule, Holiday, SchoolYear, StudyPeriod

MAX_GRADE = 12


def fmt(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def span(start: date, end: date) -> str:
    return fmt(start) if start == end else f"{fmt(start)}–{fmt(end)}"


def grades_label(grades) -> str:
    """{1, 2, 3, 5} → «1–3, 5 кл.»"""
    grades = sorted(set(grades))
    parts, run = [], []
    for grade in grades:
        if run and grade != run[-1] + 1:
            parts.append(run)
            run = []
        run.append(grade)
    if run:
        parts.append(run)
    text = ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in parts)
    return _("%(grades)s кл.") % {"grades": text}


def describe(period) -> str:
    return _("«%(name)s» (%(grades)s, %(dates)s)") % {
        "name": str(period),
        "grades": grades_label(range(period.grade_from, period.grade_to + 1)),
        "dates": span(period.start, period.end),
    }


def is_weekend(day: date) -> bool:
    return day.isoweekday() >= 6


def days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def _range_problems(kind_label, obj, year) -> list[str]:
    problems = []
    if obj.end < obj.start:
        problems.append(
            _("%(what)s: окончание (%(end)s) раньше начала (%(start)s).")
            % {"what": kind_label, "end": fmt(obj.end), "start": fmt(obj.start)}
        )
    if not 1 <= obj.grade_from <= obj.grade_to <= MAX_GRADE:
        problems.append(
            _("%(what)s: параллели указаны неверно (с %(a)s по %(b)s).")
            % {"what": kind_label, "a": obj.grade_from, "b": obj.grade_to}
        )
    if obj.start < year.start or obj.end > year.end:
        problems.append(
            _("%(what)s выходит за границы учебного года %(year)s (%(dates)s).")
            % {"what": kind_label, "year": year.name, "dates": span(year.start, year.end)}
        )
    return problems


def period_problems(year, periods, holidays) -> list[str]:
    """Everything wrong with a year's periods and holidays, as Russian sentences.

    `periods` and `holidays` may be unsaved instances (a form's proposal); nothing is read
    from the database here.
    """
    problems = []
    sound = []
    for period in periods:
        if period.start is None or period.end is None:
            found = [_("Период «%(name)s»: укажите даты.") % {"name": period}]
        else:
            found = _range_problems(describe(period), period, year)
        problems.extend(found)
        if not found:
            sound.append(period)
    good_holidays = []
    for holiday in holidays:
        label = _("Каникулы «%(name)s» (%(dates)s)") % {
            "name": holiday.name,
            "dates": span(holiday.start, holiday.end) if holiday.start and holiday.end else "?",
        }
        found = _range_problems(label, holiday, year)
        problems.extend(found)
        if not found:
            good_holidays.append(holiday)

    # Collect each finding once, with the grades it concerns, so that «1–9 кл.» is one
    # sentence rather than nine.
    findings = defaultdict(set)
    index = {id(p): i for i, p in enumerate(sound)}
    grades = sorted({g for p in sound for g in range(p.grade_from, p.grade_to + 1)})
    for grade in grades:
        mine = sorted((p for p in sound if p.covers_grade(grade)), key=lambda p: (p.start, p.end))
        kinds = {p.kind for p in mine}
        if len(kinds) > 1:
            findings[("kinds", tuple(sorted(kinds)))].add(grade)
        for i, first in enumerate(mine):
            for second in mine[i + 1 :]:
                if second.start <= first.end:
                    findings[("overlap", index[id(first)], index[id(second)])].add(grade)
        for first, second in zip(mine, mine[1:], strict=False):
            if second.start <= first.end:
                continue
            if len(kinds) == 1 and first.number >= second.number:
                findings[("order", index[id(first)], index[id(second)])].add(grade)
            off = [h for h in good_holidays if h.covers_grade(grade)]
            school_days = [
                d
                for d in days(first.end + timedelta(days=1), second.start - timedelta(days=1))
                if not is_weekend(d) and not any(h.start <= d <= h.end for h in off)
            ]
            if school_days:
                key = ("gap", index[id(first)], index[id(second)], school_days[0], school_days[-1])
                findings[key].add(grade)

    for key, affected in findings.items():
        who = grades_label(affected)
        if key[0] == "kinds":
            labels = ", ".join(str(StudyPeriod.Kind(k).label) for k in key[1])
            problems.append(
                _("У %(grades)s заданы периоды разных видов (%(kinds)s): выберите один вид.")
                % {"grades": who, "kinds": labels}
            )
        elif key[0] == "overlap":
            problems.append(
                _("%(a)s пересекается с %(b)s (у %(grades)s).")
                % {"a": describe(sound[key[1]]), "b": describe(sound[key[2]]), "grades": who}
            )
        elif key[0] == "order":
            problems.append(
                _("%(a)s идёт раньше %(b)s: номера периодов должны идти по порядку дат.")
                % {"a": describe(sound[key[1]]), "b": describe(sound[key[2]])}
            )
        else:
            first, second = sound[key[1]], sound[key[2]]
            problems.append(
                _(
                    "Между «%(a)s» (до %(a_end)s) и «%(b)s» (с %(b_start)s) у %(grades)s "
                    "остаются учебные дни вне периодов: %(gap)s. Сдвиньте даты периодов "
                    "или добавьте на эти дни каникулы."
                )
                % {
                    "a": first,
                    "a_end": fmt(first.end),
                    "b": second,
                    "b_start": fmt(second.start),
                    "grades": who,
                    "gap": span(key[3], key[4]),
                }
            )
    return problems


def validate_periods(year, periods=None, holidays=None) -> None:
    """Raise ValidationError listing every problem; by default checks what is saved."""
    if periods is None:
        periods = list(StudyPeriod.objects.filter(year=year))
    if holidays is None:
        holidays = list(Holiday.objects.filter(year=year))
    problems = period_problems(year, periods, holidays)
    if problems:
        raise ValidationError(problems)


def year_problems(year) -> list[str]:
    problems = []
    if year.start and year.end and year.end <= year.start:
        problems.append(_("Учебный год кончается раньше, чем начинается."))
        return problems
    if (year.end - year.start).days > 366:
        problems.append(_("Учебный год не может быть длиннее календарного года."))
    others = SchoolYear.objects.filter(school=year.school).exclude(pk=year.pk)
    clash = others.overlapping(year.start, year.end).first()
    if clash:
        problems.append(
            _("Даты пересекаются с учебным годом %(name)s (%(dates)s).")
            % {"name": clash.name, "dates": span(clash.start, clash.end)}
        )
    if others.filter(name=year.name).exists():
        problems.append(_("Учебный год %(name)s уже есть.") % {"name": year.name})
    return problems


@transaction.atomic
def save_year(year) -> SchoolYear:
    """Create or change a year; its periods and holidays must still fit inside."""
    problems = year_problems(year)
    if year.pk and not problems:
        problems = period_problems(
            year,
            list(StudyPeriod.objects.filter(year=year)),
            list(Holiday.objects.filter(year=year)),
        )
    if problems:
        raise ValidationError(problems)
    year.save()
    return year


def default_year_for(today: date):
    """The year to offer on the «new year» form: in August already the coming one."""
    first = SchoolYear.first_year_for(today)
    if today.month == 8:
        first = today.year
    start, end = SchoolYear.default_bounds(first)
    return SchoolYear.default_name(first), start, end


def year_to_open(school, today: date) -> str | None:
    """The name of the coming year when it is time to open it and nobody has yet, else None.

    From the school's reminder day (its regulation: a week before, 25 August) until the
    coming year begins.
    """
    name, start, end = SchoolYear.default_name(today.year), *SchoolYear.default_bounds(today.year)
    if not school.regulation.year_opening_from(start) <= today < start:
        return None
    opened = SchoolYear.objects.filter(school=school).overlapping(start, end).exists()
    return None if opened else name


@transaction.atomic
def save_periods(year, periods, deleted=(), new_holidays=()) -> None:
    """Replace the year's periods with `periods` (changed or new), removing `deleted`.

    `new_holidays` are added with them (a standard calendar brings its holidays along).
    """
    deleted_pks = {p.pk for p in deleted if p.pk}
    remaining = [p for p in periods if p.pk is None or p.pk not in deleted_pks]
    touched = deleted_pks | {p.pk for p in remaining if p.pk}
    untouched = list(StudyPeriod.objects.filter(year=year).exclude(pk__in=touched))
    holidays = [*Holiday.objects.filter(year=year), *new_holidays]
    validate_periods(year, [*remaining, *untouched], holidays)
    for holiday in new_holidays:
        holiday.school_id = year.school_id
        holiday.year = year
        holiday.save()
    for period in deleted:
        if period.pk:
            try:
                with transaction.atomic():
                    period.delete()
            except ProtectedError as error:
                raise ValidationError(
                    _("Период %(period)s нельзя удалить: к нему уже привязаны записи журнала.")
                    % {"period": describe(period)}
                ) from error
    for period in remaining:
        period.school_id = year.school_id
        period.year = year
        period.save()


@transaction.atomic
def save_holiday(holiday) -> Holiday:
    holidays = [h for h in Holiday.objects.filter(year=holiday.year) if h.pk != holiday.pk]
    validate_periods(holiday.year, holidays=[*holidays, holiday])
    holiday.school_id = holiday.year.school_id
    holiday.save()
    return holiday


@transaction.atomic
def delete_holiday(holiday) -> None:
    """Removing a holiday must not open a gap of school days between two periods."""
    holidays = [h for h in Holiday.objects.filter(year=holiday.year) if h.pk != holiday.pk]
    try:
        validate_periods(holiday.year, holidays=holidays)
    except ValidationError as error:
        raise ValidationError(
            [_("Без этих каникул периоды года разойдутся:"), *error.messages]
        ) from error
    holiday.delete()


# Standard calendars: the dates most Russian schools use, computed for any year.


def _on_or_after(day: date, isoweekday: int) -> date:
    return day + timedelta(days=(isoweekday - day.isoweekday()) % 7)


def _weekday_on_or_before(day: date) -> date:
    while is_weekend(day):
        day -= timedelta(days=1)
    return day


@dataclass
class Break:
    name: str
    start: date
    end: date
    grade_from: int = 1
    grade_to: int = 11


SCHEMES = {
    "quarters_semesters": _("1–9 классы по четвертям, 10–11 по полугодиям"),
    "quarters": _("все классы по четвертям"),
    "trimesters": _("все классы по триместрам"),
    "semesters": _("по семестрам (колледж)"),
}


def standard_breaks(year) -> dict[str, Break]:
    y = year.start.year
    autumn = _on_or_after(date(y, 10, 25), 6)
    winter = _on_or_after(date(y, 12, 25), 6)
    winter_end = _on_or_after(date(y + 1, 1, 8), 7)
    spring = _on_or_after(date(y + 1, 3, 21), 6)
    february = _on_or_after(date(y + 1, 2, 14), 6)
    return {
        "autumn": Break(_("Осенние каникулы"), autumn, autumn + timedelta(days=8)),
        "winter": Break(_("Зимние каникулы"), winter, winter_end),
        "february": Break(
            _("Дополнительные каникулы для 1 класса"),
            february,
            february + timedelta(days=8),
            1,
            1,
        ),
        "spring": Break(_("Весенние каникулы"), spring, spring + timedelta(days=8)),
    }


PUBLIC_HOLIDAYS = [
    (11, 4, _("День народного единства")),
    (2, 23, _("День защитника Отечества")),
    (3, 8, _("Международный женский день")),
    (5, 1, _("Праздник Весны и Труда")),
    (5, 9, _("День Победы")),
]


def standard_calendar(year, scheme="quarters_semesters", max_grade=11):
    """Unsaved periods and holidays of a usual Russian year, consistent with each other."""
    breaks = standard_breaks(year)
    y = year.start.year
    last_day = _weekday_on_or_before(date(y + 1, 5, 26))
    day = timedelta(days=1)
    a, w, s = breaks["autumn"], breaks["winter"], breaks["spring"]
    quarters = [
        (year.start, a.start - day),
        (a.end + day, w.start - day),
        (w.end + day, s.start - day),
        (s.end + day, last_day),
    ]
    semesters = [(year.start, w.start - day), (w.end + day, last_day)]
    trimesters = [
        (year.start, date(y, 11, 30)),
        (date(y, 12, 1), date(y + 1, 3, 1) - day),
        (date(y + 1, 3, 1), last_day),
    ]
    Kind = StudyPeriod.Kind
    plan = {
        "quarters_semesters": [
            (Kind.QUARTER, 1, min(9, max_grade), quarters),
            (Kind.SEMESTER, 10, max_grade, semesters),
        ],
        "quarters": [(Kind.QUARTER, 1, max_grade, quarters)],
        "trimesters": [(Kind.TRIMESTER, 1, max_grade, trimesters)],
        "semesters": [(Kind.SEMESTER, 1, max_grade, semesters)],
    }[scheme]
    periods = [
        StudyPeriod(
            school_id=year.school_id,
            year=year,
            kind=kind,
            number=number,
            grade_from=grade_from,
            grade_to=grade_to,
            start=start,
            end=end,
        )
        for kind, grade_from, grade_to, dates in plan
        if grade_from <= grade_to
        for number, (start, end) in enumerate(dates, 1)
    ]
    holidays = [
        Holiday(
            school_id=year.school_id,
            year=year,
            name=b.name,
            start=b.start,
            end=b.end,
            grade_from=b.grade_from,
            grade_to=min(b.grade_to, max_grade),
        )
        for key, b in breaks.items()
        if scheme in ("quarters_semesters", "quarters") or key == "winter"
    ]
    for month, dom, name in PUBLIC_HOLIDAYS:
        when = date(y if month >= 9 else y + 1, month, dom)
        inside = year.start <= when <= last_day and not is_weekend(when)
        everyone_off = any(
            h.start <= when <= h.end and h.grade_from == 1 and h.grade_to >= max_grade
            for h in holidays
        )
        if inside and not everyone_off:
            holidays.append(
                Holiday(
                    school_id=year.school_id,
                    year=year,
                    name=name,
                    start=when,
                    end=when,
                    grade_from=1,
                    grade_to=max_grade,
                )
            )
    holidays.sort(key=lambda h: h.start)
    return periods, holidays


# Bells.


def bell_problems(bells) -> list[str]:
    problems = []
    seen = {}
    for bell in bells:
        if bell.number in seen:
            problems.append(_("Урок %(n)s указан дважды.") % {"n": bell.number})
        seen[bell.number] = bell
        if bell.end <= bell.start:
            problems.append(
                _("Урок %(n)s: окончание (%(end)s) не позже начала (%(start)s).")
                % {"n": bell.number, "end": f"{bell.end:%H:%M}", "start": f"{bell.start:%H:%M}"}
            )
    ordered = sorted(seen.values(), key=lambda b: b.number)
    for first, second in zip(ordered, ordered[1:], strict=False):
        if second.start < first.end:
            problems.append(
                _(
                    "Урок %(b)s (%(b_start)s–%(b_end)s) начинается раньше, чем кончается "
                    "урок %(a)s (%(a_start)s–%(a_end)s)."
                )
                % {
                    "a": first.number,
                    "a_start": f"{first.start:%H:%M}",
                    "a_end": f"{first.end:%H:%M}",
                    "b": second.number,
                    "b_start": f"{second.start:%H:%M}",
                    "b_end": f"{second.end:%H:%M}",
                }
            )
    return problems


@transaction.atomic
def save_bell_schedule(schedule: BellSchedule, bells, deleted=()) -> BellSchedule:
    deleted_pks = {b.pk for b in deleted if b.pk}
    problems = bell_problems([b for b in bells if b.pk not in deleted_pks or b.pk is None])
    if problems:
        raise ValidationError(problems)
    schedule.save()
    Bell.objects.filter(schedule=schedule, pk__in=deleted_pks).delete()
    # Renumbering may swap numbers: clear them first so the unique constraint holds.
    for offset, bell in enumerate(b for b in bells if b.pk):
        Bell.objects.filter(pk=bell.pk).update(number=1000 + offset)
    for bell in bells:
        bell.school_id = schedule.school_id
        bell.schedule = schedule
        bell.save()
    return schedule


def standard_bells(schedule, first="08:30", lessons=7, minutes=40, breaks=(10, 20, 20, 10, 10, 10)):
    """Unsaved bells: `lessons` lessons of `minutes`, with the given breaks between them."""
    from datetime import datetime, time

    hours, mins = (int(x) for x in first.split(":"))
    moment = datetime.combine(date(2000, 1, 1), time(hours, mins))
    bells = []
    for number in range(1, lessons + 1):
        end = moment + timedelta(minutes=minutes)
        bells.append(
            Bell(
                school_id=schedule.school_id,
                schedule=schedule,
                number=number,
                start=moment.time(),
                end=end.time(),
            )
        )
        moment = end + timedelta(minutes=breaks[min(number - 1, len(breaks) - 1)])
    return bells
