"""The timetable: weekly entries of courses, the clashes between them, and the grids to show.

One function decides whether two slots clash (`clashes`): a teacher, a room, or a class in two
places at once, on some day both entries run (their date ranges overlap and their week parity
allows it). «At once» is by the bells: classes of different shifts number their lessons from
their own first bell, so the 1st lesson of the second shift is not the 1st of the first, and
the 6th of the first shift may overlap the 1st of the second. Where a class has no bells, the
lesson numbers decide. A subgroup's lesson may run beside its sibling subgroup of the same
class, never beside a lesson of the whole class. The form, the import and the demo all go
through it; lesson-level moves and substitutions use `lesson_clashes` with the same wording.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.utils.translation import gettext as _

from ...models import (
    Bell,
    CourseTeacher,
    Lesson,
)
from .labels import (
    WEEKDAY_AT,
    WEEKS_AT,
    Weeks,
    course_label,
    fmt,
    lesson_number_label,
    with_teachers,
)

# Clashes.


@dataclass
class Slot:
    """What one timetable entry occupies, with what it takes to name it in a message."""

    pk: int | None
    course_id: int
    class_id: int
    subgroup_id: int | None
    teacher_ids: frozenset
    room_id: int | None
    weekday: int
    number: int
    valid_from: date
    valid_to: date
    weeks: str
    label: str = ""  # «6Б Математика»
    class_name: str = ""
    room_name: str = ""
    teacher_names: dict = field(default_factory=dict)  # user id -> «Иванова М. П.»
    times: tuple | None = None  # (start, end) by the class's bells, when it has them

    @classmethod
    def of(cls, entry, teachers=None, bells=None) -> "Slot":
        """A slot of an entry whose course carries its class, subject, subgroup and teachers.

        `teachers` (users) overrides the course's teachers, for an entry not yet saved;
        `bells` ({(bell schedule id, number): (start, end)}, see `bell_spans`) gives its times.
        """
        course = entry.course
        if teachers is None:
            teachers = [ct.teacher for ct in course.course_teachers.all()]
        times = (bells or {}).get((course.school_class.bell_schedule_id, entry.number))
        return cls(
            pk=entry.pk,
            course_id=course.pk,
            class_id=course.school_class_id,
            subgroup_id=course.subgroup_id,
            teacher_ids=frozenset(t.pk for t in teachers),
            room_id=entry.room_id,
            weekday=entry.weekday,
            number=entry.number,
            valid_from=entry.valid_from,
            valid_to=entry.valid_to,
            weeks=entry.weeks,
            label=course_label(course),
            class_name=course.school_class.name,
            room_name=entry.room.name if entry.room_id else "",
            teacher_names={t.pk: t.short_name for t in teachers},
            times=times,
        )


def bell_spans(schedule_ids) -> dict:
    """{(bell schedule id, number): (start, end)} of the given schedules: one query (or none)."""
    ids = {i for i in schedule_ids if i}
    if not ids:
        return {}
    return {
        (b.schedule_id, b.number): (b.start, b.end)
        for b in Bell.objects.filter(schedule_id__in=ids)
    }


def same_time(a_number, a_times, b_number, b_times) -> bool:
    """Two lessons of one weekday meet: their bell times overlap, or else their numbers match."""
    if a_times and b_times:
        return a_times[0] < b_times[1] and b_times[0] < a_times[1]
    return a_number == b_number


def times_label(times) -> str:
    return f"{times[0]:%H:%M}–{times[1]:%H:%M}"


def weeks_compatible(a: str, b: str) -> bool:
    return a == Weeks.EVERY or b == Weeks.EVERY or a == b


def runs_in_week(weeks: str, day: date) -> bool:
    if weeks == Weeks.EVERY:
        return True
    return (day.isocalendar().week % 2 == 1) == (weeks == Weeks.ODD)


def first_on_or_after(day: date, isoweekday: int) -> date:
    return day + timedelta(days=(isoweekday - day.isoweekday()) % 7)


def share_a_day(a: Slot, b: Slot) -> bool:
    """Both slots run on one and the same date, at the same time."""
    if a.weekday != b.weekday or not same_time(a.number, a.times, b.number, b.times):
        return False
    if not weeks_compatible(a.weeks, b.weeks):
        return False
    start, end = max(a.valid_from, b.valid_from), min(a.valid_to, b.valid_to)
    day = first_on_or_after(start, a.weekday)
    while day <= end:
        if runs_in_week(a.weeks, day) and runs_in_week(b.weeks, day):
            return True
        day += timedelta(days=7)
    return False


def classes_collide(a_class, a_subgroup, b_class, b_subgroup) -> bool:
    """One class in two places — unless these are two different subgroups of it."""
    if a_class != b_class:
        return False
    return not (a_subgroup and b_subgroup and a_subgroup != b_subgroup)


@dataclass
class Clash:
    kind: str  # "teacher", "room" or "class"
    message: str

    def __str__(self):
        return self.message


def _when(slot: Slot, candidate: Slot) -> str:
    when = f"{WEEKDAY_AT[slot.weekday]}, {lesson_number_label(slot.number)}"
    if slot.times and (slot.number != candidate.number or slot.times != candidate.times):
        when += f" ({times_label(slot.times)})"
    if slot.weeks != Weeks.EVERY:
        when += f" {WEEKS_AT[slot.weeks]}"
    if (slot.valid_from, slot.valid_to) != (candidate.valid_from, candidate.valid_to):
        when += " " + _("(с %(start)s по %(end)s)") % {
            "start": fmt(slot.valid_from),
            "end": fmt(slot.valid_to),
        }
    return when


def _in_room(room_name: str) -> str:
    return " " + _("(каб. %(room)s)") % {"room": room_name} if room_name else ""


def clashes(candidate: Slot, others) -> list[Clash]:
    """What stands in `candidate`'s way among `others` (pure: no database)."""
    found = []
    for other in others:
        if candidate.pk is not None and other.pk == candidate.pk:
            continue
        if not share_a_day(candidate, other):
            continue
        when = _when(other, candidate)
        for teacher_id in sorted(candidate.teacher_ids & other.teacher_ids):
            found.append(
                Clash(
                    "teacher",
                    _("Учитель %(teacher)s уже ведёт %(lesson)s %(when)s%(room)s.")
                    % {
                        "teacher": other.teacher_names.get(teacher_id, ""),
                        "lesson": other.label,
                        "when": when,
                        "room": _in_room(other.room_name),
                    },
                )
            )
        if candidate.room_id and candidate.room_id == other.room_id:
            teachers = ", ".join(sorted(other.teacher_names.values()))
            found.append(
                Clash(
                    "room",
                    _("Кабинет %(room)s уже занят: %(lesson)s %(when)s%(teachers)s.")
                    % {
                        "room": other.room_name,
                        "lesson": other.label,
                        "when": when,
                        "teachers": f" ({teachers})" if teachers else "",
                    },
                )
            )
        if classes_collide(
            candidate.class_id, candidate.subgroup_id, other.class_id, other.subgroup_id
        ):
            message = _("У класса %(cls)s уже стоит %(lesson)s %(when)s%(room)s.") % {
                "cls": other.class_name,
                "lesson": other.label,
                "when": when,
                "room": _in_room(other.room_name),
            }
            if candidate.subgroup_id and not other.subgroup_id:
                message += " " + _(
                    "Урок подгруппы может идти одновременно только с уроком другой подгруппы "
                    "этого класса."
                )
            found.append(Clash("class", message))
    return found


# Clashes of dated lessons: moving a lesson, assigning a substitute.


def lesson_teachers(lesson) -> list:
    """Who gives the lesson: the substitute, or else the course's teachers."""
    if lesson.substitute_id:
        return [lesson.substitute]
    return [ct.teacher for ct in lesson.course.course_teachers.all()]


def lesson_clashes(
    course, day: date, number: int, room, *, teachers, exclude_pk=None
) -> list[Clash]:
    """Planned lessons that a lesson of `course` on `day`/`number` would collide with.

    Lessons of other shifts meet by their bell times (`same_time`), as in the timetable.
    """
    teacher_ids = {t.pk for t in teachers}
    rivals = Lesson.objects.planned().filter(date=day)
    if exclude_pk:
        rivals = rivals.exclude(pk=exclude_pk)
    reach = Q(course__school_class_id=course.school_class_id, number=number)
    if room is not None:
        reach |= Q(room=room)
    if teacher_ids:
        reach |= Q(substitute_id__in=teacher_ids) | Q(
            course__in=CourseTeacher.objects.filter(teacher_id__in=teacher_ids).values("course_id")
        )
    rivals = with_teachers(
        rivals.filter(reach).select_related(
            "course__school_class", "course__subject", "course__subgroup", "room", "substitute"
        )
    )
    rivals = list(rivals)
    own_shift = course.school_class.bell_schedule_id
    bells = bell_spans([own_shift, *(r.course.school_class.bell_schedule_id for r in rivals)])
    own_times = bells.get((own_shift, number))
    found = []
    for other in rivals:
        other_times = bells.get((other.course.school_class.bell_schedule_id, other.number))
        if not same_time(number, own_times, other.number, other_times):
            continue
        when = f"{fmt(day)}, {lesson_number_label(other.number)}"
        if other_times and (other.number != number or other_times != own_times):
            when += f" ({times_label(other_times)})"
        others_teachers = {t.pk: t for t in lesson_teachers(other)}
        room_text = _in_room(other.room.name) if other.room_id else ""
        for teacher_id in sorted(teacher_ids & set(others_teachers)):
            found.append(
                Clash(
                    "teacher",
                    _("Учитель %(teacher)s уже ведёт %(lesson)s %(when)s%(room)s.")
                    % {
                        "teacher": others_teachers[teacher_id].short_name,
                        "lesson": course_label(other.course),
                        "when": when,
                        "room": room_text,
                    },
                )
            )
        if room is not None and other.room_id == room.pk:
            names = ", ".join(t.short_name for t in others_teachers.values())
            found.append(
                Clash(
                    "room",
                    _("Кабинет %(room)s уже занят: %(lesson)s %(when)s%(teachers)s.")
                    % {
                        "room": room.name,
                        "lesson": course_label(other.course),
                        "when": when,
                        "teachers": f" ({names})" if names else "",
                    },
                )
            )
        if classes_collide(
            course.school_class_id,
            course.subgroup_id,
            other.course.school_class_id,
            other.course.subgroup_id,
        ):
            found.append(
                Clash(
                    "class",
                    _("У класса %(cls)s уже стоит %(lesson)s %(when)s%(room)s.")
                    % {
                        "cls": other.course.school_class.name,
                        "lesson": course_label(other.course),
                        "when": when,
                        "room": room_text,
                    },
                )
            )
    return found
