"""The diary of one pupil (read-only): the week, marks by subject, attendance, timetable.

Every page is about one pupil named in the URL. The pupil, the viewer's access to them and
the viewer's other children come in one query (diary.viewer_pupils); a pupil the viewer may
not read answers 404 — whatever the URL or its parameters — exactly like a missing one.
"""

from datetime import timedelta

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse
from lib.dates import monday_of, parse_week
from schedule.models import SchoolYear
from schedule.services.periods import choose_period

from ..services import messaging
from ..services.diary.attendance import attendance
from ..services.diary.family import switcher
from ..services.diary.pupils import children_of, record_visit, viewer_pupils
from ..services.diary.subjects import subjects, year_periods
from ..services.diary.timetable import timetable
from ..services.diary.week import announcements_for
from ..services.diary.week import week as diary_week


class DiaryHomeView(SchoolPermissionMixin, View):
    """A family member's entry: straight to the (first) child's week."""

    permission = "journal.open_diary"

    def get(self, request):
        children = children_of(request.user, request.school)
        if children:
            return HttpResponseRedirect(
                school_reverse(request.school, "journal:diary_week", pupil=children[0].pk)
            )
        return render(request, "journal/diary_empty.html", {})


class PupilDiaryMixin(SchoolPermissionMixin):
    permission = "journal.view_diary"
    hide_forbidden = True
    template_name = ""
    tab = ""

    def span(self):
        """The dates the page is about (the class is the one the pupil was in then)."""
        today = self.request.school.today()
        return today, today

    def get_permission_object(self):
        self.bad_input = None
        try:
            self.start, self.end = self.span()
        except ValueError:
            # A malformed date: answered 400 once access is settled.
            self.bad_input = _("Неверная дата недели.")
            self.start = self.end = self.request.school.today()
        pupils = viewer_pupils(
            self.request.user, self.request.school, self.kwargs["pupil"], self.start, self.end
        )
        pupil = next((p for p in pupils if p.pk == self.kwargs["pupil"]), None)
        if pupil is None:
            raise Http404
        self.pupil = pupil
        self.children = [p for p in pupils if p.viewer_family]
        return pupil

    def context(self, **extra):
        request = self.request
        badge = messaging.cached_badge(request.user, request.school)
        tab_url = f"journal:diary_{self.tab}"
        # Switching children keeps the tab and the week, not the period (periods differ by
        # grade and school).
        keep_query = f"?week={self.monday.isoformat()}" if hasattr(self, "monday") else ""
        # A family member switches between all their children, in any school.
        children = switcher(
            request.user,
            request.school,
            self.children,
            request.school.today(),
            elsewhere=bool(self.children),
        )
        if badge is None:
            badge = messaging.refresh_badge(request.user, request.school)
        return {
            "pupil": self.pupil,
            "school_class": self.pupil.school_class,
            "children": [
                {
                    "pk": child.pk,
                    "name": child.name,
                    "class_name": child.class_name,
                    "school_name": child.school_name,
                    "link": child.url(tab_url, keep_query),
                }
                for child in children
            ]
            if len(children) > 1
            else [],
            "tab": self.tab,
            "tab_url": tab_url,
            "unread_messages": badge,
            **extra,
        }

    def get(self, request, pupil):
        if self.bad_input:
            return render(
                request,
                "journal/diary_error.html",
                self.context(error=self.bad_input),
                status=400,
            )
        record_visit(request.user, self.pupil)
        return render(request, self.template_name, self.context(**self.data()))

    def data(self) -> dict:
        return {}


class DiaryWeekView(PupilDiaryMixin, View):
    """The week: each day's lessons with topics, homework, marks, absences. Seven queries."""

    template_name = "journal/diary_week.html"
    tab = "week"

    def span(self):
        self.monday = parse_week(self.request.GET.get("week"), self.request.school.today())
        return self.monday, self.monday + timedelta(days=6)

    def data(self):
        school_class = self.pupil.school_class
        today = self.request.school.today()
        days = diary_week(self.pupil, self.monday)
        return {
            "days": days,
            "days_html": render_days(days, self.request.school),
            "monday": self.monday,
            "sunday": self.monday + timedelta(days=6),
            "previous": (self.monday - timedelta(days=7)).isoformat(),
            "next": (self.monday + timedelta(days=7)).isoformat(),
            "this_week": monday_of(today).isoformat(),
            "is_this_week": self.monday == monday_of(today),
            "announcements": announcements_for([school_class.pk] if school_class else [], today),
        }


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


class DiaryPeriodMixin(PupilDiaryMixin):
    """Pages about a study period of the pupil's class (?period=<id>; the current one), in
    a past year too (?year=<id>: the class the pupil was in that year, a closed year read
    as it was kept)."""

    def span(self):
        wanted = self.request.GET.get("year", "")
        self.year = None
        if wanted:
            self.year = SchoolYear.objects.filter(pk=wanted).first() if wanted.isdigit() else None
            if self.year is None:
                raise Http404
            return self.year.start, self.year.end
        return super().span()

    def years(self) -> list:
        """The school years the pupil has been in a class of (one query)."""
        return list(
            SchoolYear.objects.filter(classes__enrolments__pupil_id=self.pupil.pk)
            .distinct()
            .order_by("-start")
        )

    def context(self, **extra):
        year = self.year or (self.pupil.school_class.year if self.pupil.school_class else None)
        return super().context(
            years=self.years(), year=year, year_query=f"&year={year.pk}" if self.year else "",
            **extra,
        )  # fmt: skip

    def get(self, request, pupil):
        self.periods = year_periods(self.pupil)
        wanted = request.GET.get("period")
        self.period = choose_period(self.periods, pk=wanted, today=request.school.today())
        if wanted and self.period is None:
            raise Http404
        return super().get(request, pupil)


class DiaryMarksView(DiaryPeriodMixin, View):
    """Marks by subject for a period: every mark, the weighted average, final marks when set,
    the forecast. Six queries."""

    template_name = "journal/diary_marks.html"
    tab = "marks"

    def data(self):
        return {
            "periods": self.periods,
            "period": self.period,
            "subjects": subjects(self.pupil, self.period),
        }


class DiaryAttendanceView(DiaryPeriodMixin, View):
    template_name = "journal/diary_attendance.html"
    tab = "attendance"

    def data(self):
        lines, total, records = ([], None, [])
        if self.period is not None:
            lines, total, records = attendance(self.pupil, self.period.start, self.period.end)
        return {
            "periods": self.periods,
            "period": self.period,
            "lines": lines,
            "total": total,
            "records": records,
        }


class DiaryTimetableView(PupilDiaryMixin, View):
    template_name = "journal/diary_timetable.html"
    tab = "timetable"

    def data(self):
        return {"timetable": timetable(self.pupil)}
