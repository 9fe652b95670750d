"""One statement for a row and its history (lib.history.save_with_history), in each place
that writes a journal cell with it: a mark (grading.services.marks.write_mark) and an
attendance record (journal.services.attendance.write_attendance)."""

from dataclasses import dataclass

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import BooleanField, Value
from django.db.models.expressions import DatabaseDefault
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from grading.models import Mark
from grading.services import marks as mark_service
from journal.models import Attendance
from journal.services import attendance as attendance_service
from lib.history import save_with_history
from schedule.versions import course_version
from tests.journal.grid_builders import build_journal

pytestmark = pytest.mark.django_db


@dataclass
class Writer:
    model: type
    module: object
    values: tuple  # a new cell's value, a change, a clearing

    def write(self, journal, pupil, value, current, reason=""):
        lesson = journal.lessons[0]
        if self.model is Mark:
            return mark_service.write_mark(
                lesson,
                pupil.pk,
                journal.main_type(lesson).id,
                value,
                current=current,
                by=journal.teacher,
                change_reason=reason,
            )
        code, minutes = value
        return attendance_service.write_attendance(
            lesson, pupil.pk, code, minutes, current=current, by=journal.teacher,
            change_reason=reason,
        )  # fmt: skip


WRITERS = {
    "mark": Writer(Mark, mark_service, ("5", "4", None)),
    "attendance": Writer(
        Attendance, attendance_service, (("absent", None), ("late", 10), (None, None))
    ),
}


@pytest.fixture(params=WRITERS, ids=list(WRITERS))
def writer(request):
    return WRITERS[request.param]


def history_of(model, row_pk) -> list[dict]:
    """A row's history records as simple-history keeps them, without what differs between
    two rows written alike (their keys, pupils and moments)."""
    left_out = {"history_id", "history_date", "id", "pupil", "updated_at", "deleted_at"}
    records = []
    for record in model.history.filter(id=row_pk).order_by("history_id"):
        fields = {
            f.attname: getattr(record, f.attname)
            for f in record._meta.concrete_fields
            if f.name not in left_out
        }
        records.append({**fields, "cleared": record.deleted_at is not None})
    return records


def test_each_write_is_one_statement_and_keeps_the_history_model_save_would(writer, monkeypatch):
    journal = build_journal(2, 1, recent=True)
    ours, reference = journal.pupils
    journal.main_type()  # the school's work types, read once (kept in the cache)
    with scopes_disabled():
        rows, statements = {}, []
        for n, value in enumerate(writer.values):
            reason = "исправление опечатки" if n == 1 else ""
            with CaptureQueriesContext(connection) as queries:
                rows[ours] = writer.write(journal, ours, value, rows.get(ours), reason)
            statements.append([q["sql"] for q in queries.captured_queries])
            # The same write through Model.save, simple-history's receiver writing the record.
            with monkeypatch.context() as patch:
                patch.setattr(writer.module, "save_with_history", lambda row: row.save())
                rows[reference] = writer.write(
                    journal, reference, value, rows.get(reference), reason
                )
        assert [len(s) for s in statements] == [1, 1, 1], statements
        assert all(s[0].startswith("WITH saved AS (") for s in statements)
        ours_history = history_of(writer.model, rows[ours].pk)
        assert ours_history == history_of(writer.model, rows[reference].pk)
        assert [r["history_type"] for r in ours_history] == ["+", "~", "~"]
        assert [r["history_user_id"] for r in ours_history] == [journal.teacher.pk] * 3
        assert ours_history[1]["history_change_reason"] == "исправление опечатки"
        assert [r["cleared"] for r in ours_history] == [False, False, True]
        stored = writer.model.objects.get(pk=rows[ours].pk)
        assert stored.deleted_at is not None and stored.updated_at == rows[ours].updated_at


def test_each_write_drops_the_course_version_as_a_save_does(writer):
    journal = build_journal(1, 1, recent=True)
    pupil, row = journal.pupils[0], None
    with scopes_disabled():
        for value in writer.values:
            before = course_version(journal.school.pk, journal.course.pk)
            row = writer.write(journal, pupil, value, row)
            assert course_version(journal.school.pk, journal.course.pk) != before
            assert not hasattr(row, "skip_history_when_saving")


def test_a_change_to_a_row_no_longer_there_fails_and_keeps_no_history(writer):
    journal = build_journal(1, 1, recent=True)
    pupil = journal.pupils[0]
    with scopes_disabled():
        row = writer.write(journal, pupil, writer.values[0], None)
        writer.model.objects.filter(pk=row.pk).delete()
        count = writer.model.history.count()
        with pytest.raises(DatabaseError, match="not there"), transaction.atomic():
            writer.write(journal, pupil, writer.values[1], row)
        assert writer.model.history.count() == count


def test_a_second_new_row_for_one_cell_fails_and_keeps_no_history(writer):
    journal = build_journal(1, 1, recent=True)
    pupil = journal.pupils[0]
    with scopes_disabled():
        writer.write(journal, pupil, writer.values[0], None)
        with pytest.raises(IntegrityError), transaction.atomic():
            writer.write(journal, pupil, writer.values[1], None)
        assert writer.model.history.count() == 1
        assert writer.model.objects.count() == 1


def test_a_field_left_to_its_database_default_is_refused_and_nothing_is_written():
    journal = build_journal(1, 1, recent=True)
    lesson, pupil = journal.lessons[0], journal.pupils[0]
    mark = Mark(
        school_id=journal.school.pk,
        lesson=lesson,
        pupil_id=pupil.pk,
        work_type_id=journal.main_type().id,
        value="5",
        author=journal.teacher,
    )
    mark.makeup = DatabaseDefault(Value(False), output_field=BooleanField())
    with scopes_disabled():
        with pytest.raises(NotImplementedError, match="database default"):
            save_with_history(mark)
        assert not Mark.objects.exists() and not Mark.history.exists()
