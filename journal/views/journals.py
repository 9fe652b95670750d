"""«Журналы»: the way to every journal the user may open (journal.services.journals)."""

from django.shortcuts import render
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from schedule.services.years import chosen_year

from ..services.journals import add_practice, journals_for


class JournalsView(SchoolPermissionMixin, View):
    permission = "journal.view_journals"

    def get(self, request):
        year, years = chosen_year(request)
        groups = journals_for(request.user, request.school, year, request.school_roles)
        add_practice(request, groups)
        wanted = request.GET.get("class", "")
        shown = [g for g in groups if str(g.school_class.pk) == wanted] or groups
        return render(
            request,
            "journal/journals.html",
            {
                "year": year,
                "years": years,
                "groups": shown,
                "classes": [g.school_class for g in groups],
                "class_id": wanted if len(shown) < len(groups) else "",
                "today": request.school.today(),
            },
        )
