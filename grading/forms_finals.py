from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .models import FinalMark, GradingSettings


class GradingSettingsForm(forms.ModelForm):
    class Meta:
        model = GradingSettings
        fields = ["rounding", "min_marks_for_period", "final_marks_deadline_days"]
        error_messages = {
            "min_marks_for_period": {"invalid": _("Введите целое число.")},
            "final_marks_deadline_days": {"invalid": _("Введите целое число.")},
        }

    # The lock of current records lives on the school (schedule.Lesson.locks_on reads it); the
    # administrator sets it here with the rest of the regulation's rules.
    records_lock_days = forms.IntegerField(
        label=_("Отметки и посещаемость закрываются через, дней"),
        required=False,
        min_value=0,
        max_value=90,
        help_text=_(
            "0 — только в день урока. Позже изменение требует причины и согласования "
            "заместителя директора."
        ),
        error_messages={
            "invalid": _("Введите целое число."),
            "min_value": _("От 0 до 90 дней."),
            "max_value": _("От 0 до 90 дней."),
        },
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["records_lock_days"].initial = school.records_lock_days

    def save(self, commit=True):
        settings = super().save(commit)
        days = self.cleaned_data.get("records_lock_days")
        if commit and days is not None and days != self.school.records_lock_days:
            self.school.records_lock_days = days
            self.school.save(update_fields=["records_lock_days"])
        return settings

    def clean_min_marks_for_period(self):
        value = self.cleaned_data["min_marks_for_period"]
        if not 1 <= value <= 20:
            raise forms.ValidationError(_("От 1 до 20 отметок."))
        return value

    def clean_final_marks_deadline_days(self):
        value = self.cleaned_data["final_marks_deadline_days"]
        if not -30 <= value <= 30:
            raise forms.ValidationError(_("От −30 до 30 дней."))
        return value


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class RetakeForm(forms.Form):
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
