"""The pages run no inline script and carry no inline style, so a strict CSP holds on them.

The browser test (tests/journal/test_browser_journal.py) fails on any violation a real browser
reports; this one reads every template of the site for what the policy forbids, so that a new
page is caught before anyone opens it.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# What is never shown in a browser: e-mails.
# Not pages: an e-mail's body, and documents WeasyPrint prints (never served to a browser).
NOT_PAGES = {"reports/digest_email.html", "grading/retake_document.html"}
FORBIDDEN = {
    "an inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "an inline event handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "a javascript: link": re.compile(r"javascript:", re.I),
    "a style attribute": re.compile(r"\sstyle\s*=", re.I),
    "a <style> element": re.compile(r"<style[\s>]", re.I),
}
PAGES = sorted(
    str(path.relative_to(TEMPLATES))
    for path in TEMPLATES.rglob("*.html")
    if str(path.relative_to(TEMPLATES)) not in NOT_PAGES
)


@pytest.mark.parametrize("name", PAGES)
def test_a_page_template_holds_nothing_the_policy_forbids(name):
    text = (TEMPLATES / name).read_text()
    found = [what for what, pattern in FORBIDDEN.items() if pattern.search(text)]
    assert not found, f"{name}: {', '.join(found)}"


def test_the_policy_allows_scripts_and_styles_of_the_site_only():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    for name in ("script-src", "style-src", "default-src"):
        assert directives[name] == ["'self'"], name
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]


def test_a_public_page_may_be_stored_but_a_signed_in_page_may_not(client, school):
    from accounts.models import Role
    from accounts.navigation import school_reverse
    from tests.factories import make_member

    public = client.get("/code/")  # the public code entry: nothing personal on it
    assert "no-store" not in public.get("Cache-Control", "")
    assert "script-src 'self'" in public["Content-Security-Policy"]
    client.force_login(make_member(school, Role.TEACHER))
    private = client.get(school_reverse(school, "accounts:dashboard"))
    assert "no-store" in private["Cache-Control"]
