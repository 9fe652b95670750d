"""What a fault test needs besides bench/services.py (its own Redis, PostgreSQL cluster and
gunicorn): the tests' database URL, the servers' environment, Celery workers of its own, and
a signed-in HTTP session. Every wait is bounded; every process is stopped by its fixture."""

import contextlib
import os
import signal
import subprocess
import uuid
from pathlib import Path

import requests
from django.conf import settings

from bench.services import (  # noqa: F401  (the fault tests import them from here)
    BASE_DIR,
    PYTHON,
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
