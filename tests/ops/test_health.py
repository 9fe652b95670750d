"""/healthz and /readyz: answered before every other middleware (no sign-in, no HTTPS
redirect, any Host), short JSON without personal data, 503 naming what is not ready."""

import json
import time
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client

from ops import health, heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def alive():
    heartbeat.worker_seen("worker@test")
    heartbeat.beat_seen()


def test_healthz_answers_without_a_session_a_redirect_or_a_known_host(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["journal.example.org"]
    response = Client(HTTP_HOST="10.0.0.5:8000").get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_ok_when_everything_is_up(client, alive):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "redis": "ok",
            "migrations": "ok",
            "worker": "ok",
            "beat": "ok",
            "disk": "ok",
        },
    }


def test_readyz_names_a_silent_worker_and_beat(client, settings):
    heartbeat.worker_seen("worker@test", at=time.time() - settings.READYZ_WORKER_MAX_AGE - 5)
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert (checks["worker"], checks["beat"], checks["database"]) == ("fail", "fail", "ok")


def test_readyz_sees_a_migration_not_applied(client, alive, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    with connection.cursor() as cursor:  # rolled back with the test
        cursor.execute("DELETE FROM django_migrations WHERE app = 'ops'")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "fail"


def test_readyz_sees_a_full_disk(client, alive, settings):
    settings.READYZ_MIN_FREE_MB = 10**9  # a petabyte
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["disk"] == "fail"


def test_readyz_says_nothing_but_names_and_states(client, alive, world):
    body = client.get("/readyz").content.decode()
    assert set(json.loads(body)) == {"status", "checks"}
    assert set(json.loads(body)["checks"].values()) <= {"ok", "fail", "off"}
    for user in world.users.values():
        if user is not None:
            assert user.last_name not in body and user.username not in body


def test_beat_writes_the_time_of_each_tick(tmp_path, monkeypatch):
    from config.celery import app

    monkeypatch.setitem(app.conf, "beat_schedule", {})
    scheduler = heartbeat.Scheduler(app, schedule_filename=str(tmp_path / "beat"))
    try:
        assert heartbeat.last_beat_tick() is None
        scheduler.tick()
        assert time.time() - heartbeat.last_beat_tick() < 5
    finally:
        scheduler.close()


@pytest.mark.django_db(transaction=True)
def test_a_ready_worker_writes_its_heartbeat_until_it_stops():
    assert heartbeat.last_worker_heartbeat() is None
    heartbeat.start_heartbeat(sender=SimpleNamespace(hostname="worker@test"))
    try:
        deadline = time.monotonic() + 10
        while heartbeat.last_worker_heartbeat() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert time.time() - heartbeat.last_worker_heartbeat() < 5
    finally:
        thread = heartbeat._running[-1]
        heartbeat.stop_heartbeat()
        thread.join(timeout=10)
    assert not thread.is_alive()


@pytest.mark.django_db(transaction=True)
def test_the_docker_probe_reads_the_endpoints(live_server):
    from ops.probe import probe

    assert probe(live_server.url + "/healthz", []) == 0
    assert probe(live_server.url + "/readyz", ["database", "disk"]) == 0
    assert probe(live_server.url + "/readyz", ["worker"]) == 1  # no heartbeat yet
    heartbeat.worker_seen("worker@test")
    assert probe(live_server.url + "/readyz", ["worker"]) == 0
    assert probe(live_server.url + "/readyz", []) == 1  # beat is silent: 503
    assert probe("http://127.0.0.1:9/healthz", []) == 1  # nobody there
