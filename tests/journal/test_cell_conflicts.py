"""Two people editing one cell: the later save is made against what its author saw, so the
earlier one is never silently overwritten — told in the cell, with the typed value kept."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Role
from grading.models import Mark
from schedule.services.lessons import assign_substitute
from tests.factories import make_member

from .grid_builders import build_journal

pytestmark = pytest.mark.django_db


def post(journal, client, lesson, pupil, value, expected):
    response = client.post(
        journal.cell_url(lesson, pupil),
        {"value": value, "expected": expected, "column": journal.main_type(lesson).id},
    )
    return response.status_code, json.loads(response.content)


def test_a_save_against_a_value_that_changed_meanwhile_is_refused_with_the_new_value():
    journal = build_journal(1, 1, recent=True)
    lesson, pupil = journal.lessons[0], journal.pupils[0]
    substitute = make_member(journal.school, Role.TEACHER, last_name="Заменова")
    with scopes_disabled():
        assign_substitute(lesson, substitute, by=journal.teacher)
    first, second = journal.client_for(journal.teacher), journal.client_for(substitute)

    # Both opened the page on an empty cell; the substitute saves first.
    assert post(journal, second, lesson, pupil, "4", "")[0] == 200
    status, body = post(journal, first, lesson, pupil, "5", "")
    assert status == 409 and body["changed"] and body["text"] == "4"
    assert "теперь здесь «4»" in body["error"]
    with scopes_disabled():
        assert Mark.objects.get().value == "4"
    # Seen the new value, the teacher saves over it on purpose.
    assert post(journal, first, lesson, pupil, "5", "4")[0] == 200
    with scopes_disabled():
        assert Mark.objects.get().value == "5"


def test_attendance_counts_as_what_the_cell_showed_too():
    journal = build_journal(1, 1, recent=True)
    lesson, pupil = journal.lessons[0], journal.pupils[0]
    client = journal.client_for(journal.teacher)
    assert post(journal, client, lesson, pupil, "н", "")[0] == 200
    status, body = post(journal, client, lesson, pupil, "5", "")
    assert status == 409 and body["text"] == "н"
    assert post(journal, client, lesson, pupil, "н 5", "н")[0] == 200


def test_the_plain_form_does_not_overwrite_a_cell_written_after_the_page_was_shown():
    journal = build_journal(2, 1, recent=True)
    lesson, (pupil, other) = journal.lessons[0], journal.pupils
    column = journal.main_type(lesson).id
    client = journal.client_for(journal.teacher)
    shown_at = timezone.now() - timedelta(minutes=5)
    substitute = make_member(journal.school, Role.TEACHER, last_name="Заменова")
    with scopes_disabled():
        assign_substitute(lesson, substitute, by=journal.teacher)
    post(journal, journal.client_for(substitute), lesson, pupil, "3", "")
    response = client.post(
        journal.url("journal:grid_save"),
        {
            "shown_at": shown_at.isoformat(),
            f"c{lesson.pk}_{pupil.pk}_{column}": "",  # the page showed it empty
            f"c{lesson.pk}_{other.pk}_{column}": "5",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "теперь здесь «3»" in page
    with scopes_disabled():
        assert dict(Mark.objects.values_list("pupil_id", "value")) == {pupil.pk: "3", other.pk: "5"}
