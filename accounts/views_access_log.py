"""The school administrator's page of the record of who read personal data: searchable by
person, by what was read, by kind of access and by dates; read-only, like the record."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from lib.forms import Form

from .mixins import SchoolPermissionMixin
from .models import PersonalDataAccess
from .regulation_explained import days


class AccessLogFilter(Form):
    q = forms.CharField(
        label=_("Кто или что"),
        required=False,
        max_length=100,
        help_text=_("Фамилия читавшего или обучающегося, логин, название страницы"),
    )
    action = forms.ChoiceField(
        label=_("Действие"),
        required=False,
        choices=[("", _("все")), *PersonalDataAccess.Action.choices],
    )
    start = forms.DateField(
        label=_("С"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )
    end = forms.DateField(
        label=_("По"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("Начало периода позже его конца."))
        return data


class AccessLogView(SchoolPermissionMixin, ListView):
    permission = "accounts.view_access_log"
    template_name = "accounts/access_log.html"
    paginate_by = 100

    def get(self, request, *args, **kwargs):
        self.filter = AccessLogFilter(request.GET or None)
        response = super().get(request, *args, **kwargs)
        if self.filter.is_bound and not self.filter.is_valid():
            response.status_code = 400
        return response

    def get_queryset(self):
        rows = PersonalDataAccess.objects.select_related("pupil")
        if not self.filter.is_bound or not self.filter.is_valid():
            return rows if not self.filter.is_bound else rows.none()
        data = self.filter.cleaned_data
        if data["q"]:
            q = data["q"]
            rows = rows.filter(
                Q(user_name__icontains=q)
                | Q(what__icontains=q)
                | Q(pupil__last_name__icontains=q)
                | Q(page__icontains=q)
            )
        if data["action"]:
            rows = rows.filter(action=data["action"])
        # Dates are the school's own: the middleware has activated its time zone.
        if data["start"]:
            rows = rows.filter(at__date__gte=data["start"])
        if data["end"]:
            rows = rows.filter(at__date__lte=data["end"])
        return rows

    def get_context_data(self, **kwargs):
        kept = days(self.request.school.regulation.access_log_days)
        return super().get_context_data(filter=self.filter, kept_for=kept, **kwargs)
