"""The first bytes of a real file of each kind a homework may carry, and hostile ones."""

import io
import zipfile


def _zip(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _odf(kind: str) -> bytes:
    return _zip({"mimetype": f"application/vnd.oasis.opendocument.{kind}", "content.xml": "<x/>"})


def _xlsx() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
GOOD = {
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
    "rtf": b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} Hello}",
    "doc": OLE2,
    "xls": OLE2,
    "ppt": OLE2,
    "docx": _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}),
    "xlsx": _xlsx(),
    "pptx": _zip({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"}),
    "odt": _odf("text"),
    "ods": _odf("spreadsheet"),
    "odp": _odf("presentation"),
    "zip": _zip({"readme.txt": "Задание"}),
    "jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 32,
    "jpeg": b"\xff\xd8\xff\xe1\x00\x10Exif\x00\x00" + b"\x00" * 32,
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32,
    "gif": b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + b"\x00" * 16,
    "webp": b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00" + b"\x00" * 24,
    "mp3": b"ID3\x03\x00\x00\x00\x00\x00\x0f" + b"\x00" * 32,
    "ogg": b"OggS\x00\x02" + b"\x00" * 40,
    "mp4": b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 16,
    "webm": b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3"
    b"\x81\x08\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02" + b"\x00" * 16,
    "txt": "Прочитать § 12, ответить на вопросы 1–5.\r\n".encode(),
    "csv": "Фамилия;Имя\r\nИванов;Пётр\r\n".encode("cp1251"),
}
# A program, a web page and a picture, each under a name it is not.
HOSTILE = [
    ("program.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64),
    ("page.jpg", b"<!doctype html><script>alert(1)</script>"),
    ("picture.pdf", GOOD["png"]),
    ("program.txt", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),
    ("elf.docx", b"\x7fELF\x02\x01\x01" + b"\x00" * 64),
    ("archive.doc", GOOD["zip"]),
]
