"""«Контроль ведения журнала»: the deputy's and director's dashboard (a class teacher's for
their classes, read-only), and the check asked for now."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.models import User
from accounts.navigation import school_reverse
from accounts.once import SubmitOnceMixin
from lib.dates import fmt
from lib.export import export_response, to_html

from ..forms import ControlCheckForm
from ..models import ControlCheck, ControlState
from ..params import read_params
from ..services.control_checks import check_document, do_record_check, states
from ..services.control_figures import courses_of
from ..services.control_report import control_report
from ..services.documents import stamp
from ..services.scope import previous_period
from .page import ReportPage


class ControlView(ReportPage):
    permission = "reports.view_control"
    report_id = "control"
    title = gettext_lazy("Контроль ведения журнала")
    spans = ("week", "month", "period")
    scopes = ("school", "parallel", "class", "teacher")
    template_name = "reports/control.html"
    # Kept per version of the school's records (lessons, marks, plans, courses: followed by
    # schedule.versions), the school's day and the check's run: shortfalls change only when
    # a check runs (reports.services.control), so a new run is a new table.
    cached = True

    @cached_property
    def state(self):
        return ControlState.objects.filter(school=self.request.school).first()

    def cache_key_extra(self) -> str:
        runs = self.state.runs if self.state else 0
        return f":{self.request.school.today().isoformat()}:{runs}"

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
        state = self.state
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


class ChecksView(SchoolPermissionMixin, View):
    """«Справки по итогам проверки» of the school, with whether each is fixed."""

    permission = "reports.record_check"

    def get(self, request):
        checks = list(
            ControlCheck.objects.filter(school=request.school)
            .select_related("created_by")
            .order_by("-checked_on", "-pk")[:200]
        )
        found = states(checks)
        today = request.school.today()
        for check in checks:
            check.state_label = found[check.pk].label(check.fix_by, today)
            check.fixed = found[check.pk].fixed
        return render(request, "reports/control_checks.html", {"checks": checks})


class CheckNewView(SubmitOnceMixin, ControlView):
    """Record a check from the dashboard's parameters (the link carries them). The form's
    token is claimed first (SubmitOnceMixin before the page in the order of classes: the page's
    own View.dispatch would end the chain); a refused permission frees it again."""

    permission = "reports.record_check"
    template_name = "reports/control_check_form.html"

    def teachers(self):
        ids = {c.teacher_id for c in courses_of(self.selection) if c.teacher_id}
        return User.objects.filter(pk__in=ids).order_by("last_name", "first_name", "patronymic")

    def params_now(self, request):
        self.chosen = {}
        self.params = read_params(
            request, self.report_id, spans=self.spans, scopes=self.scopes, ended=self.ended
        )
        return self.params

    def get(self, request, **kwargs):
        params = self.params_now(request)
        form = ControlCheckForm(teachers=self.teachers())
        return self.show(form, params)

    def show(self, form, params, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "params": params, "title": _("Справка по итогам проверки")},
            status=status,
        )

    def post(self, request, **kwargs):
        request.GET = request.POST  # the parameters come with the form
        params = self.params_now(request)
        form = ControlCheckForm(request.POST, teachers=self.teachers())
        if form.is_valid():
            report = self.document(params)
            try:
                check = do_record_check(
                    request.school,
                    request.user,
                    report=report,
                    params=params,
                    course_ids=[c.pk for c in courses_of(self.selection)],
                    findings=form.cleaned_data["findings"],
                    fix_by=form.cleaned_data["fix_by"],
                    teachers=form.cleaned_data["teachers"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Справка записана и отправлена учителям."))
                return redirect(
                    school_reverse(request.school, "reports:control_check_view", pk=check.pk)
                )
        return self.show(form, params, status=400)


class CheckView(SchoolPermissionMixin, View):
    """One справка, and its PDF (?format=pdf)."""

    permission = "reports.record_check"

    def get(self, request, pk):
        check = get_object_or_404(
            ControlCheck.objects.select_related("created_by"), pk=pk, school=request.school
        )
        today = request.school.today()
        state = states([check])[check.pk]
        document = stamp(check_document(check, state, today), request.school)
        if request.GET.get("format") == "pdf":
            return export_response(document, "pdf")
        return render(
            request,
            "reports/control_check.html",
            {
                "check": check,
                "state": state.label(check.fix_by, today),
                "fixed": state.fixed,
                "document": document,
                "table": to_html(document, caption=False),
                "dashboard": school_reverse(request.school, "reports:control") + "?" + check.query,
            },
        )
