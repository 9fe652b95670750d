import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_scopes import scopes_disabled

from .matrix import ACTORS, all_rows
from .world import World

ROWS = all_rows()
# Not application pages: Django's admin is the platform operator's, behind its own checks.
IGNORED_NAMESPACES = {"admin"}


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in IGNORED_NAMESPACES:
                continue
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_has_rows_in_the_matrix():
    covered = {row.url for row in ROWS}
    missing = sorted(set(url_names()) - covered)
    assert not missing, f"URLs without rows in the permission matrix: {missing}"


def test_every_school_url_is_checked_against_a_foreign_object_or_is_a_list():
    by_url = {}
    for row in ROWS:
        by_url.setdefault(row.url, set()).add(row.case)
    takes_object = {row.url for row in ROWS if row.kwargs is not None and not row.public}
    lacking = sorted(url for url in takes_object if "foreign" not in by_url[url])
    assert not lacking, f"URLs with an object but no foreign-school row: {lacking}"


CASES = [(row, actor) for row in ROWS for actor in ACTORS]


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """One World for the whole matrix, like TestCase.setUpTestData: built once inside an
    outer transaction; each test runs in a savepoint within it, and the end rolls all back.

    Every actor signs in once here, too: a test takes the actor's session cookie instead of
    signing in again (which writes a session, a login event and the sign-in stamps, and cost
    two fifths of the matrix's time). A test that changes a session changes it inside its
    savepoint, and the cache that holds sessions is emptied before each test."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = World.build()
        sessions = {}
        for actor, user in world.users.items():
            if user is not None:
                signed_in = Client()
                signed_in.force_login(user)
                sessions[actor] = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
        yield world, sessions
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("row,actor", CASES, ids=[f"{r.id}-{a}" for r, a in CASES])
def test_permission_matrix(client, shared_world, row, actor):
    # The World is shared, not copied: rows only read primary keys from it, and every change
    # a request makes is in the database, inside this test's savepoint.
    world, sessions = shared_world
    with scopes_disabled():
        kwargs = row.kwargs(world) if row.kwargs else {}
        data = row.query(world)
    if not row.public:
        kwargs["school_slug"] = getattr(world, row.school).slug
    url = reverse(row.url, kwargs=kwargs)
    if actor in sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[actor]
    response = getattr(client, row.method)(url, data)
    expected = row.status_for(actor)
    assert response.status_code == expected, (
        f"{row.id} as {actor}: got {response.status_code}, expected {expected}"
    )
    # Every page has the site's Content-Security-Policy, and nothing shown to a signed-in
    # person is stored by a browser or a proxy (lib.middleware.PrivatePagesMiddleware).
    if response.get("Content-Type", "").startswith("text/html"):
        assert "script-src 'self'" in response.get("Content-Security-Policy", ""), row.id
    if actor in sessions:
        assert "no-store" in response.get("Cache-Control", ""), f"{row.id} as {actor}"
