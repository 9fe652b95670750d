"""Forms of the register of course works and of practice (periods and marks)."""

from django import forms
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from lib.forms import Form, ModelForm
from schedule.models import PracticePeriod
from schedule.services.practice import PlaceData

from .forms_finals import DateInput
from .models import CourseWork
from .models.course_works import MARK_HIGH, MARK_LOW

MARK_CHOICES = [("", "—")] + [(str(v), str(v)) for v in range(MARK_HIGH, MARK_LOW - 1, -1)]
MARK_ERRORS = {"invalid_choice": _("Оценка — одна из «2», «3», «4», «5».")}


def mark_field(label=None):
    return forms.TypedChoiceField(
        label=label or _("Оценка"),
        choices=MARK_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages=MARK_ERRORS,
    )


def checked_by_service(form) -> None:
    """Fill the instance without the model's own checks: the service checks the record as a
    whole, in Russian (course_work_problems, practice_problems); the model's constraints
    would say some of it first in Django's words."""
    opts = form._meta
    form.instance = construct_instance(form, form.instance, opts.fields, opts.exclude)


def name_people(field):
    field.label_from_instance = lambda person: person.full_name


class CourseWorkForm(ModelForm):
    mark = mark_field()

    class Meta:
        model = CourseWork
        fields = ["course", "pupil", "topic", "supervisor", "handed_in", "defended", "mark"]
        field_classes = {
            "course": SafeModelChoiceField,
            "pupil": SafeModelChoiceField,
            "supervisor": SafeModelChoiceField,
        }
        widgets = {"handed_in": DateInput(), "defended": DateInput()}
        error_messages = {
            "course": {"required": _("Выберите дисциплину.")},
            "pupil": {"required": _("Выберите студента.")},
            "topic": {"required": _("Укажите тему курсовой работы.")},
            "supervisor": {"required": _("Выберите руководителя.")},
        }

    def __init__(self, *args, courses, pupils, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.fields["course"].label_from_instance = lambda c: f"{c.school_class} · {c.subject}"
        self.fields["pupil"].queryset = pupils
        name_people(self.fields["pupil"])
        self.fields["supervisor"].queryset = supervisors
        name_people(self.fields["supervisor"])
        for name in ("course", "pupil", "supervisor"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "Такого варианта нет в списке: выберите из списка."
            )

    def _post_clean(self):
        checked_by_service(self)


class PracticePeriodForm(ModelForm):
    place_name = forms.CharField(label=_("Организация (место практики)"), max_length=200)
    place_address = forms.CharField(label=_("Адрес организации"), max_length=300, required=False)
    contract_number = forms.CharField(label=_("Номер договора"), max_length=50, required=False)
    contract_date = forms.DateField(label=_("Дата договора"), required=False, widget=DateInput())

    class Meta:
        model = PracticePeriod
        fields = [
            "school_class",
            "kind",
            "name",
            "start",
            "end",
            "hours",
            "concentrated",
            "supervisor",
            "place_supervisor",
        ]
        field_classes = {"school_class": SafeModelChoiceField, "supervisor": SafeModelChoiceField}
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "hours": forms.NumberInput(attrs={"min": 1, "max": 2000}),
        }
        error_messages = {
            "school_class": {"required": _("Выберите группу.")},
            "name": {"required": _("Укажите название практики.")},
            "start": {"required": _("Укажите дату начала."), "invalid": _("Введите дату.")},
            "end": {"required": _("Укажите дату окончания."), "invalid": _("Введите дату.")},
            "hours": {"required": _("Укажите количество часов.")},
            "supervisor": {"required": _("Выберите руководителя от техникума.")},
        }

    def __init__(self, *args, classes, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = classes
        self.fields["supervisor"].queryset = supervisors
        name_people(self.fields["supervisor"])
        self.fields["hours"].min_value = 1
        self.fields["hours"].max_value = 2000
        self.fields["hours"].validators = []
        self.fields["hours"].error_messages.update(
            {
                "min_value": _("Часов — от 1 до 2000."),
                "max_value": _("Часов — от 1 до 2000."),
                "invalid": _("Введите целое число часов."),
            }
        )
        place = self.instance.place if self.instance.pk else None
        if place is not None and not self.is_bound:
            self.initial.update(
                place_name=place.name,
                place_address=place.address,
                contract_number=place.contract_number,
                contract_date=place.contract_date,
            )
        self.fields["place_name"].error_messages["required"] = _("Укажите организацию.")

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours is not None and not 1 <= hours <= 2000:
            raise forms.ValidationError(_("Часов — от 1 до 2000."))
        return hours

    def _post_clean(self):
        checked_by_service(self)

    def place(self) -> PlaceData:
        data = self.cleaned_data
        return PlaceData(
            name=data["place_name"],
            address=data.get("place_address") or "",
            contract_number=data.get("contract_number") or "",
            contract_date=data.get("contract_date"),
        )


class PracticeMarksForm(Form):
    """One mark per student of the practice (`mark_<pupil id>`)."""

    def __init__(self, *args, students, marks, **kwargs):
        super().__init__(*args, **kwargs)
        self.students = students
        for pupil in students:
            field = mark_field(pupil.full_name)
            mark = marks.get(pupil.pk)
            field.initial = str(mark.mark) if mark is not None and mark.mark else ""
            self.fields[f"mark_{pupil.pk}"] = field

    def marks(self) -> dict[int, int | None]:
        return {p.pk: self.cleaned_data.get(f"mark_{p.pk}") for p in self.students}
