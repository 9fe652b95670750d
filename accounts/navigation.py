"""The navigation bar: each app registers its entries, each behind the permission of its page."""

from dataclasses import dataclass

from django.urls import reverse


def school_reverse(school, name: str, **kwargs) -> str:
    return reverse(name, kwargs={"school_slug": school.slug, **kwargs})


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: str
    order: int = 100
    exact: bool = False  # the school's start page is «active» only on itself


_entries: list[NavEntry] = []


def register(entry: NavEntry) -> None:
    if entry not in _entries:
        _entries.append(entry)
        _entries.sort(key=lambda e: e.order)


def entries_for(request) -> list[dict]:
    school = request.school
    if school is None:
        return []
    user = request.user
    items = []
    for entry in _entries:
        if user.has_perm(entry.permission, school):
            url = school_reverse(school, entry.url_name)
            items.append(
                {
                    "label": entry.label,
                    "url": url,
                    "active": request.path == url
                    or (not entry.exact and request.path.startswith(url)),
                }
            )
    return items
