"""Who may read and keep the plan (КТП), the lesson page and homework.

Objects: Course for the plan, Lesson for the lesson page and its homework, School for lists.
A course's teachers hold guardian's schedule.teach_course on the course; a substitute holds
schedule.substitute_lesson on the one lesson they held; a class teacher holds
schedule.manage_class on their class. The class teacher, director and deputy read only.
"""

import rules

from accounts.models import ParentLink, Pupil, Role
from accounts.rules import has_role, holds_grant, is_leadership, is_teaching


def course_of(obj):
    """The course of a Course or of a Lesson."""
    return getattr(obj, "course", obj)


@rules.predicate(name="teaches_course_of")
def teaches_course_of(user, obj):
    return holds_grant(user, "schedule.teach_course", course_of(obj))


@rules.predicate(name="leads_class_of_course")
def leads_class_of_course(user, obj):
    course = course_of(obj)
    return course is not None and holds_grant(user, "schedule.manage_class", course.school_class)


@rules.predicate(name="substitutes_lesson")
def substitutes_lesson(user, lesson):
    return holds_grant(user, "schedule.substitute_lesson", lesson)


@rules.predicate(name="family_of_lesson_class")
def family_of_lesson_class(user, lesson):
    """A parent of, or a pupil in, the lesson's class (object: Lesson)."""
    if lesson is None or not user.is_authenticated:
        return False
    class_id = lesson.course.school_class_id
    if (
        Pupil.objects.with_scopes_disabled()
        .filter(user=user, enrolments__school_class_id=class_id)
        .exists()
    ):
        return True
    return (
        ParentLink.objects.with_scopes_disabled()
        .filter(parent=user, pupil__enrolments__school_class_id=class_id)
        .exists()
    )


course_reader = is_leadership | teaches_course_of | leads_class_of_course

# The plan of one course (object: Course).
rules.add_perm("journal.view_plan", course_reader)
rules.add_perm("journal.edit_plan", teaches_course_of)
# The list of plans: a teacher's own courses, or every course for the leadership (School).
rules.add_perm("journal.view_plans", is_leadership | is_teaching)
# Why a course is behind its plan at the year's end (Course): its teacher explains, the
# leadership reads (the year-end checklist asks it).
rules.add_perm("journal.explain_plan_lag", teaches_course_of)
rules.add_perm("journal.view_plan_lag", teaches_course_of | has_role(Role.DIRECTOR, Role.DEPUTY))
# «Курсы без КТП»: the deputy's check of plans and their deadline (School).
rules.add_perm("journal.view_plan_report", is_leadership)

# One lesson (object: Lesson): topic, type, homework and the teacher's note.
rules.add_perm("journal.view_lesson", course_reader | substitutes_lesson)
rules.add_perm("journal.edit_lesson", teaches_course_of | substitutes_lesson)
# Homework files of a lesson: whoever reads the lesson, and the families of its class.
rules.add_perm("journal.view_homework", course_reader | substitutes_lesson | family_of_lesson_class)
