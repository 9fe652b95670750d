"""The journal grid's HTML, built as joined Python strings.

DESIGN.md measured a 30 × 60 grid at 40 ms in the template language and about 2 ms as joined
strings; the page renders its table here and leaves the rest to the template. Everything that
comes from people (names, topics, typed values) goes through `escape`; the rest (numbers,
marks from a closed set) is ours.
"""

from dataclasses import dataclass
from html import escape as html_escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from accounts.words import words_for
from grading.models import Mark
from schedule.models import Lesson

from ..models.attendance import token_of
from ..services.grid_form import parse_name

SHORT_KIND = "сокращение типа урока"
KIND_SHORT = {
    Lesson.Kind.LESSON: "",
    Lesson.Kind.TEST: pgettext_lazy(SHORT_KIND, "К/р"),
    Lesson.Kind.INDEPENDENT: pgettext_lazy(SHORT_KIND, "С/р"),
    Lesson.Kind.LAB: pgettext_lazy(SHORT_KIND, "Л/р"),
    Lesson.Kind.PRACTICE: pgettext_lazy(SHORT_KIND, "П/р"),
    Lesson.Kind.DICTATION: pgettext_lazy(SHORT_KIND, "Дикт"),
    Lesson.Kind.CREDIT: pgettext_lazy(SHORT_KIND, "Зач"),
    Lesson.Kind.EXCURSION: pgettext_lazy(SHORT_KIND, "Экск"),
}


def escape(value) -> str:
    """HTML-escape like django.utils.html.escape, without its lazy-string wrapper: the grid
    escapes a few hundred strings a page, and the result is marked safe once, whole."""
    return html_escape(str(value))


def _attr(value: str) -> str:
    """An attribute value: bare when it is safe bare, quoted otherwise."""
    if value and all(ch.isalnum() or ch in "_-.,:/" for ch in value):
        return value
    return f'"{escape(value)}"'


OUT_CELL, READ_CELL = '<td class="out"></td>', "<td></td>"
MAKEUP_KEY = "\x00"  # a make-up cell's key among the rendered cells (no typed text has it)


def _class_of(text: str, makeup: bool = False) -> str:
    """Cells with attendance get a class so absences stand out («а» absent, «l» late); a
    make-up of a missed topic by protocol gets «mu» and says so in its title."""
    if makeup:
        return f' class=mu title="{escape(_("отработка по протоколу"))}"'
    if not text:
        return ""
    first = text[0]
    if first in "нбу":
        return " class=a"
    if first == "о":
        return " class=l"
    return ""


def _namesakes(pupils) -> set[tuple[str, str]]:
    """Surname and first name pairs that more than one pupil of the page shares."""
    seen, twice = set(), set()
    for pupil in pupils:
        key = (pupil.last_name, pupil.first_name)
        (twice if key in seen else seen).add(key)
    return twice


@dataclass
class Blank:
    """A grid as it reads with no mark and no absence in it: its head, and each pupil's row
    (its start, its empty cells). It depends on the page's frame only (and on its columns):
    the journal page keeps it with its frame, so that the first view after a mark renders
    only the cells something is in."""

    keys: tuple  # the columns' (lesson, work type) it was laid out for
    head: str
    rows: list  # [(the row's start, [its cells])]


def blank_grid(grid) -> Blank:
    columns = grid.columns
    out = []
    add = out.append
    pass_fail = grid.course.scale == grid.course.Scale.PASS_FAIL
    add(
        f'<table class="grid" id="grid" data-scale="{"pass_fail" if pass_fail else "five"}"'
        f' data-marks="{1 if grid.gives_marks else 0}">'
    )
    # Header: one cell per lesson (spanning its columns), then one per column.
    no_topic, locked_note, weight_word = _("тема не указана"), _("закрыт для изменений"), _("вес")
    add('<thead><tr><th rowspan="2" class="no">№</th>')
    # «Ученик» in a school, «Студент» in a college (accounts.words).
    add(f'<th rowspan="2" class="who">{escape(words_for(grid.course.school).Pupil)}</th>')
    kind_short = {kind: str(short) for kind, short in KIND_SHORT.items()}  # translated once
    spans: dict[int, int] = {}
    for column in columns:
        spans[column.lesson.pk] = spans.get(column.lesson.pk, 0) + 1
    for lesson in grid.lessons:
        locked = grid.is_locked(lesson)
        classes = "d"
        if lesson.pk in grid.editable:
            classes += " ed"
        if locked:
            classes += " lk"
        if grid.is_future(lesson):
            classes += " fu"
        if getattr(lesson, "_pending", False):
            classes += " pe"
        if lesson.date == grid.today:
            classes += " now"  # the page brings today's column into view (journal.js)
        title = lesson.topic or no_topic
        if locked:
            title = f"{title} · {locked_note}"
        short = kind_short.get(lesson.kind, "")
        add(
            f'<th id="l{lesson.pk}" colspan="{spans.get(lesson.pk, 1)}" class="{classes}"'
            f' title="{escape(title)}">{lesson.date:%d.%m}'
            + (f"<small>{short}</small></th>" if short else "</th>")
        )
    add(f'<th rowspan="2" class="avg" title="{escape(_("Средний взвешенный балл"))}">')
    add(escape(_("Ср.")) + "</th></tr><tr>")
    for column in columns:
        wt = column.work_type
        add(
            f'<th id="h{column.lesson.pk}_{wt.id}" class="{"m" if column.main else "x"}"'
            f' data-l="{column.lesson.pk}" data-w="{wt.weight}"'
            f' title="{escape(wt.name)}, {weight_word} {wt.weight}">'
            f'{escape(wt.short_name)}<span class="visually-hidden"> ({escape(wt.name)})</span></th>'
        )
    add("</tr></thead><tbody>")

    # Each input is named by its pupil, its lesson's date and its column, for a screen
    # reader: the headers' ids, not a label per cell (1,800 cells, one format each, of parts
    # worked out once per column).
    editable, period = grid.editable, grid.period
    blank_parts = [
        (
            f"<td><input name=c{c.lesson.pk}_",
            f'_{c.work_type.id} aria-labelledby="p',
            f' l{c.lesson.pk} h{c.lesson.pk}_{c.work_type.id}"></td>',
        )
        if c.lesson.pk in editable
        else None
        for c in columns
    ]
    days = sorted({c.lesson.date for c in columns})
    namesakes = _namesakes(row.pupil for row in grid.rows)
    rows = []
    for number, row in enumerate(grid.rows, 1):
        pupil = row.pupil
        pid = str(pupil.pk)
        name = f"{pupil.last_name} {pupil.first_name}"
        if (pupil.last_name, pupil.first_name) in namesakes and pupil.patronymic:
            name = f"{name} {pupil.patronymic[0]}."  # two Егоров Александр in one class
        start = (
            f'<tr data-p="{pid}"><td class="no">{number}</td>'
            f'<th class="who" title="{escape(pupil.full_name)}" id="p{pid}">{escape(name)}</th>'
        )
        cells = [f"{p[0]}{pid}{p[1]}{pid}{p[2]}" if p else READ_CELL for p in blank_parts]
        if not row.covers(period.start, period.end):
            inside = {d: row.active_on(d) for d in days}
            for j, column in enumerate(columns):
                if not inside[column.lesson.date]:
                    cells[j] = OUT_CELL
        rows.append((start, cells))
    return Blank(tuple(c.key for c in columns), "".join(out), rows)


def render_grid(grid, *, errors=None, blank: Blank | None = None) -> str:
    """The <table> of a grid. `errors`: {input name: (typed, message)} from a posted form;
    `blank`: the grid laid out empty beforehand (`blank_grid`, kept with the page's frame)."""
    errors = errors or {}
    if blank is None or blank.keys != tuple(c.key for c in grid.columns):
        blank = blank_grid(grid)
    # The blank rows' cells, with the cells something is in (a mark, an absence, an error)
    # rendered in their place.
    editable = grid.editable
    cols = [(c.lesson.pk, c.work_type.id, c.main, c.lesson.pk in editable) for c in grid.columns]
    column_at = {(lid, wid): j for j, (lid, wid, _main, _edit) in enumerate(cols)}
    main_at = {lid: j for j, (lid, _wid, main, _edit) in enumerate(cols) if main}
    rows = [list(cells) for _start, cells in blank.rows]
    row_at = {row.pupil.pk: i for i, row in enumerate(grid.rows)}

    filled = set()
    for lid, pid, wid in grid.marks:
        j, i = column_at.get((lid, wid)), row_at.get(pid)
        if j is not None and i is not None:
            filled.add((i, j))
    for lid, pid in grid.attendance:
        j, i = main_at.get(lid), row_at.get(pid)
        if j is not None and i is not None:
            filled.add((i, j))
    wrong = {}
    for name in errors:
        key = parse_name(name)
        if key is None:
            continue
        j, i = column_at.get((key[0], key[2])), row_at.get(key[1])
        if j is not None and i is not None:
            filled.add((i, j))
            wrong[(i, j)] = errors[name]
    marks_get, seen_get, short = grid.marks.get, grid.attendance.get, Mark.SHORT
    read_html: dict[str, str] = {}
    edit_html: dict[str, tuple[str, str]] = {}
    tokens: dict = {}
    for i, j in filled:
        if rows[i][j] == OUT_CELL:
            continue
        lid, wid, main, can_edit = cols[j]
        pid = grid.rows[i].pupil.pk
        mark = marks_get((lid, pid, wid))
        text = short[mark[0]] if mark else ""
        # A make-up by protocol (journal.MakeupProtocol) reads «отр.» beside its mark.
        makeup = bool(mark and mark[2])
        if main:
            att = seen_get((lid, pid))
            if att:
                token = tokens.get(att) or tokens.setdefault(att, token_of(*att))
                text = f"{token} {text}" if text else token
        key = MAKEUP_KEY + text if makeup else text
        if can_edit:
            name = f"{lid}_{pid}_{wid}"
            labelled = f' aria-labelledby="p{pid} l{lid} h{lid}_{wid}"'
            if (i, j) in wrong:
                typed, message = wrong[(i, j)]
                rows[i][j] = (
                    f'<td class=err><input name=c{name} value="{escape(typed)}"{labelled}'
                    f' title="{escape(message)}" aria-invalid=true>'
                    f'<span class="cell-note">{escape(message)}</span></td>'
                )
                continue
            if not key:
                continue  # the blank cell already
            parts = edit_html.get(key)
            if parts is None:
                parts = edit_html[key] = (
                    f"<td{_class_of(text, makeup)}><input name=c",
                    f" value={_attr(text)}></td>",
                )
            rows[i][j] = f"{parts[0]}{name}{labelled}{parts[1]}"
        elif key:
            html = read_html.get(key)
            if html is None:
                html = read_html[key] = f"<td{_class_of(text, makeup)}>{escape(text)}</td>"
            rows[i][j] = html

    averages = grid.averages
    out = [blank.head]
    for row, (start, _cells), cells in zip(grid.rows, blank.rows, rows, strict=True):
        out.append(start)
        out.extend(cells)
        out.append(f'<td class="avg">{averages.get(row.pupil.pk, "")}</td></tr>')
    out.append("</tbody></table>")
    return mark_safe("".join(out))


def render_topics(lessons, *, lesson_url, linked=None) -> str:
    """The lessons' topics and homework beneath the grid (`lesson_url` has a {pk}); `linked`,
    when given, says which lessons the reader may open (a substitute: the ones they held)."""
    out = []
    add = out.append
    substitution = _("замена:")
    due_word = _("к")
    labels = {value: str(KIND_SHORT.get(value) or label) for value, label in Lesson.Kind.choices}
    for lesson in lessons:
        kind = labels.get(lesson.kind, lesson.kind)
        if linked is None or linked(lesson):
            add(
                f'<tr><td><a href="{lesson_url.replace("{pk}", str(lesson.pk))}">'
                f"{lesson.date:%d.%m.%Y}</a>"
            )
        else:
            add(f"<tr><td>{lesson.date:%d.%m.%Y}")
        if lesson.substitute_id and lesson.substitute:
            add(
                f'<br><small class="muted">{substitution} '
                f"{escape(lesson.substitute.short_name)}</small>"
            )
        add(f"</td><td>{escape(kind)}</td><td>{escape(lesson.topic) or '—'}</td><td>")
        homework = homework_of(lesson)
        if homework is not None and homework.text:
            add(escape(homework.text).replace("\n", "<br>"))
            if homework.due_date:
                add(f' <small class="muted">({due_word} {homework.due_date:%d.%m})</small>')
        else:
            add("—")
        add("</td></tr>")
    return mark_safe("".join(out))


def homework_of(lesson):
    """A lesson's homework, when journal has homework and the lesson has one."""
    try:
        return lesson.homework
    except Exception:  # no homework (a reverse one-to-one raises), or no homework model
        return None
