"""Reads that tolerate a second of lag from a PostgreSQL streaming replica (DATABASE_REPLICA_URL).

Only what a view declares goes there: a view class with `replica_ok = True` (the diary, the
reports) or a function view decorated with `@replica_ok`. Of such a view only a GET or HEAD
reads the replica, and even then the primary serves
- every write (the replica is read-only: a write there would fail),
- every read inside a transaction (`atomic`, `select_for_update`: the rows it locks or is
  about to change are the primary's),
- every read after the request's first write of data (it reads back what it wrote),
- every read inside `from_primary()`: what is kept in the cache under the current version of
  the records (schedule.versions) must be the primary's, or a page built from a replica a
  second behind would be kept stale until the next change,
- the sessions (a session written a moment ago by another process must be found),
- every read of a browser that wrote in the last READ_YOUR_WRITES_SECONDS: a request that
  changed data sets a signed cookie, and while it lives the user reads what they wrote,
  however far behind the replica is,
- every read while the replica cannot be reached (tried again after REPLICA_RETRY_SECONDS).
Writes that are the site's bookkeeping rather than the user's data (the session, records of
access, diary visits, login history: DATABASE_REPLICA_UNTRACKED) count as neither: nothing
reads them back, and every first view of a diary would send its viewer's next pages to the
primary.

Without DATABASE_REPLICA_URL neither the router nor the middleware is installed.
"""

import contextlib
import contextvars
import functools
import logging
import re
import time
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
COOKIE = "zhurnal_wrote"
SALT = "lib.replica.wrote"
# Tables whose every read is the primary's (a session just written elsewhere must be found).
PRIMARY_ONLY_APPS = frozenset({"sessions"})
# A statement that writes, and its table; a write may come inside a WITH whose result feeds
# another (lib.history.save_with_history: a row and its history in one statement).
WRITE = re.compile(
    r'\s*(?:WITH\s+"?\w+"?\s+AS\s+\(\s*)?(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)',
    re.IGNORECASE,
)


@dataclass
class RequestReads:
    replica: bool = False  # the view may read the replica
    wrote: bool = False  # a statement changing the user's data ran on the primary
    pinned: int = 0  # depth of from_primary()


_current: contextvars.ContextVar[RequestReads | None] = contextvars.ContextVar(
    "replica_reads", default=None
)
_replica_down_until = 0.0


def replica_ok(view):
    """Declare a function view's GETs content with a replica's second of lag."""
    view.replica_ok = True
    return view


def declared(view_func) -> bool:
    view_class = getattr(view_func, "view_class", None)
    return bool(getattr(view_func, "replica_ok", False) or getattr(view_class, "replica_ok", False))


@contextlib.contextmanager
def from_primary():
    """Read the primary inside, whatever the view declares (what the cache keeps)."""
    state = _current.get()
    if state is None:
        yield
        return
    state.pinned += 1
    try:
        yield
    finally:
        state.pinned -= 1


def _replica_usable() -> bool:
    """Connected, or connectable; when it is not, the primary serves for a while."""
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    replica = connections[REPLICA]
    try:
        replica.close_if_health_check_failed()
        replica.ensure_connection()
    except DatabaseError:
        _replica_down_until = time.monotonic() + settings.REPLICA_RETRY_SECONDS
        logger.warning("the replica cannot be reached: reading the primary")
        return False
    return True


def wants_replica(model) -> bool:
    """Whether a read of `model` made now may go to the replica (if it can be reached)."""
    state = _current.get()
    if state is None or not state.replica or state.wrote or state.pinned:
        return False
    if model._meta.app_label in PRIMARY_ONLY_APPS:
        return False
    return not connections[PRIMARY].in_atomic_block


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if wants_replica(model) and _replica_usable() else PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two servers: a row read from either is the same row

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


@functools.cache
def _untracked_tables() -> frozenset[str]:
    return frozenset(
        apps.get_model(label)._meta.db_table for label in settings.DATABASE_REPLICA_UNTRACKED
    )


@contextlib.contextmanager
def request_reads():
    """One request's reads and writes: the state the router asks, with the primary's
    statements watched for writes of data (a session or an access record is not data)."""
    state = RequestReads()
    untracked = _untracked_tables()

    def watch(execute, sql, params, many, context):
        found = WRITE.match(sql) if isinstance(sql, str) else None
        if found and found.group(1) not in untracked:
            state.wrote = True
        return execute(sql, params, many, context)

    token = _current.set(state)
    try:
        with connections[PRIMARY].execute_wrapper(watch):
            yield state
    finally:
        _current.reset(token)


class ReplicaMiddleware:
    """Decides per request whether the view's reads may go to the replica, watches the
    primary for writes, and keeps the browser of a user who wrote on the primary a while."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.window = settings.READ_YOUR_WRITES_SECONDS

    def __call__(self, request):
        with request_reads() as state:
            response = self.get_response(request)
        if state.wrote and self.window > 0:
            response.set_signed_cookie(
                COOKIE,
                "1",
                salt=SALT,
                max_age=self.window,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = _current.get()
        if (
            state is not None
            and request.method in ("GET", "HEAD")
            and declared(view_func)
            and not self._wrote_lately(request)
        ):
            state.replica = True
        return None

    def _wrote_lately(self, request) -> bool:
        if COOKIE not in request.COOKIES:
            return False
        return request.get_signed_cookie(COOKIE, None, salt=SALT, max_age=self.window) is not None
