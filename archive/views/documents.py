"""The year's archive: its documents (every version), its builds with their progress, a
retry of a failed part, a new build, and a document's file."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts import access_log
from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse
from schedule.models import SchoolYear
from schedule.services.years import chosen_year

from ..models import ArchiveBuild, ArchiveDocument, ArchivePart
from ..services.build import do_retry_part, do_start_build, progress


class ObjectPage(SchoolPermissionMixin):
    """A page about one object of the school: fetched before the permission is asked (on the
    school: the rules are about roles), so another school's object answers 404 to everyone."""

    model = None
    related = ()

    def get_permission_object(self):
        queryset = self.model.objects.select_related(*self.related)
        self.object = get_object_or_404(queryset, pk=self.kwargs["pk"])
        return self.request.school


def index_url(school, year) -> str:
    return school_reverse(school, "archive:index") + f"?year={year.pk}"


class ArchiveIndexView(SchoolPermissionMixin, View):
    permission = "archive.view_archive"

    def get(self, request):
        year, years = chosen_year(request)
        documents, builds = [], []
        if year is not None:
            documents = list(
                ArchiveDocument.objects.filter(year=year)
                .select_related("school_class", "period")
                .order_by(
                    "school_class__grade",
                    "school_class__letter",
                    "kind",
                    "period__start",
                    "-version",
                )
            )
            # Each build's done / total / failed in the same query (a page costs the same
            # whatever the number of builds and parts).
            builds = list(
                ArchiveBuild.objects.filter(year=year)
                .annotate(
                    total=Count("parts"),
                    done=Count("parts", filter=Q(parts__state=ArchivePart.State.DONE)),
                    failed=Count("parts", filter=Q(parts__state=ArchivePart.State.FAILED)),
                )
                .order_by("-started_at")[:10]
            )
        newest = {}
        for d in documents:
            newest.setdefault((d.kind, d.school_class_id, d.period_id), d.pk)
        return render(
            request,
            "archive/index.html",
            {
                "year": year,
                "years": years,
                "documents": documents,
                "newest": set(newest.values()),
                "builds": builds,
                "may_manage": request.user.has_perm("archive.manage_archive", request.school),
            },
        )


class StartBuildView(ObjectPage, View):
    """A new build of a closed year's archive (its documents get new versions)."""

    permission = "archive.manage_archive"
    model = SchoolYear

    def post(self, request, pk):
        with transaction.atomic():
            year = get_object_or_404(SchoolYear.objects.select_for_update(), pk=pk)
            if year.closed_at is None:
                messages.error(request, _("Архив собирается только за закрытый учебный год."))
                return redirect(index_url(request.school, year))
            running = ArchiveBuild.objects.filter(year=year, finished_at__isnull=True).first()
            if running is not None:
                messages.info(request, _("Сборка архива этого года уже идёт."))
                return redirect(school_reverse(request.school, "archive:build", pk=running.pk))
            build = do_start_build(year, request.user)
        messages.success(request, _("Сборка архива начата."))
        return redirect(school_reverse(request.school, "archive:build", pk=build.pk))


class BuildView(ObjectPage, View):
    """A build's progress: done / total / failed, each part, a retry of a failed one."""

    permission = "archive.view_archive"
    model, related = ArchiveBuild, ("year",)

    def get(self, request, pk):
        build = self.object
        parts = list(
            ArchivePart.objects.filter(build=build).select_related("school_class", "document")
        )
        return render(
            request,
            "archive/build.html",
            {
                "build": build,
                "parts": parts,
                "counts": progress(build),
                "may_manage": request.user.has_perm("archive.manage_archive", request.school),
            },
        )


class RetryPartView(ObjectPage, View):
    permission = "archive.manage_archive"
    model = ArchivePart

    def post(self, request, pk):
        part = self.object
        if do_retry_part(part):
            messages.success(request, _("Часть архива поставлена в очередь заново."))
        else:
            messages.info(request, _("Эта часть архива не завершилась ошибкой."))
        return redirect(school_reverse(request.school, "archive:build", pk=part.build_id))


class DocumentFileView(ObjectPage, View):
    """A document's file (a journal or a ledger names the class's pupils: the read is
    recorded in the record of access to personal data)."""

    permission = "archive.view_archive"
    model, related = ArchiveDocument, ("school_class", "year", "period")

    def get(self, request, pk):
        document = self.object
        if document.destroyed_at is not None or not document.file.storage.exists(
            document.file.name
        ):
            raise Http404
        if document.school_class_id:
            access_log.record(
                request, "export", f"{document} ({document.year}), версия {document.version}"
            )
        name = document.file.name.rsplit("/", 1)[-1]
        content_type = "application/json" if name.endswith(".json") else "application/pdf"
        # Read whole (a journal is a few megabytes at most), so the record of access is
        # written when the response closes, as for every other download.
        with document.file.open("rb") as f:
            response = HttpResponse(f.read(), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
