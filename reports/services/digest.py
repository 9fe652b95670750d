"""The weekly digest to parents: what it says, when it goes, and how it goes exactly once.

When. Each school sends on its own weekday and hour (DigestSettings, in the school's time
zone). Beat runs `reports.tick` hourly; a school whose send moment has passed within the last
day and whose week is not yet planned gets one DigestDelivery row per parent (PENDING), all
created before anything is sent, and one `reports.send_digest` task per row (by pk), queued
after commit. A digest sent from Friday to Sunday covers the current school week; one sent
from Monday to Thursday covers the previous week.

Exactly once. `deliver` sends one row:

1. in a transaction, lock the row if it is still PENDING (SELECT … FOR UPDATE SKIP LOCKED) —
   a SENT or FAILED row, or one another worker is sending right now, is skipped;
2. build the content, keep it on the row (the parent reads it in the app), send the e-mail;
3. set SENT and commit.

A worker that dies before step 3 loses its database connection: PostgreSQL rolls the
transaction back, the row is PENDING again, and the broker's redelivery (acks_late,
reject_on_worker_lost) or the next tick's re-dispatch sends it — once. A retried or duplicated
task finds the row SENT (or locked) and sends nothing. Failures are per row: one parent's bad
address marks that row FAILED and the others go on; a transient error (the mail server down)
is retried with backoff up to MAX_ATTEMPTS.

The remaining window, honestly: if the worker dies after the mail server accepted the
message but before the COMMIT returned (one database round trip, about a millisecond), the
row rolls back and the digest is sent a second time — at-least-once inside that window,
exactly-once everywhere else. Closing it would need the mail server to take part in the
transaction (or idempotency keys at the mail provider); dropping the retry instead would turn
it into at-most-once and lose the digest of a crashed worker, which the regulation
(«не реже одного раза в неделю») forbids. The e-mail timeout (EMAIL_TIMEOUT) bounds how long
a row stays locked.
"""

import logging
import smtplib
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from accounts.models import Membership, ParentLink, Pupil, Role, School
from accounts.navigation import school_reverse
from journal.models import NotificationSettings
from journal.services.diary.pupils import with_class
from journal.services.diary.summary import week_summary

from ..models import DigestDelivery, DigestSettings

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
CATCH_UP = timedelta(hours=24)  # a send moment missed by more than this is not caught up
REDISPATCH_AFTER = timedelta(minutes=10)


# --- When -----------------------------------------------------------------------------------


def digest_week(day: date) -> date:
    """The Monday of the school week a digest sent on `day` covers."""
    monday = day - timedelta(days=day.weekday())
    return monday if day.weekday() >= 4 else monday - timedelta(days=7)


def last_send_moment(now: datetime, tz_name: str, weekday: int, hour: int) -> datetime:
    """The latest scheduled moment (weekday 1–7, hour) at or before `now`, in the school's
    time zone."""
    local = now.astimezone(ZoneInfo(tz_name))
    back = (local.isoweekday() - weekday) % 7
    moment = (local - timedelta(days=back)).replace(hour=hour, minute=0, second=0, microsecond=0)
    if moment > local:
        moment -= timedelta(days=7)
    return moment


def due_weeks(now: datetime | None = None) -> list[tuple[School, date]]:
    """Schools whose digest moment has come (within CATCH_UP) and whose week is unplanned."""
    now = now or timezone.now()
    due = []
    with scopes_disabled():
        for school in School.objects.select_related("regulation", "digest_settings"):
            config = getattr(school, "digest_settings", None)
            regulation = school.regulation
            if not regulation.digest_enabled:
                continue
            moment = last_send_moment(
                now, school.timezone, regulation.digest_weekday, regulation.digest_hour
            )
            if now - moment > CATCH_UP:
                continue
            week = digest_week(moment.date())
            if config is not None and config.planned_week == week:
                continue
            due.append((school, week))
    return due


def parents_of(school) -> list[int]:
    """Users holding the parent role in the school with at least one child there."""
    active_parent = Membership.objects.filter(
        school=school, user=OuterRef("parent"), role=Role.PARENT, ended_at__isnull=True
    )
    return sorted(
        set(
            ParentLink.objects.filter(school=school)
            .filter(Exists(active_parent))
            .values_list("parent_id", flat=True)
        )
    )


def plan_week(school, week: date) -> list[int]:
    """Create the week's PENDING rows (one per parent; existing rows are kept) and mark the
    week planned. Returns the ids of rows still to send. Idempotent."""
    with scopes_disabled(), transaction.atomic():
        DigestDelivery.objects.bulk_create(
            [DigestDelivery(school=school, parent_id=pid, week=week) for pid in parents_of(school)],
            ignore_conflicts=True,
            batch_size=1000,
        )
        DigestSettings.objects.update_or_create(school=school, defaults={"planned_week": week})
        return list(
            DigestDelivery.objects.filter(
                school=school, week=week, state=DigestDelivery.State.PENDING
            ).values_list("pk", flat=True)
        )


def stale_deliveries(now: datetime | None = None, after: timedelta = REDISPATCH_AFTER):
    """PENDING rows of the last weeks whose task was queued long ago (lost, or its worker
    died and the broker has not redelivered it yet)."""
    now = now or timezone.now()
    cutoff = now - after
    with scopes_disabled():
        rows = DigestDelivery.objects.filter(
            state=DigestDelivery.State.PENDING,
            week__gte=(now - timedelta(days=14)).date(),
            created_at__lte=cutoff,
        ).exclude(queued_at__gt=cutoff)
        return list(rows.values_list("pk", flat=True))


def mark_queued(ids) -> None:
    with scopes_disabled():
        DigestDelivery.objects.filter(pk__in=list(ids)).update(queued_at=timezone.now())


# --- What -----------------------------------------------------------------------------------


def build_content(school, parent_id: int, week: date) -> dict:
    """Per child: the week's marks (with work types and teachers' comments), absences,
    homework, and per subject the period's average and forecast. JSON-safe."""
    sunday = week + timedelta(days=6)
    with scope(school=school):
        children = ParentLink.objects.filter(school=school, parent_id=parent_id).values("pupil_id")
        pupils = with_class(
            Pupil.objects.filter(school=school, pk__in=children), school, week, sunday
        )
        return {
            "school": school.short_name,
            "week": week.isoformat(),
            "week_end": (week + timedelta(days=6)).isoformat(),
            "children": [week_summary(pupil, week, sunday) for pupil in pupils],
        }


def subject_line(delivery) -> str:
    names = ", ".join(c["pupil"] for c in delivery.content.get("children", []))
    return _("Дневник за неделю %(start)s–%(end)s: %(names)s") % {
        "start": delivery.week.strftime("%d.%m"),
        "end": (delivery.week + timedelta(days=6)).strftime("%d.%m.%Y"),
        "names": names,
    }


def render_email(delivery, parent) -> EmailMultiAlternatives:
    path = school_reverse(delivery.school, "reports:digest", pk=delivery.pk)
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    context = {
        "delivery": delivery,
        "content": delivery.content,
        "parent": parent,
        "url": site + path,
    }
    email = EmailMultiAlternatives(
        subject=subject_line(delivery),
        body=render_to_string("reports/digest_email.txt", context),
        to=[parent.email],
    )
    email.attach_alternative(render_to_string("reports/digest_email.html", context), "text/html")
    return email


# --- How: exactly once ------------------------------------------------------------------------

SENT, SKIPPED, FAILED, RETRY = "sent", "skipped", "failed", "retry"
PERMANENT = (smtplib.SMTPRecipientsRefused, ValidationError)


def deliver(delivery_id: int) -> str:
    """Send one PENDING digest (see the module docs). Returns SENT, SKIPPED, FAILED or RETRY."""
    with scopes_disabled(), transaction.atomic():
        delivery = (
            DigestDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("school", "parent")
            .filter(pk=delivery_id, state=DigestDelivery.State.PENDING)
            .first()
        )
        if delivery is None:
            return SKIPPED
        parent = delivery.parent
        delivery.attempts += 1
        delivery.content = build_content(delivery.school, parent.pk, delivery.week)
        opted_out = NotificationSettings.opted_out([parent.pk], "email_digest")
        wants_email = parent.is_active and bool(parent.email) and not opted_out
        if wants_email:
            try:
                validate_email(parent.email)
                render_email(delivery, parent).send()
            except PERMANENT as error:
                delivery.state = DigestDelivery.State.FAILED
                delivery.error = str(error)[:500]
                delivery.save(update_fields=["state", "error", "attempts", "content"])
                logger.warning("digest %s: address refused: %s", delivery.pk, error)
                return FAILED
            except Exception as error:  # the mail server down, a timeout: try again later
                delivery.error = str(error)[:500] or type(error).__name__
                if delivery.attempts >= MAX_ATTEMPTS:
                    delivery.state = DigestDelivery.State.FAILED
                delivery.save(update_fields=["state", "error", "attempts", "content"])
                logger.warning("digest %s: attempt %s failed", delivery.pk, delivery.attempts)
                return FAILED if delivery.state == DigestDelivery.State.FAILED else RETRY
            delivery.emailed_to = parent.email
        delivery.state = DigestDelivery.State.SENT
        delivery.sent_at = timezone.now()
        delivery.error = ""
        delivery.save(
            update_fields=["state", "sent_at", "emailed_to", "error", "attempts", "content"]
        )
        return SENT
