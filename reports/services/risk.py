"""Pupils at risk («группа риска», 001 §4.5.4, 002 §4.2, 004 §4.3.10): who is on the list
on a day, and the list as the nightly check keeps it (entries and their notices).

A pupil is on the list on a day

- for marks: in some course of their class, the period forecast or the weighted average of
  the period holding the day is below 3 — the forecast is the regulation's one rule
  (journal.services.forecast.forecast_totals over grading's SQL sums), not worked out here;
- for absences: more unexcused absences («н», no reason given) in the seven days up to the
  day than the regulation's threshold (Regulation.risk_absences_per_week).

`at_risk` reads it in four queries whatever the school's size (the pupils, the periods, the
marks summed per pupil and course, the absences counted per pupil). `do_update_risk` runs in
the check's transaction (its ControlState lock: one at a time per school): an entry opens
when a pupil enters the list, stays while they are on it, closes when they leave; each new
entry's notice is queued after commit (reports.tasks.notify_risk) and claimed before it is
sent, so it goes once.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accounts.models import ParentLink
from accounts.navigation import school_reverse
from accounts.words import words_for
from grading.models import Mark
from grading.services.averages import format_average, sums
from journal.models import Attendance, NotificationSettings
from journal.services.forecast import forecast_totals
from lib.export import DATE, INTEGER, Column, Report, Row
from schedule.models import Enrolment, Lesson, StudyPeriod

from ..models import RiskEntry
from .scope import grade_periods

logger = logging.getLogger(__name__)

Reason = RiskEntry.Reason
WEEK = 7  # days the absences are counted over, the day itself included
BELOW = 3


@dataclass
class AtRisk:
    pupil_id: int
    name: str
    class_id: int
    class_name: str
    grade: int
    courses: list = field(default_factory=list)  # [(subject, average text, forecast text)]
    absences: int = 0

    @property
    def reasons(self) -> list[str]:
        found = []
        if self.courses:
            found.append(Reason.MARKS)
        if self.absences:
            found.append(Reason.ABSENCES)
        return found

    def detail(self, reason) -> str:
        if reason == Reason.MARKS:
            return "; ".join(
                _("%(subject)s: средний %(average)s, прогноз %(outlook)s")
                % {"subject": s, "average": a or "—", "outlook": o or "—"}
                for s, a, o in self.courses
            )[:300]
        return _("пропусков без уважительной причины за 7 дней: %(n)s") % {"n": self.absences}


def below(average: Fraction | None, mark: int | None) -> bool:
    """The forecast (the rounded mark) or the average itself below 3."""
    return (mark is not None and mark < BELOW) or (average is not None and average < BELOW)


def at_risk(selection, day: date) -> list[AtRisk]:
    """The selection's pupils at risk on `day`, by class and name (four queries)."""
    school = selection.school
    regulation = school.regulation
    classes = selection.classes()
    enrolled = list(
        Enrolment.objects.filter(school_class__in=classes)
        .on(day)
        .values_list(
            "pupil_id",
            "pupil__last_name",
            "pupil__first_name",
            "pupil__patronymic",
            "school_class_id",
            "school_class__grade",
            "school_class__letter",
            "school_class__no_marks",
        )
    )
    pupils = {}
    marking: dict[int, int] = {}  # class → grade, of the classes that get marks
    for pk, last, first, patronymic, class_id, grade, letter, no_marks in enrolled:
        name = " ".join(p for p in (last, first, patronymic) if p)
        class_name = f"{grade}{letter}" if len(letter) <= 2 else letter  # SchoolClass.name
        pupils[pk] = AtRisk(pk, name, class_id, class_name, grade)
        if not no_marks:
            marking[class_id] = grade
    periods = list(StudyPeriod.objects.filter(year=selection.year).order_by("start"))
    # The classes by the period holding the day (quarters, semesters: a few), one condition
    # each, so the marks are read by date ranges rather than class by class.
    by_period = defaultdict(list)
    for class_id, grade in marking.items():
        period = next((p for p in grade_periods(periods, grade) if p.start <= day <= p.end), None)
        if period is not None:
            by_period[period].append(class_id)
    window = Q(pk__in=[])
    for period, class_ids in by_period.items():
        window |= Q(
            lesson__course__school_class_id__in=class_ids,
            lesson__date__gte=period.start,
            lesson__date__lte=min(day, period.end),
        )
    totals = (
        Mark.objects.filter(window, pupil_id__in=list(pupils))
        .filter(
            deleted_at__isnull=True,
            points__isnull=False,  # the forecast is of five-point courses
            lesson__status=Lesson.Status.PLANNED,
        )
        .values("pupil_id", "lesson__course__subject__name")
        .annotate(**sums())
        .order_by("pupil_id", "lesson__course__subject__name")
        if marking
        else []
    )
    for row in totals:
        outlook = forecast_totals(
            row["total"],
            row["weights"],
            row["count"],
            threshold=regulation.threshold,
            min_marks=regulation.min_marks_for_period,
        )
        if below(outlook.average, outlook.mark):
            pupils[row["pupil_id"]].courses.append(
                (
                    row["lesson__course__subject__name"],
                    format_average(outlook.average),
                    outlook.outlook,
                )
            )
    absences = (
        Attendance.objects.filter(
            pupil_id__in=list(pupils),
            code=Attendance.Code.ABSENT,
            deleted_at__isnull=True,
            lesson__date__gt=day - timedelta(days=WEEK),
            lesson__date__lte=day,
            lesson__status=Lesson.Status.PLANNED,
        )
        .values("pupil_id")
        .annotate(n=Count("id"))
        .filter(n__gt=regulation.risk_absences_per_week)
        .order_by()
        .values_list("pupil_id", "n")
    )
    for pupil_id, n in absences:
        pupils[pupil_id].absences = n
    found = [p for p in pupils.values() if p.reasons]
    found.sort(key=lambda p: (p.grade, p.class_name, p.name, p.pupil_id))
    return found


def open_entries(school, class_ids=None) -> dict:
    """{(pupil, reason): RiskEntry} of the pupils on the list now, as the check keeps it."""
    rows = RiskEntry.objects.filter(school=school, left_on__isnull=True)
    if class_ids is not None:
        rows = rows.filter(school_class_id__in=list(class_ids))
    return {(r.pupil_id, r.reason): r for r in rows}


def do_update_risk(selection, day: date, notify: bool = True) -> list[int]:
    """Keep the school's list as it stands on `day` (in the check's transaction): open the
    entries of pupils who entered it, close those who left; returns the new entries, whose
    notices are queued after commit (`notify=False`: marked as noticed, nothing sent)."""
    school = selection.school
    now = open_entries(school)
    found = {}
    for pupil in at_risk(selection, day):
        for reason in pupil.reasons:
            found[(pupil.pupil_id, reason)] = (pupil, pupil.detail(reason))
    left = [entry.pk for key, entry in now.items() if key not in found]
    if left:
        RiskEntry.objects.filter(pk__in=left).update(left_on=day)
    changed = []
    for key, entry in now.items():
        if key in found and entry.detail != found[key][1]:
            entry.detail = found[key][1]
            changed.append(entry)
    if changed:
        RiskEntry.objects.bulk_update(changed, ["detail"])
    RiskEntry.objects.bulk_create(
        [
            RiskEntry(
                school=school,
                pupil_id=pupil.pupil_id,
                school_class_id=pupil.class_id,
                reason=reason,
                detail=detail,
                entered_on=day,
            )
            for (pupil_id, reason), (pupil, detail) in found.items()
            if (pupil_id, reason) not in now
        ],
        ignore_conflicts=True,  # the partial unique constraint: one open entry per reason
    )
    new = list(
        RiskEntry.objects.filter(school=school, entered_on=day, notified_at__isnull=True)
        .filter(left_on__isnull=True)
        .values_list("pk", flat=True)
    )
    if new and not notify:
        RiskEntry.objects.filter(pk__in=new).update(notified_at=timezone.now())
    elif new:
        # The task by its name (reports.tasks imports this module; the app registers it).
        from celery import current_app

        task = current_app.tasks["reports.notify_risk"]

        transaction.on_commit(lambda: [task.delay(pk) for pk in new], robust=True)
    return new


def notify_risk(entry_id: int) -> int:
    """E-mail the entry's notice to the class teacher (and the parents, if the school says
    so), once: the entry is claimed before sending. Returns e-mails sent."""
    with scopes_disabled():
        entry = (
            RiskEntry.objects.select_related(
                "school__regulation", "pupil", "school_class__class_teacher"
            )
            .filter(pk=entry_id)
            .first()
        )
        if entry is None or entry.left_on is not None:
            return 0
        claimed = RiskEntry.objects.filter(pk=entry.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
        if not claimed:
            return 0
        school = entry.school
        recipients = []
        teacher = entry.school_class.class_teacher
        if teacher is not None:
            recipients.append((teacher, "reports:risk", {}))
        if school.regulation.risk_notify_parents:
            for link in ParentLink.objects.filter(pupil_id=entry.pupil_id).select_related("parent"):
                recipients.append((link.parent, "journal:diary_marks", {"pupil": entry.pupil_id}))
        opted_out = NotificationSettings.opted_out([u.pk for u, *_ in recipients], "email_risk")
        site = getattr(settings, "SITE_URL", "").rstrip("/")
        sent = 0
        for user, url_name, kwargs in recipients:
            if not user.email or not user.is_active or user.pk in opted_out:
                continue
            url = site + school_reverse(school, url_name, **kwargs)
            if url_name == "reports:risk":
                url += f"?scope=class:{entry.school_class_id}"
            context = {"entry": entry, "pupil": entry.pupil, "recipient": user, "url": url}
            email = EmailMessage(
                subject=_("Группа риска: %(pupil)s") % {"pupil": entry.pupil.short_name},
                body=render_to_string("reports/risk_email.txt", context),
                to=[user.email],
            )
            try:
                email.send()
                sent += 1
            except Exception:  # one bad address must not stop the others
                logger.exception("risk entry %s: e-mail to %s failed", entry.pk, user.pk)
    return sent


def risk_counts(school, class_ids=None) -> dict:
    """{reason: pupils} on the list now (for the weekly summary)."""
    rows = RiskEntry.objects.filter(school=school, left_on__isnull=True)
    if class_ids is not None:
        rows = rows.filter(school_class_id__in=list(class_ids))
    found = defaultdict(int)
    for reason, n in rows.values("reason").annotate(n=Count("id")).values_list("reason", "n"):
        found[reason] = n
    return found


def risk_report(selection, day: date) -> Report:
    """«Группа риска» as a report: one row per pupil and reason, with the day the check first
    found them on the list (the notice went then)."""
    listed = at_risk(selection, day)
    since = {
        key: entry.entered_on
        for key, entry in open_entries(selection.school, {p.class_id for p in listed}).items()
    }
    rows = []
    for pupil in listed:
        for reason in pupil.reasons:
            rows.append(
                Row(
                    {
                        "name": pupil.class_name,
                        "pupil": pupil.name,
                        "reason": Reason(reason).label,
                        "detail": pupil.detail(reason),
                        "absences": pupil.absences if reason == Reason.ABSENCES else None,
                        "since": since.get((pupil.pupil_id, reason)),
                    },
                    classes={"reason": "bad"},
                )
            )
    words = words_for(selection.school)
    report = Report(
        title=_("Группа риска"),
        columns=[
            Column("name", words.Class),
            Column("pupil", _("Обучающийся")),
            Column("reason", _("Причина")),
            Column("detail", _("Подробности")),
            Column("absences", _("Пропусков за 7 дней"), INTEGER),
            Column("since", _("В списке с"), DATE),
        ],
        rows=rows,
        slug="risk",
        key_columns=2,
    )
    regulation = selection.school.regulation
    report.footnotes.append(
        _(
            "В списке — обучающиеся, у которых по %(any_subject_dat)s прогноз отметки "
            "за период или средний балл ниже 3, и пропустившие без уважительной причины более "
            "%(n)s уроков за 7 дней по %(day)s. «В списке с» — день, когда ежедневная проверка "
            "внесла обучающегося в список и отправила уведомление."
        )
        % {
            "n": regulation.risk_absences_per_week,
            "day": day.strftime("%d.%m.%Y"),
            "any_subject_dat": words["any_subject_dat"],
        }
    )
    if not rows:
        report.notices.append(_("Обучающихся в группе риска нет."))
    return report
