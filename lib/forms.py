"""Forms that are not about schools: the base of every form, and an uploaded table's field.

Every form of the project derives from `Form` or `ModelForm` here (or mixes in
`SaneInputMixin`), so that whatever a person types meets the same rules on every page
(tests/test_form_inputs.py goes through all of them):

- a text field has a length limit (its own, or MAX_LINE / MAX_TEXT for a text area) and
  refuses control characters (a NUL, an escape) with a Russian message — PostgreSQL refuses
  a NUL in text outright, and nobody types the others;
- a date field refuses a date outside lib.dates' range (2000–2100) with a Russian message:
  a school year starting in year 1 is never stored to break the pages that add to it.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .dates import check_sane
from .tables import DEFAULT_LIMITS, TABLE_SUFFIXES, Limits, check_table_name, check_upload_size

MAX_LINE = 1000  # a one-line text field that names no limit of its own
MAX_TEXT = 10000  # a text area that names none (a homework, a teacher's note)
# Control characters; tab, line feed and carriage return are whitespace a text area keeps.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_characters(value) -> None:
    if isinstance(value, str) and CONTROL.search(value):
        raise ValidationError(
            _("Текст содержит недопустимые управляющие символы: удалите их и сохраните снова."),
            code="control",
        )


def sane_date(value) -> None:
    if value is not None:
        check_sane(value)


def harden(field) -> None:
    """Give a form field the rules above (once; a field already hardened is left alone)."""
    if getattr(field, "_sane", False):
        return
    field._sane = True
    if isinstance(field, forms.CharField):
        if field.max_length is None:
            field.max_length = MAX_TEXT if isinstance(field.widget, forms.Textarea) else MAX_LINE
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("maxlength", str(field.max_length))
        # A limit set after the field was made (Django's sign-in form sets one so) has no
        # validator of its own.
        if not any(isinstance(v, MaxLengthValidator) for v in field.validators):
            field.validators.append(MaxLengthValidator(field.max_length))
        # First, so that its message is the one shown (Django's own refuses a NUL alone).
        field.validators.insert(0, no_control_characters)
    elif isinstance(field, forms.DateField):
        field.validators.append(sane_date)


class SaneInputMixin:
    """The rules of this module on every field of a form, added in __init__ or after it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            harden(field)

    def full_clean(self):
        # Fields a form adds after __init__ (one per pupil, say) meet the rules too.
        for field in self.fields.values():
            harden(field)
        super().full_clean()


class Form(SaneInputMixin, forms.Form):
    pass


class ModelForm(SaneInputMixin, forms.ModelForm):
    pass


class SearchForm(Form):
    """?q= of a list: a search typed into a box, checked like any other text."""

    q = forms.CharField(label=_("Поиск"), max_length=100, required=False)

    def query(self) -> str:
        return self.cleaned_data.get("q", "").strip() if self.is_valid() else ""


class TableFileField(forms.FileField):
    """A CSV or XLSX upload, refused by its name and size before anything reads it. The
    importer reads it with the same `limits` (lib.tables.read_upload)."""

    def __init__(self, *, limits: Limits = DEFAULT_LIMITS, **kwargs):
        self.limits = limits
        kwargs.setdefault("label", _("Файл CSV или XLSX"))
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Выберите файл."),
                "empty": _("Файл пуст."),
                "invalid": _("Файл не получен; попробуйте ещё раз."),
            },
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ",".join(TABLE_SUFFIXES))

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            check_table_name(upload.name)
            check_upload_size(upload, self.limits)
        return upload


class ReasonForm(Form):
    """Why a locked record is changed: posted beside the values it explains (a cell, a grid,
    absences, final marks), checked like any other text. Whether one is needed is the
    service's rule."""

    reason = forms.CharField(label=_("Причина"), max_length=1000, required=False)

    @classmethod
    def read(cls, data) -> tuple[str, str | None]:
        """(the reason, or "" when it is refused; the Russian message, or None)."""
        form = cls(data)
        if form.is_valid():
            return form.cleaned_data["reason"], None
        return "", form.errors["reason"][0]
