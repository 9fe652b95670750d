from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from lib.forms import Form

from .forms_finals import DateInput
from .models import Assessment

DATE_ERRORS = {"required": _("Укажите дату."), "invalid": _("Введите дату.")}


def date_field(label):
    return forms.DateField(label=label, widget=DateInput(), error_messages=DATE_ERRORS)


class SessionForm(Form):
    period = forms.ModelChoiceField(
        label=_("Семестр"),
        queryset=None,
        error_messages={
            "required": _("Выберите семестр."),
            "invalid_choice": _("Такого периода нет."),
        },
    )
    start = date_field(_("Начало сессии"))
    end = date_field(_("Окончание сессии"))

    def __init__(self, *args, periods=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods


class AssessmentForm(Form):
    course = forms.ModelChoiceField(
        label=_("Дисциплина"),
        queryset=None,
        error_messages={
            "required": _("Выберите дисциплину."),
            "invalid_choice": _("Такой дисциплины в этом семестре нет."),
        },
    )
    form = forms.ChoiceField(
        label=_("Форма аттестации"),
        choices=[(k.value, k.label) for k in Assessment.FORMS],
        error_messages={"required": _("Выберите форму аттестации.")},
    )
    held_on = date_field(_("Дата проведения"))
    order_number = forms.CharField(
        label=_("Номер приказа о комиссии"),
        max_length=50,
        error_messages={"required": _("Укажите номер приказа.")},
    )
    order_date = date_field(_("Дата приказа"))
    chair = forms.ModelChoiceField(
        label=_("Председатель комиссии"),
        queryset=None,
        error_messages={
            "required": _("Выберите председателя комиссии."),
            "invalid_choice": _("Этого человека нет среди работников."),
        },
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Члены комиссии"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Отметьте членов комиссии."),
            "invalid_choice": _("Этого человека нет среди работников."),
        },
    )

    def __init__(self, *args, courses=None, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        staff = staff if staff is not None else User.objects.none()
        for name in ("chair", "members"):
            self.fields[name].queryset = staff
            self.fields[name].label_from_instance = lambda u: u.full_name


class ApplicationForm(Form):
    reason = forms.CharField(
        label=_("Причина (основание заявления)"),
        max_length=300,
        error_messages={"required": _("Укажите причину (например, «по болезни»).")},
    )


class DecisionForm(Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Подписать")), ("reject", _("Отклонить"))],
        error_messages={
            "required": _("Выберите решение."),
            "invalid_choice": _("Выберите решение."),
        },
    )
    note = forms.CharField(label=_("Комментарий"), max_length=300, required=False)


class ReferralForm(Form):
    number = forms.CharField(
        label=_("Номер направления"),
        max_length=50,
        error_messages={"required": _("Укажите номер направления.")},
    )
    issued_on = date_field(_("Дата выдачи"))
    sitting_on = date_field(_("Дата сдачи"))


class ProtocolForm(Form):
    protocol_number = forms.CharField(
        label=_("Номер протокола"),
        max_length=50,
        error_messages={"required": _("Укажите номер протокола.")},
    )
    result = forms.ChoiceField(
        label=_("Результат"), error_messages={"required": _("Укажите результат.")}
    )

    def __init__(self, *args, values=(), **kwargs):
        super().__init__(*args, **kwargs)
        from .models import FinalMark

        labels = dict(FinalMark.Value.choices)
        self.fields["result"].choices = [("", "—")] + [(v, labels[v]) for v in values]
