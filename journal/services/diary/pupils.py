"""The pupil of a diary page, the viewer's access to them, their class and their school's rules."""

from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.db import connections, models, router
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import JSONObject

from accounts.models import ParentLink, Pupil, PupilUserObjectPermission, Role
from accounts.rules import grant_is_live, roles_in_school
from schedule.models import (
    Course,
    Enrolment,
    SchoolClass,
    SchoolClassUserObjectPermission,
)
from schedule.versions import cached_for_user, keep_for_course

from ...models import DiaryVisit
from .queries import overlapping

VIEW_PUPIL = "accounts.view_pupil"


def class_of(data) -> SchoolClass | None:
    """An unsaved SchoolClass with the fields the diary needs, from the JSON annotation."""
    if not data:
        return None
    return SchoolClass(
        id=data["id"],
        grade=data["grade"],
        letter=data["letter"],
        no_marks=bool(data["no_marks"]),
        year_id=data["year"],
        bell_schedule_id=data["bells"],
        class_teacher_id=data["teacher"],
    )


VIEWER_LIFETIME = 60 * 60


def viewer_key(user, pupil_id: int, start: date, end: date) -> str:
    return f"journal:diary:viewer:2:{user.pk}:{pupil_id}:{start}:{end}"


def viewer_pupils(
    user, school, pupil_id: int, start: date, end: date, found=None
) -> tuple[list[Pupil], bool]:
    """The pupil `pupil_id` and every pupil the user reads as family, in one query.

    Each carries `viewer_family` (guardian's accounts.view_pupil: a parent's child or the
    pupil themselves), `viewer_may_read` (family, or the class teacher of a class the pupil
    was in), `school_class` (the class holding the pupil between start and end) and
    `grading` (the school's rounding rule and minimum marks).

    The rows (the grants found, the pupils, their classes) are kept in the cache per
    version of the school (pupils, enrolments) and of the user's grants (journal/signals.py
    drops it with any grant of theirs given or taken): building this query cost more than
    the rest of a kept diary page. The roles the grants count under are asked on every
    call (accounts.tenancy's cache), so a role ended counts at once.

    Returns the pupils and whether the user holds a family grant in another school too
    (only then has the child switcher one more query to make: diary.family).
    `found`: the cache's answer for `viewer_key` and schedule.versions.user_keys, read by
    the caller together with whatever else its page needs.
    """
    key = viewer_key(user, pupil_id, start, end)
    version, kept = cached_for_user(key, school.pk, user.pk, found)
    if kept is None:
        kept = _viewer_rows(user, school, pupil_id, start, end)
        keep_for_course(key, version, kept, VIEWER_LIFETIME)
    rows, elsewhere = kept
    roles = roles_in_school(user, school.pk)
    leads_counts = Role.CLASS_TEACHER in roles
    shown = []
    for pupil, family, leads in rows:
        pupil.school = school
        pupil.school_class = class_of(pupil.klass)
        # A grant counts only while its role is held (accounts.rules.holds_grant).
        pupil.viewer_family = bool(family) and grant_is_live(user, VIEW_PUPIL, pupil)
        pupil.viewer_leads = bool(leads) and leads_counts
        pupil.viewer_may_read = bool(pupil.viewer_family or pupil.viewer_leads)
        if pupil.pk == pupil_id or pupil.viewer_family:
            shown.append(pupil)
    return shown, elsewhere


def _viewer_rows(user, school, pupil_id, start, end) -> tuple[list, bool]:
    """[(pupil, holds view_pupil, holds manage_class of a class of theirs)] and whether the
    user holds view_pupil of a pupil of another school: one query."""
    family = Exists(
        PupilUserObjectPermission.objects.filter(
            user=user, content_object=OuterRef("pk"), permission__codename="view_pupil"
        )
    )
    leads = Exists(
        SchoolClassUserObjectPermission.objects.filter(
            user=user,
            permission__codename="manage_class",
            content_object__enrolments__pupil=OuterRef("pk"),
        )
    )
    elsewhere = Exists(
        PupilUserObjectPermission.objects.filter(user=user, permission__codename="view_pupil")
        .exclude(content_object__school_id=school.pk)
        .values("pk")
    )
    pupils = with_class(
        Pupil.objects.filter(school=school)
        .annotate(viewer_family=family, viewer_leads=leads, viewer_elsewhere=elsewhere)
        .filter(Q(pk=pupil_id) | Q(viewer_family=True)),
        school,
        start,
        end,
    )
    rows, any_elsewhere = [], False
    for pupil in pupils:
        family_grant, leads_grant = bool(pupil.viewer_family), bool(pupil.viewer_leads)
        any_elsewhere = bool(pupil.viewer_elsewhere)
        pupil._state.fields_cache.pop("school", None)  # kept without it: set on each call
        for name in ("school_class", "viewer_family", "viewer_leads", "viewer_elsewhere"):
            pupil.__dict__.pop(name, None)
        rows.append((pupil, family_grant, leads_grant))
    return rows, any_elsewhere


def with_class(queryset, school, start: date, end: date) -> list[Pupil]:
    """Evaluate a Pupil queryset with, on each pupil, `school_class` (the class holding them
    between start and end, latest first) and `school`: no extra query."""
    enrolment = overlapping(Enrolment.objects.filter(pupil=OuterRef("pk")), start, end)
    klass = enrolment.order_by("-start").values(
        j=JSONObject(
            id="school_class_id",
            grade="school_class__grade",
            letter="school_class__letter",
            no_marks="school_class__no_marks",
            year="school_class__year_id",
            bells="school_class__bell_schedule_id",
            teacher="school_class__class_teacher_id",
        )
    )[:1]
    pupils = list(
        queryset.annotate(klass=Subquery(klass, output_field=models.JSONField())).order_by(
            "last_name", "first_name", "pk"
        )
    )
    for pupil in pupils:
        pupil.school_class = class_of(pupil.klass)
        pupil.school = school
    return pupils


def course_ids_of(pupil, start: date, end: date) -> list[int]:
    """The courses of every class the pupil was in between two dates: what a diary page of
    that span may show, and so the courses whose versions it is kept under. One query, in
    plain SQL: it runs on every view of a kept page, where building it through the ORM cost
    more than the rest of the view (the pupil is of the request's school already)."""
    course, enrolment = Course._meta.db_table, Enrolment._meta.db_table
    # Where the ORM would read it (a replica for the diary: lib/replica.py).
    with connections[router.db_for_read(Course)].cursor() as cursor:
        cursor.execute(
            f'SELECT "id" FROM "{course}" WHERE "school_class_id" IN ('  # noqa: S608
            f'SELECT "school_class_id" FROM "{enrolment}" WHERE "pupil_id" = %s'
            ' AND "start" <= %s AND ("end" IS NULL OR "end" >= %s))',
            [pupil.pk, end, start],
        )
        return [row[0] for row in cursor.fetchall()]


def grading_rule(pupil) -> tuple[Decimal, int]:
    """(rounding threshold, minimum marks for a period mark) of the pupil's school."""
    regulation = pupil.school.regulation
    return regulation.threshold, regulation.min_marks_for_period


def children_of(user, school) -> list[Pupil]:
    """The pupils a family member reads: their children, themselves (guardian's grants)."""
    pupils = (
        Pupil.objects.filter(
            school=school,
            pupiluserobjectpermission__user=user,
            pupiluserobjectpermission__permission__codename="view_pupil",
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
    return [pupil for pupil in pupils if grant_is_live(user, VIEW_PUPIL, pupil)]


def family_class_ids(user, school, day: date | None = None) -> set[int]:
    """Classes the user's children (or the pupil themselves) are in today: one query."""
    day = day or school.today()
    pupils = ParentLink.objects.filter(school=school, parent=user).values("pupil_id")
    return set(
        Enrolment.objects.filter(school=school)
        .on(day)
        .filter(Q(pupil_id__in=pupils) | Q(pupil__user=user))
        .values_list("school_class_id", flat=True)
    )


def visit_key(user, pupil_id: int, today: date) -> str:
    return f"diary-visit:{user.pk}:{pupil_id}:{today.isoformat()}"


def record_visit(user, pupil, today: date | None = None, *, seen: bool = False) -> None:
    """One DiaryVisit row per user, pupil and day: an insert the first time, then nothing.
    `seen`: the page found `visit_key` in the cache already (nothing to do)."""
    if seen:
        return
    today = today or pupil.school.today()
    if cache.add(visit_key(user, pupil.pk, today), 1, timeout=26 * 60 * 60):
        DiaryVisit.objects.bulk_create(
            [DiaryVisit(school_id=pupil.school_id, user=user, pupil=pupil, day=today)],
            ignore_conflicts=True,
        )
