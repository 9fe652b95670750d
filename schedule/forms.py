from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from accounts.models import ParentLink, Pupil, Role
from accounts.words import words_for
from lib.forms import Form, ModelForm, TableFileField

from .models import (
    Bell,
    BellSchedule,
    Course,
    Enrolment,
    Holiday,
    ImportBatch,
    SchoolClass,
    SchoolYear,
    Speciality,
    StudyPeriod,
    Subgroup,
    Subject,
)
from .services import imports as import_service
from .services.people import teachers_of
from .services.year import SCHEMES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def date_field(label, required=True, **kwargs):
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages={"invalid": _("Введите дату в виде ДД.ММ.ГГГГ.")},
        **kwargs,
    )


class ClassCodesForm(Form):
    roles = forms.MultipleChoiceField(
        label=_("Коды для"),
        widget=forms.CheckboxSelectMultiple,
        choices=[(Role.PARENT.value, _("родителей")), (Role.PUPIL.value, _("обучающихся"))],
        initial=[Role.PARENT.value, Role.PUPIL.value],
        error_messages={"required": _("Отметьте, для кого выпустить коды.")},
    )
    # One code per parent: two parents of one pupil each redeem their own.
    parent_kinds = forms.MultipleChoiceField(
        label=_("Родителям — по коду на каждого"),
        widget=forms.CheckboxSelectMultiple,
        choices=ParentLink.Kind.choices,
        initial=[ParentLink.Kind.MOTHER.value, ParentLink.Kind.FATHER.value],
        required=False,
        help_text=_("Не отмечено ничего — один код «законному представителю»."),
    )
    only_missing = forms.BooleanField(
        label=_("Только тем, у кого нет действующего кода и кто ещё не зарегистрирован"),
        required=False,
        initial=True,
    )
    output = forms.ChoiceField(
        label=_("Лист для печати"),
        choices=[("html", _("страница")), ("pdf", _("PDF"))],
        initial="html",
    )


# The year.


class SchoolYearForm(ModelForm):
    class Meta:
        model = SchoolYear
        fields = ["name", "start", "end"]
        widgets = {"start": DateInput(), "end": DateInput()}
        help_texts = {"name": _("Например, 2026/2027")}


class StudyPeriodForm(ModelForm):
    class Meta:
        model = StudyPeriod
        fields = ["kind", "number", "grade_from", "grade_to", "start", "end"]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "number": forms.NumberInput(attrs={"min": 1, "max": 6, "class": "narrow"}),
            "grade_from": forms.NumberInput(attrs={"min": 1, "max": 12, "class": "narrow"}),
            "grade_to": forms.NumberInput(attrs={"min": 1, "max": 12, "class": "narrow"}),
        }


StudyPeriodFormSet = forms.modelformset_factory(
    StudyPeriod, form=StudyPeriodForm, extra=2, can_delete=True
)


class SchemeForm(Form):
    scheme = forms.ChoiceField(label=_("Заполнить по образцу"), choices=list(SCHEMES.items()))


class HolidayForm(ModelForm):
    class Meta:
        model = Holiday
        fields = ["name", "start", "end", "grade_from", "grade_to"]
        widgets = {"start": DateInput(), "end": DateInput()}


class BellScheduleForm(ModelForm):
    class Meta:
        model = BellSchedule
        fields = ["name"]
        help_texts = {"name": _("Например, «1 смена»")}


class BellForm(ModelForm):
    class Meta:
        model = Bell
        fields = ["number", "start", "end"]
        widgets = {
            "number": forms.NumberInput(attrs={"min": 0, "max": 12, "class": "narrow"}),
            "start": TimeInput(),
            "end": TimeInput(),
        }


BellFormSet = forms.modelformset_factory(Bell, form=BellForm, extra=2, can_delete=True)


# Classes and movement.


class SchoolClassForm(ModelForm):
    MARKS = [
        ("", _("как положено: 1 класс без отметок, остальные с отметками")),
        ("marks", _("с отметками")),
        ("no_marks", _("без отметок")),
    ]
    marks = forms.ChoiceField(label=_("Отметки"), choices=MARKS, required=False)

    class Meta:
        model = SchoolClass
        fields = ["year", "grade", "letter", "speciality", "class_teacher", "bell_schedule"]
        # Scoped models: the choices are set per request, inside the school's scope.
        field_classes = {
            "year": SafeModelChoiceField,
            "bell_schedule": SafeModelChoiceField,
            "speciality": SafeModelChoiceField,
        }
        help_texts = {
            "letter": _("Для школы — буква («А»), для колледжа — название группы («ТМ-21»)."),
            "grade": _("Для колледжа — курс."),
        }

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].queryset = SchoolYear.objects.all()
        self.fields["year"].empty_label = None
        self.fields["class_teacher"].queryset = teachers_of(school)
        self.fields["class_teacher"].label_from_instance = lambda u: u.full_name
        self.fields["bell_schedule"].queryset = BellSchedule.objects.all()
        if school.kind == school.Kind.COLLEGE:
            self.fields["speciality"].queryset = Speciality.objects.all()
            # A college's group: its course, its name, its curator (accounts.words).
            words = words_for(school)
            self.fields["grade"].label = words.Grade
            self.fields["letter"].label = _("Название группы")
            self.fields["class_teacher"].label = words.Class_teacher
            for name in ("grade", "letter"):
                self.fields[name].help_text = ""
        else:
            del self.fields["speciality"]  # a school's class has none
        self.fields["grade"].widget.attrs.update(min=1, max=12)
        if self.instance.pk:
            self.fields["marks"].initial = "no_marks" if self.instance.no_marks else "marks"
            self.fields["marks"].choices = self.MARKS[1:]
            self.fields["marks"].required = True

    def no_marks(self):
        """True/False, or None for «as the grade says»."""
        return {"": None, "marks": False, "no_marks": True}[self.cleaned_data.get("marks") or ""]


class EnrolForm(Form):
    """Arrival: an existing pupil who is in no class, or a new pupil by name."""

    pupil = forms.ModelChoiceField(
        label=_("Обучающийся из списка школы"),
        queryset=Pupil.objects.none(),
        required=False,
        help_text=_("Только те, кто сейчас не числится ни в одном классе."),
    )
    last_name = forms.CharField(label=_("или новый: фамилия"), max_length=150, required=False)
    first_name = forms.CharField(label=_("имя"), max_length=150, required=False)
    patronymic = forms.CharField(label=_("отчество"), max_length=150, required=False)
    birth_date = date_field(_("дата рождения"), required=False)
    day = date_field(_("Дата зачисления"))
    order_number = forms.CharField(label=_("Номер приказа"), max_length=50)
    note = forms.CharField(
        label=_("Откуда прибыл"), max_length=200, required=False, help_text=_("Необязательно")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        enrolled = Enrolment.objects.filter(end__isnull=True).values("pupil_id")
        self.fields["pupil"].queryset = Pupil.objects.exclude(pk__in=enrolled)
        self.fields["pupil"].label_from_instance = lambda p: (
            f"{p.full_name}, {p.birth_date:%d.%m.%Y}" if p.birth_date else p.full_name
        )

    def clean(self):
        data = super().clean()
        if not data.get("pupil") and not (data.get("last_name") and data.get("first_name")):
            raise forms.ValidationError(
                _("Выберите обучающегося из списка или введите фамилию и имя нового.")
            )
        if data.get("pupil") and data.get("last_name"):
            raise forms.ValidationError(
                _("Выберите обучающегося из списка или введите нового — что-то одно.")
            )
        return data


class MoveForm(Form):
    KINDS = [("transfer", _("перевод в другой класс")), ("departure", _("выбытие из школы"))]
    kind = forms.ChoiceField(label=_("Что оформить"), choices=KINDS, widget=forms.RadioSelect)
    to_class = forms.ModelChoiceField(
        label=_("В класс"), queryset=SchoolClass.objects.none(), required=False
    )
    day = date_field(
        _("Дата"), help_text=_("С этого дня обучающийся не числится в прежнем классе.")
    )
    order_number = forms.CharField(label=_("Номер приказа"), max_length=50)
    note = forms.CharField(label=_("Куда выбыл / примечание"), max_length=200, required=False)

    def __init__(self, *args, enrolment, **kwargs):
        super().__init__(*args, **kwargs)
        school_class = enrolment.school_class
        self.fields["to_class"].queryset = SchoolClass.objects.filter(
            year_id=school_class.year_id
        ).exclude(pk=school_class.pk)
        self.fields["day"].initial = school_class.year.school.today()

    def clean(self):
        data = super().clean()
        if data.get("kind") == "transfer" and not data.get("to_class"):
            self.add_error("to_class", _("Выберите класс, в который переводится обучающийся."))
        return data


# Subjects, subgroups, courses.


class SubjectForm(ModelForm):
    class Meta:
        model = Subject
        fields = ["name", "short_name"]
        help_texts = {"short_name": _("Для шапки журнала и расписания: «Мат.», «Рус. яз.»")}

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        twin = Subject.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if twin.exists():
            raise forms.ValidationError(_("Такой предмет уже есть."))
        return name


class SplitForm(Form):
    """Divide a class into subgroups for one subject: a row of radio buttons per pupil."""

    day = date_field(_("С какого дня"))
    names = forms.CharField(
        label=_("Подгруппы"),
        max_length=200,
        initial=_("1 группа, 2 группа"),
        help_text=_("Названия через запятую"),
    )

    def __init__(self, *args, pupils, names, day, **kwargs):
        super().__init__(*args, **kwargs)
        self.pupils = list(pupils)
        self.group_names = names
        self.fields["day"].initial = day
        self.fields["names"].initial = ", ".join(names)
        choices = [("", "—"), *((n, n) for n in names)]
        for pupil in self.pupils:
            self.fields[f"pupil_{pupil.pk}"] = forms.ChoiceField(
                label=pupil.full_name,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
            )

    def clean_names(self):
        names = [n.strip() for n in self.cleaned_data["names"].split(",") if n.strip()]
        if len(names) < 2:
            raise forms.ValidationError(_("Нужно хотя бы две подгруппы."))
        if len(set(names)) != len(names):
            raise forms.ValidationError(_("Названия подгрупп повторяются."))
        if any(len(n) > 50 for n in names):
            raise forms.ValidationError(_("Название подгруппы — не длиннее 50 знаков."))
        return names

    def rows(self):
        return [(pupil, self[f"pupil_{pupil.pk}"]) for pupil in self.pupils]

    def assignment(self):
        """Pupil → subgroup name, for the pupils given a group."""
        return {
            pupil: self.cleaned_data[f"pupil_{pupil.pk}"]
            for pupil in self.pupils
            if self.cleaned_data.get(f"pupil_{pupil.pk}")
        }


class SubgroupTransferForm(Form):
    pupil = forms.ModelChoiceField(label=_("Обучающийся"), queryset=Pupil.objects.none())
    subgroup = forms.ModelChoiceField(label=_("В подгруппу"), queryset=Subgroup.objects.none())
    day = date_field(_("С какого дня"))
    parent_request = forms.CharField(
        label=_("Заявление родителя"),
        max_length=200,
        required=False,
        help_text=_("Номер и содержание — если перевод не с начала учебного периода"),
    )
    parent_request_date = date_field(_("Дата заявления"), required=False)

    def __init__(self, *args, pupils, subgroups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils
        self.fields["pupil"].label_from_instance = lambda p: p.full_name
        self.fields["subgroup"].queryset = subgroups
        self.fields["subgroup"].label_from_instance = lambda g: f"{g.subject}: {g.name}"


class TeacherChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class CourseForm(ModelForm):
    teachers = TeacherChoices(
        label=_("Учителя"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Course
        fields = [
            "school_class",
            "subject",
            "subgroup",
            "hours_per_week",
            "hours_per_year",
            "scale",
        ]
        field_classes = {
            "school_class": SafeModelChoiceField,
            "subject": SafeModelChoiceField,
            "subgroup": SafeModelChoiceField,
        }
        # The model's foreign keys carry no Russian names of their own (that would be a
        # migration of schedule): the form names them.
        labels = {
            "school_class": _("Класс"),
            "subject": _("Предмет"),
            "subgroup": _("Подгруппа"),
        }
        help_texts = {
            "subgroup": _("Пусто — курс всего класса."),
            "hours_per_year": _(
                "Если оставить 0, посчитается по часам в неделю (34 недели, в 1 классе 33)."
            ),
        }

    def __init__(self, *args, school, year, **kwargs):
        super().__init__(*args, **kwargs)
        words = words_for(school)
        self.fields["teachers"].label = words.Teachers
        self.fields["school_class"].label = words.Class
        self.fields["subject"].label = words.Subject
        if words.college:
            self.fields["subgroup"].help_text = _("Пусто — курс всей группы.")
        self.fields["teachers"].queryset = teachers_of(school)
        classes = SchoolClass.objects.filter(year=year) if year else SchoolClass.objects.all()
        self.fields["school_class"].queryset = classes.select_related("year")
        self.fields["school_class"].label_from_instance = lambda c: f"{c.name} ({c.year.name})"
        self.fields["subject"].queryset = Subject.objects.all()
        self.fields["subgroup"].queryset = Subgroup.objects.filter(
            school_class__in=classes
        ).select_related("school_class", "subject")
        self.fields["subgroup"].required = False
        if self.instance.pk:
            self.fields["teachers"].initial = list(self.instance.teachers.all())
            # A course's class and subject stay: its journal hangs from them.
            for name in ("school_class", "subject", "subgroup"):
                self.fields[name].disabled = True


class ImportForm(Form):
    kind = forms.ChoiceField(label=_("Что загружаем"), choices=ImportBatch.Kind.choices)
    year = forms.ModelChoiceField(
        label=_("Учебный год"), queryset=SchoolYear.objects.none(), empty_label=None
    )
    file = TableFileField(
        limits=import_service.LIMITS,
        help_text=_("Первая строка — заголовки столбцов. Не больше 5 МБ."),
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].queryset = SchoolYear.objects.all()
        current = SchoolYear.objects.current(school.today())
        if current:
            self.fields["year"].initial = current.pk


class SpecialityForm(ModelForm):
    class Meta:
        model = Speciality
        fields = ["code", "name", "kind", "programme", "study_years", "study_months"]
        help_texts = {"code": _("Например, «15.02.08»")}

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["study_years"].widget.attrs.update(min=1, max=6)
        self.fields["study_months"].widget.attrs.update(min=0, max=11)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if Speciality.objects.filter(school=self.school, code=code).exists():
            raise forms.ValidationError(_("Специальность с кодом «%(c)s» уже есть.") % {"c": code})
        return code

    def clean_study_months(self):
        months = self.cleaned_data["study_months"]
        if months > 11:
            raise forms.ValidationError(_("Месяцев — не больше 11."))
        return months
