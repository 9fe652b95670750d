"""Backups in a storage: written part by part with the manifest last, listed by manifest."""

import contextlib
import posixpath
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile, File
from django.utils.translation import gettext as _

from . import manifest as manifests
from .manifest import BackupRefused, Manifest


@dataclass
class Found:
    name: str
    manifest: Manifest | None  # None: unfinished or damaged, never a backup to restore

    @property
    def complete(self) -> bool:
        return self.manifest is not None


def _path(name: str, part: str) -> str:
    return posixpath.join(name, part)


def read_manifest(storage, name: str) -> Manifest:
    path = _path(name, manifests.NAME)
    if not storage.exists(path):
        raise BackupRefused(
            _(
                "У резервной копии %(name)s нет описи: копия не завершена, "
                "восстанавливать её нельзя."
            )
            % {"name": name}
        )
    with storage.open(path, "rb") as handle:
        return Manifest.from_json(handle.read(), name)


def listing(storage) -> list[Found]:
    """Every backup folder of the storage, newest name first, with its manifest if whole."""
    try:
        names, _files = storage.listdir("")
    except FileNotFoundError:
        return []
    found = []
    for name in sorted(names, reverse=True):
        try:
            found.append(Found(name, read_manifest(storage, name)))
        except BackupRefused:
            found.append(Found(name, None))
    return found


def complete(storage) -> list[Manifest]:
    return [f.manifest for f in listing(storage) if f.complete]


def write(storage, manifest: Manifest, files: dict[str, Path]) -> None:
    """Copy each part, check its size there, then write the manifest: the backup exists only
    from that moment."""
    for part in manifest.parts:
        path = _path(manifest.name, part.name)
        with open(files[part.name], "rb") as handle:
            saved = storage.save(path, File(handle, name=part.name))
        if saved != path or storage.size(saved) != part.size:
            raise BackupRefused(
                _("Часть %(part)s резервной копии записана не полностью.") % {"part": path}
            )
    storage.save(_path(manifest.name, manifests.NAME), ContentFile(manifest.to_json()))


def fetch(storage, manifest: Manifest, workdir: Path) -> dict[str, Path]:
    """Copy each part of a backup into `workdir` and check its size and SHA-256."""
    files = {}
    for part in manifest.parts:
        path = _path(manifest.name, part.name)
        if not storage.exists(path):
            raise BackupRefused(
                _("В резервной копии %(name)s нет части %(part)s: копия неполна.")
                % {"name": manifest.name, "part": part.name}
            )
        local = workdir / part.name
        with storage.open(path, "rb") as source, open(local, "wb") as target:
            while block := source.read(1024 * 1024):
                target.write(block)
        if local.stat().st_size != part.size or manifests.sha256_of(local) != part.sha256:
            raise BackupRefused(
                _(
                    "Часть %(part)s резервной копии %(name)s повреждена: её размер или "
                    "контрольная сумма SHA-256 не совпадает с описью."
                )
                % {"name": manifest.name, "part": part.name}
            )
        files[part.name] = local
    return files


def delete(storage, name: str) -> None:
    try:
        dirs, files = storage.listdir(name)
    except FileNotFoundError:
        return
    # The manifest goes first: a backup half-deleted is unfinished, not a damaged «backup».
    for file in sorted(files, key=lambda f: f != manifests.NAME):
        storage.delete(_path(name, file))
    for sub in dirs:
        delete(storage, _path(name, sub))
    with contextlib.suppress(NotImplementedError, OSError):
        Path(storage.path(name)).rmdir()  # a local folder keeps its empty directory
