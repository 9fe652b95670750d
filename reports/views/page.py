"""One way to show a report: a page with its parameters, the table, and its downloads.

A report page subclasses ReportPage: it names its parameters (which spans and scopes it
takes) and builds a lib.export.Report from them — figures aggregated in SQL, a fixed number
of queries whatever the school's size. The page shows the parameters as a form, the report as
a sortable table readable on a phone, and links to the same report as XLSX, CSV and PDF
(`?format=xlsx`). The user's last choice on each page is remembered (reports.params).
"""

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from accounts.access_log import Action, record
from accounts.mixins import SchoolPermissionMixin
from lib.export import EXPORTERS, export_response, to_html
from schedule.models import SchoolClass, Subject
from schedule.services.people import teachers_of

from ..params import SCOPE_LABELS, read_params


class ReportPage(SchoolPermissionMixin, View):
    permission = "reports.view_reports"
    report_id = ""  # remembers the last choice; names the files
    title = ""
    spans = ("period", "year")
    scopes = ("school", "parallel", "class")
    template_name = "reports/report.html"
    # A report that names pupils (their marks, absences) holds personal data: shown or
    # downloaded, it is recorded (accounts.access_log, 152-ФЗ ст. 19).
    personal_data = False

    def build(self, params):
        """The lib.export.Report of these parameters."""
        raise NotImplementedError

    def get(self, request):
        params = read_params(request, self.report_id, spans=self.spans, scopes=self.scopes)
        report = self.build(params)
        report.slug = self.report_id
        wanted = request.GET.get("format")
        if wanted:
            response = export_response(report, wanted)
            if response is None:
                return HttpResponseBadRequest(_("Неизвестный формат выгрузки."))
            self.record(Action.EXPORT, report, wanted.upper())
            return response
        self.record(Action.VIEW, report, "")
        return render(request, self.template_name, self.context(params, report))

    def record(self, action, report, output: str) -> None:
        if self.personal_data:
            what = _("Отчёт «%(title)s»") % {"title": report.title}
            what += f" ({output})" if output else ""
            record(self.request, action, what, records=len(report.rows))

    def context(self, params, report) -> dict:
        return {
            "title": self.title,
            "report": report,
            "table": to_html(report, caption=False),
            "params": params,
            "choices": self.choices(params),
            "exports": [
                (exporter.label, f"?{params.query(format=key)}")
                for key, exporter in EXPORTERS.items()
            ],
        }

    def choices(self, params) -> dict:
        """What the parameters' form offers, within the user's reach (a few queries)."""
        reach = params.reach
        spans = []
        if "period" in self.spans:
            spans += [(f"period:{p.pk}", f"{p} ({p.grades_label})") for p in params.periods]
        if "year" in self.spans:
            spans.append(("year", _("весь учебный год")))
        if "month" in self.spans:
            spans.append(
                (params.span.token, params.span.label)
                if params.span.kind == "month"
                else ("month:", _("месяц"))
            )
        if "week" in self.spans:
            spans.append(
                (params.span.token, params.span.label)
                if params.span.kind == "week"
                else ("week:", _("неделя"))
            )
        classes = SchoolClass.objects.filter(year=params.year).order_by("grade", "letter")
        if not reach.whole_school:
            classes = classes.filter(pk__in=reach.class_ids)
        scopes = []
        if reach.whole_school and "school" in self.scopes:
            scopes.append(("school", str(SCOPE_LABELS["school"])))
        class_list = list(classes.only("pk", "grade", "letter"))
        if reach.whole_school and "parallel" in self.scopes:
            for grade in sorted({c.grade for c in class_list}):
                scopes.append((f"parallel:{grade}", _("%(grade)s-е классы") % {"grade": grade}))
        if "class" in self.scopes:
            scopes += [
                (f"class:{c.pk}", _("класс %(name)s") % {"name": c.name}) for c in class_list
            ]
        if reach.whole_school and "subject" in self.scopes:
            scopes += [(f"subject:{s.pk}", s.name) for s in Subject.objects.order_by("name")]
        if "teacher" in self.scopes:
            teachers = teachers_of(self.request.school)
            if not reach.whole_school:
                teachers = teachers.filter(pk=reach.teacher_id)
            scopes += [(f"teacher:{t.pk}", t.short_name) for t in teachers]
        return {
            "years": [(y.pk, y.name) for y in params.years],
            "spans": spans,
            "scopes": scopes,
        }
