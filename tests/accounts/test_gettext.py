"""Every Russian text of accounts and config goes through gettext, in Python and in templates."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.functional import Promise

from accounts.demo import DEMO_ACCOUNTS

BASE = Path(settings.BASE_DIR)
CYRILLIC = re.compile("[А-Яа-яЁё]")
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "gettext_noop",
}
# Demo data: names of people and schools, not interface text (its printed labels are checked
# below).
NOT_UI = {BASE / "accounts" / "demo.py", BASE / "accounts" / "demo_college.py"}

TRANSLATED_IN_TEMPLATE = [
    re.compile(r"{%\s*blocktranslate\b.*?{%\s*endblocktranslate\s*%}", re.S),
    re.compile(r"{%\s*(translate|trans)\s+(\"[^\"]*\"|'[^']*')[^%]*%}"),
    re.compile(r"{#.*?#}", re.S),
    re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S),
]


def python_files():
    for folder in ("accounts", "config"):
        for path in sorted((BASE / folder).rglob("*.py")):
            if "migrations" not in path.parts and path not in NOT_UI:
                yield path


def bare_russian_strings(source: str) -> list[str]:
    """String constants with Cyrillic outside a gettext call and outside docstrings."""
    tree = ast.parse(source)
    allowed = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in GETTEXT:
                allowed.update(id(inner) for inner in ast.walk(node))
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            allowed.add(id(body[0].value))  # a docstring
    return [
        f"line {node.lineno}: {node.value[:60]!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and CYRILLIC.search(node.value)
        and id(node) not in allowed
    ]


def untranslated_template_lines(text: str) -> list[str]:
    for pattern in TRANSLATED_IN_TEMPLATE:
        text = pattern.sub("", text)
    return [line.strip() for line in text.splitlines() if CYRILLIC.search(line)]


@pytest.mark.parametrize("path", list(python_files()), ids=lambda p: str(p.relative_to(BASE)))
def test_no_bare_russian_string_in_python(path):
    assert bare_russian_strings(path.read_text()) == []


@pytest.mark.parametrize(
    "path",
    sorted(
        p
        for folder in ("templates/accounts", "templates/registration")
        for p in (BASE / folder).rglob("*")
        if p.is_file()
    ),
    ids=lambda p: str(p.relative_to(BASE)),
)
def test_no_bare_russian_text_in_templates(path):
    assert untranslated_template_lines(path.read_text()) == []


def test_the_checks_themselves_catch_a_bare_string():
    assert bare_russian_strings('x = "Привет"\ny = _("Пока")\n') == ["line 1: 'Привет'"]
    assert untranslated_template_lines('<p>Привет</p>{% translate "Пока" %}') == ["<p>Привет</p>"]


def test_the_printed_demo_labels_are_translatable():
    assert all(isinstance(label, Promise) for _username, label in DEMO_ACCOUNTS)
