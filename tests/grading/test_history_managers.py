"""`Model.history` builds its manager class once (lib.history): every access still answers
for its own instance, or for the model's whole history."""

import pytest
from django_scopes import scopes_disabled

from grading.models import Mark
from tests.journal.grid_builders import build_journal

pytestmark = pytest.mark.django_db


def test_the_history_manager_class_is_built_once_and_each_answers_for_its_own_instance():
    journal = build_journal(2, 1, recent=True)
    lesson, work_type = journal.lessons[0], journal.main_type().id
    with scopes_disabled():
        marks = [
            Mark.objects.create(
                school=journal.school,
                lesson=lesson,
                pupil=pupil,
                work_type_id=work_type,
                value="5",
                points=5,
                author=journal.teacher,
            )
            for pupil in journal.pupils
        ]
        marks[0].value = "4"
        marks[0].save()
        assert type(marks[0].history) is type(marks[1].history) is type(Mark.history)
        assert marks[0].history.instance == marks[0]
        assert [r.value for r in marks[0].history.order_by("history_id")] == ["5", "4"]
        assert [r.value for r in marks[1].history.all()] == ["5"]
        assert Mark.history.count() == 3
        assert marks[0].history.most_recent().value == "4"
