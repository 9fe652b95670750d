"""The register of course works: a new record and a change of one. The register itself is
a report (reports.views.practice.CourseWorksView): per school, group or supervisor, with its
PDF and XLSX."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.models import Pupil, User
from accounts.navigation import school_reverse
from accounts.once import SubmitOnceMixin
from schedule.models import Course, CourseTeacher, Enrolment
from schedule.services.people import teachers_of
from schedule.services.years import chosen_year

from ..forms_practice import CourseWorkForm
from ..models import CourseWork
from ..rules_practice import keeps_records
from ..services.course_works import do_save_course_work


def form_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


class CourseWorkFormMixin:
    template_name = "grading/course_work_form.html"

    def choices(self, year, work=None) -> dict:
        """What the form offers this user: the leadership that keeps records any course and
        supervisor; a teacher their own courses, themselves as the supervisor."""
        request = self.request
        user = request.user
        courses = Course.objects.filter(year=year)
        if keeps_records(user, request.school):
            supervisors = teachers_of(request.school)
        else:
            taught = CourseTeacher.objects.filter(teacher=user).values("course_id")
            courses = courses.filter(pk__in=taught)
            supervisors = User.objects.filter(pk=user.pk)
        if work is not None:  # the record's own course and supervisor stay choosable
            courses = courses | Course.objects.filter(pk=work.course_id)
            supervisors = supervisors | User.objects.filter(pk=work.supervisor_id)
        classes = courses.values("school_class_id")
        pupils = Pupil.objects.filter(
            pk__in=Enrolment.objects.filter(school_class_id__in=classes).values("pupil_id")
        )
        return {
            "courses": courses.select_related("school_class", "subject").order_by(
                "school_class__grade", "school_class__letter", "subject__name"
            ),
            "pupils": pupils.order_by("last_name", "first_name", "patronymic"),
            "supervisors": supervisors.distinct().order_by("last_name", "first_name"),
        }

    def save(self, form, year, heading):
        work = form.instance
        try:
            do_save_course_work(work, by=self.request.user)
        except ValidationError as error:
            form_errors(form, error)
            return self.show(form, year, heading, status=400)
        messages.success(self.request, _("Курсовая работа сохранена в реестре."))
        base = school_reverse(self.request.school, "reports:course_works")
        return redirect(f"{base}?{urlencode({'year': work.course.year_id})}")

    def show(self, form, year, heading, status=200):
        context = {"form": form, "year": year, "heading": heading}
        return render(self.request, self.template_name, context, status=status)


class CourseWorkCreateView(CourseWorkFormMixin, SchoolPermissionMixin, SubmitOnceMixin, View):
    permission = "grading.add_course_work"

    def get(self, request):
        year, _years = chosen_year(request)
        initial = {"supervisor": request.user.pk}
        form = CourseWorkForm(initial=initial, **self.choices(year))
        return self.show(form, year, _("Новая курсовая работа"))

    def post(self, request):
        year, _years = chosen_year(request)
        form = CourseWorkForm(request.POST, **self.choices(year))
        if not form.is_valid():
            return self.show(form, year, _("Новая курсовая работа"), status=400)
        return self.save(form, year, _("Новая курсовая работа"))


class CourseWorkEditView(CourseWorkFormMixin, SchoolPermissionMixin, View):
    permission = "grading.change_course_work"

    def get_permission_object(self):
        self.work = get_object_or_404(
            CourseWork.objects.select_related("course__year", "course__school_class", "pupil"),
            pk=self.kwargs["pk"],
        )
        return self.work

    def heading(self):
        return _("Курсовая работа: %(name)s") % {"name": self.work.pupil.full_name}

    def get(self, request, pk):
        year = self.work.course.year
        form = CourseWorkForm(instance=self.work, **self.choices(year, self.work))
        return self.show(form, year, self.heading())

    def post(self, request, pk):
        year = self.work.course.year
        form = CourseWorkForm(request.POST, instance=self.work, **self.choices(year, self.work))
        if not form.is_valid():
            return self.show(form, year, self.heading(), status=400)
        return self.save(form, year, self.heading())
