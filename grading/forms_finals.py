from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from lib.forms import Form

from .models import FinalMark


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class RetakeForm(Form):
    held_on = forms.DateField(
        label=_("Дата пересдачи"),
        widget=DateInput(),
        error_messages={"required": _("Укажите дату."), "invalid": _("Введите дату.")},
    )
    protocol_number = forms.CharField(
        label=_("Номер протокола"),
        max_length=50,
        error_messages={"required": _("Укажите номер протокола.")},
    )
    order_number = forms.CharField(label=_("Приказ о комиссии"), max_length=100, required=False)
    commission = forms.ModelMultipleChoiceField(
        label=_("Члены комиссии"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Отметьте членов комиссии."),
            "invalid_choice": _("Этого человека нет среди работников школы."),
        },
    )
    result = forms.ChoiceField(
        label=_("Результат"), error_messages={"required": _("Укажите результат.")}
    )

    def __init__(self, *args, staff=None, values=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commission"].queryset = staff if staff is not None else User.objects.none()
        self.fields["commission"].label_from_instance = lambda u: u.full_name
        labels = dict(FinalMark.Value.choices)
        self.fields["result"].choices = [("", "—")] + [(v, labels[v]) for v in values]
