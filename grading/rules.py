"""Who may enter marks, and who decides corrections.

Objects: Lesson for entering marks; Course for a course's pages; School for lists.
A course's teachers hold guardian's schedule.teach_course on the course, a substitute holds
schedule.substitute_lesson on the one lesson they held, a class teacher holds
schedule.manage_class on their class (schedule/signals.py).

Pages that load their object with `with_user_perms` (below) get these guardian grants in the
same query as the object: the predicates then read them from the object instead of asking
guardian again, so a page's permission costs no query of its own.
"""

import functools

import rules
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models import Exists, OuterRef, Value

from accounts.models import Membership, Role
from accounts.rules import (
    grant_is_live,
    has_role,
    holds_grant,
    is_leadership,
    is_teaching,
    roles_in_school,
)
from schedule.models import (
    Course,
    CourseUserObjectPermission,
    Lesson,
    LessonUserObjectPermission,
    SchoolClassUserObjectPermission,
)

TEACH = "schedule.teach_course"
SUBSTITUTE = "schedule.substitute_lesson"
LEAD = "schedule.manage_class"


def _grant(model, user, codename: str, **match):
    # Each direct-FK table holds one model's permissions, and our codenames are unique, so
    # the codename alone names the permission: no join to django_content_type to plan.
    return Exists(model.objects.filter(user_id=user.pk, permission__codename=codename, **match))


def with_user_perms(queryset, user):
    """Annotate Lessons with the user's guardian grants (one query with the rows). A course
    comes with its grants from `course_with_grants`."""
    return queryset.annotate(
        _perm_user=Value(user.pk),
        _perm_teach=_grant(
            CourseUserObjectPermission, user, "teach_course", content_object=OuterRef("course_id")
        ),
        _perm_lead=_grant(
            SchoolClassUserObjectPermission,
            user,
            "manage_class",
            content_object=OuterRef("course__school_class_id"),
        ),
        _perm_sub=_grant(
            LessonUserObjectPermission, user, "substitute_lesson", content_object=OuterRef("pk")
        ),
    )


# A guardian grant of the user as an SQL column, for the hand-written queries of a hot path
# (course_with_grants, journal.services.cells.load_cell): `target` ties the grant's object to
# the query's row, `%(user)s` is the query's parameter. `IN` rather than `=` keeps the meaning
# of the ORM's join to auth_permission even if a codename were not unique.
GRANT_EXISTS = """EXISTS (SELECT 1 FROM {grants} g{join} WHERE g.user_id = %(user)s
          AND g.permission_id IN (SELECT id FROM {permission} WHERE codename = '{codename}')
          AND {target})"""


def _grant_exists(model, codename: str, target: str, join: str = "") -> str:
    return GRANT_EXISTS.format(
        grants=model._meta.db_table,
        permission=Permission._meta.db_table,
        codename=codename,
        target=target,
        join=join,
    )


def _grant_columns(course: str, substitute: str, substitute_join: str = "") -> str:
    """The three grants of `with_user_perms` (teach, lead, substitute) as SQL columns over the
    query's course aliased `course`; `substitute` says which lessons' substitutions count."""
    return ",\n  ".join(
        (
            _grant_exists(
                CourseUserObjectPermission, "teach_course", f"g.content_object_id = {course}.id"
            ),
            _grant_exists(
                SchoolClassUserObjectPermission,
                "manage_class",
                f"g.content_object_id = {course}.school_class_id",
            ),
            _grant_exists(
                LessonUserObjectPermission, "substitute_lesson", substitute, substitute_join
            ),
        )
    )


COURSE_GRANTS_SQL = """
SELECT c.id, c.school_class_id, c.subgroup_id, c.year_id, c.subject_id, c.scale,
  {grants}
FROM {course} c WHERE c.id = %(course)s AND c.school_id = %(school)s
"""


@functools.cache
def _course_grants_sql() -> str:
    lesson = Lesson._meta.db_table
    # A substitution of any lesson of the course counts for the course's page.
    grants = _grant_columns(
        "c", "l.course_id = c.id", f" JOIN {lesson} l ON l.id = g.content_object_id"
    )
    return COURSE_GRANTS_SQL.format(course=Course._meta.db_table, grants=grants)


def course_with_grants(course_id: int, school, user):
    """A course of the school carrying the user's grants as `with_user_perms` sets them, or
    None: the bare course (no related rows), for a permission check on a hot path.

    Written out in SQL because the journal page asks it on every view: the annotated ORM
    query costs about 2 ms to compile and, with its joins to auth_permission, 1.3 ms to plan;
    this one costs a fraction of a millisecond in all.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            _course_grants_sql(), {"course": course_id, "school": school.pk, "user": user.pk}
        )
        row = cursor.fetchone()
    if row is None:
        return None
    pk, class_id, subgroup_id, year_id, subject_id, scale, teach, lead, sub = row
    course = Course(
        pk=pk,
        school_id=school.pk,
        school_class_id=class_id,
        subgroup_id=subgroup_id,
        year_id=year_id,
        subject_id=subject_id,
        scale=scale,
    )
    course._state.adding = False
    course._state.db = connection.alias
    course.school = school
    # A grant counts only while its role is held (accounts.rules.holds_grant): the page's
    # cache key and its editing follow these flags, so they say so themselves.
    course._perm_user = user.pk
    course._perm_teach = teach and grant_is_live(user, TEACH, course)
    course._perm_lead = lead and grant_is_live(user, LEAD, course)
    course._perm_sub = sub and grant_is_live(user, SUBSTITUTE, course)
    return course


@functools.cache
def lesson_grants_sql(lesson: str, course: str) -> str:
    """Three columns (teach, lead, substitute) for `set_lesson_grants`, over the query's lesson
    and course aliased `lesson` and `course` (journal.services.cells.load_cell)."""
    return _grant_columns(course, f"g.content_object_id = {lesson}.id")


def set_lesson_grants(lesson, user, teach, lead, sub) -> None:
    """A lesson read with `lesson_grants_sql` carries its grants as `with_user_perms` annotates
    them (raw flags: the predicates ask `grant_is_live` when they read them)."""
    lesson._perm_user = user.pk
    lesson._perm_teach = bool(teach)
    lesson._perm_lead = bool(lead)
    lesson._perm_sub = bool(sub)


GRANT_OF = {"_perm_teach": TEACH, "_perm_lead": LEAD, "_perm_sub": SUBSTITUTE}


def _known(obj, user, attr):
    """A grant read with the object (or its course) for this user, or None when not loaded.
    Like every grant, it counts only while its role is held."""
    if obj is None:
        return None
    if getattr(obj, "_perm_user", None) == user.pk and hasattr(obj, attr):
        return bool(getattr(obj, attr)) and grant_is_live(user, GRANT_OF[attr], obj)
    if attr != "_perm_sub" and obj._meta.model_name == "lesson" and Lesson.course.is_cached(obj):
        return _known(obj.course, user, attr)
    return None


def _course(obj):
    return obj if obj is None or obj._meta.model_name == "course" else obj.course


@rules.predicate(name="grading.teaches_course")
def teaches_course(user, obj):
    """A teacher of the course (object: Course, or a Lesson of it)."""
    if obj is None or not user.is_authenticated:
        return False
    known = _known(obj, user, "_perm_teach")
    if known is not None:
        return known
    return holds_grant(user, TEACH, _course(obj))


@rules.predicate(name="grading.leads_class_of")
def leads_class_of(user, obj):
    """The class teacher of the course's class (object: Course or Lesson)."""
    if obj is None or not user.is_authenticated:
        return False
    known = _known(obj, user, "_perm_lead")
    if known is not None:
        return known
    return holds_grant(user, LEAD, _course(obj).school_class)


@rules.predicate(name="grading.substitutes")
def substitutes(user, obj):
    """For a Lesson: the user held it as a substitute. For a Course: one of its lessons."""
    if obj is None or not user.is_authenticated:
        return False
    known = _known(obj, user, "_perm_sub")
    if known is not None:
        return known
    if obj._meta.model_name == "lesson":
        return holds_grant(user, SUBSTITUTE, obj)
    if not grant_is_live(user, SUBSTITUTE, obj):
        return False
    return LessonUserObjectPermission.objects.filter(
        user_id=user.pk,
        permission__in=Permission.objects.filter(
            codename="substitute_lesson", content_type__app_label="schedule"
        ),
        content_object__course_id=obj.pk,
    ).exists()


keeps_lesson = teaches_course | substitutes
reads_course = is_leadership | teaches_course | leads_class_of | substitutes

# Corrections of locked records (object: School): the leadership reads them all, teachers
# their own requests; the deputy decides (object: CorrectionRequest or School).
rules.add_perm("grading.view_corrections", is_leadership | is_teaching)
rules.add_perm("grading.decide_corrections", has_role(Role.DEPUTY, Role.DIRECTOR))


def deputies_of(user, school_id) -> frozenset[int]:
    """The school's deputies (user ids), asked once per request."""
    cache = user.__dict__.setdefault("_deputies", {})
    if school_id not in cache:
        cache[school_id] = frozenset(
            Membership.objects.with_scopes_disabled()
            .active()
            .filter(school_id=school_id, role=Role.DEPUTY)
            .values_list("user_id", flat=True)
        )
    return cache[school_id]


@rules.predicate(name="grading.decides_correction")
def decides_correction(user, request):
    """Who decides one correction (object: CorrectionRequest or FinalMarkCorrection): a deputy,
    never the one who asked; the director when the only deputy is the one who asked."""
    if request is None or not user.is_authenticated or request.requested_by_id == user.pk:
        return False
    roles = roles_in_school(user, request.school_id)
    if Role.DEPUTY in roles:
        return True
    if Role.DIRECTOR in roles:
        return not (deputies_of(user, request.school_id) - {request.requested_by_id})
    return False


rules.add_perm("grading.decide_correction", decides_correction)
# Work types and their weights (object: School).
rules.add_perm("grading.view_work_types", is_leadership | is_teaching)
rules.add_perm("grading.manage_work_types", has_role(Role.ADMIN, Role.DEPUTY))


@rules.predicate(name="grading.signs_application")
def signs_application(user, application):
    """Who signs a student's retake application (002 §3.2: «подписанного директором или зам.
    директора»): the director or a deputy — never the one who filed it."""
    if application is None or not user.is_authenticated:
        return False
    if application.requested_by_id == user.pk:
        return False
    return bool({Role.DEPUTY, Role.DIRECTOR} & roles_in_school(user, application.school_id))
