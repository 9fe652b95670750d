"""Отчёт классного руководителя за период: the class's pupils by category (with the marks that
put them there), then its results, attendance and movement — the tables of the school's
reports for this one class, so every figure agrees with them. One document to hand to the
deputy (001 §4.4.3: «сводный отчёт классного руководителя за учебный период»)."""

from django.utils.translation import gettext as _

from accounts.words import words_for
from grading.models import FinalMark
from lib.export import INTEGER, Column, Report, Row

from .attendance import attendance_report
from .movement import movement_report
from .progress import CATEGORY_TITLES, class_progress, marks_of, pupils_of
from .progress_tables import notices, progress_report

# The lists the report gives, in the order of the paper form.
LISTS = [
    "excellent",
    "good",
    "one_four",
    "one_three",
    "failing",
    "na",
    "exempt",
    "none",
]


def class_report(selection, span, names: dict, *, basis: str) -> Report:
    """`names`: pupil id → full name for the class's pupils."""
    progress = class_progress(selection, span, basis=basis)
    labels = {value: str(label) for value, label in FinalMark.Value.choices}
    found = {category: pupils_of(progress, category) for category in LISTS}
    marks = marks_of(progress, {p for pupils in found.values() for _i, p in pupils})
    rows = []
    for category in LISTS:
        pupils = found[category]
        if category == "none" and not pupils:
            continue
        described = []
        for _item, pupil_id in sorted(pupils, key=lambda ip: names.get(ip[1], "")):
            below = [
                f"{subject} — {labels.get(value, value)}{'*' if estimated else ''}"
                for subject, value, estimated in marks.get(pupil_id, [])
                if value not in ("5", "pass", "ex") or category == "exempt"
            ]
            if category == "exempt":
                below = []
            name = names.get(pupil_id, "")
            described.append(f"{name} ({', '.join(below)})" if below else name)
        rows.append(
            Row(
                {
                    "category": str(CATEGORY_TITLES[category]).capitalize(),
                    "count": len(pupils),
                    "pupils": "; ".join(described),
                }
            )
        )
    results = progress_report(progress)
    results.title = _("Итоги успеваемости")
    attendance = attendance_report(selection, span)
    attendance.title = _("Посещаемость")
    movement = movement_report(selection, span)
    movement.title = _("Движение обучающихся")
    school_class = progress.classes[0].school_class if progress.classes else None
    return Report(
        title=(
            _("Отчёт куратора: %(cls)s, %(span)s")
            if words_for(selection.school).college
            else _("Отчёт классного руководителя: %(cls)s, %(span)s")
        )
        % {"cls": school_class.name if school_class else "", "span": span.label},
        columns=[
            Column("category", _("Категория")),
            Column("count", _("Число"), INTEGER),
            Column("pupils", _("Обучающиеся (отметки ниже «5»)"), width=80),
        ],
        rows=rows,
        slug="class-report",
        notices=notices(progress),
        parts=[results, attendance, movement, *movement.parts],
        footnotes=[
            _("«*» — отметка по текущему среднему баллу (итоговая ещё не выставлена)."),
            *results.footnotes[:2],
        ],
    )
