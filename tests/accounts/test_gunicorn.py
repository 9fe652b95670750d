"""The production server, started from its configuration file, says nothing about itself."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.reports.test_digest_worker import test_database_url

BASE_DIR = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn(transactional_db):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            "config/gunicorn.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "config.wsgi",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                time.sleep(0.2)
        else:
            raise AssertionError("gunicorn did not start in 60 s")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_responses_carry_no_server_header(gunicorn):
    connection = http.client.HTTPConnection("127.0.0.1", gunicorn, timeout=30)
    connection.request("GET", "/auth/login/")
    response = connection.getresponse()
    response.read()
    assert response.status == 200
    assert response.getheader("Server") is None
    assert response.getheader("Date")  # gunicorn's other headers are as they were
