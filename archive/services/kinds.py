"""The kinds of document a year's archive holds, each with what it is built of and how it is
rendered: a registry, so that a later part adds its kind by registering a builder (the
college's зачётно-экзаменационные ведомости, built in grading/reports, are to be added
here as one `register(DocumentKind(...))` — a new ArchiveDocument.Kind, the parts it is
built of, the renderer).

A part is one document of one class, of the whole year or of one study period: a school's
class journal is of the year; a college group's journal is one per semester (the college's
study periods are its semesters).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from accounts.models import School
from reports.services.scope import grade_periods, year_periods
from schedule.models import StudyPeriod

from ..models import ArchiveDocument

Kind = ArchiveDocument.Kind


@dataclass(frozen=True)
class DocumentKind:
    kind: str  # an ArchiveDocument.Kind
    # (the year's periods, a class) → the periods to build a document of (None: the year)
    periods: Callable[[list, object], Iterable]
    render: Callable[[object, object], bytes]  # (class, period or None) → the file
    # (the year's periods, the classes) → the (class pk, period pk) that have something to
    # file, found in one query for all the classes (the college's exam ledgers: only the
    # semesters with an assessment). None: every period `periods` gives is filed.
    filed: Callable[[list, list], set] | None = None


REGISTRY: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> None:
    REGISTRY[kind.kind] = kind


def whole_year(_periods, _school_class):
    return [None]


def semesters_of_a_college(periods, school_class):
    """A college group's periods (its semesters), or the whole year for a school's class or
    a group whose year has no semesters set."""
    if school_class.school.kind != School.Kind.COLLEGE:
        return [None]
    mine = [
        p for p in grade_periods(periods, school_class.grade) if p.kind == StudyPeriod.Kind.SEMESTER
    ]
    return mine or [None]


def parts_of(year, classes) -> list[tuple[str, object, object]]:
    """(kind, class, period or None) of every document of the year's `classes` (one query for
    the periods and one per kind with a `filed` check, whatever the number of classes)."""
    periods = year_periods(year)
    classes = list(classes)
    filed = {k.kind: k.filed(periods, classes) for k in REGISTRY.values() if k.filed}
    return [
        (kind.kind, school_class, period)
        for school_class in classes
        for kind in REGISTRY.values()
        for period in kind.periods(periods, school_class)
        if kind.kind not in filed
        or (school_class.pk, period.pk if period else None) in filed[kind.kind]
    ]


def render(school_class, kind: str, period=None) -> bytes:
    return REGISTRY[kind].render(school_class, period)
