import pytest
from django_scopes import scopes_disabled

from accounts.models import Role

from .factories import PASSWORD, make_class, make_member, make_parent, make_pupil, make_school
from .world import World


def pytest_configure(config):
    from django.conf import settings

    # Real hashing costs ~0.3 s a user; the matrix builds hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Uploaded files (homework attachments) live in memory: tests leave nothing on disk.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        # The archive's PDFs too (tests/archive puts them in a temporary folder).
        "archive": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    # Redis is shared between tests: rate-limit counters must not leak from one to another.
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def school(db):
    return make_school()


@pytest.fixture
def world(db) -> World:
    """Two schools; in the first, one of each role, with own and foreign objects to reach."""
    return World.build()


@pytest.fixture
def login(client):
    def do(user):
        client.force_login(user)
        return client

    return do


@pytest.fixture
def unscoped():
    with scopes_disabled():
        yield


__all__ = [
    "PASSWORD",
    "Role",
    "make_class",
    "make_member",
    "make_parent",
    "make_pupil",
    "make_school",
]
