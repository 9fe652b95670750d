"""Sessions and their assessments, the зачётно-экзаменационная ведомость (page and PDF)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse
from accounts.once import SubmitOnceMixin
from lib.export import PdfExporter, to_html
from schedule.models import Course, StudyPeriod

from ..forms_sessions import AssessmentForm, SessionForm
from ..models import Assessment, FinalMark, Session
from ..services import finals
from ..services import sessions as service


def semesters(school):
    return StudyPeriod.objects.filter(school=school).select_related("year").order_by("start")


class SessionsView(SchoolPermissionMixin, SubmitOnceMixin, View):
    """The sessions of the school with their assessments; the deputy opens a new one."""

    permission = "grading.view_sessions"

    def page(self, form=None, status=200):
        request = self.request
        may_manage = request.user.has_perm("grading.manage_sessions", request.school)
        sessions = list(Session.objects.select_related("period__year").order_by("-start")[:20])
        assessments = {}
        for a in Assessment.objects.filter(session__in=sessions).select_related(
            "course__school_class", "course__subject", "chair"
        ):
            assessments.setdefault(a.session_id, []).append(a)
        for s in sessions:
            s.items = assessments.get(s.pk, [])
        if may_manage and form is None:
            form = SessionForm(periods=semesters(request.school))
        return render(
            request,
            "grading/sessions.html",
            {"sessions": sessions, "form": form if may_manage else None},
            status=status,
        )

    def get(self, request):
        return self.page()

    def post(self, request):
        if not request.user.has_perm("grading.manage_sessions", request.school):
            raise PermissionDenied
        form = SessionForm(request.POST, periods=semesters(request.school))
        if not form.is_valid():
            return self.page(form, 400)
        data = form.cleaned_data
        try:
            service.do_create_session(
                data["period"], start=data["start"], end=data["end"], user=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.page(form, 400)
        messages.success(request, _("Сессия создана."))
        return redirect(school_reverse(request.school, "grading:sessions"))


class AssessmentAddView(SchoolPermissionMixin, SubmitOnceMixin, View):
    """A discipline's form of assessment in a session, with the commission by the order."""

    permission = "grading.manage_sessions"

    def get_permission_object(self):
        try:
            self.session = Session.objects.select_related("period__year").get(pk=self.kwargs["pk"])
        except Session.DoesNotExist as exc:
            raise Http404 from exc
        return self.request.school

    def form(self, data=None):
        period = self.session.period
        courses = (
            Course.objects.filter(
                year_id=period.year_id,
                school_class__grade__gte=period.grade_from,
                school_class__grade__lte=period.grade_to,
            )
            .select_related("school_class", "subject", "subgroup")
            .order_by("school_class__grade", "school_class__letter", "subject__name")
        )
        return AssessmentForm(
            data, courses=courses, staff=finals.staff_candidates(self.request.school)
        )

    def page(self, form, status=200):
        return render(
            self.request,
            "grading/assessment_add.html",
            {"session": self.session, "form": form},
            status=status,
        )

    def get(self, request, pk):
        return self.page(self.form())

    def post(self, request, pk):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.page(form, 400)
        data = dict(form.cleaned_data)
        course = data.pop("course")
        try:
            assessment = service.do_add_assessment(self.session, course, user=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.page(form, 400)
        messages.success(request, _("Аттестация назначена."))
        return redirect(school_reverse(request.school, "grading:ledger", pk=assessment.pk))


class AssessmentMixin(SchoolPermissionMixin):
    """An assessment's pages are its course's: read by who reads the course's final marks."""

    permission = "grading.view_final_marks"

    def get_permission_object(self):
        try:
            self.assessment = service.assessment_for_page(self.kwargs["pk"])
        except Assessment.DoesNotExist as exc:
            raise Http404 from exc
        return self.assessment.course


class LedgerView(AssessmentMixin, View):
    """The ledger of a group and discipline; the course's teacher enters its marks here."""

    def page(self, entries=None, errors=None, general=None, status=200):
        request, assessment = self.request, self.assessment
        ledger = service.build_ledger(assessment)
        course = assessment.course
        today = course.school.today()
        locked = ledger.column.locked(today)
        editable = request.user.has_perm("grading.set_final_marks", course) and not locked
        labels = dict(FinalMark.Value.choices)
        entries, errors = entries or {}, errors or {}
        rows = [
            {
                "n": n,
                "row": row,
                "chosen": entries.get(row.pupil.pk, (row.mark.value if row.mark else "",))[0],
                "error": errors.get(row.pupil.pk),
            }
            for n, row in enumerate(ledger.rows, 1)
        ]
        return render(
            request,
            "grading/ledger.html",
            {
                "assessment": assessment,
                "ledger": ledger,
                "report": to_html(service.ledger_report(ledger)) if not editable else "",
                "rows": rows,
                "editable": editable,
                "locked": locked,
                "choices": [(v, labels[v]) for v in ledger.values],
                "commission": service.commission(assessment),
                "general": general,
                "finals_query": ledger.column.query(),
            },
            status=status,
        )

    def get(self, request, pk):
        return self.page()

    def post(self, request, pk):
        if not request.user.has_perm("grading.set_final_marks", self.assessment.course):
            raise PermissionDenied
        entries = {
            int(key[6:]): (value, False)
            for key, value in request.POST.items()
            if key.startswith("value_") and key[6:].isdigit()
        }
        try:
            errors = service.set_ledger_marks(self.assessment, entries, user=request.user)
        except ValidationError as exc:
            return self.page(entries, general=" ".join(exc.messages), status=400)
        if errors:
            general = _("Отметки не сохранены: исправьте строки, отмеченные ниже.")
            return self.page(entries, errors, general, status=400)
        messages.success(request, _("Отметки ведомости сохранены в журнале."))
        return redirect(school_reverse(request.school, "grading:ledger", pk=pk))


class LedgerPdfView(AssessmentMixin, View):
    def get(self, request, pk):
        report = service.ledger_report(service.build_ledger(self.assessment))
        return PdfExporter().response(report)
