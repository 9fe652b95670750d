"""The report pages besides «Итоги успеваемости»: the ledgers, the class teacher's report,
attendance, movement, the programme, hours, substitutions — and the list of them all."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse
from accounts.words import words_for
from schedule.models import SchoolClass

from ..params import reach_of
from ..services.attendance import attendance_ledger, attendance_report
from ..services.class_report import class_report
from ..services.hours import hours_report, substitutions_report
from ..services.ledger import class_pupils, progress_ledger
from ..services.movement import movement_report
from ..services.programme import programme_report
from .families import ActivityView, RiskView
from .page import Option, ReportPage
from .practice import CourseWorksView, PracticeReportView
from .progress import BASIS, ProgressView, SubjectsView, TeachersView


class OneClassPage(ReportPage):
    """A report of one class (its year): its pupils by name."""

    personal_data = True
    spans = ("year",)
    scopes = ("class",)

    @property
    def school_class(self):
        return SchoolClass.objects.select_related("year").get(pk=self.params.scope.value)


class LedgerView(OneClassPage):
    cached = True
    report_id = "ledger"
    title = gettext_lazy("Сводная ведомость учёта успеваемости")

    def build(self, params):
        return progress_ledger(self.request.school, self.school_class)


class AttendanceLedgerView(OneClassPage):
    report_id = "attendance_ledger"
    title = gettext_lazy("Сводная ведомость учёта посещаемости за год")

    def build(self, params):
        return attendance_ledger(self.request.school, self.school_class)


class ClassReportView(ReportPage):
    cached = True
    ended = True
    report_id = "class_report"
    personal_data = True
    title = gettext_lazy("Отчёт классного руководителя за период")
    college_title = gettext_lazy("Отчёт куратора за период")
    spans = ("period", "year")
    scopes = ("class",)
    options = (BASIS,)

    def build(self, params):
        school_class = SchoolClass.objects.get(pk=params.scope.value)
        names = {
            pupil_id: name
            for pupil_id, name, _first, _last in class_pupils(
                school_class, params.year.start, params.year.end
            )
        }
        return class_report(self.selection, params.span, names, basis=self.option("basis"))


AT_LEAST = Option("min", gettext_lazy("Пропустили не меньше, уроков"), low=0, high=10000)


class AttendanceView(ReportPage):
    cached = True
    report_id = "attendance"
    title = gettext_lazy("Посещаемость")

    @property
    def personal_data(self) -> bool:
        """Pupils are named for a class, and under the filter; otherwise classes only."""
        return self.params.scope.kind == "class" or self.option("min") is not None

    spans = ("month", "period", "year", "week")
    scopes = ("school", "parallel", "class")
    options = (AT_LEAST,)

    def build(self, params):
        query = {"span": params.span.token, **self.kept_options()}
        base = self.address("reports:attendance", **query)
        return attendance_report(
            self.selection,
            params.span,
            at_least=self.option("min"),
            link=lambda scope: f"{base}&scope={scope}",
        )


class MovementView(ReportPage):
    cached = True
    report_id = "movement"
    personal_data = True  # who arrived and left, from where and to where
    title = gettext_lazy("Движение обучающихся")
    spans = ("period", "year", "month")
    scopes = ("school", "parallel", "class")

    def build(self, params):
        return movement_report(self.selection, params.span)


class ProgrammeView(ReportPage):
    report_id = "programme"
    title = gettext_lazy("Выполнение программы")
    spans = ("period", "year", "month", "week")
    scopes = ("school", "parallel", "class", "subject", "teacher")

    def build(self, params):
        return programme_report(self.selection, params.span, self.request.school.today())


class HoursView(ReportPage):
    report_id = "hours"
    title = gettext_lazy("Выдача часов")
    spans = ("month", "period", "year")
    scopes = ("school", "teacher")

    def build(self, params):
        return hours_report(self.selection, params.span, self.request.school.today())


class SubstitutionsView(ReportPage):
    report_id = "substitutions"
    title = gettext_lazy("Замены и отмены")
    spans = ("month", "week", "period", "year")
    scopes = ("school", "subject", "teacher")

    def build(self, params):
        return substitutions_report(self.selection, params.span, self.request.school.today())


# --- The list of reports -------------------------------------------------------------------------

# (url name, page, what it is — in the school's words, `% words`): in the order a deputy
# looks for them.
REPORTS = [
    ("reports:progress", ProgressView, gettext_lazy("по классам, параллелям и школе")),
    ("reports:progress_subjects", SubjectsView, gettext_lazy("те же показатели %(to_subjects)s")),
    ("reports:progress_teachers", TeachersView, gettext_lazy("те же показатели %(to_teachers)s")),
    ("reports:ledger", LedgerView, gettext_lazy("%(class)s: обучающиеся × %(subjects)s × периоды")),
    (
        "reports:class_report",
        ClassReportView,
        gettext_lazy("итоги, посещаемость, движение и списки по категориям"),
    ),
    ("reports:attendance", AttendanceView, gettext_lazy("пропуски уроков и дней, опоздания")),
    (
        "reports:attendance_ledger",
        AttendanceLedgerView,
        gettext_lazy("%(class)s за год по месяцам"),
    ),
    ("reports:movement", MovementView, gettext_lazy("прибывшие, выбывшие, наполняемость")),
    ("reports:programme", ProgrammeView, gettext_lazy("план и факт часов, отставание")),
    ("reports:hours", HoursView, gettext_lazy("%(to_teachers)s и месяцам, для бухгалтерии")),
    ("reports:substitutions", SubstitutionsView, gettext_lazy("%(to_subjects)s и %(to_teachers)s")),
    (
        "reports:course_works",
        CourseWorksView,
        gettext_lazy("студенты, темы, руководители, сдача, защита, оценки"),
    ),
    ("reports:practice", PracticeReportView, gettext_lazy("места, сроки, руководители, оценки")),
    ("reports:risk", RiskView, gettext_lazy("прогноз или средний ниже 3, пропуски без причины")),
    ("reports:activity", ActivityView, gettext_lazy("входы родителей и обучающихся, коды")),
]


def reachable(page, reach) -> bool:
    """Whether a user of this reach gets anything from a report page."""
    if reach.whole_school:
        return True
    return bool(
        (reach.class_ids and "class" in page.scopes)
        or (reach.teacher_id and "teacher" in page.scopes)
    )


class ReportIndexView(SchoolPermissionMixin, View):
    """«Отчёты»: the reports this user may open."""

    permission = "reports.view_reports"
    replica_ok = True

    def get(self, request):
        reach = reach_of(request)
        school = request.school
        words = words_for(school)
        items = [
            {
                "url": school_reverse(school, name),
                "title": page.title_for(school),
                "about": about % words,
            }
            for name, page, about in REPORTS
            if reachable(page, reach)
        ]
        return render(request, "reports/index.html", {"items": items})
