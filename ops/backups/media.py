"""The media part of a backup: every file of a storage (homework attachments, archive PDFs),
read and written through the storage API, so a local folder and a bucket work alike."""

import posixpath
import tarfile
from pathlib import Path

from django.core.files.base import File
from django.utils.translation import gettext as _

from .manifest import BackupRefused

PART = "media.tar"


def files_of(storage, path: str = ""):
    try:
        dirs, files = storage.listdir(path)
    except FileNotFoundError:  # a media folder nobody has written to yet
        return
    for name in sorted(files):
        yield posixpath.join(path, name) if path else name
    for name in sorted(dirs):
        yield from files_of(storage, posixpath.join(path, name) if path else name)


def pack(storage, dest: Path) -> int:
    """Write every file of `storage` into a tar at `dest`; returns how many."""
    count = 0
    with tarfile.open(dest, "w", format=tarfile.PAX_FORMAT) as tar:
        for name in files_of(storage):
            info = tarfile.TarInfo(name)
            info.size = storage.size(name)
            info.mode = 0o644
            with storage.open(name, "rb") as handle:
                tar.addfile(info, handle)
            count += 1
    return count


def members(source: Path) -> list[tarfile.TarInfo]:
    with tarfile.open(source, "r") as tar:
        found = tar.getmembers()
    for member in found:
        safe = posixpath.normpath(member.name)
        if not member.isfile() or safe.startswith(("/", "..")) or safe != member.name:
            raise BackupRefused(
                _("Архив файлов резервной копии содержит недопустимый путь: %(name)s")
                % {"name": member.name}
            )
    return found


def check_target(storage, source: Path) -> None:
    taken = [m.name for m in members(source) if storage.exists(m.name)]
    if taken:
        raise BackupRefused(
            _(
                "В хранилище файлов уже есть %(count)s файлов из копии (например, %(name)s): "
                "файлы восстанавливаются только в пустое хранилище."
            )
            % {"count": len(taken), "name": taken[0]}
        )


def unpack(storage, source: Path) -> int:
    count = 0
    with tarfile.open(source, "r") as tar:
        for member in members(source):
            handle = tar.extractfile(member)
            saved = storage.save(member.name, File(handle, name=member.name))
            if saved != member.name:  # the storage renamed it: another file took the name
                raise BackupRefused(
                    _("Файл %(name)s не восстановлен под своим именем.") % {"name": member.name}
                )
            count += 1
    return count
