"""A course's teacher says why the course is behind its plan at the year's end."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse
from grading.policy import year_closed_reason
from journal.services.plan.fact import plan_fact
from schedule.models import Course

from ..forms import LagReasonForm


class LagReasonView(SchoolPermissionMixin, View):
    """Read by the course's teacher and the leadership (the checklist links here); written by
    the teacher alone."""

    permission = "archive.view_lag"

    def get_permission_object(self):
        self.course = get_object_or_404(
            Course.objects.select_related("year", "school_class", "subject"), pk=self.kwargs["pk"]
        )
        return self.course

    def page(self, form, status=200, error=""):
        course = self.course
        fact = plan_fact(course, today=min(course.year.end, self.request.school.today()))
        return render(
            self.request,
            "archive/lag_reason.html",
            {
                "course": course,
                "fact": fact,
                "form": form,
                "error": error,
                "may_write": self.request.user.has_perm("archive.explain_lag", course),
            },
            status=status,
        )

    def get(self, request, pk):
        return self.page(LagReasonForm(instance=self.course))

    def post(self, request, pk):
        if not request.user.has_perm("archive.explain_lag", self.course):
            raise PermissionDenied
        form = LagReasonForm(request.POST, instance=self.course)
        closed = year_closed_reason(self.course.year)
        if closed:
            return self.page(form, status=400, error=closed)
        if not form.is_valid():
            return self.page(form, status=400)
        form.save()
        messages.success(request, _("Причина отставания записана."))
        return redirect(school_reverse(request.school, "archive:lag_reason", pk=self.course.pk))
