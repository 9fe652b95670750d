"""Structured logs: one JSON line per request (time, level, request id, user id, school, path,
status, duration), the request's fields on every record logged meanwhile, a warning for a
slow request; Sentry only when SENTRY_DSN is set."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings

from accounts.navigation import school_reverse
from lib.json_log import formatter
from lib.request_log import RequestContextFilter
from tests.factories import Role, make_member, make_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines():
    """JSON lines written by the request loggers and django.request, as the console has them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter())
    handler.addFilter(RequestContextFilter())
    names = ["zhurnal.request", "zhurnal.slow", "django.request"]
    for name in names:
        logging.getLogger(name).addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for name in names:
        logging.getLogger(name).removeHandler(handler)


def test_each_request_is_one_json_line_with_who_where_and_how_long(client, lines):
    school = make_school()
    admin = make_member(school, Role.ADMIN)
    client.force_login(admin)
    url = school_reverse(school, "accounts:pupils")
    response = client.get(url + "?q=Иванов", HTTP_X_REQUEST_ID="proxy-given-id-123")
    assert response.headers["X-Request-ID"] == "proxy-given-id-123"
    [line] = [line for line in lines() if line["logger"] == "zhurnal.request"]
    assert line["level"] == "INFO"
    assert line["time"].endswith("+00:00")
    assert line["request_id"] == "proxy-given-id-123"
    assert line["user_id"] == admin.pk
    assert line["school"] == school.slug
    assert (line["method"], line["path"], line["status"]) == ("GET", url, 200)
    assert isinstance(line["duration_ms"], float)
    assert "Иванов" not in json.dumps(line, ensure_ascii=False)  # no query strings: names


def test_records_logged_during_a_request_carry_its_fields(lines, rf):
    from django.http import HttpResponse

    from lib.request_log import RequestLogMiddleware

    def view(request):
        logging.getLogger("django.request").warning("something happened inside")
        return HttpResponse("ok")

    request = rf.get("/some/page/", HTTP_X_REQUEST_ID="bad id with spaces")
    response = RequestLogMiddleware(view)(request)
    request_id = response.headers["X-Request-ID"]
    assert request_id != "bad id with spaces" and len(request_id) == 32  # made anew
    [inside] = [line for line in lines() if line["logger"] == "django.request"]
    assert inside["message"] == "something happened inside"
    assert (inside["request_id"], inside["path"]) == (request_id, "/some/page/")
    logging.getLogger("django.request").warning("after the request")
    assert "request_id" not in lines()[-1]


def test_a_slow_request_is_warned_about(client, lines, settings):
    settings.SLOW_REQUEST_MS = 0
    client.get("/auth/login/")
    [slow] = [line for line in lines() if line["logger"] == "zhurnal.slow"]
    assert slow["level"] == "WARNING"
    assert slow["path"] == "/auth/login/" and slow["status"] == 200
    assert slow["user_id"] is None


def test_a_request_under_the_threshold_is_not(client, lines, settings):
    settings.SLOW_REQUEST_MS = 60_000
    client.get("/auth/login/")
    assert not [line for line in lines() if line["logger"] == "zhurnal.slow"]


def sentry_initialised(**env) -> str:
    code = "import django; django.setup(); import sentry_sdk; print(sentry_sdk.is_initialized())"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_sentry_is_initialised_only_when_a_dsn_is_set():
    assert sentry_initialised(SENTRY_DSN="") == "False"
    # A DSN on the discard port of this machine: initialised, and nothing is sent anywhere.
    assert sentry_initialised(SENTRY_DSN="http://public@127.0.0.1:9/1") == "True"
