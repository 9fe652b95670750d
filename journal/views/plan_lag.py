"""A course's teacher says why the course is behind its plan at the year's end."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse
from schedule.models import Course

from ..forms import PlanLagReasonForm
from ..services.plan.fact import plan_fact
from ..services.plan.lag import do_explain_plan_lag


class PlanLagReasonView(SchoolPermissionMixin, View):
    """Read by the course's teacher and the leadership (the year-end checklist links here);
    written by the teacher alone."""

    permission = "journal.view_plan_lag"

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
            "journal/plan_lag_reason.html",
            {
                "course": course,
                "fact": fact,
                "form": form,
                "error": error,
                "may_write": self.request.user.has_perm("journal.explain_plan_lag", course),
            },
            status=status,
        )

    def get(self, request, pk):
        return self.page(PlanLagReasonForm(initial={"reason": self.course.plan_lag_reason}))

    def post(self, request, pk):
        if not request.user.has_perm("journal.explain_plan_lag", self.course):
            raise PermissionDenied
        form = PlanLagReasonForm(request.POST)
        if not form.is_valid():
            return self.page(form, status=400)
        try:
            do_explain_plan_lag(self.course, form.cleaned_data["reason"])
        except ValidationError as error:
            return self.page(form, status=400, error=error.messages[0])
        messages.success(request, _("Причина отставания записана."))
        return redirect(school_reverse(request.school, "journal:plan_lag", pk=self.course.pk))
