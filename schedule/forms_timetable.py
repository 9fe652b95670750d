"""Forms of the timetable and the lessons. The rules themselves live in services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lib.forms import Form, ModelForm, TableFileField

from .models import Course, Room, SchoolYear, TimetableEntry, Weekday
from .services.people import teachers_of
from .services.timetable import imports as timetable_imports
from .services.timetable.entries import entry_problems, find_clashes
from .services.timetable.labels import course_label
from .services.years import school_year

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TeacherChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class CourseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        teachers = ", ".join(ct.teacher.short_name for ct in obj.course_teachers.all())
        return f"{course_label(obj)} — {teachers}" if teachers else course_label(obj)


class TimetableEntryForm(ModelForm):
    """One entry of a class's grid; refuses clashes, naming the other lesson."""

    course = CourseChoiceField(label=_("Курс"), queryset=Course.objects.none())
    weekday = forms.TypedChoiceField(label=_("День недели"), choices=Weekday.choices, coerce=int)
    number = forms.IntegerField(label=_("Номер урока"), min_value=0, max_value=12)
    room = forms.ModelChoiceField(label=_("Кабинет"), queryset=Room.objects.none(), required=False)

    class Meta:
        model = TimetableEntry
        fields = ["course", "weekday", "number", "room", "weeks", "valid_from", "valid_to"]
        widgets = {"valid_from": DATE_INPUT, "valid_to": DATE_INPUT}

    def __init__(self, *args, school_class, **kwargs):
        super().__init__(*args, **kwargs)
        self.school_class = school_class
        self.fields["course"].queryset = (
            Course.objects.filter(school_class=school_class)
            .select_related("school_class", "subject", "subgroup", "year")
            .prefetch_related("course_teachers__teacher")
            .order_by("subject__name", "subgroup__name")
        )
        self.fields["room"].queryset = Room.objects.order_by("name")
        self.fields["valid_from"].required = False
        self.fields["valid_to"].required = False
        self.fields["valid_from"].help_text = _("Пусто — с начала учебного года.")
        self.fields["valid_to"].help_text = _("Пусто — до конца учебного года.")

    def clean(self):
        data = super().clean()
        course = data.get("course")
        if course is None or self.errors:
            return data
        data["valid_from"] = data.get("valid_from") or course.year.start
        data["valid_to"] = data.get("valid_to") or course.year.end
        entry = self.instance
        entry.school_id = course.school_id
        for name in self._meta.fields:
            setattr(entry, name, data.get(name))
        problems = entry_problems(entry)
        if not problems:
            problems = [c.message for c in find_clashes(entry)]
        if problems:
            raise ValidationError(problems)
        return data


class BuildLessonsForm(Form):
    year = forms.ModelChoiceField(label=_("Учебный год"), queryset=SchoolYear.objects.none())
    since = forms.DateField(
        label=_("С даты"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Уроки до этой даты не меняются. Пусто — с сегодняшнего дня."),
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].queryset = SchoolYear.objects.order_by("-start")
        year = school_year(school)
        if year is not None:
            self.fields["year"].initial = year.pk


class SubstituteForm(Form):
    substitute = TeacherChoiceField(
        label=_("Замещающий учитель"),
        queryset=None,
        required=False,
        help_text=_("Пусто — отменить замену."),
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = teachers_of(school)


class SubstituteDayForm(Form):
    teacher = TeacherChoiceField(label=_("Отсутствует учитель"), queryset=None)
    day = forms.DateField(label=_("Дата"), widget=DATE_INPUT)
    substitute = TeacherChoiceField(label=_("Замещает"), queryset=None)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = teachers_of(school)
        self.fields["substitute"].queryset = teachers_of(school)
        self.fields["day"].initial = school.today()

    def clean(self):
        data = super().clean()
        if data.get("teacher") and data.get("teacher") == data.get("substitute"):
            raise ValidationError(_("Учитель не может заменять сам себя."))
        return data


class CancelLessonForm(Form):
    reason = forms.CharField(label=_("Причина отмены"), max_length=300)


class MoveLessonForm(Form):
    date = forms.DateField(label=_("Новая дата"), widget=DATE_INPUT)
    number = forms.IntegerField(label=_("Номер урока"), min_value=0, max_value=12)
    room = forms.ModelChoiceField(label=_("Кабинет"), queryset=Room.objects.none(), required=False)
    reason = forms.CharField(label=_("Причина переноса"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.order_by("name")


class TimetableImportForm(Form):
    year = forms.ModelChoiceField(label=_("Учебный год"), queryset=SchoolYear.objects.none())
    file = TableFileField(limits=timetable_imports.LIMITS)
    replace = forms.BooleanField(
        label=_("Заменить прежнее расписание классов из файла"),
        required=False,
        help_text=_("Записи расписания этих классов за учебный год будут удалены."),
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].queryset = SchoolYear.objects.order_by("-start")
        year = school_year(school)
        if year is not None:
            self.fields["year"].initial = year.pk
