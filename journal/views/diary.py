"""The diary of one pupil (read-only): the week, marks by subject, attendance, timetable.

Every page is about one pupil named in the URL. The pupil, the viewer's access to them and
the viewer's other children come in one query (diary.viewer_pupils); a pupil the viewer may
not read answers 404 — whatever the URL or its parameters — exactly like a missing one.
"""

from datetime import timedelta

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import SchoolPermissionMixin
from accounts.navigation import school_reverse
from lib.dates import monday_of, parse_week
from lib.replica import from_primary
from schedule.models import SchoolYear
from schedule.services.periods import choose_period
from schedule.versions import cached_for_courses, keep_for_course

from ..services import messaging
from ..services.diary.attendance import attendance
from ..services.diary.family import switcher
from ..services.diary.pupils import children_of, course_ids_of, record_visit, viewer_pupils
from ..services.diary.subjects import subjects, year_periods
from ..services.diary.timetable import timetable
from ..services.diary.week import announcements_for
from ..services.diary.week import week as diary_week
from .diary_html import render_days, render_subjects

PAGE_LIFETIME = 24 * 60 * 60  # the day is in the key


class DiaryHomeView(SchoolPermissionMixin, View):
    """A family member's entry: straight to the (first) child's week."""

    permission = "journal.open_diary"
    replica_ok = True  # a second behind is fine for a family's reading (lib/replica.py)

    def get(self, request):
        children = children_of(request.user, request.school)
        if children:
            return HttpResponseRedirect(
                school_reverse(request.school, "journal:diary_week", pupil=children[0].pk)
            )
        return render(request, "journal/diary_empty.html", {})


class PupilDiaryMixin(SchoolPermissionMixin):
    permission = "journal.view_diary"
    # Read from a replica when there is one (lib/replica.py); what kept() keeps, from the
    # primary.
    replica_ok = True
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

    def kept(self, name: str, start, end, build) -> dict:
        """What `build()` returns, kept in the cache per pupil, page, school day and language
        under the versions of the courses of the pupil's classes between `start` and `end`
        (and of the school and everything: schedule.versions), so any change the page
        shows — a mark, an absence, a lesson, its homework, a final mark, an enrolment, a
        period, the school's rules — builds it anew on the next view. What `build()` returns
        does not depend on the viewer: the viewer's part (their children, the unread badge)
        is added to it on every view."""
        pupil, school = self.pupil, self.request.school
        key = f"journal:diary:3:{name}:{pupil.pk}:{school.today()}:{get_language()}"
        courses = course_ids_of(pupil, start, end)
        version, value = cached_for_courses(key, school.pk, courses)
        if value is None:
            # Kept under the version the primary's records are at now: built from them.
            with from_primary():
                value = build()
            keep_for_course(key, version, value, PAGE_LIFETIME)
        return value


class DiaryWeekView(PupilDiaryMixin, View):
    """The week: each day's lessons with topics, homework, marks, absences (kept per version)."""

    template_name = "journal/diary_week.html"
    tab = "week"

    def span(self):
        self.monday = parse_week(self.request.GET.get("week"), self.request.school.today())
        return self.monday, self.monday + timedelta(days=6)

    def data(self):
        today = self.request.school.today()
        sunday = self.monday + timedelta(days=6)
        shown = self.kept(f"week:{self.monday.isoformat()}", self.monday, sunday, self.days)
        return {
            **shown,
            "days_html": mark_safe(shown["days_html"]),
            "monday": self.monday,
            "sunday": sunday,
            "previous": (self.monday - timedelta(days=7)).isoformat(),
            "next": (self.monday + timedelta(days=7)).isoformat(),
            "this_week": monday_of(today).isoformat(),
            "is_this_week": self.monday == monday_of(today),
        }

    def days(self) -> dict:
        days = diary_week(self.pupil, self.monday)
        school_class = self.pupil.school_class
        classes = [school_class.pk] if school_class else []
        # The days themselves (model rows) stay out of the cache: their HTML is the page.
        return {
            "days_html": str(render_days(days, self.request.school)),
            "days": _summary(days),
            # Of the school's day (in the key); any announcement's change drops the school's
            # version (journal/signals.py).
            "announcements": [
                {"title": item.title, "body": item.body}
                for item in announcements_for(classes, self.request.school.today())
            ],
        }


def _summary(days) -> list[dict]:
    """The week as plain data, light to keep: each day's lessons with their marks."""
    return [
        {
            "date": day["date"],
            "lessons": [
                {"lesson": item.lesson.pk, "marks": item.marks, "attendance": item.attendance}
                for item in day["lessons"]
            ],
        }
        for day in days
    ]


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
        period = self.period
        if period is None:
            return {"periods": self.periods, "period": None, "subjects": [], "subjects_html": ""}
        # Kept under the courses of the whole year: a final mark may come from a class the
        # pupil left during it.
        start = min(p.start for p in self.periods)
        end = max(p.end for p in self.periods)

        def build():
            found = subjects(self.pupil, period)
            return {"subjects": found, "subjects_html": str(render_subjects(found))}

        shown = self.kept(f"marks:{period.pk}", start, end, build)
        return {
            "periods": self.periods,
            "period": period,
            "subjects": shown["subjects"],
            "subjects_html": mark_safe(shown["subjects_html"]),
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
