"""A course's teacher says why the course is behind its plan (the year-end checklist,
archive.services.closing, asks it of every lagging course)."""

from django.core.exceptions import ValidationError

from grading.policy import year_closed_reason


def do_explain_plan_lag(course, reason: str) -> None:
    """Record the teacher's reason; a closed year's courses are read-only like the rest of
    its journal. Who may do it: journal.explain_plan_lag (the course's teacher)."""
    closed = year_closed_reason(course.year)
    if closed:
        raise ValidationError(closed, code="closed")
    course.plan_lag_reason = reason.strip()
    course.save(update_fields=["plan_lag_reason"])
