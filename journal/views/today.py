"""«Мои уроки сегодня»: the teacher's lessons of a day, substitutions included."""

from datetime import timedelta

from django.shortcuts import render
from django.utils.http import urlencode
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse
from lib.dates import parse_day
from schedule.models import Lesson

from ..today_panels import panels_for


class TodayView(SchoolPermissionMixin, View):
    permission = "journal.view_today"

    def get(self, request):
        school = request.school
        today = school.today()
        day = parse_day(request.GET.get("day"), today)
        lessons = list(
            Lesson.objects.for_teacher(request.user)
            .filter(date=day)
            .select_related(
                "course__school_class", "course__subject", "course__subgroup", "substitute", "room"
            )
            .order_by("number", "pk")
        )
        base = school_reverse(school, "journal:today")
        grid = school_reverse(school, "journal:grid", pk=0)
        for lesson in lessons:
            lesson.grid_url = (
                grid.replace("/0/", f"/{lesson.course_id}/")
                + "?"
                + urlencode({"on": lesson.date.isoformat()})
                + f"#l{lesson.pk}"
            )
            lesson.is_mine_by_substitution = lesson.substitute_id == request.user.pk
        return render(
            request,
            "journal/today.html",
            {
                "day": day,
                "today": today,
                "lessons": lessons,
                "previous_url": f"{base}?day={(day - timedelta(days=1)).isoformat()}",
                "next_url": f"{base}?day={(day + timedelta(days=1)).isoformat()}",
                "today_url": base,
                "panels": panels_for(request, day, today),
            },
        )
