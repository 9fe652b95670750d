"""Services a load or fault run starts for itself: a Redis server, a PostgreSQL cluster and
gunicorn, each on a free port of 127.0.0.1, each stopped and removed by whoever started it
(also on failure). The machine's own PostgreSQL and Redis are never touched. Used by
`make loadtest-faults` (bench/load) and the fault tests (tests/ops).

Every wait is bounded; a service that does not come up fails with its log.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def wait_for(condition, timeout, what, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(port) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def stop_process(proc, timeout=10) -> None:
    if proc is None or proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


# --- Redis -----------------------------------------------------------------------------------


class RedisServer:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = workdir / f"redis-{self.port}.log"
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.log.parent),
            ],
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: answers(self.port), 15, f"redis on {self.port}")

    def stop(self):
        stop_process(self.proc)
        wait_for(lambda: not answers(self.port), 10, f"redis on {self.port} to stop")

    def pause(self):
        """Frozen, not stopped: connections hang (a network blip); the data stays."""
        os.kill(self.proc.pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.proc.pid, signal.SIGCONT)


@contextlib.contextmanager
def redis_server(workdir: Path):
    server = RedisServer(workdir)
    server.start()
    try:
        yield server
    finally:
        if server.proc is not None and server.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(server.proc.pid, signal.SIGCONT)
        stop_process(server.proc)


# --- PostgreSQL --------------------------------------------------------------------------------


def _pg_version() -> str:
    return sorted(os.listdir("/etc/postgresql"))[-1]


class PostgresCluster:
    def __init__(self):
        self.version = _pg_version()
        self.name = f"zhurnal_fault_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.port = free_port()

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def _ctl(self, action: str, *extra):
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, action, *extra],
            check=True,
            capture_output=True,
            timeout=60,
        )

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
                "--",
                "--auth-local=trust",
                "--auth-host=trust",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        self.start()

    def start(self):
        self._ctl("start")
        wait_for(lambda: self.ready(), 30, "the cluster to accept connections", interval=0.2)

    def stop(self):
        self._ctl("stop", "-m", "fast")  # running transactions are rolled back, as in a crash

    def ready(self) -> bool:
        done = subprocess.run(
            ["pg_isready", "-h", "127.0.0.1", "-p", str(self.port), "-q"], timeout=10
        )
        return done.returncode == 0

    def psql(self, sql: str, dbname="postgres"):
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                dbname,
                "-v",
                "ON_ERROR_STOP=1",
                "-qc",
                sql,
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def copy_from(self, source_url: str, dbname: str):
        """The test database's schema and rows, into a database of this cluster."""
        self.psql(f'CREATE DATABASE "{dbname}"')
        dump = subprocess.run(
            ["pg_dump", "--format=custom", "--dbname", source_url],
            check=True,
            capture_output=True,
            timeout=120,
        )
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", self.url(dbname)],
            input=dump.stdout,
            check=True,
            capture_output=True,
            timeout=120,
        )

    def drop(self):
        subprocess.run(
            ["pg_dropcluster", "--stop", self.version, self.name],
            capture_output=True,
            timeout=60,
        )


@contextlib.contextmanager
def postgres_cluster():
    cluster = PostgresCluster()
    try:
        cluster.create()
        yield cluster
    finally:
        cluster.drop()


# --- gunicorn ----------------------------------------------------------------------------------


class Gunicorn:
    def __init__(self, env: dict, workdir: Path, workers: int = 2, threads: int = 1):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / f"gunicorn-{self.port}.log"
        self.proc = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "-c",
                "config/gunicorn.py",  # the production configuration (no Server header)
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                "30",
                "--graceful-timeout",
                "3",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        def up():
            assert self.proc.poll() is None, self.log.read_text(errors="replace")[-3000:]
            try:
                return requests.get(self.url + "/healthz", timeout=1).status_code == 200
            except requests.RequestException:
                return False

        wait_for(up, 60, "gunicorn to answer /healthz", interval=0.2)


@contextlib.contextmanager
def gunicorn(env: dict, workdir: Path, workers: int = 2, threads: int = 1):
    server = None
    try:
        server = Gunicorn(env, workdir, workers, threads)
        yield server
    finally:
        if server is not None:
            stop_process(server.proc)
