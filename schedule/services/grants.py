"""What a teacher's and a class teacher's roles give, and taking it back when a role ends.

A course's teachers hold guardian's teach_course on it, a substitute substitute_lesson on the
lesson, a class teacher manage_class on the class (schedule.signals grants them with the
assignment). When the role ends (accounts.services.end_role, «Снять роль», or a membership
ended or deleted in the admin), what it gave ends with it, at once:

- teacher: their assignments to courses of years not yet over end (the assignment's history
  is kept: CourseTeacher has simple-history), as do substitutions in lessons after today;
  assignments of past years and lessons they held stay as the record of who taught what,
  without access (their grants go);
- class teacher: the classes of years not yet over lose them as class teacher (the class's
  history keeps who led it); past years' classes keep the name, without access.

Then every grant of the user in the school that no assignment and held role backs any more is
removed (`sweep`), so nothing is left behind whatever the path.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django_scopes import scopes_disabled

from accounts.models import TEACHING_ROLES, Membership, Role

from ..models import (
    CourseTeacher,
    CourseUserObjectPermission,
    Lesson,
    LessonUserObjectPermission,
    SchoolClass,
    SchoolClassUserObjectPermission,
)
from ..versions import school_changed


def sweep(user_id: int, school_id: int) -> None:
    """Remove the user's teach_course, substitute_lesson and manage_class grants in the school
    that no assignment backs while its role is held."""
    roles = Membership.objects.with_scopes_disabled().roles_of(user_id, school_id)
    courses = CourseUserObjectPermission.objects.filter(
        user_id=user_id, content_object__school_id=school_id
    )
    if roles & set(TEACHING_ROLES):
        assigned = CourseTeacher.objects.with_scopes_disabled().filter(
            teacher_id=user_id, course_id=OuterRef("content_object_id")
        )
        courses = courses.exclude(Exists(assigned))
    courses.delete()
    lessons = LessonUserObjectPermission.objects.filter(
        user_id=user_id, content_object__school_id=school_id
    )
    if roles & set(TEACHING_ROLES):
        lessons = lessons.exclude(content_object__substitute_id=user_id)
    lessons.delete()
    classes = SchoolClassUserObjectPermission.objects.filter(
        user_id=user_id, content_object__school_id=school_id
    )
    if Role.CLASS_TEACHER in roles:
        classes = classes.exclude(content_object__class_teacher_id=user_id)
    classes.delete()


@transaction.atomic
def end_teaching(user_id: int, school) -> None:
    """The teacher role of the user in the school has ended: see the module's docstring."""
    from .lessons import assign_substitute

    today = school.today()
    for assignment in CourseTeacher.objects.with_scopes_disabled().filter(
        school_id=school.pk, teacher_id=user_id, course__year__end__gte=today
    ):
        assignment.delete()
    upcoming = Lesson.objects.with_scopes_disabled().filter(
        school_id=school.pk, substitute_id=user_id, date__gt=today, status=Lesson.Status.PLANNED
    )
    for lesson in upcoming:
        assign_substitute(lesson, None)


@transaction.atomic
def end_class_leading(user_id: int, school) -> None:
    """The class-teacher role of the user in the school has ended: see the module's docstring."""
    today = school.today()
    for school_class in SchoolClass.objects.with_scopes_disabled().filter(
        school_id=school.pk, class_teacher_id=user_id, year__end__gte=today
    ):
        school_class.class_teacher = None
        school_class.save(update_fields=["class_teacher"])


def role_ended(membership) -> None:
    """Take back what the ended role gave (called from schedule.signals)."""
    with scopes_disabled():  # one school, named explicitly; the admin has no scope either
        if membership.role in TEACHING_ROLES and not (
            Membership.objects.roles_of(membership.user_id, membership.school_id)
            & set(TEACHING_ROLES)
        ):
            # The last role that kept courses (a teacher's, a master's, a педагог ДО's).
            end_teaching(membership.user_id, membership.school)
        elif membership.role == Role.CLASS_TEACHER:
            end_class_leading(membership.user_id, membership.school)
        sweep(membership.user_id, membership.school_id)
    # Cached journal pages are kept per school version too: none outlives the change.
    school_changed(membership.school_id)
