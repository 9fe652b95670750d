"""A Monday morning (locust): 60% parents' diary (week, marks), 20% teachers (grid views and
cell saves), 10% sign-ins, 10% leadership pages; TrivialUser alone is the floor, a
signed-in trivial page, DiaryAlone the parents' pages by themselves and CellSavesAlone the
teachers' cell saves by themselves. Every request is
appended to LOADTEST_LOG («time,kind,ms,ok»), from which bench/load/figures.py computes the
figures. Run by bench/load/__main__.py only.
"""

import itertools
import json
import os
import random
import re
import time
from pathlib import Path

from locust import FastHttpUser, between, events, task
from locust.contrib.fasthttp import FastHttpSession

PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text())
_log = open(os.environ["LOADTEST_LOG"], "a", buffering=1)  # noqa: SIM115  (for the whole run)
_parents = itertools.count()
_teachers = itertools.count()
_token = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@events.request.add_listener
def _write(request_type, name, response_time, response_length, exception, response, **kw):
    ok = exception is None
    _log.write(f"{time.time():.3f},{name},{response_time:.1f},{int(ok)}\n")


def _sign_in(client, username, name="setup") -> None:
    """Through the sign-in form, as a person does (the password hasher included)."""
    page = client.get("/auth/login/", name=f"{name}_form")
    token = _token.search(page.content).group(1).decode()
    with client.post(
        "/auth/login/",
        data={"username": username, "password": PLAN["password"], "csrfmiddlewaretoken": token},
        name=name,
        allow_redirects=False,
        catch_response=True,
    ) as response:
        if response.status_code != 302:
            response.failure(f"sign-in answered {response.status_code}")


def _session(user) -> FastHttpSession:
    return FastHttpSession(user.host, user.environment.events.request, user)


class MondayMorning(FastHttpUser):
    wait_time = between(0, 0)  # back to back: the figures are the server's capacity

    def on_start(self):
        self.parent = PLAN["parents"][next(_parents) % len(PLAN["parents"])]
        _sign_in(self.client, self.parent["username"])
        self.teacher = _session(self)
        _sign_in(self.teacher, PLAN["teacher"]["username"])
        self.teacher.get(PLAN["teacher"]["grid"], name="setup")  # its CSRF cookie
        self.leader = _session(self)
        _sign_in(self.leader, PLAN["leader"]["username"])
        self.values = itertools.cycle("54")

    @task(30)
    def diary_week(self):
        self.client.get(self.parent["week"], name="diary_week")

    @task(30)
    def diary_marks(self):
        self.client.get(self.parent["marks"], name="diary_marks")

    @task(10)
    def grid(self):
        self.teacher.get(PLAN["teacher"]["grid"], name="grid")

    @task(10)
    def cell_save(self):
        url = random.choice(PLAN["teacher"]["cells"])
        self.teacher.post(
            url,
            data={"value": next(self.values), "column": str(PLAN["teacher"]["column"])},
            headers={"X-CSRFToken": _csrf(self.teacher), "X-Requested-With": "fetch"},
            name="cell_save",
        )

    @task(10)
    def sign_in(self):
        _sign_in(_session(self), random.choice(PLAN["parents"])["username"], name="sign_in")

    @task(10)
    def leadership(self):
        self.leader.get(random.choice(PLAN["leader"]["pages"]), name="leadership")


class CellSavesAlone(FastHttpUser):
    """Teachers only, each typing into their own course's lesson of today: a real change on
    every save (a pupil's cell goes 5, then 4 on the next round), set against the trivial
    page's rate in the same run."""

    wait_time = between(0, 0)

    def on_start(self):
        self.teacher = PLAN["teachers"][next(_teachers) % len(PLAN["teachers"])]
        _sign_in(self.client, self.teacher["username"])
        self.client.get(self.teacher["grid"], name="setup")  # its CSRF cookie
        self.saves = itertools.count()

    @task
    def cell_save_alone(self):
        n = next(self.saves)
        cells = self.teacher["cells"]
        self.client.post(
            cells[n % len(cells)],
            data={"value": "54"[(n // len(cells)) % 2], "column": str(self.teacher["column"])},
            headers={"X-CSRFToken": _csrf(self.client), "X-Requested-With": "fetch"},
            name="cell_save_alone",
        )


def _csrf(session) -> str:
    for cookie in session.cookiejar:
        if cookie.name == "csrftoken":
            return cookie.value
    return ""


class DiaryAlone(FastHttpUser):
    """Parents only, each on their own child's week and marks: the diary's capacity, set
    against the trivial page's in the same run."""

    wait_time = between(0, 0)

    def on_start(self):
        self.parent = PLAN["parents"][next(_parents) % len(PLAN["parents"])]
        _sign_in(self.client, self.parent["username"])

    @task
    def diary_week_alone(self):
        self.client.get(self.parent["week"], name="diary_week_alone")

    @task
    def diary_marks_alone(self):
        self.client.get(self.parent["marks"], name="diary_marks_alone")


class TrivialUser(FastHttpUser):
    """The floor: a signed-in trivial page through the same stack."""

    wait_time = between(0, 0)

    def on_start(self):
        _sign_in(self.client, PLAN["parents"][next(_parents) % len(PLAN["parents"])]["username"])

    @task
    def trivial(self):
        self.client.get(PLAN["trivial"], name="trivial")
