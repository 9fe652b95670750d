"""Final marks: proposals by the school's rounding rule, «не аттестован», locks, the year."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from accounts.models import Regulation
from accounts.navigation import school_reverse
from grading.models import FinalMark
from grading.services import finals as service
from tests.factories import regulation_form_data, set_rules

from .finals_builders import (
    closed_period,
    course_with_pupils,
    give,
    open_period,
    period,
    today,
    work_type,
)

pytestmark = pytest.mark.django_db

Kind, Value = FinalMark.Kind, FinalMark.Value


@pytest.mark.parametrize(
    "rule,average,mark",
    [
        ("half_up", "3.5", 4),
        ("half_up", "3.49", 3),
        ("half_up", "4.495", 5),  # «4,50» as the teacher sees it
        ("from_60", "3.5", 3),
        ("from_60", "3.6", 4),
        ("from_70", "3.69", 3),
        ("from_70", "3.7", 4),
        ("in_favour", "3.01", 4),
        ("in_favour", "3.004", 3),
        ("half_up", "1.2", 2),
        ("half_up", "5", 5),
    ],
)
def test_an_average_rounds_by_the_school_rule(school, rule, average, mark):
    regulation = Regulation(school=school, rounding=rule)
    assert regulation.round(Decimal(average)) == mark


def test_a_new_school_gets_the_regulation_defaults(school):
    regulation = school.regulation
    assert (regulation.rounding, regulation.min_marks_for_period) == ("half_up", 3)
    assert regulation.final_marks_days == 2
    assert regulation.final_marks_deadline(today()) == today() - timedelta(days=2)


@pytest.fixture
def quarter(school):
    teacher, course, pupils = course_with_pupils(school, 3)
    first = open_period(course)
    answer = work_type(school, "Ответ на уроке", "1")
    test = work_type(school, "Контрольная работа", "2")
    strong, weak, absent = pupils
    give(course, strong, ["5", "5"], answer, teacher, first.start)
    give(course, strong, ["3"], test, teacher, first.start + timedelta(days=5))
    give(course, weak, ["4", "5"], answer, teacher, first.start)
    return teacher, course, first, pupils


def column(course, kind=Kind.PERIOD, period_obj=None):
    with scopes_disabled():
        return service.column_for(course, kind, period_obj.pk if period_obj else None)


def test_a_period_mark_is_proposed_from_the_weighted_average(quarter):
    _teacher, course, first, (strong, weak, absent) = quarter
    with scopes_disabled():
        rows = {r.pupil: r for r in service.proposals(course, column(course, period_obj=first))}
    # (5·1 + 5·1 + 3·2) / 4 = 4.00
    assert (rows[strong].average, rows[strong].count) == (Decimal("4.00"), 3)
    assert (rows[strong].proposed, rows[strong].few_marks) == ("4", False)
    # Two marks, fewer than three: «не аттестован» is proposed.
    assert (rows[weak].count, rows[weak].proposed, rows[weak].few_marks) == (2, "na", True)
    assert (rows[absent].average, rows[absent].count, rows[absent].proposed) == (None, 0, "na")


def test_the_rounding_rule_of_the_school_decides_the_proposal(school, quarter):
    teacher, course, first, (strong, *_rest) = quarter
    # One more 5 of weight 1: (5 + 5 + 3·2 + 5) / 5 = 4.20; in the pupil's favour a five.
    give(
        course,
        strong,
        ["5"],
        work_type(school, "Ответ на уроке", "1"),
        teacher,
        first.start + timedelta(days=8),
    )
    with scopes_disabled():
        rows = {r.pupil: r for r in service.proposals(course, column(course, period_obj=first))}
        assert rows[strong].proposed == "4"
        set_rules(course.school, rounding="in_favour")
        rows = {r.pupil: r for r in service.proposals(course, column(course, period_obj=first))}
    assert rows[strong].average == Decimal("4.20")
    assert rows[strong].proposed == "5"


def test_a_mark_with_too_few_marks_needs_the_teachers_confirmation(quarter):
    teacher, course, first, (strong, weak, absent) = quarter
    col = column(course, period_obj=first)
    with scopes_disabled():
        errors = service.set_final_marks(
            course,
            col,
            {strong.pk: ("4", False), weak.pk: ("5", False), absent.pk: ("na", False)},
            user=teacher,
        )
        assert errors == {weak.pk: "Отметок меньше 3 (2): поставьте «н/а» или подтвердите отметку."}
        assert not FinalMark.objects.exists()  # nothing saved while a row is wrong

        errors = service.set_final_marks(
            course,
            col,
            {strong.pk: ("4", False), weak.pk: ("5", True), absent.pk: ("na", False)},
            user=teacher,
        )
        assert errors == {}
        marks = {m.pupil: m for m in FinalMark.objects.all()}
    assert (marks[strong].value, marks[strong].average, marks[strong].marks_count) == (
        "4",
        Decimal("4.00"),
        3,
    )
    assert (marks[weak].value, marks[weak].confirmed_few_marks) == ("5", True)
    assert marks[absent].value == Value.NOT_CERTIFIED and marks[absent].is_failing
    assert marks[strong].history.first().history_user == teacher


def test_a_value_off_the_scale_and_erasing_are_refused(quarter):
    teacher, course, first, (strong, _weak, _absent) = quarter
    col = column(course, period_obj=first)
    with scopes_disabled():
        errors = service.set_final_marks(course, col, {strong.pk: ("pass", False)}, user=teacher)
        assert errors == {strong.pk: "Недопустимая отметка «pass»."}
        service.set_final_marks(course, col, {strong.pk: ("4", False)}, user=teacher)
        errors = service.set_final_marks(course, col, {strong.pk: ("", False)}, user=teacher)
        assert "нельзя стереть" in errors[strong.pk]


def test_final_marks_lock_after_the_periods_deadline(school):
    teacher, course, (pupil, *_rest) = course_with_pupils(school, 1)
    past = closed_period(course)
    col = column(course, period_obj=past)
    assert col.deadline == past.end - timedelta(days=2) and col.locked(school.today())
    with scopes_disabled(), pytest.raises(service.FinalMarksLocked, match="заместителя"):
        service.set_final_marks(course, col, {pupil.pk: ("na", False)}, user=teacher)
    # A school that sets marks up to three days after the period (regulation 003).
    set_rules(course.school, final_marks_days=-3)
    with scopes_disabled():
        late = service.column_for(course, Kind.PERIOD, past.pk)
    assert late.deadline == past.end + timedelta(days=3)


def test_the_year_mark_is_proposed_from_the_period_marks(school):
    teacher, course, (a, b, c) = course_with_pupils(school, 3)
    start = course.year.start
    quarters = [
        period(course, n, start + timedelta(days=70 * (n - 1)), start + timedelta(days=70 * n - 1))
        for n in (1, 2, 3, 4)
    ]
    with scopes_disabled():
        for pupil, values in ((a, "5545"), (b, "3344"), (c, "nnnn")):
            for q, value in zip(quarters, values, strict=True):
                FinalMark.objects.create(
                    school=school,
                    pupil=pupil,
                    course=course,
                    period=q,
                    kind=Kind.PERIOD,
                    value="na" if value == "n" else value,
                    set_by=teacher,
                )
        rows = {r.pupil: r for r in service.proposals(course, column(course, Kind.YEAR))}
    assert (rows[a].average, rows[a].proposed) == (Decimal("4.75"), "5")
    assert (rows[b].average, rows[b].proposed) == (Decimal("3.50"), "4")
    assert rows[c].proposed == "na"


def test_a_kind_needs_the_right_period(school):
    _teacher, course, _pupils = course_with_pupils(school, 1)
    quarter = open_period(course)
    with scopes_disabled():
        with pytest.raises(ValidationError, match="Укажите учебный период"):
            service.column_for(course, Kind.PERIOD)
        with pytest.raises(ValidationError, match="без периода"):
            service.column_for(course, Kind.YEAR, quarter.pk)
        with pytest.raises(ValidationError, match="Неизвестный вид"):
            service.column_for(course, "bogus")


def test_the_teacher_sets_a_column_in_the_browser(client, quarter):
    teacher, course, first, (strong, weak, absent) = quarter
    client.force_login(teacher)
    url = school_reverse(course.school, "grading:finals_edit", pk=course.pk)
    query = {"kind": "period", "period": first.pk}
    page = client.get(url, query)
    assert page.status_code == 200
    assert "мало отметок" in page.text
    assert f'name="confirm_{weak.pk}"' in page.text
    assert f'name="confirm_{strong.pk}"' not in page.text

    data = {**query, f"value_{strong.pk}": "4", f"value_{weak.pk}": "4", f"value_{absent.pk}": "na"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "поставьте «н/а» или подтвердите отметку" in response.text
    # What the teacher chose stays chosen.
    assert '<option value="4" selected>' in response.text

    response = client.post(url, {**data, f"confirm_{weak.pk}": "on"})
    assert response.status_code == 302
    overview = client.get(school_reverse(course.school, "grading:finals", pk=course.pk)).text
    assert "н/а" in overview and "пересдача" in overview


def test_a_locked_column_is_refused_in_the_browser(client, school):
    teacher, course, (pupil,) = course_with_pupils(school, 1)
    past = closed_period(course)
    client.force_login(teacher)
    url = school_reverse(school, "grading:finals_edit", pk=course.pk)
    response = client.post(url, {"kind": "period", "period": past.pk, f"value_{pupil.pk}": "na"})
    assert response.status_code == 400
    assert "исправление — только с согласия заместителя директора" in response.text
    with scopes_disabled():
        assert not FinalMark.objects.exists()


def test_a_college_opens_exam_and_credit_columns_per_semester(school):
    school.kind = school.Kind.COLLEGE
    school.save()
    teacher, course, (pupil,) = course_with_pupils(school, 1, grade=2, letter="ТМ-21")
    semester = open_period(course)
    with scopes_disabled():
        columns = service.course_columns(course)
        addable = {(c.kind, c.period) for c in service.addable_columns(course, columns)}
        assert addable == {
            (Kind.EXAM, semester),
            (Kind.CREDIT, semester),
            (Kind.DIFF_CREDIT, semester),
        }
        credit = service.column_for(course, Kind.CREDIT, semester.pk)
        assert service.allowed_values(course, Kind.CREDIT) == ["pass", "fail", "na"]
        assert (
            service.set_final_marks(course, credit, {pupil.pk: ("pass", False)}, user=teacher) == {}
        )
        assert service.allowed_values(course, Kind.DIFF_CREDIT)[:4] == ["5", "4", "3", "2"]
        columns = service.course_columns(course, service.final_marks(course))
        assert [c.label for c in columns][-1] == f"зачёт, {semester}"


def test_the_administrator_sets_the_schools_rules(client, school):
    from accounts.models import Role
    from tests.factories import make_member

    admin = make_member(school, Role.ADMIN)
    client.force_login(admin)
    url = school_reverse(school, "accounts:regulation_edit")
    data = regulation_form_data(
        school, rounding="from_60", min_marks_for_period=5, final_marks_days=-3
    )
    assert client.post(url, data).status_code == 302
    with scopes_disabled():
        regulation = Regulation.objects.get(school=school)
    assert (regulation.rounding, regulation.min_marks_for_period) == ("from_60", 5)
    assert regulation.final_marks_days == -3
    assert regulation.history.first().history_user == admin

    response = client.post(url, {**data, "min_marks_for_period": "0"})
    assert response.status_code == 400
    assert "Число отметок для аттестации — от 1 до 20." in response.text


def test_a_school_opens_an_exam_and_a_final_column_on_the_five_point_scale(school):
    teacher, course, (pupil,) = course_with_pupils(school, 1, grade=9)
    open_period(course)
    with scopes_disabled():
        columns = service.course_columns(course)
        addable = {(c.kind, c.period) for c in service.addable_columns(course, columns)}
        assert addable == {(Kind.EXAM, None), (Kind.FINAL, None)}
        exam = service.column_for(course, Kind.EXAM)
        errors = service.set_final_marks(course, exam, {pupil.pk: ("pass", False)}, user=teacher)
        assert errors == {pupil.pk: "Недопустимая отметка «pass»."}
        assert service.set_final_marks(course, exam, {pupil.pk: ("4", False)}, user=teacher) == {}
        labels = [c.label for c in service.course_columns(course, service.final_marks(course))]
        mark = FinalMark.objects.get(kind=Kind.EXAM)
    assert labels[-1] == "экзамен"
    assert (mark.value, mark.history.first().history_user) == ("4", teacher)


def test_an_exempt_pupil_gets_osv_without_confirming_few_marks(quarter):
    teacher, course, first, (strong, weak, absent) = quarter
    col = column(course, period_obj=first)
    with scopes_disabled():
        assert Value.EXEMPT in service.allowed_values(course, Kind.PERIOD)
        # The absent pupil has no marks at all; «осв.» needs no confirmation, a «5» would.
        errors = service.set_final_marks(
            course, col, {absent.pk: ("ex", False), weak.pk: ("na", False)}, user=teacher
        )
        assert errors == {}
        mark = FinalMark.objects.get(pupil=absent)
    assert (mark.value, mark.confirmed_few_marks, mark.is_failing) == ("ex", False, False)
    assert mark.get_value_display() == "осв."


def test_exams_and_credits_know_no_exemption(quarter):
    _teacher, course, _first, _pupils = quarter
    with scopes_disabled():
        assert Value.EXEMPT not in service.allowed_values(course, Kind.EXAM)
        assert Value.EXEMPT not in service.allowed_values(course, Kind.CREDIT)
        assert Value.EXEMPT in service.allowed_values(course, Kind.YEAR)


def test_a_pupil_exempt_every_period_is_proposed_exempt_for_the_year(quarter):
    teacher, course, first, (strong, weak, _absent) = quarter
    second = period(course, 2, first.end + timedelta(days=1), first.end + timedelta(days=40))
    with scopes_disabled():
        for p, value in ((first, "ex"), (second, "ex")):
            FinalMark.objects.create(
                school=course.school,
                pupil=weak,
                course=course,
                period=p,
                kind=Kind.PERIOD,
                value=value,
                set_by=teacher,
            )
        for p, value in ((first, "ex"), (second, "4")):
            FinalMark.objects.create(
                school=course.school,
                pupil=strong,
                course=course,
                period=p,
                kind=Kind.PERIOD,
                value=value,
                set_by=teacher,
            )
        rows = {r.pupil: r for r in service.proposals(course, column(course, Kind.YEAR))}
    assert rows[weak].proposed == "ex"
    # An exempt period is left out of the year's average.
    assert (rows[strong].proposed, rows[strong].average) == ("4", Decimal("4.00"))


def test_the_proposal_rule_reads_the_regulation(school):
    regulation = Regulation(school=school, rounding="from_60", min_marks_for_period=2)
    propose = service.propose_period_mark
    assert propose(Decimal("3.55"), 2, regulation, pass_fail=False) == "3"
    assert propose(Decimal("3.6"), 2, regulation, pass_fail=False) == "4"
    assert propose(Decimal("4.9"), 1, regulation, pass_fail=False) == "na"
    assert propose(None, 5, regulation, pass_fail=False) == "na"
    assert propose(Decimal("0.5"), 2, regulation, pass_fail=True) == "pass"
    assert propose(Decimal("0.49"), 2, regulation, pass_fail=True) == "fail"
