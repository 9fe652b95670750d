"""Closing a school year: the deputy's checklist and the one service that closes it.

The checklist lists every gap with a link to where it is fixed: a pupil without a year mark
(or «н/а» / «осв.» recorded) in a course; a correction not decided; a course behind its plan
(КТП) at the year's end that its teacher has not explained. All must be empty to close the
year: once closed, the write policy (grading.policy) refuses every write in it.

The control's shortfalls (reports, issue 12) still open in the year's courses are listed
too, by course and kind with a link to where each is fixed; they do not block the close, but
the deputy acknowledges them in closing (the close form's «ознакомлен»): after the lock
windows many can no longer be fixed, only accounted for.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.navigation import school_reverse
from grading.models import CorrectionRequest, FinalMark, FinalMarkCorrection
from grading.models.marks import Decision
from journal.services.plan.fact import plan_facts
from schedule.models import Course, Enrolment, SchoolYear, StudyPeriod, SubgroupMembership

from .journal_data import short_name


@dataclass
class Gap:
    text: str
    url: str = ""


@dataclass
class Item:
    key: str
    title: str
    blocking: bool
    gaps: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.gaps


def _last_days(year) -> dict:
    """grade → the last day of its last study period (the year's end if it has none)."""
    last: dict = {}
    for low, high, end in StudyPeriod.objects.filter(year=year).values_list(
        "grade_from", "grade_to", "end"
    ):
        for grade in range(low, high + 1):
            last[grade] = max(last.get(grade, end), end)
    return last


def _on(rows, day):
    return (s <= day and (e is None or e >= day) for s, e in rows)


def missing_year_marks(year) -> list[Gap]:
    """Pupils in a course on its grade's last day of study with no year mark (five queries)."""
    school = year.school
    last = _last_days(year)
    courses = list(
        Course.objects.filter(year=year, school_class__no_marks=False)
        .select_related("school_class", "subject", "subgroup")
        .order_by("school_class__grade", "school_class__letter", "subject__name")
    )
    stays: dict = {}
    names: dict = {}
    for class_id, pupil_id, start, end, last_name, first, patronymic in Enrolment.objects.filter(
        school_class__year=year
    ).values_list(
        "school_class_id", "pupil_id", "start", "end",
        "pupil__last_name", "pupil__first_name", "pupil__patronymic",
    ):  # fmt: skip
        stays.setdefault(("class", class_id), {}).setdefault(pupil_id, []).append((start, end))
        names[pupil_id] = short_name(last_name, first, patronymic)
    for group_id, pupil_id, start, end in SubgroupMembership.objects.filter(
        subgroup__school_class__year=year
    ).values_list("subgroup_id", "pupil_id", "start", "end"):
        stays.setdefault(("group", group_id), {}).setdefault(pupil_id, []).append((start, end))
    marked = set(
        FinalMark.objects.filter(course__year=year, kind=FinalMark.Kind.YEAR).values_list(
            "course_id", "pupil_id"
        )
    )
    gaps = []
    for course in courses:
        day = last.get(course.school_class.grade, year.end)
        key = (
            ("group", course.subgroup_id)
            if course.subgroup_id
            else ("class", course.school_class_id)
        )
        lacking = sorted(
            (names.get(pupil_id, "?") for pupil_id, rows in stays.get(key, {}).items()
             if any(_on(rows, day)) and (course.pk, pupil_id) not in marked),
        )  # fmt: skip
        if lacking:
            gaps.append(
                Gap(
                    _("%(cls)s, %(subject)s: нет годовой отметки у %(n)s: %(names)s")
                    % {
                        "cls": course.school_class.name,
                        "subject": str(course.subject)
                        + (f" ({course.subgroup.name})" if course.subgroup_id else ""),
                        "n": len(lacking),
                        "names": ", ".join(lacking),
                    },
                    school_reverse(school, "grading:finals", pk=course.pk),
                )
            )
    return gaps


def undecided_corrections(year) -> list[Gap]:
    url = school_reverse(year.school, "grading:corrections")
    gaps = []
    for request in (
        CorrectionRequest.objects.filter(lesson__course__year=year, status=Decision.Status.PENDING)
        .select_related("lesson__course__school_class", "lesson__course__subject")
        .order_by("lesson__date")
    ):
        course = request.lesson.course
        gaps.append(
            Gap(
                _("%(cls)s, %(subject)s, урок %(date)s: исправление («%(what)s») ждёт решения")
                % {
                    "cls": course.school_class.name,
                    "subject": course.subject,
                    "date": request.lesson.date.strftime("%d.%m.%Y"),
                    "what": request.get_kind_display(),
                },
                url,
            )
        )
    for request in (
        FinalMarkCorrection.objects.filter(course__year=year, status=Decision.Status.PENDING)
        .select_related("course__school_class", "course__subject")
        .order_by("requested_at")
    ):
        gaps.append(
            Gap(
                _("%(cls)s, %(subject)s: исправление итоговой отметки ждёт решения")
                % {"cls": request.course.school_class.name, "subject": request.course.subject},
                url,
            )
        )
    return gaps


def plan_lags(year) -> list[Gap]:
    """Courses behind their plan on the year's last day whose teacher has not said why (three
    queries, whatever the number of courses)."""
    gaps = []
    courses = list(
        Course.objects.filter(year=year, plan_topics__isnull=False)
        .distinct()
        .select_related("school_class", "subject")
        .order_by("school_class__grade", "school_class__letter", "subject__name")
    )
    facts = plan_facts(courses, today=year.end)
    for course in courses:
        fact = facts[course.pk]
        if fact.state == "behind" and not course.plan_lag_reason.strip():
            gaps.append(
                Gap(
                    _("%(cls)s, %(subject)s: %(state)s, причина не указана учителем")
                    % {
                        "cls": course.school_class.name,
                        "subject": course.subject,
                        "state": fact.state_label,
                    },
                    school_reverse(year.school, "journal:plan_lag", pk=course.pk),
                )
            )
    return gaps


def control_gaps(year) -> list[Gap]:
    """The control's open shortfalls in the year's courses, one line per course and kind with
    the first place to fix it (one query)."""
    from reports.models import Shortfall
    from reports.services.control_links import Linker

    link = Linker(year.school)
    grouped: dict = {}
    for row in (
        Shortfall.objects.filter(Shortfall.open_filter(), course__year=year)
        .select_related("course__school_class", "course__subject", "lesson")
        .order_by("course__school_class__grade", "course__school_class__letter", "kind", "pk")
    ):
        key = (row.course_id, row.kind)
        if key not in grouped:
            grouped[key] = [row, 0]
        grouped[key][1] += 1
    return [
        Gap(
            _("%(cls)s, %(subject)s: %(kind)s — %(n)s")
            % {
                "cls": row.course.school_class.name,
                "subject": row.course.subject,
                "kind": row.get_kind_display(),
                "n": n,
            },
            link(row, row.lesson.date if row.lesson_id else None),
        )
        for row, n in grouped.values()
    ]


def checklist(year) -> list[Item]:
    items = [
        Item(
            "year_marks",
            _("Годовые отметки (или «н/а», «осв.») у каждого обучающегося по каждому курсу"),
            True,
            missing_year_marks(year),
        ),
        Item("corrections", _("Все исправления рассмотрены"), True, undecided_corrections(year)),
        Item(
            "plan",
            _("Каждое отставание от программы (КТП) на конец года объяснено учителем"),
            True,
            plan_lags(year),
        ),
    ]
    items.append(
        Item(
            "control",
            _("Недочёты ведения журнала (контроль) устранены или приняты к сведению"),
            False,
            control_gaps(year),
        )
    )
    return items


def blocking_gaps(items) -> int:
    return sum(len(item.gaps) for item in items if item.blocking)


@transaction.atomic
def do_close_year(year, user, *, build_archive: bool = True, acknowledged: bool = True):
    """Close the year: read-only everywhere from now on (grading.policy refuses every write),
    and its archive built (queued after commit). Refused while the checklist has a blocking
    gap, while the control's open shortfalls are not `acknowledged`, or when the year is
    closed already."""
    from .build import do_start_build

    year = SchoolYear.objects.select_for_update().select_related("school").get(pk=year.pk)
    if year.closed_at is not None:
        raise ValidationError(_("Учебный год %(year)s уже закрыт.") % {"year": year.name})
    items = checklist(year)
    gaps = blocking_gaps(items)
    if gaps:
        raise ValidationError(
            _("Год нельзя закрыть: в проверке осталось пробелов — %(n)s.") % {"n": gaps}
        )
    if not acknowledged and any(i.gaps for i in items if i.key == "control"):
        raise ValidationError(
            _("Отметьте, что неустранённые недочёты ведения журнала приняты к сведению.")
        )
    year.closed_at = year.school.now()
    year.closed_by = user
    year.save(update_fields=["closed_at", "closed_by"])
    if build_archive:
        do_start_build(year, user)
    return year
