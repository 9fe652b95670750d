"""Specialities and professions of a college: the list, and a new one (002 §1.7, §2.3)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse
from accounts.once import SubmitOnceMixin

from ..forms import SpecialityForm
from ..models import Speciality


class SpecialitiesView(SchoolPermissionMixin, SubmitOnceMixin, View):
    permission = "schedule.view_classes"

    def page(self, form=None, status=200):
        request = self.request
        may_manage = request.user.has_perm("schedule.manage_classes", request.school)
        specialities = Speciality.objects.annotate(groups_count=Count("groups")).order_by("code")
        if may_manage and form is None:
            form = SpecialityForm(school=request.school)
        return render(
            request,
            "schedule/specialities.html",
            {"specialities": specialities, "form": form if may_manage else None},
            status=status,
        )

    def get(self, request):
        return self.page()

    def post(self, request):
        if not request.user.has_perm("schedule.manage_classes", request.school):
            raise PermissionDenied
        form = SpecialityForm(request.POST, school=request.school)
        if not form.is_valid():
            return self.page(form, 400)
        speciality = form.save(commit=False)
        speciality.school = request.school
        speciality.save()
        messages.success(request, _("Специальность добавлена."))
        return redirect(school_reverse(request.school, "schedule:specialities"))
