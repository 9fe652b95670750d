"""Reports tests run their Celery tasks in-process (eagerly) unless a test starts a worker."""

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


@pytest.fixture
def hand():
    """The school worked out by hand (tests/reports/hand_school.py)."""
    from .hand_school import build

    return build()


@pytest.fixture
def deputy(hand):
    from accounts.models import Role
    from tests.factories import make_member

    return make_member(hand.school, Role.DEPUTY, last_name="Завучева")
