"""Notices to parents when a period, year or exam mark is set (regulation 000 §4.4: final
marks visible to parents within a day).

The final mark itself is in the diary at once. The notice is a row per parent and value of
the mark (kept in the app) and one e-mail, claimed before sending (at most once). A
post_save signal queues the notice after commit; final marks written in bulk (no signal)
are found by the hourly tick within the hour.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accounts.models import ParentLink
from accounts.navigation import school_reverse
from grading.models import FinalMark
from journal.models import NotificationSettings

from ..models import FinalMarkNotice

logger = logging.getLogger(__name__)

SWEEP_BACK = timedelta(days=2)


def notify_final_mark(final_mark_id: int) -> int:
    """Create the notices of one final mark and e-mail them. Returns e-mails sent."""
    with scopes_disabled():
        mark = (
            FinalMark.objects.select_related("school", "pupil", "course__subject", "period")
            .filter(pk=final_mark_id)
            .first()
        )
        if mark is None:
            return 0
        links = list(ParentLink.objects.filter(pupil_id=mark.pupil_id).select_related("parent"))
        FinalMarkNotice.objects.bulk_create(
            [
                FinalMarkNotice(
                    school_id=mark.school_id,
                    parent_id=link.parent_id,
                    pupil_id=mark.pupil_id,
                    final_mark=mark,
                    value=mark.value,
                )
                for link in links
            ],
            ignore_conflicts=True,
        )
        opted_out = NotificationSettings.opted_out(
            [link.parent_id for link in links], "email_final_marks"
        )
        sent = 0
        for link in links:
            parent = link.parent
            notice = FinalMarkNotice.objects.filter(
                final_mark=mark, parent=parent, value=mark.value
            ).first()
            if notice is None or notice.emailed_at is not None:
                continue
            if not parent.email or parent.pk in opted_out or not parent.is_active:
                continue
            claimed = FinalMarkNotice.objects.filter(pk=notice.pk, emailed_at__isnull=True).update(
                emailed_at=timezone.now()
            )
            if not claimed:
                continue
            try:
                render_notice_email(notice, mark, parent).send()
                sent += 1
            except Exception:  # one bad address must not stop the others
                logger.exception("final mark %s: e-mail to %s failed", mark.pk, parent.pk)
    return sent


def describe(mark) -> str:
    """«Математика, 1 четверть: 5» — what the notice says."""
    what = str(FinalMark.Kind(mark.kind).label)
    if mark.period_id:
        what = str(mark.period) if mark.kind == FinalMark.Kind.PERIOD else f"{what}, {mark.period}"
    return _("%(subject)s, %(what)s: %(value)s") % {
        "subject": mark.course.subject.name,
        "what": what,
        "value": FinalMark.Value(mark.value).label,
    }


def render_notice_email(notice, mark, parent) -> EmailMessage:
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    url = site + school_reverse(mark.school, "journal:diary_marks", pupil=mark.pupil_id)
    context = {
        "mark": mark,
        "pupil": mark.pupil,
        "parent": parent,
        "text": describe(mark),
        "url": url,
    }
    return EmailMessage(
        subject=_("Итоговая отметка: %(pupil)s") % {"pupil": mark.pupil.short_name},
        body=render_to_string("reports/final_mark_email.txt", context),
        to=[parent.email],
    )


def unnoticed_final_marks(now=None) -> list[int]:
    """Final marks set in the last two days whose current value has no notice yet, of pupils
    who have parents (written in bulk, or their task was lost)."""
    now = now or timezone.now()
    with scopes_disabled():
        noticed = FinalMarkNotice.objects.filter(final_mark=OuterRef("pk"), value=OuterRef("value"))
        has_parents = ParentLink.objects.filter(pupil=OuterRef("pupil"))
        return list(
            FinalMark.objects.filter(set_at__gte=now - SWEEP_BACK)
            .filter(Exists(has_parents))
            .exclude(Exists(noticed))
            .values_list("pk", flat=True)[:5000]
        )
