"""Acceptance: each role, from the sign-in form, reaches its everyday pages by clicking only
(no typed URLs past the sign-in page) — families on a phone — with axe clean on the way."""

import pytest

from tests.factories import PASSWORD

from .test_browser_accessibility import violations
from .test_browser_journal import CHROMIUM, browser, watch, watched  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db(transaction=True)]
assert CHROMIUM

PHONE = {"width": 390, "height": 844}


def signed_in(browser, live_server, user, viewport=None):  # noqa: F811
    context = browser.new_context(viewport=viewport or {"width": 1366, "height": 768})
    page = watch(context.new_page())
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/auth/login/")
    assert not violations(page)
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    return context, page


def click(page, selector):
    with page.expect_navigation():
        page.click(selector)
    assert not violations(page), page.url


def to_school(page, world):
    # A user of one school lands on it; otherwise the account's home lists the schools.
    if f"/s/{world.school.slug}/" not in page.url:
        click(page, f"a[href='/s/{world.school.slug}/']")


def test_every_role_walks_to_its_pages_by_clicking(browser, live_server):  # noqa: F811
    from tests.world import World

    world = World.build()
    course = world.own_course

    context, page = signed_in(browser, live_server, world.users["teacher"])
    to_school(page, world)
    click(page, "header nav a:text-is('Журналы')")
    click(page, f"main a[href$='/journal/courses/{course.pk}/']:text-is('журнал')")
    page.wait_for_selector(".grid-head h1")
    click(page, "nav.course-pages a:text-is('Итоговые отметки')")
    click(page, "nav.course-pages a:text-is('КТП')")
    click(page, "nav.course-pages a:text-is('План и факт')")
    click(page, "nav.course-pages a:text-is('Журнал')")
    page.wait_for_selector(".grid-head h1")
    context.close()

    context, page = signed_in(browser, live_server, world.users["class_teacher"])
    to_school(page, world)
    click(page, "main a:text-is('Пропуски и их причины')")
    assert page.is_visible("text=Болел с … по …")
    click(page, "header nav a:text-is('Журналы')")
    assert "ваш класс" in page.inner_text("main")
    context.close()

    for actor in ("deputy", "director", "admin"):
        context, page = signed_in(browser, live_server, world.users[actor])
        to_school(page, world)
        click(page, "header nav a:text-is('Журналы')")
        click(page, f"main a[href$='/courses/{course.pk}/finals/']")
        click(page, "nav.course-pages a:text-is('Журнал')")
        context.close()

    context, page = signed_in(browser, live_server, world.users["parent"], PHONE)
    to_school(page, world)
    click(page, "header nav a:text-is('Дневник')")
    assert page.is_visible("header nav a:text-is('Сообщения')")
    children = page.locator("nav.switch.children a")
    assert children.count() >= 2
    click(page, "nav.tabs a:text-is('Расписание')")
    other = page.locator("nav.switch.children a:not(.on)").first
    with page.expect_navigation():
        other.click()
    assert page.url.endswith("/timetable/")  # the tab is kept
    click(page, "header nav a:text-is('Сообщения')")
    context.close()
