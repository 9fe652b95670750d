"""Who may see and set up sessions, read and fill ledgers, and take a retake through its steps.

Objects: School for the sessions page; Course for an assessment's ledger (the course's final
marks: grading.rules_finals); FinalMark for filing an application; RetakeApplication for its
steps and documents.
"""

import rules

from accounts.models import TEACHING_ROLES, Role
from accounts.rules import has_object_perm, has_role, is_leadership

from .rules import leads_class_of, signs_application, teaches_course

leads_deciding = has_role(Role.DEPUTY, Role.DIRECTOR)


def _mark(obj):
    """The final mark a rule is about (object: FinalMark, or a RetakeApplication of one)."""
    return getattr(obj, "final_mark", obj)


@rules.predicate(name="grading.is_the_student")
def is_the_student(user, obj):
    """The student whose mark it is."""
    mark = _mark(obj)
    return mark is not None and user.is_authenticated and mark.pupil.user_id == user.pk


@rules.predicate(name="grading.family_of_student")
def family_of_student(user, obj):
    mark = _mark(obj)
    return mark is not None and has_object_perm("accounts.view_pupil")(user, mark.pupil)


@rules.predicate(name="grading.teaches_mark_course")
def teaches_mark_course(user, obj):
    mark = _mark(obj)
    return mark is not None and teaches_course(user, mark.course)


@rules.predicate(name="grading.leads_mark_class")
def leads_mark_class(user, obj):
    mark = _mark(obj)
    return mark is not None and leads_class_of(user, mark.course)


rules.add_perm(
    "grading.view_sessions", is_leadership | has_role(*TEACHING_ROLES, Role.CLASS_TEACHER)
)
rules.add_perm("grading.manage_sessions", leads_deciding)
# The student files it, or the curator or the leadership for them.
rules.add_perm("grading.apply_retake", is_the_student | leads_mark_class | is_leadership)
rules.add_perm(
    "grading.view_retake_application",
    is_leadership | teaches_mark_course | leads_mark_class | is_the_student | family_of_student,
)
rules.add_perm("grading.sign_retake_application", signs_application)
rules.add_perm("grading.refer_retake", leads_deciding)
rules.add_perm("grading.record_retake_protocol", teaches_mark_course)
