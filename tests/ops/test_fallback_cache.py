"""The cache backend when Redis does not answer (lib/fallback_cache.py), against real Redis
servers of the test's own: one never started (connections refused), one frozen (SIGSTOP:
connections hang, the data stays, as in a network blip)."""

import time

import pytest
import redis as redis_lib
from django.test import Client

from accounts.models import AccessCode, Role
from lib import fallback_cache
from lib.fallback_cache import CacheUnavailable, FallbackRedisCache
from tests.factories import make_member, make_pupil, make_school

from .services import free_port, redis_server


def cache_at(url, **options):
    return FallbackRedisCache(
        url,
        {
            "KEY_PREFIX": "t",
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3, **options},
        },
    )


@pytest.fixture(autouse=True)
def quick_retry(monkeypatch):
    monkeypatch.setattr(fallback_cache, "RETRY_AFTER", 0.5)


def test_a_redis_that_does_not_answer_is_a_miss_and_writes_are_skipped(caplog):
    cache = cache_at(f"redis://127.0.0.1:{free_port()}/0")
    assert cache.get("a") is None
    assert cache.get("a", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    cache.set("a", 1)
    cache.set_many({"a": 1, "b": 2})
    assert cache.add("a", 1) is False  # not stored, so not added: never a lock taken twice
    assert cache.delete("a") is False
    cache.delete_many(["a", "b"])
    assert cache.has_key("a") is False
    # Logged once when the outage starts, not once per call.
    assert sum("is not answering" in r.getMessage() for r in caplog.records) == 1


def test_a_counter_without_redis_raises_instead_of_starting_again_at_zero():
    cache = cache_at(f"redis://127.0.0.1:{free_port()}/0")
    with pytest.raises(CacheUnavailable):
        cache.incr("attempts")
    with pytest.raises(CacheUnavailable):
        cache.decr("attempts")


def test_after_a_failure_redis_is_left_alone_for_a_moment(tmp_path):
    with redis_server(tmp_path) as server:
        cache = cache_at(server.url)
        cache.set("a", 1)
        server.pause()
        started = time.monotonic()
        assert cache.get("a") is None  # waits for the socket timeout once
        for _ in range(50):
            assert cache.get("a") is None  # then answers at once
        assert time.monotonic() - started < 1.5
        server.resume()
        time.sleep(0.6)
        assert cache.get("a") == 1


def test_keys_written_during_an_outage_are_deleted_when_redis_answers_again(tmp_path):
    """A frozen Redis keeps its data: a session ended or a version dropped meanwhile would
    come back with its old value. The keys whose writes failed are deleted first thing."""
    with redis_server(tmp_path) as server:
        cache = cache_at(server.url)
        cache.set("session", "signed in")
        cache.set("version", "v1")
        cache.set("untouched", "kept")
        server.pause()
        assert cache.get("anything") is None  # the outage is noticed: Redis is left alone
        cache.delete("session")  # signed out during the outage
        cache.set("version", "v2")  # dropped during the outage
        server.resume()
        raw = redis_lib.Redis.from_url(server.url)
        assert raw.get(cache.make_key("session")) is not None  # still the old value there
        time.sleep(0.6)
        assert cache.get("untouched") == "kept"  # the first call after: stale keys go first
        assert cache.get("session") is None
        assert cache.get("version") is None
        assert raw.get(cache.make_key("session")) is None


@pytest.mark.django_db
def test_the_code_limit_refuses_codes_while_redis_is_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "lib.fallback_cache.FallbackRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        }
    }
    school = make_school()
    admin = make_member(school, Role.ADMIN)
    pupil = make_pupil(school)
    from django_scopes import scopes_disabled

    with scopes_disabled():
        code, raw = AccessCode.issue(school=school, role=Role.PARENT, created_by=admin, pupil=pupil)
    response = Client().post("/code/", {"code": raw})
    # Fails closed: a limit that cannot count lets nothing through, even a valid code.
    assert response.status_code == 503
    assert "Проверка кодов сейчас недоступна" in response.content.decode()
    assert "redeem_code_id" not in Client().session
