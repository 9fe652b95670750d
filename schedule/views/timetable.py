"""The timetable: grids by class (edited by the deputy), by teacher and by room; its import."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse
from accounts.once import SubmitOnceMixin

from ..forms_timetable import TimetableEntryForm, TimetableImportForm
from ..models import Room, SchoolClass, SchoolYear, TimetableEntry
from ..services.people import teachers_of
from ..services.timetable.entries import delete_entry, save_entry
from ..services.timetable.grid import entry_grid
from ..services.timetable.imports import (
    IMPORT_COLUMNS,
    check_import,
    read_import,
    sample_csv,
    save_import,
)
from ..services.timetable.labels import course_label, entries_with_details
from ..services.timetable.weeks import bell_times
from ..services.years import chosen_year


def subject_label(course) -> str:
    """A course inside its class's grid: «Английский язык (группа 1)»."""
    if course.subgroup_id:
        return f"{course.subject.name} ({course.subgroup.name})"
    return course.subject.name


class TimetableView(SchoolPermissionMixin, View):
    """The deputy's start page: every class, teacher and room of a year, and the tools."""

    permission = "schedule.view_timetables"

    def get(self, request):
        year, _years = chosen_year(request)
        classes = SchoolClass.objects.filter(year=year) if year else SchoolClass.objects.none()
        return render(
            request,
            "schedule/timetable.html",
            {
                "year": year,
                "years": SchoolYear.objects.order_by("-start"),
                "classes": classes,
                "teachers": teachers_of(request.school),
                "rooms": Room.objects.order_by("name"),
                "can_edit": request.user.has_perm("schedule.edit_timetable", request.school),
                "can_manage": request.user.has_perm("schedule.manage_lessons", request.school),
            },
        )


class GridView(SchoolPermissionMixin, View):
    """Weekdays × lesson numbers of one class, teacher or room, for one year."""

    template_name = "schedule/timetable_grid.html"
    label = staticmethod(subject_label)

    def entries(self, year):
        raise NotImplementedError

    def context(self):
        return {}

    def get(self, request, pk):
        year = self.year()
        entries = entries_with_details(self.entries(year)).order_by(
            "weekday", "number", "course__subject__name", "course__subgroup__name"
        )
        context = self.context()
        grid = entry_grid(entries, year=year, label=self.label, times=context.get("times"))
        return render(request, self.template_name, {"year": year, "grid": grid, **context})

    def year(self):
        return chosen_year(self.request)[0]


class ClassTimetableView(GridView):
    permission = "schedule.view_class_timetable"

    def get_permission_object(self):
        self.school_class = get_object_or_404(
            SchoolClass.objects.select_related("year", "bell_schedule"), pk=self.kwargs["pk"]
        )
        return self.school_class

    def year(self):
        return self.school_class.year

    def entries(self, year):
        return TimetableEntry.objects.filter(course__school_class=self.school_class)

    def context(self):
        school_class = self.school_class
        times = bell_times([school_class.bell_schedule_id])
        return {
            "title": _("Расписание %(cls)s") % {"cls": school_class.name},
            "school_class": school_class,
            "times": {n: t for (_s, n), t in times.items()},
            "can_edit": self.request.user.has_perm("schedule.edit_timetable", school_class),
            "week_url": school_reverse(
                self.request.school, "schedule:week_class", pk=school_class.pk
            ),
        }


class TeacherTimetableView(GridView):
    permission = "schedule.view_timetables"
    label = staticmethod(course_label)

    def get_permission_object(self):
        self.teacher = get_object_or_404(teachers_of(self.request.school), pk=self.kwargs["pk"])
        return self.request.school

    def entries(self, year):
        return TimetableEntry.objects.filter(
            course__year=year, course__course_teachers__teacher=self.teacher
        ).distinct()

    def context(self):
        return {
            "title": _("Расписание учителя: %(name)s") % {"name": self.teacher.full_name},
            "week_url": school_reverse(
                self.request.school, "schedule:week_teacher", pk=self.teacher.pk
            ),
        }


class RoomTimetableView(GridView):
    permission = "schedule.view_timetables"
    label = staticmethod(course_label)

    def get_permission_object(self):
        self.room = get_object_or_404(Room, pk=self.kwargs["pk"])
        return self.room

    def entries(self, year):
        return TimetableEntry.objects.filter(course__year=year, room=self.room)

    def context(self):
        return {
            "title": _("Кабинет %(room)s") % {"room": self.room.name},
            "week_url": school_reverse(self.request.school, "schedule:week_room", pk=self.room.pk),
        }


# Editing a class's grid, one entry at a time.


class EntryFormMixin:
    template_name = "schedule/timetable_entry_form.html"

    def page(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "school_class": self.school_class, "entry": self.entry},
            status=status,
        )

    def save(self, form):
        try:
            save_entry(form.instance)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.page(form, status=400)
        messages.success(self.request, _("Расписание сохранено."))
        return redirect(
            school_reverse(self.request.school, "schedule:timetable_class", pk=self.school_class.pk)
        )


class EntryCreateView(EntryFormMixin, SchoolPermissionMixin, SubmitOnceMixin, View):
    permission = "schedule.edit_timetable"
    entry = None

    def get_permission_object(self):
        self.school_class = get_object_or_404(
            SchoolClass.objects.select_related("year"), pk=self.kwargs["pk"]
        )
        return self.school_class

    def get(self, request, pk):
        initial = {}
        for key in ("weekday", "number"):
            if request.GET.get(key, "").isdigit():
                initial[key] = int(request.GET[key])
        return self.page(TimetableEntryForm(initial=initial, school_class=self.school_class))

    def post(self, request, pk):
        form = TimetableEntryForm(request.POST, school_class=self.school_class)
        if not form.is_valid():
            return self.page(form, status=400)
        return self.save(form)


class EntryEditView(EntryFormMixin, SchoolPermissionMixin, View):
    permission = "schedule.edit_timetable"

    def get_permission_object(self):
        self.entry = get_object_or_404(
            TimetableEntry.objects.select_related("course__school_class"), pk=self.kwargs["pk"]
        )
        self.school_class = self.entry.course.school_class
        return self.entry

    def get(self, request, pk):
        return self.page(TimetableEntryForm(instance=self.entry, school_class=self.school_class))

    def post(self, request, pk):
        form = TimetableEntryForm(request.POST, instance=self.entry, school_class=self.school_class)
        if not form.is_valid():
            return self.page(form, status=400)
        return self.save(form)


class EntryDeleteView(SchoolPermissionMixin, View):
    permission = "schedule.edit_timetable"

    def get_permission_object(self):
        self.entry = get_object_or_404(
            TimetableEntry.objects.select_related("course__school_class"), pk=self.kwargs["pk"]
        )
        return self.entry

    def post(self, request, pk):
        class_pk = self.entry.course.school_class_id
        delete_entry(self.entry)
        messages.success(
            request,
            _("Урок убран из расписания. Уроки в журнале изменятся, когда вы пересоздадите уроки."),
        )
        return redirect(school_reverse(request.school, "schedule:timetable_class", pk=class_pk))


# Import from a file: upload → preview with errors per row → confirm.

SESSION_KEY = "timetable_import"


class ImportView(SchoolPermissionMixin, View):
    permission = "schedule.edit_timetable"

    def upload_page(self, form, status=200):
        return render(
            self.request,
            "schedule/timetable_import.html",
            {"form": form, "columns": IMPORT_COLUMNS},
            status=status,
        )

    def get(self, request):
        return self.upload_page(TimetableImportForm(school=request.school))

    def post(self, request):
        form = TimetableImportForm(request.POST, request.FILES, school=request.school)
        if not form.is_valid():
            return self.upload_page(form, status=400)
        upload = form.cleaned_data["file"]
        try:
            rows = read_import(upload.name, upload.read())
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
            return self.upload_page(form, status=400)
        # The rows wait in the session until the user confirms: no second upload.
        pending = {
            "token": uuid.uuid4().hex,
            "year": form.cleaned_data["year"].pk,
            "replace": form.cleaned_data["replace"],
            "filename": upload.name[:200],
            "rows": rows,
        }
        request.session[SESSION_KEY] = pending
        return preview(request, pending, form.cleaned_data["year"])


def preview(request, pending, year, *, status=200, error=""):
    results = check_import(request.school, year, pending["rows"], replace=pending["replace"])
    bad = sum(1 for r in results if r.errors)
    return render(
        request,
        "schedule/timetable_import_preview.html",
        {
            "pending": pending,
            "year": year,
            "columns": IMPORT_COLUMNS,
            "rows": [(r, [r.values.get(c.key, "") for c in IMPORT_COLUMNS]) for r in results],
            "good": len(results) - bad,
            "bad": bad,
            "error": error,
        },
        status=status,
    )


class ImportConfirmView(SchoolPermissionMixin, SubmitOnceMixin, View):
    permission = "schedule.edit_timetable"

    def after_duplicate_url(self):
        return school_reverse(self.request.school, "schedule:timetable")

    def post(self, request):
        pending = request.session.get(SESSION_KEY)
        if not pending or pending.get("token") != request.POST.get("token"):
            messages.error(request, _("Загрузка устарела: выберите файл ещё раз."))
            return redirect(school_reverse(request.school, "schedule:timetable_import"))
        year = get_object_or_404(SchoolYear, pk=pending["year"])
        only_good = request.POST.get("mode") == "good"
        try:
            saved = save_import(
                request.school,
                year,
                pending["rows"],
                replace=pending["replace"],
                only_good=only_good,
            )
        except ValidationError as error:
            return preview(request, pending, year, status=400, error=" ".join(error.messages))
        del request.session[SESSION_KEY]
        if saved.refused:
            messages.warning(
                request,
                _("Не сохранены строки: %(lines)s — проверьте их и загрузите отдельно.")
                % {"lines": ", ".join(map(str, saved.refused))},
            )
        messages.success(
            request,
            _(
                "Расписание загружено: добавлено записей — %(created)s, удалено прежних — "
                "%(removed)s. Чтобы уроки появились в журнале, пересоздайте уроки."
            )
            % {"created": saved.created, "removed": saved.removed},
        )
        return redirect(school_reverse(request.school, "schedule:timetable") + f"?year={year.pk}")


class ImportSampleView(SchoolPermissionMixin, View):
    permission = "schedule.edit_timetable"

    def get(self, request):
        response = HttpResponse(sample_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="timetable-sample.csv"'
        return response
