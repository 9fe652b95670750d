"""Saving and removing timetable entries, refused when they clash."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ...models import (
    CourseTeacher,
    TimetableEntry,
)
from .clashes import Clash, Slot, bell_spans, clashes
from .labels import Weeks, entries_with_details, fmt


def entry_slot(entry, teachers=None, bells=None) -> Slot:
    if teachers is None:
        teachers = [
            ct.teacher
            for ct in CourseTeacher.objects.filter(course_id=entry.course_id).select_related(
                "teacher"
            )
        ]
    return Slot.of(entry, teachers=teachers, bells=bells)


def find_clashes(entry, *, teachers=None, ignore=()) -> list[Clash]:
    """Clashes of `entry` (saved or not) with the school's other entries.

    `ignore` names entry pks to leave out (entries about to be replaced). Rivals are the
    entries of the same weekday (their times decide, see `same_time`). Five queries.
    """
    rivals = TimetableEntry.objects.filter(
        school_id=entry.course.school_id,
        weekday=entry.weekday,
        valid_from__lte=entry.valid_to,
        valid_to__gte=entry.valid_from,
    )
    if entry.weeks != Weeks.EVERY:
        rivals = rivals.filter(weeks__in=[Weeks.EVERY, entry.weeks])
    if entry.pk:
        rivals = rivals.exclude(pk=entry.pk)
    if ignore:
        rivals = rivals.exclude(pk__in=list(ignore))
    if teachers is None:
        teachers = [
            ct.teacher
            for ct in CourseTeacher.objects.filter(course_id=entry.course_id).select_related(
                "teacher"
            )
        ]
    teacher_ids = {t.pk for t in teachers}
    # The class itself: same numbers, same bells — only its own number can meet.
    reach = Q(course__school_class_id=entry.course.school_class_id, number=entry.number)
    if entry.room_id:
        reach |= Q(room_id=entry.room_id)
    if teacher_ids:
        reach |= Q(
            course__in=CourseTeacher.objects.filter(teacher_id__in=teacher_ids).values("course_id")
        )
    found = list(entries_with_details(rivals.filter(reach)))
    own_shift = entry.course.school_class.bell_schedule_id
    bells = bell_spans([own_shift, *(e.course.school_class.bell_schedule_id for e in found)])
    candidate = entry_slot(entry, teachers, bells)
    return clashes(candidate, [Slot.of(e, bells=bells) for e in found])


def check_entry(entry, *, teachers=None) -> None:
    """Refuse an entry that is out of its year or clashes; the messages name the other lesson."""
    problems = entry_problems(entry)
    if not problems:
        problems = [c.message for c in find_clashes(entry, teachers=teachers)]
    if problems:
        raise ValidationError(problems)


def entry_problems(entry) -> list[str]:
    problems = []
    if not 1 <= entry.weekday <= 6:
        problems.append(_("День недели — с понедельника по субботу."))
    if entry.number is None or not 0 <= entry.number <= 12:
        problems.append(_("Номер урока — от 0 до 12."))
    if entry.valid_from and entry.valid_to:
        if entry.valid_to < entry.valid_from:
            problems.append(_("Дата окончания раньше даты начала."))
        year = entry.course.year
        if entry.valid_from < year.start or entry.valid_to > year.end:
            problems.append(
                _("Даты расписания выходят за границы учебного года %(year)s (%(start)s–%(end)s).")
                % {"year": year.name, "start": fmt(year.start), "end": fmt(year.end)}
            )
    return problems


@transaction.atomic
def save_entry(entry, *, teachers=None) -> TimetableEntry:
    """Save an entry after checking it; concurrent saves in one school wait for each other."""
    from accounts.models import School

    list(School.objects.select_for_update().filter(pk=entry.course.school_id).values("pk"))
    entry.school_id = entry.course.school_id
    check_entry(entry, teachers=teachers)
    entry.save()
    return entry


def delete_entry(entry) -> None:
    """Remove an entry; its lessons stay until lessons are rebuilt (materialise)."""
    entry.delete()
