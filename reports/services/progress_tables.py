"""The tables of «Итоги успеваемости»: by class (with parallels and the school), by subject and
by teacher, and the list of pupils behind any count. Each is a lib.export.Report.

`link(category, scope_token, span_token)` gives the address of a count's list of pupils (the
pages pass one; the archive does not): every count is a link.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.words import words_for
from lib.export import DECIMAL, INTEGER, PERCENT, TEXT, Column, Report, Row
from lib.words import count

from .documents import parallel_label, stamp
from .progress import CATEGORY_TITLES, CURRENT, DEFINITIONS, Progress, Tally, sum_tallies
from .scope import period_short, previous_period

# (key, title, kind): the figures of the paper form, in its order. Counts link to pupils.
FIGURES = [
    ("at_start", gettext_lazy("На начало"), INTEGER),
    ("at_end", gettext_lazy("На конец"), INTEGER),
    ("counted", gettext_lazy("Учитываются (N)"), INTEGER),
    ("attested", gettext_lazy("Аттестованы"), INTEGER),
    ("excellent", gettext_lazy("Отличники"), INTEGER),
    ("good", gettext_lazy("Хорошисты"), INTEGER),
    ("one_four", gettext_lazy("С одной «4»"), INTEGER),
    ("three", gettext_lazy("С «3»"), INTEGER),
    ("one_three", gettext_lazy("С одной «3»"), INTEGER),
    ("failing_1", gettext_lazy("Неуспев.: одна «2»"), INTEGER),
    ("failing_2", gettext_lazy("Неуспев.: две «2»"), INTEGER),
    ("failing_more", gettext_lazy("Неуспев.: три и более"), INTEGER),
    ("na", gettext_lazy("Не аттестованы"), INTEGER),
    ("exempt", gettext_lazy("Освобождены"), INTEGER),
    ("none", gettext_lazy("Без итоговых отметок"), INTEGER),
    ("success", gettext_lazy("Успеваемость"), PERCENT),
    ("quality", gettext_lazy("Качество"), PERCENT),
    ("sou", gettext_lazy("СОУ"), PERCENT),
    ("average", gettext_lazy("Средний балл"), DECIMAL),
]
# A course has one mark per pupil: its figures are the marks themselves.
COURSE_FIGURES = [
    ("at_end", gettext_lazy("Обучающихся"), INTEGER),
    ("counted", gettext_lazy("Учитываются (N)"), INTEGER),
    ("excellent", "«5»", INTEGER),
    ("good", "«4»", INTEGER),
    ("three", "«3»", INTEGER),
    ("failing", "«2»", INTEGER),
    ("na", gettext_lazy("н/а"), INTEGER),
    ("exempt", gettext_lazy("осв."), INTEGER),
    ("none", gettext_lazy("Без итоговых отметок"), INTEGER),
    ("success", gettext_lazy("Успеваемость"), PERCENT),
    ("quality", gettext_lazy("Качество"), PERCENT),
    ("sou", gettext_lazy("СОУ"), PERCENT),
    ("average", gettext_lazy("Средний балл"), DECIMAL),
]
RATES = {"success", "quality", "sou", "average"}


def chosen_previous(progress: Progress):
    """The period before the chosen one, of the chosen period's own grades (its heading);
    classes of other grades show the period before their own under it."""
    chosen = progress.span.period
    if chosen is None:
        return None
    return previous_period(progress.periods, chosen.grade_from, chosen)


def figure(tally: Tally | None, key: str):
    if tally is None:
        return None
    if key == "at_start":
        return tally.at_start
    if key == "at_end":
        return tally.at_end
    if tally.no_marks:
        return None  # a class without marks: no figures beyond its pupils
    if key in RATES:
        return getattr(tally, key)
    return tally.count(key)


def _columns(figures, first: list[Column], chosen_label: str, previous_label: str | None):
    columns = list(first)
    for key, title, kind in figures:
        places = 2 if kind == DECIMAL else 1
        if previous_label is None:
            columns.append(Column(key, str(title), kind, places=places))
            continue
        columns.append(Column(f"c_{key}", chosen_label, kind, group=str(title), places=places))
        columns.append(
            Column(
                f"p_{key}", previous_label, kind, group=str(title), places=places, secondary=True
            )
        )
    return columns


def _values(figures, current, before, with_previous: bool) -> dict:
    values = {}
    for key, _title, _kind in figures:
        if with_previous:
            values[f"c_{key}"] = figure(current, key)
            values[f"p_{key}"] = figure(before, key)
        else:
            values[key] = figure(current, key)
    return values


def _links(figures, link, scope, span, previous_span, with_previous) -> dict:
    if link is None:
        return {}
    links = {}
    for key, _title, kind in figures:
        if kind != INTEGER:
            continue
        target = "c_" + key if with_previous else key
        links[target] = link(key, scope, span)
        if with_previous and previous_span:
            links["p_" + key] = link(key, scope, previous_span)
    return links


def _shown(figures, tallies) -> list:
    """The figures, without «без итоговых отметок» when every mark is set."""
    if any(t is not None and t.count("none") for t in tallies):
        return figures
    return [f for f in figures if f[0] != "none"]


def progress_report(progress: Progress, *, link=None, span_token: str = "") -> Report:
    """Итоги успеваемости by class: each class, each parallel's total, the school's total."""
    span = progress.span
    chosen = span.period
    previous = chosen_previous(progress)
    with_previous = span.kind == "period"
    chosen_label = period_short(chosen) if chosen else str(_("год"))
    previous_label = (period_short(previous) if previous else _("пред.")) if with_previous else None
    tallies = [c.current for c in progress.classes] + [c.before for c in progress.classes]
    figures = _shown(FIGURES, tallies)
    words = words_for(progress.selection.school)
    columns = _columns(figures, [Column("name", words.Class)], chosen_label, previous_label)
    rows = []
    grades: dict = {}
    for item in progress.classes:
        grades.setdefault(item.school_class.grade, []).append(item)
    whole = progress.selection.kind in ("school", "parallel") and len(progress.classes) > 1
    for grade, items in grades.items():
        for item in items:
            name = item.school_class.name
            if item.school_class.no_marks:
                name = _("%(name)s (без отметок)") % {"name": name}
            own_previous = f"period:{item.previous.pk}" if item.previous else ""
            rows.append(
                Row(
                    {"name": name, **_values(figures, item.current, item.before, with_previous)},
                    links=_links(
                        figures,
                        link,
                        f"class:{item.school_class.pk}",
                        span_token,
                        own_previous,
                        with_previous,
                    ),
                )
            )
        if whole and len(items) > 1 and progress.selection.kind == "school":
            current = sum_tallies(i.current for i in items)
            before = sum_tallies(i.before for i in items) if items[0].previous else None
            own_previous = f"period:{items[0].previous.pk}" if items[0].previous else ""
            rows.append(
                Row(
                    {
                        "name": parallel_label(grade),
                        **_values(figures, current, before, with_previous),
                    },
                    links=_links(
                        figures,
                        link,
                        f"parallel:{grade}",
                        span_token,
                        own_previous,
                        with_previous,
                    ),
                    kind=Row.TOTAL,
                )
            )
    if whole:
        current = sum_tallies(c.current for c in progress.classes)
        before = sum_tallies(c.before for c in progress.classes) if previous else None
        scope = (
            "school"
            if progress.selection.kind == "school"
            else (f"parallel:{progress.selection.value}")
        )
        shared_previous = {c.previous.pk for c in progress.classes if c.previous}
        previous_span = f"period:{previous.pk}" if len(shared_previous) == 1 else ""
        rows.append(
            Row(
                {"name": _("Итого"), **_values(figures, current, before, with_previous)},
                links=_links(figures, link, scope, span_token, previous_span, with_previous),
                kind=Row.TOTAL,
            )
        )
    report = Report(
        title=_("Итоги успеваемости"),
        columns=columns,
        rows=rows,
        slug="progress",
        footnotes=[str(d) for d in DEFINITIONS] + own_period_notes(progress),
        notices=notices(progress),
    )
    return report


def own_period_notes(progress: Progress) -> list[str]:
    """Which classes a school-wide report of one period counts by their own grade's period."""
    own = progress.own_periods
    if not own:
        return []
    by_period: dict = {}
    for name, period in own.items():
        by_period.setdefault(period, []).append(name)
    parts = [
        _("%(classes)s — %(period)s") % {"classes": ", ".join(names), "period": period}
        for period, names in by_period.items()
    ]
    return [
        _(
            "Классы, которые учатся по другим периодам, учтены по своему периоду, включающему "
            "конец выбранного: %(list)s."
        )
        % {"list": "; ".join(parts)}
    ]


def notices(progress: Progress, total: Tally | None = None, classes=None) -> list[str]:
    """Whether period marks are missing (of the whole report, or of `total`'s figures in
    `classes`), and whether current averages stand in for them."""
    total = progress.total if total is None else total
    if not total.missing:
        return []
    if classes is None:
        classes = [c.school_class.name for c in progress.classes if c.current.missing]
    shown = ", ".join(classes[:12]) + ("…" if len(classes) > 12 else "")
    said = [
        _(
            "Итоговые отметки за период выставлены не все: не хватает %(missing)s из "
            "%(expected)s у %(pupils)s (%(classes)s)."
        )
        % {
            "missing": count(total.missing, _("отметки"), _("отметок"), _("отметок")),
            "expected": total.expected,
            "pupils": count(
                total.unmarked_pupils, _("обучающегося"), _("обучающихся"), _("обучающихся")
            ),
            "classes": shown,
        }
    ]
    if progress.basis == CURRENT:
        said.append(
            _(
                "Предварительно: где итоговой отметки нет, взята отметка по текущему "
                "среднему баллу (%(n)s); без текущих отметок — «н/а»."
            )
            % {"n": count(total.estimated, _("отметка"), _("отметки"), _("отметок"))}
        )
    return said


def course_report(progress, figures, *, by: str, names: dict, link=None) -> Report:
    """По предметам (`by="subject"`) or по учителям (`by="teacher"`): a heading per subject
    or teacher, a row per course, the subject's or teacher's total. `names` maps teacher
    ids to names."""
    span = progress.span
    plans = {c.school_class.pk: c for c in progress.classes}
    with_previous = span.kind == "period"
    chosen = span.period
    previous = chosen_previous(progress)
    chosen_label = period_short(chosen) if chosen else str(_("год"))
    previous_label = (period_short(previous) if previous else _("пред.")) if with_previous else None
    shown = _shown(COURSE_FIGURES, [f.current for f in figures] + [f.before for f in figures])
    words = words_for(progress.selection.school)
    first = [
        Column("name", words.Class),
        Column("other", words.Teacher if by == "subject" else words.Subject),
    ]
    columns = _columns(shown, first, chosen_label, previous_label)
    groups: dict = {}
    for item in figures:
        keys = [item.subject_id] if by == "subject" else (item.teachers or [None])
        for key in keys:
            groups.setdefault(key, []).append(item)

    def title_of(key, items):
        if by == "subject":
            return items[0].subject
        return names.get(key, words.no_teacher)

    rows = []
    ordered = sorted(groups.items(), key=lambda kv: str(title_of(*kv)))
    for key, items in ordered:
        heading = title_of(key, items)
        rows.append(Row({"name": heading}, kind=Row.GROUP))
        items.sort(
            key=lambda f: (
                plans[f.class_id].school_class.grade,
                plans[f.class_id].school_class.letter,
                f.subject,
            )
        )
        for item in items:
            school_class = plans[item.class_id].school_class
            other = (
                ", ".join(names.get(t, "") for t in item.teachers)
                if by == "subject"
                else item.subject
            )
            rows.append(
                Row(
                    {
                        "name": school_class.name,
                        "other": other,
                        **_values(shown, item.current, item.before, with_previous),
                    }
                )
            )
        if len(items) > 1:
            current = sum_tallies(i.current for i in items)
            before = sum_tallies(i.before for i in items) if with_previous else None
            rows.append(
                Row(
                    {
                        "name": _("Итого: %(what)s") % {"what": heading},
                        **_values(shown, current, before, with_previous),
                    },
                    kind=Row.TOTAL,
                )
            )
    if len(ordered) > 1:
        current = sum_tallies(f.current for f in figures)
        before = sum_tallies(f.before for f in figures) if with_previous else None
        rows.append(
            Row(
                {"name": _("Итого"), **_values(shown, current, before, with_previous)},
                kind=Row.TOTAL,
            )
        )
    title = _("Успеваемость %(by)s") % {
        "by": words.to_subjects if by == "subject" else words.to_teachers
    }
    return Report(
        title=title,
        columns=columns,
        rows=rows,
        slug="progress-subjects" if by == "subject" else "progress-teachers",
        key_columns=2,
        footnotes=[
            _(
                "По предмету у каждого обучающегося одна итоговая отметка: «5» — отличники, "
                "«4» — хорошисты и так далее; N — обучающиеся курса на конец периода, кроме "
                "освобождённых."
            ),
            *[str(d) for d in DEFINITIONS[1:]],
            *own_period_notes(progress),
        ],
        notices=notices(
            progress,
            sum_tallies(f.current for f in figures),
            sorted({plans[f.class_id].school_class.name for f in figures if f.current.missing}),
        ),
    )


def pupils_report(progress: Progress, category: str, names: dict) -> Report:
    """The pupils behind one count: name, class and their period marks below «5» (the
    deciding ones first; «*» — by the current average). `names`: pupil id → full name."""
    from grading.models import FinalMark

    from .progress import marks_of, pupils_of

    found = pupils_of(progress, category)
    marks = marks_of(progress, [pupil_id for _item, pupil_id in found])
    labels = {value: str(label) for value, label in FinalMark.Value.choices}
    rows = []
    for item, pupil_id in found:
        shown = [
            f"{subject}: {labels.get(value, value)}{'*' if estimated else ''}"
            for subject, value, estimated in marks.get(pupil_id, [])
            if value not in ("5", "pass")
        ]
        rows.append(
            Row(
                {
                    "pupil": names.get(pupil_id, ""),
                    "class": item.school_class.name,
                    "grade": item.school_class.grade,
                    "marks": "; ".join(shown),
                }
            )
        )
    rows.sort(key=lambda r: (r.values.pop("grade"), r.values["class"], r.values["pupil"]))
    for index, row in enumerate(rows, 1):
        row.values["n"] = index
    footnotes = [_("Показаны итоговые отметки ниже «5»; «*» — по текущему среднему баллу.")]
    return Report(
        title=_("Обучающиеся: %(category)s") % {"category": CATEGORY_TITLES[category]},
        columns=[
            Column("n", "№", INTEGER),
            Column("pupil", _("Обучающийся")),
            Column("class", words_for(progress.selection.school).Class),
            Column("marks", _("Отметки ниже «5»"), TEXT, width=60),
        ],
        rows=rows,
        slug="progress-pupils",
        key_columns=2,
        footnotes=footnotes,
        notices=notices(progress),
    )


__all__ = ["course_report", "progress_report", "pupils_report", "stamp"]
