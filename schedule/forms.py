from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role


class ClassCodesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Коды для"),
        widget=forms.CheckboxSelectMultiple,
        choices=[(Role.PARENT.value, _("родителей")), (Role.PUPIL.value, _("обучающихся"))],
        initial=[Role.PARENT.value, Role.PUPIL.value],
        error_messages={"required": _("Отметьте, для кого выпустить коды.")},
    )
    only_missing = forms.BooleanField(
        label=_("Только тем, у кого нет действующего кода"), required=False, initial=True
    )
    output = forms.ChoiceField(
        label=_("Лист для печати"),
        choices=[("html", _("страница")), ("pdf", _("PDF"))],
        initial="html",
    )
