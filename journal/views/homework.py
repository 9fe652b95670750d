"""Homework files of a lesson: download for its readers and families, removal for its teachers."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View

from ..models import HomeworkAttachment
from ..services import homework as homework_service
from .lesson import LessonMixin


class AttachmentMixin(LessonMixin):
    def get_attachment(self):
        homework = homework_service.homework_of(self.lesson)
        if homework is None:
            raise Http404
        return get_object_or_404(
            HomeworkAttachment.objects.filter(homework=homework, removed_at__isnull=True),
            pk=self.kwargs["file_pk"],
        )


class HomeworkFileView(AttachmentMixin, View):
    """Download a homework file through the storage API (local folder or object storage)."""

    permission = "journal.view_homework"

    def get(self, request, pk, file_pk):
        attachment = self.get_attachment()
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(handle, as_attachment=True, filename=attachment.name)


class HomeworkFileRemoveView(AttachmentMixin, View):
    permission = "journal.edit_lesson"

    def post(self, request, pk, file_pk):
        homework_service.remove_attachment(self.get_attachment(), request.user)
        messages.success(request, _("Файл убран из задания."))
        return redirect(self.lesson_url())
