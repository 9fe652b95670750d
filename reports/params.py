"""What a report is about: the year, the span of dates, the scope — read once from the link,
checked against what the user may see, and remembered for the next visit.

Every report page (reports.views.page.ReportPage) and the control dashboard read their
parameters here, so «?year=…&span=…&scope=…» means the same everywhere:

- year: `?year=<pk>` — any year of the school, closed ones too; by default the one holding
  the school's day, else the latest;
- span: `period:<pk>` (a study period of the year), `year`, `week:<YYYY-MM-DD>` (the week
  holding that day), `month:<YYYY-MM>`; each page says which kinds it takes;
- scope: `school`, `parallel:<grade>`, `class:<pk>`, `subject:<pk>`, `teacher:<user pk>`.

Who sees what (`Reach`): the leadership the whole school; a class teacher the classes they
lead; a teacher their own courses. A scope outside the user's reach answers 404, like an
object of another school; a user who may not choose falls back to what they may see. A class
of another year (the year was changed in the form) gives way to the user's first class of the
chosen year, and so do a period, a week or a month of another year. A link that cannot be
read answers 400 with its reason (lib.dates.BadDate via the middleware).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import TEACHING_ROLES, Role
from accounts.rules import LEADERSHIP
from lib.dates import MAX_DATE, MIN_DATE, MONTHS, BadDate, monday_of, parse_day
from schedule.departments import headed_class_ids
from schedule.models import (
    SchoolClass,
    SchoolClassUserObjectPermission,
    SchoolYear,
    StudyPeriod,
    Subject,
)

from .services.documents import class_label, parallel_label

SPAN_KINDS = ("period", "year", "week", "month")
SCOPE_KINDS = ("school", "parallel", "class", "subject", "teacher")
SCOPE_LABELS = {
    "school": gettext_lazy("вся школа"),
    "parallel": gettext_lazy("параллель"),
    "class": gettext_lazy("класс"),
    "subject": gettext_lazy("предмет"),
    "teacher": gettext_lazy("учитель"),
}


@dataclass(frozen=True)
class Reach:
    """What the user may see: the whole school, or some classes, or their own courses."""

    whole_school: bool
    class_ids: frozenset = frozenset()  # classes they lead (a class teacher)
    teacher_id: int | None = None  # their own courses (a teacher)

    def allows_class(self, class_id: int) -> bool:
        return self.whole_school or class_id in self.class_ids

    @property
    def nothing(self) -> bool:
        return not (self.whole_school or self.class_ids or self.teacher_id)


def reach_of(request) -> Reach:
    """Leadership: the school; class teacher: the classes they lead; head of department: the
    groups of their department; teacher: their courses. Someone who is both a class teacher
    and a teacher sees their classes and their courses."""
    roles = request.school_roles
    if roles & set(LEADERSHIP):
        return Reach(whole_school=True)
    classes = frozenset()
    if Role.CLASS_TEACHER in roles:
        classes = frozenset(
            SchoolClassUserObjectPermission.objects.filter(
                user=request.user, permission__codename="manage_class"
            ).values_list("content_object_id", flat=True)
        )
    if Role.HEAD_OF_DEPARTMENT in roles:
        # The groups of the departments they head (schedule.departments).
        classes |= headed_class_ids(request.user, request.school.pk)
    teacher = request.user.pk if roles & {*TEACHING_ROLES, Role.CLASS_TEACHER} else None
    return Reach(whole_school=False, class_ids=classes, teacher_id=teacher)


@dataclass(frozen=True)
class Span:
    kind: str  # "period", "year", "week", "month"
    start: date
    end: date
    label: str
    period: StudyPeriod | None = None

    @property
    def token(self) -> str:
        if self.kind == "period":
            return f"period:{self.period.pk}"
        if self.kind == "week":
            return f"week:{self.start.isoformat()}"
        if self.kind == "month":
            return f"month:{self.start:%Y-%m}"
        return "year"

    def previous(self) -> "Span | None":
        """The span before this one, of the same kind (for a trend); None for a period."""
        if self.kind == "week":
            return week_span(self.start - timedelta(days=7))
        if self.kind == "month":
            return month_span((self.start - timedelta(days=1)).replace(day=1))
        return None


@dataclass(frozen=True)
class Scope:
    kind: str  # "school", "parallel", "class", "subject", "teacher"
    value: int | None = None
    label: str = ""

    @property
    def token(self) -> str:
        return self.kind if self.value is None else f"{self.kind}:{self.value}"


@dataclass
class Params:
    year: SchoolYear
    years: list[SchoolYear]
    span: Span
    scope: Scope
    reach: Reach
    periods: list[StudyPeriod] = field(default_factory=list)

    def query(self, **extra) -> str:
        from django.utils.http import urlencode

        return urlencode(
            {"year": self.year.pk, "span": self.span.token, "scope": self.scope.token, **extra}
        )

    def describe(self) -> list[tuple[str, str]]:
        """The parameters as a report prints them above its table."""
        return [
            (_("Учебный год"), self.year.name),
            (_("Период"), self.span.label),
            (_("Охват"), self.scope.label),
        ]


def week_span(day: date) -> Span:
    monday = monday_of(day)
    sunday = monday + timedelta(days=6)
    return Span(
        "week",
        monday,
        sunday,
        _("неделя %(a)s — %(b)s")
        % {"a": monday.strftime("%d.%m.%Y"), "b": sunday.strftime("%d.%m.%Y")},
    )


def month_span(first: date) -> Span:
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return Span(
        "month",
        first,
        following - timedelta(days=1),
        f"{MONTHS[first.month - 1]} {first.year}",
    )


def year_span(year: SchoolYear) -> Span:
    return Span("year", year.start, year.end, _("учебный год %(year)s") % {"year": year.name})


def period_span(period: StudyPeriod) -> Span:
    return Span(
        "period",
        period.start,
        period.end,
        f"{period} ({period.grades_label})",
        period=period,
    )


def _bad(message: str):
    return BadDate(message, code="report_params")


class NoYear(BadDate):
    """The school has no school year yet: a report page then says so and links to the
    year's setup (a page reached from the navigation never answers 400)."""


def _pick_year(years, wanted, today) -> SchoolYear:
    if wanted not in (None, ""):
        found = next((y for y in years if str(y.pk) == str(wanted)), None)
        if found is None:
            raise Http404
        return found
    return next((y for y in years if y.contains(today)), years[0])


def default_period(periods, day: date, *, ended: bool = False):
    """The period a page shows unless asked: the one holding the day (of periods for
    different grades, the one covering most grades: quarters over the seniors' semesters);
    with `ended`, the last one over by then (results are reported when a period ends);
    else the last begun, else the first."""

    def width(p):
        return p.grade_to - p.grade_from

    if ended:
        over = [p for p in periods if p.end < day]
        if over:
            return max(over, key=lambda p: (p.end, width(p)))
    holding = [p for p in periods if p.start <= day <= p.end]
    if holding:
        return max(holding, key=lambda p: (width(p), -p.start.toordinal()))
    begun = [p for p in periods if p.start <= day]
    if begun:
        return begun[-1]
    return periods[0] if periods else None


def _read_span(
    token: str, year: SchoolYear, periods, kinds, today: date, *, ended: bool = False
) -> Span:
    kind, _sep, value = (token or "").partition(":")
    if not token:
        kind = kinds[0]
    if kind not in kinds:
        raise _bad(_("Этот отчёт строится не за такой период."))
    # By default a page shows the span holding the school's day — within the chosen year
    # (a closed year: its last span).
    day = min(max(today, year.start), year.end)
    if kind == "year":
        return year_span(year)
    if kind == "period":
        period = next((p for p in periods if str(p.pk) == value), None) if value else None
        # Another year's period gives way to this year's (the year was changed in the form);
        # a period that is not the school's is not found.
        if (
            value
            and period is None
            and (not value.isdigit() or not StudyPeriod.objects.filter(pk=value).exists())
        ):
            raise Http404
        if period is None:
            period = default_period(periods, day, ended=ended)
            if period is None:
                return year_span(year)
        return period_span(period)
    if kind == "week":
        span = week_span(parse_day(value, day))
    else:
        try:
            first = date.fromisoformat(f"{value}-01") if value else day.replace(day=1)
        except ValueError:
            raise _bad(
                _("«%(value)s» — не месяц: ожидается ГГГГ-ММ.") % {"value": value[:10]}
            ) from None
        if not MIN_DATE <= first <= MAX_DATE:
            raise _bad(_("Месяц вне допустимого диапазона."))
        span = month_span(first)
    if span.end < year.start or span.start > year.end:
        # Outside the chosen year (the year was changed in the form): the year's own.
        return week_span(day) if kind == "week" else month_span(day.replace(day=1))
    return span


def _read_scope(token: str, reach: Reach, kinds, year, school) -> Scope:
    kind, _sep, value = (token or "").partition(":")
    if not token:
        kind = kinds[0] if reach.whole_school else _own_scope_kind(reach, kinds)
    if kind not in kinds:
        raise _bad(_("Такой охват у этого отчёта не выбирается."))
    number = None
    if kind != "school":
        if value and not value.isdigit():
            raise _bad(_("Не указано, какой %(what)s.") % {"what": SCOPE_LABELS[kind]})
        number = int(value) if value else None
    if kind == "class":
        school_class = _class_of_year(number, reach, year)
        return Scope(kind, school_class.pk, class_label(school_class))
    if number is None and kind == "teacher" and reach.teacher_id:
        number = reach.teacher_id
    if number is None and kind != "school":
        raise _bad(_("Не указано, какой %(what)s.") % {"what": SCOPE_LABELS[kind]})
    if not reach.whole_school and not (kind == "teacher" and number == reach.teacher_id):
        raise Http404
    return Scope(kind, number, _scope_label(kind, number, year, school))


def _class_of_year(number, reach: Reach, year) -> SchoolClass:
    """The class a link names (404 if it is not the school's or not within the user's
    reach); a class of another year — the year was changed in the form — gives way to the
    user's first class of the chosen year."""
    if number is not None:
        found = SchoolClass.objects.filter(pk=number).first()
        if found is None or not reach.allows_class(found.pk):
            raise Http404
        if found.year_id == year.pk:
            return found
    classes = SchoolClass.objects.filter(year=year).order_by("grade", "letter")
    if not reach.whole_school:
        classes = classes.filter(pk__in=reach.class_ids)
    found = classes.first()
    if found is None:
        raise Http404
    return found


def _own_scope_kind(reach: Reach, kinds) -> str:
    if reach.class_ids and "class" in kinds:
        return "class"
    if reach.teacher_id and "teacher" in kinds:
        return "teacher"
    raise Http404


def _scope_label(kind: str, number: int | None, year, school) -> str:
    if kind == "school":
        return str(SCOPE_LABELS["school"])
    if kind == "parallel":
        if not SchoolClass.objects.filter(year=year, grade=number).exists():
            raise Http404
        return parallel_label(number)
    if kind == "subject":
        found = Subject.objects.filter(pk=number).first()
        if found is None:
            raise Http404
        return str(found)
    # A teacher of this school (as the form lists them); users are not the school's own
    # rows, so another school's teacher is not found here.
    from schedule.services.people import teachers_of

    found = teachers_of(school).filter(pk=number).first()
    if found is None:
        raise Http404
    return found.short_name


def read_params(
    request,
    report_id: str,
    *,
    spans=("period", "year"),
    scopes=("school",),
    ended: bool = False,
    _fresh=False,
):
    """The parameters of a report page: from the link, else those the user chose last time
    on this page (kept in the session), else the defaults (`ended`: by default the last
    period over rather than the current one)."""
    school = request.school
    today = school.today()
    reach = reach_of(request)
    if reach.nothing:
        raise Http404
    remembered = {} if _fresh else request.session.get(f"report:{report_id}", {})
    asked = {k: request.GET[k] for k in ("year", "span", "scope") if k in request.GET}
    chosen = {**remembered, **asked} if asked else remembered
    years = list(SchoolYear.objects.order_by("-start"))
    if not years:
        raise NoYear(_("В школе ещё нет учебного года."), code="report_params")
    try:
        year = _pick_year(years, chosen.get("year"), today)
        periods = list(StudyPeriod.objects.filter(year=year).order_by("start", "grade_from"))
        span = _read_span(chosen.get("span", ""), year, periods, spans, today, ended=ended)
        scope = _read_scope(chosen.get("scope", ""), reach, scopes, year, school)
    except (Http404, BadDate):
        if asked or _fresh:
            raise
        # What was remembered no longer fits (a year removed, a class no longer led).
        request.session.pop(f"report:{report_id}", None)
        return read_params(request, report_id, spans=spans, scopes=scopes, ended=ended, _fresh=True)
    if asked:
        kept = {k: v[:40] for k, v in {**remembered, **asked}.items()}
        if kept != remembered:  # a session saved only when the choice changes
            request.session[f"report:{report_id}"] = kept
    return Params(year=year, years=years, span=span, scope=scope, reach=reach, periods=periods)
