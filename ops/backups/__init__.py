"""Backups of the journal: the database, the media files and a manifest, in Django storages.

A backup is a folder in each storage of BACKUP_STORAGES (a local folder, and a second place
when configured: S3-compatible or another disk), named by its local time:

    20260114-023000-4f2a/database.dump   pg_dump --format=custom (database.sqlite3 on SQLite)
    20260114-023000-4f2a/media.tar       the files of the default storage, as they are
    20260114-023000-4f2a/manifest.json   time, schema version, size and SHA-256 of each part

The manifest is written last, after every part is in place with its size checked: a folder
without a readable manifest is an unfinished backup (a worker killed half-way), never listed
as a backup, never restored, and deleted by the next run. `restore` reads the manifest first
and checks every part's size and SHA-256 before it touches the target.
"""
