"""The rollover on a small school: 5А → 6А with its courses and teachers proposed, 9А
graduating with «окончание обучения», a pupil kept down, a conditional transfer with its
order number, subgroups empty, the next year's periods and holidays — and run twice, the
second run changes nothing. The preview shows it all before anything is written."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Role
from accounts.navigation import school_reverse
from schedule.models import (
    Course,
    Enrolment,
    Holiday,
    SchoolClass,
    SchoolYear,
    StudyPeriod,
    Subgroup,
    SubgroupMembership,
)
from schedule.services.rollover import CONDITIONAL, REPEAT, do_rollover, plan_rollover
from tests.factories import make_class, make_course, make_member, make_pupil

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(hand):
    with scopes_disabled():
        ninth = make_class(hand.school, 9, "А", year=hand.year)
        graduates = [
            make_pupil(hand.school, ninth, start=hand.year.start, last_name=f"Выпускник{i}")
            for i in range(2)
        ]
        make_course(ninth, hand.courses["math"].subject, teachers=[hand.teachers["math"]])
        hand.year.closed_at = timezone.now()
        hand.year.save()
    hand.extra.update(ninth=ninth, graduates=graduates)
    return hand


def counts():
    with scopes_disabled():
        return (
            SchoolYear.objects.count(), SchoolClass.objects.count(), Enrolment.objects.count(),
            Course.objects.count(), StudyPeriod.objects.count(), Holiday.objects.count(),
            Subgroup.objects.count(),
        )  # fmt: skip


def test_the_rollover_promotes_graduates_keeps_down_and_is_idempotent(small):
    hand = small
    outcomes = {hand.pupils["Зоя"].pk: REPEAT, hand.pupils["Иван"].pk: CONDITIONAL}
    with scopes_disabled():
        before = counts()
        plan = plan_rollover(hand.year, outcomes)
        assert counts() == before  # the preview writes nothing
        assert plan.name == "2026/2027" and not plan.problems
        made = do_rollover(hand.year, outcomes, order_number="12-о")
        assert made["year"] == 1 and made["left"] == 2
        nxt = SchoolYear.objects.get(name="2026/2027")
        assert (nxt.start, nxt.end) == (date(2026, 9, 1), date(2027, 8, 31))
        assert StudyPeriod.objects.filter(year=nxt).count() >= 6
        assert Holiday.objects.filter(year=nxt).exists()
        names = sorted(c.name for c in SchoolClass.objects.filter(year=nxt))
        assert names == ["11А", "2А", "5А", "6А"]  # 9А graduates; 5А again for Зоя
        sixth = SchoolClass.objects.get(year=nxt, grade=6, letter="А")
        assert sixth.class_teacher == hand.teachers["class"]
        moved = Enrolment.objects.filter(school_class=sixth)
        pupils = {e.pupil.first_name: e for e in moved.select_related("pupil")}
        assert "Зоя" not in pupils and "Максим" not in pupils  # kept down; left in November
        assert pupils["Иван"].reason == Enrolment.Reason.CONDITIONAL
        assert pupils["Аня"].reason == Enrolment.Reason.START
        assert {e.order_number for e in moved} == {"12-о"} and pupils["Аня"].start == nxt.start
        zoya = Enrolment.objects.get(pupil=hand.pupils["Зоя"], school_class__year=nxt)
        assert (zoya.school_class.name, zoya.reason) == ("5А", Enrolment.Reason.REPEAT)
        old = Enrolment.objects.get(pupil=hand.pupils["Аня"], school_class=hand.fifth)
        assert (old.end, old.end_reason) == (hand.year.end, Enrolment.EndReason.YEAR_END)
        for pupil in hand.extra["graduates"]:
            [e] = Enrolment.objects.filter(pupil=pupil)
            assert (e.end_reason, e.end_order_number) == (Enrolment.EndReason.GRADUATED, "12-о")
            assert e.get_end_reason_display() == "окончание обучения"
        # Courses with their teachers; the subgroup copied, empty.
        maths = Course.objects.get(school_class=sixth, subject__name="Математика")
        assert list(maths.teachers.all()) == [hand.teachers["math"]]
        english = Course.objects.get(school_class=sixth, subject__name="Английский язык")
        assert english.subgroup.name == "1 группа"
        assert not SubgroupMembership.objects.filter(subgroup=english.subgroup).exists()
        assert not Course.objects.filter(year=nxt, school_class__grade=10).exists()
        after = counts()
        again = do_rollover(hand.year, outcomes, order_number="12-о")
        assert counts() == after
        assert again == dict.fromkeys(again, 0)


def test_an_open_year_is_not_rolled_over(hand):
    with scopes_disabled():
        assert plan_rollover(hand.year).problems == ["Учебный год 2025/2026 не закрыт."]
        with pytest.raises(ValidationError, match="не закрыт"):
            do_rollover(hand.year)


def test_the_preview_page_shows_every_change_and_the_run_writes_it(small, client):
    hand = small
    client.force_login(make_member(hand.school, Role.DEPUTY))
    url = school_reverse(hand.school, "archive:rollover", pk=hand.year.pk)
    zoya = hand.pupils["Зоя"].pk
    page = client.get(url, {f"o{zoya}": REPEAT}).content.decode()
    assert "Учебный год 2026/2027" in page and "5А → 6А" in page
    assert "окончание обучения" in page and "оставлен на повторное обучение" in page
    with scopes_disabled():
        assert not SchoolYear.objects.filter(name="2026/2027").exists()
    bad = client.post(url, {f"o{zoya}": "nonsense", "order_number": "1"})
    assert bad.status_code == 400 and "Неизвестное решение" in bad.content.decode()
    response = client.post(url, {f"o{zoya}": REPEAT, "order_number": "7-о"})
    assert response.status_code == 302
    with scopes_disabled():
        e = Enrolment.objects.get(pupil_id=zoya, school_class__year__name="2026/2027")
        assert (e.reason, e.order_number) == (Enrolment.Reason.REPEAT, "7-о")


def test_the_diary_reads_a_closed_year_after_the_rollover(small, client):
    from tests.factories import make_parent

    hand = small
    with scopes_disabled():
        parent = make_parent(hand.school, hand.pupils["Вера"])
        do_rollover(hand.year)
    client.force_login(parent)
    marks = school_reverse(hand.school, "journal:diary_marks", pupil=hand.pupils["Вера"].pk)
    now = client.get(marks).content.decode()
    assert "2025/2026 (закрыт)" in now and "2026/2027" in now
    past = client.get(marks, {"year": hand.year.pk, "period": hand.q2.pk})
    text = past.content.decode()
    assert past.status_code == 200 and f"year={hand.year.pk}" in text
    assert "05.11.2025–26.12.2025" in text  # the closed year's second quarter
    attendance = school_reverse(
        hand.school, "journal:diary_attendance", pupil=hand.pupils["Вера"].pk
    )
    assert client.get(attendance, {"year": hand.year.pk}).status_code == 200
    assert client.get(marks, {"year": "999999"}).status_code == 404
    assert client.get(marks, {"year": "x"}).status_code == 404
