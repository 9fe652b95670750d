"""Dated lessons: weeks for everyone, one lesson's page, substitutions, cancelling and moving,
and building the year's lessons from the timetable."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.models import TEACHING_ROLES, ParentLink, Pupil, Role
from accounts.navigation import school_reverse
from accounts.rules import LEADERSHIP
from lib.dates import parse_day, parse_week

from ..forms_timetable import (
    BuildLessonsForm,
    CancelLessonForm,
    MoveLessonForm,
    SubstituteDayForm,
    SubstituteForm,
)
from ..models import Lesson, PracticePeriod, Room, SchoolClass
from ..services.lessons import (
    assign_substitute,
    cancel_lesson,
    materialise,
    move_lesson,
    pupil_week,
    restore_lesson,
    substitute_day,
    teacher_lessons_on,
    teacher_week,
)
from ..services.people import teachers_of
from ..services.timetable.labels import course_label
from ..services.timetable.weeks import week_days, week_lessons, week_navigation


def week_page(request, *, title, lessons, monday, viewer_teacher=None, link_lessons=True, **extra):
    return render(
        request,
        "schedule/timetable_week.html",
        {
            "title": title,
            "days": week_days(monday, lessons, request.school.today()),
            "nav": week_navigation(monday, request.school.today()),
            "viewer_teacher": viewer_teacher,
            "link_lessons": link_lessons,
            **extra,
        },
    )


class MyTimetableView(SchoolPermissionMixin, View):
    """Everyone's own week: a teacher's lessons (with substitutions), a pupil's class with
    their subgroups, a parent's chosen child's. The leadership get the school's timetables."""

    permission = "schedule.view_own_timetable"

    def family(self, request) -> list:
        """The pupils whose week the user may see here: themself, or their children."""
        roles = request.school_roles
        children = []
        if Role.PUPIL in roles:
            children += list(Pupil.objects.filter(user=request.user))
        if Role.PARENT in roles:
            links = ParentLink.objects.filter(parent=request.user).select_related("pupil")
            children += [link.pupil for link in links.order_by("pupil__last_name")]
        return children

    def get(self, request):
        monday = parse_week(request.GET.get("week"), request.school.today())
        roles = request.school_roles
        teaches = bool(roles & {*TEACHING_ROLES, Role.CLASS_TEACHER})
        children = self.family(request) if roles & {Role.PUPIL, Role.PARENT} else []
        wanted = request.GET.get("pupil", "")
        if teaches and not wanted:
            return week_page(
                request,
                title=_("Мои уроки"),
                lessons=teacher_week(request.user, monday),
                monday=monday,
                viewer_teacher=request.user,
                children=children,
                teaches=True,
            )
        if not children:
            if wanted:
                raise Http404
            return render(
                request,
                "schedule/timetable_week.html",
                {
                    "title": _("Моё расписание"),
                    "days": None,
                    "leadership": bool(roles & set(LEADERSHIP)),
                },
            )
        chosen = children[0]
        if wanted:
            chosen = next((c for c in children if str(c.pk) == wanted), None)
            if chosen is None:
                raise Http404
        return week_page(
            request,
            title=_("Расписание: %(name)s") % {"name": chosen.short_name},
            lessons=pupil_week(chosen, monday),
            monday=monday,
            link_lessons=False,
            children=children if len(children) > 1 or teaches else [],
            chosen=chosen,
            teaches=teaches,
        )


class ClassWeekView(SchoolPermissionMixin, View):
    permission = "schedule.view_class_timetable"

    def get_permission_object(self):
        self.school_class = get_object_or_404(SchoolClass, pk=self.kwargs["pk"])
        return self.school_class

    def get(self, request, pk):
        monday = parse_week(request.GET.get("week"), request.school.today())
        return week_page(
            request,
            title=_("Неделя %(cls)s") % {"cls": self.school_class.name},
            lessons=week_lessons(
                Lesson.objects.filter(course__school_class=self.school_class), monday
            ),
            monday=monday,
            grid_url=school_reverse(request.school, "schedule:timetable_class", pk=pk),
            practice=list(
                PracticePeriod.objects.filter(school_class=self.school_class).overlapping(
                    monday, monday + timedelta(days=6)
                )
            ),
        )


class TeacherWeekView(SchoolPermissionMixin, View):
    permission = "schedule.view_timetables"

    def get_permission_object(self):
        self.teacher = get_object_or_404(teachers_of(self.request.school), pk=self.kwargs["pk"])
        return self.request.school

    def get(self, request, pk):
        monday = parse_week(request.GET.get("week"), request.school.today())
        return week_page(
            request,
            title=_("Неделя учителя: %(name)s") % {"name": self.teacher.full_name},
            lessons=teacher_week(self.teacher, monday),
            monday=monday,
            viewer_teacher=self.teacher,
            grid_url=school_reverse(request.school, "schedule:timetable_teacher", pk=pk),
        )


class RoomWeekView(SchoolPermissionMixin, View):
    permission = "schedule.view_timetables"

    def get_permission_object(self):
        self.room = get_object_or_404(Room, pk=self.kwargs["pk"])
        return self.room

    def get(self, request, pk):
        monday = parse_week(request.GET.get("week"), request.school.today())
        return week_page(
            request,
            title=_("Неделя кабинета %(room)s") % {"room": self.room.name},
            lessons=week_lessons(Lesson.objects.filter(room=self.room), monday),
            monday=monday,
            grid_url=school_reverse(request.school, "schedule:timetable_room", pk=pk),
        )


# One lesson.


class LessonMixin(SchoolPermissionMixin):
    def get_permission_object(self):
        self.lesson = get_object_or_404(
            Lesson.objects.select_related(
                "course__school_class",
                "course__subject",
                "course__subgroup",
                "course__year",
                "room",
                "substitute",
                "held_by",
                "moved_to",
            ).prefetch_related("course__course_teachers__teacher", "moved_from"),
            pk=self.kwargs["pk"],
        )
        return self.lesson

    def page(self, status=200, **forms):
        lesson, user, school = self.lesson, self.request.user, self.request.school
        can_manage = user.has_perm("schedule.manage_lessons", lesson)
        planned = lesson.status == Lesson.Status.PLANNED
        context = {
            "lesson": lesson,
            "label": course_label(lesson.course),
            "teachers": [ct.teacher for ct in lesson.course.course_teachers.all()],
            "can_manage": can_manage,
        }
        if can_manage and planned:
            context["substitute_form"] = forms.get("substitute_form") or SubstituteForm(
                school=school, initial={"substitute": lesson.substitute_id}
            )
            context["cancel_form"] = forms.get("cancel_form") or CancelLessonForm()
            context["move_form"] = forms.get("move_form") or MoveLessonForm(
                initial={"date": lesson.date, "number": lesson.number, "room": lesson.room_id}
            )
        return render(self.request, "schedule/lesson.html", context, status=status)

    def back(self, pk=None):
        return redirect(
            school_reverse(self.request.school, "schedule:lesson", pk=pk or self.lesson.pk)
        )


class LessonView(LessonMixin, View):
    permission = "schedule.view_lesson"

    def get(self, request, pk):
        return self.page()


class LessonSubstituteView(LessonMixin, View):
    permission = "schedule.manage_lessons"

    def post(self, request, pk):
        form = SubstituteForm(request.POST, school=request.school)
        if form.is_valid():
            try:
                assign_substitute(self.lesson, form.cleaned_data["substitute"], by=request.user)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("substitute", message)
        if form.errors:
            return self.page(status=400, substitute_form=form)
        if form.cleaned_data["substitute"]:
            messages.success(request, _("Замена назначена."))
        else:
            messages.success(request, _("Замена отменена."))
        return self.back()


class LessonCancelView(LessonMixin, View):
    permission = "schedule.manage_lessons"

    def post(self, request, pk):
        form = CancelLessonForm(request.POST)
        if form.is_valid():
            try:
                cancel_lesson(self.lesson, form.cleaned_data["reason"], by=request.user)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
        if form.errors:
            return self.page(status=400, cancel_form=form)
        messages.success(request, _("Урок отменён."))
        return self.back()


class LessonRestoreView(LessonMixin, View):
    permission = "schedule.manage_lessons"

    def post(self, request, pk):
        try:
            restore_lesson(self.lesson, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return self.back()
        messages.success(request, _("Отмена урока снята."))
        return self.back()


class LessonMoveView(LessonMixin, View):
    permission = "schedule.manage_lessons"

    def post(self, request, pk):
        form = MoveLessonForm(request.POST)
        new = None
        if form.is_valid():
            data = form.cleaned_data
            try:
                new = move_lesson(
                    self.lesson,
                    data["date"],
                    data["number"],
                    data["room"],
                    data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
        if form.errors:
            return self.page(status=400, move_form=form)
        messages.success(request, _("Урок перенесён."))
        return self.back(new.pk)


# Substitutions.


class SubstitutionListView(SchoolPermissionMixin, View):
    """Substitutions, cancellations and moves of a week."""

    permission = "schedule.view_timetables"

    def get(self, request):
        monday = parse_week(request.GET.get("week"), request.school.today())
        lessons = week_lessons(
            Lesson.objects.filter(Q(substitute__isnull=False) | ~Q(status=Lesson.Status.PLANNED)),
            monday,
        )
        return render(
            request,
            "schedule/substitution_list.html",
            {
                "lessons": lessons,
                "nav": week_navigation(monday, request.school.today()),
                "can_manage": request.user.has_perm("schedule.manage_lessons", request.school),
            },
        )


class SubstituteDayView(SchoolPermissionMixin, View):
    """All lessons of an absent teacher on a day go to one substitute."""

    permission = "schedule.manage_lessons"
    template_name = "schedule/substitution_day.html"

    def page(self, form, *, teacher=None, day=None, status=200, result=None):
        lessons = list(teacher_lessons_on(teacher, day)) if teacher and day else []
        return render(
            self.request,
            self.template_name,
            {"form": form, "lessons": lessons, "result": result, "teacher": teacher, "day": day},
            status=status,
        )

    def get(self, request):
        teacher_pk = request.GET.get("teacher", "")
        teacher = (
            teachers_of(request.school).filter(pk=teacher_pk).first()
            if teacher_pk.isdigit()
            else None
        )
        day = parse_day(request.GET.get("day"), request.school.today())
        form = SubstituteDayForm(school=request.school, initial={"teacher": teacher, "day": day})
        return self.page(form, teacher=teacher, day=day)

    def post(self, request):
        form = SubstituteDayForm(request.POST, school=request.school)
        if not form.is_valid():
            return self.page(form, status=400)
        data = form.cleaned_data
        shown = {"teacher": data["teacher"], "day": data["day"]}
        result = substitute_day(data["teacher"], data["day"], data["substitute"], by=request.user)
        if not result.assigned and not result.refused:
            form.add_error(
                None,
                _("У учителя %(name)s нет уроков %(day)s.")
                % {"name": data["teacher"].short_name, "day": data["day"].strftime("%d.%m.%Y")},
            )
            return self.page(form, status=400, **shown)
        if result.assigned:
            messages.success(
                request,
                _("Замена назначена на уроков: %(n)s.") % {"n": len(result.assigned)},
            )
        status = 400 if result.refused else 200
        return self.page(form, status=status, result=result, **shown)


# Building the year's lessons from the timetable.


class BuildLessonsView(SchoolPermissionMixin, View):
    permission = "schedule.manage_lessons"
    template_name = "schedule/lesson_build.html"

    def get(self, request):
        return render(
            request, self.template_name, {"form": BuildLessonsForm(school=request.school)}
        )

    def post(self, request):
        form = BuildLessonsForm(request.POST, school=request.school)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        year = form.cleaned_data["year"]
        result = materialise(year, since=form.cleaned_data["since"], by=request.user)
        return render(
            request,
            self.template_name,
            {"form": form, "result": result, "year": year},
        )
