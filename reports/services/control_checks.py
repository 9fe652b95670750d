"""«Справка по итогам проверки»: recording a check, sending it to the named teachers, its PDF,
and whether it is fixed (followed from the shortfalls it lists)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from journal.services.messaging import start_thread
from lib.dates import fmt
from lib.export import Column, Report, Row, display

from ..models import ControlCheck, Shortfall


def snapshot(report: Report) -> dict:
    """The dashboard's table, kept as it stood (values as strings, as printed)."""
    return {
        "columns": [[c.key, str(c.title)] for c in report.columns],
        "rows": [
            {c.key: display(row.values.get(c.key), c) for c in report.columns}
            for row in report.rows
        ],
    }


def message_text(check: ControlCheck) -> str:
    lines = [
        _("Справка по итогам проверки ведения журнала от %(day)s.")
        % {"day": fmt(check.checked_on)},
        _("Период: %(span)s. Охват: %(scope)s.")
        % {"span": check.span_label, "scope": check.scope_label},
        "",
        check.findings,
        "",
        _("Устранить до %(day)s. Недочёты — на странице «Сегодня».") % {"day": fmt(check.fix_by)},
    ]
    return "\n".join(lines)


@transaction.atomic
def do_record_check(
    school, author, *, report: Report, params, course_ids, findings: str, fix_by: date, teachers
) -> ControlCheck:
    """Record a check with the dashboard's `report` of `params`, list the open shortfalls of
    the named teachers in its courses, and send it to each of them as a message."""
    today = school.today()
    if fix_by < today:
        raise ValidationError(_("Срок устранения не может быть раньше дня проверки."))
    teachers = list(teachers)
    if not teachers:
        raise ValidationError(_("Выберите хотя бы одного учителя."))
    check = ControlCheck.objects.create(
        school=school,
        checked_on=today,
        span_label=params.span.label,
        scope_label=params.scope.label,
        query=params.query()[:300],
        figures=snapshot(report),
        findings=findings.strip(),
        fix_by=fix_by,
        created_by=author,
    )
    check.teachers.set(teachers)
    open_rows = Shortfall.objects.filter(
        school=school,
        fixed_at__isnull=True,
        teacher__in=teachers,
        course_id__in=list(course_ids),
    ).values_list("pk", flat=True)
    check.shortfalls.set(list(open_rows))
    subject = _("Справка по итогам проверки от %(day)s") % {"day": fmt(today)}
    body = message_text(check)
    for teacher in teachers:
        start_thread(school, author, f"u{teacher.pk}", subject, body)
    return check


@dataclass
class CheckState:
    listed: int
    left: int

    @property
    def fixed(self) -> bool:
        return self.left == 0

    def label(self, fix_by: date, today: date) -> str:
        if self.fixed:
            return _("устранено")
        if today > fix_by:
            return _("просрочено: осталось %(n)s из %(of)s") % {"n": self.left, "of": self.listed}
        return _("осталось %(n)s из %(of)s") % {"n": self.left, "of": self.listed}


def states(checks) -> dict[int, CheckState]:
    """{check: its state}: the shortfalls it lists and how many are still open (one query)."""
    rows = (
        ControlCheck.shortfalls.through.objects.filter(controlcheck_id__in=[c.pk for c in checks])
        .values("controlcheck_id")
        .annotate(listed=Count("id"), left=Count("id", filter=Q(shortfall__fixed_at__isnull=True)))
        .values_list("controlcheck_id", "listed", "left")
    )
    found = {c.pk: CheckState(0, 0) for c in checks}
    for pk, listed, left in rows:
        found[pk] = CheckState(listed, left)
    return found


def check_document(check: ControlCheck, state: CheckState, today: date) -> Report:
    """The справка as a printable report (PDF through lib.export)."""
    columns = [Column(key, title) for key, title in check.figures.get("columns", [])]
    rows = [Row(values) for values in check.figures.get("rows", [])]
    teachers = ", ".join(t.short_name for t in check.teachers.order_by("last_name", "first_name"))
    return Report(
        title=_("Справка по итогам проверки ведения электронного журнала"),
        columns=columns or [Column("name", _("Показатель"))],
        rows=rows,
        parameters=[
            (_("Дата проверки"), fmt(check.checked_on)),
            (_("Период"), check.span_label),
            (_("Охват"), check.scope_label),
            (_("Учителя"), teachers),
            (_("Устранить до"), fmt(check.fix_by)),
            (_("Состояние"), state.label(check.fix_by, today)),
            (_("Проверку провёл"), check.created_by.short_name),
        ],
        notices=[line for line in check.findings.splitlines() if line.strip()],
        slug=f"spravka-{check.checked_on.isoformat()}",
    )
