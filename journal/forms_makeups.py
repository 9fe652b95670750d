from django import forms
from django.utils.translation import gettext_lazy as _

from grading.forms_finals import DateInput
from lib.forms import Form


class MakeupForm(Form):
    pupil = forms.ModelChoiceField(
        label=_("Обучающийся"),
        queryset=None,
        error_messages={
            "required": _("Выберите обучающегося."),
            "invalid_choice": _("Этот обучающийся не пропускал урок."),
        },
    )
    number = forms.CharField(
        label=_("Номер протокола"),
        max_length=50,
        error_messages={"required": _("Укажите номер протокола.")},
    )
    held_on = forms.DateField(
        label=_("Дата сдачи"),
        widget=DateInput(),
        error_messages={"required": _("Укажите дату."), "invalid": _("Введите дату.")},
    )
    value = forms.ChoiceField(
        label=_("Отметка"), error_messages={"required": _("Укажите отметку.")}
    )

    def __init__(self, *args, pupils=None, values=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils
        self.fields["pupil"].label_from_instance = lambda p: p.full_name
        self.fields["value"].choices = [("", "—")] + [(v, v) for v in values]
