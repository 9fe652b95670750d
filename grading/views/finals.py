"""Final marks of a course: the overview, setting a column, retakes, and the school's rules."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse
from accounts.once import SubmitOnceMixin
from accounts.rules import is_leadership
from lib.forms import ReasonForm
from schedule.models import Course

from ..forms_finals import RetakeForm
from ..models import Assessment, FinalMark, Retake
from ..policy import final_verdict
from ..rules_finals import leads_course_class
from ..services import final_corrections
from ..services import finals as service


class CourseMixin(SchoolPermissionMixin):
    def get_permission_object(self):
        self.course = get_object_or_404(
            Course.objects.select_related("school_class", "subject", "subgroup", "year", "school"),
            pk=self.kwargs["pk"],
        )
        return self.course

    def finals_url(self):
        return school_reverse(self.request.school, "grading:finals", pk=self.course.pk)


class FinalMarksView(CourseMixin, View):
    """Pupils × final columns (periods, year, exams), read by the course's readers."""

    permission = "grading.view_final_marks"

    def get(self, request, pk):
        course = self.course
        pupils = service.course_pupils(course)
        marks = service.final_marks(course)
        periods = service.course_periods(course)
        columns = service.course_columns(course, marks, periods)
        index = {(m.pupil_id, m.kind, m.period_id): m for m in marks}
        today = course.school.today()
        rows = [
            {
                "pupil": pupil,
                "cells": [
                    index.get((pupil.pk, c.kind, c.period.pk if c.period else None))
                    for c in columns
                ],
            }
            for pupil in pupils
        ]
        can_set = request.user.has_perm("grading.set_final_marks", course)
        return render(
            request,
            "grading/finals.html",
            {
                "course": course,
                "columns": [
                    {"column": c, "locked": c.locked(today), "query": c.query()} for c in columns
                ],
                "rows": rows,
                "can_set": can_set,
                # A failed mark of a session: the curator or the leadership file the
                # student's application for a retake (grading.services.retake_flow).
                "may_apply": is_leadership(request.user, request.school)
                or leads_course_class(request.user, course),
                "session_kinds": Assessment.FORMS,
                "addable": service.addable_columns(course, columns, periods) if can_set else [],
                "regulation": course.school.regulation,
            },
        )


class FinalMarksEditView(CourseMixin, View):
    """Set one column: proposals from the weighted average, «н/а» flags, confirmations."""

    permission = "grading.set_final_marks"

    def column(self):
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        return service.column_for(
            self.course, source.get("kind", FinalMark.Kind.PERIOD), source.get("period")
        )

    def page(self, column, entries=None, errors=None, status=200, general=None, reason=""):
        course = self.course
        rows = service.proposals(course, column)
        locked = column.locked(course.school.today())
        pending = {}
        if locked:
            for item in final_corrections.pending_for_column(course, column):
                pending[item.pupil_id] = item
        values = service.allowed_values(course, column.kind)
        labels = dict(FinalMark.Value.choices)
        entries = entries or {}
        errors = errors or {}
        table = []
        for row in rows:
            chosen, confirmed = entries.get(
                row.pupil.pk,
                (
                    row.current.value if row.current else (row.proposed or ""),
                    bool(row.current and row.current.confirmed_few_marks),
                ),
            )
            table.append(
                {
                    "p": row,
                    "chosen": chosen,
                    "confirmed": confirmed,
                    "error": errors.get(row.pupil.pk),
                    "pending": pending.get(row.pupil.pk),
                }
            )
        return render(
            self.request,
            "grading/final_edit.html",
            {
                "course": course,
                "column": column,
                "locked": locked,
                "reason": reason,
                "table": table,
                "choices": [(v, labels[v]) for v in values],
                "regulation": course.school.regulation,
                "general": general,
                "is_period": column.kind == FinalMark.Kind.PERIOD,
                "is_year": column.kind == FinalMark.Kind.YEAR,
            },
            status=status,
        )

    def get(self, request, pk):
        try:
            column = self.column()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(self.finals_url())
        return self.page(column)

    def post(self, request, pk):
        try:
            column = self.column()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(self.finals_url())
        entries = {}
        for key, value in request.POST.items():
            if key.startswith("value_") and key[6:].isdigit():
                pupil_id = int(key[6:])
                entries[pupil_id] = (value, request.POST.get(f"confirm_{pupil_id}") == "on")
        verdict = final_verdict(request.user, self.course, column)
        if verdict.refused:
            return self.page(column, entries, status=400, general=verdict.reason)
        if verdict.needs_correction:
            return self.request_corrections(column, entries)
        try:
            errors = service.set_final_marks(self.course, column, entries, user=request.user)
        except ValidationError as exc:
            return self.page(column, entries, status=400, general=" ".join(exc.messages))
        if errors:
            return self.page(
                column,
                entries,
                errors,
                status=400,
                general=_("Отметки не сохранены: исправьте строки, отмеченные ниже."),
            )
        messages.success(request, _("Итоговые отметки сохранены."))
        return redirect(self.finals_url())

    def request_corrections(self, column, entries):
        """After the deadline: the changed rows go to the deputy with the teacher's reason."""
        request = self.request
        reason, refused = ReasonForm.read(request.POST)
        if refused:
            return self.page(column, entries, status=400, general=refused)
        try:
            errors, made = final_corrections.request_corrections(
                self.course, column, entries, reason=reason, user=request.user
            )
        except ValidationError as exc:
            return self.page(column, entries, status=400, general=" ".join(exc.messages))
        if errors:
            return self.page(
                column,
                entries,
                errors,
                status=400,
                general=_("Исправления не отправлены: исправьте строки, отмеченные ниже."),
                reason=reason,
            )
        if made:
            messages.info(
                request,
                _("Исправлений отправлено на согласование заместителю директора: %(n)s.")
                % {"n": len(made)},
            )
        else:
            messages.info(request, _("Изменений нет."))
        return redirect(self.finals_url())


class RetakeView(SchoolPermissionMixin, SubmitOnceMixin, View):
    """Record a retake (with its protocol) of a failing final mark."""

    permission = "grading.record_retake"

    def get_permission_object(self):
        self.mark = get_object_or_404(
            FinalMark.objects.select_related(
                "pupil", "period", "course__school_class", "course__subject", "course__school"
            ).prefetch_related(
                Prefetch(
                    "retakes",
                    queryset=Retake.objects.prefetch_related("commission").order_by("attempt"),
                )
            ),
            pk=self.kwargs["pk"],
        )
        return self.mark.course

    def form(self, data=None):
        return RetakeForm(
            data,
            staff=service.staff_candidates(self.request.school),
            values=service.allowed_values(self.mark.course, self.mark.kind),
        )

    def page(self, form, status=200):
        return render(
            self.request,
            "grading/final_retake.html",
            {"mark": self.mark, "course": self.mark.course, "form": form},
            status=status,
        )

    def get(self, request, pk):
        return self.page(self.form())

    def post(self, request, pk):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.page(form, status=400)
        try:
            service.record_retake(self.mark, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.page(form, status=400)
        messages.success(request, _("Пересдача записана."))
        return redirect(school_reverse(request.school, "grading:finals", pk=self.mark.course_id))
