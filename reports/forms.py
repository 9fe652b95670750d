"""The form of «Справка по итогам проверки»."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.forms import Form


class TeacherChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.short_name


class ControlCheckForm(Form):
    findings = forms.CharField(
        label=_("Выводы и замечания"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Напишите выводы проверки.")},
    )
    fix_by = forms.DateField(
        label=_("Устранить до"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Укажите срок устранения."), "invalid": _("Укажите дату.")},
    )
    teachers = TeacherChoice(
        label=_("Кому направить (учителя)"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Выберите хотя бы одного учителя.")},
    )

    def __init__(self, *args, teachers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if teachers is None:
            from accounts.models import User

            teachers = User.objects.none()
        self.fields["teachers"].queryset = teachers
