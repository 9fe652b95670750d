"""Subjects, courses with their teachers and curriculum hours, and a teacher's «Мои курсы»."""

from collections import OrderedDict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse
from accounts.once import SubmitOnceMixin
from lib.paging import page_of

from ..forms import CourseForm, SubjectForm
from ..models import Course, CourseTeacher, SchoolClass, SchoolYear, Subject
from ..services import people
from ..services.years import chosen_year
from .classes import courses_of, form_errors


class SubjectListView(SchoolPermissionMixin, View):
    permission = "schedule.view_subjects"

    def get(self, request):
        can_manage = request.user.has_perm("schedule.manage_subjects", request.school)
        return render(
            request,
            "schedule/subject_list.html",
            {
                "subjects": Subject.objects.all(),
                "can_manage": can_manage,
                "form": SubjectForm(school=request.school) if can_manage else None,
            },
        )


class SubjectCreateView(SchoolPermissionMixin, SubmitOnceMixin, View):
    permission = "schedule.manage_subjects"
    template_name = "schedule/subject_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": SubjectForm(school=request.school)})

    def post(self, request):
        form = SubjectForm(request.POST, school=request.school)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        form.instance.school = request.school
        form.save()
        messages.success(request, _("Предмет добавлен."))
        return redirect(school_reverse(request.school, "schedule:subjects"))


class SubjectEditView(SchoolPermissionMixin, View):
    permission = "schedule.manage_subjects"
    template_name = "schedule/subject_form.html"

    def get_permission_object(self):
        self.subject = get_object_or_404(Subject, pk=self.kwargs["pk"])
        return self.subject

    def get(self, request, pk):
        form = SubjectForm(instance=self.subject, school=request.school)
        return render(request, self.template_name, {"form": form, "subject": self.subject})

    def post(self, request, pk):
        form = SubjectForm(request.POST, instance=self.subject, school=request.school)
        if not form.is_valid():
            return render(
                request, self.template_name, {"form": form, "subject": self.subject}, status=400
            )
        form.save()
        messages.success(request, _("Предмет сохранён."))
        return redirect(school_reverse(request.school, "schedule:subjects"))


def group_by_class(courses):
    """[(class, [courses], the class's yearly hours)], in class order."""
    groups = OrderedDict()
    for course in courses:
        groups.setdefault(course.school_class, []).append(course)
    return [
        (school_class, items, people.curriculum_hours(items))
        for school_class, items in groups.items()
    ]


CLASSES_PER_PAGE = 8


class CourseListView(SchoolPermissionMixin, View):
    """The curriculum («учебный план») of a year: every class's courses, teachers and hours.

    A fixed number of queries whatever the number of classes and courses, and a page of
    CLASSES_PER_PAGE classes at a time: a school of 44 classes has some 600 courses.
    """

    permission = "schedule.view_courses"

    def get(self, request):
        year, years = chosen_year(request)
        classes = SchoolClass.objects.filter(year=year)
        class_id = request.GET.get("class", "")
        if class_id.isdigit():
            classes = classes.filter(pk=class_id)
        page = page_of(request, classes.order_by("grade", "letter", "pk"), CLASSES_PER_PAGE)
        return render(
            request,
            "schedule/course_list.html",
            {
                "year": year,
                "years": years,
                "groups": group_by_class(courses_of(list(page.object_list))),
                "page": page,
                "classes": SchoolClass.objects.filter(year=year),
                "class_id": class_id,
                "can_manage": request.user.has_perm("schedule.manage_courses", request.school),
            },
        )


class CourseFormMixin(SchoolPermissionMixin):
    permission = "schedule.manage_courses"
    template_name = "schedule/course_form.html"

    def page(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "course": getattr(self, "course", None)},
            status=status,
        )

    def save(self, form):
        if form.is_valid():
            try:
                course = people.save_course(form.instance, form.cleaned_data["teachers"])
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(
                    self.request, _("Курс «%(course)s» сохранён.") % {"course": course}
                )
                url = school_reverse(self.request.school, "schedule:courses")
                return redirect(f"{url}?year={course.year_id}&class={course.school_class_id}")
        return self.page(form, status=400)


class CourseCreateView(CourseFormMixin, SubmitOnceMixin, View):
    def year(self):
        wanted = self.request.GET.get("year", "")
        return (
            SchoolYear.objects.filter(pk=wanted).first() if wanted.isdigit() else None
        ) or SchoolYear.objects.current(self.request.school.today())

    def get(self, request):
        initial = {}
        class_id = request.GET.get("class", "")
        if class_id.isdigit():
            initial["school_class"] = class_id
        return self.page(CourseForm(school=request.school, year=self.year(), initial=initial))

    def post(self, request):
        form = CourseForm(request.POST, school=request.school, year=None)
        form.instance.school = request.school
        return self.save(form)


class CourseObjectMixin(CourseFormMixin):
    def get_permission_object(self):
        self.course = get_object_or_404(
            Course.objects.select_related("school_class", "subject", "subgroup"),
            pk=self.kwargs["pk"],
        )
        return self.course


class CourseEditView(CourseObjectMixin, View):
    def form(self, data=None):
        return CourseForm(
            data, instance=self.course, school=self.request.school, year=self.course.year
        )

    def get(self, request, pk):
        return self.page(self.form())

    def post(self, request, pk):
        return self.save(self.form(request.POST))


class CourseDeleteView(CourseObjectMixin, View):
    def post(self, request, pk):
        url = school_reverse(request.school, "schedule:courses")
        try:
            people.delete_course(self.course)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(school_reverse(request.school, "schedule:course_edit", pk=pk))
        messages.success(request, _("Курс удалён."))
        return redirect(f"{url}?year={self.course.year_id}")


class MyCoursesView(SchoolPermissionMixin, View):
    """A teacher's courses this year, with their co-teachers and hours."""

    permission = "schedule.view_my_courses"

    def get(self, request):
        year, years = chosen_year(request)
        mine = CourseTeacher.objects.filter(teacher=request.user).values("course_id")
        courses = (
            Course.objects.filter(year=year, pk__in=mine)
            .select_related("subject", "subgroup", "school_class")
            .prefetch_related(
                Prefetch(
                    "course_teachers",
                    queryset=CourseTeacher.objects.select_related("teacher"),
                )
            )
            .order_by("school_class__grade", "school_class__letter", "subject__name")
        )
        return render(
            request,
            "schedule/my_courses.html",
            {"courses": courses, "year": year, "years": years},
        )
