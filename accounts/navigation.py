"""The navigation bar: each app registers its entries, each behind the permission of its page."""

import functools
from dataclasses import dataclass

import rules
from django.conf import settings
from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse

from .words import words_for


@functools.lru_cache(maxsize=8192)
def _reverse(urlconf, prefix, name, kwargs) -> str:
    return reverse(name, urlconf=urlconf, kwargs=dict(kwargs))


def cached_reverse(name: str, **kwargs) -> str:
    """reverse(), remembered. A URL is a function of the URLconf, the script prefix, the name
    and the arguments alone, and reverse() takes some 70 µs a call in our long URLconf; the
    layout of every page asks for a dozen."""
    return _reverse(
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
        name,
        tuple(sorted(kwargs.items())),
    )


def _forget_urls(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()
        _visible_memo.clear()


setting_changed.connect(_forget_urls)


def school_reverse(school, name: str, **kwargs) -> str:
    return cached_reverse(name, school_slug=school.slug, **kwargs)


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: str
    order: int = 100
    exact: bool = False  # the school's start page is «active» only on itself
    word: str = ""  # the label is this word of the school's kind (accounts.words): «Группы»


_entries: list[NavEntry] = []
# Where a role lands after sign-in, when it is not the school's start page: [(roles,
# url_name)], registered by the app that owns the page (the deputy's and director's is the
# control of journal keeping, in reports/), the first match wins.
_homes: list[tuple[frozenset, str]] = []


def register_home(roles, url_name: str) -> None:
    entry = (frozenset(roles), url_name)
    if entry not in _homes:
        _homes.append(entry)


def home_address(school, roles) -> str:
    """The page a user of these roles lands on in the school: an app's page registered for
    one of the roles, else the school's start page. The administrator always starts at the
    school's page (its setup is there)."""
    if "admin" not in roles:
        for wanted, url_name in _homes:
            if wanted & set(roles):
                return school_reverse(school, url_name)
    return school_reverse(school, "accounts:dashboard")


def register(entry: NavEntry) -> None:
    if entry not in _entries:
        _entries.append(entry)
        _entries.sort(key=lambda e: e.order)
        _visible_memo.clear()


def entries_for(request) -> list[dict]:
    school = request.school
    if school is None or not request.user.is_active:
        return []
    path = request.path
    words = words_for(school)
    return [
        {
            "label": words[entry.word] if entry.word else entry.label,
            "url": url,
            "active": path == url or (not entry.exact and path.startswith(url)),
        }
        for entry, url in _visible(request.user, school, request.school_roles)
    ]


_visible_memo: dict = {}


def _visible(user, school, roles) -> list[tuple[NavEntry, str]]:
    """The entries a user sees in a school, with their URLs.

    Every entry's permission, asked of the school, is a rule about the user's roles in it
    (tests/accounts/test_navigation.py holds every entry to that), so the answer is kept per
    set of roles: two dozen rules a page otherwise.
    """
    key = (school.pk, school.slug, roles, user.is_superuser)
    found = _visible_memo.get(key)
    if found is None:
        found = [
            (entry, school_reverse(school, entry.url_name))
            for entry in _entries
            if user.is_superuser or rules.has_perm(entry.permission, user, school)
        ]
        if len(_visible_memo) > 4096:
            _visible_memo.clear()
        _visible_memo[key] = found
    return found


# --- Counts beside the navigation ------------------------------------------------------------

# name → the cache key of a user's count in a school (the badges' template tags read them).
_badge_keys: dict = {}


def register_badge(name: str, key) -> None:
    """`key(school_id, user_id)`: where the count named `name` is kept in the cache."""
    _badge_keys[name] = key


def badge_keys(school_id: int, user_id: int) -> dict[str, str]:
    return {name: key(school_id, user_id) for name, key in _badge_keys.items()}


def prefetch_badges(request, found: dict) -> None:
    """Give the layout's badges what a page read with its own get_many of `badge_keys`
    (its one round trip to the cache instead of one more per badge)."""
    keys = badge_keys(request.school.pk, request.user.pk)
    request.prefetched_badges = {name: found.get(key) for name, key in keys.items()}


def badge_count(request, name: str, read):
    """The count `name` as the page prefetched it (prefetch_badges), else `read()`."""
    kept = getattr(request, "prefetched_badges", None)
    if kept is not None and name in kept:
        return kept[name]
    return read()
