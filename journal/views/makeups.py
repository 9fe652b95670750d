"""Make-ups of a lesson's missed topic: the protocols so far and a new one (002 §3.2)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.models import Pupil
from accounts.navigation import school_reverse
from accounts.once import SubmitOnceMixin
from grading.services.marks import scale_values

from ..forms_makeups import MakeupForm
from ..models import Attendance, MakeupProtocol
from ..services import makeups as service
from .lesson import LessonMixin


class MakeupView(LessonMixin, SubmitOnceMixin, View):
    permission = "journal.edit_lesson"

    def form(self, data=None):
        missed = Attendance.objects.filter(
            lesson=self.lesson, deleted_at__isnull=True, code__in=service.MISSED
        ).values("pupil_id")
        pupils = Pupil.objects.filter(pk__in=missed).order_by("last_name", "first_name")
        return MakeupForm(data, pupils=pupils, values=scale_values(self.lesson.course))

    def page(self, form, status=200):
        protocols = MakeupProtocol.objects.filter(lesson=self.lesson).select_related(
            "pupil", "mark"
        )
        return render(
            self.request,
            "journal/makeup.html",
            {"lesson": self.lesson, "form": form, "protocols": protocols},
            status=status,
        )

    def get(self, request, pk):
        return self.page(self.form())

    def post(self, request, pk):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.page(form, 400)
        data = form.cleaned_data
        self.lesson.school = request.school
        try:
            service.do_record_makeup(
                self.lesson,
                data["pupil"],
                number=data["number"],
                held_on=data["held_on"],
                value=data["value"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.page(form, 400)
        messages.success(request, _("Протокол оформлен, отметка выставлена в тему урока."))
        return redirect(school_reverse(request.school, "journal:makeup", pk=pk))
