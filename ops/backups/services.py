"""Making, rotating, replicating and restoring backups: the one place every caller uses
(the `backup` and `restore` commands, the nightly task)."""

import contextlib
import fcntl
import logging
import secrets
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage, storages
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from . import database, media, rotation, store
from .manifest import BackupRefused, Manifest, Part, sha256_of

logger = logging.getLogger(__name__)

TMP_PREFIX = "zhurnal-backup-"  # work folders of backups: a killed run's are removed
RESTORE_PREFIX = "zhurnal-restore-"
LOCK_ID = 0x7A68_6B75  # advisory lock key of «a backup is being made»


def backup_storages() -> list:
    return [storages[alias] for alias in settings.BACKUP_STORAGES]


@contextlib.contextmanager
def exclusive():
    """One backup at a time, across workers and machines: a PostgreSQL advisory lock (a
    killed worker's connection drops and frees it), a file lock on SQLite. Yields False when
    another run holds it.

    The lock is a transaction's, held by a connection of its own in a transaction kept open
    for the run (it touches no table, so it blocks nothing a restore drops). A session's
    lock would not hold behind PgBouncer in transaction mode: taken on one server
    connection, asked about or released on another."""
    if connection.vendor == "postgresql":
        holder = connection.copy()
        try:
            holder.ensure_connection()
            holder.set_autocommit(False)
            with holder.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_ID])
                got = cursor.fetchone()[0]
            yield got
        finally:
            with contextlib.suppress(DatabaseError):
                holder.rollback()  # ends the transaction, and the lock with it
            holder.close()
        return
    path = Path(settings.BACKUP_TMP_DIR or tempfile.gettempdir()) / "zhurnal-backup.lock"
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _workdir(prefix: str = TMP_PREFIX) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix, dir=settings.BACKUP_TMP_DIR))


def _forget_leftovers() -> None:
    """Called under the lock: any unfinished backup or work folder is a killed run's."""
    root = Path(settings.BACKUP_TMP_DIR or tempfile.gettempdir())
    for stale in root.glob(TMP_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    for storage in backup_storages():
        for found in store.listing(storage):
            if not found.complete:
                logger.warning("deleting the unfinished backup %s", found.name)
                store.delete(storage, found.name)


def _new_name(now) -> str:
    return f"{timezone.localtime(now):%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def make(kind: str = "manual", night=None) -> Manifest:
    """Dump the database and the media, write them to every backup storage, rotate."""
    with exclusive() as got:
        if not got:
            raise BackupRefused(_("Резервная копия уже создаётся другим процессом."))
        return _make(kind, night)


def _make(kind, night) -> Manifest:
    _forget_leftovers()
    db = settings.DATABASES["default"]
    engine = database.engine_of(db)
    now = timezone.now()
    workdir = _workdir()
    try:
        files = {
            database.part_name(engine): workdir / database.part_name(engine),
            media.PART: workdir / media.PART,
        }
        database.dump(db, files[database.part_name(engine)])
        media.pack(default_storage, files[media.PART])
        manifest = Manifest(
            name=_new_name(now),
            created_at=timezone.localtime(now).isoformat(),
            kind=kind,
            night=night.isoformat() if night else None,
            engine=engine,
            schema=database.schema_version(),
            parts=[
                Part(name, path.stat().st_size, sha256_of(path)) for name, path in files.items()
            ],
        )
        for storage in backup_storages():
            store.write(storage, manifest, files)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    rotate()
    return manifest


def rotate() -> list[str]:
    """Delete the complete backups the rotation does not keep, in each storage."""
    deleted = []
    for storage in backup_storages():
        found = store.complete(storage)
        kept = rotation.to_keep(
            [m.created for m in found],
            settings.BACKUP_KEEP_DAILY,
            settings.BACKUP_KEEP_WEEKLY,
            settings.BACKUP_KEEP_MONTHLY,
        )
        for manifest in found:
            if manifest.created not in kept:
                store.delete(storage, manifest.name)
                deleted.append(manifest.name)
    return deleted


def replicate(manifest: Manifest, source, target) -> None:
    workdir = _workdir()
    try:
        files = store.fetch(source, manifest, workdir)
        store.write(target, manifest, files)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def nightly() -> str:
    """The night's backup, once: a run repeated the same night (a retried or redelivered
    task) finds it made and only completes its copies in the other storages."""
    night = timezone.localdate()
    with exclusive() as got:
        if not got:
            return "busy"
        primary, *others = backup_storages()
        made = [m for m in store.complete(primary) if m.night == night.isoformat()]
        if not made:
            return _make("nightly", night).name
        _forget_leftovers()
        for storage in others:
            if not any(m.name == made[0].name for m in store.complete(storage)):
                replicate(made[0], primary, storage)
        return made[0].name


def _unknown_migrations(schema: dict[str, str]) -> list[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    return [f"{app}.{name}" for app, name in schema.items() if (app, name) not in known]


def restore(name: str, storage=None, media_storage=None) -> Manifest:
    """Restore a backup into the empty database of DATABASES["default"] and into the media
    storage, after checking the manifest, every part's SHA-256 and that both are empty."""
    storage = storage or backup_storages()[0]
    media_storage = media_storage or default_storage
    db = settings.DATABASES["default"]
    manifest = store.read_manifest(storage, name)
    engine = database.engine_of(db)
    if manifest.engine != engine:
        raise BackupRefused(
            _("Копия сделана на %(made)s, а база назначения — %(target)s.")
            % {"made": manifest.engine, "target": engine}
        )
    unknown = _unknown_migrations(manifest.schema)
    if unknown:
        raise BackupRefused(
            _(
                "Копия сделана более новой версией журнала (неизвестные миграции: %(names)s): "
                "восстановите её той версией, что её сделала."
            )
            % {"names": ", ".join(unknown[:5])}
        )
    workdir = _workdir(RESTORE_PREFIX)
    try:
        files = store.fetch(storage, manifest, workdir)
        database.check_empty(db)
        media.check_target(media_storage, files[media.PART])
        database.restore(db, files[database.part_name(engine)])
        media.unpack(media_storage, files[media.PART])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return manifest
