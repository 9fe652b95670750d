"""A retake's steps: the application, its signature, the referral, the protocol — each a
page's form and a printable document."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse
from accounts.once import SubmitOnceMixin
from lib.pdf import render_pdf

from ..forms_sessions import ApplicationForm, DecisionForm, ProtocolForm, ReferralForm
from ..models import FinalMark, RetakeApplication
from ..services import finals, sessions
from ..services import retake_flow as service

DOCUMENTS = {
    "application": gettext_lazy("Заявление"),
    "referral": gettext_lazy("Направление на пересдачу"),
    "protocol": gettext_lazy("Протокол пересдачи"),
}


class ApplyView(SchoolPermissionMixin, SubmitOnceMixin, View):
    """The student's application (filed by the student, or for them by the curator)."""

    permission = "grading.apply_retake"

    def get_permission_object(self):
        self.mark = get_object_or_404(
            FinalMark.objects.select_related(
                "pupil", "period", "course__school_class", "course__subject", "course__year"
            ),
            pk=self.kwargs["pk"],
        )
        return self.mark

    def page(self, form, status=200):
        return render(
            self.request,
            "grading/retake_apply.html",
            {"mark": self.mark, "form": form},
            status=status,
        )

    def get(self, request, pk):
        return self.page(ApplicationForm())

    def post(self, request, pk):
        form = ApplicationForm(request.POST)
        if not form.is_valid():
            return self.page(form, 400)
        try:
            application = service.do_apply(
                self.mark, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.page(form, 400)
        messages.success(request, _("Заявление подано."))
        return redirect(
            school_reverse(request.school, "grading:retake_application", pk=application.pk)
        )


class ApplicationMixin(SchoolPermissionMixin):
    permission = "grading.view_retake_application"
    hide_forbidden = True  # a student's document: another's answers as if it did not exist

    def get_permission_object(self):
        try:
            self.application = service.application_for_page(self.kwargs["pk"])
        except RetakeApplication.DoesNotExist as exc:
            raise Http404 from exc
        return self.application

    def back(self):
        return redirect(
            school_reverse(
                self.request.school, "grading:retake_application", pk=self.application.pk
            )
        )


def context(application, user, **forms):
    mark = application.final_mark
    values = finals.allowed_values(mark.course, mark.kind)
    stage = application.stage
    Stage = RetakeApplication.Stage
    may = {
        "sign": stage == Stage.APPLIED
        and user.has_perm("grading.sign_retake_application", application),
        "refer": stage == Stage.APPROVED and user.has_perm("grading.refer_retake", application),
        "protocol": stage == Stage.REFERRED
        and user.has_perm("grading.record_retake_protocol", application),
    }
    return {
        "application": application,
        "mark": mark,
        "commission": sessions.commission(application.assessment),
        "may": may,
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "referral_form": forms.get("referral_form") or ReferralForm(),
        "protocol_form": forms.get("protocol_form") or ProtocolForm(values=values),
        "documents": [
            (key, label)
            for key, label in DOCUMENTS.items()
            if key == "application"
            or (key == "referral" and application.referral_issued_on)
            or (key == "protocol" and application.retake_id)
        ],
        "history": list(
            application.history.select_related("history_user").order_by("history_date")
        ),
    }


class ApplicationView(ApplicationMixin, View):
    """The application and every step so far, with the form of the next one for who may."""

    def get(self, request, pk):
        return render(
            request, "grading/retake_application.html", context(self.application, request.user)
        )


class StepView(ApplicationMixin, View):
    """A step's POST: the form, the service, back to the application (400 with the page)."""

    form_class = None
    form_name = ""
    done = ""

    def make_form(self, data):
        return self.form_class(data)

    def post(self, request, pk):
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                self.run(form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, self.done)
                return self.back()
        page = context(self.application, request.user, **{self.form_name: form})
        return render(request, "grading/retake_application.html", page, status=400)


class DecideView(StepView):
    permission = "grading.sign_retake_application"
    hide_forbidden = False
    form_class, form_name = DecisionForm, "decision_form"
    done = gettext_lazy("Решение по заявлению записано.")

    def run(self, data):
        service.do_decide(
            self.application,
            approve=data["decision"] == "approve",
            by=self.request.user,
            note=data["note"],
        )


class ReferView(StepView):
    permission = "grading.refer_retake"
    hide_forbidden = False
    form_class, form_name = ReferralForm, "referral_form"
    done = gettext_lazy("Направление выдано.")

    def run(self, data):
        service.do_refer(
            self.application,
            number=data["number"],
            issued_on=data["issued_on"],
            sitting_on=data["sitting_on"],
            by=self.request.user,
        )


class ProtocolView(StepView):
    permission = "grading.record_retake_protocol"
    hide_forbidden = False
    form_class, form_name = ProtocolForm, "protocol_form"
    done = gettext_lazy("Протокол оформлен, отметка выставлена.")

    def make_form(self, data):
        mark = self.application.final_mark
        return ProtocolForm(data, values=finals.allowed_values(mark.course, mark.kind))

    def run(self, data):
        service.do_protocol(
            self.application,
            protocol_number=data["protocol_number"],
            result=data["result"],
            by=self.request.user,
        )


class DocumentView(ApplicationMixin, View):
    """One step's document as a PDF (the one renderer: lib.pdf)."""

    def get(self, request, pk, document):
        application = self.application
        ready = {
            "application": True,
            "referral": bool(application.referral_issued_on),
            "protocol": bool(application.retake_id),
        }
        if not ready.get(document):
            raise Http404
        html = render_to_string(
            "grading/retake_document.html",
            {
                **context(application, request.user),
                "document": document,
                "title": DOCUMENTS[document],
                "school": request.school,
            },
        )
        response = HttpResponse(render_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{document}-{application.pk}.pdf"'
        return response
