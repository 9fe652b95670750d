"""The parents' and pupils' diary: a week, marks by subject, attendance and the timetable.

The diary is what most users ever see — hundreds of parents per school on Monday morning —
so each page costs a fixed, small number of queries whatever the number of lessons or marks:

- `viewer_pupils` — the pupil asked for and the viewer's other children, with the access
  answer (guardian's view_pupil, or the class teacher's manage_class), the pupil's class and
  the school's grading rules folded into one query;
- the lessons of the week, with subgroups and enrolment dates applied in SQL, their homework,
  room, substitute and bell times joined in;
- everything hanging from those lessons for this pupil — marks, absences, homework files —
  in one UNION ALL query (`_week_rows`);
- the announcements.

The same shape serves the weekly digest (reports) and the printable weekly report.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, JSONObject
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import ParentLink, Pupil, PupilUserObjectPermission, Role
from accounts.rules import roles_in_school
from grading.models import FinalMark, GradingSettings, Mark
from schedule.models import (
    Bell,
    Course,
    Enrolment,
    Lesson,
    SchoolClass,
    SchoolClassUserObjectPermission,
    StudyPeriod,
    SubgroupMembership,
    TimetableEntry,
    Weekday,
)

from ..models import Announcement, Attendance, DiaryVisit, HomeworkAttachment
from .forecast import forecast

WEEKDAY_NAMES = dict(Weekday.choices)
SUNDAY_NAME = gettext_lazy("воскресенье")


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def parse_week(value: str | None) -> date:
    """The Monday of the week holding `value` (YYYY-MM-DD), or of today; ValueError if bad."""
    if not value:
        return monday_of(timezone.localdate())
    return monday_of(date.fromisoformat(value))


# --- The pupil, the viewer's access, the class ----------------------------------------------


def _overlapping(queryset, start: date, end: date):
    return queryset.filter(start__lte=end).filter(Q(end__isnull=True) | Q(end__gte=start))


def _on_outer_date(queryset, outer="date"):
    return queryset.filter(start__lte=OuterRef(outer)).filter(
        Q(end__isnull=True) | Q(end__gte=OuterRef(outer))
    )


def class_of(data) -> SchoolClass | None:
    """An unsaved SchoolClass with the fields the diary needs, from the JSON annotation."""
    if not data:
        return None
    return SchoolClass(
        id=data["id"],
        grade=data["grade"],
        letter=data["letter"],
        no_marks=bool(data["no_marks"]),
        year_id=data["year"],
        bell_schedule_id=data["bells"],
        class_teacher_id=data["teacher"],
    )


def viewer_pupils(user, school, pupil_id: int, start: date, end: date) -> list[Pupil]:
    """The pupil `pupil_id` and every pupil the user reads as family, in one query.

    Each carries `viewer_family` (guardian's accounts.view_pupil: a parent's child or the
    pupil themselves), `viewer_may_read` (family, or the class teacher of a class the pupil
    was in), `school_class` (the class holding the pupil between start and end) and
    `grading` (the school's rounding rule and minimum marks).
    """
    roles = roles_in_school(user, school.pk)
    family = Exists(
        PupilUserObjectPermission.objects.filter(
            user=user, content_object=OuterRef("pk"), permission__codename="view_pupil"
        )
    )
    if Role.CLASS_TEACHER in roles:
        leads = Exists(
            SchoolClassUserObjectPermission.objects.filter(
                user=user,
                permission__codename="manage_class",
                content_object__enrolments__pupil=OuterRef("pk"),
            )
        )
    else:
        leads = Value(False)
    pupils = with_class(
        Pupil.objects.filter(school=school)
        .annotate(viewer_family=family, viewer_leads=leads)
        .filter(Q(pk=pupil_id) | Q(viewer_family=True)),
        school,
        start,
        end,
    )
    for pupil in pupils:
        pupil.viewer_may_read = bool(pupil.viewer_family or pupil.viewer_leads)
    return pupils


def with_class(queryset, school, start: date, end: date) -> list[Pupil]:
    """Evaluate a Pupil queryset with, on each pupil, `school_class` (the class holding them
    between start and end, latest first) and `grading` (the school's rules): no extra query."""
    enrolment = _overlapping(Enrolment.objects.filter(pupil=OuterRef("pk")), start, end)
    klass = enrolment.order_by("-start").values(
        j=JSONObject(
            id="school_class_id",
            grade="school_class__grade",
            letter="school_class__letter",
            no_marks="school_class__no_marks",
            year="school_class__year_id",
            bells="school_class__bell_schedule_id",
            teacher="school_class__class_teacher_id",
        )
    )[:1]
    rules = GradingSettings.objects.filter(school=OuterRef("school")).values(
        j=JSONObject(rounding="rounding", min_marks="min_marks_for_period")
    )[:1]
    pupils = list(
        queryset.annotate(
            klass=Subquery(klass, output_field=models.JSONField()),
            grading=Subquery(rules, output_field=models.JSONField()),
        ).order_by("last_name", "first_name", "pk")
    )
    for pupil in pupils:
        pupil.school_class = class_of(pupil.klass)
        pupil.school = school
    return pupils


def grading_rule(pupil) -> tuple[Decimal, int]:
    """(rounding threshold, minimum marks for a period mark) of the pupil's school."""
    data = getattr(pupil, "grading", None) or {}
    rounding = data.get("rounding") or GradingSettings.Rounding.HALF_UP
    threshold = GradingSettings.THRESHOLDS[GradingSettings.Rounding(rounding)]
    min_marks = data.get("min_marks")
    return threshold, 3 if min_marks is None else min_marks


def children_of(user, school) -> list[Pupil]:
    """The pupils a family member reads: their children, themselves (guardian's grants)."""
    return list(
        Pupil.objects.filter(
            school=school,
            pupiluserobjectpermission__user=user,
            pupiluserobjectpermission__permission__codename="view_pupil",
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def family_class_ids(user, school, day: date | None = None) -> set[int]:
    """Classes the user's children (or the pupil themselves) are in today: one query."""
    day = day or timezone.localdate()
    pupils = ParentLink.objects.filter(school=school, parent=user).values("pupil_id")
    return set(
        Enrolment.objects.filter(school=school)
        .on(day)
        .filter(Q(pupil_id__in=pupils) | Q(pupil__user=user))
        .values_list("school_class_id", flat=True)
    )


def record_visit(user, pupil, today: date | None = None) -> None:
    """One DiaryVisit row per user, pupil and day: an insert the first time, then nothing."""
    today = today or timezone.localdate()
    key = f"diary-visit:{user.pk}:{pupil.pk}:{today.isoformat()}"
    if cache.add(key, 1, timeout=26 * 60 * 60):
        DiaryVisit.objects.bulk_create(
            [DiaryVisit(school_id=pupil.school_id, user=user, pupil=pupil, day=today)],
            ignore_conflicts=True,
        )


# --- The pupil's lessons ----------------------------------------------------------------------


def pupil_lessons(pupil, start: date, end: date):
    """The pupil's lessons between two dates: their class's on the days they were in it, the
    subgroup lessons only of subgroups they belonged to that day. One query when evaluated."""
    in_class = Exists(
        _on_outer_date(
            Enrolment.objects.filter(
                pupil_id=pupil.pk, school_class=OuterRef("course__school_class")
            )
        )
    )
    in_subgroup = Exists(
        _on_outer_date(
            SubgroupMembership.objects.filter(
                pupil_id=pupil.pk, subgroup=OuterRef("course__subgroup")
            )
        )
    )
    return (
        Lesson.objects.filter(date__gte=start, date__lte=end)
        .filter(in_class)
        .filter(Q(course__subgroup__isnull=True) | in_subgroup)
    )


def _bell(field_name):
    return Subquery(
        Bell.objects.filter(
            schedule=OuterRef("course__school_class__bell_schedule"), number=OuterRef("number")
        ).values(field_name)[:1]
    )


def _union_part(queryset, kind: str, **columns):
    """One part of a UNION ALL: the row's kind letter, then `columns` in the order given.

    No ORDER BY: SQLite refuses one inside a compound statement (the union orders itself).
    """
    return (
        queryset.annotate(k=Value(kind, output_field=models.TextField()), **columns)
        .values_list("k", *columns)
        .order_by()
    )


def _text(value):
    return Cast(value, models.TextField())


def _none(output_field):
    return Cast(Value(None), output_field)


def _week_rows(pupil, lesson_ids):
    """Marks, absences and homework files of the pupil in these lessons: one UNION query.

    Each row: (kind, lesson id, id, a, b, c, number) with kind «m» (mark: value, comment,
    work type, weight), «a» (attendance: code, minutes) or «f» (file: name, size).
    """
    marks = _union_part(
        Mark.objects.filter(pupil_id=pupil.pk, lesson_id__in=lesson_ids, deleted_at__isnull=True),
        "m",
        lid=F("lesson_id"),
        rid=F("pk"),
        a=_text("value"),
        b=_text("comment"),
        c=_text("work_type__name"),
        n=Cast("work_type__weight", models.DecimalField(max_digits=12, decimal_places=2)),
    )
    absences = _union_part(
        Attendance.objects.filter(
            pupil_id=pupil.pk, lesson_id__in=lesson_ids, deleted_at__isnull=True
        ),
        "a",
        lid=F("lesson_id"),
        rid=F("pk"),
        a=_text("code"),
        b=_text("minutes_late"),
        c=_none(models.TextField()),
        n=_none(models.DecimalField(max_digits=12, decimal_places=2)),
    )
    files = _union_part(
        HomeworkAttachment.objects.filter(
            homework__lesson_id__in=lesson_ids, removed_at__isnull=True
        ),
        "f",
        lid=F("homework__lesson_id"),
        rid=F("pk"),
        a=_text("name"),
        b=_none(models.TextField()),
        c=_none(models.TextField()),
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
        .annotate(bell_start=_bell("start"), bell_end=_bell("end"))
        .order_by("date", "number", "course_id")
    )
    items = {}
    for lesson in lessons:
        item = DiaryLesson(lesson=lesson)
        if lesson.bell_start and lesson.bell_end:
            item.time = f"{_hm(lesson.bell_start)}–{_hm(lesson.bell_end)}"
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
    today = timezone.localdate()
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


def _hm(value) -> str:
    if isinstance(value, str):  # SQLite returns times of a subquery as text
        return value[:5]
    return value.strftime("%H:%M")


def announcements_for(school_class_ids, today: date | None = None, limit=5):
    today = today or timezone.localdate()
    return list(
        Announcement.objects.live(today)
        .for_classes(school_class_ids)
        .order_by("-published_on", "-pk")[:limit]
    )


# --- Marks by subject for a period --------------------------------------------------------------


@dataclass
class SubjectMarks:
    course_id: int
    subject: str
    subgroup: str = ""
    scale: str = Course.Scale.FIVE
    marks: list = field(default_factory=list)  # (date, DiaryMark)
    final: dict = field(default_factory=dict)  # FinalMark.Kind → (value, label)
    average: str = ""
    forecast: object = None

    @property
    def period_final(self):
        return self.final.get(FinalMark.Kind.PERIOD)

    @property
    def year_final(self):
        return self.final.get(FinalMark.Kind.YEAR)

    @property
    def other_finals(self) -> list[tuple[str, str, str]]:
        """Exam, credit and final («итоговая») marks: (kind label, value, value label)."""
        shown = (FinalMark.Kind.PERIOD, FinalMark.Kind.YEAR)
        return [
            (str(FinalMark.Kind(kind).label), value, label)
            for kind, (value, label) in self.final.items()
            if kind not in shown and kind in FinalMark.Kind.values
        ]


def year_periods(pupil) -> list[StudyPeriod]:
    """The study periods of the pupil's class (its year and grade), in order: one query."""
    school_class = pupil.school_class
    if school_class is None:
        return []
    return list(
        StudyPeriod.objects.filter(year_id=school_class.year_id)
        .for_grade(school_class.grade)
        .order_by("start")
    )


def choose_period(periods, wanted: str | None, today: date | None = None):
    """The period asked for (by id), else the one holding today, else the last begun, else the
    first. None when asked for a period that is not the pupil's (the page answers 404)."""
    if wanted:
        return next((p for p in periods if str(p.pk) == str(wanted)), None)
    today = today or timezone.localdate()
    for period in periods:
        if period.start <= today <= period.end:
            return period
    begun = [p for p in periods if p.start <= today]
    if begun:
        return begun[-1]
    return periods[0] if periods else None


def _subject_rows(pupil, period):
    """The pupil's courses, marks of the period and final marks of the year: one UNION query.

    Row: (kind, course id, date, subject, a, b, c, number) — kind «c» (course: scale,
    subgroup), «m» (mark: value, comment, work type, weight) or «f» (final: value, kind,
    period id as text).
    """
    school_class = pupil.school_class
    decimal = models.DecimalField(max_digits=12, decimal_places=2)
    member = Exists(
        _overlapping(
            SubgroupMembership.objects.filter(pupil_id=pupil.pk, subgroup=OuterRef("subgroup")),
            period.start,
            period.end,
        )
    )
    courses = _union_part(
        Course.objects.filter(school_class_id=school_class.pk).filter(
            Q(subgroup__isnull=True) | member
        ),
        "c",
        cid=F("pk"),
        d=_none(models.DateField()),
        s=_text("subject__name"),
        a=_text("scale"),
        b=_text("subgroup__name"),
        c=_none(models.TextField()),
        n=_none(decimal),
    )
    marks = _union_part(
        Mark.objects.filter(
            pupil_id=pupil.pk,
            deleted_at__isnull=True,
            # As the journal's averages count: marks of lessons held (not cancelled or moved).
            lesson__status=Lesson.Status.PLANNED,
            lesson__date__gte=period.start,
            lesson__date__lte=period.end,
        ),
        "m",
        cid=F("lesson__course_id"),
        d=F("lesson__date"),
        s=_text("lesson__course__subject__name"),
        a=_text("value"),
        b=_text("comment"),
        c=_text("work_type__name"),
        n=Cast("work_type__weight", decimal),
    )
    finals = _union_part(
        FinalMark.objects.filter(pupil_id=pupil.pk, course__year_id=school_class.year_id).filter(
            Q(period_id=period.pk) | Q(period__isnull=True)
        ),
        "f",
        cid=F("course_id"),
        d=_none(models.DateField()),
        s=_text("course__subject__name"),
        a=_text("value"),
        b=_text("kind"),
        c=_text("period_id"),
        n=_none(decimal),
    )
    return courses.union(marks, finals, all=True).order_by("cid", "d", "k")


def subjects(pupil, period) -> list[SubjectMarks]:
    """Every subject of the pupil in the period: marks in date order, the weighted average,
    final marks when set and the forecast of the period mark. One query."""
    if period is None or pupil.school_class is None:
        return []
    threshold, min_marks = grading_rule(pupil)
    found: dict[int, SubjectMarks] = {}

    def subject(course_id, name):
        if course_id not in found:
            found[course_id] = SubjectMarks(course_id=course_id, subject=name)
        return found[course_id]

    for kind, course_id, day, name, a, b, c, number in _subject_rows(pupil, period):
        item = subject(course_id, name)
        if kind == "c":
            item.scale = a
            item.subgroup = b or ""
        elif kind == "m":
            if isinstance(day, str):
                day = date.fromisoformat(day[:10])
            item.marks.append(
                (
                    day,
                    DiaryMark(
                        value=a,
                        short=Mark.SHORT.get(a, a),
                        work_type=c or "",
                        comment=b or "",
                        weight=number,
                    ),
                )
            )
        else:
            item.final[b] = (a, FinalMark.Value(a).label if a in FinalMark.Value.values else a)
    no_marks = pupil.school_class.no_marks
    for item in found.values():
        item.marks.sort(key=lambda pair: pair[0])
        five_point = [
            (Mark.POINTS[m.value], m.weight or 1) for _d, m in item.marks if m.value in Mark.POINTS
        ]
        if item.scale == Course.Scale.FIVE and not no_marks:
            item.forecast = forecast(five_point, threshold=threshold, min_marks=min_marks)
            item.average = item.forecast.average_display
        elif item.marks:
            passed = [1 if m.value == Mark.Value.PASS else 0 for _d, m in item.marks]
            item.average = _("зачтено %(n)s из %(total)s") % {
                "n": sum(passed),
                "total": len(passed),
            }
    return sorted(found.values(), key=lambda s: (s.subject, s.subgroup, s.course_id))


# --- Attendance -----------------------------------------------------------------------------


@dataclass
class AttendanceLine:
    subject: str
    lessons: int = 0
    absent: int = 0
    ill: int = 0
    excused: int = 0
    late: int = 0

    @property
    def missed(self) -> int:
        return self.absent + self.ill + self.excused


def attendance(pupil, start: date, end: date, today: date | None = None):
    """Lessons held for the pupil between two dates (up to today) and their absences, by
    subject, with the list of absences: one query."""
    today = today or timezone.localdate()
    code = Attendance.objects.filter(
        lesson=OuterRef("pk"), pupil_id=pupil.pk, deleted_at__isnull=True
    )
    lessons = (
        pupil_lessons(pupil, start, min(end, today))
        .filter(status=Lesson.Status.PLANNED)
        .annotate(
            code=Subquery(code.values("code")[:1]),
            minutes=Subquery(code.values("minutes_late")[:1]),
            subject_name=F("course__subject__name"),
        )
        .values_list("date", "number", "subject_name", "code", "minutes")
        .order_by("date", "number")
    )
    lines: dict[str, AttendanceLine] = {}
    total = AttendanceLine(subject=_("Всего"))
    records = []
    for day, number, subject_name, code_value, minutes in lessons:
        line = lines.setdefault(subject_name, AttendanceLine(subject=subject_name))
        for target in (line, total):
            target.lessons += 1
            if code_value:
                setattr(target, code_value, getattr(target, code_value) + 1)
        if code_value:
            if isinstance(day, str):
                day = date.fromisoformat(day[:10])
            records.append(
                {
                    "date": day,
                    "number": number,
                    "subject": subject_name,
                    "token": Attendance.LETTER[code_value]
                    + (str(minutes) if code_value == "late" and minutes else ""),
                    "label": Attendance.Code(code_value).label,
                }
            )
    return sorted(lines.values(), key=lambda line: line.subject), total, records


# --- The timetable ------------------------------------------------------------------------


def timetable(pupil, day: date | None = None):
    """The pupil's weekly timetable valid on `day`: rows by lesson number, a cell per weekday
    with subject, subgroup, room and teachers. Two queries."""
    day = day or timezone.localdate()
    school_class = pupil.school_class
    if school_class is None:
        return {"weekdays": [], "rows": []}
    member = Exists(
        SubgroupMembership.objects.filter(pupil_id=pupil.pk, subgroup=OuterRef("course__subgroup"))
        .filter(start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
    )
    entries = list(
        TimetableEntry.objects.filter(
            course__school_class_id=school_class.pk, valid_from__lte=day, valid_to__gte=day
        )
        .filter(Q(course__subgroup__isnull=True) | member)
        .select_related("course__subject", "course__subgroup", "room")
        .prefetch_related("course__teachers")
        .annotate(bell_start=_bell("start"), bell_end=_bell("end"))
        .order_by("number", "weekday")
    )
    weekdays = [1, 2, 3, 4, 5] + ([6] if any(e.weekday == 6 for e in entries) else [])
    rows = {}
    for entry in entries:
        row = rows.setdefault(
            entry.number,
            {"number": entry.number, "time": "", "cells": {d: [] for d in weekdays}},
        )
        if entry.bell_start and entry.bell_end and not row["time"]:
            row["time"] = f"{_hm(entry.bell_start)}–{_hm(entry.bell_end)}"
        row["cells"][entry.weekday].append(entry)
    return {
        "weekdays": [{"number": d, "name": WEEKDAY_NAMES[d]} for d in weekdays],
        "rows": [
            {**row, "cells": [row["cells"][d] for d in weekdays]}
            for _n, row in sorted(rows.items())
        ],
    }


# --- A week in numbers (the digest and the printed report) ---------------------------------


def week_summary(pupil, monday: date, sunday: date | None = None) -> dict:
    """What a parent is told about a week, as plain data (JSON-safe): the week's marks with
    work types and comments, absences, homework, and per subject the average and forecast of
    the current period. Used by the digest and the printable report."""
    sunday = sunday or monday + timedelta(days=6)
    days = week(pupil, monday)
    marks, absences, homework = [], [], []
    for day in days:
        for item in day["lessons"]:
            lesson = item.lesson
            subject = lesson.course.subject.name
            for mark in item.marks:
                marks.append(
                    {
                        "date": lesson.date.isoformat(),
                        "subject": subject,
                        "value": mark.short,
                        "work_type": mark.work_type,
                        "comment": mark.comment,
                    }
                )
            if item.attendance:
                absences.append(
                    {
                        "date": lesson.date.isoformat(),
                        "subject": subject,
                        "token": item.attendance,
                        "label": str(item.attendance_label),
                    }
                )
            hw = item.homework
            if hw is not None and hw.text:
                homework.append(
                    {
                        "date": lesson.date.isoformat(),
                        "due": hw.due_date.isoformat() if hw.due_date else "",
                        "subject": subject,
                        "text": hw.text,
                    }
                )
    periods = year_periods(pupil)
    period = choose_period(periods, None, today=min(sunday, timezone.localdate()))
    averages = []
    for item in subjects(pupil, period):
        if not item.marks and not item.period_final:
            continue
        averages.append(
            {
                "subject": item.subject + (f" ({item.subgroup})" if item.subgroup else ""),
                "average": item.average,
                "forecast": str(item.forecast.mark or "") if item.forecast else "",
                "hint": item.forecast.text if item.forecast else "",
                "final": item.period_final[1] if item.period_final else "",
            }
        )
    return {
        "pupil_id": pupil.pk,
        "pupil": pupil.full_name,
        "class": pupil.school_class.name if pupil.school_class else "",
        "period": str(period) if period else "",
        "marks": marks,
        "absences": absences,
        "homework": homework,
        "averages": averages,
    }


def as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
