"""Parents' digests and notices, the digest schedule, and the printed weekly class report."""

from datetime import timedelta

from django.contrib import messages as flash
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse
from accounts.rules import LEADERSHIP
from lib.dates import parse_week
from lib.forms import ModelForm
from schedule.models import SchoolClass

from .models import DigestDelivery, DigestSettings, FinalMarkNotice
from .services import digest, notices, weekly


class NoticeListView(SchoolPermissionMixin, View):
    """A parent's weekly digests and final-mark notices, newest first."""

    permission = "reports.view_notices"

    def get(self, request):
        digests = list(
            DigestDelivery.objects.filter(
                parent=request.user, state=DigestDelivery.State.SENT
            ).order_by("-week")[:30]
        )
        marks = list(
            FinalMarkNotice.objects.filter(parent=request.user)
            .select_related("final_mark__course__subject", "final_mark__period", "pupil")
            .order_by("-created_at")[:50]
        )
        for notice in marks:
            notice.text = notices.describe(notice.final_mark)
        unread = [n.pk for n in marks if n.read_at is None]
        if unread:
            FinalMarkNotice.objects.filter(pk__in=unread).update(read_at=timezone.now())
        return render(
            request,
            "reports/notices.html",
            {"digests": digests, "marks": marks, "unread": set(unread)},
        )


class DigestView(SchoolPermissionMixin, View):
    """One digest as the parent received it. Another parent's digest answers 404."""

    permission = "reports.view_digest"
    hide_forbidden = True

    def get_permission_object(self):
        self.delivery = get_object_or_404(DigestDelivery, pk=self.kwargs["pk"])
        return self.delivery

    def get(self, request, pk):
        delivery = self.delivery
        if delivery.read_at is None and delivery.state == DigestDelivery.State.SENT:
            DigestDelivery.objects.filter(pk=delivery.pk).update(read_at=timezone.now())
        return render(
            request,
            "reports/digest.html",
            {
                "delivery": delivery,
                "content": delivery.content,
                "subject": digest.subject_line(delivery),
            },
        )


class DigestSettingsForm(ModelForm):
    class Meta:
        model = DigestSettings
        fields = ["enabled", "weekday", "hour"]


class DigestSettingsView(SchoolPermissionMixin, View):
    permission = "reports.manage_digest"

    def page(self, form, status=200):
        weeks = (
            DigestDelivery.objects.values("week", "state")
            .annotate(n=Count("pk"))
            .order_by("-week", "state")[:24]
        )
        summary: dict = {}
        for row in weeks:
            summary.setdefault(row["week"], {})[row["state"]] = row["n"]
        return render(
            self.request,
            "reports/digest_settings.html",
            {
                "form": form,
                "weeks": sorted(summary.items(), reverse=True),
                "states": DigestDelivery.State,
            },
            status=status,
        )

    def instance(self):
        return DigestSettings.objects.filter(school=self.request.school).first() or (
            DigestSettings(school=self.request.school)
        )

    def get(self, request):
        return self.page(DigestSettingsForm(instance=self.instance()))

    def post(self, request):
        form = DigestSettingsForm(request.POST, instance=self.instance())
        if form.is_valid():
            form.save()
            flash.success(request, _("Расписание сводки сохранено."))
            return HttpResponseRedirect(school_reverse(request.school, "reports:digest_settings"))
        return self.page(form, status=400)


def printable_classes(request):
    today = timezone.localdate()
    classes = SchoolClass.objects.filter(year__start__lte=today, year__end__gte=today).order_by(
        "grade", "letter"
    )
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
            monday = digest.digest_week(timezone.localdate())
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
        if request.GET.get("html"):
            return HttpResponse(weekly.render_html(request.school, self.school_class, monday))
        pdf = weekly.render_pdf(request.school, self.school_class, monday)
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"week-{self.school_class.grade}-{monday.isoformat()}.pdf"
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response
