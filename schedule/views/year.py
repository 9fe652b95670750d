"""Setting up the school year: the year, its study periods, holidays and bell schedules."""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse
from accounts.once import SubmitOnceMixin

from ..forms import (
    BellFormSet,
    BellScheduleForm,
    HolidayForm,
    SchemeForm,
    SchoolYearForm,
    StudyPeriodFormSet,
)
from ..models import Bell, BellSchedule, Holiday, SchoolClass, SchoolYear, StudyPeriod
from ..services import year as year_services


def deleted_instances(formset):
    return [f.instance for f in formset.deleted_forms if f.instance.pk]


def form_errors(form, error: ValidationError):
    for message in error.messages:
        form.add_error(None, message)


class YearListView(SchoolPermissionMixin, View):
    permission = "schedule.view_year"

    def get(self, request):
        years = SchoolYear.objects.all()
        can_manage = request.user.has_perm("schedule.manage_year", request.school)
        return render(
            request,
            "schedule/year_list.html",
            {
                "years": years,
                "current": SchoolYear.objects.current(request.school.today()),
                "can_manage": can_manage,
                "to_open": can_manage
                and year_services.year_to_open(request.school, request.school.today()),
            },
        )


class YearCreateView(SchoolPermissionMixin, SubmitOnceMixin, View):
    permission = "schedule.manage_year"
    template_name = "schedule/year_form.html"

    def get(self, request):
        name, start, end = year_services.default_year_for(request.school.today())
        form = SchoolYearForm(initial={"name": name, "start": start, "end": end})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = SchoolYearForm(request.POST)
        if form.is_valid():
            form.instance.school = request.school
            try:
                year = year_services.save_year(form.instance)
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(
                    request, _("Учебный год создан. Теперь задайте учебные периоды и каникулы.")
                )
                return redirect(school_reverse(request.school, "schedule:year_periods", pk=year.pk))
        return render(request, self.template_name, {"form": form}, status=400)


class YearObjectMixin(SchoolPermissionMixin):
    def get_permission_object(self):
        self.year = get_object_or_404(SchoolYear, pk=self.kwargs["pk"])
        return self.year


class YearView(YearObjectMixin, View):
    """The year at a glance: periods grouped by grade range, holidays, classes."""

    permission = "schedule.view_year"

    def get(self, request, pk):
        periods = list(StudyPeriod.objects.filter(year=self.year).order_by("grade_from", "start"))
        groups = defaultdict(list)
        for period in periods:
            groups[(period.grade_from, period.grade_to)].append(period)
        holidays = Holiday.objects.filter(year=self.year)
        problems = year_services.period_problems(self.year, periods, list(holidays))
        return render(
            request,
            "schedule/year_detail.html",
            {
                "year": self.year,
                "groups": [{"label": ps[0].grades_label, "periods": ps} for ps in groups.values()],
                "holidays": holidays,
                "problems": problems,
                "class_count": SchoolClass.objects.filter(year=self.year).count(),
                "can_manage": request.user.has_perm("schedule.manage_year", self.year),
            },
        )


class YearEditView(YearObjectMixin, View):
    permission = "schedule.manage_year"
    template_name = "schedule/year_form.html"

    def get(self, request, pk):
        return render(
            request,
            self.template_name,
            {"form": SchoolYearForm(instance=self.year), "year": self.year},
        )

    def post(self, request, pk):
        form = SchoolYearForm(request.POST, instance=self.year)
        if form.is_valid():
            try:
                year_services.save_year(form.instance)
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("Учебный год сохранён."))
                return redirect(school_reverse(request.school, "schedule:year", pk=pk))
        return render(request, self.template_name, {"form": form, "year": self.year}, status=400)


class YearPeriodsView(YearObjectMixin, View):
    """All periods of the year in one form, checked together; `?scheme=` fills a template."""

    permission = "schedule.manage_year"
    template_name = "schedule/year_periods.html"

    def render_page(self, formset, problems=(), status=200, suggested_holidays=()):
        return render(
            self.request,
            self.template_name,
            {
                "year": self.year,
                "formset": formset,
                "problems": problems,
                "scheme_form": SchemeForm(self.request.GET or None),
                "holidays": Holiday.objects.filter(year=self.year),
                "suggested_holidays": suggested_holidays,
            },
            status=status,
        )

    def get(self, request, pk):
        queryset = StudyPeriod.objects.filter(year=self.year).order_by("grade_from", "start")
        scheme = request.GET.get("scheme")
        if scheme in year_services.SCHEMES:
            college = request.school.kind == request.school.Kind.COLLEGE
            periods, holidays = year_services.standard_calendar(
                self.year, scheme, max_grade=4 if college else 11
            )
            initial = [
                {
                    f: getattr(p, f)
                    for f in ("kind", "number", "grade_from", "grade_to", "start", "end")
                }
                for p in periods
            ]
            formset = StudyPeriodFormSet(queryset=StudyPeriod.objects.none(), initial=initial)
            formset.extra = len(initial)
            existing = set(Holiday.objects.filter(year=self.year).values_list("start", "end"))
            suggested = [h for h in holidays if (h.start, h.end) not in existing]
            messages.info(
                request,
                _(
                    "Периоды заполнены по образцу и ещё не сохранены. Прежние периоды "
                    "года будут заменены при сохранении."
                ),
            )
            return self.render_page(formset, suggested_holidays=suggested)
        return self.render_page(StudyPeriodFormSet(queryset=queryset))

    def post(self, request, pk):
        queryset = StudyPeriod.objects.filter(year=self.year)
        formset = StudyPeriodFormSet(request.POST, queryset=queryset)
        if not formset.is_valid():
            return self.render_page(formset, status=400)
        keep, deleted = [], deleted_instances(formset)
        for form in formset.forms:
            if form in formset.deleted_forms or (not form.has_changed() and not form.instance.pk):
                continue
            keep.append(form.instance)
        replace = request.POST.get("replace") == "1"
        if replace:
            # Saving a template: a period of the same kind, number and grades keeps its row
            # (final marks may hang from it) with the new dates; the others go.
            existing = {(p.kind, p.number, p.grade_from, p.grade_to): p for p in queryset}
            for period in keep:
                match = existing.pop(
                    (period.kind, period.number, period.grade_from, period.grade_to), None
                )
                if period.pk is None and match is not None:
                    period.pk = match.pk
                    period._state.adding = False
            kept = {p.pk for p in keep if p.pk}
            deleted += [p for p in existing.values() if p.pk not in kept]
        try:
            year_services.save_periods(self.year, keep, deleted, self.suggested_holidays())
        except ValidationError as error:
            return self.render_page(formset, problems=error.messages, status=400)
        messages.success(request, _("Учебные периоды сохранены."))
        return redirect(school_reverse(request.school, "schedule:year", pk=pk))

    def suggested_holidays(self):
        """The template's holidays, when the user keeps «add holidays» ticked."""
        scheme = self.request.POST.get("scheme", "")
        if self.request.POST.get("add_holidays") != "1" or scheme not in year_services.SCHEMES:
            return []
        college = self.request.school.kind == self.request.school.Kind.COLLEGE
        _periods, holidays = year_services.standard_calendar(
            self.year, scheme, max_grade=4 if college else 11
        )
        existing = set(Holiday.objects.filter(year=self.year).values_list("start", "end"))
        return [h for h in holidays if (h.start, h.end) not in existing]


class HolidayCreateView(YearObjectMixin, SubmitOnceMixin, View):
    permission = "schedule.manage_year"
    template_name = "schedule/holiday_form.html"

    def get(self, request, pk):
        return render(request, self.template_name, {"form": HolidayForm(), "year": self.year})

    def post(self, request, pk):
        form = HolidayForm(request.POST)
        if form.is_valid():
            form.instance.year = self.year
            try:
                year_services.save_holiday(form.instance)
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("Каникулы добавлены."))
                return redirect(school_reverse(request.school, "schedule:year", pk=pk))
        return render(request, self.template_name, {"form": form, "year": self.year}, status=400)


class HolidayObjectMixin(SchoolPermissionMixin):
    permission = "schedule.manage_year"

    def get_permission_object(self):
        self.holiday = get_object_or_404(
            Holiday.objects.select_related("year"), pk=self.kwargs["pk"]
        )
        return self.holiday


class HolidayEditView(HolidayObjectMixin, View):
    template_name = "schedule/holiday_form.html"

    def context(self, form):
        return {"form": form, "year": self.holiday.year, "holiday": self.holiday}

    def get(self, request, pk):
        return render(request, self.template_name, self.context(HolidayForm(instance=self.holiday)))

    def post(self, request, pk):
        form = HolidayForm(request.POST, instance=self.holiday)
        if form.is_valid():
            try:
                year_services.save_holiday(form.instance)
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("Каникулы сохранены."))
                return redirect(
                    school_reverse(request.school, "schedule:year", pk=self.holiday.year_id)
                )
        return render(request, self.template_name, self.context(form), status=400)


class HolidayDeleteView(HolidayObjectMixin, View):
    def post(self, request, pk):
        try:
            year_services.delete_holiday(self.holiday)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Каникулы удалены."))
        return redirect(school_reverse(request.school, "schedule:year", pk=self.holiday.year_id))


# Bells.


class BellScheduleListView(SchoolPermissionMixin, View):
    permission = "schedule.view_year"

    def get(self, request):
        schedules = list(BellSchedule.objects.order_by("name"))
        bells = defaultdict(list)
        for bell in Bell.objects.filter(schedule__in=schedules).order_by("number"):
            bells[bell.schedule_id].append(bell)
        for schedule in schedules:
            schedule.bell_list = bells[schedule.pk]
        return render(
            request,
            "schedule/bell_list.html",
            {
                "schedules": schedules,
                "can_manage": request.user.has_perm("schedule.manage_year", request.school),
            },
        )


class BellScheduleFormMixin(SchoolPermissionMixin):
    permission = "schedule.manage_year"
    template_name = "schedule/bell_form.html"

    def page(self, form, formset, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "formset": formset, "schedule": getattr(self, "schedule", None)},
            status=status,
        )

    def save(self, form, formset):
        if form.is_valid() and formset.is_valid():
            form.instance.school = self.request.school
            bells = [
                f.instance
                for f in formset.forms
                if f not in formset.deleted_forms and (f.instance.pk or f.has_changed())
            ]
            try:
                year_services.save_bell_schedule(form.instance, bells, deleted_instances(formset))
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(self.request, _("Расписание звонков сохранено."))
                return redirect(school_reverse(self.request.school, "schedule:bell_schedules"))
        return self.page(form, formset, status=400)


class BellScheduleCreateView(BellScheduleFormMixin, SubmitOnceMixin, View):
    def get(self, request):
        draft = BellSchedule(school=request.school)
        initial = [
            {"number": b.number, "start": b.start, "end": b.end}
            for b in year_services.standard_bells(draft)
        ]
        formset = BellFormSet(queryset=Bell.objects.none(), initial=initial)
        formset.extra = len(initial)
        return self.page(BellScheduleForm(initial={"name": _("1 смена")}), formset)

    def post(self, request):
        return self.save(
            BellScheduleForm(request.POST),
            BellFormSet(request.POST, queryset=Bell.objects.none()),
        )


class BellScheduleEditView(BellScheduleFormMixin, View):
    def get_permission_object(self):
        self.schedule = get_object_or_404(BellSchedule, pk=self.kwargs["pk"])
        return self.schedule

    def bells(self):
        return Bell.objects.filter(schedule=self.schedule).order_by("number")

    def get(self, request, pk):
        return self.page(
            BellScheduleForm(instance=self.schedule), BellFormSet(queryset=self.bells())
        )

    def post(self, request, pk):
        return self.save(
            BellScheduleForm(request.POST, instance=self.schedule),
            BellFormSet(request.POST, queryset=self.bells()),
        )
