"""Who may read the archive, build it, close a year, roll it over and destroy documents.

Objects: the School for every page (the pages fetch their own objects through the scoped
managers, so another school's answers 404). The director and the deputy read; the deputy
closes the year, rolls it over, builds the archive and draws up acts of destruction; the
director approves an act — only then are files removed.
"""

import rules

from accounts.models import Role
from accounts.rules import has_role
from grading.rules import teaches_course

rules.add_perm("archive.view_archive", has_role(Role.DIRECTOR, Role.DEPUTY))
rules.add_perm("archive.manage_archive", has_role(Role.DEPUTY))
rules.add_perm("archive.approve_act", has_role(Role.DIRECTOR))
# Why a course is behind its plan at the year's end (Course): its teacher explains.
rules.add_perm("archive.explain_lag", teaches_course)
rules.add_perm("archive.view_lag", teaches_course | has_role(Role.DIRECTOR, Role.DEPUTY))
