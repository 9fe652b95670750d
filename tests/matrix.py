"""The permission matrix: every URL × every actor × own/foreign object.

Each app lists its rows in tests/<app>/matrix_rows*.py. A row names a URL, how to build its
arguments from the World, and the status each actor must get. Actors not named get the
defaults below: anonymous users are sent to sign in, and anyone without a role in the school
— an outsider, another school's administrator or parent — gets 404, as if the school did not
exist. A parent of another child of the same school gets what the parent gets unless the row
says otherwise, which every row about one pupil's data must.
"""

from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

ACTORS = [
    "anonymous",
    "outsider",
    "admin",
    "director",
    "deputy",
    "teacher",
    "class_teacher",
    "parent",
    "pupil",
    "other_parent",  # a parent of another pupil of the same school
    "foreign_admin",
    "foreign_parent",  # a parent of a pupil of the other school
    # The two schools are branches of one organisation (a college): its deputy reads both as
    # their director reads them and writes nothing (accounts.organisations). The staff of one
    # branch get 404 in the other (foreign_admin, above).
    "org_deputy",
    # The roles of a college (issue 18). The master of industrial training and the педагог ДО
    # keep the teacher's courses beside them (the world assigns both to them) and get what the
    # teacher gets; the head of the department of the own class reads its control, reports
    # and timetable; the specialist for staff records reads the staff list. A row names them
    # where they differ; otherwise `college_status` says what they get.
    "master",
    "extra_teacher",
    "head_of_department",
    "hr",
]
COLLEGE_ROLES = ["master", "extra_teacher", "head_of_department", "hr"]
SCHOOL_ROLES = ["admin", "director", "deputy", "teacher", "class_teacher", "parent", "pupil"]
LEADERSHIP = ["admin", "director", "deputy"]


@dataclass
class Row:
    url: str
    case: str  # which object: "own", "other", "foreign" (another school's object), "list"
    kwargs: object = None  # World -> dict of URL kwargs (without school_slug)
    expect: dict = field(default_factory=dict)  # actor -> status
    method: str = "get"
    school: str = "school"  # which World school the URL is under
    data: object = field(default_factory=dict)  # a dict, or World -> dict (a query naming objects)
    public: bool = False  # outside /s/<school>/: anonymous is not redirected by default

    def status_for(self, actor: str) -> int:
        if actor in self.expect:
            return self.expect[actor]
        if actor == "org_deputy":
            return self.organisation_status()
        if actor in COLLEGE_ROLES:
            from .matrix_college import EXCEPTIONS

            found = EXCEPTIONS.get((self.method, self.url, self.case), {})
            return found[actor] if actor in found else self.college_status(actor)
        if self.public:
            raise KeyError(f"{self.url}: public row must name every actor ({actor})")
        if actor == "anonymous":
            return 302
        if actor in ("outsider", "foreign_admin") or (
            actor == "foreign_parent" and self.school == "school"
        ):
            return 404
        if actor == "other_parent" and "parent" in self.expect:
            # A family page answers a parent of another child as it answers a parent; rows
            # about one pupil's data say otherwise (404) explicitly.
            return self.expect["parent"]
        raise KeyError(f"{self.url} [{self.case}]: no expectation for {actor}")

    def organisation_status(self) -> int:
        """The organisation's deputy: on a page outside the schools, what an account without
        a school role gets; in a branch, what its director reads, and every write refused."""
        if self.public:
            return self.status_for("outsider")
        if self.method != "get":
            return 403
        if self.school != "school":
            raise KeyError(f"{self.url} [{self.case}]: no expectation for org_deputy")
        return self.status_for("director")

    def college_status(self, actor: str) -> int:
        """A college role a row does not name: the teacher's status for those who keep the
        teacher's courses; for the others, what every school role gets alike (a page of any
        member, or of nobody), else 403 — a staff page not theirs."""
        if self.public:
            return self.status_for("outsider")
        if actor in ("master", "extra_teacher"):
            return self.status_for("teacher")
        alike = {self.status_for(role) for role in SCHOOL_ROLES}
        return alike.pop() if len(alike) == 1 else 403

    def query(self, world) -> dict:
        """The data the request sends (a row may build it from the World's objects)."""
        return self.data(world) if callable(self.data) else dict(self.data)

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.url} [{self.case}]"


def allow(statuses: dict | None = None, *, ok=200, only=(), default=403) -> dict:
    """Expectations for the school roles: `ok` for the roles in `only`, `default` for the rest."""
    expect = {role: (ok if role in only else default) for role in SCHOOL_ROLES}
    expect.update(statuses or {})
    return expect


def all_rows() -> list[Row]:
    rows = []
    for path in sorted(Path(__file__).parent.glob("*/matrix_rows*.py")):
        rows.extend(import_module(f"tests.{path.parent.name}.{path.stem}").ROWS)
    return rows
