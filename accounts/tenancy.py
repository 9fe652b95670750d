"""The school of a request and the user's roles in it, read through the cache.

Every school page needs both before anything else, so they are kept in Redis under keys the
middleware can fetch in one round trip (the school by slug, the roles by user and slug)
instead of two queries a page. A change to a school or a membership drops its key at once and
again after the transaction commits (a request that read the old rows in between cannot keep
them past the commit); the short lifetime bounds anything else, such as a renamed slug.
"""

from django.core.cache import cache
from django.db import transaction

from lib.replica import from_primary

from .models import Membership, Organisation, OrganisationMembership, School
from .organisations import ORG_READER

LIFETIME = 60  # seconds


def school_key(slug: str) -> str:
    return f"tenancy:school:{slug}"


def roles_key(user_id: int, slug: str) -> str:
    return f"tenancy:roles:{user_id}:{slug}"


# Kept for a minute: read from the primary, even on a page that reads a replica.
@from_primary()
def school_and_roles(slug: str, user) -> tuple[School | None, frozenset[str]]:
    """The school of `slug` (None if there is none) and the user's active roles in it."""
    keys = school_key(slug), roles_key(user.pk, slug)
    found = cache.get_many(keys)
    school = found.get(keys[0])
    if school is None:
        # With its regulation: every page that writes or shows a deadline asks it.
        school = School.objects.select_related("regulation").filter(slug=slug).first()
        if school is None:
            return None, frozenset()
        cache.set(keys[0], school, LIFETIME)
    roles = found.get(keys[1])
    if roles is None:
        roles = Membership.objects.with_scopes_disabled().roles_of(user.pk, school.pk)
        if not roles and reads_through_organisation(user.pk, school.pk):
            roles = ORGANISATION_READING
        cache.set(keys[1], roles, LIFETIME)
    return school, roles


# What a person of an organisation holds in a member school they have no role of their own
# in: the director's reading of every page, marked as read-only (accounts.organisations).
ORGANISATION_READING = frozenset({"director", ORG_READER})


def reads_through_organisation(user_id: int, school_id: int) -> bool:
    """The user holds a role in an organisation the school belongs to (one query)."""
    return (
        OrganisationMembership.objects.active()
        .filter(user_id=user_id, organisation__schools=school_id)
        .exists()
    )


def org_key(slug: str) -> str:
    return f"tenancy:org:{slug}"


def org_roles_key(user_id: int, slug: str) -> str:
    return f"tenancy:org-roles:{user_id}:{slug}"


def organisation_and_roles(slug: str, user) -> tuple[Organisation | None, frozenset[str]]:
    """The organisation of `slug` (None if there is none) and the user's active roles in it,
    through the cache like a school's."""
    keys = org_key(slug), org_roles_key(user.pk, slug)
    found = cache.get_many(keys)
    organisation = found.get(keys[0])
    if organisation is None:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            return None, frozenset()
        cache.set(keys[0], organisation, LIFETIME)
    roles = found.get(keys[1])
    if roles is None:
        roles = frozenset(
            OrganisationMembership.objects.active()
            .filter(user_id=user.pk, organisation=organisation)
            .values_list("role", flat=True)
        )
        cache.set(keys[1], roles, LIFETIME)
    return organisation, roles


def drop_keys(keys) -> None:
    """Drop cache keys at once and again after the transaction commits, so that a request
    that read the old rows in between cannot keep them past the commit."""
    keys = list(keys)
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def forget_school(school: School) -> None:
    drop_keys([school_key(school.slug)])


def forget_organisation(organisation) -> None:
    drop_keys([org_key(organisation.slug)])


def forget_organisation_roles(user_ids, organisation_id: int, school_ids=None) -> None:
    """Drop the users' roles in the organisation and their reading of its schools (or of
    `school_ids`: schools that have just joined or left it)."""
    user_ids = list(user_ids)
    if not user_ids:
        return
    slug = Organisation.objects.filter(pk=organisation_id).values_list("slug", flat=True).first()
    schools = (
        School.objects.filter(organisations=organisation_id)
        if school_ids is None
        else School.objects.filter(pk__in=school_ids)
    )
    slugs = list(schools.values_list("slug", flat=True))
    keys = [roles_key(user, school) for user in user_ids for school in slugs]
    if slug is not None:
        keys += [org_roles_key(user, slug) for user in user_ids]
    drop_keys(keys)


def forget_roles(user_id: int, school_id: int) -> None:
    slug = School.objects.filter(pk=school_id).values_list("slug", flat=True).first()
    if slug is not None:
        drop_keys([roles_key(user_id, slug)])
