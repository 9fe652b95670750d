"""A retake step by step (002 §3.2): the student's application, signed by the director or a
deputy (never by whoever filed it), the referral with the day and the commission, the
protocol, the mark — each step in history and printable; the ledger shows the retake."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled
from pypdf import PdfReader

from accounts.models import Role
from accounts.navigation import school_reverse
from accounts.services import grant_role
from grading.models import RetakeApplication
from grading.services import retake_flow as flow
from grading.services import sessions

from .finals_builders import today
from .session_builders import build_college, exam_mark, fresh

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    """The document's words, each run of spaces and line breaks as one space."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def url(college, name, **kwargs):
    return school_reverse(college.school, name, **kwargs)


def latest(mark):
    with scopes_disabled():
        return RetakeApplication.objects.filter(final_mark=mark).latest("pk")


def test_a_retake_goes_from_the_application_to_the_mark_step_by_step(client):
    college = build_college(2)
    student = college.students[0]
    mark = exam_mark(college, student, "2")
    people = college.people

    # 1. The student files the application from their own account.
    client.force_login(college.student_user)
    response = client.post(url(college, "grading:retake_apply", pk=mark.pk), {"reason": ""})
    assert response.status_code == 400 and "Укажите причину" in response.text
    response = client.post(
        url(college, "grading:retake_apply", pk=mark.pk), {"reason": "по болезни"}
    )
    assert response.status_code == 302
    application = latest(mark)
    assert (application.stage, application.requested_by) == ("applied", college.student_user)
    page = url(college, "grading:retake_application", pk=application.pk)
    assert "заявление подано" in client.get(page).text
    # The student neither signs nor refers.
    decide = url(college, "grading:retake_application_decide", pk=application.pk)
    assert client.post(decide, {"decision": "approve"}).status_code == 403

    # 2. The deputy signs it.
    client.force_login(people["deputy"])
    assert client.post(decide, {"decision": "approve"}).status_code == 302
    application = latest(mark)
    assert (application.status, application.decided_by) == ("approved", people["deputy"])

    # 3. The referral: the day of the sitting, before the assessment's commission.
    refer = url(college, "grading:retake_application_refer", pk=application.pk)
    response = client.post(
        refer, {"number": "7", "issued_on": today().isoformat(), "sitting_on": ""}
    )
    assert response.status_code == 400 and "Укажите дату." in response.text
    response = client.post(
        refer,
        {"number": "7", "issued_on": today().isoformat(), "sitting_on": today().isoformat()},
    )
    assert response.status_code == 302
    assert latest(mark).stage == "referred"

    # 4. The protocol, by the course's teacher: the result becomes the mark.
    client.force_login(people["teacher"])
    protocol = url(college, "grading:retake_application_protocol", pk=application.pk)
    response = client.post(protocol, {"protocol_number": "", "result": "4"})
    assert response.status_code == 400 and "номер протокола" in response.text
    assert client.post(protocol, {"protocol_number": "15", "result": "4"}).status_code == 302
    application = latest(mark)
    mark.refresh_from_db()
    assert (application.stage, mark.value) == ("done", "4")
    with scopes_disabled():
        retake = application.retake
        assert (retake.previous_value, retake.result, retake.held_on) == ("2", "4", today())
        assert {u.pk for u in retake.commission.all()} == {
            people["chair"].pk,
            people["member"].pk,
            people["teacher"].pk,
        }
        assert retake.order_number.startswith("приказ № 01-03/45")
        # Every step is in the application's history, with who took it.
        steps = [
            (h.status, bool(h.referral_issued_on), bool(h.retake_id), h.history_user)
            for h in application.history.order_by("history_date")
        ]
        assert steps == [
            ("pending", False, False, college.student_user),
            ("approved", False, False, people["deputy"]),
            ("approved", True, False, people["deputy"]),
            ("approved", True, True, people["teacher"]),
        ]
        assert [h.value for h in mark.history.order_by("history_date")] == ["2", "4"]

    # Each step prints.
    client.force_login(people["deputy"])
    texts = {}
    for document in ("application", "referral", "protocol"):
        response = client.get(
            url(college, "grading:retake_application_pdf", pk=application.pk, document=document)
        )
        assert response.status_code == 200, document
        texts[document] = pdf_text(response.content)
    assert "по болезни" in texts["application"] and "Андреева" in texts["application"]
    assert "Заместителева" in texts["application"]  # who signed
    assert "Направление на пересдачу № 7" in texts["referral"]
    assert today().strftime("%d.%m.%Y") in texts["referral"]
    assert "Председатель комиссии: ____________ Председателев О. О." in texts["protocol"]
    assert "Протокол пересдачи № 15" in texts["protocol"] and "4" in texts["protocol"]

    # The ledger shows the mark of the session and the retake beside it.
    with scopes_disabled():
        ledger = sessions.build_ledger(fresh(college.assessment))
    row = next(r for r in ledger.rows if r.pupil.pk == student.pk)
    assert row.first_value == "2"
    assert row.retake_label == f"{today():%d.%m.%Y}: 4 (протокол № 15)"
    pdf = client.get(url(college, "grading:ledger_pdf", pk=college.assessment.pk))
    assert "(протокол № 15)" in pdf_text(pdf.content)


def test_nobody_signs_their_own_application_and_the_director_signs_a_deputys():
    college = build_college(1)
    mark = exam_mark(college, college.students[0], "na")
    deputy, director = college.people["deputy"], college.people["director"]
    with scopes_disabled():
        # The deputy files it for the student (who was ill and could not come).
        application = flow.do_apply(mark, reason="по болезни", by=deputy)
        with pytest.raises(ValidationError, match="Своё заявление подписать нельзя") as refused:
            flow.do_decide(application, approve=True, by=deputy)
        assert refused.value.code == "own_request"
        assert RetakeApplication.objects.get().status == "pending"
        flow.do_decide(application, approve=True, by=director)
        assert RetakeApplication.objects.get().decided_by == director
        with pytest.raises(ValidationError, match="уже принято"):
            flow.do_decide(application, approve=False, by=director)


def test_a_deputy_who_filed_it_is_refused_in_the_browser_and_not_offered_the_form(client):
    college = build_college(1)
    mark = exam_mark(college, college.students[0], "2")
    deputy = college.people["deputy"]
    with scopes_disabled():
        application = flow.do_apply(mark, reason="по болезни", by=deputy)
    client.force_login(deputy)
    decide = url(college, "grading:retake_application_decide", pk=application.pk)
    page = client.get(url(college, "grading:retake_application", pk=application.pk)).text
    assert decide not in page
    assert client.post(decide, {"decision": "approve"}).status_code == 403
    assert latest(mark).status == "pending"


def test_an_application_is_for_a_failed_mark_of_a_session_and_one_at_a_time():
    college = build_college(2)
    curator = college.people["curator"]
    passed = exam_mark(college, college.students[0], "4")
    failed = exam_mark(college, college.students[1], "2")
    with scopes_disabled():
        with pytest.raises(ValidationError, match="неудовлетворительную отметку"):
            flow.do_apply(passed, reason="по болезни", by=curator)
        flow.do_apply(failed, reason="по болезни", by=curator)
        with pytest.raises(ValidationError, match="уже есть заявление"):
            flow.do_apply(failed, reason="по болезни", by=curator)
        RetakeApplication.objects.all().delete()
        college.assessment.delete()
        with pytest.raises(ValidationError, match="не относится к аттестации"):
            flow.do_apply(failed, reason="по болезни", by=curator)


def test_a_referral_needs_a_signed_application_and_a_protocol_a_referral():
    college = build_college(1)
    mark = exam_mark(college, college.students[0], "2")
    people = college.people
    with scopes_disabled():
        application = flow.do_apply(mark, reason="по болезни", by=people["curator"])
        with pytest.raises(ValidationError, match="по подписанному заявлению"):
            flow.do_refer(
                application, number="1", issued_on=today(), sitting_on=today(), by=people["deputy"]
            )
        with pytest.raises(ValidationError, match="по выданному направлению"):
            flow.do_protocol(application, protocol_number="1", result="4", by=people["teacher"])
        flow.do_decide(application, approve=True, by=people["deputy"])
        with pytest.raises(ValidationError, match="раньше выдачи"):
            flow.do_refer(
                application,
                number="1",
                issued_on=today(),
                sitting_on=today() - timedelta(days=1),
                by=people["deputy"],
            )
        flow.do_refer(
            application,
            number="1",
            issued_on=today(),
            sitting_on=today() + timedelta(days=3),
            by=people["deputy"],
        )
        # The sitting is yet to come: no protocol before its day (the school's own day).
        with pytest.raises(ValidationError, match="ещё не наступила"):
            flow.do_protocol(application, protocol_number="1", result="4", by=people["teacher"])
        mark.refresh_from_db()
        assert mark.value == "2"


def test_a_rejected_application_ends_there():
    college = build_college(1)
    mark = exam_mark(college, college.students[0], "2")
    people = college.people
    with scopes_disabled():
        grant_role(college.school, people["curator"], Role.CLASS_TEACHER)
        application = flow.do_apply(mark, reason="не хочу", by=people["curator"])
        flow.do_decide(application, approve=False, by=people["deputy"], note="без причины")
        application.refresh_from_db()
        assert application.stage == "rejected"
        with pytest.raises(ValidationError, match="по подписанному заявлению"):
            flow.do_refer(
                application, number="1", issued_on=today(), sitting_on=today(), by=people["deputy"]
            )


def test_the_curator_files_it_from_the_courses_final_marks_and_the_teacher_is_not_offered_it(
    client,
):
    college = build_college(1)
    mark = exam_mark(college, college.students[0], "2")
    finals = url(college, "grading:finals", pk=college.course.pk)
    apply = url(college, "grading:retake_apply", pk=mark.pk)
    client.force_login(college.people["curator"])
    assert apply in client.get(finals).text
    client.force_login(college.people["teacher"])
    assert apply not in client.get(finals).text
    assert client.get(apply).status_code == 403
