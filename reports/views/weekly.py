"""The printed weekly report of a class: the classes one may print, and the PDF."""

from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.access_log import Action, record
from accounts.mixins import SchoolPermissionMixin
from accounts.rules import LEADERSHIP
from lib.dates import parse_week
from schedule.models import SchoolClass, held_on

from ..services import digest, weekly


def printable_classes(request):
    today = request.school.today()
    classes = SchoolClass.objects.filter(held_on(today, "year__")).order_by("grade", "letter")
    if request.school_roles & set(LEADERSHIP):
        return classes
    return classes.filter(class_teacher=request.user)


class WeeklyClassesView(SchoolPermissionMixin, View):
    """The classes the user may print, with the week to print (last week by default)."""

    permission = "reports.print_weekly"

    def get(self, request):
        try:
            monday = parse_week(request.GET.get("week"), request.school.today())
        except ValueError:
            monday = None
        if monday is None:
            return render(
                request,
                "reports/weekly.html",
                {"error": _("Неверная дата недели."), "classes": []},
                status=400,
            )
        if not request.GET.get("week"):
            monday = digest.digest_week(request.school.today())
        return render(
            request,
            "reports/weekly.html",
            {
                "classes": printable_classes(request),
                "monday": monday,
                "sunday": monday + timedelta(days=6),
                "previous": (monday - timedelta(days=7)).isoformat(),
                "next": (monday + timedelta(days=7)).isoformat(),
            },
        )


class WeeklyPdfView(SchoolPermissionMixin, View):
    """The whole class, a page per pupil, as one PDF (?html=1 shows the page it is made of)."""

    permission = "reports.print_class_weekly"

    def get_permission_object(self):
        self.school_class = get_object_or_404(
            SchoolClass.objects.select_related("school"), pk=self.kwargs["pk"]
        )
        return self.school_class

    def get(self, request, pk):
        try:
            monday = parse_week(request.GET.get("week"), request.school.today())
        except ValueError:
            return HttpResponse(_("Неверная дата недели."), status=400)
        what = _("Недельный отчёт класса %(name)s (все обучающиеся) за неделю с %(monday)s")
        what %= {"name": self.school_class.name, "monday": monday.strftime("%d.%m.%Y")}
        record(request, Action.EXPORT, what)
        paper = request.GET.get("paper") == "1"
        if request.GET.get("html"):
            return HttpResponse(
                weekly.render_html(request.school, self.school_class, monday, paper)
            )
        pdf = weekly.render_pdf(request.school, self.school_class, monday, paper)
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"week-{self.school_class.grade}-{monday.isoformat()}.pdf"
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response
