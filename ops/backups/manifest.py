"""The manifest of a backup: what it holds, and how to tell that it is whole."""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

FORMAT = 1
NAME = "manifest.json"


class BackupRefused(Exception):
    """A backup that is damaged, unfinished, or does not fit the target (a Russian message)."""


@dataclass
class Part:
    name: str
    size: int
    sha256: str


@dataclass
class Manifest:
    name: str
    created_at: str  # ISO 8601 with the offset
    kind: str  # "nightly" or "manual"
    night: str | None  # the night a nightly backup is for (ISO date)
    engine: str  # "postgresql" or "sqlite"
    schema: dict[str, str]  # app → its latest applied migration
    parts: list[Part] = field(default_factory=list)
    format: int = FORMAT

    @property
    def created(self) -> datetime:
        return datetime.fromisoformat(self.created_at)

    @property
    def size(self) -> int:
        return sum(part.size for part in self.parts)

    def part(self, name: str) -> Part | None:
        return next((part for part in self.parts if part.name == name), None)

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2).encode()

    @classmethod
    def from_json(cls, raw: bytes, name: str) -> "Manifest":
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise BackupRefused(
                    _("Резервная копия %(name)s сделана в неизвестном формате %(format)s.")
                    % {"name": name, "format": data.get("format")}
                )
            parts = [Part(str(p["name"]), int(p["size"]), str(p["sha256"])) for p in data["parts"]]
            manifest = cls(
                name=str(data["name"]),
                created_at=str(data["created_at"]),
                kind=str(data["kind"]),
                night=data.get("night"),
                engine=str(data["engine"]),
                schema={str(k): str(v) for k, v in data["schema"].items()},
                parts=parts,
            )
            manifest.created  # noqa: B018  (a malformed time is a damaged manifest)
        except BackupRefused:
            raise
        except (ValueError, KeyError, TypeError, AttributeError):
            raise BackupRefused(
                _("Опись резервной копии %(name)s повреждена: копия неполна или испорчена.")
                % {"name": name}
            ) from None
        if manifest.name != name or not manifest.parts:
            raise BackupRefused(
                _("Опись резервной копии %(name)s не относится к ней или пуста.") % {"name": name}
            )
        return manifest


def sha256_of(path, chunk: int = 1024 * 1024) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()
