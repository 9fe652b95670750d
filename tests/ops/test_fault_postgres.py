"""PostgreSQL stopped and started while pages are served: a cluster of the test's own
(pg_createcluster on a free port, dropped at the end) holding a copy of the test's data,
gunicorn on it. Requests during the outage get a Russian 503 page in the layout (JSON for
the journal's cell saves), /healthz still answers and /readyz says the database is down;
once PostgreSQL is back the same processes serve again (connection health checks), the
user still signed in. In a real browser, a mark typed during the outage stays in its cell
marked «не сохранено» and is saved by itself once the database is back."""

import os
import shutil

import psycopg
import pytest
from django.conf import settings

from accounts.navigation import school_reverse
from tests.factories import PASSWORD
from tests.journal.grid_builders import build_journal

from .services import app_env, database_url, gunicorn, postgres_cluster, sign_in

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(os.geteuid() != 0, reason="pg_createcluster needs root (as in CI)"),
]


@pytest.fixture
def served(tmp_path):
    """(journal, cluster, server): the journal's data in a cluster of its own, served."""
    journal = build_journal(3, 2, recent=True)
    with postgres_cluster() as cluster:
        cluster.copy_from(database_url(), "zhurnal")
        env = app_env(cluster.url("zhurnal"), settings.REDIS_URL)
        with gunicorn(env, tmp_path) as web:
            yield journal, cluster, web


def test_during_a_postgres_restart_pages_answer_a_russian_503_and_then_serve_again(served):
    journal, cluster, web = served
    grid = web.url + school_reverse(journal.school, "journal:grid", pk=journal.course.pk)
    today, pupil = journal.lessons[-1], journal.pupils[0]
    cell = web.url + school_reverse(journal.school, "journal:cell", pk=today.pk, pupil_pk=pupil.pk)
    teacher = sign_in(web.url, journal.teacher.username, PASSWORD)
    assert teacher.get(grid, timeout=10).status_code == 200

    cluster.stop()
    page = teacher.get(grid, allow_redirects=False, timeout=10)
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "15"
    assert "База данных журнала сейчас недоступна" in page.text
    assert '<header class="top">' in page.text and 'lang="ru"' in page.text  # the layout
    save = teacher.post(
        cell,
        data={"value": "5", "column": journal.main_type(today).id},
        headers={"X-CSRFToken": teacher.cookies["csrftoken"], "X-Requested-With": "fetch"},
        timeout=10,
    )
    assert save.status_code == 503
    assert save.json()["ok"] is False and "недоступна" in save.json()["error"]
    assert teacher.get(web.url + "/healthz", timeout=10).status_code == 200
    ready = teacher.get(web.url + "/readyz", timeout=10)
    assert ready.status_code == 503 and ready.json()["checks"]["database"] == "fail"

    cluster.start()
    # The very next request is served: the dead connections are noticed and replaced.
    page = teacher.get(grid, allow_redirects=False, timeout=10)
    assert page.status_code == 200  # and still signed in
    assert pupil.last_name in page.text
    assert teacher.get(web.url + "/readyz", timeout=10).json()["checks"]["database"] == "ok"


@pytest.mark.skipif(not shutil.which(CHROMIUM), reason="нет /usr/bin/chromium")
def test_a_mark_typed_while_postgres_is_down_is_kept_in_its_cell_and_saved_when_it_is_back(
    served,
):
    journal, cluster, web = served
    today, pupil = journal.lessons[-1], journal.pupils[0]
    column = journal.main_type(today).id
    selector = f"input[name=c{today.pk}_{pupil.pk}_{column}]"
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
        try:
            page = browser.new_page()
            page.set_default_timeout(15000)
            page.goto(f"{web.url}/auth/login/")
            page.fill("#id_username", journal.teacher.username)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            page.goto(
                web.url + school_reverse(journal.school, "journal:grid", pk=journal.course.pk)
            )
            page.wait_for_selector("#grid")

            cluster.stop()
            page.click(selector)
            page.keyboard.type("5")
            page.keyboard.press("Enter")
            cell = f"td:has(> {selector})"
            page.wait_for_selector(f"{cell} .unsaved-note")
            assert page.inner_text(f"{cell} .unsaved-note") == "не сохранено"
            assert page.input_value(selector) == "5"  # the typed value is kept
            assert "недоступна" in page.inner_text("#grid-msg")

            cluster.start()
            # Sent again by itself (every 5 s) until saved: then the note goes.
            page.wait_for_function(
                """(selector) => {
                    const input = document.querySelector(selector);
                    return input.defaultValue === "5"
                        && !input.parentNode.querySelector(".unsaved-note");
                }""",
                arg=selector,
                timeout=30000,
            )
        finally:
            browser.close()

    with psycopg.connect(cluster.url("zhurnal").replace("postgres://", "postgresql://")) as conn:
        value = conn.execute(
            "SELECT value FROM grading_mark WHERE lesson_id = %s AND pupil_id = %s",
            [today.pk, pupil.pk],
        ).fetchone()
    assert value == ("5",)
