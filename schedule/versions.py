"""Versions of what a course's journal shows, for pages that cache what they render.

A page kept under a course's version (`cached_for_course`) is never shown stale: the
version is three random tokens — everything, the school, the course — and whatever changes
a course's records (a mark, an absence, a lesson, its homework, a correction request) drops
the course's token, whatever changes many courses at once (pupils, enrolments, periods, work
types, the school's lock rule) drops the school's. A dropped token is replaced by a new
random one on the next read, so an entry rendered before the change is never found again;
tokens are random rather than counters so that a token lost from Redis cannot come back with
an old value.

A page of many courses of a school (its reports) is kept under the school's records token,
which any course's change drops too (`cached_for_school`).

Single saves and deletes drop tokens through signals (each app's signals.py calls `follow`
for its models); bulk writes, which send no signals, call `courses_changed` themselves.
Like the tenancy cache, a token is dropped at once and again after the transaction commits,
so a page rendered from the old rows in between is filed under a token nobody reads later.
"""

import pickle
import secrets
import zlib

from django.core.cache import cache

from accounts.tenancy import drop_keys

EVERYTHING = "versions:all"
TOKEN_LIFETIME = 7 * 24 * 60 * 60  # an unused token may go; its pages go with it


def school_key(school_id: int) -> str:
    return f"versions:school:{school_id}"


def course_key(course_id: int) -> str:
    return f"versions:course:{course_id}"


def frame_key(course_id: int) -> str:
    """The token of a course's records other than its marks and attendance: its lessons,
    their topics and homework, its pupils... (the journal page's frame, journal.views.grid),
    dropped with the course's token by every change but a mark's or an absence's."""
    return f"versions:frame:{course_id}"


def _keys(school_id: int, course_id: int) -> tuple[str, str, str]:
    return EVERYTHING, school_key(school_id), course_key(course_id)


def cached_for_frame(key: str, school_id: int, course_id: int, found=None) -> tuple[str, object]:
    """The same as `cached_for_course` for what a course's marks and attendance leave as it
    is (kept per version of everything, the school and the course's frame token)."""
    keys = (EVERYTHING, school_key(school_id), frame_key(course_id))
    return _cached(key, keys) if found is None else _from(found, key, keys)


def course_page_keys(school_id: int, course_id: int) -> tuple[str, ...]:
    """Every token a course's page and its frame are kept under: read them with the page's
    own keys in one get_many, and pass what was found to cached_for_course/_frame."""
    return (*_keys(school_id, course_id), frame_key(course_id))


def _version(keys, found) -> str:
    tokens = []
    for key in keys:
        token = found.get(key)
        if token is None:
            token = secrets.token_hex(6)
            if not cache.add(key, token, TOKEN_LIFETIME):
                token = cache.get(key) or token  # another request made one first
        tokens.append(token)
    return ".".join(tokens)


def course_version(school_id: int, course_id: int) -> str:
    """The current version of a course's records."""
    keys = _keys(school_id, course_id)
    return _version(keys, cache.get_many(keys))


def cached_for_course(key: str, school_id: int, course_id: int, found=None) -> tuple[str, object]:
    """(the course's version, what `key` keeps for that version or None), in one round trip
    (none with `found`: what the caller read with one get_many of `course_page_keys` and
    `key`).

    The version is read before whatever the caller then builds and stores with
    `keep_for_course`: a change that lands meanwhile leaves it filed under an old version.
    """
    keys = _keys(school_id, course_id)
    return _cached(key, keys) if found is None else _from(found, key, keys)


def grants_key(user_id: int) -> str:
    return f"versions:grants:{user_id}"


def user_keys(school_id: int, user_id: int) -> tuple[str, str, str]:
    """The tokens what depends on a user's grants in a school is kept under."""
    return EVERYTHING, school_key(school_id), grants_key(user_id)


def cached_for_user(key: str, school_id: int, user_id: int, found=None) -> tuple[str, object]:
    """The same for what depends on a user's object grants in a school (who the diary's
    viewer may read): kept per version of everything, the school and the user's grants,
    which any save or delete of one of their grant rows drops (`user_grants_changed`).
    `found`: what the caller read already with one `get_many` of `user_keys` and `key`
    (and of whatever else it needs: one round trip for all)."""
    keys = user_keys(school_id, user_id)
    if found is None:
        found = cache.get_many((*keys, key))
    return _from(found, key, keys)


def user_grants_changed(user_id: int | None) -> None:
    if user_id is not None:
        drop_keys([grants_key(user_id)])


def records_key(school_id: int) -> str:
    """The token of all the records of a school's courses: dropped with any course's."""
    return f"versions:records:{school_id}"


def cached_for_school(key: str, school_id: int) -> tuple[str, object]:
    """The same for a page showing many courses of a school at once (its reports): kept per
    version of everything, the school and the school's course records (three tokens)."""
    return _cached(key, (EVERYTHING, school_key(school_id), records_key(school_id)))


def _cached(key: str, keys) -> tuple[str, object]:
    return _from(cache.get_many((*keys, key)), key, keys)


def _from(found: dict, key: str, keys) -> tuple[str, object]:
    version = _version(keys, found)
    kept = found.get(key)
    if kept is not None and kept[0] == version:
        if len(kept) == 3:  # kept as it is (keep_for_course(..., compress=False))
            return version, kept[2]
        return version, pickle.loads(zlib.decompress(kept[1]))
    return version, None


def pupil_page_keys(school_id: int) -> tuple[str, str]:
    """The tokens a pupil's page reads with its own key before it knows its courses."""
    return EVERYTHING, school_key(school_id)


def cached_for_pupil(key: str, school_id: int, found: dict, course_ids) -> tuple[tuple, object]:
    """A page about one pupil kept under the versions of everything, the school and the
    courses of the pupil's classes (the diary), with those courses found without a query.

    Which courses a pupil's classes have changes only with the school's token (enrolments
    drop it, and so does any course made, moved or removed: schedule/signals.py), so the
    entry keeps the course ids it was built for: while everything's and the school's tokens
    are those it was filed under, its ids are still the pupil's, and one more round trip
    reads their tokens. Otherwise `course_ids()` (a query) finds them anew.

    `found` holds what the caller read with one `get_many` of `pupil_page_keys` and `key`.
    Returns (the stamp to keep a newly built value with, in `keep_for_pupil`; the value or
    None)."""
    base_keys = pupil_page_keys(school_id)
    base = _version(base_keys, found)
    kept = found.get(key)
    if kept is not None and kept[0] == base:
        ids = kept[1]
    else:
        kept, ids = None, sorted(set(course_ids()))
    keys = [course_key(pk) for pk in ids]
    version = _version(keys, cache.get_many(keys) if keys else {})
    stamp = (base, ids, version)
    if kept is not None and kept[2] == version:
        return stamp, pickle.loads(zlib.decompress(kept[3]))
    return stamp, None


def keep_for_pupil(key: str, stamp: tuple, value, timeout: int) -> None:
    cache.set(key, (*stamp, zlib.compress(pickle.dumps(value), 1)), timeout)


def keep_for_course(key: str, version: str, value, timeout: int, *, compress=True) -> None:
    """Keep `value` for the version read before it was built. One entry per key: a newer
    version overwrites it. Compressed, because pages are large and alike (a journal page of
    100 kB keeps in about 10 kB). `compress=False` for what is stored on the first view
    after nearly every change and read back a few times (the journal page: compressing its
    175 kB cost a millisecond of a view that has about twenty)."""
    if compress:
        cache.set(key, (version, zlib.compress(pickle.dumps(value), 1)), timeout)
    else:
        cache.set(key, (version, None, value), timeout)


def courses_changed(course_ids, *, school_id: int | None = None, marks_only: bool = False) -> None:
    """The records of these courses changed (of `school_id`'s, looked up when not given).
    `marks_only`: only marks or attendance (single saves: the journal page's frame stays)."""
    ids = {pk for pk in set(course_ids) if pk is not None}
    if not ids:
        return
    if school_id is not None:
        schools = {school_id}
    else:
        from .models import Course

        schools = set(
            Course.objects.with_scopes_disabled()
            .filter(pk__in=ids)
            .values_list("school_id", flat=True)
        )
    frames = [] if marks_only else [frame_key(pk) for pk in ids]
    drop_keys([*(course_key(pk) for pk in ids), *frames, *(records_key(s) for s in schools)])


def school_changed(school_id: int | None) -> None:
    if school_id is not None:
        drop_keys([school_key(school_id)])


def everything_changed() -> None:
    """For writes that reach every school (a person's name, a freshly seeded database)."""
    drop_keys([EVERYTHING])


# --- Following models ---------------------------------------------------------------------------


def _course_of_lesson(row) -> int | None:
    """The course of a row hanging from a lesson; free when the lesson came with the row."""
    if type(row).lesson.is_cached(row):
        return row.lesson.course_id
    from .models import Lesson

    return (
        Lesson.objects.with_scopes_disabled()
        .filter(pk=row.lesson_id)
        .values_list("course_id", flat=True)
        .first()
    )


def _school_of(row) -> int | None:
    return row.pk if row._meta.label == "accounts.School" else row.school_id


def _course_of(row) -> int | None:
    return row.pk if row._meta.label == "schedule.Course" else row.course_id


SCOPES = {
    "lesson": lambda row: courses_changed([_course_of_lesson(row)], school_id=row.school_id),
    # A mark or an absence of a lesson: the course's frame (its lessons, pupils...) stays.
    "mark": lambda row: courses_changed(
        [_course_of_lesson(row)], school_id=row.school_id, marks_only=True
    ),
    "course": lambda row: courses_changed([_course_of(row)], school_id=row.school_id),
    "school": lambda row: school_changed(_school_of(row)),
    "everything": lambda row: everything_changed(),
}


def follow(model, scope: str, *, except_fields=frozenset()) -> None:
    """Drop the versions a row of `model` belongs to whenever one is saved or deleted.

    scope: "lesson" (the row has a lesson), "mark" (a mark or an absence of a lesson: the
    journal page's frame stays, `frame_key`), "course" (a course, or a row with one),
    "school" (a school, or a row of one) or "everything". A save that names only
    `except_fields` in update_fields (a sign-in's last_login) changes nothing shown.
    """
    from django.db.models.signals import post_delete, post_save

    drop = SCOPES[scope]

    def saved(sender, instance, raw=False, update_fields=None, **kwargs):
        if raw or (update_fields and set(update_fields) <= except_fields):
            return
        drop(instance)

    def deleted(sender, instance, **kwargs):
        drop(instance)

    uid = f"versions:{model._meta.label}"
    post_save.connect(saved, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=uid)
