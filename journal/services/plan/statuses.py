"""Plans of many courses: the teacher's list and the deputy's check of plans and their deadline."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Min, Prefetch, Sum
from django.utils.translation import gettext as _

from accounts.rules import grant_is_live
from schedule.models import Course, CourseTeacher, SchoolYear

from .topics import local_date

# --- Plans of many courses: the teacher's list and the deputy's check --------------------------


@dataclass
class PlanStatus:
    course: Course
    topics: int
    hours: int
    first_entered: date | None
    deadline: date
    today: date

    @property
    def has_plan(self) -> bool:
        return self.topics > 0

    @property
    def late(self) -> bool:
        if self.has_plan:
            return self.first_entered > self.deadline
        return self.today > self.deadline

    @property
    def hours_difference(self) -> int:
        return self.hours - self.course.hours_per_year

    @property
    def teachers(self) -> str:
        return ", ".join(ct.teacher.short_name for ct in self.course.course_teachers.all())

    @property
    def needs_attention(self) -> bool:
        return not self.has_plan or self.late

    @property
    def label(self) -> str:
        if not self.has_plan:
            return _("нет КТП, срок прошёл") if self.late else _("нет КТП")
        return _("введён с опозданием") if self.late else _("введён в срок")


def plan_statuses(courses, year: SchoolYear, school, today: date | None = None) -> list[PlanStatus]:
    """One row per course: topics, hours, when the plan was entered, and the deadline (the
    school's regulation: the plan is entered before the year begins)."""
    return statuses_of(plan_courses(courses, year), year, school, today)


def plan_courses(courses, year: SchoolYear):
    """The year's courses in class order, each with the figures of its plan (not evaluated:
    a page of them is, for the list of plans)."""
    return (
        courses.filter(year=year)
        .select_related("school_class", "subject", "subgroup")
        .prefetch_related(
            Prefetch("course_teachers", queryset=CourseTeacher.objects.select_related("teacher"))
        )
        .annotate(
            plan_topics_count=Count("plan_topics"),
            plan_hours=Sum("plan_topics__hours"),
            plan_first=Min("plan_topics__created_at"),
        )
        .order_by(
            "school_class__grade", "school_class__letter", "subject__name", "subgroup__name", "pk"
        )
    )


def statuses_of(courses, year: SchoolYear, school, today: date | None = None) -> list[PlanStatus]:
    """The statuses of courses of `plan_courses` (all of them, or a page)."""
    today = today or school.today()
    deadline = school.regulation.plan_deadline(year.start)
    return [
        PlanStatus(
            course=c,
            topics=c.plan_topics_count,
            hours=c.plan_hours or 0,
            first_entered=local_date(c.plan_first, school),
            deadline=deadline,
            today=today,
        )
        for c in courses
    ]


def courses_taught_by(user, school):
    """A teacher's courses, found through their object permission (one query to list)."""
    from guardian.shortcuts import get_objects_for_user

    if not grant_is_live(user, "schedule.teach_course", school):
        return Course.objects.none()  # a grant counts only while its role is held
    return get_objects_for_user(
        user, "schedule.teach_course", Course.objects.all(), accept_global_perms=False
    )
