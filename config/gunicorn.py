"""Gunicorn's settings: `gunicorn -c config/gunicorn.py config.wsgi` (Dockerfile, compose).

The command line still wins (`--bind`, `--workers`), so a test or a host can override them.
"""

import os

import gunicorn.http.wsgi


def _count(name: str, default: int) -> int:
    """A positive whole number from the environment (config/env.py is not importable here:
    gunicorn loads this file before the project is on the path)."""
    value = os.environ.get(name)
    if value is None:
        return default
    if not value.strip().isdigit() or int(value) < 1:
        raise RuntimeError(f"{name}={value!r} is not a positive whole number")
    return int(value)


# The cores this process may run on: a container's CPU set, not the host's count.
CORES = len(os.sched_getaffinity(0))

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# 2 × cores + 1 sync workers (README), unless WEB_CONCURRENCY says otherwise: a request
# spends about half its time waiting for PostgreSQL and Redis, the other half on a core.
workers = _count("WEB_CONCURRENCY", 2 * CORES + 1)
# One thread each (sync workers); GUNICORN_THREADS above 1 makes them gthread workers, for
# a host short of memory for more processes.
threads = _count("GUNICORN_THREADS", 1)
# The workers' heartbeat files in memory: on a container's overlay disk a slow write can get
# a healthy worker killed for a missed heartbeat.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None


class QuietResponse(gunicorn.http.wsgi.Response):
    """A response that does not name the server software. Gunicorn writes `Server: gunicorn`
    into every response and has no setting to leave it out; the header tells an attacker
    what to try and a user nothing."""

    def default_headers(self):
        return [h for h in super().default_headers() if not h.lower().startswith("server:")]


# The workers make each response with gunicorn.http.wsgi.create, which looks Response up in
# its module at every request: replacing it here, in the master before the workers fork,
# holds for all of them.
gunicorn.http.wsgi.Response = QuietResponse
