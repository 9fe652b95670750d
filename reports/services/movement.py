"""Движение обучающихся: per class and for the school over a span — pupils at the start,
arrived (from where, by which order), left (to where, by which order), at the end; class
sizes («наполняемость»). From the Enrolment rows alone (one query, plus the classes).

A pupil is «at the start» when enrolled on the span's first day and «at the end» when
enrolled on its last; arrived when their stay in the class begins after the first day, left
when it ends before the last (a departure's last day is the day before it). So for every
class: at the start + arrived − left = at the end. Transfers between classes count in both
classes; the school's total counts arrivals and departures from outside only.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.words import words_for
from lib.dates import fmt
from lib.export import DATE, DECIMAL, INTEGER, Column, Report, Row
from schedule.models import Enrolment

from .documents import parallel_label
from .sums import Sums

Reason, EndReason = Enrolment.Reason, Enrolment.EndReason


@dataclass
class Flow(Sums):
    at_start: int = 0
    arrived: int = 0
    arrived_transfer: int = 0  # of them, from another class of the school
    left: int = 0
    left_transfer: int = 0  # of them, to another class of the school
    at_end: int = 0
    classes: int = 0

    @property
    def size(self) -> Decimal | None:
        """Наполняемость: pupils at the end per class."""
        if not self.classes:
            return None
        return (Decimal(self.at_end) / self.classes).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class Move:
    day: object
    pupil: str
    school_class: str
    arrived: bool
    transfer: bool
    where: str  # «из МБОУ СОШ № 3», «в связи с переездом»
    order: str


@dataclass
class Movement:
    classes: list  # [(SchoolClass, Flow)]
    moves: list = field(default_factory=list)

    @property
    def total(self) -> Flow:
        total = Flow()
        for _c, flow in self.classes:
            total.merge(flow)
        return total


def movement(selection, start, end) -> Movement:
    classes = list(selection.classes().only("pk", "grade", "letter"))
    flows = {c.pk: Flow(classes=1) for c in classes}
    moves = []
    stays = (
        Enrolment.objects.filter(school_class_id__in=list(flows))
        .overlapping(start, end)
        .values_list(
            "school_class_id",
            "start",
            "end",
            "reason",
            "order_number",
            "note",
            "end_reason",
            "end_order_number",
            "end_note",
            "pupil__last_name",
            "pupil__first_name",
            "pupil__patronymic",
        )
    )
    names = {c.pk: c.name for c in classes}
    for class_id, first, last, reason, order, note, end_reason, end_order, end_note, *who in stays:
        flow = flows[class_id]
        pupil = " ".join(n for n in who if n)
        if first <= start:
            flow.at_start += 1
        else:
            flow.arrived += 1
            transfer = reason == Reason.TRANSFER
            flow.arrived_transfer += transfer
            moves.append(Move(first, pupil, names[class_id], True, transfer, note, order))
        # Closed at the year's end is not a departure: the pupil finished the year here.
        if last is not None and last < end and end_reason != EndReason.YEAR_END:
            flow.left += 1
            transfer = end_reason == EndReason.TRANSFER
            flow.left_transfer += transfer
            moves.append(Move(last, pupil, names[class_id], False, transfer, end_note, end_order))
        else:
            flow.at_end += 1
    moves.sort(key=lambda m: (m.day, m.school_class, m.pupil))
    return Movement([(c, flows[c.pk]) for c in classes], moves)


FIGURES = [
    ("at_start", gettext_lazy("На начало"), INTEGER, ""),
    ("arrived", gettext_lazy("всего"), INTEGER, gettext_lazy("Прибыло")),
    # «из др. классов» / «из др. групп», in the school's words (figure_title).
    ("arrived_transfer", gettext_lazy("из др. %(of_classes)s"), INTEGER, gettext_lazy("Прибыло")),
    ("left", gettext_lazy("всего"), INTEGER, gettext_lazy("Выбыло")),
    ("left_transfer", gettext_lazy("в др. %(classes)s"), INTEGER, gettext_lazy("Выбыло")),
    ("at_end", gettext_lazy("На конец"), INTEGER, ""),
    ("size", gettext_lazy("Наполняемость"), DECIMAL, ""),
]


def _values(flow: Flow, *, whole=False) -> dict:
    values = {key: getattr(flow, key) for key, _t, _k, _g in FIGURES}
    if whole:
        # Transfers inside the school are not movement of the school.
        values["arrived"] = flow.arrived - flow.arrived_transfer
        values["left"] = flow.left - flow.left_transfer
        values["arrived_transfer"] = values["left_transfer"] = None
    return values


def movement_report(selection, span) -> Report:
    found = movement(selection, span.start, span.end)
    words = words_for(selection.school)
    rows = []
    grades: dict = {}
    for school_class, flow in found.classes:
        grades.setdefault(school_class.grade, []).append((school_class, flow))
    for grade, items in grades.items():
        for school_class, flow in items:
            rows.append(Row({"name": school_class.name, **_values(flow)}))
        if selection.kind == "school" and len(items) > 1:
            total = Flow()
            for _c, flow in items:
                total.merge(flow)
            rows.append(Row({"name": parallel_label(grade), **_values(total)}, kind=Row.TOTAL))
    if selection.kind != "class" and len(found.classes) > 1:
        rows.append(Row({"name": _("Итого"), **_values(found.total, whole=True)}, kind=Row.TOTAL))
    moves = Report(
        title=_("Прибывшие и выбывшие"),
        columns=[
            Column("day", _("Дата"), DATE),
            Column("pupil", _("Обучающийся")),
            Column("class", words.Class),
            Column("what", _("Движение")),
            Column("where", _("Откуда / куда"), width=30),
            Column("order", _("Приказ")),
        ],
        rows=[
            Row(
                {
                    "day": m.day,
                    "pupil": m.pupil,
                    "class": m.school_class,
                    "what": _move_label(m),
                    "where": m.where,
                    "order": m.order,
                }
            )
            for m in found.moves
        ],
        key_columns=2,
    )
    return Report(
        title=_("Движение обучающихся"),
        columns=[
            Column("name", words.Class),
            *[Column(k, str(t) % words, kind, group=str(g), places=1) for k, t, kind, g in FIGURES],
        ],
        rows=rows,
        slug="movement",
        parts=[moves],
        footnotes=[
            _(
                "На начало — %(start)s, на конец — %(end)s. Прибывшим считается тот, кто "
                "зачислен %(into_class)s после первого дня, выбывшим — кто выбыл до последнего; "
                "в итоге %(over_the_school)s переводы %(between_its_classes)s не учитываются."
            )
            % {**words, "start": fmt(span.start), "end": fmt(span.end)},
            _("Наполняемость — обучающихся на конец периода в среднем %(per_class)s.") % words,
        ],
    )


def _move_label(move: Move) -> str:
    if move.arrived:
        return _("прибыл переводом") if move.transfer else _("прибыл")
    return _("выбыл переводом") if move.transfer else _("выбыл")
