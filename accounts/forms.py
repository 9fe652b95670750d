from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.utils.translation import gettext_lazy as _

from lib.forms import Form, ModelForm, SaneInputMixin
from lib.zones import zone_choices

from .models import (
    STAFF_ROLES,
    AccessCode,
    ParentLink,
    Pupil,
    Regulation,
    Role,
    School,
    User,
    check_timezone,
)
from .regulation_explained import RULE_FIELDS


class PupilForm(ModelForm):
    class Meta:
        model = Pupil
        fields = list(Pupil.RECORD_FIELDS)
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class ConsentForm(Form):
    """A consent as the signed paper says it: whose data, given on, by whom."""

    whose = forms.ChoiceField(label=_("Чьи данные"), choices=())
    given_on = forms.DateField(
        label=_("Дата согласия"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    given_by = forms.CharField(label=_("Кем дано (ФИО, как подписано)"), max_length=300)

    def __init__(self, *args, pupil, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["whose"].choices = [
            ("", _("обучающегося: %(name)s") % {"name": pupil.full_name}),
            *[(str(p.pk), _("родителя: %(name)s") % {"name": p.full_name}) for p in parents],
        ]
        self.fields["whose"].required = False


class GrantRoleForm(Form):
    role = forms.ChoiceField(
        label=_("Роль"),
        choices=[
            ("", _("— выберите роль —")),
            *[(r.value, r.label) for r in (Role.ADMIN, Role.DIRECTOR, Role.DEPUTY, Role.TEACHER)],
        ],
        error_messages={"required": _("Выберите роль.")},
    )


class StaffCodeForm(Form):
    # No role is chosen for the administrator: the riskiest role is given on purpose only.
    role = forms.ChoiceField(
        label=_("Роль"),
        choices=[
            ("", _("— выберите роль —")),
            *[(r.value, r.label) for r in STAFF_ROLES if r != Role.CLASS_TEACHER],
        ],
        error_messages={"required": _("Выберите роль, для которой выпускается код.")},
    )
    intended_for = forms.CharField(
        label=_("Для кого (ФИО)"),
        max_length=300,
        required=False,
        help_text=_("Чтобы в списке кодов было видно, кому выдан код."),
    )


class SchoolSettingsForm(ModelForm):
    class Meta:
        model = School
        fields = ["name", "short_name", "timezone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A list of Russia's zones, not a free-text IANA name.
        self.fields["timezone"] = forms.ChoiceField(
            label=_("Часовой пояс"),
            choices=zone_choices(self.instance.timezone),
            error_messages={
                "invalid_choice": _(
                    "Неизвестный часовой пояс «%(value)s»: выберите пояс школы из списка."
                )
            },
        )

    def clean_timezone(self):
        return check_timezone(self.cleaned_data["timezone"])


class RegulationForm(ModelForm):
    """Every rule of the school's regulation; out-of-range values get the field's message."""

    class Meta:
        model = Regulation
        fields = RULE_FIELDS
        widgets = {
            "order_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "homework_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.error_messages["required"] = _("Заполните это поле.")
            ranges = Regulation._meta.get_field(name).validators
            if ranges and isinstance(field, forms.IntegerField):
                # The rule's own range and message, instead of Django's generic «больше либо
                # равно 0» of a positive field.
                field.validators = list(ranges)
                limits = {
                    type(v).__name__: v.limit_value for v in ranges if hasattr(v, "limit_value")
                }
                field.widget.attrs["min"] = limits.get("MinValueValidator", "")
                field.widget.attrs["max"] = limits.get("MaxValueValidator", "")


class PresetForm(Form):
    preset = forms.ChoiceField(label=_("Основа"), choices=Regulation.Preset.choices)


class RedeemCodeForm(Form):
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


class RegistrationForm(SaneInputMixin, UserCreationForm):
    class Meta:
        model = User
        fields = ["username", "last_name", "first_name", "patronymic", "email", "phone"]
        labels = {"username": _("Логин")}


class CodeFilterForm(Form):
    status = forms.ChoiceField(
        label=_("Состояние"),
        required=False,
        choices=[("", _("все"))] + list(AccessCode.Status.choices),
    )


# Django's own forms of the sign-in and password pages, with the rules of every form here.
class SignInForm(SaneInputMixin, AuthenticationForm):
    pass


class SanePasswordChangeForm(SaneInputMixin, PasswordChangeForm):
    pass


class SaneSetPasswordForm(SaneInputMixin, SetPasswordForm):
    pass


class SanePasswordResetForm(SaneInputMixin, PasswordResetForm):
    pass


class ContactsForm(Form):
    """One's own phone and e-mail; a new e-mail counts only once confirmed by its link."""

    phone = forms.CharField(label=_("Телефон"), max_length=30, required=False)
    email = forms.EmailField(label=_("Электронная почта"), required=False)


class ParentContactsForm(ModelForm):
    """A parent's contacts as the school keeps them (the class teacher, from the family)."""

    class Meta:
        model = User
        fields = ["phone", "email"]


class EndAccessForm(Form):
    """Whose access to the pupil's diary ends, and why; a new code may follow at once."""

    whose = forms.ChoiceField(label=_("Чей доступ закрыть"), choices=())
    reason = forms.CharField(
        label=_("Причина"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Например: код получил посторонний; решение суда; утерян телефон."),
    )
    new_code = forms.BooleanField(
        label=_("Сразу выпустить новый код для этого человека"), required=False
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["whose"].choices = [
            (str(p["user"].pk), f"{p['user'].full_name} — {p['label']}") for p in people
        ]


class FamilyCodeForm(Form):
    """A new code for one parent of the pupil (each parent has their own), or for the pupil."""

    role = forms.ChoiceField(
        label=_("Код для"),
        choices=[(Role.PARENT.value, _("родителя")), (Role.PUPIL.value, _("обучающегося"))],
    )
    parent_kind = forms.ChoiceField(
        label=_("Кем приходится родитель"), choices=ParentLink.Kind.choices, required=False
    )
    intended_for = forms.CharField(
        label=_("ФИО родителя (если известно)"), max_length=300, required=False
    )
