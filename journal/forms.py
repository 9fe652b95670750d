import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lib.forms import Form, TableFileField
from schedule.models import Lesson

from .models import PlanTopic
from .services.homework import MAX_ATTACHMENTS, validate_attachment
from .services.plan import imports as plan_imports
from .services.plan.imports import MAX_IMPORT_ROWS
from .services.plan.topics import MAX_TOPIC_HOURS, validate_topic


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PlanTopicForm(Form):
    title = forms.CharField(
        label=_("Тема"),
        max_length=500,
        error_messages={"required": _("Укажите тему.")},
        widget=forms.TextInput(attrs={"size": 60}),
    )
    hours = forms.IntegerField(
        label=_("Часов"),
        min_value=1,
        max_value=MAX_TOPIC_HOURS,
        initial=1,
        error_messages={
            "required": _("Укажите число часов."),
            "invalid": _("Часы — целое число."),
            "min_value": _("Часов не меньше 1."),
            "max_value": _("Часов не больше %(limit_value)s."),
        },
        widget=forms.NumberInput(attrs={"class": "narrow"}),
    )
    kind = forms.ChoiceField(label=_("Тип урока"), choices=Lesson.Kind.choices, initial="lesson")


class PlanLagReasonForm(Form):
    reason = forms.CharField(
        label=_("Причина отставания от программы"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PlanImportForm(Form):
    file = TableFileField(limits=plan_imports.LIMITS)
    replace = forms.BooleanField(
        label=_("Заменить весь КТП (иначе темы добавятся в конец)"), required=False
    )


class PlanImportConfirmForm(Form):
    """The rows of a previewed file travel back with the confirmation and are checked again."""

    # The previewed rows as JSON: each topic's title (500), hours and kind, with room to spare.
    rows = forms.CharField(widget=forms.HiddenInput, max_length=MAX_IMPORT_ROWS * 800)
    replace = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_rows(self):
        try:
            rows = json.loads(self.cleaned_data["rows"])
        except (ValueError, RecursionError) as exc:  # not JSON, or nested past any sense
            raise ValidationError(
                _("Данные предпросмотра повреждены: загрузите файл снова.")
            ) from exc
        if not isinstance(rows, list) or not rows or len(rows) > MAX_IMPORT_ROWS:
            raise ValidationError(_("Данные предпросмотра повреждены: загрузите файл снова."))
        clean = []
        for row in rows:
            try:
                # Exactly what the preview sent: a title and a kind as text, hours as a whole
                # number (not 1.0, not "1", not true, not Infinity).
                item = {"title": row["title"], "hours": row["hours"], "kind": row["kind"]}
                validate_topic(item["title"], item["hours"], item["kind"])
            except (KeyError, TypeError, ValueError, ValidationError) as exc:
                raise ValidationError(
                    _("Данные предпросмотра повреждены: загрузите файл снова.")
                ) from exc
            clean.append(item)
        return clean


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [f for f in files if f]
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("К заданию можно приложить не больше %(n)s файлов.") % {"n": MAX_ATTACHMENTS}
            )
        errors = []
        for uploaded in files:
            if not getattr(uploaded, "name", None) or getattr(uploaded, "size", None) is None:
                errors.append(_("Файл не получен; попробуйте ещё раз."))
                continue
            try:
                validate_attachment(uploaded)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return files


class LessonForm(Form):
    """The lesson page: its topic (from the plan by default), type, the teacher's note, and
    homework where the class takes homework."""

    plan_topic = forms.ModelChoiceField(
        label=_("Тема по КТП"),
        queryset=PlanTopic.objects.none(),
        required=False,
        empty_label=_("— не по КТП —"),
        error_messages={"invalid_choice": _("Такой темы нет в КТП этого курса.")},
    )
    topic = forms.CharField(
        label=_("Тема урока"),
        max_length=500,
        required=False,
        help_text=_("Пусто — тема по КТП."),
        widget=forms.TextInput(attrs={"size": 70}),
    )
    kind = forms.ChoiceField(label=_("Тип урока"), choices=Lesson.Kind.choices)
    reason = forms.CharField(
        label=_("Причина исправления темы"),
        max_length=500,
        required=False,
        help_text=_("Тема закрыта: изменение уйдёт на согласование заместителю директора."),
        widget=forms.TextInput(attrs={"size": 70}),
    )
    note = forms.CharField(
        label=_("Заметка учителя"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 70}),
    )
    homework_text = forms.CharField(
        label=_("Домашнее задание"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70}),
    )
    due_date = forms.DateField(
        label=_("К уроку"),
        required=False,
        widget=DateInput(),
        help_text=_("По умолчанию — следующий урок курса."),
        error_messages={"invalid": _("Введите дату.")},
    )
    files = MultipleFileField(label=_("Файлы к заданию"), required=False)

    def __init__(self, *args, topics=(), takes_homework=True, lesson=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lesson = lesson
        self.fields["plan_topic"].queryset = topics
        self.fields["plan_topic"].label_from_instance = lambda t: f"{t.position}. {t.title}"
        if not takes_homework:
            for name in ("homework_text", "due_date", "files"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        due = data.get("due_date")
        if self.lesson is not None and due is not None and due <= self.lesson.date:
            self.add_error("due_date", _("Срок выполнения должен быть позже дня урока."))
        # An empty topic is allowed only while the lesson has none yet.
        empty = not data.get("topic") and not data.get("plan_topic")
        if empty and self.lesson is not None and self.lesson.topic:
            self.add_error("topic", _("Укажите тему урока или выберите тему из КТП."))
        return data


class IllnessSpanForm(Form):
    """«Болел с … по …»: one reason for every absence of one pupil in a span of days."""

    pupil = forms.TypedChoiceField(label=_("Обучающийся"), coerce=int, choices=())
    start = forms.DateField(
        label=_("с"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("по"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    code = forms.ChoiceField(
        label=_("Причина"),
        choices=[("ill", _("б — по болезни")), ("excused", _("у — по уважительной причине"))],
    )
    reason = forms.CharField(
        label=_("Причина исправления закрытых записей"), max_length=1000, required=False
    )

    MAX_DAYS = 92  # a quarter: a longer span is a mistyped year

    def __init__(self, *args, pupils=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].choices = [(p.pk, p.full_name) for p in pupils]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("Дата «по» раньше даты «с»."))
            if (end - start).days > self.MAX_DAYS:
                raise forms.ValidationError(_("Слишком длинный промежуток: не больше 92 дней."))
        return data
