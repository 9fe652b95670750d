"""Gunicorn's settings: `gunicorn -c config/gunicorn.py config.wsgi` (Dockerfile, compose).

The command line still wins (`--bind`, `--workers`), so a test or a host can override them.
"""

import multiprocessing
import os

import gunicorn.http.wsgi

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# 2 × cores + 1 sync workers (README), unless WEB_CONCURRENCY says otherwise.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))


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
