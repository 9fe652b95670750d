"""The register of course works and the practice report: report pages of a school, a group
(its curator) or a supervisor (their own), with PDF and XLSX (lib.export)."""

from django.utils.translation import gettext_lazy

from accounts.navigation import school_reverse
from grading.rules_practice import keeps_records

from ..services.course_works import course_works_register
from ..services.practice import practice_report
from .page import ReportPage


class CourseWorksView(ReportPage):
    report_id = "course_works"
    personal_data = True  # students by name, with their marks
    title = gettext_lazy("Реестр курсовых работ")
    spans = ("year",)
    scopes = ("school", "parallel", "class", "teacher")

    def build(self, params):
        request = self.request
        user = request.user
        everything = keeps_records(user, request.school)

        def link(work):
            # Who may change a record (grading.change_course_work), asked without a query.
            if everything or work.supervisor_id == user.pk:
                return school_reverse(request.school, "grading:course_work_edit", pk=work.pk)
            return None

        return course_works_register(self.selection, link=link)

    def page_notes(self, params, report):
        if not self.request.user.has_perm("grading.add_course_work", self.request.school):
            return []
        address = school_reverse(self.request.school, "grading:course_work_new")
        return [("", str(gettext_lazy("Добавить курсовую работу")), address)]


class PracticeReportView(ReportPage):
    report_id = "practice"
    personal_data = True
    title = gettext_lazy("Практика")
    spans = ("year",)
    scopes = ("school", "parallel", "class", "teacher")

    def build(self, params):
        return practice_report(self.selection)
