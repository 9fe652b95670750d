"""Corrections of locked records: the deputy's list and decision; teachers see their own."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse
from lib.forms import Form

from ..models import CorrectionRequest, FinalMarkCorrection
from ..services import corrections, final_corrections

Status = CorrectionRequest.Status


class DecisionForm(Form):
    decision = forms.ChoiceField(
        choices=[("approve", "approve"), ("reject", "reject")],
        error_messages={
            "required": gettext_lazy("Выберите решение: согласовать или отклонить."),
            "invalid_choice": gettext_lazy("Выберите решение: согласовать или отклонить."),
        },
    )
    note = forms.CharField(label=gettext_lazy("Комментарий"), max_length=1000, required=False)


class CorrectionListView(SchoolPermissionMixin, View):
    permission = "grading.view_corrections"

    def get(self, request):
        status = request.GET.get("status", Status.PENDING)
        if status not in Status.values and status != "all":
            status = Status.PENDING
        items = CorrectionRequest.objects.select_related(
            "lesson__course__school_class",
            "lesson__course__subject",
            "lesson__course__subgroup",
            "pupil",
            "work_type",
            "requested_by",
            "decided_by",
        ).order_by("-requested_at", "-pk")
        sees_all = request.user.has_perm("accounts.view_school_wide", request.school)
        if not sees_all:
            items = items.filter(requested_by=request.user)
        if status != "all":
            items = items.filter(status=status)
        page = Paginator(items, 50).get_page(request.GET.get("page"))
        finals = FinalMarkCorrection.objects.select_related(
            "course__school_class",
            "course__subject",
            "course__subgroup",
            "period",
            "pupil",
            "requested_by",
            "decided_by",
        ).order_by("-requested_at", "-pk")
        if not sees_all:
            finals = finals.filter(requested_by=request.user)
        if status != "all":
            finals = finals.filter(status=status)
        final_page = Paginator(finals, 50).get_page(request.GET.get("fpage"))
        for item in [*page, *final_page]:
            # Nobody decides their own request (grading.rules.decides_correction).
            item.decidable = item.is_pending and request.user.has_perm(
                "grading.decide_correction", item
            )
        return render(
            request,
            "grading/corrections.html",
            {
                "page": page,
                "final_page": final_page,
                "status": status,
                "statuses": [("all", _("все")), *Status.choices],
                "can_decide": request.user.has_perm("grading.decide_corrections", request.school),
                "sees_all": sees_all,
            },
        )


class DecideView(SchoolPermissionMixin, View):
    """The deputy approves or rejects one pending correction, then returns to the list."""

    permission = "grading.decide_correction"
    model = None  # CorrectionRequest or FinalMarkCorrection
    service = None  # the module with approve() and reject()
    approved = rejected = ""  # messages with %(pk)s
    anchor = ""  # where on the list page this kind of correction stands

    def get_permission_object(self):
        self.correction = get_object_or_404(self.model, pk=self.kwargs["pk"])
        return self.correction

    def post(self, request, pk):
        form = DecisionForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, errors[0])
            return redirect(school_reverse(request.school, "grading:corrections") + self.anchor)
        decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
        try:
            if decision == "approve":
                self.service.approve(self.correction, by=request.user, note=note)
                messages.success(request, self.approved % {"pk": pk})
            else:
                self.service.reject(self.correction, by=request.user, note=note)
                messages.info(request, self.rejected % {"pk": pk})
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect(school_reverse(request.school, "grading:corrections") + self.anchor)


class CorrectionDecideView(DecideView):
    model = CorrectionRequest
    service = corrections
    approved = gettext_lazy("Исправление №%(pk)s согласовано и внесено.")
    rejected = gettext_lazy("Исправление №%(pk)s отклонено.")


class FinalCorrectionDecideView(DecideView):
    """A correction of a final mark after its column's deadline."""

    model = FinalMarkCorrection
    service = final_corrections
    approved = gettext_lazy("Исправление итоговой отметки №%(pk)s согласовано и внесено.")
    rejected = gettext_lazy("Исправление итоговой отметки №%(pk)s отклонено.")
    anchor = "#finals"
