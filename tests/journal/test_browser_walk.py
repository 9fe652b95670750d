"""Acceptance: each role, from the sign-in form, reaches its everyday pages by clicking only
(no typed URLs past the sign-in page) — families on a phone — with axe clean on the way."""

import pytest
from django_scopes import scopes_disabled

from accounts.models import FamilyAccessEnd, User
from tests.factories import PASSWORD, make_parent

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


def fits(page, selector, viewport):
    """The element lies within the phone's width (nothing runs past its edge)."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], (
        selector,
        box,
    )


def submit(page, form_selector):
    click(page, f"{form_selector} button[type=submit]")


def to_school(page, world):
    # A user of one school lands on it; otherwise the account's home lists the schools.
    if f"/s/{world.school.slug}/" not in page.url:
        click(page, f"a[href='/s/{world.school.slug}/']")


def test_every_role_walks_to_its_pages_by_clicking(browser, live_server):  # noqa: F811
    from tests.world import World

    world = World.build()
    course = world.own_course
    # A second parent of the own pupil, whose access the class teacher ends on the way.
    stranger = make_parent(world.school, world.own_pupil, "walk_stranger")

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
    click(page, "header nav a:text-is('Сегодня')")
    click(page, f"main a[href*='/journal/courses/{course.pk}/']")
    page.wait_for_selector(".grid-head h1")
    click(page, "header nav a:text-is('Мои курсы')")
    context.close()

    context, page = signed_in(browser, live_server, world.users["class_teacher"])
    to_school(page, world)
    click(page, "main a:text-is('Пропуски и их причины')")
    assert page.is_visible("text=Болел с … по …")
    click(page, "header nav a:text-is('Журналы')")
    assert "ваш класс" in page.inner_text("main")
    # The class's pupils and parents: a card, its record and a parent's contacts kept
    # current, the family's access to the diary (ended with a reason), the class's codes.
    click(page, "header nav a:text-is('Главная')")
    click(page, "main a:text-is('Обучающиеся и родители')")
    click(page, f"main a[aria-label='Карточка: {world.own_pupil.full_name}']")
    click(page, "main a:text-is('Изменить')")
    page.fill("#id_phone", "+7 900 555-44-33")
    submit(page, "main form.card")
    assert "+7 900 555-44-33" in page.inner_text("main")
    click(page, f"main a:text-is('контакты: {stranger.short_name}')")
    page.fill("#id_phone", "+7 900 777-66-55")
    submit(page, "main form.card")
    assert "+7 900 777-66-55" in page.inner_text("main")
    click(page, "main a:text-is('Доступ к дневнику и коды')")
    page.select_option("#id_whose", str(stranger.pk))
    page.fill("#id_reason", "Код получил посторонний")
    submit(page, f"main form[action$='/pupils/{world.own_pupil.pk}/access/end/']")
    assert "Код получил посторонний" in page.inner_text("main")
    click(page, "main a:text-is('← " + world.own_pupil.full_name + "')")
    click(page, "header nav a:text-is('Классы')")
    click(page, f"main a[href$='/classes/{world.own_class.pk}/']")
    click(page, "main a:text-is('Коды доступа родителей и обучающихся')")
    click(page, "header nav a:text-is('Распечатки')")
    context.close()
    with scopes_disabled():
        ended = FamilyAccessEnd.objects.get()
        assert (ended.user_id, ended.ended_by_id) == (stranger.pk, world.users["class_teacher"].pk)
        assert User.objects.get(pk=stranger.pk).history.first().phone == "+7 900 777-66-55"

    # The administrator's home, the codes waiting, the sign-ins, the settings, a pupil's card
    # and their family's access.
    context, page = signed_in(browser, live_server, world.users["admin"])
    to_school(page, world)
    click(page, "main a:text-is('Коды сотрудников ждут входа')")
    click(page, "header nav a:text-is('Журнал входов')")
    click(page, "header nav a:text-is('Настройки')")
    click(page, "header nav a:text-is('Обучающиеся')")
    click(page, f"main a:text-is('{world.own_pupil.full_name}')")
    click(page, "main a:text-is('Доступ к дневнику и коды')")
    assert "Код получил посторонний" in page.inner_text("main")
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
    # The whole menu within the phone's width: «Уведомления» and the unread count not cut off.
    fits(page, "header nav a:text-is('Уведомления')", PHONE)
    click(page, "nav.tabs a:text-is('Расписание')")
    # Every school day of the week on the phone, Thursday and Friday included.
    for day in ("Четверг", "Пятница"):
        fits(page, f".tt-days section.day h3:text-is('{day}')", PHONE)
    other = page.locator("nav.switch.children a:not(.on)").first
    with page.expect_navigation():
        other.click()
    assert page.url.endswith("/timetable/")  # the tab is kept
    click(page, "header nav a:text-is('Сообщения')")
    assert page.is_visible("header nav a:text-is('Уведомления')")
    click(page, "main a:text-is('Написать')")
    fits(page, "main select", PHONE)
    click(page, "header nav a:text-is('Уведомления')")
    click(page, f"header a:text-is('{world.users['parent'].short_name}')")
    context.close()

    # The pupil, on a phone: their diary, its marks.
    context, page = signed_in(browser, live_server, world.users["pupil"], PHONE)
    to_school(page, world)
    click(page, "header nav a:text-is('Дневник')")
    click(page, "nav.tabs a:text-is('Отметки')")
    context.close()
