"""The teacher's shortfalls on «Сегодня» (journal.views.today), grouped by course, each a link
to the page or cell that fixes it. Two queries: the rows (with their courses, lessons and
pupils) and, when the list is cut, the count."""

from django.template.loader import render_to_string

from ..models import Shortfall
from ..services import control_counts
from ..services.control_links import Linker

SHOWN = 300  # rows listed; the rest are counted


def today_panel(request, day, today) -> str:
    school = getattr(request, "school", None)
    if school is None or not request.user.is_authenticated:
        return ""
    rows = list(
        Shortfall.objects.filter(school=school, teacher=request.user)
        .filter(Shortfall.open_filter())
        .select_related(
            "course__school_class", "course__subject", "course__subgroup", "lesson", "pupil"
        )
        .order_by(
            "course__school_class__grade",
            "course__school_class__letter",
            "course__subject__name",
            "course_id",
            "deadline",
            "pk",
        )[: SHOWN + 1]
    )
    total = len(rows)
    if total > SHOWN:
        rows = rows[:SHOWN]
        total = (
            Shortfall.objects.filter(school=school, teacher=request.user)
            .filter(Shortfall.open_filter())
            .count()
        )
    control_counts.set_count(school.pk, request.user.pk, total)
    link = Linker(school)
    groups = []
    for row in rows:
        if not groups or groups[-1]["course"].pk != row.course_id:
            groups.append({"course": row.course, "rows": []})
        row.url = link(row, row.lesson.date if row.lesson_id else None)
        groups[-1]["rows"].append(row)
    return render_to_string(
        "reports/today_shortfalls.html",
        {"groups": groups, "total": total, "shown": len(rows)},
        request=request,
    )
