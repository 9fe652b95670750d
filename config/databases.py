"""DATABASES from the environment: the primary, an optional streaming replica, PgBouncer.

- DATABASE_URL: the primary; every write and every read that cannot wait goes there.
- DATABASE_REPLICA_URL: a read-only streaming replica of it (alias «replica»): the reads that
  tolerate a second of lag go there (lib/replica.py decides which). Tests mirror it onto the
  primary's test database rather than make a second one.
- DATABASE_POOLER=pgbouncer: the URLs lead to PgBouncer in transaction mode, where two
  transactions of one connection may run on two server connections. Nothing may then rely on
  a server session outliving a transaction: no server-side cursors (Django declares them
  WITH HOLD outside a transaction: `.iterator()`), no prepared statements (psycopg prepares a
  query run often enough on its connection: `prepare_threshold` None never does), no
  client-side pool of psycopg's own in front of PgBouncer's.
"""

from .env import ImproperlyConfiguredEnv, parse_database_url

POOLERS = ("", "pgbouncer")
POSTGRES = "django.db.backends.postgresql"


def databases(url: str, replica_url: str = "", pooler: str = "") -> dict:
    found = {"default": parse_database_url(url)}
    if replica_url:
        replica = parse_database_url(replica_url, "DATABASE_REPLICA_URL")
        if {replica["ENGINE"], found["default"]["ENGINE"]} != {POSTGRES}:
            raise ImproperlyConfiguredEnv(
                "DATABASE_REPLICA_URL must be a PostgreSQL replica of a postgres:// DATABASE_URL"
            )
        replica["TEST"] = {"MIRROR": "default"}
        # A replica that does not answer is given up quickly: the primary serves instead.
        replica["OPTIONS"].setdefault("connect_timeout", "2")
        found["replica"] = replica
    if pooler == "pgbouncer":
        for alias, database in found.items():
            if database["ENGINE"] != POSTGRES:
                raise ImproperlyConfiguredEnv(
                    f"DATABASE_POOLER=pgbouncer needs a postgres:// URL ({alias} is not one)"
                )
            if "pool" in database["OPTIONS"]:
                raise ImproperlyConfiguredEnv(
                    "DATABASE_POOLER=pgbouncer: the URL's pool option would pool twice"
                )
            database["DISABLE_SERVER_SIDE_CURSORS"] = True
            database["OPTIONS"]["prepare_threshold"] = None
    return found
