"""«Журналы»: the journals a user may open, class by class, with today's state of each.

The regulations give every page of the journal to the leadership (every class), to the class
teacher (every course of their class) and to the teacher (their courses). One list answers
all three, a fixed number of queries whatever the number of classes and courses.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from guardian.shortcuts import get_objects_for_user

from accounts.rules import LEADERSHIP, grant_is_live
from schedule.models import Course, CourseTeacher, Lesson, PracticePeriod, SchoolClass

from .plan.statuses import courses_taught_by

LEAD = "schedule.manage_class"


@dataclass
class JournalRow:
    course: Course
    lessons_today: int = 0
    filled_today: int = 0

    @property
    def teachers(self) -> str:
        return ", ".join(ct.teacher.short_name for ct in self.course.course_teachers.all())

    @property
    def today_done(self) -> bool:
        return self.filled_today >= self.lessons_today

    @property
    def today_label(self) -> str:
        if not self.lessons_today:
            return _("сегодня уроков нет")
        if self.today_done:
            return ngettext(
                "сегодня %(n)s урок, заполнен",
                "сегодня уроков: %(n)s, все заполнены",
                self.lessons_today,
            ) % {"n": self.lessons_today}
        return _("сегодня уроков: %(n)s, заполнено: %(filled)s") % {
            "n": self.lessons_today,
            "filled": self.filled_today,
        }


@dataclass
class ClassJournals:
    school_class: SchoolClass
    rows: list = field(default_factory=list)
    led: bool = False  # the user is this class's class teacher
    practice: list = field(default_factory=list)  # the group's practice the user may open


def led_classes(user, school, year):
    """The classes of the year the user leads as class teacher (their live guardian grant)."""
    if not grant_is_live(user, LEAD, school):
        return SchoolClass.objects.none()
    return get_objects_for_user(
        user, LEAD, SchoolClass.objects.filter(year=year), accept_global_perms=False
    )


def journals_for(user, school, year, roles) -> list[ClassJournals]:
    """Every course the user may open the journal of in the year, grouped by class."""
    if year is None:
        return []
    courses = Course.objects.filter(year=year)
    led_ids: set[int] = set()
    if not (set(roles) & set(LEADERSHIP)) and not user.is_superuser:
        led_ids = set(led_classes(user, school, year).values_list("pk", flat=True))
        taught = courses_taught_by(user, school).filter(year=year).values("pk")
        courses = courses.filter(pk__in=taught) | courses.filter(school_class_id__in=led_ids)
    courses = (
        courses.select_related("school_class", "subject", "subgroup")
        .prefetch_related(
            Prefetch("course_teachers", queryset=CourseTeacher.objects.select_related("teacher"))
        )
        .order_by("school_class__grade", "school_class__letter", "subject__name", "subgroup__name")
    )
    rows = {course.pk: JournalRow(course) for course in courses}
    today = Lesson.objects.filter(
        course_id__in=list(rows), date=school.today(), status=Lesson.Status.PLANNED
    )
    counts = defaultdict(int)
    for course_id in today.values_list("course_id", flat=True):
        counts[course_id] += 1
    filled = defaultdict(int)
    for course_id in today.filled().values_list("course_id", flat=True):
        filled[course_id] += 1
    groups: dict[int, ClassJournals] = {}
    for pk, row in rows.items():
        row.lessons_today, row.filled_today = counts[pk], filled[pk]
        school_class = row.course.school_class
        group = groups.setdefault(
            school_class.pk, ClassJournals(school_class, led=school_class.pk in led_ids)
        )
        group.rows.append(row)
    return list(groups.values())


def add_practice(request, groups: list[ClassJournals]) -> None:
    """Each group's practice periods (the practice's own journal: grading:practice) that the
    user may open — the leadership every one, the curator their group's, a supervisor their
    own (grading.view_practice_period, asked here without a query per period). One query."""
    if not groups:
        return
    by_class = {group.school_class.pk: group for group in groups}
    everything = bool(set(request.school_roles) & set(LEADERSHIP))
    periods = PracticePeriod.objects.filter(school_class_id__in=list(by_class)).order_by("start")
    for period in periods:
        group = by_class[period.school_class_id]
        if everything or group.led or period.supervisor_id == request.user.pk:
            group.practice.append(period)
