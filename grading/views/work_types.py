"""The school's work types and their weights (administrator and deputy)."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse
from accounts.once import SubmitOnceMixin
from lib.forms import ModelForm

from ..models import WorkType


class WorkTypeForm(ModelForm):
    class Meta:
        model = WorkType
        fields = ["name", "short_name", "weight", "lesson_kind", "active"]
        labels = {"lesson_kind": gettext_lazy("основная колонка для уроков типа")}

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight is None or weight <= 0:
            raise forms.ValidationError(_("Вес — положительное число, например 1 или 1,5."))
        return weight


class WorkTypesView(SchoolPermissionMixin, SubmitOnceMixin, View):
    permission = "grading.manage_work_types"

    def formset_class(self):
        return forms.modelformset_factory(WorkType, form=WorkTypeForm, extra=1, can_delete=False)

    def page(self, formset, status=200):
        return render(self.request, "grading/work_types.html", {"formset": formset}, status=status)

    def get(self, request):
        return self.page(self.formset_class()(queryset=WorkType.objects.all()))

    def post(self, request):
        formset = self.formset_class()(request.POST, queryset=WorkType.objects.all())
        if not formset.is_valid():
            return self.page(formset, status=400)
        with transaction.atomic():
            kinds, names = set(), set()
            for form in formset.forms:
                if not form.has_changed() and form.instance.pk is None:
                    continue
                kind = form.cleaned_data.get("lesson_kind")
                name = (form.cleaned_data.get("name") or "").strip().lower()
                if kind and kind in kinds:
                    form.add_error(
                        "lesson_kind", _("Этот тип урока уже связан с другим видом работы.")
                    )
                if name in names:
                    form.add_error("name", _("Такой вид работы уже есть."))
                kinds.add(kind)
                names.add(name)
            if not formset.is_valid():
                transaction.set_rollback(True)
                return self.page(formset, status=400)
            for item in formset.save(commit=False):
                item.school = request.school
                item.save()
        messages.success(request, _("Виды работ сохранены."))
        return redirect(school_reverse(request.school, "grading:work_types"))
