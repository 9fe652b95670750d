"""Form fields that are not about schools: an uploaded table with its limits."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .tables import DEFAULT_LIMITS, TABLE_SUFFIXES, Limits, check_table_name, check_upload_size


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
