"""Dated lessons: made from the timetable, substituted, cancelled and moved.

Materialising a year turns each timetable entry into the lessons of the days it runs: days
inside a study period of the class's grade, outside the grade's holidays, within the entry's
dates and week parity. Running it again after the timetable changed adds the missing future
lessons and removes the future ones the timetable no longer has — but a lesson someone has
written into (a topic; marks or absences, which apps above schedule register as «fillers»),
or that was cancelled, moved or given a substitute, is never removed or rewritten: it is
listed as a conflict for the deputy instead. A second run changes nothing.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..models import (
    LESSON_FILLERS,
    Enrolment,
    Holiday,
    Lesson,
    PracticePeriod,
    SchoolYear,
    StudyPeriod,
    SubgroupMembership,
    TimetableEntry,
    lesson_filled_condition,
    register_lesson_filler,
)
from ..versions import courses_changed
from .timetable.clashes import first_on_or_after, lesson_clashes
from .timetable.labels import course_label, fmt, lesson_number_label, with_teachers
from .timetable.weeks import week_lessons

__all__ = [
    "LESSON_FILLERS",
    "register_lesson_filler",
    "lesson_is_filled",
    "materialise",
    "assign_substitute",
    "substitute_day",
    "cancel_lesson",
    "move_lesson",
]


def stamp(lesson, by) -> None:
    """Name the acting user in the lesson's history (the request's user when not given)."""
    if by is not None:
        lesson._history_user = by


def lesson_is_filled(lesson) -> bool:
    """The lesson holds a topic (or, with higher apps registered, marks or absences)."""
    if lesson.topic:
        return True
    if not LESSON_FILLERS or lesson.pk is None:
        return False
    return Lesson.objects.filter(pk=lesson.pk).filled().exists()


# Materialisation.


@dataclass
class Conflict:
    lesson: Lesson
    reason: str

    @property
    def label(self) -> str:
        lesson = self.lesson
        return f"{course_label(lesson.course)}, {fmt(lesson.date)}, " + lesson_number_label(
            lesson.number
        )


@dataclass
class MaterialiseResult:
    added: int = 0
    removed: int = 0
    updated: int = 0
    conflicts: list = field(default_factory=list)
    since: date | None = None
    until: date | None = None

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.updated)


def study_days(grade: int, periods, holidays) -> set[date]:
    """The school days of a grade: inside its study periods, outside its holidays."""
    days = set()
    for period in periods:
        if period.grade_from <= grade <= period.grade_to:
            day = period.start
            while day <= period.end:
                days.add(day)
                day += timedelta(days=1)
    for holiday in holidays:
        if holiday.grade_from <= grade <= holiday.grade_to:
            day = holiday.start
            while day <= holiday.end:
                days.discard(day)
                day += timedelta(days=1)
    return days


def practice_days(year, since: date, until: date) -> dict[int, set[date]]:
    """{class id: days} of concentrated practice: the group has no lessons then."""
    days: dict[int, set[date]] = {}
    for period in PracticePeriod.objects.filter(year=year, concentrated=True).overlapping(
        since, until
    ):
        day = period.start
        while day <= period.end:
            days.setdefault(period.school_class_id, set()).add(day)
            day += timedelta(days=1)
    return days


def planned_lessons(year, entries, since: date, until: date) -> dict:
    """{(course id, date, number): entry} — what the timetable asks for between two dates."""
    periods = list(StudyPeriod.objects.filter(year=year))
    holidays = list(Holiday.objects.filter(year=year))
    on_practice = practice_days(year, since, until)
    days_of_grade = {}
    wanted = {}
    for entry in entries:
        grade = entry.course.school_class.grade
        if grade not in days_of_grade:
            days_of_grade[grade] = study_days(grade, periods, holidays)
        days = days_of_grade[grade]
        away = on_practice.get(entry.course.school_class_id, ())
        day = first_on_or_after(max(since, entry.valid_from), entry.weekday)
        last = min(until, entry.valid_to)
        while day <= last:
            if day in days and day not in away and entry.runs_in_week_of(day):
                wanted[(entry.course_id, day, entry.number)] = entry
            day += timedelta(days=7)
    return wanted


def protection(lesson) -> str:
    """Why a lesson may not be removed by the timetable ('' when it may)."""
    if lesson.is_filled_now:
        return _("в уроке уже есть записи (тема, отметки или посещаемость)")
    if lesson.status == Lesson.Status.CANCELLED:
        return _("урок отменён (%(reason)s)") % {"reason": lesson.status_reason}
    if lesson.status == Lesson.Status.MOVED:
        return _("урок перенесён")
    if lesson.substitute_id:
        return _("на урок назначена замена")
    return ""


@transaction.atomic
def materialise(
    year, *, since: date | None = None, until: date | None = None, classes=None, by=None
) -> MaterialiseResult:
    """Bring the year's lessons from `since` (today) on in line with its timetable."""
    # One run at a time per year: the second waits and then finds nothing to do.
    list(SchoolYear.objects.select_for_update().filter(pk=year.pk).values("pk"))
    since = max(since or year.school.today(), year.start)
    until = min(until or year.end, year.end)
    result = MaterialiseResult(since=since, until=until)
    if since > until:
        return result

    entries = TimetableEntry.objects.filter(
        course__year=year, valid_to__gte=since, valid_from__lte=until
    ).select_related("course__school_class")
    lessons = Lesson.objects.filter(course__year=year, date__gte=since, date__lte=until)
    if classes is not None:
        entries = entries.filter(course__school_class__in=classes)
        lessons = lessons.filter(course__school_class__in=classes)
    wanted = planned_lessons(year, entries, since, until)

    lessons = lessons.annotate(
        is_filled_now=models.ExpressionWrapper(
            lesson_filled_condition(), output_field=models.BooleanField()
        )
    ).select_related("course__school_class", "course__subject", "course__subgroup")
    present, to_update, to_remove = set(), [], []
    for lesson in lessons:
        key = (lesson.course_id, lesson.date, lesson.number)
        entry = wanted.get(key)
        if entry is not None:
            present.add(key)
            if (
                lesson.from_timetable
                and lesson.status == Lesson.Status.PLANNED
                and not lesson.is_filled_now
                and (lesson.room_id, lesson.timetable_entry_id) != (entry.room_id, entry.pk)
            ):
                lesson.room_id, lesson.timetable_entry_id = entry.room_id, entry.pk
                to_update.append(lesson)
            continue
        if not lesson.from_timetable:
            continue  # made by hand (a moved lesson): the timetable does not own it
        reason = protection(lesson)
        if reason:
            result.conflicts.append(Conflict(lesson, reason))
        else:
            to_remove.append(lesson.pk)

    if to_remove:
        # The same conditions again in SQL: nothing filled in the meantime is lost.
        Lesson.objects.filter(
            pk__in=to_remove, status=Lesson.Status.PLANNED, substitute__isnull=True
        ).unfilled().delete()
        result.removed = len(to_remove)
    if to_update:
        result.updated = bulk_update_with_history(
            to_update, Lesson, ["room", "timetable_entry"], batch_size=500, default_user=by
        )
    new = [
        Lesson(
            school_id=year.school_id,
            course_id=course_id,
            date=day,
            number=number,
            room_id=entry.room_id,
            timetable_entry=entry,
            from_timetable=True,
        )
        for (course_id, day, number), entry in sorted(
            wanted.items(), key=lambda item: (item[0][1], item[0][2], item[0][0])
        )
        if (course_id, day, number) not in present
    ]
    if new:
        bulk_create_with_history(new, Lesson, batch_size=500, default_user=by)
        result.added = len(new)
    # Bulk writes send no signals (removals do): these courses' journal pages change here.
    courses_changed({lesson.course_id for lesson in (*to_update, *new)}, school_id=year.school_id)
    result.conflicts.sort(key=lambda c: (c.lesson.date, c.lesson.number, c.lesson.course_id))
    return result


# Substitutions, cancellations, moves.


def lesson_for_change(lesson) -> Lesson:
    """The lesson again, locked, with what the checks need."""
    return with_teachers(
        Lesson.objects.select_for_update(of=("self",)).select_related(
            "course__school_class", "course__subject", "course__subgroup", "course__year", "room"
        ),
        prefix="course__",
    ).get(pk=lesson.pk)


@transaction.atomic
def assign_substitute(lesson, substitute, *, by=None) -> Lesson:
    """Give the lesson to `substitute` (None takes the substitution back).

    The lesson records that it is a substitution and who held it (regulation 000 §3.2); the
    substitute gets the right to keep this one lesson (signals grant substitute_lesson).
    """
    lesson = lesson_for_change(lesson)
    if substitute is not None and lesson.substitute_id == substitute.pk:
        return lesson
    if lesson.status != Lesson.Status.PLANNED:
        raise ValidationError(_("Урок отменён или перенесён: замену назначить нельзя."))
    if substitute is None:
        if lesson.held_by_id == lesson.substitute_id:
            lesson.held_by = None
        lesson.substitute = None
    else:
        course_teachers = {ct.teacher_id for ct in lesson.course.course_teachers.all()}
        if substitute.pk in course_teachers:
            raise ValidationError(
                _("%(teacher)s и так ведёт этот курс — это не замена.")
                % {"teacher": substitute.short_name}
            )
        busy = lesson_clashes(
            lesson.course,
            lesson.date,
            lesson.number,
            None,
            teachers=[substitute],
            exclude_pk=lesson.pk,
        )
        busy = [c for c in busy if c.kind == "teacher"]
        if busy:
            raise ValidationError([c.message for c in busy])
        lesson.substitute = substitute
        lesson.held_by = substitute
    stamp(lesson, by)
    lesson.save(update_fields=["substitute", "held_by"])
    return lesson


@dataclass
class DayResult:
    assigned: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (lesson, message)


def teacher_lessons_on(teacher, day: date):
    """A teacher's own planned lessons of a day (of their courses), in order."""
    return (
        Lesson.objects.planned()
        .filter(date=day, course__course_teachers__teacher=teacher)
        .select_related("course__school_class", "course__subject", "course__subgroup", "room")
        .select_related("substitute")
        .order_by("number")
        .distinct()
    )


def substitute_day(teacher, day: date, substitute, *, by=None) -> DayResult:
    """Give every lesson of `teacher` on `day` to `substitute`; a busy slot is refused alone."""
    result = DayResult()
    for lesson in teacher_lessons_on(teacher, day):
        try:
            with transaction.atomic():
                result.assigned.append(assign_substitute(lesson, substitute, by=by))
        except ValidationError as error:
            result.refused.append((lesson, " ".join(error.messages)))
    return result


@transaction.atomic
def cancel_lesson(lesson, reason: str, *, by=None) -> Lesson:
    lesson = lesson_for_change(lesson)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Укажите причину отмены."))
    if lesson.status != Lesson.Status.PLANNED:
        raise ValidationError(_("Урок уже отменён или перенесён."))
    lesson.status = Lesson.Status.CANCELLED
    lesson.status_reason = reason
    stamp(lesson, by)
    lesson.save(update_fields=["status", "status_reason"])
    return lesson


@transaction.atomic
def restore_lesson(lesson, *, by=None) -> Lesson:
    """Undo a cancellation made by mistake."""
    lesson = lesson_for_change(lesson)
    if lesson.status != Lesson.Status.CANCELLED:
        raise ValidationError(_("Урок не отменён."))
    clashes = lesson_clashes(
        lesson.course,
        lesson.date,
        lesson.number,
        lesson.room,
        teachers=[ct.teacher for ct in lesson.course.course_teachers.all()],
        exclude_pk=lesson.pk,
    )
    if clashes:
        raise ValidationError([c.message for c in clashes])
    lesson.status = Lesson.Status.PLANNED
    lesson.status_reason = ""
    stamp(lesson, by)
    lesson.save(update_fields=["status", "status_reason"])
    return lesson


@transaction.atomic
def move_lesson(lesson, day: date, number: int, room, reason: str, *, by=None) -> Lesson:
    """Move a lesson to another day or lesson number: a new lesson there, linked from this one.

    The place must be free for the course's teachers, the room and the class.
    """
    lesson = lesson_for_change(lesson)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Укажите причину переноса."))
    if lesson.status != Lesson.Status.PLANNED:
        raise ValidationError(_("Урок уже отменён или перенесён."))
    if (day, number) == (lesson.date, lesson.number):
        raise ValidationError(_("Урок и так стоит в это время."))
    year = lesson.course.year
    if not year.start <= day <= year.end:
        raise ValidationError(
            _("Дата %(day)s вне учебного года %(year)s.") % {"day": fmt(day), "year": year.name}
        )
    if day.isoweekday() == 7:
        raise ValidationError(_("Перенос на воскресенье невозможен."))
    grade = lesson.course.school_class.grade
    holiday = (
        Holiday.objects.filter(year=year, grade_from__lte=grade, grade_to__gte=grade)
        .on(day)
        .first()
    )
    if holiday is not None:
        raise ValidationError(
            _("%(day)s — %(holiday)s, уроков нет.") % {"day": fmt(day), "holiday": holiday.name}
        )
    teachers = [ct.teacher for ct in lesson.course.course_teachers.all()]
    clashes = lesson_clashes(
        lesson.course, day, number, room, teachers=teachers, exclude_pk=lesson.pk
    )
    if clashes:
        raise ValidationError([c.message for c in clashes])
    new = Lesson(
        school_id=lesson.school_id,
        course=lesson.course,
        date=day,
        number=number,
        room=room,
        kind=lesson.kind,
    )
    stamp(new, by)
    new.save()
    lesson.status = Lesson.Status.MOVED
    lesson.status_reason = reason
    lesson.moved_to = new
    stamp(lesson, by)
    lesson.save(update_fields=["status", "status_reason", "moved_to"])
    return new


# Whose lessons a week shows.


def teacher_week(teacher, monday: date):
    """A teacher's lessons of a week: of their courses, and those they stand in for."""
    return week_lessons(Lesson.objects.for_teacher(teacher), monday)


def pupil_week(pupil, monday: date) -> list:
    """A pupil's lessons of a week: their class's on the days they were in it, the subgroup
    lessons only of the subgroups they belonged to that day. Four queries."""
    sunday = monday + timedelta(days=6)
    enrolments = list(Enrolment.objects.filter(pupil=pupil).overlapping(monday, sunday))
    memberships = list(SubgroupMembership.objects.filter(pupil=pupil).overlapping(monday, sunday))
    lessons = week_lessons(
        Lesson.objects.filter(course__school_class_id__in={e.school_class_id for e in enrolments}),
        monday,
    )

    def holds(rows, day, key, value):
        return any(
            getattr(r, key) == value and r.start <= day and (r.end is None or r.end >= day)
            for r in rows
        )

    return [
        lesson
        for lesson in lessons
        if holds(enrolments, lesson.date, "school_class_id", lesson.course.school_class_id)
        and (
            lesson.course.subgroup_id is None
            or holds(memberships, lesson.date, "subgroup_id", lesson.course.subgroup_id)
        )
    ]
