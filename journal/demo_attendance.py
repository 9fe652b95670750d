"""Demo attendance, and marks moved to the columns their lessons' types call for.

Called at the end of journal/demo.py. Grading's demo planned the absences with its marks
(an absent pupil gets no mark) and left them on `ctx.demo_absences`; they are written here,
with their history. The plan has since given lessons their types (a test, a dictation…):
the demo marks of such lessons move to that type's column, as a teacher would have put them.
"""

from simple_history.utils import bulk_create_with_history

from accounts.models import User
from grading.models import Mark
from grading.services.marks import work_types
from schedule.models import Lesson

from .models import Attendance


def build(ctx) -> None:
    planned = ctx.__dict__.get("demo_absences") or []
    rows = []
    users = User.objects.in_bulk({item["set_by_id"] for item in planned})
    for item in planned:
        row = Attendance(
            school=item["school"],
            lesson=item["lesson"],
            pupil_id=item["pupil_id"],
            code=item["code"],
            minutes_late=item["minutes_late"],
            set_by_id=item["set_by_id"],
            updated_at=item["when"],
        )
        row._history_date = item["when"]
        row._history_user = users.get(item["set_by_id"])
        rows.append(row)
    if rows:
        bulk_create_with_history(rows, Attendance, batch_size=2000)
    for school in ctx.schools:
        types = work_types(school)
        default = types.main_for(Lesson.Kind.LESSON)
        for kind in Lesson.Kind.values:
            main = types.main_for(kind)
            if main is None or default is None or main.id == default.id:
                continue
            marks = Mark.objects.filter(school=school, lesson__kind=kind, work_type_id=default.id)
            # Demo data only: the history is rewritten along with the rows it describes.
            Mark.history.filter(id__in=marks.values("pk")).update(work_type_id=main.id)
            marks.update(work_type_id=main.id)
