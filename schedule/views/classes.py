from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView
from guardian.shortcuts import get_objects_for_user

from accounts.mixins import SchoolPermissionMixin
from accounts.models import AccessCode, ParentLink, Pupil, Role
from accounts.navigation import school_reverse
from accounts.services import revoke_code

from ..forms import ClassCodesForm
from ..models import Enrolment, SchoolClass
from ..services import issue_class_codes


class ClassListView(SchoolPermissionMixin, ListView):
    permission = "schedule.view_classes"
    template_name = "schedule/class_list.html"
    context_object_name = "classes"

    def get_queryset(self):
        classes = SchoolClass.objects.select_related("class_teacher")
        if not self.request.user.has_perm("accounts.view_school_wide", self.request.school):
            # A class teacher sees the classes they lead, found through their object permission.
            classes = get_objects_for_user(
                self.request.user, "schedule.manage_class", classes, accept_global_perms=False
            )
        return classes


class ClassPermissionMixin(SchoolPermissionMixin):
    def get_permission_object(self):
        self.school_class = get_object_or_404(
            SchoolClass.objects.select_related("class_teacher"), pk=self.kwargs["pk"]
        )
        return self.school_class


def current_pupils(school_class):
    enrolled = Enrolment.objects.current().filter(school_class=school_class).values("pupil_id")
    return Pupil.objects.filter(pk__in=enrolled).select_related("user")


class ClassView(ClassPermissionMixin, View):
    """The class teacher's page of the class: pupils, their personal data and parents."""

    permission = "schedule.view_class"

    def get(self, request, pk):
        pupils = current_pupils(self.school_class).prefetch_related(
            Prefetch("parent_links", queryset=ParentLink.objects.select_related("parent"))
        )
        return render(
            request,
            "schedule/class_detail.html",
            {
                "school_class": self.school_class,
                "pupils": pupils,
                "can_issue_codes": request.user.has_perm(
                    "schedule.issue_class_codes", self.school_class
                ),
            },
        )


class ClassCodesView(ClassPermissionMixin, View):
    """Parents' and pupils' codes of one class; issuing prints a sheet of slips at once."""

    permission = "schedule.issue_class_codes"

    def page(self, form, status=200):
        pupils = current_pupils(self.school_class)
        codes = (
            AccessCode.objects.filter(pupil__in=pupils)
            .select_related("pupil", "used_by")
            .order_by("pupil__last_name", "pupil__first_name", "role", "-created_at")
        )
        return render(
            self.request,
            "schedule/class_codes.html",
            {
                "school_class": self.school_class,
                "codes": codes,
                "form": form,
            },
            status=status,
        )

    def get(self, request, pk):
        return self.page(ClassCodesForm())

    def post(self, request, pk):
        form = ClassCodesForm(request.POST)
        if not form.is_valid():
            return self.page(form, status=400)
        slips = issue_class_codes(
            self.school_class,
            current_pupils(self.school_class),
            form.cleaned_data["roles"],
            created_by=request.user,
            only_missing=form.cleaned_data["only_missing"],
        )
        if not slips:
            messages.info(request, _("У всех обучающихся класса уже есть действующие коды."))
            return redirect(school_reverse(request.school, "schedule:class_codes", pk=pk))
        context = {"school_class": self.school_class, "slips": slips, "school": request.school}
        if form.cleaned_data["output"] == "pdf":
            from weasyprint import HTML

            html = render_to_string("schedule/code_slips.html", {**context, "pdf": True}, request)
            pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = (
                f'attachment; filename="codes-{self.school_class.pk}.pdf"'
            )
            return response
        return render(request, "schedule/code_slips.html", context)


class RevokeClassCodeView(ClassPermissionMixin, View):
    permission = "schedule.issue_class_codes"

    def post(self, request, pk, code_pk):
        pupils = current_pupils(self.school_class)
        code = get_object_or_404(
            AccessCode.objects.filter(pupil__in=pupils, role__in=[Role.PARENT, Role.PUPIL]),
            pk=code_pk,
        )
        revoke_code(code, request.user)
        messages.success(request, _("Код отозван."))
        return redirect(school_reverse(request.school, "schedule:class_codes", pk=pk))
