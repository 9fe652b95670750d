"""Where a shortfall is fixed: the lesson page, the journal's cell, the final marks, the plan.

Each address is reversed once per kind and formatted per row (a teacher's list is long)."""

from django.utils.http import urlencode

from accounts.navigation import school_reverse

from ..models import Shortfall

Kind = Shortfall.Kind
LESSON_PAGE = (Kind.TOPIC, Kind.HOMEWORK, Kind.HOMEWORK_LATE)
GRID_AT_LESSON = (Kind.ATTENDANCE, Kind.WRITTEN_WORK)


class Linker:
    def __init__(self, school):
        self.school = school
        self.today = school.today()
        self.lesson = school_reverse(school, "journal:lesson", pk=0)
        self.grid = school_reverse(school, "journal:grid", pk=0)
        self.finals = school_reverse(school, "grading:finals", pk=0)
        self.plan = school_reverse(school, "journal:plan", pk=0)
        self.fact = school_reverse(school, "journal:plan_fact", pk=0)
        self.corrections = school_reverse(school, "grading:corrections")

    @staticmethod
    def _with(base: str, pk) -> str:
        return base.replace("/0/", f"/{pk}/")

    def grid_on(self, course_id, day, anchor="") -> str:
        return f"{self._with(self.grid, course_id)}?{urlencode({'on': day.isoformat()})}{anchor}"

    def __call__(self, row, lesson_date=None) -> str:
        """The address that fixes `row` (`lesson_date`: its lesson's, when it has one)."""
        kind = row.kind
        if kind in LESSON_PAGE and row.lesson_id:
            return self._with(self.lesson, row.lesson_id)
        if kind in GRID_AT_LESSON and row.lesson_id:
            return self.grid_on(row.course_id, lesson_date or self.today, f"#l{row.lesson_id}")
        if kind == Kind.FINAL_MARK:
            return self._with(self.finals, row.course_id)
        if kind == Kind.NO_PLAN:
            return self._with(self.plan, row.course_id)
        if kind == Kind.PLAN_LAG:
            return self._with(self.fact, row.course_id)
        if kind == Kind.CORRECTION:
            return self.corrections
        if kind == Kind.MARK_DAYS:
            return self.grid_on(row.course_id, row.deadline)
        return self.grid_on(row.course_id, min(row.deadline, self.today))
