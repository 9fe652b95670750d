"""Practice of the groups: the list, a new period and a change of one (the deputy), and one
period's page — its place, supervisors and dates, and the students' marks (the practice's
journal: the supervisor sets them)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse
from accounts.once import SubmitOnceMixin
from schedule.models import PracticePeriod, SchoolClass, SchoolClassUserObjectPermission
from schedule.services.people import teachers_of
from schedule.services.practice import do_save_practice_period
from schedule.services.years import chosen_year

from ..forms_practice import PracticeMarksForm, PracticePeriodForm
from ..services.practice import do_save_practice_marks, marks_of, practice_students
from .course_works import form_errors


def periods_for(request, year):
    """The year's practice this user may see: the leadership all of it; a supervisor theirs;
    a curator their groups' (one query, with what the list shows)."""
    periods = PracticePeriod.objects.filter(year=year).select_related(
        "school_class", "place", "supervisor"
    )
    if not request.user.has_perm("accounts.view_school_wide", request.school):
        led = SchoolClassUserObjectPermission.objects.filter(
            user=request.user, permission__codename="manage_class"
        ).values("content_object_id")
        periods = periods.filter(Q(supervisor=request.user) | Q(school_class_id__in=led))
    return periods.order_by("start", "school_class__grade", "school_class__letter")


class PracticeListView(SchoolPermissionMixin, View):
    permission = "grading.view_practice"

    def get(self, request):
        year, years = chosen_year(request)
        return render(
            request,
            "grading/practice_list.html",
            {
                "year": year,
                "years": years,
                "periods": list(periods_for(request, year)),
                "can_manage": request.user.has_perm("grading.manage_practice", request.school),
            },
        )


class PracticeFormMixin:
    template_name = "grading/practice_form.html"

    def form(self, year, data=None, instance=None):
        classes = SchoolClass.objects.filter(year=year) if year else SchoolClass.objects.none()
        return PracticePeriodForm(
            data,
            instance=instance,
            classes=classes.order_by("grade", "letter"),
            supervisors=teachers_of(self.request.school),
        )

    def show(self, form, heading, status=200):
        context = {"form": form, "heading": heading}
        return render(self.request, self.template_name, context, status=status)

    def save(self, form, heading):
        if not form.is_valid():
            return self.show(form, heading, status=400)
        try:
            result = do_save_practice_period(form.instance, form.place(), by=self.request.user)
        except ValidationError as error:
            form_errors(form, error)
            return self.show(form, heading, status=400)
        messages.success(self.request, _("Практика сохранена."))
        if result.removed:
            messages.info(
                self.request,
                _("Уроков группы снято с расписания на время практики: %(n)s.")
                % {"n": result.removed},
            )
        for conflict in result.conflicts:
            messages.warning(
                self.request,
                _("Урок оставлен, в нём уже есть записи: %(lesson)s.") % {"lesson": conflict.label},
            )
        return redirect(
            school_reverse(self.request.school, "grading:practice", pk=form.instance.pk)
        )


class PracticeCreateView(PracticeFormMixin, SchoolPermissionMixin, SubmitOnceMixin, View):
    permission = "grading.manage_practice"

    def get(self, request):
        year, _years = chosen_year(request)
        return self.show(self.form(year), _("Новая практика"))

    def post(self, request):
        year, _years = chosen_year(request)
        return self.save(self.form(year, request.POST), _("Новая практика"))


class PeriodMixin(SchoolPermissionMixin):
    def get_permission_object(self):
        self.period = get_object_or_404(
            PracticePeriod.objects.select_related(
                "school_class__year", "year", "place", "supervisor"
            ),
            pk=self.kwargs["pk"],
        )
        return self.period


class PracticeEditView(PracticeFormMixin, PeriodMixin, View):
    permission = "grading.manage_practice"

    def get_permission_object(self):
        super().get_permission_object()
        return self.request.school

    def get(self, request, pk):
        return self.show(self.form(self.period.year, instance=self.period), str(self.period))

    def post(self, request, pk):
        form = self.form(self.period.year, request.POST, instance=self.period)
        return self.save(form, str(self.period))


class PracticeView(PeriodMixin, View):
    """The practice's page: what, where, with whom; the students and their marks."""

    permission = "grading.view_practice_period"

    def form(self, data=None):
        return PracticeMarksForm(
            data, students=practice_students(self.period), marks=marks_of(self.period)
        )

    def show(self, form, status=200):
        can_mark = self.request.user.has_perm("grading.mark_practice", self.period)
        context = {
            "period": self.period,
            "form": form,
            "can_mark": can_mark,
            "can_manage": self.request.user.has_perm(
                "grading.manage_practice", self.request.school
            ),
        }
        return render(self.request, "grading/practice.html", context, status=status)

    def get(self, request, pk):
        return self.show(self.form())

    def post(self, request, pk):
        if not request.user.has_perm("grading.mark_practice", self.period):
            raise PermissionDenied
        form = self.form(request.POST)
        if not form.is_valid():
            return self.show(form, status=400)
        try:
            changed = do_save_practice_marks(self.period, form.marks(), by=request.user)
        except ValidationError as error:
            form_errors(form, error)
            return self.show(form, status=400)
        messages.success(request, _("Оценки за практику сохранены: %(n)s.") % {"n": changed})
        return redirect(school_reverse(request.school, "grading:practice", pk=self.period.pk))
