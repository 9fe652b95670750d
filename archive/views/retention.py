"""Retention: documents whose time has come, the acts of destruction (drawn up by the
deputy, approved by the director — only then are files removed)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse

from ..models import ArchiveDocument, DestructionAct
from ..services.retention import do_approve_act, do_draw_up_act, due_documents
from .documents import ObjectPage


def retention_page(request, status=200):
    school = request.school
    acts = list(
        DestructionAct.objects.select_related("drawn_up_by", "approved_by").order_by("-number")
    )
    listed: dict = {}
    for document in ArchiveDocument.objects.filter(act__isnull=False).select_related(
        "year", "school_class"
    ):
        listed.setdefault(document.act_id, []).append(document)
    for act in acts:
        act.listed = listed.get(act.pk, [])
    return render(
        request,
        "archive/retention.html",
        {
            "today": school.today(),
            "due": list(due_documents(school)),
            "acts": acts,
            "may_draw_up": request.user.has_perm("archive.manage_archive", school),
            "may_approve": request.user.has_perm("archive.approve_act", school),
        },
        status=status,
    )


class RetentionView(SchoolPermissionMixin, View):
    permission = "archive.view_archive"

    def get(self, request):
        return retention_page(request)


class DrawUpActView(SchoolPermissionMixin, View):
    permission = "archive.manage_archive"

    def post(self, request):
        try:
            act = do_draw_up_act(request.school, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return retention_page(request, status=400)
        messages.success(
            request, _("Акт № %(n)s составлен: он ждёт утверждения директором.") % {"n": act.number}
        )
        return redirect(school_reverse(request.school, "archive:retention"))


class ApproveActView(ObjectPage, View):
    permission = "archive.approve_act"
    model = DestructionAct

    def post(self, request, pk):
        try:
            act = do_approve_act(self.object, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return retention_page(request, status=400)
        messages.success(
            request,
            _("Акт № %(n)s утверждён, документы уничтожены; акт хранится постоянно.")
            % {"n": act.number},
        )
        return redirect(school_reverse(request.school, "archive:retention"))
