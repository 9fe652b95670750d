"""Pupils at risk: who is on the list (a forecast or an average below 3 by the regulation's
rule, more unexcused absences in seven days than the threshold), the notice when a pupil
enters it — once, not again while they stay, again after they leave and come back — to the
class teacher, and to the parents when the school turns it on; the page and its exports."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django_scopes import scopes_disabled
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import Role
from accounts.navigation import school_reverse
from grading.models import Mark
from reports.models import RiskEntry
from reports.services.risk import at_risk
from reports.services.scope import Selection
from tests.factories import make_member, make_pupil

from .builders import add_absence, add_mark
from .control_builders import check, desk, lesson
from .counting import queries_of
from .test_digest_worker import real_worker  # noqa: F401

pytestmark = pytest.mark.django_db
Reason = RiskEntry.Reason


def risky_desk(**rules):
    d = desk(**rules)
    with scopes_disabled():
        lead = d.family.class_teacher
        lead.email = "lead@example.org"
        lead.save(update_fields=["email"])
    return d


def held(d, day, number=1):
    """The course's lesson of that day and number (made the first time it is asked for)."""
    from schedule.models import Lesson

    with scopes_disabled():
        found = Lesson.objects.filter(course=d.course, date=day, number=number).first()
    return found or lesson(d, day, number=number)


def marks(d, pupil, values, start=None):
    day = start or d.family.monday
    return [
        add_mark(held(d, day + timedelta(days=n % 5), 1 + n // 5), pupil, value)
        for n, value in enumerate(values)
    ]


def listed(d, day):
    with scopes_disabled():
        return {
            (p.name.split()[0], tuple(p.reasons)): p
            for p in at_risk(Selection(d.school, d.family.year), day)
        }


def entries(d, open_only=True):
    with scopes_disabled():
        rows = RiskEntry.objects.filter(school=d.school).order_by("pk")
        if open_only:
            rows = rows.filter(left_on__isnull=True)
        return list(rows)


def test_a_pupil_whose_forecast_is_two_is_on_the_list_with_the_course_average_and_forecast():
    d = risky_desk()
    marks(d, d.pupils[0], ["2", "2", "3"])  # 2,33 → 2
    marks(d, d.pupils[1], ["3", "3", "4"])  # 3,33 → 3: not at risk
    found = listed(d, d.family.monday + timedelta(days=4))
    [(key, pupil)] = found.items()
    assert key == ("Смирнов", (Reason.MARKS,))
    assert pupil.courses == [("Предмет 1", "2,33", "2")]
    assert pupil.detail(Reason.MARKS) == "Предмет 1: средний 2,33, прогноз 2"


def test_an_average_below_three_counts_even_where_the_school_s_rounding_lifts_it_to_three():
    d = risky_desk(rounding="in_favour")  # any visible fraction rounds up: 2,67 → 3
    marks(d, d.pupils[0], ["2", "3", "3"])
    [pupil] = listed(d, d.family.monday + timedelta(days=4)).values()
    assert pupil.courses == [("Предмет 1", "2,67", "3")]


def test_more_unexcused_absences_in_seven_days_than_the_threshold_put_a_pupil_on_the_list():
    d = risky_desk(risk_absences_per_week=3)
    monday = d.family.monday
    for n in range(4):
        add_absence(held(d, monday + timedelta(days=n)), d.pupils[0])
    # Absences with a reason do not count: three «н» and two «б» stay within the threshold.
    for n in range(3):
        add_absence(held(d, monday + timedelta(days=n), 2), d.pupils[1])
    for n in range(2):
        add_absence(held(d, monday + timedelta(days=n), 3), d.pupils[1], code="ill")
    found = listed(d, monday + timedelta(days=4))
    assert list(found) == [("Смирнов", (Reason.ABSENCES,))]
    assert found[("Смирнов", (Reason.ABSENCES,))].absences == 4
    # Seven days on, the first of them has dropped out of the window.
    assert listed(d, monday + timedelta(days=7)) == {}


def test_entering_the_list_notifies_the_class_teacher_once_and_again_after_coming_back(
    django_capture_on_commit_callbacks,
):
    d = risky_desk()
    monday = d.family.monday
    made = marks(d, d.pupils[0], ["2", "2", "2"])
    with django_capture_on_commit_callbacks(execute=True):
        check(d, monday + timedelta(days=4))
    [entry] = entries(d)
    assert (entry.pupil_id, entry.reason, entry.entered_on) == (
        d.pupils[0].pk,
        Reason.MARKS,
        monday + timedelta(days=4),
    )
    [notice] = mail.outbox
    assert notice.to == ["lead@example.org"]
    assert "Смирнов Пётр" in notice.body and "Предмет 1: средний 2,00, прогноз 2" in notice.body
    # Checked again the same evening and the next days: still on the list, no new notice.
    for n in (4, 7, 8):
        with django_capture_on_commit_callbacks(execute=True):
            check(d, monday + timedelta(days=n))
    assert len(mail.outbox) == 1 and [e.pk for e in entries(d)] == [entry.pk]
    # Good marks lift the average: the pupil leaves the list…
    later = marks(d, d.pupils[0], ["5"] * 6, start=monday + timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=True):
        check(d, monday + timedelta(days=11))
    assert entries(d) == []
    [left] = entries(d, open_only=False)
    assert left.left_on == monday + timedelta(days=11)
    # …and comes back when they are taken away: a new entry and a new notice.
    with scopes_disabled():
        Mark.objects.filter(pk__in=[m.pk for m in later]).delete()
    with django_capture_on_commit_callbacks(execute=True):
        check(d, monday + timedelta(days=14))
    [again] = entries(d)
    assert again.pk != entry.pk and again.entered_on == monday + timedelta(days=14)
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["lead@example.org"]
    assert made  # the first marks stay


def test_parents_get_the_notice_only_when_the_school_turns_it_on(
    django_capture_on_commit_callbacks,
):
    quiet, loud = risky_desk(), risky_desk(risk_notify_parents=True)
    for d in (quiet, loud):
        marks(d, d.pupils[0], ["2", "2", "2"])
        with django_capture_on_commit_callbacks(execute=True):
            check(d, d.family.monday + timedelta(days=4))
    sent = sorted(tuple(m.to) for m in mail.outbox)
    assert sent == sorted(
        [("lead@example.org",), ("lead@example.org",), (loud.family.parent.email,)]
    )


def test_a_parent_who_turned_the_risk_e_mails_off_gets_none(django_capture_on_commit_callbacks):
    from journal.models import NotificationSettings

    d = risky_desk(risk_notify_parents=True)
    with scopes_disabled():
        NotificationSettings.objects.create(user=d.family.parent, email_risk=False)
    marks(d, d.pupils[0], ["2", "2", "2"])
    with django_capture_on_commit_callbacks(execute=True):
        check(d, d.family.monday + timedelta(days=4))
    assert [m.to for m in mail.outbox] == [["lead@example.org"]]


def page(client, d, user, **query):
    client.force_login(user)
    return client.get(school_reverse(d.school, "reports:risk"), query)


def test_the_class_teacher_sees_their_class_s_list_with_the_day_each_pupil_entered_it(
    client, django_capture_on_commit_callbacks
):
    import time_machine

    from .control_builders import at

    d = risky_desk()
    marks(d, d.pupils[0], ["2", "2", "2"])
    day = d.family.monday + timedelta(days=4)
    with django_capture_on_commit_callbacks(execute=True):
        check(d, day)
    with time_machine.travel(at(d.school.timezone, day, 21, 30), tick=False):
        response = page(client, d, d.family.class_teacher)
        assert response.status_code == 200
        [row] = response.context["document"].rows
        assert row.values == {
            "name": "5А",
            "pupil": "Смирнов Пётр",
            "reason": "успеваемость ниже 3",
            "detail": "Предмет 1: средний 2,00, прогноз 2",
            "absences": None,
            "since": day,
        }
        html = response.content.decode()
        assert "<table" in html and "Смирнов Пётр" in html and day.strftime("%d.%m.%Y") in html
        book = load_workbook(
            io.BytesIO(page(client, d, d.family.class_teacher, format="xlsx").content)
        )
        sheet = book.active
        header = next(r for r in sheet.iter_rows() if r[0].value == "Класс")
        assert [c.value for c in header] == [
            "Класс",
            "Обучающийся",
            "Причина",
            "Подробности",
            "Пропусков за 7 дней",
            "В списке с",
        ]
        data = [c.value for c in sheet[header[0].row + 1]]
        assert data[:4] == ["5А", "Смирнов Пётр", "успеваемость ниже 3", data[3]]
        assert data[3] == "Предмет 1: средний 2,00, прогноз 2"
        assert data[4] is None and data[5].date() == day
        pdf = page(client, d, d.family.class_teacher, format="pdf")
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "Группа риска" in text and "Смирнов Пётр" in text and "прогноз 2" in text


def test_the_list_costs_the_same_queries_for_a_small_and_a_large_school(client):
    sizes = []
    for extra in (0, 12):
        d = risky_desk()
        for n in range(extra):
            pupil = make_pupil(d.school, d.family.school_class, last_name=f"Ученик{n}")
            marks(d, pupil, ["2", "3"])
            add_absence(held(d, d.family.monday, 9), pupil)
        marks(d, d.pupils[0], ["2", "2"])
        deputy = make_member(d.school, Role.DEPUTY, last_name="Завучева")
        client.force_login(deputy)
        url = school_reverse(d.school, "reports:risk")
        sizes.append(queries_of(client, url, {"scope": "school"}))
    assert sizes[0] == sizes[1]


@pytest.mark.django_db(transaction=True)
def test_two_workers_checking_at_once_send_the_entering_pupil_s_notice_once(real_worker):  # noqa: F811
    import time

    from reports import tasks

    from .test_digest_worker import RUN_TIMEOUT, recipients, wait_for

    d = risky_desk()
    marks(d, d.pupils[0], ["2", "2", "2"])
    day = (d.family.monday + timedelta(days=4)).isoformat()
    real_worker.start()
    real_worker.start()
    for _ in range(4):
        tasks.check_school.delay(d.school.pk, day)

    def noticed():
        with scopes_disabled():
            return RiskEntry.objects.filter(school=d.school, notified_at__isnull=False).exists()

    wait_for(noticed, RUN_TIMEOUT, "the notice")
    [entry] = entries(d)
    for _ in range(3):  # a redelivered or duplicated notice sends nothing more
        tasks.notify_risk.delay(entry.pk)

    def checks_done():
        from reports.models import ControlState

        with scopes_disabled():
            return ControlState.objects.get(school=d.school).runs == 4

    wait_for(checks_done, RUN_TIMEOUT, "four checks")
    time.sleep(2)  # the duplicates have had their turn
    assert recipients(real_worker.maildir) == ["lead@example.org"]
    assert len(entries(d, open_only=False)) == 1


def test_the_class_teacher_s_today_lists_the_week_s_new_pupils_at_risk_and_a_teacher_s_not(
    client,
):
    import time_machine

    from .control_builders import at

    d = risky_desk()
    marks(d, d.pupils[0], ["2", "2", "2"])
    day = d.family.monday + timedelta(days=4)
    check(d, day)
    today = school_reverse(d.school, "journal:today")
    with time_machine.travel(at(d.school.timezone, day, 21, 30), tick=False):
        client.force_login(d.family.class_teacher)
        html = client.get(today).content.decode()
        assert "Новые в группе риска" in html and "Смирнов Пётр" in html
        assert f"?scope=class:{d.family.school_class.pk}" in html
        client.force_login(d.teacher)
        assert "Новые в группе риска" not in client.get(today).content.decode()
    # A week on it is no longer news (the list itself still has the pupil).
    with time_machine.travel(at(d.school.timezone, day + timedelta(days=8), 9), tick=False):
        client.force_login(d.family.class_teacher)
        assert "Новые в группе риска" not in client.get(today).content.decode()
