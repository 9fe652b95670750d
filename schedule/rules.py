import rules

from accounts.models import Role
from accounts.rules import has_object_perm, has_role, is_leadership

is_admin = has_role(Role.ADMIN)
leads_class = has_object_perm("schedule.manage_class")

# Lists of classes (object: School).
rules.add_perm("schedule.view_classes", is_leadership | has_role(Role.CLASS_TEACHER))
# One class (object: SchoolClass): its pupils with their personal data, and their codes.
rules.add_perm("schedule.view_class", is_leadership | leads_class)
rules.add_perm("schedule.issue_class_codes", is_admin | leads_class)
