"""Backups for real: pg_dump of the tests' database and the media files into two storages,
restored by `manage.py restore` (a process of its own, as an operator runs it) into another,
empty database, and compared table by table; damaged and unfinished backups are refused
with a Russian message; rotation keeps 7 daily, 4 weekly and 12 monthly; the nightly run
happens once a night and completes a missing second copy; SQLite is copied with its backup
API."""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from datetime import datetime, timedelta

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_scopes import scopes_disabled

from grading.models import FinalMark, Mark
from journal.models import Attendance
from ops.backups import rotation, services, store
from ops.backups.manifest import BackupRefused
from schedule.models import Lesson
from tests.factories import make_school
from tests.grading.finals_builders import course_with_pupils, give, open_period, work_type

from .services import database_url

pytestmark = pytest.mark.django_db(transaction=True)
BASE_DIR = settings.BASE_DIR


@pytest.fixture
def places(tmp_path, settings):
    """Two backup storages (the second stands for the S3 bucket) and a work folder."""
    for name in ("primary", "offsite", "work"):
        (tmp_path / name).mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "backups": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "primary"},
        },
        "backups_offsite": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "offsite"},
        },
    }
    settings.BACKUP_STORAGES = ["backups", "backups_offsite"]
    settings.BACKUP_TMP_DIR = str(tmp_path / "work")
    return tmp_path


def seed():
    """A school's journal: lessons, marks with their history, an absence, a final mark, and
    two homework files in the media storage."""
    school = make_school()
    teacher, course, pupils = course_with_pupils(school, 3)
    period = open_period(course)
    work = work_type(school, "Контрольная работа", "2")
    for n, pupil in enumerate(pupils):
        give(course, pupil, ["5", "4", "3"][n:] + ["5"], work, teacher, period.start)
    with scopes_disabled():
        mark = Mark.objects.filter(pupil=pupils[0]).first()
        mark.set_value("4")
        mark.save()  # a second history row
        Attendance.objects.create(
            school=school, lesson=mark.lesson, pupil=pupils[1], code="absent", set_by=teacher
        )
        FinalMark.objects.create(
            school=school,
            pupil=pupils[0],
            course=course,
            period=period,
            kind=FinalMark.Kind.PERIOD,
            value="4",
            set_by=teacher,
        )
    files = {
        "homework/1/задание.pdf": b"%PDF-1.4 homework " * 100,
        "homework/2/photo.jpg": bytes(range(256)) * 40,
    }
    for name, content in files.items():
        default_storage.save(name, ContentFile(content))
    return files


TABLES = [
    Mark._meta.db_table,
    Mark.history.model._meta.db_table,
    Attendance._meta.db_table,
    Attendance.history.model._meta.db_table,
    FinalMark._meta.db_table,
    FinalMark.history.model._meta.db_table,
    Lesson._meta.db_table,
]


def fingerprint(url: str) -> dict:
    """Rows of every table, and an md5 of every row of the journal's own tables."""
    with psycopg.connect(url.replace("postgres://", "postgresql://")) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        sums = {
            t: conn.execute(
                f"SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM \"{t}\" t"
            ).fetchone()[0]
            for t in TABLES
        }
    return {"counts": counts, "sums": sums}


@pytest.fixture
def empty_database():
    name = f"{settings.DATABASES['default']['NAME']}_restore_{uuid.uuid4().hex[:6]}"
    admin = database_url().rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    yield database_url().rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "REDIS_URL": "",
            "DEBUG": "0",
            "SECRET_KEY": "backup-test",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_backup_restored_into_an_empty_database_holds_the_same_journal_and_files(
    places, empty_database
):
    if connection.vendor != "postgresql":
        pytest.skip("the round trip needs PostgreSQL")
    files = seed()
    before = fingerprint(database_url())
    manifest = services.make()

    # Both storages hold it whole: the manifest names each part's size and SHA-256.
    for alias in ("backups", "backups_offsite"):
        [found] = store.complete(storages[alias])
        assert found.name == manifest.name
    assert [p.name for p in manifest.parts] == ["database.dump", "media.tar"]
    dump = places / "primary" / manifest.name / "database.dump"
    assert manifest.part("database.dump").sha256 == sha(dump.read_bytes())
    assert manifest.part("database.dump").size == dump.stat().st_size
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(name) FROM django_migrations WHERE app = 'grading'")
        assert manifest.schema["grading"] == cursor.fetchone()[0]
    assert not list((places / "work").iterdir())  # no work files left behind

    restored_media = places / "restored-media"
    done = manage(
        "restore",
        manifest.name,
        env={
            "DATABASE_URL": empty_database,
            "BACKUP_DIR": str(places / "primary"),
            "MEDIA_ROOT": str(restored_media),
        },
    )
    assert done.returncode == 0, done.stderr
    assert "восстановлена" in done.stdout

    after = fingerprint(empty_database)
    assert after["counts"] == before["counts"]
    assert after["sums"] == before["sums"]
    assert after["counts"][Mark.history.model._meta.db_table] >= 10  # the history came too
    for name, content in files.items():
        assert sha((restored_media / name).read_bytes()) == sha(content)

    # The same backup again, into the database now full: refused, nothing touched.
    again = manage(
        "restore",
        manifest.name,
        env={
            "DATABASE_URL": empty_database,
            "BACKUP_DIR": str(places / "primary"),
            "MEDIA_ROOT": str(places / "other-media"),
        },
    )
    assert again.returncode != 0
    assert "не пуста" in again.stderr
    assert fingerprint(empty_database) == after


def refused(name, storage) -> str:
    with pytest.raises(CommandError) as error:
        call_command("restore", str(storage.path(name)))
    return str(error.value)


def test_a_damaged_or_unfinished_backup_is_refused_before_anything_is_touched(places):
    seed()
    manifest = services.make()
    primary = storages["backups"]
    folder = places / "primary" / manifest.name

    damaged = places / "primary" / "damaged"
    shutil.copytree(folder, damaged)
    (damaged / "manifest.json").write_text(
        (folder / "manifest.json").read_text().replace(manifest.name, "damaged")
    )
    raw = bytearray((damaged / "database.dump").read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    (damaged / "database.dump").write_bytes(bytes(raw))
    assert "повреждена" in refused("damaged", primary)
    assert "SHA-256" in refused("damaged", primary)

    unfinished = places / "primary" / "unfinished"
    shutil.copytree(folder, unfinished)
    (unfinished / "manifest.json").unlink()
    assert "нет описи" in refused("unfinished", primary)

    truncated = places / "primary" / "truncated"
    shutil.copytree(folder, truncated)
    text = (folder / "manifest.json").read_text().replace(manifest.name, "truncated")
    (truncated / "manifest.json").write_text(text[: len(text) // 2])
    assert "Опись резервной копии truncated повреждена" in refused("truncated", primary)

    missing = places / "primary" / "missing"
    shutil.copytree(folder, missing)
    (missing / "manifest.json").write_text(text.replace("truncated", "missing"))
    (missing / "media.tar").unlink()
    assert "нет части media.tar" in refused("missing", primary)

    # Only the whole one is a backup; the next run deletes the rest as leftovers.
    listing = {f.name: f.complete for f in store.listing(primary)}
    assert listing == {
        manifest.name: True,
        "damaged": True,  # its manifest reads: the damage shows only on restore's check
        "unfinished": False,
        "truncated": False,
        "missing": True,
    }
    services.make()
    left = {f.name for f in store.listing(primary)}
    assert "unfinished" not in left and "truncated" not in left


def test_the_target_database_must_be_empty(places):
    seed()
    manifest = services.make()
    with pytest.raises(BackupRefused, match="не пуста"):
        services.restore(manifest.name, media_storage=FileSystemStorage(places / "m"))


def test_rotation_keeps_the_newest_of_7_days_4_weeks_and_12_months():
    start = datetime(2025, 1, 1, 2, 30)
    nightly = [start + timedelta(days=n) for n in range(400)]
    extra = [start + timedelta(days=399, hours=5)]  # a manual one on the last day
    kept = rotation.to_keep(nightly + extra, daily=7, weekly=4, monthly=12)
    newest = extra[0]
    days = sorted({t.date() for t in kept}, reverse=True)
    assert newest in kept and nightly[-1] not in kept  # the newest of its day
    assert days[:7] == [newest.date() - timedelta(days=n) for n in range(7)]
    weeks = {tuple(t.isocalendar())[:2] for t in kept}
    months = {(t.year, t.month) for t in kept}
    assert len(weeks) >= 4 and len(months) == 12
    # 7 days, the newest of 4 weeks (2 already among the days), 12 months (1 already).
    assert len(kept) <= 7 + 4 + 12
    assert min(kept) >= datetime(2025, 2, 1)  # older months are dropped


def test_rotation_deletes_what_it_does_not_keep_in_every_storage(places, settings):
    seed()
    settings.BACKUP_KEEP_DAILY, settings.BACKUP_KEEP_WEEKLY, settings.BACKUP_KEEP_MONTHLY = 1, 0, 0
    first = services.make()
    second = services.make()
    for alias in ("backups", "backups_offsite"):
        assert [m.name for m in store.complete(storages[alias])] == [second.name]
    assert not (places / "primary" / first.name).exists()


def test_the_nightly_backup_is_made_once_and_a_missing_second_copy_is_completed(places):
    seed()
    name = services.nightly()
    assert services.nightly() == name  # a redelivered task makes no second backup
    assert [m.name for m in store.complete(storages["backups"])] == [name]
    store.delete(storages["backups_offsite"], name)  # the bucket was unreachable that night
    assert services.nightly() == name
    [copy] = store.complete(storages["backups_offsite"])
    assert copy.name == name and copy.parts == store.read_manifest(storages["backups"], name).parts


def test_the_sqlite_demo_is_backed_up_with_its_backup_api_and_restored(tmp_path):
    demo = tmp_path / "demo.sqlite3"
    with sqlite3.connect(demo) as conn:
        conn.execute("CREATE TABLE marks (id INTEGER PRIMARY KEY, value TEXT)")
        conn.executemany("INSERT INTO marks (value) VALUES (?)", [("5",), ("4",), ("н",)])
    env = {
        "DATABASE_URL": f"sqlite:///{demo}",
        "BACKUP_DIR": str(tmp_path / "backups"),
        "BACKUP_TMP_DIR": str(tmp_path),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    made = manage("backup", env=env)
    assert made.returncode == 0, made.stderr
    [name] = os.listdir(tmp_path / "backups")
    assert sorted(os.listdir(tmp_path / "backups" / name)) == [
        "database.sqlite3",
        "manifest.json",
        "media.tar",
    ]
    restored = tmp_path / "restored.sqlite3"
    done = manage("restore", name, env={**env, "DATABASE_URL": f"sqlite:///{restored}"})
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(restored) as conn:
        assert conn.execute("SELECT value FROM marks ORDER BY id").fetchall() == [
            ("5",),
            ("4",),
            ("н",),
        ]
    refused = manage("restore", name, env={**env, "DATABASE_URL": f"sqlite:///{demo}"})
    assert refused.returncode != 0 and "не пуста" in refused.stderr
