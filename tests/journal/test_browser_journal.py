"""The journal in a real browser (Debian's headless Chromium): keyboard entry, end to end.

A teacher signs in through the form, opens today's lesson from «мои уроки сегодня», types
marks and an absence with the keyboard, reloads and sees them; an invalid value shows its
message in the cell; Tab and arrows move between cells; the class teacher gets the same page
without a single input, and one click on a cell opens its history.
"""

import os
import re
import shutil

import pytest
from django_scopes import scopes_disabled

from accounts.navigation import school_reverse
from grading.models import Mark
from journal.models import Attendance
from tests.factories import PASSWORD

from .grid_builders import build_journal

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="нет /usr/bin/chromium"),
]


@pytest.fixture
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM in the test body
    # (building data, checking it) is synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


# Every page reports what the browser refused under the Content-Security-Policy, and every
# script error, to the test: a test that saw any fails (the `watched` fixture).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("CSP violation: " + e.violatedDirective + " " + (e.blockedURI || "inline")
    + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""
PROBLEMS: list = []


def note_console(page, message):
    # A resource the server refused (a 400 for a bad cell, a missing favicon) is the page
    # working as it should; a violation of the policy never is.
    text = message.text
    violation = "Content Security Policy" in text or text.startswith("CSP violation")
    script_error = message.type == "error" and not text.startswith("Failed to load resource")
    if violation or script_error:
        PROBLEMS.append(f"{page.url}: {text}")


def watch(page):
    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", lambda message: note_console(page, message))
    page.on("pageerror", lambda error: PROBLEMS.append(f"{page.url}: {error}"))
    return page


@pytest.fixture(autouse=True)
def watched():
    PROBLEMS.clear()
    yield
    assert not PROBLEMS, "\n".join(PROBLEMS)


def sign_in(browser, live_server, user):
    page = watch(browser.new_page())
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/auth/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def cell(lesson, pupil, column):
    return f"input[name=c{lesson.pk}_{pupil.pk}_{column}]"


def wait_saved(page, selector, text):
    page.wait_for_function(
        """([selector, text]) => {
            const input = document.querySelector(selector);
            return input && input.defaultValue === text
                && !input.parentNode.classList.contains("saving");
        }""",
        arg=[selector, text],
    )


def test_a_teacher_types_marks_and_an_absence_and_a_class_teacher_cannot(browser, live_server):
    journal = build_journal(3, 2, recent=True)
    today = journal.lessons[-1]
    first, second, third = journal.pupils
    column = journal.main_type(today).id

    page = sign_in(browser, live_server, journal.teacher)
    page.goto(live_server.url + school_reverse(journal.school, "journal:today"))
    assert "Мои уроки сегодня" in page.content()
    page.click(f"a[href*='#l{today.pk}']")
    page.wait_for_selector("#grid")
    assert re.search(rf"/journal/courses/{journal.course.pk}/", page.url)

    page.click(cell(today, first, column))
    page.keyboard.type("5")
    page.keyboard.press("Enter")  # saves and moves down to the next pupil
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    page.keyboard.type("н")
    page.keyboard.press("Enter")
    wait_saved(page, cell(today, first, column), "5")
    wait_saved(page, cell(today, second, column), "4")
    wait_saved(page, cell(today, third, column), "н")
    # The pupil's average follows at once (one 5).
    assert page.inner_text(f"tr[data-p='{first.pk}'] td.avg") == "5,00"

    # An invalid value: refused in the cell with a message, the rest stays.
    page.click(cell(today, second, column))
    page.keyboard.type("7")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"td.err > {cell(today, second, column)}")
    assert "не отметка" in page.inner_text("#grid-msg")
    assert page.input_value(cell(today, second, column)) == "7"

    page.reload()
    page.wait_for_selector("#grid")
    assert page.input_value(cell(today, first, column)) == "5"
    # The refused «7» is typed back into its cell after the reload, still marked; the 4
    # saved before is what the server keeps (its input's default value).
    assert page.input_value(cell(today, second, column)) == "7"
    assert page.locator(f"td.err > {cell(today, second, column)}").count() == 1
    assert (
        page.evaluate(f"document.querySelector('{cell(today, second, column)}').defaultValue")
        == "4"
    )
    assert page.input_value(cell(today, third, column)) == "н"
    # Arrow keys move between cells too: left from today's column reaches the day before.
    page.click(cell(today, first, column))
    page.keyboard.press("ArrowLeft")
    focused = page.evaluate("document.activeElement.name")
    earlier = f"input[name={focused}]"
    assert focused == f"c{journal.lessons[0].pk}_{first.pk}_{journal.main_type().id}"
    # Tab leaves the cell for the next one and the cell it left is saved.
    page.keyboard.type("3")
    page.keyboard.press("Tab")
    wait_saved(page, earlier, "3")
    next_name = f"c{today.pk}_{first.pk}_{column}"
    assert page.evaluate("document.activeElement.name") == next_name
    with scopes_disabled():
        assert Mark.objects.get(pupil=first, lesson=today).history.get().history_user == (
            journal.teacher
        )
        assert Mark.objects.get(pupil=first, lesson=journal.lessons[0]).value == "3"
        assert Attendance.objects.get(pupil=third).code == "absent"

    reader = sign_in(browser, live_server, journal.class_teacher)
    reader.goto(live_server.url + journal.url())
    reader.wait_for_selector("#grid")
    assert reader.locator("#grid input").count() == 0
    assert "5" in reader.inner_text(f"tr[data-p='{first.pk}']")
    # The cell's history is one click away: the teacher's 5, with who set it.
    marked = reader.locator(f"tr[data-p='{first.pk}'] td", has_text=re.compile(r"^5$"))
    marked.click()
    reader.wait_for_selector("h1:has-text('История клетки')")
    assert journal.teacher.short_name in reader.inner_text("table.list")


def test_every_page_works_under_the_content_security_policy(browser, live_server):
    """Each page the permission matrix lists, opened by someone it admits, in the browser:
    no violation of the policy, no script error; the few scripted controls still work."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse
    from django.utils.http import urlencode

    from tests.matrix import all_rows
    from tests.world import World

    world = World.build()
    order = ["deputy", "admin", "teacher", "class_teacher", "parent", "pupil"]
    pages = {}
    for row in all_rows():
        if row.method != "get" or row.case in ("foreign", "other", "mismatch"):
            continue
        actor = next((a for a in order if row.expect.get(a) == 200), None)
        if actor is None:
            continue
        with scopes_disabled():
            kwargs = row.kwargs(world) if row.kwargs else {}
            data = row.query(world)
        if not row.public:
            kwargs["school_slug"] = world.school.slug
        query = f"?{urlencode(data, doseq=True)}" if data else ""
        pages.setdefault(actor, []).append(reverse(row.url, kwargs=kwargs) + query)
    assert sum(len(urls) for urls in pages.values()) > 80
    opened = 0
    for actor, urls in pages.items():
        client = Client()
        client.force_login(world.users[actor])
        context = browser.new_context(accept_downloads=True)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        page = watch(context.new_page())
        for url in urls:
            try:
                response = page.goto(live_server.url + url)
            except Exception as error:  # a download (an XLSX, a PDF) is no page to check
                if "Download is starting" in str(error):
                    continue
                raise
            assert response.status == 200, (actor, url, response.status)
            if (response.header_value("content-type") or "").startswith("text/html"):
                policy = response.header_value("content-security-policy") or ""
                assert "script-src 'self'" in policy, (url, policy)
            opened += 1
        context.close()
    assert opened > 80


def test_the_scripted_controls_work_without_inline_script(browser, live_server):
    """The year list sends its form on a change, and the code slips print (static/js/app.js)."""
    journal = build_journal(2, 1, recent=True)
    page = sign_in(browser, live_server, journal.class_teacher)
    page.goto(
        live_server.url
        + school_reverse(journal.school, "schedule:class_codes", pk=journal.school_class.pk)
    )
    page.check("input[value=parent]")
    page.click("main form.card button[type=submit]")
    page.wait_for_selector(".slip")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.click("[data-action=print]")
    assert page.evaluate("window.printed === true")

    teacher = sign_in(browser, live_server, journal.teacher)
    teacher.goto(live_server.url + school_reverse(journal.school, "journal:plans"))
    options = teacher.locator("#id_year option")
    if options.count() > 1:
        value = options.nth(1).get_attribute("value")
        with teacher.expect_navigation():
            teacher.select_option("#id_year", value)
        assert f"year={value}" in teacher.url
    else:
        # One year only: the change still sends the form (the same page comes back).
        with teacher.expect_navigation():
            teacher.evaluate(
                "(() => { const s = document.querySelector('#id_year');"
                " s.dispatchEvent(new Event('change', {bubbles: true})); })()"
            )
        assert "year=" in teacher.url
