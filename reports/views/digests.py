"""Parents' weekly digests and notices of final marks, and how the digests went out."""

from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views import View

from accounts.mixins import SchoolPermissionMixin

from ..models import DigestDelivery, FinalMarkNotice
from ..services import digest, notices


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


class DigestLogView(SchoolPermissionMixin, View):
    """How the weekly digests went out, week by week; when they go out is the regulation's."""

    permission = "reports.manage_digest"

    def get(self, request):
        weeks = (
            DigestDelivery.objects.values("week", "state")
            .annotate(n=Count("pk"))
            .order_by("-week", "state")[:24]
        )
        summary: dict = {}
        for row in weeks:
            summary.setdefault(row["week"], {})[row["state"]] = row["n"]
        return render(
            request,
            "reports/digest_log.html",
            {
                "regulation": request.school.regulation,
                "weeks": sorted(summary.items(), reverse=True),
                "states": DigestDelivery.State,
            },
        )
