"""The weekly digest through a real Celery worker on Redis: exactly one e-mail per parent,
when tasks are retried and duplicated, and when the worker is killed (SIGKILL) in the middle
of a run and another one takes over.

The worker is a subprocess (`celery -A config worker --pool=solo -Q <unique queue>`) with the
tests' environment, pointed at pytest-django's test database (the data is committed:
transactional_db) and at the tests' Redis (REDIS_URL, which scripts/test takes from
TEST_REDIS_URL: each engineer's own database number; the queue name is unique per test too).
It runs tests.reports.worker_settings (a retry waits one second) and writes e-mails as files
(tests.reports.mail_backends.SlowFileBackend), slowly enough to be killed while one parent's
digest is locked and being sent; the backend marks which address it is sending to, so the
kill is aimed at a digest in flight, and fails once for a «flaky» address, so a real
Celery retry happens. Every wait is bounded; the fixture stops the workers it started.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from email import message_from_bytes
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.conf import settings
from django_scopes import scopes_disabled

from reports import tasks
from reports.models import DigestDelivery
from tests.factories import make_parent, make_pupil, set_rules

from .builders import build_family, fill_week

pytestmark = pytest.mark.django_db(transaction=True)

BASE_DIR = Path(settings.BASE_DIR)
START_TIMEOUT = 90
RUN_TIMEOUT = 120
PARENTS = 8
MAIL_DELAY = "0.4"


def test_database_url() -> str:
    db = settings.DATABASES["default"]
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{auth + '@' if auth else ''}{host}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


def wait_for(condition, timeout, what, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture
def real_worker(transactional_db, tmp_path):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the worker test needs PostgreSQL")
    if not settings.REDIS_URL:
        pytest.skip("the worker test needs Redis (REDIS_URL)")
    from config.celery import app

    maildir = tmp_path / "mail"
    maildir.mkdir()
    sending = tmp_path / "sending"
    sending.mkdir()
    queue = f"digest-test-{uuid.uuid4().hex[:10]}"
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": settings.REDIS_URL,  # the broker this process publishes to
        "EMAIL_BACKEND": "tests.reports.mail_backends.SlowFileBackend",
        "DIGEST_MAIL_DIR": str(maildir),
        "DIGEST_SENDING_DIR": str(sending),
        "DIGEST_MAIL_DELAY": MAIL_DELAY,
        "DJANGO_SETTINGS_MODULE": "tests.reports.worker_settings",
        "TEST_CELERY_QUEUE": queue,
        "PYTHONPATH": str(BASE_DIR),
    }
    previous_queue, previous_eager = app.conf.task_default_queue, app.conf.task_always_eager
    app.conf.task_default_queue = queue  # this process publishes where the worker listens
    app.conf.task_always_eager = False
    workers = []

    def start():
        log = tmp_path / f"worker-{len(workers)}.log"
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "-Q",
                queue,
                "-n",
                f"{queue}-{len(workers)}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "INFO",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        workers.append(proc)
        wait_for(
            lambda: proc.poll() is not None or b" ready." in log.read_bytes(),
            START_TIMEOUT,
            "the worker to start",
            interval=0.2,
        )
        assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
        proc.log = log
        return proc

    def kill(proc):
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    yield SimpleNamespace(start=start, kill=kill, maildir=maildir, sending=sending)

    for proc in workers:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
    app.conf.task_default_queue, app.conf.task_always_eager = previous_queue, previous_eager
    forget_queue(app, queue)


def forget_queue(app, queue):
    """Drop what is left of the test's queue in Redis (the killed worker's unacked task)."""
    import json

    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(queue)
    for tag, raw in client.hgetall("unacked").items():
        try:
            routing_key = json.loads(raw)[2]
        except (ValueError, IndexError, TypeError):
            continue
        if routing_key == queue:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


def school_with_parents(flaky=False):
    """A class with PARENTS parents (one child each) and a week of marks; the school's digest
    is due this very hour. With `flaky`, the mail server fails once for the last parent."""
    family = build_family(subjects=2)
    parents = [family.parent]
    for n in range(PARENTS - 1):
        pupil = make_pupil(family.school, family.school_class, last_name=f"Ученик{n}")
        parent = make_parent(family.school, pupil)
        with scopes_disabled():
            last = n == PARENTS - 2
            parent.email = f"{'flaky' if flaky and last else 'parent'}{n}@example.org"
            parent.save(update_fields=["email"])
        parents.append(parent)
    fill_week(family, days=2, per_day=2)
    now = family.school.now()
    set_rules(family.school, digest_weekday=now.isoweekday(), digest_hour=now.hour)
    return family, parents


def recipients(maildir) -> list[str]:
    found = []
    for path in sorted(maildir.iterdir()):
        raw = path.read_bytes()
        # The file backend separates messages with a line of dashes; one message per file.
        found.append(message_from_bytes(raw.split(b"\n" + b"-" * 79)[0])["To"])
    return found


def in_flight(worker) -> set[str]:
    """Addresses the worker has begun sending to (row locked) whose e-mail is not written."""
    started = {path.name.split("-", 1)[1] for path in worker.sending.iterdir()}
    started = {address for address in started if not address.startswith("failed")}
    return started - set(recipients(worker.maildir))


def rows(family) -> dict:
    with scopes_disabled():
        return {
            row.parent.email: row
            for row in DigestDelivery.objects.filter(school=family.school).select_related("parent")
        }


def states(family) -> dict:
    with scopes_disabled():
        return dict(
            DigestDelivery.objects.filter(school=family.school).values_list("parent_id", "state")
        )


def all_sent(family) -> bool:
    found = states(family)
    return len(found) == PARENTS and set(found.values()) == {DigestDelivery.State.SENT}


def exactly_one_each(parents, maildir):
    got = recipients(maildir)
    assert sorted(got) == sorted(p.email for p in parents), got


def test_retried_and_duplicated_tasks_send_each_parent_one_digest(real_worker):
    family, parents = school_with_parents(flaky=True)
    flaky = parents[-1].email
    worker = real_worker.start()
    assert tasks.tick()["planned"] == PARENTS
    # The tick again (as a retried beat task would), and every send task a second time.
    assert tasks.tick(redispatch_after_seconds=0)["planned"] == 0
    with scopes_disabled():
        ids = list(DigestDelivery.objects.values_list("pk", flat=True))
    for delivery_id in ids:
        tasks.send_digest.delay(delivery_id)
    wait_for(lambda: all_sent(family), RUN_TIMEOUT, "every digest to be sent")
    # Let the duplicates left in the queue run out: each must find its row sent.
    time.sleep(float(MAIL_DELAY) * 3)
    tasks.tick(redispatch_after_seconds=0)
    time.sleep(float(MAIL_DELAY) * 3)
    exactly_one_each(parents, real_worker.maildir)
    # The flaky parent's first attempt failed in the worker and Celery retried the task
    # (self.retry, not a re-dispatch): two attempts on the row, one e-mail.
    assert (real_worker.sending / f"failed-{flaky}").exists()
    assert "Retry in 1s" in worker.log.read_text(errors="replace")
    row = rows(family)[flaky]
    assert (row.state, row.attempts, row.emailed_to) == (DigestDelivery.State.SENT, 2, flaky)
    assert recipients(real_worker.maildir).count(flaky) == 1


def test_a_worker_killed_mid_run_is_taken_over_and_nobody_gets_two(real_worker):
    family, parents = school_with_parents()
    first = real_worker.start()
    assert tasks.tick()["planned"] == PARENTS
    # Two e-mails out, then kill the worker inside the next parent's send: it has marked the
    # address and sleeps MAIL_DELAY seconds with that parent's row locked, before writing.
    wait_for(lambda: len(recipients(real_worker.maildir)) >= 2, RUN_TIMEOUT, "two e-mails")
    wait_for(lambda: in_flight(real_worker), RUN_TIMEOUT, "a digest in flight", interval=0.01)
    real_worker.kill(first)
    [victim] = in_flight(real_worker)  # killed mid-send: its e-mail was never written
    sent_before = recipients(real_worker.maildir)
    assert victim not in sent_before and len(sent_before) < PARENTS
    # The killed worker's transaction is rolled back: the victim's row is PENDING (not SENT,
    # not lost), its attempt undone; what was sent is exactly what is marked sent.
    found = rows(family)
    assert (found[victim].state, found[victim].attempts) == (DigestDelivery.State.PENDING, 0)
    assert sorted(e for e, r in found.items() if r.state == DigestDelivery.State.SENT) == sorted(
        sent_before
    )
    real_worker.start()
    deadline = time.monotonic() + RUN_TIMEOUT
    while not all_sent(family):
        assert time.monotonic() < deadline, f"not all sent: {states(family)}"
        # The hourly tick re-dispatches what is still pending (the lost in-flight task).
        tasks.tick(redispatch_after_seconds=0)
        time.sleep(2)
    time.sleep(float(MAIL_DELAY) * 3)
    exactly_one_each(parents, real_worker.maildir)
    assert recipients(real_worker.maildir).count(victim) == 1
    assert rows(family)[victim].attempts == 1
