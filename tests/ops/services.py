"""What a fault test needs besides bench/services.py (its own Redis, PostgreSQL cluster and
gunicorn): the tests' database URL, the servers' environment, Celery workers of its own, and
a signed-in HTTP session. Every wait is bounded; every process is stopped by its fixture."""

import contextlib
import os
import shutil
import signal
import subprocess
import uuid
from pathlib import Path

import requests
from django.conf import settings

from bench.services import (  # noqa: F401  (the fault tests import them from here)
    BASE_DIR,
    PYTHON,
    PostgresCluster,
    free_port,
    gunicorn,
    postgres_cluster,
    redis_server,
    stop_process,
    wait_for,
)


def database_url(db: dict | None = None) -> str:
    """The URL of pytest-django's test database (its data is committed: transactional_db)."""
    from urllib.parse import quote

    db = db or settings.DATABASES["default"]
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{auth + '@' if auth else ''}{host}/{db['NAME']}"


# --- The application ---------------------------------------------------------------------------


def app_env(database: str, redis: str, **extra) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.ops.server_settings",
        "PYTHONPATH": str(BASE_DIR),
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        "CACHE_KEY_PREFIX": f"fault-{uuid.uuid4().hex[:8]}",
        "DEBUG": "0",
        "SECRET_KEY": "fault-test-secret-key",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",
        "LOG_REQUESTS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        **extra,
    }


class Worker:
    def __init__(self, env: dict, workdir: Path, queue: str = "celery", pool: str = "solo"):
        self.log = workdir / f"worker-{uuid.uuid4().hex[:6]}.log"
        self.proc = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                f"--pool={pool}",
                "--concurrency=1",
                "-Q",
                queue,
                "-n",
                f"{queue}-{uuid.uuid4().hex[:6]}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "INFO",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(
            lambda: self.proc.poll() is not None or b" ready." in self.log.read_bytes(),
            90,
            "the worker to start",
            interval=0.2,
        )
        assert self.proc.poll() is None, self.text()[-3000:]

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self):
        """kill -9 of the whole worker: the main process and its pool at once."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self):
        stop_process(self.proc, timeout=15)


@contextlib.contextmanager
def workers():
    started = []

    def start(env, workdir, **kwargs):
        worker = Worker(env, workdir, **kwargs)
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()


def sign_in(base_url: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base_url + "/auth/login/", timeout=10)
    token = session.cookies["csrftoken"]
    assert page.status_code == 200
    done = session.post(
        base_url + "/auth/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=10,
    )
    assert done.status_code == 302, done.text[:500]
    return session


# --- A primary and its streaming replica -------------------------------------------------------


class PsqlError(RuntimeError):
    """What psql said when a statement failed."""


class StreamingPrimary(PostgresCluster):
    """A cluster that takes replication connections from 127.0.0.1 (the machine's own
    cluster refuses them), named after the xdist worker so that workers never clash."""

    def __init__(self, role: str):
        super().__init__()
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        self.name = f"zhurnal_{role}_{worker}_{os.getpid()}_{uuid.uuid4().hex[:6]}"

    def create(self):
        subprocess.run(
            [
                "pg_createcluster",
                self.version,
                self.name,
                "-p",
                str(self.port),
                "--start-conf",
                "manual",
                "-o",
                "wal_level=replica",
                "-o",
                "max_wal_senders=4",
                "-o",
                "hot_standby=on",
                "--",
                "--auth-local=trust",
                "--auth-host=trust",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        hba = Path(f"/etc/postgresql/{self.version}/{self.name}/pg_hba.conf")
        with hba.open("a") as conf:
            conf.write("host replication postgres 127.0.0.1/32 trust\n")
        self.start()

    def query(self, sql: str, dbname="postgres") -> str:
        done = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", dbname]
            + ["-v", "ON_ERROR_STOP=1", "-tAc", sql],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if done.returncode:
            raise PsqlError(done.stderr.strip())
        return done.stdout.strip()


class StreamingReplica(StreamingPrimary):
    """A hot standby of `primary`: its own cluster (port, configuration), its data directory
    replaced by `pg_basebackup -R` of the primary, streaming from it."""

    def __init__(self, primary: StreamingPrimary):
        super().__init__("replica")
        self.primary = primary

    def create(self):
        subprocess.run(
            ["pg_createcluster", self.version, self.name, "-p", str(self.port)]
            + ["--start-conf", "manual", "-o", "hot_standby=on"]
            + ["--", "--auth-local=trust", "--auth-host=trust"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        # Emptied, not removed: its parent may not be the postgres user's to create it in.
        data = Path(f"/var/lib/postgresql/{self.version}/{self.name}")
        for child in data.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        subprocess.run(
            ["runuser", "-u", "postgres", "--", "pg_basebackup", "-h", "127.0.0.1"]
            + ["-p", str(self.primary.port), "-U", "postgres", "-D", str(data)]
            + ["-R", "-X", "stream", "--checkpoint=fast"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        self.start()

    def pause_replay(self):
        self.query("SELECT pg_wal_replay_pause()")
        wait_for(
            lambda: self.query("SELECT pg_get_wal_replay_pause_state()") == "paused",
            10,
            "the replica to pause its replay",
        )

    def resume_replay(self):
        self.query("SELECT pg_wal_replay_resume()")

    def catch_up(self):
        """Wait until the replica has replayed everything the primary wrote so far."""
        target = self.primary.query("SELECT pg_current_wal_lsn()")
        wait_for(
            lambda: self.query(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn") == "t",
            30,
            "the replica to catch up",
            interval=0.1,
        )


@contextlib.contextmanager
def streaming_pair():
    """(primary, replica): two clusters of the test's own on free ports, the second a
    streaming replica of the first; both dropped at the end, also on failure."""
    primary = StreamingPrimary("primary")
    replica = StreamingReplica(primary)
    try:
        primary.create()
        replica.create()
        yield primary, replica
    finally:
        replica.drop()
        primary.drop()
