"""A school's archive built by real Celery workers on Redis: every part a task, two workers
taking them in parallel, one part failing once in the storage and retried by Celery, the
last part writing the year's manifest — once.

The workers are subprocesses (`celery -A config worker --pool=solo -Q <unique queue>`) on
pytest-django's test database (the data is committed: transactional_db) and the tests' Redis,
as in tests/reports/test_digest_worker.py; their archive storage is the test's folder.
"""

import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django_scopes import scopes_disabled

from archive.models import ArchiveBuild, ArchiveDocument, ArchivePart
from archive.services.build import do_start_build
from tests.reports.test_digest_worker import forget_queue, test_database_url, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

BASE_DIR = Path(settings.BASE_DIR)


@pytest.fixture
def real_worker(transactional_db, tmp_path, settings):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the worker test needs PostgreSQL")
    if not settings.REDIS_URL:
        pytest.skip("the worker test needs Redis (REDIS_URL)")
    from config.celery import app

    markers = tmp_path / "markers"
    markers.mkdir()
    queue = f"archive-test-{uuid.uuid4().hex[:10]}"
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "ARCHIVE_FAIL_ONCE": "attendance-5А",
        "ARCHIVE_FAIL_MARKER_DIR": str(markers),
        "DJANGO_SETTINGS_MODULE": "tests.archive.worker_settings",
        "PYTHONPATH": str(BASE_DIR),
    }
    previous = app.conf.task_default_queue, app.conf.task_always_eager
    app.conf.task_default_queue, app.conf.task_always_eager = queue, False
    workers = []

    def start():
        log = tmp_path / f"worker-{len(workers)}.log"
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q",
             queue, "-n", f"{queue}-{len(workers)}@%h", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-l", "INFO"],
            cwd=BASE_DIR, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        proc.log = log
        workers.append(proc)
        wait_for(lambda: proc.poll() is not None or b" ready." in log.read_bytes(), 90, "a worker")
        assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
        return proc

    yield type("Workers", (), {"start": staticmethod(start), "markers": markers})

    for proc in workers:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
    app.conf.task_default_queue, app.conf.task_always_eager = previous
    forget_queue(app, queue)


def test_two_workers_build_the_archive_retrying_a_part_that_failed_once(real_worker):
    from tests.reports.hand_school import build

    from .builders import keep_journal

    hand = build()
    keep_journal(hand)
    first, second = real_worker.start(), real_worker.start()
    with scopes_disabled():
        started = do_start_build(hand.year)  # queued on commit (autocommit: at once)

    def finished():
        with scopes_disabled():
            return ArchiveBuild.objects.get(pk=started.pk).finished_at is not None

    wait_for(finished, 240, "the build to finish", interval=0.5)
    with scopes_disabled():
        parts = list(ArchivePart.objects.filter(build=started).select_related("school_class"))
        assert len(parts) == 9  # three classes × (journal, progress ledger, attendance ledger)
        assert {p.state for p in parts} == {ArchivePart.State.DONE}
        flaky = next(p for p in parts if p.school_class == hand.fifth and p.kind == "attendance")
        assert flaky.attempts == 2
        assert {p.attempts for p in parts if p != flaky} == {1}
        built = ArchiveBuild.objects.get(pk=started.pk)
        manifest = json.loads(built.manifest.file.open("rb").read())
        assert len(manifest["documents"]) == 9
        assert ArchiveDocument.objects.filter(kind="manifest").count() == 1
    assert (real_worker.markers / "failed").exists()
    logs = first.log.read_text(errors="replace") + second.log.read_text(errors="replace")
    assert "Retry in 1s" in logs
    # Both workers took parts (they ran in parallel, not one after the other).
    assert first.log.read_text().count("succeeded") and second.log.read_text().count("succeeded")
