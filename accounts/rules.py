"""Who may do what: one predicate per permission, in the style of django-rules.

School-wide roles (administrator, director, deputy) reach everything of their school, so
their grants follow from the membership. Roles that reach particular objects (a parent →
their child, a teacher → a course, a class teacher → a class) hold django-guardian object
permissions on those objects, granted and revoked with the role (see signals).

A grant counts only while its role is held (`holds_grant`): each kind of grant names the role
it belongs to (`grant_belongs_to`), so a grant left behind — by a bug, by data written around
the services — opens nothing once the role has ended. The check costs no query: the roles of
a request are loaded once (`roles_in_school`).
"""

import rules
from django.core.exceptions import ImproperlyConfigured
from guardian.core import ObjectPermissionChecker

from .models import TEACHING_ROLES, Membership, Pupil, Role
from .organisations import ORG_READER

LEADERSHIP = (Role.ADMIN, Role.DIRECTOR, Role.DEPUTY)


def school_id_of(obj) -> int | None:
    if obj is None:
        return None
    return getattr(obj, "school_id", None) or getattr(obj, "pk", None)


def roles_in_school(user, school_id) -> frozenset[str]:
    """The user's active roles in a school, loaded once per request (the middleware fills it)."""
    if not user.is_authenticated or school_id is None:
        return frozenset()
    cache = user.__dict__.setdefault("_school_roles", {})
    if school_id not in cache:
        cache[school_id] = Membership.objects.with_scopes_disabled().roles_of(user.pk, school_id)
    return cache[school_id]


def reads_only(user, school_id) -> bool:
    """The user reads this school through an organisation: they write nothing in it."""
    return ORG_READER in roles_in_school(user, school_id)


def permission_checker(user) -> ObjectPermissionChecker:
    """One guardian checker per user object, so repeated checks and prefetches are reused."""
    checker = user.__dict__.get("_perm_checker")
    if checker is None:
        checker = user.__dict__["_perm_checker"] = ObjectPermissionChecker(user)
    return checker


# codename -> the Role its grants belong to, or a function (user, obj) -> Role.
_GRANT_ROLES: dict = {}


def grant_belongs_to(codename: str, role) -> None:
    """Declare the role a kind of object permission is given with (a Role, or a function of
    (user, obj) returning one). Apps declare their own grants from their rules module."""
    _GRANT_ROLES[codename] = role


def role_of_grant(codename: str, user, obj) -> str:
    try:
        role = _GRANT_ROLES[codename]
    except KeyError:
        raise ImproperlyConfigured(
            f"{codename}: no role declared for this grant (accounts.rules.grant_belongs_to)"
        ) from None
    return role(user, obj) if callable(role) else role


def grant_is_live(user, codename: str, obj) -> bool:
    """Whether the user still holds the role a grant of `codename` on `obj` belongs to."""
    return role_of_grant(codename, user, obj) in roles_in_school(user, school_id_of(obj))


def holds_grant(user, codename: str, obj) -> bool:
    """The user holds guardian's `codename` on `obj`, and the role it was given with."""
    if obj is None or not user.is_authenticated:
        return False
    return grant_is_live(user, codename, obj) and permission_checker(user).has_perm(codename, obj)


def has_role(*roles):
    wanted = frozenset(roles)
    name = "has_role:" + ",".join(sorted(wanted))

    @rules.predicate(name=name)
    def predicate(user, obj):
        return bool(roles_in_school(user, school_id_of(obj)) & wanted)

    return predicate


def has_object_perm(codename: str):
    @rules.predicate(name=f"has_object_perm:{codename}")
    def predicate(user, obj):
        return holds_grant(user, codename, obj)

    return predicate


def teaching_role(user, obj) -> str:
    """The role a course's grants belong to: whichever teaching role the user holds in the
    school (a teacher, a master of industrial training, a педагог ДО), else the teacher's."""
    held = roles_in_school(user, school_id_of(obj))
    return next((role for role in TEACHING_ROLES if role in held), Role.TEACHER)


# Every role that keeps courses, and the class teacher: the teachers' school-wide pages.
is_teaching = has_role(*TEACHING_ROLES, Role.CLASS_TEACHER)

is_member = rules.predicate(
    lambda user, obj: bool(roles_in_school(user, school_id_of(obj))), name="is_member"
)
is_leadership = has_role(*LEADERSHIP)
is_admin = has_role(Role.ADMIN)

# The school itself (object: School).
rules.add_perm("accounts.enter_school", is_member)
# Read every page of the school: director, deputy, administrator.
rules.add_perm("accounts.view_school_wide", is_leadership)
rules.add_perm("accounts.manage_school", is_admin)
# The staff list: the leadership, and the specialist for staff records (специалист по
# кадрам), who sees the staff only (accounts.views.PeopleListView) and nothing of the journal.
rules.add_perm("accounts.view_people", is_leadership | has_role(Role.HR))
rules.add_perm("accounts.manage_people", is_admin)
rules.add_perm("accounts.view_login_history", is_admin)
# The school's regulation («Положение об ЭЖ»): the administrator sets it, the leadership reads.
rules.add_perm("accounts.view_regulation", is_leadership)
rules.add_perm("accounts.manage_regulation", is_admin)
# The record of who read personal data (152-ФЗ, art. 19): the school's administrator.
rules.add_perm("accounts.view_access_log", is_admin)

# Who else reads one pupil's personal record. Classes live in a later app, so the class
# teacher's reach is registered from there: add_personal_data_reader(predicate(user, pupil)).
_personal_data_readers: list = []


def add_personal_data_reader(predicate) -> None:
    if predicate not in _personal_data_readers:
        _personal_data_readers.append(predicate)


@rules.predicate(name="reads_personal_data_of_pupil")
def reads_personal_data_of_pupil(user, obj):
    """Only ever about one Pupil: a registered reader never opens the list of the school."""
    if not isinstance(obj, Pupil) or not user.is_authenticated:
        return False
    return any(reader.test(user, obj) for reader in _personal_data_readers)


# A pupil's personal record (object: Pupil, or School for the list of all records): the
# school's leadership, and whoever a later app registers for one pupil (the class teacher).
rules.add_perm("accounts.view_personal_data", is_leadership | reads_personal_data_of_pupil)
# Keeping one pupil's record current (object: Pupil): the leadership and the pupil's class
# teacher (000 §5.5; 001 §3.3–3.4); adding a record to the school (object: School) stays with
# the administrator. Every change is in the record's history with its author.
rules.add_perm("accounts.change_pupil", is_admin | is_leadership | reads_personal_data_of_pupil)
rules.add_perm("accounts.add_pupil", is_admin)
# Who reads one pupil's diary (object: Pupil): the administrator and the pupil's class teacher
# end a parent's or the pupil's access (with a reason) and issue a new code for one parent.
rules.add_perm("accounts.manage_family_access", is_admin | reads_personal_data_of_pupil)
# A pupil's own account reads their record as a pupil; anyone else granted it, as a parent.
grant_belongs_to(
    "accounts.view_pupil",
    lambda user, pupil: Role.PUPIL if pupil.user_id == user.pk else Role.PARENT,
)

# The diary of one pupil: their parents, the pupil, and the school's leadership.
rules.add_perm("accounts.view_pupil", is_leadership | has_object_perm("accounts.view_pupil"))


# An organisation's roll-ups (object: Organisation): every role of the organisation reads
# them; the roles it holds come with the request (accounts.middleware).
@rules.predicate(name="holds_organisation_role")
def holds_organisation_role(user, organisation):
    if organisation is None or not user.is_authenticated:
        return False
    known = user.__dict__.get("_organisation_roles", {})
    if organisation.pk in known:
        return bool(known[organisation.pk])
    from .organisations import OrganisationMembership

    return (
        OrganisationMembership.objects.active()
        .filter(user_id=user.pk, organisation_id=organisation.pk)
        .exists()
    )


rules.add_perm("accounts.view_organisation", holds_organisation_role)
