"""Who may read the archive, build it, close a year, roll it over and destroy documents.

Objects: the School for every page (the pages fetch their own objects through the scoped
managers, so another school's answers 404). The director and the deputy read; the deputy
closes the year, rolls it over, builds the archive and draws up acts of destruction; the
director approves an act — only then are files removed.
"""

import rules

from accounts.models import Role
from accounts.rules import has_role

rules.add_perm("archive.view_archive", has_role(Role.DIRECTOR, Role.DEPUTY))
rules.add_perm("archive.manage_archive", has_role(Role.DEPUTY))
rules.add_perm("archive.approve_act", has_role(Role.DIRECTOR))
