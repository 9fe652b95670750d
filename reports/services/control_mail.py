"""The control's e-mails: the weekly summary to the deputy and the director, and each
teacher's reminder of their open shortfalls.

When. After the evening check of the school's day (Regulation.control_hour; the check task
and, to catch up, the hourly control tick call `plan`): every teacher with open shortfalls
gets a reminder of that day; on the school's weekly day (Regulation.digest_weekday, the day
its weekly summaries go out) the deputies and the director get the summary of the week. Each
is opt-out like the message e-mails (journal.NotificationSettings: `email_shortfalls`,
`email_control_summary`).

Exactly once. `plan` writes one ControlMail row per recipient and day (a reminder) or week (a
summary) — unique, so planning twice adds nothing — and queues one task per unsent row after
commit. `send` locks its row if it is still unsent (SELECT … FOR UPDATE SKIP LOCKED: a row
another worker is sending is skipped), sends, marks it sent and commits; a worker dying
before the commit rolls the claim back and the next tick sends it, once. As for the digest
(reports.services.digest), the window between the mail server's acceptance and the commit is
the only one where a second copy could go.
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accounts.models import Membership, Role, School
from accounts.navigation import school_reverse
from journal.models import NotificationSettings
from lib.dates import fmt, monday_of
from lib.export import display

from ..models import ControlMail, ControlState, Shortfall
from .control_links import Linker
from .control_report import control_report
from .risk import Reason, risk_counts
from .scope import Selection

logger = logging.getLogger(__name__)

Kind = ControlMail.Kind
SENT, SKIPPED, NOTHING = "sent", "skipped", "nothing"
SUMMARY_FIGURES = ("on_time", "topic", "attendance", "homework", "accumulation")
SUMMARY_FIGURES += ("no_marks", "one_mark", "written", "finals")
SHOWN = 200  # shortfalls listed in a reminder; the rest are counted


@dataclass(frozen=True)
class Week:
    """A school week as control_report reads a span (reports.params.Span sits above
    services)."""

    start: date
    end: date


def summary_day(school, day: date) -> bool:
    return day.isoweekday() == school.regulation.digest_weekday


def _without(user_ids, field) -> list[int]:
    user_ids = sorted(set(user_ids))
    out = NotificationSettings.opted_out(user_ids, field)
    return [pk for pk in user_ids if pk not in out]


def plan(school_id: int, day: date) -> list[int]:
    """The rows of the school's mails of `day` (created if missing), unsent, queued after
    commit. Idempotent."""
    with scopes_disabled(), transaction.atomic():
        school = School.objects.select_related("regulation").get(pk=school_id)
        teachers = Shortfall.objects.filter(
            school=school, fixed_at__isnull=True, teacher__isnull=False
        ).values_list("teacher_id", flat=True)
        rows = [
            ControlMail(school=school, user_id=pk, kind=Kind.REMINDER, on=day)
            for pk in _without(teachers.order_by().distinct(), "email_shortfalls")
        ]
        if summary_day(school, day):
            leaders = Membership.objects.active().filter(
                school=school, role__in=(Role.DEPUTY, Role.DIRECTOR)
            )
            rows += [
                ControlMail(school=school, user_id=pk, kind=Kind.SUMMARY, on=monday_of(day))
                for pk in _without(
                    leaders.values_list("user_id", flat=True), "email_control_summary"
                )
            ]
        ControlMail.objects.bulk_create(rows, ignore_conflicts=True)
        unsent = list(
            ControlMail.objects.filter(school=school, sent_at__isnull=True)
            .filter(Q(kind=Kind.REMINDER, on=day) | Q(kind=Kind.SUMMARY, on=monday_of(day)))
            .values_list("pk", flat=True)
        )
        if unsent:
            # The task by its name (reports.tasks imports this module; the app registers it).
            from celery import current_app

            task = current_app.tasks["reports.send_control_mail"]

            transaction.on_commit(lambda: [task.delay(pk) for pk in unsent], robust=True)
    return unsent


def due_mails(now=None) -> list[tuple[int, date]]:
    """(school, day) of the schools checked today whose hour has come: their mails are
    planned (again: planning is idempotent, and queues what is still unsent)."""
    now = now or timezone.now()
    due = []
    with scopes_disabled():
        for state in ControlState.objects.select_related("school__regulation"):
            school = state.school
            local = now.astimezone(school.zone)
            if local.hour < school.regulation.control_hour:
                continue
            if state.checked_on == local.date():
                due.append((school.pk, local.date()))
    return due


def send(mail_id: int) -> str:
    """Send one unsent mail (see the module docs): SENT, SKIPPED (sent, or being sent by
    another worker) or NOTHING (nothing left to say, or the person opted out meanwhile)."""
    with scopes_disabled(), transaction.atomic():
        mail = (
            ControlMail.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("school__regulation", "user")
            .filter(pk=mail_id, sent_at__isnull=True)
            .first()
        )
        if mail is None:
            return SKIPPED
        user = mail.user
        field = "email_shortfalls" if mail.kind == Kind.REMINDER else "email_control_summary"
        message = None
        if user.is_active and user.email and not NotificationSettings.opted_out([user.pk], field):
            message = reminder(mail) if mail.kind == Kind.REMINDER else summary(mail)
        if message is not None:
            message.send()
        mail.sent_at = timezone.now()
        mail.save(update_fields=["sent_at"])
        return SENT if message is not None else NOTHING


def _site() -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/")


def reminder(mail) -> EmailMessage | None:
    """The teacher's open shortfalls, grouped by course, each with the address that fixes it."""
    school = mail.school
    rows = list(
        Shortfall.objects.filter(school=school, teacher=mail.user, fixed_at__isnull=True)
        .select_related("course__school_class", "course__subject", "lesson")
        .order_by(
            "course__school_class__grade",
            "course__school_class__letter",
            "course__subject__name",
            "course_id",
            "deadline",
            "pk",
        )[:SHOWN]
    )
    if not rows:
        return None
    link = Linker(school)
    site = _site()
    groups: list = []
    for row in rows:
        if not groups or groups[-1][0] != row.course:
            groups.append((row.course, []))
        lesson = row.lesson.date if row.lesson_id else None
        groups[-1][1].append((row, site + link(row, lesson)))
    count = Shortfall.objects.filter(school=school, teacher=mail.user, fixed_at__isnull=True)
    context = {
        "user": mail.user,
        "school": school,
        "day": mail.on,
        "groups": groups,
        "total": count.count(),
        "shown": len(rows),
        "url": site + school_reverse(school, "journal:today"),
    }
    return EmailMessage(
        subject=_("Недочёты в журнале на %(day)s") % {"day": fmt(mail.on)},
        body=render_to_string("reports/shortfalls_email.txt", context),
        to=[mail.user.email],
    )


def summary_figures(school, day: date) -> tuple[list[tuple[str, str]], str]:
    """The dashboard's main figures of the school for the week holding `day` ([(title,
    value)]) and the dashboard's address for that week."""
    from .control import year_of

    year = year_of(school, day)
    monday = monday_of(day)
    span = Week(monday, monday + timedelta(days=6))
    before = Week(monday - timedelta(days=7), monday - timedelta(days=1))
    base = _site() + school_reverse(school, "reports:control")
    if year is None:
        return [], base
    query = {"year": year.pk, "span": f"week:{monday.isoformat()}", "scope": "school"}
    url = f"{base}?{urlencode(query)}"
    report = control_report(
        Selection(school, year), span, before, school.today(), lambda token: url
    )
    figures = []
    if report.rows:
        total = report.rows[-1]
        columns = {c.key: c for c in report.columns}
        for key in SUMMARY_FIGURES:
            value = display(total.values.get(key), columns[key])
            figures.append((str(columns[key].title), value or "—"))
    counts = risk_counts(school)
    figures.append((_("Открытых недочётов"), str(open_count(school))))
    figures.append((_("В группе риска: успеваемость"), str(counts[Reason.MARKS])))
    figures.append((_("В группе риска: пропуски"), str(counts[Reason.ABSENCES])))
    return figures, url


def open_count(school) -> int:
    return Shortfall.objects.filter(school=school, fixed_at__isnull=True).count()


def summary(mail) -> EmailMessage:
    school = mail.school
    day = min(mail.on + timedelta(days=6), school.today())
    figures, url = summary_figures(school, day)
    context = {
        "user": mail.user,
        "school": school,
        "monday": mail.on,
        "sunday": mail.on + timedelta(days=6),
        "figures": figures,
        "url": url,
    }
    return EmailMessage(
        subject=_("Контроль ведения журнала: неделя с %(day)s") % {"day": fmt(mail.on)},
        body=render_to_string("reports/control_summary_email.txt", context),
        to=[mail.user.email],
    )
