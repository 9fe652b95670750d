"""Families' activity per class (001 §4.6.9, 002 §7.1, 003 §3.5): of a class's pupils and
their parents, the share who entered the school (accounts.LoginEvent: the first page of the
school a session opens) and who opened the diary (journal.DiaryVisit: one row per user, pupil
and day) in the last 7 and 30 days; access codes for the class's pupils issued and redeemed.

From the records the app already keeps: nothing is written to measure it. Six queries
whatever the school's size (the classes, the pupils, their parents, then each kind of record
aggregated per user, or per user and pupil, in SQL); the pivot to classes runs over people,
not events. A diary opened counts for the class of the child it was opened for.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AccessCode, LoginEvent, ParentLink, Role
from accounts.words import words_for
from journal.models import DiaryVisit
from lib.export import INTEGER, PERCENT, Column, Report, Row
from schedule.models import Enrolment

from .control_figures import percent

SPANS = (7, 30)


@dataclass
class ClassActivity:
    pk: int
    name: str
    pupils: set = field(default_factory=set)  # user ids of the pupils with an account
    pupil_count: int = 0
    parents: set = field(default_factory=set)
    # (user, pupil) of the class: each parent with their child here, each pupil with themself
    # (a parent of children in two classes opened the diary of one of them, not of both).
    diaries: set = field(default_factory=set)
    codes: int = 0
    redeemed: int = 0


def activity(selection, today: date, now=None) -> list[tuple[ClassActivity, dict]]:
    """[(class, {(who, what, days): users})] of the selection's classes: who is «parents» or
    «pupils», what «signed_in» or «diary», days 7 or 30."""
    now = now or timezone.now()
    school = selection.school
    classes = {
        c.pk: ClassActivity(c.pk, c.name) for c in selection.classes().only("pk", "grade", "letter")
    }
    enrolled = list(
        Enrolment.objects.filter(school_class_id__in=list(classes))
        .on(today)
        .values_list("pupil_id", "school_class_id", "pupil__user_id")
    )
    class_of = {}
    for pupil_id, class_id, user_id in enrolled:
        entry = classes[class_id]
        entry.pupil_count += 1
        class_of[pupil_id] = class_id
        if user_id:
            entry.pupils.add(user_id)
            entry.diaries.add((user_id, pupil_id))
    for parent_id, pupil_id in ParentLink.objects.filter(
        school=school, pupil_id__in=list(class_of)
    ).values_list("parent_id", "pupil_id"):
        classes[class_of[pupil_id]].parents.add(parent_id)
        classes[class_of[pupil_id]].diaries.add((parent_id, pupil_id))
    people = set().union(*(c.pupils | c.parents for c in classes.values())) if classes else set()
    longest = max(SPANS)
    signed_in = dict(
        LoginEvent.objects.filter(
            school=school,
            succeeded=True,
            user_id__in=list(people),
            at__gt=now - timedelta(days=longest),
        )
        .values("user_id")
        .annotate(last=Max("at"))
        .order_by()
        .values_list("user_id", "last")
    )
    opened = {
        (user_id, pupil_id): last
        for user_id, pupil_id, last in DiaryVisit.objects.filter(
            school=school,
            pupil_id__in=list(class_of),
            day__gt=today - timedelta(days=longest),
        )
        .values("user_id", "pupil_id")
        .annotate(last=Max("day"))
        .order_by()
        .values_list("user_id", "pupil_id", "last")
    }
    codes = (
        AccessCode.objects.filter(
            school=school, pupil_id__in=list(class_of), role__in=(Role.PARENT, Role.PUPIL)
        )
        .values("pupil_id")
        .annotate(issued=Count("id"), used=Count("id", filter=Q(used_at__isnull=False)))
        .order_by()
        .values_list("pupil_id", "issued", "used")
    )
    for pupil_id, issued, used in codes:
        entry = classes[class_of[pupil_id]]
        entry.codes += issued
        entry.redeemed += used
    found = []
    for entry in classes.values():
        counts = defaultdict(int)
        for days in SPANS:
            since_moment = now - timedelta(days=days)
            since_day = today - timedelta(days=days)
            for who, users in (("parents", entry.parents), ("pupils", entry.pupils)):
                counts[(who, "signed_in", days)] = sum(
                    1 for u in users if u in signed_in and signed_in[u] > since_moment
                )
                counts[(who, "diary", days)] = len(
                    {
                        u
                        for u, pupil in entry.diaries
                        if u in users and opened.get((u, pupil), since_day) > since_day
                    }
                )
        found.append((entry, counts))
    return found


def activity_report(selection, today: date, now=None) -> Report:
    """«Активность семей» as a report: one row per class and a total."""
    words = words_for(selection.school)
    columns = [Column("name", words.Class)]
    groups = {"parents": _("Родители"), "pupils": _("Обучающиеся")}
    for who, title in groups.items():
        columns.append(
            Column(
                f"{who}_n", _("всего") if who == "parents" else words.in_class, INTEGER, group=title
            )
        )
        if who == "pupils":
            columns.append(Column("pupils_accounts", _("с учётной записью"), INTEGER, group=title))
        for what, label in (("signed_in", _("входили")), ("diary", _("открывали дневник"))):
            for days in SPANS:
                columns.append(
                    Column(
                        f"{who}_{what}_{days}",
                        _("%(what)s за %(days)s дн.") % {"what": label, "days": days},
                        PERCENT,
                        places=0,
                        group=title,
                    )
                )
    columns += [
        Column("codes", _("выдано"), INTEGER, group=_("Коды доступа")),
        Column("redeemed", _("использовано"), INTEGER, group=_("Коды доступа")),
    ]
    rows = []
    totals: dict = defaultdict(int)
    for entry, counts in activity(selection, today, now):
        bases = {"parents": len(entry.parents), "pupils": entry.pupil_count}
        values = {
            "name": entry.name,
            "parents_n": bases["parents"],
            "pupils_n": bases["pupils"],
            "pupils_accounts": len(entry.pupils),
            "codes": entry.codes,
            "redeemed": entry.redeemed,
        }
        for key in ("parents_n", "pupils_n", "pupils_accounts", "codes", "redeemed"):
            totals[key] += values[key]
        for (who, what, days), n in counts.items():
            values[f"{who}_{what}_{days}"] = percent(n, bases[who])
            totals[(who, what, days)] += n
        rows.append(Row(values, classes=shade(values)))
    if len(rows) > 1:
        values = {"name": _("Итого"), **{k: v for k, v in totals.items() if isinstance(k, str)}}
        for (who, what, days), n in ((k, v) for k, v in totals.items() if isinstance(k, tuple)):
            base = totals["parents_n"] if who == "parents" else totals["pupils_n"]
            values[f"{who}_{what}_{days}"] = percent(n, base)
        rows.append(Row(values, kind=Row.TOTAL, classes=shade(values)))
    report = Report(title=_("Активность семей"), columns=columns, rows=rows, slug="activity")
    report.footnotes.append(
        _(
            "Доля от числа родителей (законных представителей) и обучающихся %(of_class)s на "
            "сегодня: входили в электронный журнал школы, открывали электронный дневник. Коды "
            "доступа — выданные родителям и обучающимся %(of_class)s и использованные для "
            "регистрации."
        )
        % words
    )
    return report


def shade(values: dict) -> dict:
    """A colour beside each share: under a half reads at a glance (the figure says it too)."""
    found = {}
    for key, value in values.items():
        if key.endswith(("_7", "_30")) and value is not None:
            found[key] = "good" if value >= 80 else "warn" if value >= 50 else "bad"
    return found
