"""Final marks: period, year, exam and credit marks per pupil and course, and retakes.

A period mark is proposed from the pupil's weighted average for the period, rounded by the
school's rule (its regulation); a pupil with fewer marks than the school requires is proposed
«н/а» (не аттестован) unless the teacher confirms a mark. A year mark is proposed from the
period marks. Final marks of a column lock after its deadline (the period's end less the
school's days); a retake, recorded with its protocol, changes a failing mark afterwards.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import Pupil, Regulation
from schedule.models import Enrolment, StudyPeriod, SubgroupMembership

from ..models import FinalMark, Retake
from ..policy import final_verdict, year_closed_reason

Kind, Value = FinalMark.Kind, FinalMark.Value
FIVE_POINT = (Value.FIVE, Value.FOUR, Value.THREE, Value.TWO)
NUMERIC = {Value.FIVE: 5, Value.FOUR: 4, Value.THREE: 3, Value.TWO: 2}
# Kinds a college adds per semester; a school adds exams (grades 9 and 11) and final marks.
COLLEGE_KINDS = (Kind.EXAM, Kind.CREDIT, Kind.DIFF_CREDIT)
SCHOOL_KINDS = (Kind.EXAM, Kind.FINAL)
MAX_RETAKES = 2  # Федеральный закон № 273-ФЗ, ст. 58 ч. 5: не более двух раз


# --- Columns ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    kind: str
    period: StudyPeriod | None
    deadline: date

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.period.pk}" if self.period else self.kind

    @property
    def label(self) -> str:
        if self.kind == Kind.PERIOD:
            return str(self.period)
        name = Kind(self.kind).label
        return f"{name}, {self.period}" if self.period else str(name)

    def locked(self, today: date) -> bool:
        """Past the deadline on `today` (pass the school's own day: school.today())."""
        return today > self.deadline

    def query(self) -> dict:
        params = {"kind": self.kind}
        if self.period:
            params["period"] = self.period.pk
        return params


def course_periods(course) -> list[StudyPeriod]:
    grade = course.school_class.grade
    return list(
        StudyPeriod.objects.filter(
            year_id=course.year_id, grade_from__lte=grade, grade_to__gte=grade
        ).order_by("start")
    )


def make_column(course, kind: str, period, periods, regulation) -> Column:
    if period is not None:
        end = period.end
    elif periods:
        end = max(p.end for p in periods)
    else:
        end = course.year.end
    return Column(kind=kind, period=period, deadline=regulation.final_marks_deadline(end))


def column_for(course, kind: str, period_id=None, periods=None) -> Column:
    """The column a request names; ValidationError for a kind or period that does not fit."""
    if kind not in Kind.values:
        raise ValidationError(_("Неизвестный вид итоговой отметки."))
    periods = course_periods(course) if periods is None else periods
    period = None
    if period_id not in (None, ""):
        period = next((p for p in periods if str(p.pk) == str(period_id)), None)
        if period is None:
            raise ValidationError(_("Такого учебного периода у этого класса нет."))
    if kind in FinalMark.PERIOD_REQUIRED and period is None:
        raise ValidationError(_("Укажите учебный период."))
    if kind in FinalMark.PERIOD_FORBIDDEN and period is not None:
        raise ValidationError(_("Годовая и итоговая отметки ставятся без периода."))
    regulation = course.school.regulation
    return make_column(course, kind, period, periods, regulation)


def course_columns(course, marks=(), periods=None) -> list[Column]:
    """Each period of the class, the year, then any exam or credit columns already filled."""
    regulation = course.school.regulation
    periods = course_periods(course) if periods is None else periods
    columns = [make_column(course, Kind.PERIOD, p, periods, regulation) for p in periods]
    columns.append(make_column(course, Kind.YEAR, None, periods, regulation))
    by_pk = {p.pk: p for p in periods}
    extra = sorted(
        {(m.kind, m.period_id) for m in marks if m.kind not in (Kind.PERIOD, Kind.YEAR)},
        key=lambda kp: (list(Kind.values).index(kp[0]), by_pk[kp[1]].start if kp[1] else date.max),
    )
    for kind, period_id in extra:
        columns.append(make_column(course, kind, by_pk.get(period_id), periods, regulation))
    return columns


def addable_columns(course, columns, periods=None) -> list[Column]:
    """Exam and credit columns the teacher may open (colleges: per semester)."""
    regulation = course.school.regulation
    periods = course_periods(course) if periods is None else periods
    have = {c.key for c in columns}
    if course.school.kind == course.school.Kind.COLLEGE:
        candidates = [(k, p) for p in periods for k in COLLEGE_KINDS]
    else:
        candidates = [(k, None) for k in SCHOOL_KINDS]
    result = []
    for kind, period in candidates:
        column = make_column(course, kind, period, periods, regulation)
        if column.key not in have:
            result.append(column)
    return result


def allowed_values(course, kind: str) -> list[str]:
    """The values a final mark of this kind may take in this course."""
    exempt = [Value.EXEMPT] if kind in FinalMark.EXEMPTABLE else []
    if kind == Kind.CREDIT:
        # A зачёт is «зачтено / не зачтено», or a mark 2–5 where the regulation says so (002).
        if course.school.regulation.credit_scale == Regulation.CreditScale.FIVE:
            return [*FIVE_POINT, Value.NOT_CERTIFIED]
        return [Value.PASS, Value.FAIL, Value.NOT_CERTIFIED]
    if kind in (Kind.EXAM, Kind.DIFF_CREDIT, Kind.COURSE_WORK) or course.scale == course.Scale.FIVE:
        return [*FIVE_POINT, Value.NOT_CERTIFIED, *exempt]
    return [Value.PASS, Value.FAIL, Value.NOT_CERTIFIED, *exempt]


def propose_period_mark(average, count: int, regulation, *, pass_fail: bool) -> str:
    """The period mark a weighted average proposes: «н/а» with fewer marks than the school
    requires; зачтено from 0.5 on a pass/fail course; else the average rounded by the
    school's rule. The final-marks page proposes it, and reports use it where a period mark
    is not set yet («по текущим средним»)."""
    if average is None or count < regulation.min_marks_for_period:
        return Value.NOT_CERTIFIED
    if pass_fail:
        # A pass/fail course averages 1 for «зачтено» and 0 for «не зачтено».
        return Value.PASS if average >= Decimal("0.5") else Value.FAIL
    return str(regulation.round(average))


# --- Pupils and averages -----------------------------------------------------------------------


def course_pupils(course, start: date | None = None, end: date | None = None) -> list[Pupil]:
    """Pupils in the course (its class, or its subgroup) at any time between start and end."""
    start = start or course.year.start
    end = end or course.year.end
    if course.subgroup_id:
        stays = SubgroupMembership.objects.filter(subgroup_id=course.subgroup_id)
    else:
        stays = Enrolment.objects.filter(school_class_id=course.school_class_id)
    pupil_ids = stays.overlapping(start, end).values("pupil_id")
    return list(
        Pupil.objects.filter(pk__in=pupil_ids).order_by("last_name", "first_name", "patronymic")
    )


def weighted_averages(course, start: date, end: date) -> dict[int, tuple[Decimal | None, int]]:
    """{pupil_id: (weighted average, number of marks)} of a course's marks between two dates:
    the journal's own figure (grading.services.marks, one GROUP BY query)."""
    from .marks import period_averages

    return period_averages(course, start, end)


def round_average(average: Decimal | None) -> Decimal | None:
    return None if average is None else average.quantize(Decimal("0.01"), ROUND_HALF_UP)


# --- Proposals ---------------------------------------------------------------------------------


@dataclass
class Proposal:
    pupil: Pupil
    current: FinalMark | None
    average: Decimal | None = None
    count: int = 0
    proposed: str | None = None
    few_marks: bool = False
    sources: list = field(default_factory=list)  # the period marks a year mark comes from

    @property
    def proposed_label(self) -> str:
        return Value(self.proposed).label if self.proposed else ""


def final_marks(course) -> list[FinalMark]:
    return list(FinalMark.objects.filter(course=course).select_related("set_by"))


def proposals(course, column: Column, pupils=None, marks=None) -> list[Proposal]:
    """What each pupil's mark in a column would be, with the figures it comes from."""
    regulation = course.school.regulation
    pupils = course_pupils(course) if pupils is None else pupils
    marks = final_marks(course) if marks is None else marks
    current = {
        m.pupil_id: m
        for m in marks
        if m.kind == column.kind and m.period_id == (column.period.pk if column.period else None)
    }
    result = [Proposal(pupil=p, current=current.get(p.pk)) for p in pupils]
    pass_fail = Value.PASS in allowed_values(course, column.kind)
    if column.kind == Kind.PERIOD:
        averages = weighted_averages(course, column.period.start, column.period.end)
        for item in result:
            average, count = averages.get(item.pupil.pk, (None, 0))
            item.average, item.count = round_average(average), count
            item.few_marks = count < regulation.min_marks_for_period
            item.proposed = propose_period_mark(average, count, regulation, pass_fail=pass_fail)
    elif column.kind == Kind.YEAR:
        period_marks = {}
        for m in marks:
            if m.kind == Kind.PERIOD:
                period_marks.setdefault(m.pupil_id, []).append(m)
        for item in result:
            sources = sorted(period_marks.get(item.pupil.pk, []), key=lambda m: m.period_id)
            item.sources = sources
            item.count = len(sources)
            numbers = [NUMERIC[m.value] for m in sources if m.value in NUMERIC]
            if sources and all(m.value == Value.EXEMPT for m in sources):
                item.proposed = Value.EXEMPT  # exempt all year
            elif pass_fail:
                if sources:
                    passed = all(m.value == Value.PASS for m in sources)
                    item.proposed = Value.PASS if passed else Value.FAIL
            elif numbers:
                average = Decimal(sum(numbers)) / len(numbers)
                item.average = round_average(average)
                item.proposed = str(regulation.round(average))
            elif sources:
                item.proposed = Value.NOT_CERTIFIED
    return result


# --- Setting marks -----------------------------------------------------------------------------


class FinalMarksLocked(ValidationError):
    pass


def check_entries(course, column: Column, entries: dict) -> tuple[dict, list]:
    """Check a posted column: `entries` maps pupil_id → (value, confirmed).

    Returns ({pupil_id: error}, [(proposal row, value, confirmed few marks)] of the cells that
    change). The rules are the same before the deadline and for a correction after it.
    """
    regulation = course.school.regulation
    rows = {p.pupil.pk: p for p in proposals(course, column)}
    allowed = allowed_values(course, column.kind)
    errors, changes = {}, []
    for pupil_id, (value, confirmed) in entries.items():
        row = rows.get(pupil_id)
        if row is None:
            errors[pupil_id] = _("Этого обучающегося нет в курсе.")
            continue
        value = (value or "").strip()
        if not value:
            if row.current is not None:
                errors[pupil_id] = _(
                    "Выставленную отметку нельзя стереть: поставьте другую или «н/а»."
                )
            continue
        if value not in allowed:
            errors[pupil_id] = _("Недопустимая отметка «%(v)s».") % {"v": value}
            continue
        few = column.kind == Kind.PERIOD and row.few_marks
        # «н/а» and «осв.» are what few marks call for: no confirmation.
        unmarked = value in (Value.NOT_CERTIFIED, Value.EXEMPT)
        if few and not unmarked and not confirmed:
            errors[pupil_id] = _(
                "Отметок меньше %(n)s (%(count)s): поставьте «н/а» или подтвердите отметку."
            ) % {"n": regulation.min_marks_for_period, "count": row.count}
            continue
        confirm = bool(few and not unmarked)
        current = row.current
        if current is not None and (current.value, current.confirmed_few_marks) == (value, confirm):
            continue
        changes.append((row, value, confirm))
    return errors, changes


def locked_message(column: Column) -> str:
    return _(
        "Срок выставления отметок «%(column)s» истёк %(date)s: исправление — только "
        "с согласия заместителя директора."
    ) % {"column": column.label, "date": column.deadline.strftime("%d.%m.%Y")}


@transaction.atomic
def set_final_marks(course, column: Column, entries: dict, *, user, today=None) -> dict:
    """Save a column: `entries` maps pupil_id → (value, confirmed). Returns {pupil_id: error}.

    Nothing is saved when any row is wrong. After the column's deadline nothing is saved at
    all: a change then needs the deputy's approval (grading.services.final_corrections). The
    write policy says which (and refuses a closed year or someone who does not teach it).
    """
    verdict = final_verdict(user, course, column, today=today)
    if verdict.refused:
        raise ValidationError(verdict.reason, code="refused")
    if verdict.needs_correction:
        raise FinalMarksLocked(locked_message(column))
    errors, changes = check_entries(course, column, entries)
    if errors:
        return errors
    for row, value, confirm in changes:
        mark = row.current or FinalMark(
            school_id=course.school_id,
            pupil=row.pupil,
            course=course,
            period=column.period,
            kind=column.kind,
        )
        mark.value, mark.confirmed_few_marks = value, confirm
        mark.average, mark.marks_count = row.average, row.count
        mark.set_by = user
        mark._history_user = user
        mark.save()
    return {}


# --- Retakes -------------------------------------------------------------------------------------


@transaction.atomic
def record_retake(
    final_mark: FinalMark,
    *,
    held_on: date,
    protocol_number: str,
    commission,
    result: str,
    user,
    order_number: str = "",
    today: date | None = None,
) -> Retake:
    """Record a retake of a failing mark with its protocol; its result becomes the mark.

    The protocol is the ground for changing a mark after its deadline (regulation 002), so a
    retake is not held back by the lock; the old value stays in the mark's history.
    """
    final_mark = (
        FinalMark.objects.select_for_update().select_related("school").get(pk=final_mark.pk)
    )
    today = today or final_mark.school.today()  # «not yet held» by the school's own day
    closed = year_closed_reason(final_mark.course.year)
    if closed:
        raise ValidationError(closed, code="refused")
    if not final_mark.is_failing:
        raise ValidationError(
            _("Пересдача записывается только для неудовлетворительной отметки или «н/а».")
        )
    attempts = final_mark.retakes.count()
    if attempts >= MAX_RETAKES:
        raise ValidationError(_("Пересдать можно не более двух раз."))
    if held_on > today:
        raise ValidationError(_("Дата пересдачи ещё не наступила."))
    if not protocol_number.strip():
        raise ValidationError(_("Укажите номер протокола."))
    members = list(commission)
    if not members:
        raise ValidationError(_("Укажите членов комиссии."))
    if result not in allowed_values(final_mark.course, final_mark.kind):
        raise ValidationError(_("Недопустимый результат пересдачи."))
    retake = Retake(
        school_id=final_mark.school_id,
        final_mark=final_mark,
        attempt=attempts + 1,
        held_on=held_on,
        protocol_number=protocol_number.strip(),
        order_number=order_number.strip(),
        previous_value=final_mark.value,
        result=result,
        recorded_by=user,
    )
    retake._history_user = user
    retake.save()
    retake.commission.set(members)
    if final_mark.value != result:
        final_mark.value = result
        final_mark.set_by = user
        final_mark._history_user = user
        final_mark.save()
    return retake


def staff_candidates(school):
    """Staff who may sit on a commission: the school's teachers and leadership."""
    from accounts.models import STAFF_ROLES, User

    return (
        User.objects.filter(
            Q(memberships__school=school)
            & Q(memberships__role__in=STAFF_ROLES)
            & Q(memberships__ended_at__isnull=True)
        )
        .distinct()
        .order_by("last_name", "first_name")
    )
