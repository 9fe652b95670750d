"""Uploads: no file is kept past the largest limit, and a file's content must match its name."""

import io
import tracemalloc

import pytest
from django.conf import settings
from django.http.multipartparser import MultiPartParser
from django.test import RequestFactory
from django.utils.module_loading import import_string

from journal.services.homework import ALLOWED_EXTENSIONS
from lib.uploads import CONTENT_OF, content_matches

from .samples import GOOD, HOSTILE


def test_every_extension_a_homework_takes_has_a_rule_for_its_content():
    assert set(CONTENT_OF) >= ALLOWED_EXTENSIONS
    assert {f".{ext}" for ext in GOOD} == ALLOWED_EXTENSIONS  # a real sample of each


@pytest.mark.parametrize("ext", sorted(GOOD))
def test_a_real_file_of_each_kind_passes(ext):
    assert content_matches(io.BytesIO(GOOD[ext]), f".{ext}")


@pytest.mark.parametrize("name,content", HOSTILE, ids=[name for name, _ in HOSTILE])
def test_a_file_under_a_name_it_is_not_is_refused(name, content):
    assert not content_matches(io.BytesIO(content), "." + name.rsplit(".", 1)[1])


class Body(io.RawIOBase):
    """A multipart body of one file of `size` bytes, made as it is read (never held whole)."""

    def __init__(self, size: int, boundary: str):
        self.parts = [
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
                f'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
            ).encode(),
            size,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
        self.length = len(self.parts[0]) + size + len(self.parts[2])

    def readable(self):
        return True

    def readinto(self, buffer):
        while self.parts:
            part = self.parts[0]
            if isinstance(part, int):
                n = min(part, len(buffer))
                buffer[:n] = b"x" * n
                self.parts[0] = part - n
                if self.parts[0] == 0:
                    self.parts.pop(0)
                return n
            n = min(len(part), len(buffer))
            buffer[:n] = part[:n]
            self.parts[0] = part[n:]
            if not self.parts[0]:
                self.parts.pop(0)
            return n
        return 0


def test_a_file_three_times_the_limit_is_kept_one_byte_over_it_in_bounded_memory():
    size, boundary = 3 * settings.FILE_UPLOAD_MAX_BYTES, "zhurnal-boundary"
    body = Body(size, boundary)
    request = RequestFactory().post("/", content_type=f"multipart/form-data; boundary={boundary}")
    meta = {
        **request.META,
        "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
        "CONTENT_LENGTH": str(body.length),
    }
    handlers = [import_string(path)(request) for path in settings.FILE_UPLOAD_HANDLERS]
    tracemalloc.start()
    try:
        _data, files = MultiPartParser(meta, io.BufferedReader(body), handlers, "utf-8").parse()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    (upload,) = files.getlist("files")
    assert upload.size == settings.FILE_UPLOAD_MAX_BYTES + 1
    # Read in 64 KB chunks, written to a temporary file: a few megabytes at most in memory.
    assert peak < 8 * 1024 * 1024, peak
