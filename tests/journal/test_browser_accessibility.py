"""Accessibility in the browser: axe-core (npm, node_modules/, installed by scripts/install)
on the pages people use every day — the grid, the diary's week, the sign-in page, the
deputy's home and the form pages. A critical or serious violation fails the test, and so does
a skipped heading level (moderate to axe)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from .test_browser_journal import CHROMIUM, browser, watch, watched  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db(transaction=True)]
assert CHROMIUM

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
FAILING = ("critical", "serious")
# Rules axe rates moderate that still fail the test: a heading level skipped (the diary's
# announcements once sat at h3 straight under the pupil's h1) leaves a screen reader's
# outline of the page with a hole.
ALWAYS_FAILING = ("heading-order",)


def violations(page) -> list[str]:
    # Evaluated, not added as a <script>: the page's Content-Security-Policy admits only its
    # own scripts, and the check must not change the page it checks.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
                count: v.nodes.length,
            }));
        }"""
    )
    return [
        f"{v['impact']} {v['id']} ({v['count']}×): {v['help']} — {v['nodes']}"
        for v in found
        if v["impact"] in FAILING or v["id"] in ALWAYS_FAILING
    ]


def open_as(browser, live_server, user):  # noqa: F811
    context = browser.new_context()
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
    page = watch(context.new_page())
    page.set_default_timeout(15000)
    return context, page


def pages(world):
    school = world.school.slug

    def url(name, **kwargs):
        if name != "login":
            kwargs["school_slug"] = school
        return reverse(name, kwargs=kwargs)

    return [
        (None, "login", url("login")),
        ("teacher", "grid", url("journal:grid", pk=world.own_course.pk)),
        ("teacher", "journals", url("journal:journals")),
        ("parent", "diary week", url("journal:diary_week", pupil=world.own_pupil.pk)),
        ("parent", "diary timetable", url("journal:diary_timetable", pupil=world.own_pupil.pk)),
        ("parent", "message form", url("journal:message_new")),
        ("deputy", "deputy's home", url("accounts:dashboard")),
        ("admin", "work types", url("grading:work_types")),
        ("admin", "course form", url("schedule:course_create")),
        ("admin", "school settings", url("accounts:settings")),
        ("admin", "staff codes", url("accounts:staff_codes")),
        ("admin", "pupil form", url("accounts:pupil_create")),
        ("class_teacher", "absences", url("journal:class_absences", pk=world.own_class.pk)),
        ("teacher", "lesson form", url("journal:lesson", pk=world.today_lesson.pk)),
        ("class_teacher", "pupil's record", url("accounts:pupil_edit", pk=world.own_pupil.pk)),
        ("class_teacher", "family access", url("accounts:family_access", pk=world.own_pupil.pk)),
        (
            "class_teacher",
            "parent's contacts",
            url(
                "accounts:parent_contacts",
                pk=world.own_pupil.pk,
                parent_pk=world.users["parent"].pk,
            ),
        ),
        ("class_teacher", "class codes", url("schedule:class_codes", pk=world.own_class.pk)),
    ]


def test_no_critical_or_serious_violation_on_everyday_pages(browser, live_server):  # noqa: F811
    from tests.world import World

    world = World.build()
    with scopes_disabled():
        listed = pages(world)
    problems = []
    for actor, name, path in listed:
        context, page = open_as(browser, live_server, world.users[actor] if actor else None)
        for viewport in ({"width": 1366, "height": 768}, {"width": 390, "height": 844}):
            page.set_viewport_size(viewport)
            response = page.goto(live_server.url + path)
            assert response.status == 200, (name, response.status)
            problems += [f"{name} @{viewport['width']}: {v}" for v in violations(page)]
        context.close()
    assert not problems, "\n".join(problems)
