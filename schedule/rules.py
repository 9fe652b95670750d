import rules

from accounts.models import Role
from accounts.rules import (
    add_personal_data_reader,
    grant_belongs_to,
    grant_is_live,
    has_object_perm,
    has_role,
    is_leadership,
    is_teaching,
    teaching_role,
)

# The roles this app's grants are given with (schedule.signals): a grant counts only while
# its role is held.
grant_belongs_to("schedule.teach_course", teaching_role)
grant_belongs_to("schedule.substitute_lesson", teaching_role)
grant_belongs_to("schedule.manage_class", Role.CLASS_TEACHER)

is_admin = has_role(Role.ADMIN)
# The administrator and the deputy set up the year; the director reads it.
is_manager = has_role(Role.ADMIN, Role.DEPUTY)
leads_class = has_object_perm("schedule.manage_class")
is_teacher = is_teaching


@rules.predicate(name="teaches_in_class")
def teaches_in_class(user, school_class):
    """A teacher of one of the class's courses (object: SchoolClass)."""
    from .models import CourseUserObjectPermission

    if school_class is None or not user.is_authenticated:
        return False
    if not grant_is_live(user, "schedule.teach_course", school_class):
        return False
    return CourseUserObjectPermission.objects.filter(
        user=user,
        permission__codename="teach_course",
        content_object__school_class_id=school_class.pk,
    ).exists()


@rules.predicate(name="leads_a_class_of_pupil")
def leads_a_class_of_pupil(user, pupil):
    """The class teacher of a class the pupil is or was enrolled in (object: Pupil)."""
    from .models import SchoolClassUserObjectPermission

    if pupil is None or not user.is_authenticated:
        return False
    if not grant_is_live(user, "schedule.manage_class", pupil):
        return False
    return SchoolClassUserObjectPermission.objects.filter(
        user=user,
        permission__codename="manage_class",
        content_object__enrolments__pupil_id=pupil.pk,
    ).exists()


@rules.predicate(name="leads_the_current_class_of_pupil")
def leads_the_current_class_of_pupil(user, pupil):
    """The class teacher of the class the pupil is in now (object: Pupil).

    Personal details follow the pupil: a former class teacher keeps the enrolment history
    (above) but not the family's address and documents.
    """
    from .models import Enrolment, SchoolClassUserObjectPermission

    if pupil is None or not user.is_authenticated:
        return False
    if not grant_is_live(user, "schedule.manage_class", pupil):
        return False
    current_classes = (
        Enrolment.objects.with_scopes_disabled()
        .current(pupil.school.today())
        .filter(pupil_id=pupil.pk)
        .values("school_class_id")
    )
    return SchoolClassUserObjectPermission.objects.filter(
        user=user, permission__codename="manage_class", content_object__in=current_classes
    ).exists()


add_personal_data_reader(leads_the_current_class_of_pupil)

# The school year, its periods, holidays and bells (object: School or SchoolYear).
rules.add_perm("schedule.view_year", is_leadership)
rules.add_perm("schedule.manage_year", is_manager)

# Lists of classes (object: School).
rules.add_perm("schedule.view_classes", is_leadership | has_role(Role.CLASS_TEACHER))
rules.add_perm("schedule.manage_classes", is_manager)
# One class (object: SchoolClass): its pupils with their personal data, and their codes.
rules.add_perm("schedule.view_class", is_leadership | leads_class)
rules.add_perm("schedule.issue_class_codes", is_admin | leads_class)

# Movement of pupils (object: SchoolClass; Enrolment or School when recording).
rules.add_perm("schedule.view_movement", is_leadership | leads_class)
rules.add_perm("schedule.record_movement", is_manager)
# A pupil's enrolment history (object: Pupil).
rules.add_perm("schedule.view_pupil_history", is_leadership | leads_a_class_of_pupil)

# Subjects (object: School).
rules.add_perm("schedule.view_subjects", is_leadership)
rules.add_perm("schedule.manage_subjects", is_manager)

# Subgroups of a class (object: SchoolClass): the class teacher divides the class with the
# subject teachers at the start of the year; the administrator and deputy may too.
rules.add_perm("schedule.view_subgroups", is_leadership | leads_class | teaches_in_class)
rules.add_perm("schedule.manage_subgroups", is_manager | leads_class | teaches_in_class)

# Courses and the curriculum (object: School or Course).
rules.add_perm("schedule.view_courses", is_leadership)
rules.add_perm("schedule.manage_courses", is_manager)
rules.add_perm("schedule.view_my_courses", is_teacher)

# Loading pupils and classes from a file (object: School or ImportBatch).
rules.add_perm("schedule.import_people", is_manager)
