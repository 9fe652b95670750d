"""A cell's history: every value its marks and attendance held, who set it, and corrections."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.models import Pupil
from accounts.navigation import school_reverse
from grading.models import CorrectionRequest, Mark
from grading.rules import with_user_perms
from grading.services.marks import work_types
from schedule.models import Lesson
from schedule.services.roster import course_stays

from ..models import Attendance


class CellHistoryView(SchoolPermissionMixin, View):
    permission = "journal.view_cell"

    def get_permission_object(self):
        self.lesson = get_object_or_404(
            with_user_perms(
                Lesson.objects.select_related(
                    "course__school_class", "course__subject", "course__subgroup"
                ),
                self.request.user,
            ),
            pk=self.kwargs["pk"],
        )
        return self.lesson

    def get(self, request, pk, pupil_pk):
        lesson = self.lesson
        pupil = get_object_or_404(Pupil, pk=pupil_pk)
        if not course_stays(lesson.course).filter(pupil=pupil).exists():
            raise Http404
        types = work_types(request.school)
        events = []
        for row in (
            Mark.history.filter(lesson_id=lesson.pk, pupil_id=pupil.pk)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        ):
            work_type = types.get(row.work_type_id)
            deleted = row.deleted_at is not None or row.history_type == "-"
            events.append(
                {
                    "at": row.history_date,
                    "what": work_type.name if work_type else _("отметка"),
                    "value": _("снята (была %(v)s)") % {"v": Mark.SHORT.get(row.value, row.value)}
                    if deleted
                    else Mark.SHORT.get(row.value, row.value),
                    "comment": row.comment,
                    "user": row.history_user,
                    "reason": row.history_change_reason or "",
                }
            )
        for row in (
            Attendance.history.filter(lesson_id=lesson.pk, pupil_id=pupil.pk)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        ):
            deleted = row.deleted_at is not None or row.history_type == "-"
            label = Attendance.Code(row.code).label
            if row.code == Attendance.Code.LATE and row.minutes_late:
                label += _(", %(m)s мин") % {"m": row.minutes_late}
            events.append(
                {
                    "at": row.history_date,
                    "what": _("посещаемость"),
                    "value": _("снята (была «%(v)s»)") % {"v": label} if deleted else label,
                    "comment": "",
                    "user": row.history_user,
                    "reason": row.history_change_reason or "",
                }
            )
        events.sort(key=lambda e: e["at"])
        corrections = (
            CorrectionRequest.objects.filter(lesson=lesson, pupil=pupil)
            .select_related("requested_by", "decided_by", "work_type")
            .order_by("-requested_at")
        )
        return render(
            request,
            "journal/cell_history.html",
            {
                "lesson": lesson,
                "pupil": pupil,
                "events": events,
                "corrections": corrections,
                "grid_url": school_reverse(request.school, "journal:grid", pk=lesson.course_id)
                + f"?on={lesson.date.isoformat()}#l{lesson.pk}",
            },
        )
