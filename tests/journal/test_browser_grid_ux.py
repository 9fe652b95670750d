"""The grid as a teacher meets it every day, in the browser: the heading stays in view, today's
column is on screen, the history link covers no cell, and refused cells stay marked — each
with its own message — until fixed, even after a reload."""

from datetime import timedelta

import pytest

from .grid_builders import add_lesson, build_journal
from .test_browser_journal import CHROMIUM, browser, cell, sign_in, wait_saved, watched  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db(transaction=True)]
assert CHROMIUM


def journal_with_future(pupils=12, past=30, future=10):
    journal = build_journal(pupils, past, recent=True)
    today = journal.school.today()
    for k in range(1, future + 1):
        journal.lessons.append(add_lesson(journal.course, today + timedelta(days=k), number=1))
    return journal


def in_view(page, selector) -> bool:
    return page.evaluate(
        """(selector) => {
            const el = document.querySelector(selector);
            const box = el.getBoundingClientRect();
            const wrap = el.closest('.grid-wrap').getBoundingClientRect();
            return box.left >= wrap.left && box.right <= wrap.right + 1
                && box.right <= window.innerWidth + 1;
        }""",
        selector,
    )


def test_on_a_phone_today_s_column_is_in_view_and_the_heading_stays(browser, live_server):  # noqa: F811
    journal = journal_with_future()
    page = sign_in(browser, live_server, journal.teacher)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + journal.url())
    page.wait_for_selector("#grid")
    today = next(lesson for lesson in journal.lessons if lesson.date == journal.today)
    assert page.locator(f"th#l{today.pk}.now").count() == 1
    assert in_view(page, f"th#l{today.pk}")
    assert not in_view(page, f"th#l{journal.lessons[0].pk}")  # a month back is off screen
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    top = page.evaluate("document.querySelector('.grid-head').getBoundingClientRect().top")
    assert 0 <= top < 5
    assert page.is_visible(".grid-head nav.periods")


def test_the_history_link_covers_no_cell(browser, live_server):  # noqa: F811
    journal = journal_with_future(pupils=4, past=3, future=0)
    today, (first, second, *_rest) = journal.lessons[-1], journal.pupils
    column = journal.main_type(today).id
    page = sign_in(browser, live_server, journal.teacher)
    page.goto(live_server.url + journal.url())
    page.click(cell(today, first, column))
    assert page.is_visible("#cell-history")
    assert first.last_name in page.inner_text("#cell-tools")
    below = page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            const x = box.left + box.width / 2, y = box.top + box.height / 2;
            const hit = document.elementFromPoint(x, y);
            return hit && hit.matches(selector);
        }""",
        cell(today, second, column),
    )
    assert below


def test_refused_cells_keep_their_own_messages_until_fixed_even_after_a_reload(
    browser,  # noqa: F811
    live_server,
):
    journal = journal_with_future(pupils=3, past=2, future=0)
    today = journal.lessons[-1]
    first, second, third = journal.pupils
    column = journal.main_type(today).id
    page = sign_in(browser, live_server, journal.teacher)
    page.goto(live_server.url + journal.url())
    page.click(cell(today, first, column))
    page.keyboard.type("7")
    page.keyboard.press("Enter")
    page.keyboard.type("9")
    page.keyboard.press("Enter")
    page.keyboard.type("5")
    page.keyboard.press("Enter")
    wait_saved(page, cell(today, third, column), "5")
    for pupil in (first, second):
        page.wait_for_selector(f"td.err > {cell(today, pupil, column)}")
        note = page.inner_text(f"tr[data-p='{pupil.pk}'] td.err .cell-note")
        assert "не отметка" in note, note
    items = page.locator("#grid-refused li")
    assert items.count() == 2
    assert "«7»" in items.nth(0).inner_text() + items.nth(1).inner_text()

    page.reload()
    page.wait_for_selector("#grid")
    assert page.input_value(cell(today, first, column)) == "7"
    assert page.locator(f"td.err > {cell(today, second, column)}").count() == 1
    assert page.locator("#grid-refused li").count() == 2

    # Fixed: the mark saves and its refusal goes; the other stays.
    page.click(cell(today, first, column))
    page.keyboard.press("Control+A")
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    wait_saved(page, cell(today, first, column), "4")
    assert page.locator("#grid-refused li").count() == 1
    page.reload()
    page.wait_for_selector("#grid")
    assert page.locator("#grid-refused li").count() == 1
    # Put back with Esc: the refusal is cleared.
    page.click(cell(today, second, column))
    page.keyboard.press("Escape")
    assert page.locator("#grid-refused li").count() == 0
    assert page.is_hidden("#grid-refused")
