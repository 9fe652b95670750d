"""A Celery worker killed (SIGKILL) in the middle of the nightly backup: the task runs again
and leaves one whole backup, never a half-written one listed as good.

A real worker on the tests' Redis (a queue of the test's own) backs up the tests' database
into a slow storage (tests/ops/slow_storage.py) that marks which part it is writing, so the
kill lands after the dump is written and before the media and the manifest are. Killing
the pool's process makes the worker give the message back at once (acks_late,
reject_on_worker_lost); killing the whole worker leaves it unacknowledged in Redis until the
visibility timeout brings it back to the next worker. The weekly digest's kill test is in
tests/reports/test_digest_worker.py."""

import json
import os
import signal
import time
import uuid

import pytest
import redis
from django.conf import settings
from django.core.files.storage import FileSystemStorage

from ops.backups import store
from ops.tasks import nightly_backup
from tests.factories import make_school

from .services import app_env, database_url, wait_for, workers

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setup(tmp_path):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the worker test needs PostgreSQL")
    from config.celery import app

    for name in ("backups", "signals", "work"):
        (tmp_path / name).mkdir()
    queue = f"backup-test-{uuid.uuid4().hex[:8]}"
    env = app_env(
        database_url(),
        settings.REDIS_URL,
        DJANGO_SETTINGS_MODULE="tests.ops.backup_worker_settings",
        BACKUP_DIR=str(tmp_path / "backups"),
        BACKUP_TMP_DIR=str(tmp_path / "work"),
        BACKUP_SIGNAL_DIR=str(tmp_path / "signals"),
        BACKUP_SAVE_DELAY="1.5",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    make_school()  # something to back up
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    with workers() as start:
        yield tmp_path, queue, lambda **kw: start(env, tmp_path, queue=queue, **kw)
    app.conf.task_always_eager = previous
    forget_queue(queue)


def forget_queue(queue):
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


def saving(signals, part):
    """Pids of the processes that have begun writing `part`."""
    return [int(p.name.rsplit("-", 1)[1]) for p in signals.glob(f"saving-{part}-*")]


def backups(tmp_path):
    return store.listing(FileSystemStorage(location=tmp_path / "backups"))


def one_whole_backup(tmp_path):
    found = backups(tmp_path)
    return len(found) == 1 and found[0].complete


def check_whole(tmp_path, found):
    storage = FileSystemStorage(location=tmp_path / "backups")
    (tmp_path / "check").mkdir()
    files = store.fetch(storage, found.manifest, tmp_path / "check")  # sizes and SHA-256
    assert set(files) == {"database.dump", "media.tar"}


def test_the_pool_process_killed_mid_backup_gives_the_task_back_and_it_runs_again(setup):
    tmp_path, queue, start = setup
    worker = start(pool="prefork")
    nightly_backup.apply_async(queue=queue)
    signals = tmp_path / "signals"
    wait_for(lambda: saving(signals, "media.tar"), 40, "the backup to be half-written")
    [child] = saving(signals, "media.tar")
    os.kill(child, signal.SIGKILL)  # the process running the task, not the worker
    # Half-written: the dump is there, the media and the manifest are not — not a backup.
    [half] = backups(tmp_path)
    assert not half.complete
    assert (tmp_path / "backups" / half.name / "database.dump").exists()

    wait_for(lambda: one_whole_backup(tmp_path), 45, "the task to run again", interval=0.5)
    [whole] = backups(tmp_path)
    assert whole.name != half.name  # the half-written one was deleted by the run after it
    check_whole(tmp_path, whole)
    assert "WorkerLostError" in worker.text() or "SIGKILL" in worker.text()
    time.sleep(2)
    assert len(backups(tmp_path)) == 1  # and it ran to the end once


def test_the_whole_worker_killed_mid_backup_leaves_nothing_listed_and_the_next_worker_makes_it(
    setup,
):
    tmp_path, queue, start = setup
    first = start()
    nightly_backup.apply_async(queue=queue)
    signals = tmp_path / "signals"
    wait_for(lambda: saving(signals, "media.tar"), 40, "the backup to be half-written")
    first.kill()
    [half] = backups(tmp_path)
    assert not half.complete and half.manifest is None

    # The message was never acknowledged: Redis gives it to the next worker.
    start()
    wait_for(lambda: one_whole_backup(tmp_path), 50, "the task to come back", interval=0.5)
    [whole] = backups(tmp_path)
    assert whole.name != half.name
    check_whole(tmp_path, whole)
