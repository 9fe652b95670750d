"""Who may see and change the timetable and the lessons (imported from ScheduleConfig.ready).

The deputy and the administrator edit the timetable, build lessons, assign substitutes and
cancel or move lessons; the director reads. A teacher keeps the lessons of their courses; a
substitute keeps the one lesson they were given (guardian: substitute_lesson on that lesson).
"""

import rules
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.navigation import NavEntry, register
from accounts.rules import (
    has_object_perm,
    has_role,
    holds_grant,
    is_leadership,
    is_member,
    roles_in_school,
)

is_manager = has_role(Role.ADMIN, Role.DEPUTY)
leads_class = has_object_perm("schedule.manage_class")
substitutes_lesson = has_object_perm("schedule.substitute_lesson")


@rules.predicate(name="teaches_course_of_lesson")
def teaches_course_of_lesson(user, lesson):
    """A teacher of the lesson's course (object: Lesson)."""
    if lesson is None or not user.is_authenticated:
        return False
    return holds_grant(user, "schedule.teach_course", lesson.course)


@rules.predicate(name="leads_class_of_lesson")
def leads_class_of_lesson(user, lesson):
    """The class teacher of the lesson's class (object: Lesson)."""
    if lesson is None or not user.is_authenticated:
        return False
    return holds_grant(user, "schedule.manage_class", lesson.course.school_class)


@rules.predicate(name="heads_department_of_class")
def heads_department_of_class(user, school_class):
    """The head of the department the group belongs to (object: SchoolClass)."""
    if school_class is None or not user.is_authenticated:
        return False
    if Role.HEAD_OF_DEPARTMENT not in roles_in_school(user, school_class.school_id):
        return False
    head = school_class.department.head_id if school_class.department_id else None
    return head == user.pk


# Timetables of any class, teacher or room (object: School or Room).
rules.add_perm("schedule.view_timetables", is_leadership)
# One class's timetable (object: SchoolClass): the leadership and the class teacher.
rules.add_perm(
    "schedule.view_class_timetable", is_leadership | leads_class | heads_department_of_class
)
# Editing the timetable, importing it (object: School, SchoolClass or TimetableEntry).
rules.add_perm("schedule.edit_timetable", is_manager)
# One's own week: a teacher's lessons, a pupil's or a parent's child's class (object: School).
rules.add_perm("schedule.view_own_timetable", is_member)
# Building lessons, substitutions, cancelling and moving lessons (object: School or Lesson).
rules.add_perm("schedule.manage_lessons", is_manager)
# One lesson (object: Lesson).
rules.add_perm(
    "schedule.view_lesson",
    is_leadership | teaches_course_of_lesson | substitutes_lesson | leads_class_of_lesson,
)

# Navigation lives here too, so that ScheduleConfig.ready needs one import line for it.
register(NavEntry(_("Моё расписание"), "schedule:my_timetable", "schedule.view_own_timetable", 5))
register(NavEntry(_("Расписание"), "schedule:timetable", "schedule.view_timetables", order=25))
register(NavEntry(_("Замены"), "schedule:substitutions", "schedule.view_timetables", order=26))
