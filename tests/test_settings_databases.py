"""DATABASES from the environment (config/databases.py): one database unless a replica is
named; PgBouncer in transaction mode gets neither server-side cursors nor prepared
statements, on a real connection too."""

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler

from accounts.models import User
from config.databases import databases
from config.env import ImproperlyConfiguredEnv
from tests.accounts.test_settings import load_settings
from tests.ops.services import database_url

PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "k" * 60}
PRIMARY = "postgres://journal@db:5432/journal"
REPLICA = "postgres://journal@replica:5432/journal"


def loaded(monkeypatch, **env):
    for name in ("DATABASE_REPLICA_URL", "DATABASE_POOLER", "READ_YOUR_WRITES_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    return load_settings(monkeypatch, **PRODUCTION, **env)


def test_without_a_replica_there_is_one_database_no_router_and_no_middleware(monkeypatch):
    found = loaded(monkeypatch, DATABASE_URL=PRIMARY)
    assert list(found["DATABASES"]) == ["default"]
    assert "DATABASE_ROUTERS" not in found
    assert "lib.replica.ReplicaMiddleware" not in found["MIDDLEWARE"]
    assert "DISABLE_SERVER_SIDE_CURSORS" not in found["DATABASES"]["default"]


def test_a_replica_url_adds_the_replica_its_router_and_its_middleware(monkeypatch):
    found = loaded(
        monkeypatch,
        DATABASE_URL=PRIMARY,
        DATABASE_REPLICA_URL=REPLICA,
        READ_YOUR_WRITES_SECONDS="3",
    )
    replica = found["DATABASES"]["replica"]
    assert (replica["HOST"], replica["NAME"]) == ("replica", "journal")
    assert found["DATABASES"]["default"]["HOST"] == "db"
    # Tests read the primary's test database through it, never make one on the replica.
    assert replica["TEST"] == {"MIRROR": "default"}
    assert replica["OPTIONS"]["connect_timeout"] == "2"
    assert found["DATABASE_ROUTERS"] == ["lib.replica.ReplicaRouter"]
    middleware = found["MIDDLEWARE"]
    sessions = middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert middleware.index("lib.replica.ReplicaMiddleware") == sessions - 1
    assert found["READ_YOUR_WRITES_SECONDS"] == 3


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_REPLICA_URL": "mysql://h/db"}, "DATABASE_REPLICA_URL scheme 'mysql'"),
        ({"DATABASE_REPLICA_URL": "postgres://h/"}, "DATABASE_REPLICA_URL names no database"),
        ({"DATABASE_REPLICA_URL": "sqlite:///x.db"}, "must be a PostgreSQL replica"),
        ({"DATABASE_POOLER": "pgpool"}, "DATABASE_POOLER='pgpool' is not one of"),
        ({"READ_YOUR_WRITES_SECONDS": "a few"}, "READ_YOUR_WRITES_SECONDS='a few'"),
    ],
)
def test_a_malformed_database_setting_refuses_to_start_and_names_itself(monkeypatch, env, message):
    with pytest.raises(ImproperlyConfiguredEnv, match=message):
        loaded(monkeypatch, DATABASE_URL=PRIMARY, **env)


def test_behind_pgbouncer_no_connection_uses_server_side_cursors_or_prepared_statements(
    monkeypatch,
):
    found = loaded(
        monkeypatch, DATABASE_URL=PRIMARY, DATABASE_REPLICA_URL=REPLICA, DATABASE_POOLER="pgbouncer"
    )
    for alias in ("default", "replica"):
        database = found["DATABASES"][alias]
        assert database["DISABLE_SERVER_SIDE_CURSORS"] is True
        assert database["OPTIONS"]["prepare_threshold"] is None


def test_pgbouncer_needs_postgres_and_no_pool_of_psycopgs_own():
    with pytest.raises(ImproperlyConfiguredEnv, match="needs a postgres:// URL"):
        databases("sqlite:///x.db", pooler="pgbouncer")
    with pytest.raises(ImproperlyConfiguredEnv, match="would pool twice"):
        databases(PRIMARY + "?pool=true", pooler="pgbouncer")


@pytest.mark.django_db
@pytest.mark.parametrize(("pooler", "declared"), [("pgbouncer", 0), ("", 1)])
def test_behind_pgbouncer_an_iterator_declares_no_server_side_cursor(monkeypatch, pooler, declared):
    for name in ("a", "b", "c"):
        User.objects.create(username=name)
    configured = databases(database_url(), pooler=pooler)["default"]
    monkeypatch.setitem(
        connection.settings_dict,
        "DISABLE_SERVER_SIDE_CURSORS",
        configured.get("DISABLE_SERVER_SIDE_CURSORS", False),
    )
    rows = User.objects.order_by("pk").iterator(chunk_size=1)
    next(rows)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_cursors WHERE name LIKE '_django_curs%%'")
        assert cursor.fetchone() == (declared,)
    assert len(list(rows)) == 2


@pytest.mark.django_db
def test_behind_pgbouncer_a_connection_prepares_no_statement_whatever_the_url_asks():
    # Django prepares nothing by default; a URL's option could ask psycopg to.
    url = database_url() + "?prepare_threshold=5"
    opened = ConnectionHandler(databases(url, pooler="pgbouncer"))["default"]
    try:
        opened.ensure_connection()
        assert opened.connection.prepare_threshold is None
    finally:
        opened.close()
