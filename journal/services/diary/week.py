"""A pupil's week: lessons with topics, homework and files, marks and absences (two queries)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy

from grading.models import Mark
from schedule.models import (
    Enrolment,
    Lesson,
    SubgroupMembership,
    Weekday,
)

from ...models import Announcement, Attendance, HomeworkAttachment
from .pupils import course_ids_of
from .queries import (
    as_text,
    bell_time,
    hour_minute,
    on_outer_date,
    typed_null,
    union_part,
)

WEEKDAY_NAMES = dict(Weekday.choices)
SUNDAY_NAME = gettext_lazy("воскресенье")


def pupil_lessons(pupil, start: date, end: date):
    """The pupil's lessons between two dates: their class's on the days they were in it, the
    subgroup lessons only of subgroups they belonged to that day. Two queries: the courses
    of the pupil's classes now, the lessons when evaluated."""
    in_class = Exists(
        on_outer_date(
            Enrolment.objects.filter(
                pupil_id=pupil.pk, school_class=OuterRef("course__school_class")
            )
        )
    )
    in_subgroup = Exists(
        on_outer_date(
            SubgroupMembership.objects.filter(
                pupil_id=pupil.pk, subgroup=OuterRef("course__subgroup")
            )
        )
    )
    # The courses of the pupil's classes first, as a list: the lessons are then read by the
    # index on (school, course, date), whatever the size of the school (a subquery here
    # let the planner read the whole school's lessons of the dates instead).
    return (
        Lesson.objects.filter(
            course_id__in=course_ids_of(pupil, start, end), date__gte=start, date__lte=end
        )
        .filter(in_class)
        .filter(Q(course__subgroup__isnull=True) | in_subgroup)
    )


def _week_rows(pupil, lesson_ids):
    """Marks, absences and homework files of the pupil in these lessons: one UNION query.

    Each row: (kind, lesson id, id, a, b, c, number) with kind «m» (mark: value, comment,
    work type, weight), «a» (attendance: code, minutes) or «f» (file: name, size).
    """
    marks = union_part(
        Mark.objects.filter(pupil_id=pupil.pk, lesson_id__in=lesson_ids, deleted_at__isnull=True),
        "m",
        lid=F("lesson_id"),
        rid=F("pk"),
        a=as_text("value"),
        b=as_text("comment"),
        c=as_text("work_type__name"),
        n=Cast("work_type__weight", models.DecimalField(max_digits=12, decimal_places=2)),
    )
    absences = union_part(
        Attendance.objects.filter(
            pupil_id=pupil.pk, lesson_id__in=lesson_ids, deleted_at__isnull=True
        ),
        "a",
        lid=F("lesson_id"),
        rid=F("pk"),
        a=as_text("code"),
        b=as_text("minutes_late"),
        c=typed_null(models.TextField()),
        n=typed_null(models.DecimalField(max_digits=12, decimal_places=2)),
    )
    files = union_part(
        HomeworkAttachment.objects.filter(
            homework__lesson_id__in=lesson_ids, removed_at__isnull=True
        ),
        "f",
        lid=F("homework__lesson_id"),
        rid=F("pk"),
        a=as_text("name"),
        b=typed_null(models.TextField()),
        c=typed_null(models.TextField()),
        n=Cast("size", models.DecimalField(max_digits=12, decimal_places=2)),
    )
    return marks.union(absences, files, all=True).order_by("lid", "rid")


@dataclass
class DiaryMark:
    value: str
    short: str
    work_type: str
    comment: str
    weight: Decimal | None


@dataclass
class DiaryLesson:
    lesson: Lesson
    time: str = ""
    marks: list = field(default_factory=list)
    attendance: str = ""  # the journal's token: н, б, у, о, о10
    attendance_label: str = ""
    files: list = field(default_factory=list)  # (attachment id, name, size)

    @property
    def homework(self):
        try:
            return self.lesson.homework
        except Lesson.homework.RelatedObjectDoesNotExist:
            return None

    @property
    def cancelled(self) -> bool:
        return self.lesson.status == Lesson.Status.CANCELLED

    @property
    def moved(self) -> bool:
        return self.lesson.status == Lesson.Status.MOVED


def week(pupil, monday: date) -> list[dict]:
    """The days of a week (Monday–Saturday; Saturday only when it has lessons), each with the
    pupil's lessons, their topics, homework with files, marks and absences: two queries."""
    sunday = monday + timedelta(days=6)
    lessons = list(
        pupil_lessons(pupil, monday, sunday)
        .select_related(
            "course__subject", "course__subgroup", "room", "substitute", "moved_to", "homework"
        )
        .annotate(bell_start=bell_time("start"), bell_end=bell_time("end"))
        .order_by("date", "number", "course_id")
    )
    items = {}
    for lesson in lessons:
        item = DiaryLesson(lesson=lesson)
        if lesson.bell_start and lesson.bell_end:
            item.time = f"{hour_minute(lesson.bell_start)}–{hour_minute(lesson.bell_end)}"
        items[lesson.pk] = item
    if items:
        for kind, lesson_id, _rid, a, b, c, number in _week_rows(pupil, list(items)):
            item = items[lesson_id]
            if kind == "m":
                item.marks.append(
                    DiaryMark(
                        value=a,
                        short=Mark.SHORT.get(a, a),
                        work_type=c or "",
                        comment=b or "",
                        weight=number,
                    )
                )
            elif kind == "a":
                minutes = int(b) if b else None
                item.attendance = Attendance.LETTER.get(a, "") + (
                    str(minutes) if a == "late" and minutes else ""
                )
                item.attendance_label = Attendance.Code(a).label if a in Attendance.LETTER else ""
            else:
                item.files.append((_rid, a, int(number or 0)))
    by_day = defaultdict(list)
    for item in items.values():
        by_day[item.lesson.date].append(item)
    today = pupil.school.today()
    count = 6 if by_day.get(monday + timedelta(days=5)) else 5
    return [
        {
            "date": day,
            "name": WEEKDAY_NAMES.get(day.isoweekday(), SUNDAY_NAME),
            "today": day == today,
            "lessons": by_day.get(day, []),
        }
        for day in (monday + timedelta(days=i) for i in range(count))
    ]


def announcements_for(school_class_ids, today: date, limit=5):
    return list(
        Announcement.objects.live(today)
        .for_classes(school_class_ids)
        .order_by("-published_on", "-pk")[:limit]
    )
