"""«Контроль ведения журнала»: the deputy's and director's dashboard (a class teacher's for
their classes, read-only), and the check asked for now."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse
from lib.dates import fmt

from ..models import ControlState
from ..services.control_report import control_report
from ..services.scope import previous_period
from .page import ReportPage


class ControlView(ReportPage):
    permission = "reports.view_control"
    report_id = "control"
    title = gettext_lazy("Контроль ведения журнала")
    spans = ("week", "month", "period")
    scopes = ("school", "parallel", "class", "teacher")
    template_name = "reports/control.html"

    def previous(self, params):
        span = params.span
        if span.kind != "period":
            return span.previous()
        period = previous_period(params.periods, span.period.grade_from, span.period)
        if period is None:
            return None
        from ..params import period_span

        return period_span(period)

    def build(self, params):
        previous = self.previous(params)
        report = control_report(
            self.selection,
            params.span,
            previous,
            self.request.school.today(),
            lambda token: self.address("reports:control", span=params.span.token, scope=token),
        )
        if previous is not None:
            report.parameters.append((_("Сравнение с"), previous.label))
        return report

    def context(self, params, shown) -> dict:
        context = super().context(params, shown)
        state = ControlState.objects.filter(school=self.request.school).first()
        context["state"] = state
        context["may_run"] = self.request.user.has_perm("reports.run_control", self.request.school)
        context["checked_at"] = (
            state.checked_at.astimezone(self.request.school.zone)
            if state and state.checked_at
            else None
        )
        return context


class RunCheckView(SchoolPermissionMixin, View):
    """Check the school now (queued after commit; the page shows the result when done)."""

    permission = "reports.run_control"

    def post(self, request):
        from ..tasks import check_school

        school = request.school
        transaction.on_commit(lambda: check_school.delay(school.pk))
        messages.success(
            request,
            _("Проверка журнала на %(day)s запущена: недочёты обновятся через минуту.")
            % {"day": fmt(school.today())},
        )
        return redirect(school_reverse(school, "reports:control"))
