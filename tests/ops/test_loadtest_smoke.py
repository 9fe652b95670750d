"""`make loadtest` in miniature: the harness generates its school, starts gunicorn, runs
locust for a few seconds and prints every figure line, with no failed request. (The real
run is `make loadtest`; its figures are not asserted here: tests never assert wall-clock.)"""

import os
import re
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

from bench.load.__main__ import MIX

from .services import database_url

pytestmark = pytest.mark.django_db(transaction=True)
LINE = re.compile(r"^(\w+) (-?[\d.]+) ([\w/%]+)$")


def test_the_load_test_prints_its_figures_from_a_short_bounded_run():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the load test runs on PostgreSQL")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.load",
            "--seconds",
            "5",
            "--floor-seconds",
            "6",
            "--users",
            "2",
            "--workers",
            "1",
            "--pupils",
            "3",
            "--no-collectstatic",
        ],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "CACHE_KEY_PREFIX": f"smoke-{uuid.uuid4().hex[:8]}",
            "DEBUG": "0",
            "SECRET_KEY": "smoke",
            "SECURE_COOKIES": "0",
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_MANIFEST": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_REQUESTS": "0",
        },
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = {}
    for line in done.stdout.splitlines():
        match = LINE.match(line)
        assert match, line
        figures[match[1]] = float(match[2])
    for kind in ["trivial", "diary_week_alone", "diary_marks_alone", "cell_save_alone", *MIX]:
        assert f"loadtest_{kind}_rps" in figures and f"loadtest_{kind}_p95_ms" in figures
        assert figures[f"loadtest_{kind}_errors"] == 0, kind
    # A few seconds, each user first signing in three times with the real password hasher:
    # on a busy machine any one kind may not come up; the floor and the mix as a whole do.
    assert figures["loadtest_trivial_rps"] > 0
    assert sum(figures[f"loadtest_{kind}_rps"] for kind in MIX) > 0
    assert figures["loadtest_diary_week_alone_rps"] + figures["loadtest_diary_marks_alone_rps"] > 0
    assert "loadtest_diary_week_alone_vs_trivial" in figures
    # Each teacher types into their own cells: every save is answered 200 (no conflict).
    assert figures["loadtest_cell_save_alone_rps"] > 0
    assert "loadtest_cell_save_alone_vs_trivial" in figures
    assert figures["loadtest_gunicorn_workers"] == 1
