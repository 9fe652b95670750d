"""A Redis cache that a Redis outage turns into cache misses instead of errors.

Django's Redis backend raises when Redis does not answer. Every page reads the cache before
anything else (the school and the roles, the session, the journal's versions), so an outage
would make every page answer 500, and a session store with the cache in front of the
database would sign everybody out. With this backend a read that Redis cannot answer is a
miss (the callers then read the database and recompute), and a write that Redis cannot
take is skipped.

Three things make that safe rather than merely quiet:

- After a failure Redis is left alone for a few seconds (RETRY_AFTER), so that a page does
  not wait for a dead server once per cache call; an outage is logged once when it starts
  and once when it ends, not per call.
- A key whose write or delete failed may hold a value that is no longer true (a session
  ended, a journal version that should have been dropped) if Redis comes back with its data.
  Such keys are remembered in the process and deleted first thing once Redis answers again.
- A counter cannot be a miss: an `incr` that reads as «no such key» restarts a limit at zero
  and lets everything through. `incr` and `decr` raise CacheUnavailable instead, and the
  caller decides (the access-code limit refuses to count, so it refuses the code).
"""

import contextlib
import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGE = (RedisConnectionError, RedisTimeoutError)
RETRY_AFTER = 2.0  # seconds without trying Redis after it failed
MAX_PENDING = 10_000  # keys remembered for deletion; past that, the rest expire by themselves


class CacheUnavailable(Exception):
    """Redis did not answer an operation that has no safe «miss» (a counter)."""


class _Outage:
    """The state of one Redis location in this process, shared by its threads."""

    def __init__(self, location: str):
        self.location = location
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.down_since = None
        self.pending: set[str] = set()
        self.overflowed = False

    def is_down(self) -> bool:
        return time.monotonic() < self.down_until

    def failed(self, error, keys=()) -> None:
        with self.lock:
            self._remember(keys)
            self.down_until = time.monotonic() + RETRY_AFTER
            if self.down_since is None:
                self.down_since = time.monotonic()
                logger.error(
                    "Redis %s is not answering (%s): the cache is skipped, pages read the database",
                    self.location,
                    error,
                )

    def remember(self, keys) -> None:
        with self.lock:
            self._remember(keys)

    def _remember(self, keys) -> None:
        for key in keys:
            if len(self.pending) >= MAX_PENDING:
                if not self.overflowed:
                    self.overflowed = True
                    logger.error(
                        "Redis %s: more than %s keys could not be written during the outage; "
                        "the rest keep their old values until they expire",
                        self.location,
                        MAX_PENDING,
                    )
                return
            self.pending.add(key)

    def take_pending(self) -> list[str]:
        with self.lock:
            keys, self.pending, self.overflowed = list(self.pending), set(), False
            return keys

    def recovered(self, replayed: int) -> None:
        with self.lock:
            if self.down_since is not None:
                logger.warning(
                    "Redis %s answers again after %.1f s; %s stale keys deleted",
                    self.location,
                    time.monotonic() - self.down_since,
                    replayed,
                )
            self.down_since = None


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def outage_of(location: str) -> _Outage:
    with _outages_lock:
        if location not in _outages:
            _outages[location] = _Outage(location)
        return _outages[location]


class _Unavailable(Exception):
    pass


class FallbackRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._outage = outage_of(",".join(servers))
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        """One redis client per connection pool, kept: Django's makes a new one for every
        call (its response callbacks built anew each time: some 15 µs a call, a dozen calls
        a page). A client is safe to share between threads; its pool is the shared part."""
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(index)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client

    def _call(self, operation, keys, *args):
        """Run one operation of Django's client; _Unavailable when Redis did not answer."""
        outage = self._outage
        if outage.is_down():
            outage.remember(keys if operation in _WRITES else ())
            raise _Unavailable
        try:
            if outage.pending or outage.down_since is not None:
                self._replay()
            return getattr(super(), operation)(*args)
        except OUTAGE as error:
            outage.failed(error, keys if operation in _WRITES else ())
            raise _Unavailable from error

    def _replay(self) -> None:
        keys = self._outage.take_pending()
        try:
            client = self.get_client(None, write=True)
            for start in range(0, len(keys), 500):
                client.delete(*keys[start : start + 500])
        except OUTAGE:
            self._outage.remember(keys)
            raise
        self._outage.recovered(len(keys))

    def get(self, key, default):
        try:
            return self._call("get", (key,), key, default)
        except _Unavailable:
            return default

    def get_many(self, keys):
        try:
            return self._call("get_many", (), keys)
        except _Unavailable:
            return {}

    def has_key(self, key):
        try:
            return self._call("has_key", (), key)
        except _Unavailable:
            return False

    def set(self, key, value, timeout):
        with contextlib.suppress(_Unavailable):
            self._call("set", (key,), key, value, timeout)

    def set_many(self, data, timeout):
        with contextlib.suppress(_Unavailable):
            self._call("set_many", list(data), data, timeout)

    def add(self, key, value, timeout):
        # Not stored, so not added: a caller using add() as a lock must not take it twice.
        try:
            return self._call("add", (key,), key, value, timeout)
        except _Unavailable:
            return False

    def touch(self, key, timeout):
        try:
            return self._call("touch", (key,), key, timeout)
        except _Unavailable:
            return False

    def delete(self, key):
        try:
            return self._call("delete", (key,), key)
        except _Unavailable:
            return False

    def delete_many(self, keys):
        with contextlib.suppress(_Unavailable):
            self._call("delete_many", list(keys), keys)

    def incr(self, key, delta):
        try:
            return self._call("incr", (key,), key, delta)
        except _Unavailable:
            raise CacheUnavailable(key) from None

    def clear(self):
        try:
            return self._call("clear", ())
        except _Unavailable:
            return False


_WRITES = {"set", "set_many", "add", "touch", "delete", "delete_many", "incr"}


class FallbackRedisCache(RedisCache):
    """settings.CACHES backend: "lib.fallback_cache.FallbackRedisCache"."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FallbackRedisCacheClient
