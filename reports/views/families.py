"""Pages of the control beside the dashboard: pupils at risk and families' activity. The
leadership reads the school, a class teacher their own class (reports.params.Reach); both
export through the shared layer (XLSX, CSV, PDF) like every report."""

from django.utils.translation import gettext_lazy

from ..services.activity import activity_report
from ..services.risk import risk_report
from .page import ReportPage


class RiskView(ReportPage):
    permission = "reports.view_control"
    report_id = "risk"
    title = gettext_lazy("Группа риска")
    spans = ("period",)
    scopes = ("school", "parallel", "class")
    personal_data = True  # names pupils with their marks and absences

    def build(self, params):
        # The period's own day: today within the current period, its last day for one past.
        day = min(self.request.school.today(), params.span.end)
        return risk_report(self.selection, day)


class ActivityView(ReportPage):
    permission = "reports.view_control"
    report_id = "activity"
    title = gettext_lazy("Активность семей")
    spans = ("year",)
    scopes = ("school", "parallel", "class")

    def build(self, params):
        return activity_report(self.selection, self.request.school.today())
