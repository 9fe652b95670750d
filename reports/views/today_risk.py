"""The class teacher's notice in the app: on «Сегодня», the pupils of their classes who entered
the list of pupils at risk in the last week (reports.services.risk keeps the entries; the
e-mail goes once, this stays while it is news). One query; nothing for anyone else."""

from datetime import timedelta

from django.template.loader import render_to_string

from accounts.models import Role
from accounts.navigation import school_reverse

from ..models import RiskEntry

NEWS_DAYS = 7


def risk_panel(request, day, today) -> str:
    school = getattr(request, "school", None)
    if school is None or Role.CLASS_TEACHER not in getattr(request, "school_roles", ()):
        return ""
    rows = list(
        RiskEntry.objects.filter(
            school=school,
            school_class__class_teacher=request.user,
            left_on__isnull=True,
            entered_on__gt=today - timedelta(days=NEWS_DAYS),
        )
        .select_related("pupil", "school_class")
        .order_by("-entered_on", "pupil__last_name", "pk")[:50]
    )
    if not rows:
        return ""
    return render_to_string(
        "reports/today_risk.html",
        {"rows": rows, "url": school_reverse(school, "reports:risk")},
        request=request,
    )
