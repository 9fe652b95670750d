"""`load_cell` is one hand-written SQL statement compiled once per process: it answers what the
ORM query it replaced answered (kept here as the reference), for every kind of viewer and cell."""

from datetime import timedelta

import pytest
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, Subquery
from django.utils import timezone
from django_scopes import ScopeError, scope, scopes_disabled

from accounts.models import Role
from grading.models import Mark
from grading.rules import with_user_perms
from grading.services.averages import Average, sums
from grading.services.marks import held_marks
from journal.models import Attendance
from journal.services.cells import MARK_FIELDS, SEEN_FIELDS, load_cell
from schedule.models import Enrolment, Lesson, Subgroup, SubgroupMembership, held_on
from tests.factories import make_class, make_course, make_member, make_pupil

from .grid_builders import build_journal

pytestmark = pytest.mark.django_db


def _on_day(model, **match):
    return Exists(model.objects.filter(held_on(OuterRef("date")), **match))


def orm_load_cell(lesson_pk, pupil_pk, work_type_id, user, span=None):
    """The ORM query `load_cell` was before it was written out in SQL."""
    lessons = with_user_perms(
        Lesson.objects.select_related("course__school_class", "course__subgroup", "course__year"),
        user,
    ).annotate(
        _in_class=_on_day(
            Enrolment, pupil_id=pupil_pk, school_class_id=OuterRef("course__school_class_id")
        ),
        _in_subgroup=_on_day(
            SubgroupMembership, pupil_id=pupil_pk, subgroup_id=OuterRef("course__subgroup_id")
        ),
        m=FilteredRelation(
            "marks", condition=Q(marks__pupil_id=pupil_pk, marks__work_type_id=work_type_id)
        ),
        a=FilteredRelation("attendance", condition=Q(attendance__pupil_id=pupil_pk)),
        **{f"m_{name}": F(f"m__{name}") for name in MARK_FIELDS},
        **{f"a_{name}": F(f"a__{name}") for name in SEEN_FIELDS},
    )
    if span is not None:
        marks = held_marks(*span).filter(pupil_id=pupil_pk, lesson__course_id=OuterRef("course_id"))
        grouped = marks.order_by().values("pupil_id")
        lessons = lessons.annotate(
            **{
                f"s_{name}": Subquery(grouped.annotate(v=figure).values("v")[:1])
                for name, figure in sums().items()
            }
        )
    lesson = lessons.filter(pk=lesson_pk).first()
    if lesson is None:
        return None

    def row(model, prefix, names):
        if getattr(lesson, f"{prefix}id") is None:
            return None
        found = model(**{name: getattr(lesson, prefix + name) for name in names})
        found._state.adding = False
        found._state.db = lesson._state.db
        return found

    lesson.cell_mark = row(Mark, "m_", MARK_FIELDS)
    lesson.cell_seen = row(Attendance, "a_", SEEN_FIELDS)
    lesson.cell_average = (
        Average.of({name: getattr(lesson, f"s_{name}") for name in sums()}) if span else None
    )
    return lesson


def fields(obj):
    if obj is None:
        return None
    return (
        type(obj),
        [getattr(obj, f.attname) for f in obj._meta.concrete_fields],
        obj._state.adding,
        obj._state.db,
    )


def snapshot(lesson, user):
    """Everything a save and the view read of a loaded cell."""
    if lesson is None:
        return None
    course = lesson.course
    return {
        "lesson": fields(lesson),
        "cached": [
            Lesson.course.is_cached(lesson),
            *(getattr(type(course), name).is_cached(course) for name in ("school_class", "year")),
            type(course).subgroup.is_cached(course),
        ],
        "course": fields(course),
        "class": fields(course.school_class),
        "subgroup": fields(course.subgroup),
        "year": fields(course.year),
        "grants": [lesson._perm_user, lesson._perm_teach, lesson._perm_lead, lesson._perm_sub],
        "in": [bool(lesson._in_class), bool(lesson._in_subgroup)],
        "mark": fields(lesson.cell_mark),
        "seen": fields(lesson.cell_seen),
        "average": lesson.cell_average,
        "edits": user.has_perm("journal.edit_cell", lesson),
    }


def same_answers(school, cases, spans):
    for lesson_pk, pupil_pk, work_type_id, user in cases:
        for span in spans:
            with scope(school=school):
                new = snapshot(load_cell(lesson_pk, pupil_pk, work_type_id, user, span), user)
                old = snapshot(orm_load_cell(lesson_pk, pupil_pk, work_type_id, user, span), user)
            assert new == old, (lesson_pk, pupil_pk, user, span)
    return True


@pytest.fixture
def world():
    journal = build_journal(3, 4, recent=True)
    school, lessons, pupils = journal.school, journal.lessons, journal.pupils
    main = journal.main_type().id
    with scopes_disabled():
        held = lessons[-1]
        substitute = make_member(school, Role.TEACHER, last_name="Заменова")
        held.substitute = substitute
        held.save()
        Mark.objects.create(
            school=school,
            lesson=held,
            pupil=pupils[0],
            work_type_id=main,
            value="4",
            points=4,
            author=journal.teacher,
        )
        Mark.objects.create(
            school=school,
            lesson=lessons[0],
            pupil=pupils[0],
            work_type_id=main,
            value="5",
            points=5,
            author=journal.teacher,
        )
        Attendance.objects.create(
            school=school,
            lesson=held,
            pupil=pupils[0],
            code="late",
            minutes_late=5,
            set_by=journal.teacher,
        )
        Attendance.objects.create(
            school=school,
            lesson=held,
            pupil=pupils[1],
            code="absent",
            set_by=journal.teacher,
            deleted_at=timezone.now(),
        )
    # Arrived after the lessons: outside the class on their dates.
    late = make_pupil(school, journal.school_class, start=journal.today + timedelta(days=1))
    stranger = make_member(school, Role.TEACHER, last_name="Чужова")
    deputy = make_member(school, Role.DEPUTY)
    journal.actors = [journal.teacher, substitute, journal.class_teacher, stranger, deputy]
    journal.held, journal.late, journal.main = held, late, main
    return journal


def test_it_answers_as_the_orm_did_for_every_viewer_and_cell(world):
    year = world.course.year
    spans = [None, (year.start, year.end), (world.today, world.today)]
    pupils = [*world.pupils, world.late]
    cases = [
        (lesson.pk, pupil.pk, world.main, user)
        for lesson in (world.held, world.lessons[0])
        for pupil in pupils
        for user in world.actors
    ]
    assert same_answers(world.school, cases, spans)


def test_a_lesson_that_is_not_there_or_of_another_school_is_none(world):
    other = build_journal(1, 1, recent=True, letter="Б")
    cases = [
        (other.lessons[0].pk, other.pupils[0].pk, world.main, world.teacher),
        (10**9, world.pupils[0].pk, world.main, world.teacher),
    ]
    assert same_answers(world.school, cases, [None])
    with scope(school=world.school):
        assert load_cell(*cases[0]) is None
    with scopes_disabled():
        assert load_cell(*cases[0]) is not None


def test_outside_a_scope_it_refuses_as_the_scoped_manager_does(world):
    with pytest.raises(ScopeError):
        load_cell(world.held.pk, world.pupils[0].pk, world.main, world.teacher)


def test_a_subgroup_course_answers_by_the_subgroup(world):
    school = world.school
    with scopes_disabled():
        group = Subgroup.objects.create(
            school=school,
            school_class=world.school_class,
            subject=world.course.subject,
            name="1 группа",
        )
        SubgroupMembership.objects.create(
            school=school, subgroup=group, pupil=world.pupils[0], start=world.held.date
        )
    course = make_course(world.school_class, world.course.subject, [world.teacher], subgroup=group)
    with scopes_disabled():
        lesson = Lesson.objects.create(
            school=school, course=course, date=world.today, number=7, kind=world.held.kind
        )
    other_class = make_class(school, 6, "В", year=world.course.year)
    elsewhere = make_pupil(school, other_class)
    cases = [
        (lesson.pk, pupil.pk, world.main, user)
        for pupil in (*world.pupils, elsewhere)
        for user in (world.teacher, world.class_teacher)
    ]
    assert same_answers(school, cases, [None, (course.year.start, course.year.end)])
    with scope(school=school):
        assert load_cell(lesson.pk, world.pupils[0].pk, world.main, world.teacher)._in_subgroup
        assert not load_cell(lesson.pk, world.pupils[1].pk, world.main, world.teacher)._in_subgroup


def test_a_make_up_mark_cleared_from_its_cell_still_says_it_was_a_make_up(world):
    from journal.services.cells import save_cell

    with scopes_disabled():
        mark = Mark.objects.get(lesson=world.held, pupil=world.pupils[0])
        Mark.objects.filter(pk=mark.pk).update(makeup=True)
        work_type = world.main_type()
    with scope(school=world.school):
        lesson = load_cell(world.held.pk, world.pupils[0].pk, world.main, world.teacher)
        assert lesson.cell_mark.makeup is True
        lesson.school = world.school
        save_cell(lesson, world.pupils[0].pk, work_type, "о5", user=world.teacher)  # keeps «о»
    with scopes_disabled():
        mark.refresh_from_db()
        assert mark.deleted_at is not None and mark.makeup is True
        assert mark.history.first().makeup is True
