"""Production serving (README «Масштабирование»): gunicorn's workers and threads for the
cores it may use, as gunicorn itself reads its configuration file; static files under their
hashed names cached for good, as the image collects them (collectstatic) and WhiteNoise
serves them."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.http import HttpResponse
from django.templatetags.static import static
from django.test import RequestFactory, override_settings

BASE_DIR = Path(settings.BASE_DIR)
CORES = len(os.sched_getaffinity(0))
FOREVER = "max-age=315360000, public, immutable"


def gunicorn_config(monkeypatch, **env) -> dict:
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("gunicorn_conf", BASE_DIR / "config/gunicorn.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return vars(module)


def test_gunicorn_runs_two_workers_a_core_and_one_more_with_one_thread_each(monkeypatch):
    found = gunicorn_config(monkeypatch)
    assert (found["workers"], found["threads"]) == (2 * CORES + 1, 1)
    assert found["worker_tmp_dir"] == "/dev/shm"


def test_gunicorn_takes_the_worker_and_thread_counts_from_the_environment(monkeypatch):
    found = gunicorn_config(monkeypatch, WEB_CONCURRENCY="3", GUNICORN_THREADS="4")
    assert (found["workers"], found["threads"]) == (3, 4)


@pytest.mark.parametrize("value", ["0", "many", "-2", "2.5"])
def test_a_malformed_worker_count_refuses_to_start_and_names_itself(monkeypatch, value):
    with pytest.raises(RuntimeError, match=f"^WEB_CONCURRENCY='{value}' is not a positive"):
        gunicorn_config(monkeypatch, WEB_CONCURRENCY=value)


def test_gunicorn_itself_reads_the_counts_from_the_configuration_file():
    env = {k: v for k, v in os.environ.items() if k not in ("WEB_CONCURRENCY", "GUNICORN_THREADS")}
    shown = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "--print-config"]
        + ["config.wsgi"],
        cwd=BASE_DIR,
        env={**env, "GUNICORN_THREADS": "2"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr[-2000:]
    lines = {
        line.partition("=")[0].strip(): line.partition("=")[2].strip()
        for line in shown.stdout.splitlines()
    }
    assert lines["workers"] == str(2 * CORES + 1)
    assert lines["threads"] == "2"
    assert lines["worker_tmp_dir"] == "/dev/shm"


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """The static files as the image collects them: hashed names, compressed copies."""
    root = tmp_path_factory.mktemp("staticfiles")
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=root, STORAGES=storages, DEBUG=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def served(path, **headers):
    from whitenoise.middleware import WhiteNoiseMiddleware

    middleware = WhiteNoiseMiddleware(lambda request: HttpResponse("not a static file"))
    return middleware(RequestFactory().get(path, **headers))


def test_a_static_file_under_its_hashed_name_is_cached_for_good(collected):
    url = "/" + static("js/app.js").lstrip("/")
    assert url != "/static/js/app.js"  # the page links the hashed name
    response = served(url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Cache-Control"] == FOREVER
    assert response["Content-Encoding"] in {"gzip", "br"}  # a compressed copy


def test_a_static_file_under_its_plain_name_is_cached_only_briefly(collected):
    response = served("/static/js/app.js")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=60, public"


def test_the_image_and_compose_start_gunicorn_from_its_configuration_file_alone():
    """No worker count on a command line: the configuration file's, for the host's cores."""
    compose = (BASE_DIR / "docker-compose.yml").read_text()
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert 'gunicorn -c config/gunicorn.py config.wsgi"' in compose
    assert 'CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]' in dockerfile
    for text in (compose, dockerfile):
        assert "--workers" not in text and "--threads" not in text and " -w " not in text
    # Static files are collected into the image under their hashed names.
    assert "collectstatic --noinput" in dockerfile
