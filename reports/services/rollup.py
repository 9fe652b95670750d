"""An organisation's roll-up of its schools (issue 18): one row per school.

The roll-up calls the report functions every school's own page calls (control_figures,
programme, roster), with a `Selection.over` the current year of each member school, so the
figures are the same ones and cost the same fixed number of queries whatever the number of
schools: the schools, their years, then the control figures' queries once for all of them.
A row links to the school's own page (read-only for the organisation's people).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from accounts.models import FAMILY_ROLES, STAFF_ROLES, LoginEvent, Membership, School
from accounts.navigation import school_reverse
from lib.export import INTEGER, PERCENT, Column, Report, Row
from schedule.models import SchoolYear

from .attendance import Absences, absences
from .attendance import _columns as attendance_columns
from .attendance import _pupil_counts as pupil_counts
from .attendance import _values as attendance_values
from .control_figures import Figures, courses_of, figures_of, percent
from .control_report import columns, group_rows
from .scope import Selection


@dataclass(frozen=True)
class Members:
    """The organisation's schools (with their regulations) and their years on a day."""

    schools: list
    years: dict  # school_id -> SchoolYear (schools without a year on the day are missing)
    today: date  # the organisation's day: its first school's (the demo's share one zone)

    @classmethod
    def of(cls, organisation) -> "Members":
        """Two queries: the schools, and their years holding the organisation's day."""
        schools = list(organisation.schools.select_related("regulation").order_by("short_name"))
        today = (schools[0] if schools else School()).today()
        years = {}
        for year in SchoolYear.objects.filter(school__in=[s.pk for s in schools]).on(today):
            years.setdefault(year.school_id, year)
        return cls(schools, years, today)

    @property
    def regulations(self) -> dict:
        return {school.pk: school.regulation for school in self.schools}


def control_rollup(members: Members, span, today: date) -> Report:
    """«Контроль ведения журнала» of every member school over `span`: a row per school (its
    figures summed over its courses), each linking to the school's own dashboard."""
    selection = Selection.over(members.years.values())
    courses = courses_of(selection)
    figures = figures_of(selection, courses, span.start, span.end, today, members.regulations)
    by_school = {
        school.pk: [school.short_name, school.pk, Figures(), None] for school in members.schools
    }
    for course in courses:
        by_school[course.school_id][2].merge(figures[course.pk])
    schools = {school.pk: school for school in members.schools}
    address = {pk: school_reverse(school, "reports:control") for pk, school in schools.items()}
    norms = {pk: school.regulation.marks_per_pupil_week for pk, school in schools.items()}
    report = Report(
        title=_("Контроль ведения журнала по школам"),
        columns=columns(_("Школа")),
        rows=group_rows(list(by_school.values()), norms.get, address.get),
        slug="control-schools",
    )
    missing = [s.short_name for s in members.schools if s.pk not in members.years]
    if missing:
        report.notices.append(
            _("Нет учебного года на %(day)s: %(schools)s.")
            % {"day": today.strftime("%d.%m.%Y"), "schools": ", ".join(missing)}
        )
    return report


def activity_report(schools, start: date, end: date) -> Report:
    """Weekly activity of the users of each school (002 §7.1): staff and families who
    entered the school's journal between `start` and `end`, and the entries (two queries)."""
    ids = [school.pk for school in schools]
    zone = schools[0].zone if schools else None
    since = datetime.combine(start, time.min, zone)
    until = datetime.combine(end + timedelta(days=1), time.min, zone)
    in_week = Q(at__gte=since, at__lt=until, succeeded=True)
    entries = {
        school_id: (n, users)
        for school_id, n, users in LoginEvent.objects.filter(in_week, school_id__in=ids)
        .values("school_id")
        .annotate(n=Count("id"), users=Count("user_id", distinct=True))
        .order_by()
        .values_list("school_id", "n", "users")
    }
    entered = Exists(
        LoginEvent.objects.filter(
            in_week, user_id=OuterRef("user_id"), school_id=OuterRef("school_id")
        )
    )
    people = {
        row[0]: row[1:]
        for row in Membership.objects.with_scopes_disabled()
        .active()
        .filter(school_id__in=ids)
        .values("school_id")
        .annotate(
            staff=Count("user_id", distinct=True, filter=Q(role__in=STAFF_ROLES)),
            staff_in=Count("user_id", distinct=True, filter=Q(entered, role__in=STAFF_ROLES)),
            family=Count("user_id", distinct=True, filter=Q(role__in=FAMILY_ROLES)),
            family_in=Count("user_id", distinct=True, filter=Q(entered, role__in=FAMILY_ROLES)),
        )
        .order_by()
        .values_list("school_id", "staff", "staff_in", "family", "family_in")
    }
    rows = []
    for school in schools:
        staff, staff_in, family, family_in = people.get(school.pk, (0, 0, 0, 0))
        n, users = entries.get(school.pk, (0, 0))
        rows.append(
            Row(
                {
                    "name": school.short_name,
                    "staff": staff,
                    "staff_in": staff_in,
                    "staff_share": percent(staff_in, staff),
                    "family": family,
                    "family_in": family_in,
                    "family_share": percent(family_in, family),
                    "entries": n,
                    "users": users,
                }
            )
        )
    return Report(
        title=_("Активность пользователей ЭЖ"),
        columns=[
            Column("name", _("Школа")),
            Column("staff", _("Сотрудников"), INTEGER),
            Column("staff_in", _("Из них входили"), INTEGER),
            Column("staff_share", _("Доля сотрудников"), PERCENT, places=1),
            Column("family", _("Родителей и обучающихся"), INTEGER),
            Column("family_in", _("Из них входили"), INTEGER),
            Column("family_share", _("Доля семей"), PERCENT, places=1),
            Column("entries", _("Входов"), INTEGER),
            Column("users", _("Разных пользователей"), INTEGER),
        ],
        rows=rows,
        slug="activity",
    )


def attendance_rollup(members: Members, span) -> Report:
    """«Сводная ведомость учёта посещаемости» of every member school over `span`: a row per
    school (its classes' pupils and absences summed), each linking to the school's report.
    The school's report's own functions (attendance.absences, its pupils' count)."""
    classes = dict(Selection.over(members.years.values()).classes().values_list("pk", "school_id"))
    figures = absences(classes, span.start, span.end)
    counts = pupil_counts(classes, span.end)
    by_school = {school.pk: (Absences(), [0]) for school in members.schools}
    for (_pupil, class_id), found in figures.items():
        by_school[classes[class_id]][0].merge(found)
    for class_id, n in counts.items():
        by_school[classes[class_id]][1][0] += n
    total = Absences()
    rows = []
    for school in members.schools:
        item, (pupils,) = by_school[school.pk]
        total.merge(item)
        rows.append(
            Row(
                {"name": school.short_name, "pupils": pupils, **attendance_values(item)},
                links={"name": school_reverse(school, "reports:attendance")},
            )
        )
    if len(rows) > 1:
        rows.append(Row({"name": _("Итого"), **attendance_values(total)}, kind=Row.TOTAL))
    return Report(
        title=_("Посещаемость по школам"),
        columns=attendance_columns(
            [Column("name", _("Школа")), Column("pupils", _("Обучающихся"), INTEGER)]
        ),
        rows=rows,
        slug="attendance-schools",
    )
