"""Who keeps the register of course works and the practice of a group.

Objects: School for lists and new records; CourseWork for one work; PracticePeriod for one
practice. A supervisor is named on the record itself (a direct foreign key), so no grant is
needed: they keep their own works and practice while they hold a teacher's role. The group's
curator (class teacher, guardian's schedule.manage_class) reads the group's practice.
The register itself is a report (reports:course_works): who sees which works is its reach.
"""

import rules

from accounts.models import Role
from accounts.rules import has_role, holds_grant, is_leadership, roles_in_school
from schedule.models import SUPERVISOR_ROLES

from .rules import LEAD

keeps_records = has_role(Role.ADMIN, Role.DEPUTY)


@rules.predicate(name="grading.supervises")
def supervises(user, obj):
    """The record's supervisor (a course work's, a practice's), while a teacher here."""
    if obj is None or not user.is_authenticated or obj.supervisor_id != user.pk:
        return False
    return bool(roles_in_school(user, obj.school_id) & set(SUPERVISOR_ROLES))


@rules.predicate(name="grading.curates_practice_group")
def curates_group(user, period):
    if period is None or not user.is_authenticated:
        return False
    return holds_grant(user, LEAD, period.school_class)


# Course works: a new one (School) by the leadership that keeps records or a teacher (who
# supervises it); one work (CourseWork) changed by them or by its supervisor.
rules.add_perm("grading.add_course_work", keeps_records | has_role(*SUPERVISOR_ROLES))
rules.add_perm("grading.change_course_work", keeps_records | supervises)
# Practice: the list (School) for the staff, narrowed to their own; periods set up by the
# deputy or the administrator; one period (PracticePeriod) read by the leadership, its
# supervisor and the group's curator, its marks set by its supervisor or the deputy.
rules.add_perm("grading.view_practice", is_leadership | has_role(*SUPERVISOR_ROLES))
rules.add_perm("grading.manage_practice", keeps_records)
rules.add_perm("grading.view_practice_period", is_leadership | supervises | curates_group)
rules.add_perm("grading.mark_practice", keeps_records | supervises)
