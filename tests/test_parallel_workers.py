import os

from django.conf import settings

from tests.parallel_workers import worker_redis_url


def test_each_worker_gets_the_next_redis_database():
    assert worker_redis_url("redis://127.0.0.1:6379/3", "gw0") == "redis://127.0.0.1:6379/3"
    assert worker_redis_url("redis://127.0.0.1:6379/3", "gw2") == "redis://127.0.0.1:6379/5"


def test_the_numbers_wrap_round_redis_sixteen_databases():
    assert worker_redis_url("redis://127.0.0.1:6379/15", "gw1") == "redis://127.0.0.1:6379/0"


def test_a_url_without_a_database_starts_from_database_zero():
    assert worker_redis_url("redis://127.0.0.1:6379", "gw1") == "redis://127.0.0.1:6379/1"
    assert worker_redis_url("redis://127.0.0.1:6379/", "gw1") == "redis://127.0.0.1:6379/1"


def test_the_cache_and_the_broker_use_this_workers_database(worker_id):
    # worker_id is xdist's fixture: "master" when the suite runs in one process.
    if worker_id == "master" or not settings.REDIS_URL:
        expected = settings.REDIS_URL
    else:
        expected = worker_redis_url(os.environ["SUITE_REDIS_URL"], worker_id)
    assert expected == settings.REDIS_URL
    assert settings.CACHES["default"].get("LOCATION") == (expected or None)
    assert (expected or "memory://") == settings.CELERY_BROKER_URL
