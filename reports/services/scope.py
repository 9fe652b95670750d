"""What a report covers, independent of any request: a school, a year and a scope.

Report services take a `Selection` rather than a request, so that a page (reports.views), the
year's archive (issue 14) and an organisation's roll-up of its schools (issue 18) build the
same figures: `Selection(school, year)` is the whole school.

Periods differ by grade (grades 1–9 by quarters, 10–11 by semesters). A report over several
grades for a chosen period takes, for each class, the period of its own grade that holds the
chosen period's end (`own_period`): «II четверть» is the 1st semester for grade 10, whose end
falls on the same day; «I четверть» is the 1st semester too, not over yet. The pages say so.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import School
from schedule.models import Course, CourseTeacher, SchoolClass, SchoolYear, StudyPeriod


@dataclass(frozen=True)
class Selection:
    school: School | None
    year: SchoolYear | None
    kind: str = "school"  # "school", "parallel", "class", "subject", "teacher", "schools"
    value: int | None = None
    # An organisation's roll-up («schools»): the current year of each of its schools, read
    # together by the same functions in the same number of queries (reports.services.rollup).
    years: tuple = ()

    @classmethod
    def of(cls, school, params) -> "Selection":
        """The selection a report page's parameters (reports.params.Params) name."""
        return cls(school, params.year, params.scope.kind, params.scope.value)

    @classmethod
    def over(cls, years) -> "Selection":
        """Several schools at once, each in its year (one SchoolYear per school)."""
        return cls(None, None, "schools", years=tuple(years))

    def year_filter(self, prefix: str = "") -> Q:
        if self.kind == "schools":
            return Q(**{f"{prefix}year_id__in": [year.pk for year in self.years]})
        return Q(**{f"{prefix}year_id": self.year.pk})

    def class_filter(self) -> Q:
        """Classes of the year in the selection (for subject and teacher: those taught)."""
        q = self.year_filter()
        if self.kind == "parallel":
            q &= Q(grade=self.value)
        elif self.kind == "class":
            q &= Q(pk=self.value)
        elif self.kind in ("subject", "teacher"):
            q &= Q(pk__in=self.courses().values("school_class_id"))
        return q

    def classes(self):
        return SchoolClass.objects.filter(self.class_filter()).order_by("grade", "letter", "pk")

    def course_filter(self, prefix: str = "") -> Q:
        """Courses of the year in the selection; `prefix` for a related model's field
        («course__», «lesson__course__»)."""
        q = self.year_filter(prefix)
        if self.kind == "parallel":
            q &= Q(**{f"{prefix}school_class__grade": self.value})
        elif self.kind == "class":
            q &= Q(**{f"{prefix}school_class_id": self.value})
        elif self.kind == "subject":
            q &= Q(**{f"{prefix}subject_id": self.value})
        elif self.kind == "teacher":
            taught = CourseTeacher.objects.filter(teacher_id=self.value).values("course_id")
            q &= Q(**{f"{prefix}pk__in": taught})
        return q

    def courses(self):
        return Course.objects.filter(self.course_filter())

    @property
    def by_teacher(self) -> bool:
        return self.kind == "teacher"


def year_periods(year) -> list[StudyPeriod]:
    return list(StudyPeriod.objects.filter(year=year).order_by("start", "grade_from"))


def grade_periods(periods, grade: int) -> list:
    return [p for p in periods if p.grade_from <= grade <= p.grade_to]


def own_period(periods, grade: int, chosen):
    """The period of `grade` standing for the chosen one: the chosen period itself if it
    covers the grade; else the grade's period holding the chosen period's end; else the last
    one ended by then; else the grade's first. None when the grade has no periods."""
    mine = grade_periods(periods, grade)
    if chosen is None or not mine:
        return None
    if chosen.grade_from <= grade <= chosen.grade_to:
        return chosen
    holding = next((p for p in mine if p.start <= chosen.end <= p.end), None)
    if holding is not None:
        return holding
    ended = [p for p in mine if p.end <= chosen.end]
    return ended[-1] if ended else mine[0]


def previous_period(periods, grade: int, period):
    """The grade's period before `period` in the same year, or None for the first."""
    mine = grade_periods(periods, grade)
    earlier = [p for p in mine if p.end < period.start]
    return earlier[-1] if earlier else None


def year_end_of(periods, grade: int, year) -> date:
    """The last study day of a grade: its last period's end, or the year's end."""
    mine = grade_periods(periods, grade)
    return max(p.end for p in mine) if mine else year.end


def year_start_of(periods, grade: int, year) -> date:
    mine = grade_periods(periods, grade)
    return min(p.start for p in mine) if mine else year.start


def period_short(period) -> str:
    """«2 ч.», «1 пол.», «3 тр.» — a column's heading (the journal says «2 четверть»)."""
    kind = {"quarter": _("ч."), "trimester": _("тр."), "semester": _("пол.")}[period.kind]
    return f"{period.number} {kind}"
