"""The diary's pages as HTML joined in Python: the week's days and the marks by subject.

The pages' bulk (up to ~50 lessons with marks, homework and files; every mark of a period
in a dozen subjects) costs a tenth of the same markup in the template language. Everything
from the database is escaped.
"""

from django.template.defaultfilters import filesizeformat, floatformat
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.navigation import school_reverse
from accounts.words import SCHOOL_WORDS


def _lines(text) -> str:
    return escape(text).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def render_days(days, school) -> str:
    """The week's days as HTML, joined in Python: the page's bulk (up to ~50 lessons with
    marks, homework and files) costs a tenth of the same markup in the template language.
    Everything from the database is escaped."""
    t = {
        "today": _("сегодня"),
        "none": _("Уроков нет"),
        "room": _("каб."),
        "substitute": _("замена:"),
        "cancelled": _("урок отменён"),
        "moved": _("перенесён"),
        "to": _("на"),
        "lesson": _("урок"),
        "mark": _("Отметка"),
        "homework": _("ДЗ"),
        "due": _("к"),
        "file": _("Файл:"),
    }
    a, b = 1234567891, 1987654321  # placeholders in one reversed address for every file
    file_url = school_reverse(school, "journal:homework_file", pk=a, file_pk=b)
    out = ['<div class="days">\n']
    add = out.append
    for day in days:
        add(f'<section class="day{" today" if day["today"] else ""}">')
        add(f"<h2>{escape(capfirst(day['name']))}, {day['date']:%d.%m}")
        add(f" — {t['today']}</h2>\n" if day["today"] else "</h2>\n")
        if not day["lessons"]:
            add(f'<p class="lesson note">{t["none"]}</p>\n')
        for item in day["lessons"]:
            lesson = item.lesson
            course = lesson.course
            off = item.cancelled or item.moved
            add(f'<div class="lesson{" off" if off else ""}">\n')
            add(f'<span class="n">{lesson.number}</span>\n')
            add(f'<span class="subj">{escape(course.subject.name)}')
            if course.subgroup_id:
                add(f' <span class="note">({escape(course.subgroup.name)})</span>')
            add('</span>\n<span class="marks">')
            if item.attendance:
                add(
                    f'<span class="abs" title="{escape(item.attendance_label)}">'
                    f"{escape(item.attendance)}</span>"
                )
            for mark in item.marks:
                heavy = " heavy" if mark.weight is not None and mark.weight > 1 else ""
                title = escape(mark.work_type) + (
                    f": {escape(mark.comment)}" if mark.comment else ""
                )
                add(
                    f'<span class="mk m{escape(mark.value)}{heavy}" title="{title}">'
                    f"{escape(mark.short)}</span>"
                )
            add('</span>\n<div class="meta">')
            meta = [item.time] if item.time else []
            if lesson.room_id:
                meta.append(f"{t['room']} {escape(lesson.room.name)}")
            if lesson.kind != "lesson":
                meta.append(escape(lesson.get_kind_display()))
            if lesson.substitute_id:
                meta.append(f"{t['substitute']} {escape(lesson.substitute.short_name)}")
            if item.cancelled:
                reason = f" ({escape(lesson.status_reason)})" if lesson.status_reason else ""
                meta.append(f"<strong>{t['cancelled']}</strong>{reason}")
            elif item.moved:
                where = ""
                if lesson.moved_to_id:
                    target = lesson.moved_to
                    where = f" {t['to']} {target.date:%d.%m}, " + _("%(number)s-й урок") % {
                        "number": target.number
                    }
                meta.append(f"<strong>{t['moved']}{where}</strong>")
            add(" · ".join(meta) + "</div>\n")
            if lesson.topic:
                add(f'<div class="topic">{escape(lesson.topic)}</div>\n')
            for mark in item.marks:
                comment = f": «{escape(mark.comment)}»" if mark.comment else ""
                add(
                    f'<div class="meta mark-line">{t["mark"]} {escape(mark.short)} — '
                    f"{escape(mark.work_type)}{comment}</div>\n"
                )
            hw = item.homework
            text = hw.text if hw is not None else ""
            if text or item.files:
                due = f" {t['due']} {hw.due_date:%d.%m}" if hw is not None and hw.due_date else ""
                add(f'<div class="hw"><strong>{t["homework"]}{due}:</strong> {_lines(text)}')
                for file_id, name, size in item.files:
                    url = file_url.replace(str(a), str(lesson.pk)).replace(str(b), str(file_id))
                    add(
                        f'<br>{t["file"]} <a href="{url}">{escape(name)}</a> '
                        f'<span class="note">{filesizeformat(size)}</span>'
                    )
                add("</div>\n")
            add("</div>\n")
        add("</section>\n")
    add("</div>\n")
    return mark_safe("".join(out))


def _heavy(weight) -> bool:
    return weight is not None and weight > 1


def render_subjects(subjects, words=SCHOOL_WORDS) -> str:
    """The marks by subject of a period (journal/diary_marks.html shows them), in the
    school's `words` (accounts.words)."""
    t = {
        "avg": _("средний взвешенный балл"),
        "final_title": _("отметка за период"),
        "none": _("Отметок пока нет"),
        "final": _("Отметка за период:"),
        "forecast": _("Прогноз за период:"),
        "year": _("Годовая отметка:"),
        "all": _("Все отметки: даты и виды работ"),
        "weight": _("вес"),
    }
    out = []
    add = out.append
    for item in subjects:
        add('<div class="subj-card">\n')
        add(f"  <h2><span>{escape(item.subject)}")
        if item.subgroup:
            add(f' <span class="note">({escape(item.subgroup)})</span>')
        add("</span>\n  <span>")
        if item.average:
            add(f'<span class="avg" title="{t["avg"]}">{escape(item.average)}</span>')
        final = item.period_final
        if final:
            add(
                f' <span class="mk m{escape(final[0])}" title="{t["final_title"]}">'
                f"{escape(final[1])}</span>"
            )
        add("</span></h2>\n  <div>")
        marks = [(f"{day:%d.%m}", mark) for day, mark in item.marks]
        for day, mark in marks:
            heavy = " heavy" if _heavy(mark.weight) else ""
            comment = f": {escape(mark.comment)}" if mark.comment else ""
            add(
                f'<span class="mk m{escape(mark.value)}{heavy}" title="{day} · '
                f'{escape(mark.work_type)}{comment}">{escape(mark.short)}</span>'
            )
        if not marks:
            add(f'<span class="note">{t["none"]}</span>')
        add("</div>\n  ")
        forecast = item.forecast
        if final:
            add(f'<p class="note">{t["final"]} <strong>{escape(final[1])}</strong></p>')
        elif forecast and forecast.outlook:
            add(f'<p class="note">{t["forecast"]} <strong>{escape(forecast.outlook)}</strong></p>')
        add("\n  ")
        if item.year_final:
            add(f'<p class="note">{t["year"]} <strong>{escape(item.year_final[1])}</strong></p>')
        add("\n  ")
        for kind, value, label in item.other_finals:
            add(
                f'<p class="note">{escape(capfirst(kind))}: '
                f'<strong class="mk m{escape(value)}">{escape(label)}</strong></p>'
            )
        add("\n  ")
        if not final and forecast is not None and forecast.text:
            add(f'<p class="hint">{escape(capfirst(forecast.text))}</p>')
        add("\n  ")
        for day, mark in marks:
            if mark.comment:
                add(
                    f'<p class="note">{day} {escape(mark.short)} ({escape(mark.work_type)}): '
                    f"{escape(mark.comment)}</p>"
                )
        add("\n  ")
        if marks:
            add(f'<details class="mark-list"><summary>{t["all"]}</summary><ul>')
            for day, mark in marks:
                add(f"<li>{day} <strong>{escape(mark.short)}</strong> — {escape(mark.work_type)}")
                if _heavy(mark.weight):
                    weight = floatformat(mark.weight, "-2")
                    add(f' <span class="note">({t["weight"]} {weight})</span>')
                if mark.comment:
                    add(f": «{escape(mark.comment)}»")
                add("</li>")
            add("</ul></details>")
        add("\n</div>\n")
    if not subjects:
        add(f'<p class="muted">{_("Нет %(of_subjects)s за этот период.") % words}</p>')
    return mark_safe("".join(out))
