"""Each teacher's count of open shortfalls, for the navigation: kept in the cache only.

The check sets every teacher's count of a school at once (one query) when it ends, and
«Сегодня» sets its user's when it lists them; a page's badge reads the cache and costs no
query (unknown — the cache down or emptied — shows nothing, like the messages' badge)."""

from django.core.cache import cache
from django.db.models import Count
from django_scopes import scopes_disabled

from ..models import Shortfall

TIMEOUT = 2 * 24 * 60 * 60  # two days: the next evening's check sets it anew


def key(school_id: int, user_id: int) -> str:
    return f"shortfalls:{school_id}:{user_id}"


def cached_count(school_id: int, user_id: int) -> int | None:
    return cache.get(key(school_id, user_id))


def set_count(school_id: int, user_id: int, count: int) -> None:
    cache.set(key(school_id, user_id), count, TIMEOUT)


def publish(school_id: int) -> None:
    """Set the count of every teacher who has or had a shortfall in the school (one query)."""
    with scopes_disabled():
        rows = (
            Shortfall.objects.filter(school_id=school_id, teacher__isnull=False)
            .values("teacher_id")
            .annotate(n=Count("id", filter=Shortfall.open_filter()))
            .order_by()
            .values_list("teacher_id", "n")
        )
        counts = {key(school_id, teacher): n for teacher, n in rows}
    if counts:
        cache.set_many(counts, TIMEOUT)
