"""Loading classes and pupils from a file: upload → preview with errors → confirm."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.access_log import Action, record
from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse
from accounts.once import SubmitOnceMixin

from ..forms import ImportForm
from ..models import ImportBatch
from ..services import imports


class ImportUploadView(SchoolPermissionMixin, View):
    permission = "schedule.import_people"
    template_name = "schedule/import_upload.html"

    def page(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "columns": imports.COLUMNS, "kinds": ImportBatch.Kind.choices},
            status=status,
        )

    def get(self, request):
        return self.page(
            ImportForm(school=request.school, initial={"kind": request.GET.get("kind", "pupils")})
        )

    def post(self, request):
        form = ImportForm(request.POST, request.FILES, school=request.school)
        if not form.is_valid():
            return self.page(form, status=400)
        upload = form.cleaned_data["file"]
        try:
            batch = imports.create_batch(
                school=request.school,
                user=request.user,
                kind=form.cleaned_data["kind"],
                year=form.cleaned_data["year"],
                filename=upload.name,
                raw=upload.read(),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
            return self.page(form, status=400)
        return redirect(school_reverse(request.school, "schedule:import_preview", pk=batch.pk))


class ImportPreviewView(SchoolPermissionMixin, SubmitOnceMixin, View):
    """The rows as read, each with its errors; confirming saves all, or only the good ones."""

    permission = "schedule.import_people"
    template_name = "schedule/import_preview.html"

    def get_permission_object(self):
        # Each user confirms their own upload; another's is not found.
        self.batch = get_object_or_404(
            ImportBatch.objects.select_related("year", "school"),
            pk=self.kwargs["pk"],
            created_by=self.request.user,
        )
        return self.batch

    def page(self, results, status=200):
        columns = [
            c for c in imports.COLUMNS[self.batch.kind] if any(c.key in r.values for r in results)
        ]
        bad = sum(1 for r in results if r.errors)
        return render(
            self.request,
            self.template_name,
            {
                "batch": self.batch,
                "columns": columns,
                "rows": [(r, [r.values.get(c.key, "") for c in columns]) for r in results],
                "bad": bad,
                "good": len(results) - bad,
            },
            status=status,
        )

    def get(self, request, pk):
        results = imports.check_batch(self.batch)
        if self.batch.kind == ImportBatch.Kind.PUPILS:
            what = _("Загрузка обучающихся: просмотр строк файла «%(name)s»")
            record(request, Action.VIEW, what % {"name": self.batch.filename}, records=len(results))
        return self.page(results)

    def post(self, request, pk):
        only_valid = request.POST.get("mode") == "valid_only"
        try:
            saved, bad = imports.save_batch(self.batch, only_valid=only_valid)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return self.page(imports.check_batch(self.batch), status=400)
        if self.batch.kind == ImportBatch.Kind.PUPILS:
            what = _("Загрузка обучающихся из файла «%(name)s»")
            record(request, Action.CHANGE, what % {"name": self.batch.filename}, records=saved)
        messages.success(request, _("Сохранено строк: %(n)s.") % {"n": saved})
        if bad:
            messages.warning(
                request,
                _("Не сохранены строки: %(lines)s — исправьте их и загрузите отдельно.")
                % {"lines": ", ".join(str(r.line) for r in bad)},
            )
        url = school_reverse(request.school, "schedule:classes")
        return redirect(f"{url}?year={self.batch.year_id}")


class ImportSampleView(SchoolPermissionMixin, View):
    """A sample CSV with the expected columns, to fill in Excel."""

    permission = "schedule.import_people"

    def get(self, request):
        kind = request.GET.get("kind", "")
        if kind not in ImportBatch.Kind.values:
            raise Http404
        response = HttpResponse(imports.sample_csv(kind), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="obrazec-{kind}.csv"'
        return response
