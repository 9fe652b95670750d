"""An organisation's pages (`/o/<org_slug>/`): the roll-ups of its schools, a row per school
linking to the school's own pages (read-only for the organisation's people)."""

from datetime import timedelta

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import OrganisationPermissionMixin
from accounts.navigation import cached_reverse, school_reverse
from lib.dates import parse_week
from lib.export import export_response, to_html

from ..params import week_span
from ..services.rollup import Members, activity_report, attendance_rollup, control_rollup

WEEK = timedelta(days=7)


class OrganisationPage(OrganisationPermissionMixin, View):
    """A roll-up over a week (`?week=2026-09-14`, this week by default)."""

    permission = "accounts.view_organisation"
    url_name = ""
    title = ""

    def get(self, request, **kwargs):
        members = Members.of(request.organisation)
        today = members.today
        span = week_span(parse_week(request.GET.get("week"), today))
        report = self.build(members, span, today)
        report.school = request.organisation.name
        report.parameters.insert(0, (_("Неделя"), span.label))
        found = export_response(report, request.GET.get("format", ""))
        if found is not None:
            return found
        here = cached_reverse(self.url_name, org_slug=request.organisation.slug)
        return render(
            request,
            "reports/organisation.html",
            {
                "organisation": request.organisation,
                "title": self.title,
                "report": report,
                "table": to_html(report, caption=False),
                "schools": [(s, school_reverse(s, "accounts:dashboard")) for s in members.schools],
                "previous": f"{here}?week={(span.start - WEEK).isoformat()}",
                "next": f"{here}?week={(span.start + WEEK).isoformat()}",
                "exports": [
                    (label, f"{here}?week={span.start.isoformat()}&format={fmt}")
                    for fmt, label in (("xlsx", "XLSX"), ("csv", "CSV"), ("pdf", "PDF"))
                ],
                "pages": [
                    (
                        _("Контроль ведения журнала"),
                        cached_reverse("org:home", org_slug=request.organisation.slug),
                    ),
                    (
                        _("Посещаемость"),
                        cached_reverse("org:attendance", org_slug=request.organisation.slug),
                    ),
                    (
                        _("Активность пользователей"),
                        cached_reverse("org:activity", org_slug=request.organisation.slug),
                    ),
                ],
            },
        )


class OrganisationHomeView(OrganisationPage):
    """The control of journal keeping of every member school, a row per school."""

    url_name = "org:home"

    @property
    def title(self):
        return _("Контроль ведения журнала по школам")

    def build(self, members, span, today):
        return control_rollup(members, span, today)


class OrganisationActivityView(OrganisationPage):
    """The week's activity of the users of every member school (002 §7.1)."""

    url_name = "org:activity"

    @property
    def title(self):
        return _("Активность пользователей ЭЖ по школам")

    def build(self, members, span, today):
        return activity_report(members.schools, span.start, span.end)


class OrganisationAttendanceView(OrganisationPage):
    """The week's attendance of every member school, a row per school."""

    url_name = "org:attendance"

    @property
    def title(self):
        return _("Посещаемость по школам")

    def build(self, members, span, today):
        return attendance_rollup(members, span)
