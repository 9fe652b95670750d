"""Who may read digests and notices, set the digest schedule and print weekly reports.

Objects: School for lists and settings, DigestDelivery for one digest, SchoolClass for a
class's printout (the class teacher holds guardian's schedule.manage_class on it).
"""

import rules

from accounts.models import Role
from accounts.rules import has_object_perm, has_role, is_admin, is_leadership, is_teaching

# A head of department (заведующий отделением) reads the control and the reports of the groups
# of their department (reports.params.Reach narrows the data to them).
heads_department = has_role(Role.HEAD_OF_DEPARTMENT)


@rules.predicate(name="receives_digest")
def receives_digest(user, delivery):
    return delivery is not None and delivery.parent_id == user.pk


# A parent's digests and final-mark notices (School); one digest (DigestDelivery).
rules.add_perm("reports.view_notices", has_role(Role.PARENT))
rules.add_perm("reports.view_digest", receives_digest)
# When the school's digest goes out (School).
rules.add_perm("reports.manage_digest", is_admin)
# The school's reports (School): the leadership reads the school, a class teacher their
# classes, a teacher their courses (reports.params.Reach narrows the data).
rules.add_perm(
    "reports.view_reports",
    is_leadership | is_teaching | heads_department,
)
# Printed weekly reports: the list (School) and one class (SchoolClass).
rules.add_perm("reports.print_weekly", is_leadership | has_role(Role.CLASS_TEACHER))
rules.add_perm(
    "reports.print_class_weekly", is_leadership | has_object_perm("schedule.manage_class")
)
# The control of journal keeping (School): the leadership for the school, a class teacher
# for their classes, read-only (reports.params.Reach narrows it); the check asked for now.
rules.add_perm(
    "reports.view_control", is_leadership | has_role(Role.CLASS_TEACHER) | heads_department
)
rules.add_perm("reports.run_control", is_leadership)
# «Справка по итогам проверки» (School): recorded and read by the leadership.
rules.add_perm("reports.record_check", is_leadership)
