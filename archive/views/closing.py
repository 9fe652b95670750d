"""The year-end checklist and closing the year (the deputy's)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from schedule.models import SchoolYear

from ..services.closing import blocking_gaps, checklist, do_close_year
from .documents import ObjectPage, index_url


class ChecklistView(ObjectPage, View):
    permission = "archive.view_archive"
    model = SchoolYear

    def get(self, request, pk):
        return self.page(self.object)

    def page(self, year, status=200):
        items = checklist(year)
        return render(
            self.request,
            "archive/checklist.html",
            {
                "year": year,
                "items": items,
                "blocking": blocking_gaps(items),
                "control_open": any(i.gaps for i in items if i.key == "control"),
                "may_close": self.request.user.has_perm("archive.manage_archive", year.school)
                and year.closed_at is None,
            },
            status=status,
        )


class CloseYearView(ObjectPage, View):
    permission = "archive.manage_archive"
    model = SchoolYear

    def post(self, request, pk):
        if request.POST.get("confirm") != "yes":
            messages.error(
                request, _("Подтвердите закрытие года: после него журнал только для чтения.")
            )
            return ChecklistView.page(self, self.object, status=400)
        try:
            year = do_close_year(
                self.object, request.user, acknowledged=request.POST.get("acknowledge") == "yes"
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return ChecklistView.page(self, self.object, status=400)
        messages.success(
            request,
            _("Учебный год %(year)s закрыт: журнал только для чтения, архив собирается.")
            % {"year": year.name},
        )
        return redirect(index_url(request.school, year))
