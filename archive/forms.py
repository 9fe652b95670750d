from django import forms
from django.utils.translation import gettext_lazy as _

from lib.forms import Form


class RolloverForm(Form):
    """The rollover's order number; each pupil's decision is a field «o<pupil id>» checked
    by the view against the known outcomes."""

    order_number = forms.CharField(
        label=_("Номер приказа о переводе"), max_length=50, required=False
    )
