from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from .models import STAFF_ROLES, AccessCode, Pupil, Role, School, User, check_timezone


class PupilForm(forms.ModelForm):
    class Meta:
        model = Pupil
        fields = [
            "last_name",
            "first_name",
            "patronymic",
            "birth_date",
            "sex",
            "document",
            "address",
            "phone",
            "email",
        ]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class GrantRoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Роль"),
        choices=[
            (r.value, r.label) for r in (Role.ADMIN, Role.DIRECTOR, Role.DEPUTY, Role.TEACHER)
        ],
    )


class StaffCodeForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Роль"),
        choices=[(r.value, r.label) for r in STAFF_ROLES if r != Role.CLASS_TEACHER],
    )
    intended_for = forms.CharField(
        label=_("Для кого (ФИО)"),
        max_length=300,
        required=False,
        help_text=_("Чтобы в списке кодов было видно, кому выдан код."),
    )


class SchoolSettingsForm(forms.ModelForm):
    class Meta:
        model = School
        fields = ["name", "short_name", "timezone", "access_code_days"]

    def clean_timezone(self):
        return check_timezone(self.cleaned_data["timezone"])

    def clean_access_code_days(self):
        days = self.cleaned_data["access_code_days"]
        if not 1 <= days <= 365:
            raise forms.ValidationError(_("Срок действия кода — от 1 до 365 дней."))
        return days


class RedeemCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Код доступа"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "placeholder": "XXXX-XXXX-XXXX",
            }
        ),
    )


class RegistrationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ["username", "last_name", "first_name", "patronymic", "email", "phone"]
        labels = {"username": _("Логин")}


class CodeFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Состояние"),
        required=False,
        choices=[("", _("все"))] + list(AccessCode.Status.choices),
    )
