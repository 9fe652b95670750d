"""The calendar-thematic plan (КТП): a course's topics, import, plan versus fact, lists."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse
from accounts.once import SubmitOnceMixin
from lib.paging import page_of
from schedule.models import Course
from schedule.services.years import chosen_year

from ..forms import PlanImportConfirmForm, PlanImportForm, PlanTopicForm
from ..models import PlanTopic
from ..services.plan.fact import plan_fact
from ..services.plan.imports import parse_plan_file
from ..services.plan.lessons import fill_topics_from_plan
from ..services.plan.statuses import (
    courses_taught_by,
    plan_courses,
    plan_statuses,
    statuses_of,
)
from ..services.plan.topics import (
    add_topic,
    delete_topic,
    hours_check,
    import_topics,
    move_topic,
    update_topic,
    used_counts,
)


def course_queryset():
    return Course.objects.select_related("school_class", "subject", "subgroup", "year")


class CourseMixin(SchoolPermissionMixin):
    """Pages about one course (object: Course, found by `pk`)."""

    def get_permission_object(self):
        self.course = get_object_or_404(course_queryset(), pk=self.kwargs["pk"])
        return self.course

    def plan_url(self):
        return school_reverse(self.request.school, "journal:plan", pk=self.course.pk)


class TopicMixin(SchoolPermissionMixin):
    """Actions on one plan topic; the permission is checked on its course."""

    permission = "journal.edit_plan"

    def get_permission_object(self):
        self.topic = get_object_or_404(
            PlanTopic.objects.select_related("course__school_class"), pk=self.kwargs["pk"]
        )
        self.course = self.topic.course
        return self.course

    def plan_url(self):
        return school_reverse(self.request.school, "journal:plan", pk=self.course.pk)


def plan_page(request, course, form=None, status=200):
    """The plan of a course, with the add form for its teachers."""
    topics = list(PlanTopic.objects.filter(course=course).order_by("position", "pk"))
    used = used_counts(course)
    can_edit = request.user.has_perm("journal.edit_plan", course)
    rows = [
        {"number": i, "topic": t, "used": used[t.pk], "kind": t.get_kind_display()}
        for i, t in enumerate(topics, start=1)
    ]
    deadline = course.school.regulation.plan_deadline(course.year.start)
    return render(
        request,
        "journal/plan.html",
        {
            "course": course,
            "rows": rows,
            "hours": hours_check(course, topics),
            "deadline": deadline,
            "deadline_passed": course.school.today() > deadline,
            "can_edit": can_edit,
            "form": form or (PlanTopicForm() if can_edit else None),
        },
        status=status,
    )


class PlanView(CourseMixin, View):
    permission = "journal.view_plan"

    def get(self, request, pk):
        return plan_page(request, self.course)


class PlanTopicAddView(CourseMixin, SubmitOnceMixin, View):
    permission = "journal.edit_plan"

    def after_duplicate_url(self):
        return self.plan_url()

    def post(self, request, pk):
        form = PlanTopicForm(request.POST)
        if not form.is_valid():
            return plan_page(request, self.course, form, status=400)
        add_topic(self.course, user=request.user, **form.cleaned_data)
        return redirect(self.plan_url())


class PlanTopicEditView(TopicMixin, View):
    def page(self, form, status=200):
        return render(
            self.request,
            "journal/plan_topic_form.html",
            {"course": self.course, "topic": self.topic, "form": form},
            status=status,
        )

    def get(self, request, pk):
        initial = {"title": self.topic.title, "hours": self.topic.hours, "kind": self.topic.kind}
        return self.page(PlanTopicForm(initial=initial))

    def post(self, request, pk):
        form = PlanTopicForm(request.POST)
        if not form.is_valid():
            return self.page(form, status=400)
        update_topic(self.topic, user=request.user, **form.cleaned_data)
        messages.success(request, _("Тема изменена."))
        return redirect(self.plan_url())


class PlanTopicMoveView(TopicMixin, View):
    def post(self, request, pk):
        direction = "up" if request.POST.get("direction") == "up" else "down"
        try:
            move_topic(self.topic, direction, request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(self.plan_url())


class PlanTopicDeleteView(TopicMixin, View):
    def post(self, request, pk):
        try:
            delete_topic(self.topic, request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Тема удалена."))
        return redirect(self.plan_url())


class PlanImportView(CourseMixin, SubmitOnceMixin, View):
    """Upload a file → preview with per-row errors → confirm. Nothing is saved before that."""

    permission = "journal.edit_plan"
    template_name = "journal/plan_import.html"

    def page(self, status=200, **context):
        return render(
            self.request, self.template_name, {"course": self.course, **context}, status=status
        )

    def get(self, request, pk):
        return self.page(form=PlanImportForm())

    def post(self, request, pk):
        if "rows" in request.POST:
            return self.confirm(request)
        form = PlanImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(form=form, status=400)
        parsed = parse_plan_file(form.cleaned_data["file"])
        replace = form.cleaned_data["replace"]
        confirm = None
        if parsed.ok:
            rows = [{k: r[k] for k in ("title", "hours", "kind")} for r in parsed.rows]
            confirm = PlanImportConfirmForm(
                initial={"rows": json.dumps(rows, ensure_ascii=False), "replace": replace}
            )
        kinds = dict(PlanTopic._meta.get_field("kind").choices)
        for row in parsed.rows:
            row["kind_label"] = kinds.get(row["kind"], "")
            row["problems"] = parsed.problems.get(row["line"], [])
        return self.page(
            status=200 if parsed.ok else 400,
            form=PlanImportForm(),
            parsed=parsed,
            file_errors=[m for line, m in parsed.errors if line is None],
            hours=sum(r["hours"] for r in parsed.rows),
            confirm=confirm,
            replace=replace,
        )

    def confirm(self, request):
        form = PlanImportConfirmForm(request.POST)
        if not form.is_valid():
            return self.page(form=PlanImportForm(), confirm_errors=form.errors, status=400)
        try:
            count = import_topics(
                self.course,
                form.cleaned_data["rows"],
                replace=form.cleaned_data["replace"],
                user=request.user,
            )
        except ValidationError as exc:
            return self.page(form=PlanImportForm(), confirm_errors=exc.messages, status=400)
        messages.success(request, _("Загружено тем: %(n)s.") % {"n": count})
        return redirect(self.plan_url())


class PlanFillView(CourseMixin, View):
    """Give the held lessons without a topic the plan's topics, in order."""

    permission = "journal.edit_plan"

    def post(self, request, pk):
        count = fill_topics_from_plan(self.course, until=request.school.today(), user=request.user)
        if count:
            messages.success(request, _("Темы по КТП записаны уроков: %(n)s.") % {"n": count})
        else:
            messages.info(request, _("Нет проведённых уроков без темы, или КТП закончился."))
        return redirect(school_reverse(request.school, "journal:plan_fact", pk=pk))


class PlanFactView(CourseMixin, View):
    permission = "journal.view_plan"

    def get(self, request, pk):
        return render(
            request,
            "journal/plan_fact.html",
            {
                "course": self.course,
                "fact": plan_fact(self.course),
                "can_edit": request.user.has_perm("journal.edit_plan", self.course),
            },
        )


class YearMixin:
    def chosen_year(self):
        year, years = chosen_year(self.request)
        return years[::-1], year


PLANS_PER_PAGE = 50  # a school has some 600 courses a year


class PlanListView(YearMixin, SchoolPermissionMixin, View):
    """Plans of the teacher's own courses; the leadership sees every course of the year."""

    permission = "journal.view_plans"

    def get(self, request):
        years, year = self.chosen_year()
        school_wide = request.user.has_perm("accounts.view_school_wide", request.school)
        courses = Course.objects.all()
        if not school_wide:
            courses = courses_taught_by(request.user, request.school)
        page = page_of(request, plan_courses(courses, year) if year else [], PLANS_PER_PAGE)
        statuses = statuses_of(page.object_list, year, request.school) if year else []
        return render(
            request,
            "journal/plans.html",
            {
                "years": years,
                "year": year,
                "statuses": statuses,
                "page": page,
                "deadline": request.school.regulation.plan_deadline(year.start) if year else None,
                "school_wide": school_wide,
                "report": False,
            },
        )


class PlanReportView(YearMixin, SchoolPermissionMixin, View):
    """«Курсы без КТП»: courses with no plan, or a plan entered after the deadline."""

    permission = "journal.view_plan_report"

    def get(self, request):
        years, year = self.chosen_year()
        statuses = plan_statuses(Course.objects.all(), year, request.school) if year else []
        return render(
            request,
            "journal/plans.html",
            {
                "years": years,
                "year": year,
                "statuses": [s for s in statuses if s.needs_attention],
                "total": len(statuses),
                "deadline": request.school.regulation.plan_deadline(year.start) if year else None,
                "school_wide": True,
                "report": True,
            },
        )
