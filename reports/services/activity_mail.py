"""The weekly report of users' activity (002 §7.1: «доводится до сведения заместителя
директора…, руководителя филиала, заведующего отделением»), e-mailed each Monday for the week
before to:

- each school's director (the head of a branch) and its heads of department: their school;
- each organisation's director and deputy: every school of the organisation.

The hourly tick (reports.tasks.tick) plans the week's rows once (unique per recipient and
week: a second plan adds nothing) and queues the unsent ones after commit; sending claims the
row first (sent_at set where it was empty), so a retried or doubled task sends nothing twice.
The figures are reports.services.rollup.activity_report's, the organisation's page's.
"""

import logging
from datetime import date, timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accounts.models import Membership, OrganisationMembership, Role, School
from accounts.organisations import OrganisationRole
from lib.dates import monday_of
from lib.export import display

from ..models import ActivityReportDelivery
from .rollup import activity_report

logger = logging.getLogger(__name__)

SCHOOL_RECIPIENTS = (Role.DIRECTOR, Role.HEAD_OF_DEPARTMENT)
ORGANISATION_RECIPIENTS = (OrganisationRole.DIRECTOR, OrganisationRole.DEPUTY)


def last_week(today: date) -> date:
    """The Monday of the week before the one holding `today`."""
    return monday_of(today) - timedelta(days=7)


def recipients() -> dict[int, set[int]]:
    """{user: {school ids}} of every recipient (two queries)."""
    found: dict[int, set[int]] = {}
    for user_id, school_id in (
        Membership.objects.with_scopes_disabled()
        .active()
        .filter(role__in=SCHOOL_RECIPIENTS)
        .values_list("user_id", "school_id")
    ):
        found.setdefault(user_id, set()).add(school_id)
    for user_id, school_id in (
        OrganisationMembership.objects.active()
        .filter(role__in=ORGANISATION_RECIPIENTS, organisation__schools__isnull=False)
        .values_list("user_id", "organisation__schools")
    ):
        found.setdefault(user_id, set()).add(school_id)
    return found


def plan_week(week: date) -> list[int]:
    """Create the week's rows (once) and return the ids of those not sent yet."""
    with transaction.atomic():
        ActivityReportDelivery.objects.bulk_create(
            [
                ActivityReportDelivery(user_id=user_id, week=week, school_ids=sorted(schools))
                for user_id, schools in recipients().items()
            ],
            ignore_conflicts=True,
        )
    return list(
        ActivityReportDelivery.objects.filter(week=week, sent_at__isnull=True).values_list(
            "pk", flat=True
        )
    )


def content_of(delivery) -> dict:
    with scopes_disabled():
        schools = list(School.objects.filter(pk__in=delivery.school_ids).order_by("short_name"))
    report = activity_report(schools, delivery.week, delivery.week + timedelta(days=6))
    first, *figures = report.columns
    return {
        "rows": [
            {
                "school": row.values[first.key],
                "figures": [
                    [str(column.title), display(row.values.get(column.key), column) or "—"]
                    for column in figures
                ],
            }
            for row in report.rows
        ]
    }


def send(delivery_id: int) -> bool:
    """Send one report, at most once. True when this call sent it."""
    claimed = ActivityReportDelivery.objects.filter(pk=delivery_id, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if not claimed:
        return False
    delivery = ActivityReportDelivery.objects.select_related("user").get(pk=delivery_id)
    user = delivery.user
    delivery.content = content_of(delivery)
    if user.is_active and user.email:
        try:
            render_email(delivery).send()
            delivery.emailed_to = user.email
        except Exception:  # kept in the app; the mail server's failure is logged
            logger.exception("activity report %s: e-mail to %s failed", delivery.pk, user.pk)
    delivery.save(update_fields=["content", "emailed_to"])
    return True


def render_email(delivery) -> EmailMessage:
    week = delivery.week
    context = {
        "user": delivery.user,
        "start": week,
        "end": week + timedelta(days=6),
        "content": delivery.content,
    }
    return EmailMessage(
        subject=_("Активность пользователей ЭЖ за неделю %(start)s — %(end)s")
        % {
            "start": week.strftime("%d.%m.%Y"),
            "end": (week + timedelta(days=6)).strftime("%d.%m.%Y"),
        },
        body=render_to_string("reports/activity_email.txt", context),
        to=[delivery.user.email],
    )
