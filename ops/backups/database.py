"""The database part of a backup: pg_dump/pg_restore on PostgreSQL, the SQLite backup API on
the embedded default (a consistent copy of a database in use, unlike copying the file)."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from .manifest import BackupRefused

PG_PART = "database.dump"
SQLITE_PART = "database.sqlite3"


def engine_of(db: dict) -> str:
    engine = db["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupRefused(_("Резервное копирование поддерживает PostgreSQL и SQLite."))


def part_name(engine: str) -> str:
    return PG_PART if engine == "postgresql" else SQLITE_PART


def schema_version(alias: str = "default") -> dict[str, str]:
    """The latest applied migration of each app: what a restored database must be migrated
    from."""
    latest: dict[str, str] = {}
    recorder = MigrationRecorder(connections[alias])
    if not recorder.has_table():
        return latest
    for app, name in recorder.applied_migrations():
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def _pg_env(db: dict) -> dict:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def _pg_args(db: dict) -> list[str]:
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return args


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupRefused(
            _("Не найдена программа %(name)s: установите клиент PostgreSQL (postgresql-client).")
            % {"name": name}
        )
    return found


def _run(args: list[str], env: dict, what: str) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupRefused(
            _("%(what)s завершилось с ошибкой: %(error)s")
            % {"what": what, "error": done.stderr.strip()[-2000:]}
        )


def dump(db: dict, dest: Path) -> None:
    if engine_of(db) == "postgresql":
        _run(
            [_tool("pg_dump"), "--format=custom", *_pg_args(db), "--file", str(dest), db["NAME"]],
            _pg_env(db),
            _("Копирование базы данных (pg_dump)"),
        )
        return
    source = sqlite3.connect(db["NAME"])
    target = sqlite3.connect(dest)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def check_empty(db: dict) -> None:
    """Restore goes into an empty database only: never over a journal that is in use."""
    if engine_of(db) == "postgresql":
        import psycopg

        with psycopg.connect(
            dbname=db["NAME"],
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            connect_timeout=10,
        ) as conn:
            tables = conn.execute(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
            ).fetchone()[0]
    else:
        path = Path(db["NAME"])
        tables = 0
        if path.exists() and path.stat().st_size:
            with sqlite3.connect(path) as conn:
                tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if tables:
        raise BackupRefused(
            _(
                "База данных %(name)s не пуста (таблиц: %(tables)s). Восстановление идёт только "
                "в пустую базу: создайте новую и укажите её в DATABASE_URL."
            )
            % {"name": db["NAME"], "tables": tables}
        )


def restore(db: dict, source: Path) -> None:
    if engine_of(db) == "postgresql":
        _run(
            [
                _tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *_pg_args(db),
                "--dbname",
                db["NAME"],
                str(source),
            ],
            _pg_env(db),
            _("Восстановление базы данных (pg_restore)"),
        )
        return
    backup = sqlite3.connect(source)
    target = sqlite3.connect(db["NAME"])
    try:
        with target:
            backup.backup(target)
    finally:
        target.close()
        backup.close()
