"""Archive tests: tasks run in-process (eagerly) unless a test starts a worker; files go to a
temporary MEDIA_ROOT (the archive storage's default folder)."""

import pytest


@pytest.fixture(autouse=True)
def eager_tasks(request):
    from config.celery import app

    if "real_worker" in request.fixturenames:
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "archive": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def hand():
    """The reports' school worked out by hand, with a journal kept in 5А (builders.keep)."""
    from tests.reports.hand_school import build

    from .builders import keep_journal

    hand = build()
    keep_journal(hand)
    return hand
