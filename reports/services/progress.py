"""Итоги успеваемости: each pupil's period marks counted into the figures of the paper form.

Definitions (the page and the XLSX footnote state them, `DEFINITIONS`):

- On period marks (year marks for the year), per pupil: a pupil's category is decided by the
  lowest of their marks — «н/а» below «2» below «3» below «4» below «5». Categories do not
  overlap: отличники (only «5»), хорошисты (only «4» and «5», at least one «4»; those with
  exactly one «4» are shown again as «с одной 4»), with «3» (exactly one: «с одной 3»),
  неуспевающие (a «2» or «не зачтено»: one, two, more), не аттестованы (an «н/а», whatever else
  they have), освобождены (every mark «осв.»). «Зачтено» decides nothing: a pupil with only
  «зачтено» is успевающий, not in качество.
- N = pupils in the class at the period's end, less освобождённые, less classes without
  marks (1st grade). Pupils without any period mark stay in N but in no category: the report
  warns that marks are missing, and can take current averages for them instead.
- успеваемость = (N − неуспевающие − не аттестованные − без отметок) / N;
  качество = (отличники + хорошисты) / N;
  СОУ = (100·n5 + 64·n4 + 36·n3 + 16·n2 + 7·n(н/а)) / N with n5 = отличники, n4 = хорошисты,
  n3 = with «3» (and only «зачтено»), n2 = неуспевающие, n(н/а) = не аттестованы;
  средний балл = the mean of the pupils' period marks on the five-point scale.

Queries: a fixed number whatever the school's size — classes, periods, enrolments, courses,
subgroup places, the final marks grouped per pupil in SQL, and (for current averages) the
journal's weighted averages grouped per course and pupil.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, DateField, Exists, OuterRef, Q, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grading.models import FinalMark
from grading.services.averages import Average, sums
from grading.services.finals import propose_period_mark
from grading.services.marks import held_marks
from schedule.models import Course, Enrolment, SubgroupMembership

from .scope import (
    Selection,
    own_period,
    previous_period,
    year_end_of,
    year_periods,
    year_start_of,
)

FINAL, CURRENT = "final", "current"  # what the figures rest on: set marks, or averages too
Kind, Value_ = FinalMark.Kind, FinalMark.Value
FAILING = (Value_.TWO, Value_.FAIL)
SOU_WEIGHTS = {"excellent": 100, "good": 64, "three": 36, "passed": 36, "failing": 16, "na": 7}

DEFINITIONS = [
    gettext_lazy(
        "Итоги — по итоговым отметкам за период каждого обучающегося; категорию решает его "
        "низшая отметка («н/а» ниже «2»). N — обучающиеся класса на конец периода, кроме "
        "освобождённых и классов без отметок (1 класс)."
    ),
    gettext_lazy(
        "Успеваемость — доля обучающихся без «2» и «н/а»; качество — доля обучающихся только "
        "на «4» и «5»; СОУ = (100·n5 + 64·n4 + 36·n3 + 16·n2 + 7·n(н/а)) / N, где n5 — "
        "отличники, n4 — хорошисты, n3 — с «3», n2 — неуспевающие, n(н/а) — не аттестованы; "
        "средний балл — среднее итоговых отметок по пятибалльной шкале."
    ),
]


@dataclass
class PupilResult:
    """One pupil's period marks, counted."""

    pupil_id: int
    class_id: int
    n5: int = 0
    n4: int = 0
    n3: int = 0
    n2: int = 0  # «2» and «не зачтено»
    na: int = 0
    exempt: int = 0
    passed: int = 0  # «зачтено»
    courses: list = field(default_factory=list)  # courses due a period mark (they give marks)
    estimated: list = field(default_factory=list)  # [(course_id, value)] from current averages

    @property
    def expected(self) -> int:
        return len(self.courses)

    @property
    def total(self) -> int:
        return self.n5 + self.n4 + self.n3 + self.n2 + self.na + self.exempt + self.passed

    @property
    def missing(self) -> int:
        """Period marks not set (before any estimate)."""
        return max(0, self.expected - self.total + len(self.estimated))

    def add(self, value: str, count: int = 1) -> None:
        if value == Value_.FIVE:
            self.n5 += count
        elif value == Value_.FOUR:
            self.n4 += count
        elif value == Value_.THREE:
            self.n3 += count
        elif value in FAILING:
            self.n2 += count
        elif value == Value_.NOT_CERTIFIED:
            self.na += count
        elif value == Value_.EXEMPT:
            self.exempt += count
        elif value == Value_.PASS:
            self.passed += count

    @property
    def category(self) -> str:
        """«excellent», «good», «three», «passed», «failing», «na», «exempt» or «none»."""
        if self.na:
            return "na"
        if self.n2:
            return "failing"
        if self.n3:
            return "three"
        if self.n4:
            return "good"
        if self.n5:
            return "excellent"
        if self.passed:
            return "passed"
        if self.exempt and not self.missing:
            return "exempt"
        return "none"

    @property
    def points(self) -> int:
        return 5 * self.n5 + 4 * self.n4 + 3 * self.n3 + 2 * self.n2

    @property
    def five_point(self) -> int:
        """Marks on the five-point scale («не зачтено» is not one)."""
        return self.n5 + self.n4 + self.n3 + self.n2


# The categories a count links to (reports:progress_pupils ?category=…), and their titles.
CATEGORY_TITLES = {
    "at_start": gettext_lazy("на начало периода"),
    "at_end": gettext_lazy("на конец периода"),
    "counted": gettext_lazy("учитываются (N)"),
    "attested": gettext_lazy("аттестованы"),
    "excellent": gettext_lazy("отличники"),
    "good": gettext_lazy("хорошисты"),
    "one_four": gettext_lazy("с одной «4»"),
    "three": gettext_lazy("с «3»"),
    "one_three": gettext_lazy("с одной «3»"),
    "failing": gettext_lazy("неуспевающие"),
    "failing_1": gettext_lazy("неуспевающие с одной «2»"),
    "failing_2": gettext_lazy("неуспевающие с двумя «2»"),
    "failing_more": gettext_lazy("неуспевающие с тремя и более «2»"),
    "na": gettext_lazy("не аттестованы"),
    "exempt": gettext_lazy("освобождены"),
    "none": gettext_lazy("без итоговых отметок"),
}


def in_category(result: PupilResult, category: str) -> bool:
    """Whether a counted pupil's result falls in a category of the form."""
    kind = result.category
    if category == "counted":
        return kind != "exempt"
    if category == "attested":
        return kind not in ("exempt", "na", "none")
    if category == "one_four":
        return kind == "good" and result.n4 == 1
    if category == "one_three":
        return kind == "three" and result.n3 == 1
    if category.startswith("failing_"):
        wanted = {"failing_1": 1, "failing_2": 2}.get(category)
        return kind == "failing" and (result.n2 == wanted if wanted else result.n2 >= 3)
    return kind == category


@dataclass
class Tally:
    """The figures of a class, a parallel or the school for one period."""

    at_start: int = 0
    at_end: int = 0
    classes: int = 0  # classes that give marks (0: 1st grade only, «без отметок»)
    counts: dict = field(default_factory=dict)  # category → pupils
    points: int = 0
    five_point: int = 0
    missing: int = 0  # period marks not set
    estimated: int = 0  # of them, taken from current averages
    expected: int = 0
    unmarked_pupils: int = 0  # pupils with a missing mark

    def count(self, category: str) -> int:
        return self.counts.get(category, 0)

    def add(self, result: PupilResult) -> None:
        for category in CATEGORY_TITLES:
            if category not in ("at_start", "at_end") and in_category(result, category):
                self.counts[category] = self.counts.get(category, 0) + 1
        self.points += result.points
        self.five_point += result.five_point
        self.missing += result.missing
        self.estimated += len(result.estimated)
        self.expected += result.expected
        self.unmarked_pupils += bool(result.missing)

    def merge(self, other: "Tally") -> None:
        self.at_start += other.at_start
        self.at_end += other.at_end
        self.classes += other.classes
        for category, n in other.counts.items():
            self.counts[category] = self.counts.get(category, 0) + n
        for name in ("points", "five_point", "missing", "estimated", "expected"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.unmarked_pupils += other.unmarked_pupils

    @property
    def no_marks(self) -> bool:
        return not self.classes

    @property
    def n(self) -> int:
        return self.count("counted")

    @property
    def successful(self) -> int:
        return (
            self.count("excellent")
            + self.count("good")
            + self.count("three")
            + self.count("passed")
        )

    def share(self, part: int) -> Decimal | None:
        if not self.n:
            return None
        return (Decimal(100 * part) / self.n).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def success(self) -> Decimal | None:
        return self.share(self.successful)

    @property
    def quality(self) -> Decimal | None:
        return self.share(self.count("excellent") + self.count("good"))

    @property
    def sou(self) -> Decimal | None:
        if not self.n:
            return None
        weighted = sum(w * self.count(c) for c, w in SOU_WEIGHTS.items())
        return (Decimal(weighted) / self.n).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def average(self) -> Decimal | None:
        if not self.five_point:
            return None
        return (Decimal(self.points) / self.five_point).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class ClassProgress:
    school_class: object
    period: object  # the class's own study period (None for the year)
    previous: object
    start: date
    end: date
    current: Tally
    before: Tally | None
    results: dict  # pupil_id → PupilResult (the current period)
    before_results: dict
    at_start: set = field(default_factory=set)  # pupils on the first day (the current period)
    at_end: set = field(default_factory=set)  # and on the last


@dataclass
class Progress:
    selection: Selection
    span: object  # reports.params.Span
    basis: str
    classes: list  # [ClassProgress]
    periods: list
    courses: dict  # course_id → (class_id, subgroup_id, subject name, scale, subject_id)

    @property
    def total(self) -> Tally:
        return sum_tallies(c.current for c in self.classes)

    @property
    def own_periods(self) -> dict:
        """{class name: its own period} for the classes whose period is not the chosen one."""
        chosen = self.span.period
        return {
            c.school_class.name: c.period
            for c in self.classes
            if chosen is not None and c.period is not None and c.period.pk != chosen.pk
        }


def sum_tallies(tallies) -> Tally:
    total = Tally()
    for tally in tallies:
        if tally is not None:
            total.merge(tally)
    return total


# --- Who is in a class or course on a day -------------------------------------------------------


def _on(spans, day: date) -> bool:
    return any(start <= day and (end is None or end >= day) for start, end in spans)


def at_end_filter(end_field: str, class_field="course__school_class_id"):
    """Final marks of pupils who are in the mark's class on the period's end day (N is the
    class at the period's end): an Exists over Enrolment, the end day the mark's field."""
    end_expression = OuterRef(end_field)
    return Exists(
        Enrolment.objects.filter(
            pupil_id=OuterRef("pupil_id"),
            school_class_id=OuterRef(class_field),
            start__lte=end_expression,
        ).filter(Q(end__isnull=True) | Q(end__gte=end_expression))
    )


def end_by_class(ends: dict) -> Case:
    """An SQL expression: the end day of each class's period ({class_id: day})."""
    by_day: dict = {}
    for class_id, day in ends.items():
        by_day.setdefault(day, []).append(class_id)
    return Case(
        *[
            When(course__school_class_id__in=ids, then=Value(day))
            for day, ids in sorted(by_day.items())
        ],
        output_field=DateField(),
    )


# --- The figures ---------------------------------------------------------------------------------


@dataclass
class Plan:
    """A class and the dates its figures are taken for."""

    school_class: object
    period: object  # its own study period (None for the year)
    previous: object  # the period before it (None for the first, and for the year)
    start: date
    end: date


def plans_of(classes, periods, span, year) -> list[Plan]:
    plans = []
    for school_class in classes:
        grade = school_class.grade
        if span.kind == "period":
            period = own_period(periods, grade, span.period)
            if period is None:  # the grade has no periods: its figures are empty
                plans.append(Plan(school_class, None, None, span.start, span.end))
                continue
            previous = previous_period(periods, grade, period)
            plans.append(Plan(school_class, period, previous, period.start, period.end))
        else:
            plans.append(
                Plan(
                    school_class,
                    None,
                    None,
                    year_start_of(periods, grade, year),
                    year_end_of(periods, grade, year),
                )
            )
    return plans


MARK_COUNTS = (
    ("n5", [Value_.FIVE]),
    ("n4", [Value_.FOUR]),
    ("n3", [Value_.THREE]),
    ("n2", list(FAILING)),
    ("na", [Value_.NOT_CERTIFIED]),
    ("exempt", [Value_.EXEMPT]),
    ("passed", [Value_.PASS]),
)


def class_progress(selection: Selection, span, *, basis: str = FINAL) -> Progress:
    """The figures of every class in the selection for a span (a period, or the year)."""
    classes = list(selection.classes().only("pk", "grade", "letter", "no_marks"))
    periods = year_periods(selection.year)
    plans = plans_of(classes, periods, span, selection.year)
    progress = Progress(selection, span, basis, [], periods, {})
    if not plans:
        return progress
    class_ids = [c.pk for c in classes]
    first = min(p.previous.start if p.previous else p.start for p in plans)
    last = max(p.end for p in plans)
    stays: dict = {}
    for pupil_id, class_id, start, end in (
        Enrolment.objects.filter(school_class_id__in=class_ids)
        .overlapping(first, last)
        .values_list("pupil_id", "school_class_id", "start", "end")
    ):
        stays.setdefault(class_id, {}).setdefault(pupil_id, []).append((start, end))
    by_class: dict = {}
    for row in Course.objects.filter(school_class_id__in=class_ids).values_list(
        "pk", "school_class_id", "subgroup_id", "subject__name", "scale", "subject_id"
    ):
        progress.courses[row[0]] = row[1:]
        by_class.setdefault(row[1], []).append((row[0], row[2]))
    places: dict = {}
    for pupil_id, subgroup_id, start, end in (
        SubgroupMembership.objects.filter(subgroup__school_class_id__in=class_ids)
        .overlapping(first, last)
        .values_list("pupil_id", "subgroup_id", "start", "end")
    ):
        places.setdefault((pupil_id, subgroup_id), []).append((start, end))

    def due(class_id, pupil_id, day) -> list[int]:
        """The pupil's courses on a day: the class's, and their subgroups'."""
        return [
            course_id
            for course_id, subgroup_id in by_class.get(class_id, [])
            if subgroup_id is None or _on(places.get((pupil_id, subgroup_id), []), day)
        ]

    kind = Kind.PERIOD if span.kind == "period" else Kind.YEAR
    found = _counted_marks(plans, kind)
    estimate = []
    for plan in plans:
        pupils = stays.get(plan.school_class.pk, {})
        current, results, ids = _tally(plan, pupils, plan.start, plan.end, plan.period, found, due)
        before = before_results = None
        if plan.previous is not None:
            before, before_results, _ids = _tally(
                plan, pupils, plan.previous.start, plan.previous.end, plan.previous, found, due
            )
        item = ClassProgress(
            plan.school_class,
            plan.period,
            plan.previous,
            plan.start,
            plan.end,
            current,
            before,
            results,
            before_results or {},
            *ids,
        )
        progress.classes.append(item)
        if basis == CURRENT and current.missing:
            estimate.append(item)
    if estimate:
        _estimate(estimate, kind, progress.courses, selection.school.regulation)
    return progress


def _counted_marks(plans, kind) -> dict:
    """{(pupil, class, period): PupilResult}: the final marks counted per pupil in SQL. Only
    the pupils in the class on the period's end day are looked up (`_tally`): the others'
    rows are never read."""
    class_ids = [p.school_class.pk for p in plans]
    marks = FinalMark.objects.filter(kind=kind, course__school_class_id__in=class_ids)
    if kind == Kind.PERIOD:
        wanted = {p.period.pk for p in plans if p.period} | {
            p.previous.pk for p in plans if p.previous
        }
        marks = marks.filter(period_id__in=wanted)
    rows = (
        marks.values("pupil_id", "course__school_class_id", "period_id")
        .annotate(**{name: Count("id", filter=Q(value__in=values)) for name, values in MARK_COUNTS})
        .order_by()
        .values_list(
            "pupil_id",
            "course__school_class_id",
            "period_id",
            *(name for name, _values in MARK_COUNTS),
        )
    )
    found = {}
    for pupil_id, class_id, period_id, *numbers in rows:
        result = PupilResult(pupil_id, class_id)
        for (name, _values), number in zip(MARK_COUNTS, numbers, strict=True):
            setattr(result, name, number)
        found[(pupil_id, class_id, period_id)] = result
    return found


def _tally(plan, pupils, start, end, period, found, due):
    school_class = plan.school_class
    tally = Tally(classes=0 if school_class.no_marks else 1)
    results = {}
    at_start, at_end = set(), set()
    period_id = period.pk if period else None
    for pupil_id, spans in pupils.items():
        if _on(spans, start):
            tally.at_start += 1
            at_start.add(pupil_id)
        if not _on(spans, end):
            continue
        tally.at_end += 1
        at_end.add(pupil_id)
        if school_class.no_marks:
            continue  # no marks in the 1st grade: counted in the class, not in N
        key = (pupil_id, school_class.pk, period_id)
        result = replace(found[key]) if key in found else PupilResult(pupil_id, school_class.pk)
        result.courses = due(school_class.pk, pupil_id, end)
        results[pupil_id] = result
        tally.add(result)
    return tally, results, (at_start, at_end)


def _estimate(items, kind, courses, regulation) -> None:
    """Where a period mark is missing: the mark the pupil's current weighted average
    proposes (grading.services.finals.propose_period_mark), counted and marked as such."""
    windows = Q()
    for item in items:
        windows |= Q(
            lesson__course__school_class_id=item.school_class.pk,
            lesson__date__gte=item.start,
            lesson__date__lte=item.end,
        )
    set_marks = FinalMark.objects.filter(
        course_id=OuterRef("lesson__course_id"), pupil_id=OuterRef("pupil_id"), kind=kind
    )
    if kind == Kind.PERIOD:
        set_marks = set_marks.filter(period_id__in=[i.period.pk for i in items if i.period])
    # The journal's one weighted average (grading.services.averages), per course and pupil.
    marks = held_marks(min(i.start for i in items), max(i.end for i in items))
    averages = {
        (row["lesson__course_id"], row["pupil_id"]): (Average.of(row).decimal, row["count"])
        for row in marks.filter(windows)
        .filter(~Exists(set_marks))
        .values("lesson__course_id", "pupil_id")
        .annotate(**sums())
        .order_by()
    }
    for item in items:
        tally = Tally(
            classes=item.current.classes,
            at_start=item.current.at_start,
            at_end=item.current.at_end,
        )
        for pupil_id, result in item.results.items():
            missing = result.missing
            for course_id in result.courses:
                if len(result.estimated) >= missing:
                    break
                figures = averages.get((course_id, pupil_id))
                if figures is None:
                    continue
                pass_fail = courses[course_id][3] == Course.Scale.PASS_FAIL
                value = propose_period_mark(*figures, regulation, pass_fail=pass_fail)
                result.estimated.append((course_id, value))
                result.add(value)
            # Marks due with no current marks at all: «н/а», as the final-marks page proposes.
            for _n in range(missing - len(result.estimated)):
                result.estimated.append((None, Value_.NOT_CERTIFIED))
                result.add(Value_.NOT_CERTIFIED)
            tally.add(result)
        item.current = tally


# --- By subject and by teacher ------------------------------------------------------------------


@dataclass
class CourseFigures:
    """One course's figures: one mark per pupil, so a pupil's category is their mark."""

    course_id: int
    class_id: int
    subject: str
    subject_id: int
    teachers: list
    current: Tally
    before: Tally | None


def course_progress(selection: Selection, span, *, basis: str = FINAL):
    """Per course of the selection, the same figures from its one mark per pupil (N: pupils
    due a mark in the course at the period's end, less those with «осв.»).

    Returns (Progress of the classes taught, [CourseFigures])."""
    from schedule.models import CourseTeacher

    # The classes the selection's courses are taught in, with their pupils and periods.
    progress = class_progress(selection, span, basis=basis)
    wanted = set(selection.courses().values_list("pk", flat=True)) & set(progress.courses)
    plans = {c.school_class.pk: c for c in progress.classes}
    if not wanted:
        return progress, []
    kind = Kind.PERIOD if span.kind == "period" else Kind.YEAR
    marks = FinalMark.objects.filter(kind=kind, course_id__in=wanted)
    if kind == Kind.PERIOD:
        ids = {c.period.pk for c in plans.values() if c.period}
        ids |= {c.previous.pk for c in plans.values() if c.previous}
        marks = marks.filter(period_id__in=ids)
        end = "period__end"
    else:
        marks = marks.annotate(_end=end_by_class({k: c.end for k, c in plans.items()}))
        end = "_end"
    counts: dict = {}
    for course_id, period_id, value, n in (
        marks.filter(at_end_filter(end))
        .values("course_id", "period_id", "value")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("course_id", "period_id", "value", "n")
    ):
        counts.setdefault((course_id, period_id), []).append((value, n))
    teachers: dict = {}
    for course_id, teacher_id in CourseTeacher.objects.filter(course_id__in=wanted).values_list(
        "course_id", "teacher_id"
    ):
        teachers.setdefault(course_id, []).append(teacher_id)
    estimated: dict = {}
    for item in progress.classes:
        for result in item.results.values():
            for course_id, value in result.estimated:
                if course_id is not None:
                    estimated.setdefault(course_id, []).append(value)
    figures = []
    for course_id in sorted(wanted):
        class_id, _subgroup, subject, _scale, subject_id = progress.courses[course_id]
        item = plans[class_id]
        period_id = item.period.pk if item.period else None
        current = _course_tally(
            item.school_class,
            course_id,
            item.results,
            counts.get((course_id, period_id), []),
            estimated.get(course_id, []) if basis == CURRENT else [],
        )
        before = None
        if item.previous is not None:
            before = _course_tally(
                item.school_class,
                course_id,
                item.before_results,
                counts.get((course_id, item.previous.pk), []),
                [],
            )
        figures.append(
            CourseFigures(
                course_id,
                class_id,
                subject,
                subject_id,
                teachers.get(course_id, []),
                current,
                before,
            )
        )
    return progress, figures


def _course_tally(school_class, course_id, results, values, estimates) -> Tally:
    """A course's Tally from its marks per value: each mark is one pupil's result."""
    tally = Tally(classes=1)
    due = sum(1 for r in results.values() if course_id in r.courses)
    tally.at_end = due
    given = 0
    for value, n in values:
        given += n
        for _n in range(n):
            one = PupilResult(0, school_class.pk, courses=[course_id])
            one.add(value)
            tally.add(one)
    for value in estimates:
        given += 1
        one = PupilResult(0, school_class.pk, courses=[course_id], estimated=[(course_id, value)])
        one.add(value)
        tally.add(one)
    for _n in range(max(0, due - given)):  # due a mark, none set
        tally.add(PupilResult(0, school_class.pk, courses=[course_id]))
    return tally


def pupils_of(progress: Progress, category: str) -> list[tuple]:
    """[(ClassProgress, pupil_id)] behind one count of the current period."""
    found = []
    for item in progress.classes:
        if category in ("at_start", "at_end"):
            found += [(item, pupil_id) for pupil_id in getattr(item, category)]
            continue
        found += [
            (item, pupil_id)
            for pupil_id, result in item.results.items()
            if in_category(result, category)
        ]
    return found


def marks_of(progress: Progress, pupil_ids) -> dict:
    """{pupil_id: [(subject, value, estimated)]}: the listed pupils' marks of the period,
    the lowest first; those taken from current averages marked (one query)."""
    kind = Kind.PERIOD if progress.span.kind == "period" else Kind.YEAR
    plans = {c.school_class.pk: c for c in progress.classes}
    marks = FinalMark.objects.filter(
        kind=kind, pupil_id__in=list(set(pupil_ids)), course_id__in=list(progress.courses)
    )
    if kind == Kind.PERIOD:
        marks = marks.filter(period_id__in=[c.period.pk for c in plans.values() if c.period])
    wanted = set(pupil_ids)
    found: dict = {}
    for pupil_id, course_id, value in marks.values_list("pupil_id", "course_id", "value"):
        found.setdefault(pupil_id, []).append((progress.courses[course_id][2], value, False))
    for item in progress.classes:
        for pupil_id in wanted & set(item.results):
            for course_id, value in item.results[pupil_id].estimated:
                subject = progress.courses[course_id][2] if course_id else _("без отметок")
                found.setdefault(pupil_id, []).append((subject, value, True))
    order = {v: i for i, v in enumerate(["na", "2", "fail", "3", "4", "pass", "5", "ex"])}
    for values in found.values():
        values.sort(key=lambda m: (order.get(m[1], 9), m[0]))
    return found
