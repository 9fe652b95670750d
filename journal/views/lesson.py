"""The lesson page: topic (the plan's next topic by default), type, homework and a note."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse
from accounts.once import SubmitOnceMixin
from accounts.regulation import RecordKind
from grading.policy import Rights, lesson_verdict, no_homework_reason
from grading.services.marks import work_types
from schedule.models import Lesson

from ..forms import LessonForm
from ..models import PlanTopic
from ..services import cells as cell_service
from ..services import homework as homework_service
from ..services.plan.lessons import next_topic, save_lesson_topic

KEEPS = Rights(keeps=True, leads=False)


class LessonMixin(SchoolPermissionMixin):
    """Pages about one lesson (object: Lesson, found by `pk`)."""

    def get_permission_object(self):
        self.lesson = get_object_or_404(
            Lesson.objects.select_related(
                "course__school_class",
                "course__year",
                "course__subject",
                "course__subgroup",
                "substitute",
                "held_by",
                "room",
                "record__plan_topic",
                "homework",
            ),
            pk=self.kwargs["pk"],
        )
        return self.lesson

    def lesson_url(self):
        return school_reverse(self.request.school, "journal:lesson", pk=self.lesson.pk)


def initial_for(lesson, record, homework):
    """What the form shows: the lesson's own values, or the plan's next topic for a new one."""
    initial = {"topic": lesson.topic, "kind": lesson.kind, "note": record.note if record else ""}
    proposed = None
    if record is not None and record.plan_topic_id:
        initial["plan_topic"] = record.plan_topic_id
    elif not lesson.topic:
        proposed = next_topic(lesson)
        if proposed is not None:
            initial.update(plan_topic=proposed.pk, topic=proposed.title, kind=proposed.kind)
    if homework is not None:
        initial.update(homework_text=homework.text, due_date=homework.due_date)
    else:
        initial["due_date"] = homework_service.default_due_date(lesson)
    return initial, proposed


def lesson_page(request, lesson, form=None, status=200):
    record = getattr(lesson, "record", None)
    homework = homework_service.homework_of(lesson)
    takes_homework = homework_service.takes_homework(lesson.course)
    can_edit = request.user.has_perm("journal.edit_lesson", lesson)
    next_topic = None
    if can_edit and form is None:
        initial, next_topic = initial_for(lesson, record, homework)
        form = LessonForm(
            initial=initial,
            topics=PlanTopic.objects.filter(course_id=lesson.course_id).order_by("position", "pk"),
            takes_homework=takes_homework,
            lesson=lesson,
        )
    # journal.edit_lesson is keeping the lesson: the policy needs no other grant.
    topic_verdict = (
        lesson_verdict(request.user, lesson, RecordKind.TOPIC, rights=KEEPS) if can_edit else None
    )
    attachments = list(homework_service.live_attachments(homework))
    history = school_reverse(request.school, "journal:cell_history", pk=lesson.pk, pupil_pk=0)
    cells = [
        (cell, history.replace("/pupils/0/", f"/pupils/{cell.pupil.pk}/"))
        for cell in cell_service.lesson_cells(lesson, work_types(request.school))
    ]
    return render(
        request,
        "journal/lesson.html",
        {
            "lesson": lesson,
            "course": lesson.course,
            "record": record,
            "homework": homework,
            "attachments": attachments,
            "takes_homework": takes_homework,
            "can_edit": can_edit,
            "form": form if can_edit else None,
            "next_topic": next_topic,
            "can_view_plan": request.user.has_perm("journal.view_plan", lesson.course),
            # The topic is locked: a change asks for a reason (a correction for the deputy).
            "topic_locked": topic_verdict is not None and topic_verdict.needs_correction,
            "topic_verdict": topic_verdict,
            "cells": cells,
        },
        status=status,
    )


class LessonView(LessonMixin, View):
    permission = "journal.view_lesson"

    def get(self, request, pk):
        return lesson_page(request, self.lesson)


class LessonEditView(LessonMixin, SubmitOnceMixin, View):
    permission = "journal.edit_lesson"

    def get(self, request, pk):
        return lesson_page(request, self.lesson)

    def post(self, request, pk):
        lesson = self.lesson
        takes_homework = homework_service.takes_homework(lesson.course)
        form = LessonForm(
            request.POST,
            request.FILES,
            topics=PlanTopic.objects.filter(course_id=lesson.course_id).order_by("position", "pk"),
            takes_homework=takes_homework,
            lesson=lesson,
        )
        if not takes_homework and (
            request.POST.get("homework_text", "").strip() or request.FILES.getlist("files")
        ):
            form.is_valid()
            form.add_error(None, no_homework_reason(request.school))
        if not form.is_valid():
            return lesson_page(request, lesson, form, status=400)
        data = form.cleaned_data
        try:
            with transaction.atomic():
                outcome = save_lesson_topic(
                    lesson,
                    plan_topic=data["plan_topic"],
                    topic=data["topic"],
                    kind=data["kind"],
                    note=data["note"],
                    user=request.user,
                    reason=data["reason"],
                )
                if takes_homework:
                    homework_service.save_homework(
                        lesson,
                        text=data["homework_text"],
                        due_date=data["due_date"],
                        files=data["files"],
                        user=request.user,
                    )
        except ValidationError as exc:
            form.add_error(None, exc)
            return lesson_page(request, lesson, form, status=400)
        if outcome.status == outcome.REQUESTED:
            messages.info(
                request,
                _(
                    "Тема урока закрыта: исправление отправлено на согласование заместителю "
                    "директора. Остальное сохранено."
                ),
            )
        else:
            messages.success(request, _("Урок сохранён."))
        return redirect(self.lesson_url())
