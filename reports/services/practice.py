"""Практика: each practice period of the selection's groups with its place and supervisors,
then every student's mark — one row per student and practice. A fixed number of queries
(the periods, their students, their marks)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import Pupil
from grading.models import PracticeMark
from lib.export import DATE, INTEGER, Column, Report, Row
from schedule.models import Enrolment, PracticePeriod

COLUMNS = [
    Column("group", _("Группа")),
    Column("pupil", _("Студент"), width=28),
    Column("practice", _("Практика"), width=30),
    Column("kind", _("Вид")),
    Column("start", _("С"), DATE, width=10),
    Column("end", _("По"), DATE, width=10),
    Column("hours", _("Часов"), INTEGER, width=6),
    Column("place", _("Место практики"), width=28),
    Column("supervisor", _("Руководитель от техникума")),
    Column("place_supervisor", _("Руководитель от организации")),
    Column("mark", _("Оценка"), INTEGER, width=6),
]


def periods_of(selection):
    q = Q(year_id=selection.year.pk)
    if selection.kind == "class":
        q &= Q(school_class_id=selection.value)
    elif selection.kind == "parallel":
        q &= Q(school_class__grade=selection.value)
    elif selection.kind == "teacher":
        q &= Q(supervisor_id=selection.value)
    return PracticePeriod.objects.filter(q)


def practice_report(selection) -> Report:
    periods = list(
        periods_of(selection)
        .select_related("school_class", "place", "supervisor")
        .order_by("school_class__grade", "school_class__letter", "start")
    )
    # Who was in each group during its practice: one query for all the periods.
    stays = list(
        Enrolment.objects.filter(
            school_class_id__in={p.school_class_id for p in periods}
        ).values_list("school_class_id", "pupil_id", "start", "end")
    )
    pupils = {p.pk: p for p in Pupil.objects.filter(pk__in={pupil for _c, pupil, _s, _e in stays})}
    marks = {
        (m.period_id, m.pupil_id): m.mark
        for m in PracticeMark.objects.filter(period__in=[p.pk for p in periods])
    }
    rows, marked, failing = [], 0, 0
    for period in periods:
        inside = {
            pupil
            for class_id, pupil, start, end in stays
            if class_id == period.school_class_id
            and start <= period.end
            and (end is None or end >= period.start)
        }
        for pupil in sorted(inside, key=lambda pk: (pupils[pk].full_name, pk)):
            mark = marks.get((period.pk, pupil))
            marked += mark is not None
            failing += mark == 2
            rows.append(
                Row(
                    {
                        "group": period.school_class.name,
                        "pupil": pupils[pupil].full_name,
                        "practice": period.name,
                        "kind": period.get_kind_display(),
                        "start": period.start,
                        "end": period.end,
                        "hours": period.hours,
                        "place": period.place.name if period.place else "",
                        "supervisor": period.supervisor.short_name,
                        "place_supervisor": period.place_supervisor,
                        "mark": mark,
                    }
                )
            )
    return Report(
        title=_("Практика"),
        columns=COLUMNS,
        rows=rows,
        slug="practice",
        key_columns=2,
        footnotes=[
            _("Практик: %(p)s, студентов: %(n)s, оценено: %(m)s, из них «2»: %(f)s.")
            % {"p": len(periods), "n": len(rows), "m": marked, "f": failing}
        ],
    )
