"""Marks: work types and weights, the scale, writing a cell, and weighted averages.

Writing follows the regulations: one mark per cell, on the course's scale. Whether a mark may
be written now, or needs a correction, is the write policy's (grading.policy), asked by
grading.services.entry.set_mark. Every write keeps history with the acting user; nothing is
hard-deleted.

Averages are weighted by the work type (grading.services.averages).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from lib.history import save_with_history
from lib.replica import from_primary
from schedule.models import Course, Lesson
from schedule.versions import courses_changed

from ..models import Mark, WorkType
from .averages import Average, sums

# --- Work types ---------------------------------------------------------------------------------

# (name, short name, weight, lesson type whose main column it is). Seeded for every school;
# each school then sets its own weights (ответ на уроке 1, самостоятельная 1.5, контрольная 2).
DEFAULT_WORK_TYPES = [
    ("Ответ на уроке", "Отв", "1", Lesson.Kind.LESSON),
    ("Домашняя работа", "ДЗ", "1", ""),
    ("Самостоятельная работа", "С/р", "1.5", Lesson.Kind.INDEPENDENT),
    ("Практическая работа", "П/р", "1.5", Lesson.Kind.PRACTICE),
    ("Лабораторная работа", "Л/р", "1.5", Lesson.Kind.LAB),
    ("Диктант", "Дикт", "2", Lesson.Kind.DICTATION),
    ("Контрольная работа", "К/р", "2", Lesson.Kind.TEST),
    ("Зачёт", "Зач", "2", Lesson.Kind.CREDIT),
]


def seed_work_types(school) -> None:
    """Give a school the default work types (nothing happens if it has any)."""
    if WorkType.objects.with_scopes_disabled().filter(school=school).exists():
        return
    WorkType.objects.with_scopes_disabled().bulk_create(
        WorkType(
            school=school,
            name=name,
            short_name=short,
            weight=Decimal(weight),
            lesson_kind=kind,
            position=n,
        )
        for n, (name, short, weight, kind) in enumerate(DEFAULT_WORK_TYPES)
    )
    forget_work_types(school.pk)


@dataclass(frozen=True)
class WorkTypeInfo:
    id: int
    name: str
    short_name: str
    weight: Decimal
    lesson_kind: str
    active: bool


@dataclass
class WorkTypes:
    """A school's work types, kept in the cache: pages read them without a query."""

    items: list[WorkTypeInfo]
    by_id: dict = field(init=False)
    by_kind: dict = field(init=False)

    def __post_init__(self):
        self.by_id = {w.id: w for w in self.items}
        self.by_kind = {w.lesson_kind: w for w in self.items if w.lesson_kind and w.active}

    def get(self, pk) -> WorkTypeInfo | None:
        return self.by_id.get(pk)

    def main_for(self, lesson_kind: str) -> WorkTypeInfo | None:
        """The work type of a lesson's main column: its type's, else «ответ на уроке»."""
        found = self.by_kind.get(lesson_kind) or self.by_kind.get(Lesson.Kind.LESSON)
        return found or next((w for w in self.items if w.active), None)

    @property
    def active(self) -> list[WorkTypeInfo]:
        return [w for w in self.items if w.active]


def _cache_key(school_id) -> str:
    return f"grading:work_types:{school_id}:v1"


def work_types(school) -> WorkTypes:
    """The school's work types: from the request's school object, the cache, or one query."""
    found = school.__dict__.get("_work_types")
    if found is not None:
        return found
    items = cache.get(_cache_key(school.pk))
    if items is None:
        with from_primary():  # kept for a day: never a replica's, a second behind
            items = [
                WorkTypeInfo(w.pk, w.name, w.short_name, w.weight, w.lesson_kind, w.active)
                for w in WorkType.objects.with_scopes_disabled().filter(school_id=school.pk)
            ]
        cache.set(_cache_key(school.pk), items, 24 * 60 * 60)
    found = school.__dict__["_work_types"] = WorkTypes(items)
    return found


def forget_work_types(school_id) -> None:
    cache.delete(_cache_key(school_id))


# --- The scale and the rules of writing ---------------------------------------------------------

FIVE_VALUES = ("5", "4", "3", "2")
PASS_FAIL_VALUES = ("pass", "fail")
# What a teacher may type for зачёт / незачёт.
PASS_WORDS = {"зч", "зач", "зачет", "зачёт", "з", "+"}
FAIL_WORDS = {"нз", "незач", "незачет", "незачёт", "-"}


def scale_values(course) -> tuple[str, ...]:
    return PASS_FAIL_VALUES if course.scale == Course.Scale.PASS_FAIL else FIVE_VALUES


def scale_label(course) -> str:
    return _("зачёт/незачёт") if course.scale == Course.Scale.PASS_FAIL else _("2–5")


def parse_mark(raw: str, course) -> str | None:
    """A typed mark as a stored value («5», «pass»), or None for an empty cell.

    Raises ValidationError with a message fit for the cell.
    """
    text = (raw or "").strip().lower().replace("ё", "е")
    if not text:
        return None
    if text in PASS_WORDS:
        value = "pass"
    elif text in FAIL_WORDS:
        value = "fail"
    else:
        value = text
    if value not in scale_values(course):
        raise ValidationError(
            _("«%(raw)s» — не отметка: по этому курсу ставится %(scale)s.")
            % {"raw": raw.strip(), "scale": scale_label(course)},
            code="scale",
        )
    return value


def live_value(mark: Mark | None) -> str | None:
    return mark.value if mark is not None and mark.deleted_at is None else None


def write_mark(
    lesson,
    pupil_id,
    work_type_id,
    value,
    *,
    current,
    by,
    author=None,
    comment=None,
    change_reason="",
    makeup=None,
):
    """Write one cell with its history, in one statement (lib.history.save_with_history).
    `makeup` True marks the cell a make-up by protocol; any other write of a value clears it.

    No checks here: callers decide (entry.set_mark, or an approved correction).
    """
    now = timezone.now()
    if current is None:
        if value is None:
            return None
        mark = Mark(
            school_id=lesson.school_id,
            lesson=lesson,
            pupil_id=pupil_id,
            work_type_id=work_type_id,
            comment=comment or "",
        )
    else:
        mark = current
        mark.lesson = lesson  # at hand: the versions follower needs its course (no query)
    if value is None:
        mark.deleted_at = now
    else:
        mark.set_value(value)
        mark.deleted_at = None
        mark.makeup = bool(makeup)
        if comment is not None:
            mark.comment = comment
    mark.author = author or by
    mark.updated_at = now
    mark._history_user = by
    if change_reason:
        mark._change_reason = change_reason[:100]
    save_with_history(mark)
    return mark


def write_marks(changes, *, by) -> int:
    """Write many cells at once (the plain form): [(lesson, pupil_id, work_type_id, value,
    current Mark or None)], with simple-history's bulk helpers. Returns the number written."""
    now = timezone.now()
    new, changed = [], []
    for lesson, pupil_id, work_type_id, value, current in changes:
        if current is None:
            if value is None:
                continue
            mark = Mark(
                school_id=lesson.school_id,
                lesson_id=lesson.pk,
                pupil_id=pupil_id,
                work_type_id=work_type_id,
                author=by,
                updated_at=now,
            )
            mark.set_value(value)
            new.append(mark)
        else:
            if value is None:
                current.deleted_at = now
            else:
                current.set_value(value)
                current.deleted_at = None
            current.author, current.updated_at = by, now
            changed.append(current)
    with transaction.atomic():
        # Bulk writes send no signals: the journal pages of these courses change here.
        courses_changed(
            {lesson.course_id for lesson, *_rest in changes},
            school_id=changes[0][0].school_id if changes else None,
        )
        if new:
            bulk_create_with_history(new, Mark, default_user=by)
        if changed:
            bulk_update_with_history(
                changed,
                Mark,
                ["value", "points", "makeup", "author", "updated_at", "deleted_at"],
                default_user=by,
            )
    return len(new) + len(changed)


# --- Averages -----------------------------------------------------------------------------------


def held_marks(start: date, end: date):
    """Live marks of held lessons (not cancelled or moved) between two dates (inclusive)."""
    return Mark.objects.filter(
        lesson__date__gte=start,
        lesson__date__lte=end,
        lesson__status=Lesson.Status.PLANNED,
        deleted_at__isnull=True,
    )


def period_marks(course, start: date, end: date):
    """Live marks of a course's held lessons between two dates (inclusive)."""
    return held_marks(start, end).filter(lesson__course=course)


def period_averages(course, start: date, end: date) -> dict[int, tuple[Decimal | None, int]]:
    """{pupil_id: (weighted average, number of marks)} — one GROUP BY query."""
    rows = period_marks(course, start, end).values("pupil_id").annotate(**sums()).order_by()
    return {r["pupil_id"]: (Average.of(r).decimal, r["count"]) for r in rows}


def grid_marks(course, start: date, end: date):
    """The marks of a journal page, one row each, in one plain query.

    Rows: (lesson_id, pupil_id, work_type_id, value, comment, points, makeup). The page pivots them
    in Python anyway, so each pupil's weighted figures are summed on the way
    (averages.Average) rather than by window functions the database would plan and run.
    """
    return (
        period_marks(course, start, end)
        .values_list(
            "lesson_id", "pupil_id", "work_type_id", "value", "comment", "points", "makeup"
        )
        .order_by()
    )


def compiled(queryset) -> tuple:
    """A values_list queryset compiled to its SQL, for `fetch_compiled` to run again: a page
    that keeps its frame keeps the queries of what it fills in (the journal page's marks and
    attendance), so that compiling them (about a millisecond) is not redone each view."""
    sql, params = queryset.query.sql_with_params()
    return queryset.model, sql, tuple(params)


def fetch_compiled(*queries) -> list[list[tuple]]:
    """The rows of each `compiled` query straight from the database cursor (of the database
    its model is read from now), in one round trip when they go to the same PostgreSQL
    database with client-side binding (Django's default: psycopg sends the statements
    together and `nextset` reads each one's rows).

    For the thousands of rows of a journal page: Django's per-row converters cost more
    than the query itself, and these columns need none (ids, text, floats, counts).
    """
    from django.db import connections, router

    aliases = {router.db_for_read(model) for model, _sql, _params in queries}
    connection = connections[aliases.pop()] if len(aliases) == 1 else None
    together = (
        connection is not None
        and connection.vendor == "postgresql"
        and not connection.settings_dict.get("OPTIONS", {}).get("server_side_binding")
    )
    if not together:
        found = []
        for model, sql, params in queries:
            with connections[router.db_for_read(model)].cursor() as cursor:
                cursor.execute(sql, params)
                found.append(cursor.fetchall())
        return found
    with connection.cursor() as cursor:
        cursor.execute(
            "; ".join(sql for _model, sql, _params in queries),
            [param for _model, _sql, params in queries for param in params],
        )
        found = [cursor.fetchall()]
        while cursor.nextset():
            found.append(cursor.fetchall())
    return found
