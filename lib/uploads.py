"""Uploaded files: how much of one is kept, and whether its content is what its name says.

- `CappedUploadHandler` (first in FILE_UPLOAD_HANDLERS) passes on at most
  FILE_UPLOAD_MAX_BYTES + 1 bytes of any uploaded file: a larger file is kept truncated, one
  byte over the largest limit any form allows, so that the form refuses it with its own
  Russian message («больше 10 МБ») and neither memory nor the temporary folder holds more.
  (The request body itself is read to its end; its total size is the proxy's to bound.)
- `content_matches` looks at a file's first bytes: a «.pdf» must be a PDF, a «.jpg» a JPEG,
  a «.txt» text — a program or a web page renamed to an allowed extension is refused.
"""

import filetype
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler

HEAD_BYTES = 8192  # what filetype reads; enough for every signature below


class CappedUploadHandler(FileUploadHandler):
    def receive_data_chunk(self, raw_data, start):
        cap = settings.FILE_UPLOAD_MAX_BYTES + 1
        if start >= cap:
            return None  # the handlers after this one get nothing more of this file
        return raw_data[: cap - start]

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) makes the file


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc, .xls, .ppt
TEXT = "text"
ZIP = "zip"
# What a file with each extension may contain, as filetype names it. An office document
# that filetype does not tell apart from its container (OLE2, zip) passes as the container:
# a zip is allowed as itself anyway.
CONTENT_OF = {
    ".pdf": {"pdf"},
    ".rtf": {"rtf"},
    ".doc": {"doc", "ole2"},
    ".xls": {"xls", "ole2"},
    ".ppt": {"ppt", "ole2"},
    ".docx": {"docx", ZIP},
    ".xlsx": {"xlsx", ZIP},
    ".pptx": {"pptx", ZIP},
    ".odt": {"odt", ZIP},
    ".ods": {"ods", ZIP},
    ".odp": {"odp", ZIP},
    ".zip": {ZIP, "docx", "xlsx", "pptx", "odt", "ods", "odp", "epub"},
    ".jpg": {"jpg"},
    ".jpeg": {"jpg"},
    ".png": {"png", "apng"},
    ".gif": {"gif"},
    ".webp": {"webp"},
    ".mp3": {"mp3"},
    ".ogg": {"ogg"},
    ".mp4": {"mp4", "m4v", "m4a", "mov"},
    ".webm": {"webm", "mkv"},
    ".txt": {TEXT},
    ".csv": {TEXT},
}
# Control characters that never appear in text a person typed (tab, line feeds, form feed are
# whitespace); a NUL first of all means a binary file.
BINARY = frozenset(range(0, 9)) | {11, 14, 15, *range(16, 32), 127}


def looks_like_text(head: bytes) -> bool:
    """No binary control characters, and UTF-8 (perhaps cut inside the last character) or
    Windows-1251."""
    if any(byte in BINARY for byte in head):
        return False
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as error:
        if len(head) == HEAD_BYTES and error.start >= len(head) - 3:
            return True
    try:
        head.decode("cp1251")
        return True
    except UnicodeDecodeError:
        return False


def kind_of(head: bytes) -> str | None:
    """What filetype sees in the first bytes, with OLE2 named too; None for unknown."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.extension
    if head.startswith(OLE2):
        return "ole2"
    return None


def content_matches(uploaded, suffix: str) -> bool:
    """Whether the file's first bytes are of a kind its extension allows (CONTENT_OF)."""
    allowed = CONTENT_OF.get(suffix.lower())
    if not allowed:
        return False
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(position)
    kind = kind_of(head)
    if TEXT in allowed:
        return kind is None and looks_like_text(head)
    return kind in allowed
