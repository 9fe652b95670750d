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

from .models import Membership, School

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
        cache.set(keys[1], roles, LIFETIME)
    return school, roles


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


def forget_roles(user_id: int, school_id: int) -> None:
    slug = School.objects.filter(pk=school_id).values_list("slug", flat=True).first()
    if slug is not None:
        drop_keys([roles_key(user_id, slug)])
